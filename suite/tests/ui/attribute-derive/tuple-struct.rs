use dynamo_lambda::Attribute;

#[derive(Attribute)]
pub struct Point(pub i64, pub i64);

fn main() {}
