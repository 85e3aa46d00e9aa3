use dynamo_lambda::dynamo_lambda;

#[dynamo_lambda(schema = "/srv/app/schemas/users.yaml")]
pub struct User {
    pub id: String,
}

fn main() {}
