use dynamo_lambda::dynamo_lambda;

#[dynamo_lambda(table = "Users", partition_key = "id", sort_key = "active")]
pub struct User {
    pub id: String,
    pub active: bool,
}

fn main() {}
