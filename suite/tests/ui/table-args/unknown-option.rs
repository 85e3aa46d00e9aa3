use dynamo_lambda::dynamo_lambda;

#[dynamo_lambda(table = "Users", partition_key = "id", hash_key = "id")]
pub struct User {
    pub id: String,
}

fn main() {}
