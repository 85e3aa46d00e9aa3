use dynamo_lambda::Attribute;

#[derive(Attribute)]
pub enum Status {
    #[dynamo(rename = "DONE")]
    Shipped,
    #[dynamo(rename = "DONE")]
    Delivered,
}

fn main() {}
