//! The `update` request's fields applied to a typed [`Update`].

use serde_json::Value;

use crate::model::error::Error;
use crate::model::item::Table;
use crate::ops::update::Update;

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
