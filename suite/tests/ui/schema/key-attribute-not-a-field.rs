use dynamo_lambda::dynamo_lambda;

// users.yaml's partition key is `id`.
#[dynamo_lambda(schema = "schemas/users.yaml")]
pub struct User {
    pub user_id: String,
    pub email: String,
}

fn main() {}
