use dynamo_lambda::dynamo_lambda;

#[dynamo_lambda(table = "Users", partition_key = "id")]
pub struct User {
    pub id: String,
    pub name: String,
    #[dynamo(rename = "name")]
    pub display_name: String,
}

fn main() {}
