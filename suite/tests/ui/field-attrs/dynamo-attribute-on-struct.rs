use dynamo_lambda::dynamo_lambda;

#[dynamo_lambda(table = "Users", partition_key = "id")]
#[dynamo(rename_all = "camelCase")]
pub struct User {
    pub id: String,
    pub display_name: String,
}

fn main() {}
