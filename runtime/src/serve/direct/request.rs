//! Reading a direct invocation's event: [`Payload`] as the runtime reads
//! it, then [`Request`], one operation with its typed key or item; every
//! error names the field at fault.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use super::query::QueryRequest;
use crate::model::error::Error;
use crate::model::item::Table;

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
/// Deeper JSON built in process (a `Value` handed to [`Handler::handle`](super::Handler::handle))
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
