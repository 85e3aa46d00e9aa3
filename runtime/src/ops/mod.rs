//! The operations layer: every DynamoDB request a [`TableClient`] sends.
//! Each `impl TableClient` block lives here, one module per operation
//! family; a new DynamoDB operation goes into a module of its own beside
//! them. SDK error mapping and key plumbing they share is in `sdk`.
//!
//! [`TableClient`]: table::TableClient

pub(crate) mod admin;
pub(crate) mod ambiguous;
pub(crate) mod batch;
pub(crate) mod client;
pub(crate) mod condition;
pub(crate) mod expression;
pub(crate) mod query;
pub(crate) mod sdk;
pub(crate) mod table;
pub(crate) mod transaction;
pub(crate) mod update;
