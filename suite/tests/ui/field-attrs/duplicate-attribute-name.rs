use dynamo_lambda::dynamo_lambda;

#[dynamo_lambda(table = "Users", partition_key = "id")]
pub struct User {
    pub id: String,
    #[dynamo(rename = "mail")]
    pub email: String,
    #[dynamo(rename = "mail")]
    pub backup_email: String,
}

fn main() {}
