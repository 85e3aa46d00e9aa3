//! Typed DynamoDB items, table operations and AWS Lambda handlers generated
//! from one annotated struct.
//!
//! ```no_run
//! use dynamo_lambda::dynamo_lambda;
//!
//! #[dynamo_lambda(table = "Users", partition_key = "id")]
//! #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
//! pub struct User {
//!     pub id: String,
//!     pub name: String,
//!     pub email: Option<String>,
//! }
//!
//! #[tokio::main]
//! async fn main() -> Result<(), dynamo_lambda::Error> {
//!     dynamo_lambda::run(User::handler()).await
//! }
//! ```
//!
//! See the README for the attribute reference, the type mapping and the
//! handler's JSON contract.
#![warn(missing_docs)]

mod admin;
mod ambiguous;
mod batch;
pub mod binary;
mod client;
mod condition;
mod convert;
mod definition;
mod error;
mod expression;
mod field;
pub mod handler;
#[cfg(feature = "http")]
pub mod http;
mod item;
mod query;
mod size;
#[cfg(feature = "streams")]
pub mod stream;
mod table;
mod transaction;
mod update;
mod versioned;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

use std::fmt;
use std::future::Future;

use serde::Serialize;
use serde::de::DeserializeOwned;

pub use admin::{create_table, create_table_named, delete_table};
pub use aws_config;
pub use aws_sdk_dynamodb;
pub use aws_sdk_dynamodb::primitives::Blob;
pub use aws_sdk_dynamodb::types::AttributeValue;
pub use batch::{BatchGet, BatchGetError, BatchWriteError};
pub use client::{
    LAMBDA_TIMEOUTS, Timeouts, client, client_from, config_loader, new_client, set_config,
};
pub use condition::Condition;
pub use convert::{FromAttributeValue, IntoAttributeValue, SetElement};
pub use definition::{
    Billing, Capacity, IndexDefinition, KeyDefinition, KeyType, Projection, StreamView,
    TableDefinition,
};
pub use dynamo_lambda_macros::{Attribute, dynamo_lambda};
pub use error::{AttributeError, AttributeErrorKind, Error, ErrorKind};
pub use expression::Placeholders;
pub use field::{Attr, KeyField, Optional, Required, Updatable, VersionField};
pub use handler::{DirectService, Handler, Payload, Request, Response};
pub use item::{Attributes, Item, Key, KeyValue, Table};
pub use lambda_runtime::Diagnostic;
pub use lambda_runtime::{Context, LambdaEvent, Service};
pub use query::{
    ConsistentRead, Cursor, DEFAULT_SCAN_CONCURRENCY, GetProjected, IndexKey, NoSortKey, Page,
    ParallelScan, Prefix, Projected, Query, Scan, SortKey,
};
pub use size::{MAX_ITEM_SIZE, item_size};
pub use table::{Get, TableClient};
pub use transaction::{
    ActionKind, CancellationKind, CancellationReason, Slot, TransactGet, TransactGetOutput,
    Transaction,
};
pub use update::{Addable, ReturnNew, ReturnOld, Returning, SetType, Update};
pub use versioned::Versioned;

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
