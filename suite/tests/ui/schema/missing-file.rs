use dynamo_lambda::dynamo_lambda;

#[dynamo_lambda(schema = "schemas/user.yaml")]
pub struct User {
    pub id: String,
}

fn main() {}
