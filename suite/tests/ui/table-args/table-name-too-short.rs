use dynamo_lambda::dynamo_lambda;

#[dynamo_lambda(table = "Us", partition_key = "id")]
pub struct User {
    pub id: String,
}

fn main() {}
