use dynamo_lambda::dynamo_lambda;

#[dynamo_lambda(table = "Users", partition_key = "id")]
pub struct User {
    pub id: String,
    #[dynamo(rename = "mail", rename = "email")]
    pub email: String,
}

fn main() {}
