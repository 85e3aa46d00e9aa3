use dynamo_lambda::dynamo_lambda;

#[dynamo_lambda(table = "Users")]
pub struct User {
    pub id: String,
}

fn main() {}
