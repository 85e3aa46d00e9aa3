use dynamo_lambda::{Attribute, dynamo_lambda};

#[derive(Attribute)]
pub enum Status {
    Placed,
    Shipped(String),
}

#[dynamo_lambda(table = "Orders", partition_key = "id")]
pub struct Order {
    pub id: String,
    pub status: Status,
}

fn main() {}
