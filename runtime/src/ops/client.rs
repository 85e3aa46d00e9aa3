//! The shared DynamoDB client and the configuration chosen for Lambda.
//!
//! The SDK's defaults have no operation or attempt timeout: a request to a
//! stalled connection waits until the function itself times out, and the
//! invocation ends without a typed error. The library's client has finite
//! ones (see [`LAMBDA_TIMEOUTS`] for the values and why), and keeps the
//! SDK's *standard* retry mode, whose `AWS_MAX_ATTEMPTS` / `AWS_RETRY_MODE`
//! variables (and profile settings) are read as usual.

use std::time::Duration;

use aws_config::{BehaviorVersion, ConfigLoader, SdkConfig};
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::config::timeout::TimeoutConfig;
use tokio::sync::OnceCell;

use crate::model::error::Error;

static CLIENT: OnceCell<Client> = OnceCell::const_new();

/// The timeouts of the library's client, set where a configuration has none.
///
/// | timeout | value | why |
/// | --- | --- | --- |
/// | connect | 1 s | a DynamoDB endpoint accepts in milliseconds, in a VPC too; a connection not made in 1 s will not be, and the retry gets a new one |
/// | attempt | 2 s | DynamoDB answers in milliseconds; 2 s leaves room for a full 1 MB `Query`/`Scan` page or a 16 MB `BatchGetItem`, and lets a stalled attempt be retried |
/// | operation | 5 s | all attempts and the back-off between them: two stalled attempts and a third one still fit, and it ends before the common Lambda function timeouts (6 s and more) so the function answers with a typed error |
///
/// A throttled request uses the standard mode's 3 attempts with up to 1 s
/// and 2 s of back-off, so it ends as [`Error::Throttled`] well within the
/// operation timeout; an operation that runs out of time ends as
/// [`ErrorKind::ServiceUnavailable`](crate::ErrorKind::ServiceUnavailable).
pub const LAMBDA_TIMEOUTS: Timeouts = Timeouts {
    connect: Duration::from_secs(1),
    attempt: Duration::from_secs(2),
    operation: Duration::from_secs(5),
};

/// Timeouts of a client (see [`LAMBDA_TIMEOUTS`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// Making a connection.
    pub connect: Duration,
    /// One attempt: sending the request and reading the whole response.
    pub attempt: Duration,
    /// The whole operation: every attempt and the back-off between them.
    pub operation: Duration,
}

impl Timeouts {
    /// As the SDK's type.
    pub fn to_config(self) -> TimeoutConfig {
        TimeoutConfig::builder()
            .connect_timeout(self.connect)
            .operation_attempt_timeout(self.attempt)
            .operation_timeout(self.operation)
            .build()
    }
}

/// The SDK's configuration loader with the library's timeouts: what
/// [`client`] loads. Change it and pass the result to [`set_config`] or
/// [`client_from`]:
///
/// ```no_run
/// # async fn f() -> Result<(), dynamo_lambda::Error> {
/// let config = dynamo_lambda::config_loader().region("eu-west-1").load().await;
/// dynamo_lambda::set_config(&config)?;
/// # Ok(()) }
/// ```
///
/// The retry policy is left to the SDK's providers: the standard mode with
/// 3 attempts unless `AWS_MAX_ATTEMPTS`, `AWS_RETRY_MODE` or the profile
/// say otherwise (a `retry_config` set on the loader overrides them).
pub fn config_loader() -> ConfigLoader {
    aws_config::defaults(BehaviorVersion::latest()).timeout_config(LAMBDA_TIMEOUTS.to_config())
}

/// A client for `config`, with the library's timeouts where `config` sets
/// none (a timeout set, or disabled with `TimeoutConfig::disabled()`, is kept).
pub fn client_from(config: &SdkConfig) -> Client {
    let mut timeouts = config
        .timeout_config()
        .cloned()
        .unwrap_or_else(|| TimeoutConfig::builder().build());
    timeouts.take_defaults_from(&LAMBDA_TIMEOUTS.to_config());
    let config = aws_sdk_dynamodb::config::Builder::from(config)
        .timeout_config(timeouts)
        .build();
    Client::from_conf(config)
}

/// Makes the shared [`client`] (the one the generated `User::get` & co.
/// use) from `config`, through [`client_from`]. Call it in `main` before
/// the first operation; afterwards the client is built and this is an
/// [`Error::Validation`] on `config`.
pub fn set_config(config: &SdkConfig) -> Result<(), Error> {
    CLIENT.set(client_from(config)).map_err(|_| {
        Error::validation(
            "config",
            "the shared client is already built: call `set_config` before the first operation",
        )
    })
}

/// The process-wide client, built on first use from the SDK's own
/// configuration (`AWS_REGION`, credentials, `AWS_ENDPOINT_URL_DYNAMODB`, …)
/// with the library's timeouts, or from what [`set_config`] was given, and
/// reused by every later invocation of a warm Lambda.
#[doc = include_str!("../../docs/configuration.md")]
pub async fn client() -> &'static Client {
    if let Some(client) = CLIENT.get() {
        return client;
    }
    // Boxed: loading the configuration is a large future, and every request
    // future that may build the client would otherwise carry its size.
    CLIENT.get_or_init(|| Box::pin(new_client())).await
}

/// A new client from [`config_loader`], for code that runs on several
/// Tokio runtimes (such as `#[tokio::test]`s), where a shared connection pool
/// would outlive the runtime it was made on.
pub async fn new_client() -> Client {
    client_from(&config_loader().load().await)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_are_added_where_none_are_set_and_kept_otherwise() {
        let bare = SdkConfig::builder()
            .behavior_version(BehaviorVersion::latest())
            .build();
        let timeouts = client_from(&bare).config().timeout_config().cloned();
        assert_eq!(timeouts, Some(LAMBDA_TIMEOUTS.to_config()));

        let own = SdkConfig::builder()
            .behavior_version(BehaviorVersion::latest())
            .timeout_config(
                TimeoutConfig::builder()
                    .operation_timeout(Duration::from_secs(30))
                    .build(),
            )
            .build();
        let timeouts = client_from(&own)
            .config()
            .timeout_config()
            .cloned()
            .unwrap();
        assert_eq!(timeouts.operation_timeout(), Some(Duration::from_secs(30)));
        assert_eq!(
            timeouts.operation_attempt_timeout(),
            Some(LAMBDA_TIMEOUTS.attempt)
        );

        let disabled = SdkConfig::builder()
            .behavior_version(BehaviorVersion::latest())
            .timeout_config(TimeoutConfig::disabled())
            .build();
        let timeouts = client_from(&disabled).config().timeout_config().cloned();
        assert_eq!(timeouts.unwrap().operation_timeout(), None);
    }
}
