use dynamo_lambda::dynamo_lambda;

// users.yaml has no `ttl:`.
#[dynamo_lambda(schema = "schemas/users.yaml")]
pub struct User {
    pub id: String,
    #[dynamo(ttl)]
    pub expires_at: u64,
}

fn main() {}
