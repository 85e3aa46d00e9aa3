use dynamo_lambda::Attribute;

#[derive(Attribute)]
pub enum Status {
    Placed,
    Shipped(String),
}

fn main() {}
