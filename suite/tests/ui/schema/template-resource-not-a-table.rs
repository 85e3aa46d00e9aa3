use dynamo_lambda::dynamo_lambda;

// `UsersFunction` is an `AWS::Serverless::Function`.
#[dynamo_lambda(schema = "schemas/template.yaml#UsersFunction")]
pub struct User {
    pub id: String,
}

fn main() {}
