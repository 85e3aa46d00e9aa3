#![doc = include_str!("../docs/crate.md")]
#![cfg_attr(feature = "http", doc = include_str!("../docs/crate-http.md"))]
#![cfg_attr(feature = "streams", doc = include_str!("../docs/crate-streams.md"))]
#![doc = include_str!("../docs/layers.md")]
#![warn(missing_docs)]

mod model;
mod ops;
mod serve;
mod value;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use aws_config;
pub use aws_sdk_dynamodb;
pub use aws_sdk_dynamodb::primitives::Blob;
pub use aws_sdk_dynamodb::types::AttributeValue;
#[doc = include_str!("../docs/derive.md")]
pub use dynamo_lambda_macros::Attribute;
#[doc = include_str!("../docs/collections.md")]
pub use dynamo_lambda_macros::collection;
#[doc = include_str!("../docs/attributes.md")]
pub use dynamo_lambda_macros::dynamo_lambda;
#[doc = include_str!("../docs/single-table.md")]
pub use dynamo_lambda_macros::single_table;
pub use lambda_runtime::Diagnostic;
pub use lambda_runtime::{Context, LambdaEvent, Service};

pub use model::cancellation::{ActionKind, CancellationKind, CancellationReason};
pub use model::definition::{
    Billing, Capacity, IndexDefinition, KeyDefinition, KeyType, Projection, StreamView,
    TableDefinition,
};
pub use model::entity::{Entity, IndexTemplates, SharedIndex, SharedTable};
pub use model::error::{AttributeError, AttributeErrorKind, Error, ErrorKind};
pub use model::field::{Attr, KeyField, Optional, Required, Updatable, VersionField};
pub use model::item::{Attributes, Item, Key, KeyValue, Table};
pub use model::versioned::Versioned;
pub use ops::admin::{create_table, create_table_named, delete_table};
pub use ops::batch::{BatchGet, BatchGetError, BatchWriteError};
pub use ops::client::{
    LAMBDA_TIMEOUTS, Timeouts, client, client_from, config_loader, new_client, set_config,
};
pub use ops::condition::Condition;
pub use ops::expression::Placeholders;
pub use ops::query::{
    Collection, CollectionKey, ConsistentRead, Cursor, DEFAULT_SCAN_CONCURRENCY, GetProjected,
    IndexKey, Member, NoSortKey, Page, ParallelScan, Prefix, Projected, Query, Scan, SortKey,
    TableCollection,
};
pub use ops::table::{Get, TableClient};
pub use ops::transaction::{Slot, TransactGet, TransactGetOutput, Transaction};
pub use ops::update::{Addable, ReturnNew, ReturnOld, Returning, SetType, Update};
pub use serve::direct as handler;
#[doc(no_inline)]
pub use serve::direct::{DirectService, Handler, Payload, Request, Response};
#[cfg(feature = "http")]
pub use serve::http;
pub use serve::run;
#[cfg(feature = "streams")]
pub use serve::stream;
pub use value::binary;
pub use value::composite;
pub use value::convert::{FromAttributeValue, IntoAttributeValue, SetElement};
pub use value::size::{MAX_ITEM_SIZE, item_size};
