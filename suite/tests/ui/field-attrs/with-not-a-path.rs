use dynamo_lambda::dynamo_lambda;

#[dynamo_lambda(table = "Users", partition_key = "id")]
pub struct User {
    pub id: String,
    #[dynamo(with = "my codec")]
    pub avatar: Vec<u8>,
}

fn main() {}
