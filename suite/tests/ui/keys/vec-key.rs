use dynamo_lambda::dynamo_lambda;

#[dynamo_lambda(table = "Users", partition_key = "ids")]
pub struct User {
    pub ids: Vec<String>,
}

fn main() {}
