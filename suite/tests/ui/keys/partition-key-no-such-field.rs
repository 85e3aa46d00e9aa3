use dynamo_lambda::dynamo_lambda;

#[dynamo_lambda(table = "Users", partition_key = "user_id")]
pub struct User {
    pub id: String,
    pub name: String,
}

fn main() {}
