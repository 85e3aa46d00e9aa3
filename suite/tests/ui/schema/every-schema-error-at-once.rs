use dynamo_lambda::dynamo_lambda;

#[dynamo_lambda(schema = "tests/ui/schema/files/two-problems.yaml")]
pub struct User {
    pub id: String,
}

fn main() {}
