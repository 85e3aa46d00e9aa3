use dynamo_lambda::dynamo_lambda;

#[dynamo_lambda(schema = "schemas/template.yaml#")]
pub struct User {
    pub id: String,
}

fn main() {}
