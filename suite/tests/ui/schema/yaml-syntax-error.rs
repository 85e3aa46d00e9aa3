use dynamo_lambda::dynamo_lambda;

#[dynamo_lambda(schema = "tests/ui/schema/files/bad-syntax.yaml")]
pub struct User {
    pub id: String,
}

fn main() {}
