use dynamo_lambda::Attribute;

#[derive(Attribute)]
pub enum Status {
    Placed,
    Shipped { carrier: String },
}

fn main() {}
