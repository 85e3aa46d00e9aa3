// Without a partition key there is no key to generate, yet the operations
// that do not name one still resolve: the missing option is the only error.
use dynamo_lambda::dynamo_lambda;

#[dynamo_lambda(table = "Users")]
pub struct User {
    pub id: String,
}

pub async fn store(user: User) -> Result<(), dynamo_lambda::Error> {
    user.put().await?;
    user.create().await
}

fn main() {}
