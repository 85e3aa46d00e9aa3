use dynamo_lambda::dynamo_lambda;

#[dynamo_lambda(table = "Users", partition_key = "id")]
pub enum User {
    Admin { id: String },
    Member { id: String },
}

fn main() {}
