use dynamo_lambda::dynamo_lambda;

#[dynamo_lambda(table = "Users", partition_key = "id")]
pub struct User {
    #[dynamo(skip)]
    pub id: String,
}

fn main() {}
