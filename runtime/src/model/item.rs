//! The traits generated code implements: [`Item`], [`Key`], [`Table`], and
//! the table definition they carry.

use std::collections::HashMap;
use std::fmt;

use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;

use crate::model::definition::{KeyType, TableDefinition};
use crate::model::error::AttributeError;
use crate::value::convert::{FromAttributeValue, IntoAttributeValue};

/// A DynamoDB item: attribute names to values.
pub type Attributes = HashMap<String, AttributeValue>;

/// A struct stored as a DynamoDB item (or as a nested `M` attribute).
pub trait Item: Sized {
    /// Encodes the item, copying its values.
    fn to_item(&self) -> Result<Attributes, AttributeError>;
    /// Encodes the item, moving its strings and buffers; by default (the
    /// generated key structs and index views) the same as [`Item::to_item`].
    fn into_item(self) -> Result<Attributes, AttributeError> {
        self.to_item()
    }
    /// Decodes an item; the error names the attribute path at fault.
    fn from_item(item: Attributes) -> Result<Self, AttributeError>;
}

/// The primary key of a table's items.
pub trait Key: fmt::Debug + Send + Sync + Sized {
    /// The key attributes; empty strings and binaries are refused.
    fn to_key(&self) -> Result<Attributes, AttributeError>;
    /// Decodes the key attributes, e.g. a stream record's `Keys`; other
    /// attributes are ignored, the error names the attribute at fault.
    fn from_key(key: Attributes) -> Result<Self, AttributeError>;
}

/// A struct that is the item type of a table.
pub trait Table: Item {
    /// The typed primary key.
    type Key: Key;
    /// The table's name, key schema and the variable that renames it.
    const DEFINITION: TableDefinition;
    /// The primary key of this item.
    fn key(&self) -> Self::Key;
    /// The table name in use: the environment variable
    /// [`TableDefinition::name_env`] if set (read once per process), else
    /// [`TableDefinition::name`].
    fn table_name() -> &'static str;

    /// The `#[dynamo(version)]` attribute, for optimistic locking.
    const VERSION_ATTRIBUTE: Option<&'static str> = None;

    /// The version this item was read at (0 for an item never written).
    fn version(&self) -> u64 {
        0
    }

    /// Sets the version after a successful versioned write.
    fn set_version(&mut self, version: u64) {
        let _ = version;
    }

    /// When DynamoDB may delete the item (its time-to-live attribute), in
    /// epoch seconds.
    fn expires_at(&self) -> Option<i64> {
        None
    }
}

/// A field type that can be a key attribute: strings, integers and [`Blob`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a key attribute",
    label = "a key must be a `String`, an integer or a `Blob`"
)]
pub trait KeyValue: IntoAttributeValue + FromAttributeValue {
    /// The key attribute's scalar type.
    const KEY_TYPE: KeyType;

    /// Whether the value is one DynamoDB refuses as a key: an empty string or binary.
    fn is_empty_key(&self) -> bool;
}

impl KeyValue for String {
    const KEY_TYPE: KeyType = KeyType::S;

    fn is_empty_key(&self) -> bool {
        self.is_empty()
    }
}

impl KeyValue for Blob {
    const KEY_TYPE: KeyType = KeyType::B;

    fn is_empty_key(&self) -> bool {
        self.as_ref().is_empty()
    }
}

macro_rules! integer_key {
    ($($ty:ty),* $(,)?) => {$(
        impl KeyValue for $ty {
            const KEY_TYPE: KeyType = KeyType::N;

            fn is_empty_key(&self) -> bool {
                false
            }
        }
    )*};
}

integer_key!(
    i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize
);
