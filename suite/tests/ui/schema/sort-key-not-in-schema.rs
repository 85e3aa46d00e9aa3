use dynamo_lambda::dynamo_lambda;

// users.yaml has no sort key.
#[dynamo_lambda(schema = "schemas/users.yaml", sort_key = "created_at")]
pub struct User {
    pub id: String,
    pub created_at: String,
}

fn main() {}
