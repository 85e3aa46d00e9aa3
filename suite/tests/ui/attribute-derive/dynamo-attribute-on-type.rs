use dynamo_lambda::Attribute;

#[derive(Attribute)]
#[dynamo(rename_all = "camelCase")]
pub struct Address {
    pub street_name: String,
}

fn main() {}
