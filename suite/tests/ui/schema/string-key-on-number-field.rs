use dynamo_lambda::dynamo_lambda;

// users.yaml: `partition_key: { name: id, type: S }`.
#[dynamo_lambda(schema = "schemas/users.yaml")]
pub struct User {
    pub id: u64,
}

fn main() {}
