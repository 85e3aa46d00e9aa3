use dynamo_lambda::dynamo_lambda;

// users.yaml: `table: Users`.
#[dynamo_lambda(schema = "schemas/users.yaml", table = "Customers")]
pub struct User {
    pub id: String,
}

fn main() {}
