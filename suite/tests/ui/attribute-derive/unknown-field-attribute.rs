use dynamo_lambda::Attribute;

#[derive(Attribute)]
pub struct Address {
    #[dynamo(renamed = "town")]
    pub city: String,
}

fn main() {}
