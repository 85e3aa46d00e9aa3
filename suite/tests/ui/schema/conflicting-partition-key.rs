use dynamo_lambda::dynamo_lambda;

// users.yaml: `partition_key: { name: id, type: S }`.
#[dynamo_lambda(schema = "schemas/users.yaml", partition_key = "email")]
pub struct User {
    pub id: String,
    pub email: String,
}

fn main() {}
