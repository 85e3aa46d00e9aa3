use dynamo_lambda::Attribute;

#[derive(Attribute)]
pub enum Status {
    #[dynamo(skip)]
    Placed,
    Shipped,
}

fn main() {}
