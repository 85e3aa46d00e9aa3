use dynamo_lambda::dynamo_lambda;

// users.yaml: `partition_key: { name: id, type: S }`, stored by field `user_id`.
#[dynamo_lambda(schema = "schemas/users.yaml", partition_key = "id")]
pub struct User {
    #[dynamo(rename = "id")]
    pub user_id: String,
}

fn main() {}
