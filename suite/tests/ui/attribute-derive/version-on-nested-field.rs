use dynamo_lambda::Attribute;

#[derive(Attribute)]
pub struct Address {
    pub street: String,
    #[dynamo(version)]
    pub version: u64,
}

fn main() {}
