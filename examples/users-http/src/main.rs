//! The `Users` table over HTTP (API Gateway REST and HTTP APIs, Function URLs,
//! ALB): `GET /users/{id}`, `PUT`, `POST /users`, `PATCH`, `DELETE`.

use users_example::User;

#[tokio::main]
async fn main() -> Result<(), dynamo_lambda::Error> {
    dynamo_lambda::http::run(User::http_handler()).await
}
