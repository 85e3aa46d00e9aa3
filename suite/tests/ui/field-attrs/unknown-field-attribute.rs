use dynamo_lambda::dynamo_lambda;

#[dynamo_lambda(table = "Users", partition_key = "id")]
pub struct User {
    pub id: String,
    #[dynamo(flatten)]
    pub name: String,
}

fn main() {}
