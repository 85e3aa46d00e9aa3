use dynamo_lambda::dynamo_lambda;

#[dynamo_lambda(table = "Users", partition_key = "id")]
pub struct User {
    pub id: String,
    #[dynamo(binary, with = "dynamo_lambda::binary")]
    pub avatar: Vec<u8>,
}

fn main() {}
