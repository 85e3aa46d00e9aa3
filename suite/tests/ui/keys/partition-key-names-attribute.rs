use dynamo_lambda::dynamo_lambda;

// `partition_key` names the Rust field, not the DynamoDB attribute.
#[dynamo_lambda(table = "Users", partition_key = "mail")]
pub struct User {
    #[dynamo(rename = "mail")]
    pub email: String,
    pub name: String,
}

fn main() {}
