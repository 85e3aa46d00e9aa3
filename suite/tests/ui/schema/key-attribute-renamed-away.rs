use dynamo_lambda::dynamo_lambda;

// users.yaml's partition key is `id`, but field `id` is stored as `user_id`.
#[dynamo_lambda(schema = "schemas/users.yaml")]
pub struct User {
    #[dynamo(rename = "user_id")]
    pub id: String,
}

fn main() {}
