use dynamo_lambda::dynamo_lambda;

mod hex_colour {}

#[dynamo_lambda(table = "Users", partition_key = "id")]
pub struct User {
    pub id: String,
    #[dynamo(with = "hex_color")]
    pub colour: u32,
}

fn main() {}
