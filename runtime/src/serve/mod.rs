//! The serving layer: Lambda functions over a table. `direct` answers
//! direct invocations with the JSON contract, `http` serves the table's
//! routes on top of it, `stream` hands DynamoDB Streams records to a
//! function as typed changes; [`run`] runs any of them.

pub mod direct;
#[cfg(feature = "http")]
pub mod http;
#[cfg(feature = "streams")]
pub mod stream;

use std::fmt;
use std::future::Future;

use lambda_runtime::{Diagnostic, LambdaEvent, Service};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::model::error::Error;

/// Runs a Lambda function: sets up `tracing` (the format follows the
/// function's log configuration) and serves invocations with `handler`
/// until the runtime stops.
pub async fn run<A, F, R>(handler: F) -> Result<(), Error>
where
    F: Service<LambdaEvent<A>, Response = R>,
    F::Future: Future<Output = Result<R, F::Error>>,
    F::Error: Into<Diagnostic> + fmt::Debug,
    A: DeserializeOwned,
    R: Serialize,
{
    lambda_runtime::tracing::init_default_subscriber();
    lambda_runtime::run::<A, F, R, R, lambda_runtime_api_client::body::Body, _, _>(handler)
        .await
        .map_err(Error::Runtime)
}
