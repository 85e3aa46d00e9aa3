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

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use aws_sdk_dynamodb::types::AttributeValue;
use lambda_runtime::{LambdaEvent, Service};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use crate::model::definition::KeyType;
use crate::model::error::Error;
use crate::model::item::{Item, KeyValue, Table};
use crate::ops::query::{IndexKey, Query, SortKey};
use crate::ops::table::TableClient;
use crate::ops::update::Update;
use crate::value::convert::IntoAttributeValue;

/// One operation requested of the handler.
#[derive(Debug)]
#[non_exhaustive]
pub enum Request<T: Table> {
    /// Read one item.
    Get {
        /// Its key.
        key: T::Key,
        /// Whether to read with strong consistency.
        consistent_read: bool,
    },
    /// Write one item, replacing any with the same key.
    Put {
        /// The item.
        item: T,
    },
    /// Write one item that must not exist yet.
    Create {
        /// The item.
        item: T,
    },
    /// Delete one item.
    Delete {
        /// Its key.
        key: T::Key,
    },
    /// Read a page of a query of the table or of an index.
    Query(QueryRequest),
    /// Read many items by key.
    BatchGet {
        /// Their keys.
        keys: Vec<T::Key>,
    },
    /// Change some attributes of one item.
    Update {
        /// Its key.
        key: T::Key,
        /// Fields to set, by serde name; `null` removes an `Option` field.
        set: Map<String, Value>,
        /// `Option` fields to remove.
        remove: Vec<String>,
        /// Number fields to add to, set fields to add elements to.
        add: Map<String, Value>,
        /// The version read, for a versioned struct.
        expected_version: Option<u64>,
    },
}

/// The handler's `query` request.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueryRequest {
    /// The index to query, by its schema name; none for the table.
    #[serde(default)]
    pub index: Option<String>,
    /// The partition key value (of the index, when one is named).
    pub partition: Value,
    /// A condition on the sort key.
    #[serde(default)]
    pub sort_key: Option<SortKeyRequest>,
    /// Highest sort key first.
    #[serde(default)]
    pub descending: bool,
    /// The most items to read.
    #[serde(default)]
    pub limit: Option<u32>,
    /// The `cursor` of the previous page.
    #[serde(default)]
    pub cursor: Option<String>,
    /// A strongly consistent read (not on a global index).
    #[serde(default)]
    pub consistent_read: bool,
    /// Whether `partition` and the sort-key values are strings to parse
    /// into the key types (the HTTP handler's path and query string).
    #[serde(skip)]
    pub(crate) text: bool,
}

/// A sort-key condition of a `query` request: `{"begins_with": "2026-"}`,
/// `{"between": [low, high]}`, `{"ge": 3}`, …
#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[allow(missing_docs)]
pub enum SortKeyRequest {
    Eq(Value),
    Lt(Value),
    Le(Value),
    Gt(Value),
    Ge(Value),
    Between(Value, Value),
    BeginsWith(Value),
}

/// Runs the handler's `query` request; generated for structs that derive
/// serde's traits, with one arm per index.
pub trait JsonQuery: Table {
    /// Queries the table or the index the request names.
    fn json_query(
        table: &TableClient<Self>,
        request: QueryRequest,
    ) -> Pin<Box<dyn Future<Output = Result<Value, Error>> + Send + '_>>;

    /// The key whose parts are written as text, as in a URL path: strings
    /// as they are, numbers in decimal, binary in base64url. The error names
    /// the key field.
    fn key_from_text(partition: &str, sort: Option<&str>) -> Result<Self::Key, Error>;

    /// The text of the key's partition and sort values, as
    /// [`key_from_text`](Self::key_from_text) reads them.
    fn key_to_text(key: &Self::Key) -> Result<(String, Option<String>), Error>;
}

/// base64url, padding optional on input: binary key values in URL paths.
const BASE64_URL: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    base64::engine::GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
);

/// One key value of [`JsonQuery::key_from_text`].
#[doc(hidden)]
pub fn key_from_text<V: KeyValue>(field: &str, text: &str) -> Result<V, Error> {
    let value = match V::KEY_TYPE {
        KeyType::S => AttributeValue::S(text.to_owned()),
        KeyType::N if is_integer(text) => AttributeValue::N(text.to_owned()),
        KeyType::N => {
            return Err(Error::validation(
                field,
                format!("expected an integer, found `{text}`"),
            ));
        }
        KeyType::B => match base64::Engine::decode(&BASE64_URL, text) {
            Ok(bytes) => AttributeValue::B(aws_sdk_dynamodb::primitives::Blob::new(bytes)),
            Err(e) => return Err(Error::validation(field, format!("invalid base64url: {e}"))),
        },
    };
    let value = V::from_attribute_value(value)
        .map_err(|e| Error::validation(field, e.kind().to_string()))?;
    if value.is_empty_key() {
        return Err(Error::validation(field, "key value must not be empty"));
    }
    Ok(value)
}

fn is_integer(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// The sort value of [`JsonQuery::key_from_text`] on a table with a sort key.
#[doc(hidden)]
pub fn sort_key_text<'a>(field: &str, sort: Option<&'a str>) -> Result<&'a str, Error> {
    sort.ok_or_else(|| Error::validation(field, "missing sort key value"))
}

/// Refuses a sort value for a table without a sort key.
#[doc(hidden)]
pub fn no_sort_key_text(sort: Option<&str>) -> Result<(), Error> {
    match sort {
        Some(_) => Err(Error::Validation {
            attribute: None,
            message: "this table has no sort key".to_owned(),
        }),
        None => Ok(()),
    }
}

/// One key value of [`JsonQuery::key_to_text`].
#[doc(hidden)]
pub fn key_to_text<V: KeyValue>(field: &'static str, value: &V) -> Result<String, Error> {
    match value.to_attribute_value() {
        Ok(Some(AttributeValue::S(text) | AttributeValue::N(text))) => Ok(text),
        Ok(Some(AttributeValue::B(blob))) => Ok(base64::Engine::encode(&BASE64_URL, blob.as_ref())),
        Ok(_) => Err(Error::validation(field, "not a key value")),
        Err(e) => Err(Error::encode(e.in_field(field))),
    }
}

/// A `query` request on the table or index whose key is `K`.
pub async fn run_query<K>(
    table: &TableClient<K::Table>,
    mut request: QueryRequest,
) -> Result<Value, Error>
where
    K: IndexKey,
    K::Partition: DeserializeOwned + IntoAttributeValue,
    K::Sort: DeserializeOwned + IntoAttributeValue,
    K::Item: Serialize + Item + Send + 'static,
{
    let text = request.text;
    let json = |name: &str, value: Value| -> Result<K::Sort, Error> {
        request_value(text, "sort_key", name, value)
    };
    let condition = match request.sort_key.take() {
        None => None,
        Some(SortKeyRequest::Eq(v)) => Some(SortKey::eq(json("eq", v)?)),
        Some(SortKeyRequest::Lt(v)) => Some(SortKey::lt(json("lt", v)?)),
        Some(SortKeyRequest::Le(v)) => Some(SortKey::le(json("le", v)?)),
        Some(SortKeyRequest::Gt(v)) => Some(SortKey::gt(json("gt", v)?)),
        Some(SortKeyRequest::Ge(v)) => Some(SortKey::ge(json("ge", v)?)),
        Some(SortKeyRequest::Between(low, high)) => {
            // Over HTTP a range is `ge` and `le`.
            let (low_name, high_name) = if text {
                ("ge", "le")
            } else {
                ("between", "between")
            };
            Some(SortKey::between(
                json(low_name, low)?,
                json(high_name, high)?,
            ))
        }
        Some(SortKeyRequest::BeginsWith(v)) => {
            Some(SortKey::begins_with_checked(json("begins_with", v)?)?)
        }
    };
    run::<K>(table, request, |query| match condition {
        Some(condition) => query.sort_key(condition),
        None => query,
    })
    .await
}

/// A `query` request on a table or index without a sort key.
pub async fn run_query_without_sort_key<K>(
    table: &TableClient<K::Table>,
    request: QueryRequest,
) -> Result<Value, Error>
where
    K: IndexKey,
    K::Partition: DeserializeOwned + IntoAttributeValue,
    K::Item: Serialize + Item + Send + 'static,
{
    if request.sort_key.is_some() {
        return Err(Error::validation(
            "sort_key",
            "this table or index has no sort key",
        ));
    }
    run::<K>(table, request, |query| query).await
}

async fn run<K>(
    table: &TableClient<K::Table>,
    request: QueryRequest,
    with_sort_key: impl FnOnce(Query<K>) -> Query<K>,
) -> Result<Value, Error>
where
    K: IndexKey,
    K::Partition: DeserializeOwned + IntoAttributeValue,
    K::Item: Serialize + Item + Send + 'static,
{
    let partition: K::Partition =
        request_value(request.text, "query", "partition", request.partition)?;
    let mut query = with_sort_key(table.query_index::<K>(&partition));
    if request.descending {
        query = query.descending();
    }
    if let Some(limit) = request.limit {
        query = query.limit(limit);
    }
    if let Some(cursor) = &request.cursor {
        query = query.after_token(cursor);
    }
    if request.consistent_read {
        query = query.consistent_read_checked()?;
    }
    let page = query.await?;
    let cursor = page.next_token();
    Ok(serde_json::json!({
        "op": "query",
        "items": page.items,
        "cursor": cursor,
    }))
}

/// A key value of a `query` request: JSON, or text when the request came
/// over HTTP (the error then names the query parameter, e.g. `ge`).
fn request_value<V: DeserializeOwned>(
    text: bool,
    section: &str,
    name: &str,
    value: Value,
) -> Result<V, Error> {
    match value {
        #[cfg(feature = "http")]
        Value::String(value) if text => crate::serve::http::text::parse(name, &value),
        value => {
            let _ = text;
            crate::__private::json_value(section, name, value)
        }
    }
}

/// Applies the fields of a handler's `update` request; generated for
/// structs that derive serde's traits.
pub trait JsonUpdate: Table {
    /// `set: {field: value}`
    fn json_set(update: Update<Self>, field: &str, value: Value) -> Result<Update<Self>, Error>;
    /// `remove: [field]`
    fn json_remove(update: Update<Self>, field: &str) -> Result<Update<Self>, Error>;
    /// `add: {field: value}`
    fn json_add(update: Update<Self>, field: &str, value: Value) -> Result<Update<Self>, Error>;
}

const OPS: &str = "`get`, `put`, `create`, `delete`, `update`, `query`, `batch_get`";

impl<T> Request<T>
where
    T: Table + DeserializeOwned,
    T::Key: DeserializeOwned,
{
    /// Reads a request from an event's JSON; the error names the field at
    /// fault. JSON nested [`MAX_DEPTH`] deep or deeper is refused before it
    /// is read.
    pub fn from_json(value: Value) -> Result<Self, Error> {
        if too_deep(&value) {
            drop_flat(value);
            return Err(Error::Validation {
                attribute: None,
                message: format!(
                    "the event nests arrays and objects {MAX_DEPTH} deep or deeper, \
                     more than the Lambda runtime's event parser reads"
                ),
            });
        }
        let mut fields = match value {
            Value::Object(fields) => fields,
            other => {
                return Err(Error::Validation {
                    attribute: None,
                    message: format!(
                        "expected a JSON object with an `op` field, found {}",
                        json_type(&other)
                    ),
                });
            }
        };
        let op = match fields.remove("op") {
            Some(Value::String(op)) => op,
            Some(other) => {
                return Err(Error::validation(
                    "op",
                    format!(
                        "expected a string, one of {OPS}, found {}",
                        json_type(&other)
                    ),
                ));
            }
            None => {
                return Err(Error::validation(
                    "op",
                    format!("missing field; expected one of {OPS}"),
                ));
            }
        };
        match op.as_str() {
            "get" => {
                only_fields(&fields, &op, &["key", "consistent_read"])?;
                let consistent_read = match fields.remove("consistent_read") {
                    None | Some(Value::Null) => false,
                    Some(Value::Bool(b)) => b,
                    Some(other) => {
                        return Err(Error::validation(
                            "consistent_read",
                            format!("expected a boolean, found {}", json_type(&other)),
                        ));
                    }
                };
                Ok(Request::Get {
                    key: field(&mut fields, "key")?,
                    consistent_read,
                })
            }
            "put" => {
                only_fields(&fields, &op, &["item"])?;
                Ok(Request::Put {
                    item: field(&mut fields, "item")?,
                })
            }
            "create" => {
                only_fields(&fields, &op, &["item"])?;
                Ok(Request::Create {
                    item: field(&mut fields, "item")?,
                })
            }
            "delete" => {
                only_fields(&fields, &op, &["key"])?;
                Ok(Request::Delete {
                    key: field(&mut fields, "key")?,
                })
            }
            "query" => {
                let body = Value::Object(fields);
                serde_path_to_error::deserialize(body)
                    .map(Request::Query)
                    .map_err(|e| {
                        let path = e.path().to_string();
                        let message = e.into_inner().to_string();
                        if path == "." {
                            Error::Validation {
                                attribute: None,
                                message,
                            }
                        } else {
                            Error::validation(path, message)
                        }
                    })
            }
            "batch_get" => {
                only_fields(&fields, &op, &["keys"])?;
                Ok(Request::BatchGet {
                    keys: field(&mut fields, "keys")?,
                })
            }
            "update" => {
                only_fields(
                    &fields,
                    &op,
                    &["key", "set", "remove", "add", "expected_version"],
                )?;
                Ok(Request::Update {
                    key: field(&mut fields, "key")?,
                    set: optional_field(&mut fields, "set")?.unwrap_or_default(),
                    remove: optional_field(&mut fields, "remove")?.unwrap_or_default(),
                    add: optional_field(&mut fields, "add")?.unwrap_or_default(),
                    expected_version: optional_field(&mut fields, "expected_version")?,
                })
            }
            other => Err(Error::validation(
                "op",
                format!("unknown operation `{other}`; expected one of {OPS}"),
            )),
        }
    }
}

/// How deep arrays and objects may nest in an event, exclusive: the limit
/// of `serde_json`'s parser, which the Lambda runtime reads events with.
/// Deeper JSON built in process (a `Value` handed to [`Handler::handle`])
/// is refused too, before anything recurses into it.
pub const MAX_DEPTH: usize = 128;

/// Whether arrays and objects nest `MAX_DEPTH` deep or deeper; without recursion.
fn too_deep(value: &Value) -> bool {
    let mut stack = vec![(value, 0usize)];
    while let Some((value, depth)) = stack.pop() {
        let inner = depth + 1;
        match value {
            Value::Array(_) | Value::Object(_) if inner >= MAX_DEPTH => return true,
            Value::Array(items) => stack.extend(items.iter().map(|v| (v, inner))),
            Value::Object(fields) => stack.extend(fields.values().map(|v| (v, inner))),
            _ => {}
        }
    }
    false
}

/// Drops a value without recursion: `Value`'s own drop recurses once per level.
fn drop_flat(value: Value) {
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        match value {
            Value::Array(items) => stack.extend(items),
            Value::Object(fields) => stack.extend(fields.into_iter().map(|(_, v)| v)),
            _ => {}
        }
    }
}

/// A direct invocation's event as the Lambda runtime read it: JSON, or why
/// it is not JSON. Reading one never fails, so an event that is not JSON
/// reaches the handler, which answers [`Error::Validation`] — not the
/// runtime's own `DeserializeError`, which no `ErrorEquals: ["Validation"]`
/// rule matches.
///
/// ```
/// let payload = dynamo_lambda::Payload::from(serde_json::json!({"op": "get"}));
/// assert!(payload.into_json().is_ok());
/// // As the runtime reads an event's body:
/// let mut body = serde_json::Deserializer::from_str("NaN");
/// let payload = <dynamo_lambda::Payload as serde::Deserialize>::deserialize(&mut body).unwrap();
/// assert_eq!(payload.into_json().unwrap_err().kind(), dynamo_lambda::ErrorKind::Validation);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Payload(Result<Value, String>);

impl Payload {
    /// The event's JSON, or a validation error saying why it is not JSON.
    pub fn into_json(self) -> Result<Value, Error> {
        self.0.map_err(|reason| Error::Validation {
            attribute: None,
            message: format!("the event is not JSON: {reason}"),
        })
    }
}

impl From<Value> for Payload {
    fn from(value: Value) -> Self {
        Payload(Ok(value))
    }
}

impl<'de> Deserialize<'de> for Payload {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Payload(
            Value::deserialize(deserializer).map_err(|e| e.to_string()),
        ))
    }
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn only_fields(fields: &Map<String, Value>, op: &str, allowed: &[&str]) -> Result<(), Error> {
    match fields.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(unknown) => Err(Error::validation(
            unknown.clone(),
            format!(
                "unknown field for operation `{op}`; expected {}",
                allowed
                    .iter()
                    .map(|f| format!("`{f}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
        None => Ok(()),
    }
}

/// Deserializes one field, naming the path inside it on error (`item.age`).
fn field<V: DeserializeOwned>(fields: &mut Map<String, Value>, name: &str) -> Result<V, Error> {
    let value = fields
        .remove(name)
        .ok_or_else(|| Error::validation(name, "missing field"))?;
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let attribute = match path.as_str() {
            "." => name.to_owned(),
            index if index.starts_with('[') => format!("{name}{path}"),
            _ => format!("{name}.{path}"),
        };
        Error::validation(attribute, e.into_inner().to_string())
    })
}

fn optional_field<V: DeserializeOwned>(
    fields: &mut Map<String, Value>,
    name: &str,
) -> Result<Option<V>, Error> {
    match fields.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(_) => field(fields, name).map(Some),
    }
}

/// What the handler answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Response<T> {
    /// The item read, if there was one.
    Get {
        /// Whether the item exists.
        found: bool,
        /// The item, or `null`.
        item: Option<T>,
    },
    /// The item was written.
    Put {},
    /// The item was created.
    Create {},
    /// The item deleted, if there was one.
    Delete {
        /// Whether an item was deleted.
        found: bool,
        /// The deleted item, or `null`.
        item: Option<T>,
    },
    /// The item after the update.
    Update {
        /// The updated item.
        item: T,
    },
    /// The items found, in no particular order.
    BatchGet {
        /// The items; keys without an item are left out.
        items: Vec<T>,
    },
    /// A page of a query: `{"op": "query", "items": [...], "cursor": "..." | null}`.
    #[serde(untagged)]
    Query(Value),
}

impl<T> Response<T> {
    fn found(op: fn(bool, Option<T>) -> Self, item: Option<T>) -> Self {
        op(item.is_some(), item)
    }
}

/// A `lambda_runtime` service serving one table; see the module docs for
/// the JSON contract. Errors become a Lambda error whose `errorType` is the
/// [`ErrorKind`](crate::ErrorKind).
pub struct Handler<T> {
    table: TableClient<T>,
}

impl<T> Clone for Handler<T> {
    fn clone(&self) -> Self {
        Handler {
            table: self.table.clone(),
        }
    }
}

impl<T> fmt::Debug for Handler<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handler")
            .field("table", &self.table)
            .finish()
    }
}

impl<T> Handler<T>
where
    T: JsonUpdate + JsonQuery + Serialize + DeserializeOwned + Send + Sync + 'static,
    T::Key: Clone,
    T::Key: DeserializeOwned,
{
    /// A handler serving `table`.
    pub fn new(table: TableClient<T>) -> Self {
        Handler { table }
    }

    /// The table this handler serves.
    pub fn table(&self) -> &TableClient<T> {
        &self.table
    }

    /// Handles one event's payload; JSON nested [`MAX_DEPTH`] deep or
    /// deeper is refused with [`Error::Validation`].
    pub async fn handle(&self, payload: Value) -> Result<Response<T>, Error> {
        // A future is as large as the largest one it awaits in place, and
        // runtimes move it at least once. Reads, the common case, are awaited
        // in place; every other operation is boxed, so that their larger
        // futures (batches, updates) do not make every read's future larger.
        match Request::<T>::from_json(payload)? {
            Request::Get {
                key,
                consistent_read,
            } => self.get(&key, consistent_read).await,
            request => Box::pin(self.run(request)).await,
        }
    }

    async fn get(&self, key: &T::Key, consistent_read: bool) -> Result<Response<T>, Error> {
        // `table.get(..).await` would box the request future: a copy of
        // several kilobytes per call.
        let item = self.table.get_item(key, consistent_read).await?;
        Ok(Response::found(
            |found, item| Response::Get { found, item },
            item,
        ))
    }

    async fn run(&self, request: Request<T>) -> Result<Response<T>, Error> {
        let table = &self.table;
        match request {
            Request::Get {
                key,
                consistent_read,
            } => self.get(&key, consistent_read).await,
            Request::Put { item } => table.put(&item).await.map(|()| Response::Put {}),
            Request::Create { item } => table.create(&item).await.map(|()| Response::Create {}),
            Request::Delete { key } => Ok(Response::found(
                |found, item| Response::Delete { found, item },
                table.delete(&key).await?,
            )),
            Request::Query(request) => Ok(Response::Query(T::json_query(table, request).await?)),
            Request::BatchGet { keys } => Ok(Response::BatchGet {
                items: table.batch_get(&keys).await?,
            }),
            Request::Update {
                key,
                set,
                remove,
                add,
                expected_version,
            } => {
                let mut update = table.update(key);
                for (name, value) in set {
                    update = T::json_set(update, &name, value)?;
                }
                for name in remove {
                    update = T::json_remove(update, &name)?;
                }
                for (name, value) in add {
                    update = T::json_add(update, &name, value)?;
                }
                if let Some(version) = expected_version {
                    update = update.checked_expected_version(version)?;
                }
                Ok(Response::Update {
                    item: update.await?,
                })
            }
        }
    }
}

/// A direct-invoke Lambda service answering with `Response<T>`: what
/// `User::handler()` returns, ready for [`run`](crate::run). Its events are
/// [`Payload`]s: `LambdaEvent::new(json!({…}).into(), Context::default())`.
pub trait DirectService<T>:
    Service<LambdaEvent<Payload>, Response = Response<T>, Error = Error, Future: Send>
    + Clone
    + Send
    + 'static
{
}

impl<T, S> DirectService<T> for S where
    S: Service<LambdaEvent<Payload>, Response = Response<T>, Error = Error, Future: Send>
        + Clone
        + Send
        + 'static
{
}

impl<T> Handler<T>
where
    T: JsonUpdate + JsonQuery + Serialize + DeserializeOwned + Send + Sync + 'static,
    T::Key: Clone,
    T::Key: DeserializeOwned,
{
    /// This handler as a service whose future is not boxed, so the runtime
    /// awaits it in place: a boxed request future (several kilobytes, as it
    /// embeds the SDK's) costs a copy per invocation. `Handler` itself is a
    /// service too, with a boxed future of a nameable type.
    pub fn into_service(self) -> impl DirectService<T> {
        lambda_runtime::service_fn(move |event: LambdaEvent<Payload>| {
            let handler = self.clone();
            async move { handler.handle(event.payload.into_json()?).await }
        })
    }
}

impl<T> Service<LambdaEvent<Payload>> for Handler<T>
where
    T: JsonUpdate + JsonQuery + Serialize + DeserializeOwned + Send + Sync + 'static,
    T::Key: Clone,
    T::Key: DeserializeOwned,
{
    type Response = Response<T>;
    type Error = Error;
    type Future = Pin<Box<dyn Future<Output = Result<Response<T>, Error>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, event: LambdaEvent<Payload>) -> Self::Future {
        let handler = self.clone();
        Box::pin(async move { handler.handle(event.payload.into_json()?).await })
    }
}
