use dynamo_lambda::dynamo_lambda;

pub struct Address {
    pub street: String,
    pub city: String,
}

#[dynamo_lambda(table = "Users", partition_key = "id")]
pub struct User {
    pub id: String,
    pub address: Address,
}

fn main() {}
