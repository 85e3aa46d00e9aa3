//! The shared DynamoDB client.

use aws_config::BehaviorVersion;
use aws_sdk_dynamodb::Client;
use tokio::sync::OnceCell;

static CLIENT: OnceCell<Client> = OnceCell::const_new();

/// The process-wide client, built on first use from the SDK's own
/// configuration (`AWS_REGION`, credentials, `AWS_ENDPOINT_URL_DYNAMODB`, …)
/// and reused by every later invocation of a warm Lambda.
pub async fn client() -> &'static Client {
    if let Some(client) = CLIENT.get() {
        return client;
    }
    // Boxed: loading the configuration is a large future, and every request
    // future that may build the client would otherwise carry its size.
    CLIENT.get_or_init(|| Box::pin(new_client())).await
}

/// A new client from the same configuration, for code that runs on several
/// Tokio runtimes (such as `#[tokio::test]`s), where a shared connection pool
/// would outlive the runtime it was made on.
pub async fn new_client() -> Client {
    let config = aws_config::load_defaults(BehaviorVersion::latest()).await;
    Client::new(&config)
}
