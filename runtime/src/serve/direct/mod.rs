//! The generated Lambda handler: a JSON request naming an operation, the
//! operation on the table, a JSON response.
//!
//! ```json
//! {"op": "get", "key": {"id": "u1"}, "consistent_read": true}
//! {"op": "put", "item": {"id": "u1", "name": "Ada"}}
//! {"op": "create", "item": {"id": "u1", "name": "Ada"}}
//! {"op": "delete", "key": {"id": "u1"}}
//! {"op": "update", "key": {"id": "u1"}, "set": {"name": "Ada L."}, "remove": ["email"],
//!  "add": {"age": 1}, "expected_version": 3}
//! ```
//!
//! Keys and items are the struct's serde JSON: field names as serde writes
//! them (`rename`, `rename_all`, raw identifiers without `r#`). Responses
//! are `{"op": "get", "found": true, "item": {...}}` (`"found": false` and
//! `"item": null` for a missing item), `{"op": "put"}`, `{"op": "create"}`,
//! `{"op": "delete", "found": ..., "item": <old item or null>}`,
//! `{"op": "update", "item": <the item after the update>}`.
//!
//! In a test, call the handler as the runtime does, with an event and a
//! context; both are re-exported from `lambda_runtime`:
//!
//! ```no_run
//! use dynamo_lambda::{Context, Handler, LambdaEvent, Service, TableClient, dynamo_lambda};
//! use serde_json::json;
//!
//! #[dynamo_lambda(table = "Users", partition_key = "id")]
//! #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
//! pub struct User {
//!     pub id: String,
//!     pub name: String,
//! }
//!
//! # async fn example(client: dynamo_lambda::aws_sdk_dynamodb::Client) -> Result<(), dynamo_lambda::Error> {
//! // `User::handler()` on the shared client, or a handler on a test's own table:
//! let mut handler = Handler::new(TableClient::<User>::new(client, "users-test")).into_service();
//! let event = LambdaEvent::new(json!({"op": "get", "key": {"id": "u1"}}).into(), Context::default());
//! let response = handler.call(event).await?;
//! assert_eq!(serde_json::to_value(response).unwrap()["found"], false);
//! // Or without the service interface, with the event's JSON:
//! let response = Handler::new(TableClient::<User>::shared())
//!     .handle(json!({"op": "get", "key": {"id": "u1"}}))
//!     .await?;
//! # let _ = response;
//! # Ok(())
//! # }
//! ```
//!
//! An event that is not JSON (an empty body, `NaN`, `1e999`) or nests
//! arrays and objects [`MAX_DEPTH`] deep or deeper is refused with
//! [`Error::Validation`], whether it comes through the Lambda runtime (as a
//! [`Payload`]) or is handed to [`Handler::handle`] as a `Value`.

mod query;
mod request;
mod service;
mod update;

pub use self::query::{
    JsonQuery, QueryFuture, QueryPage, QueryRequest, QueryValue, SortKeyRequest, run_query,
    run_query_without_sort_key,
};
pub use self::request::{MAX_DEPTH, Payload, Request};
pub use self::service::{DirectService, Handler, Response};
pub use self::update::JsonUpdate;
