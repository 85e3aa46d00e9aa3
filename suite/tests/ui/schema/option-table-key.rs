use dynamo_lambda::dynamo_lambda;

#[dynamo_lambda(schema = "schemas/users.yaml")]
pub struct User {
    pub id: Option<String>,
}

fn main() {}
