//! A Lambda function serving the `Users` table: `{"op": "get", "key": {"id": "u1"}}`
//! and the other operations of the generated handler.

use users_example::User;

#[tokio::main]
async fn main() -> Result<(), dynamo_lambda::Error> {
    dynamo_lambda::run(User::handler()).await
}
