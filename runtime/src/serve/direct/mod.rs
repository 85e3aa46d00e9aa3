//! The generated Lambda handler: a JSON request naming an operation, the
//! operation on the table, a JSON response.
//!
#![doc = include_str!("../../../docs/direct.md")]

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
