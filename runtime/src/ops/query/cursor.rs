//! Pages and their typed cursors, and the opaque token a cursor travels as.
//!
//! A token is the URL-safe base64 (no padding) of a small JSON document
//! naming the table, the index and the key:
//! `{"table":"Orders","index":"by_status","key":{"status":{"S":"PLACED"},…}}`.
//! It is not signed: decoding checks that it is a key of the right table and
//! index, and the query checks that it lies in the partition queried, so a
//! token can only move a reader within what the query already reads.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde::{Deserialize, Serialize};

use super::index::{IndexKey, IndexShape};
use crate::model::definition::KeyType;
use crate::model::error::Error;
use crate::model::item::{Attributes, Table};

/// One page of a query or scan: the items read, and where the next page
/// starts (`None` after the last page).
///
/// A page can be empty and still have a cursor: a filter may drop every item
/// DynamoDB read, and DynamoDB may end a page exactly at the last item.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Page<V, K> {
    /// The items, in the order DynamoDB returned them.
    pub items: Vec<V>,
    /// The key of the last item DynamoDB read, to resume after it.
    pub cursor: Option<Cursor<K>>,
}

impl<V, K: IndexKey> Page<V, K> {
    /// The cursor as an opaque string for a response; `None` after the last page.
    pub fn next_token(&self) -> Option<String> {
        self.cursor.as_ref().map(Cursor::to_token)
    }
}

/// Where a query or scan resumes: the typed key of the last item read
/// (`OrderKey` on the table, `OrderByStatusKey` on the index `by_status`).
///
/// It converts to and from an opaque URL-safe token ([`to_token`](Self::to_token),
/// [`from_token`](Self::from_token), `Display` and `FromStr`, and as a serde
/// string) for handler responses and requests.
#[derive(Clone, PartialEq)]
pub struct Cursor<K> {
    key: K,
    /// The key as sent in `ExclusiveStartKey`.
    attributes: Attributes,
}

impl<K: IndexKey> Cursor<K> {
    /// A cursor that resumes after the item with this key.
    pub fn new(key: K) -> Result<Self, Error> {
        let attributes = key
            .to_attributes()
            .map_err(|e| cursor_error(e.to_string()))?;
        let expected = Self::shape()?;
        check_attributes::<K>(&expected, &attributes)?;
        Ok(Cursor { key, attributes })
    }

    /// The typed key.
    pub fn key(&self) -> &K {
        &self.key
    }

    /// The typed key, by value.
    pub fn into_key(self) -> K {
        self.key
    }

    pub(crate) fn attributes(&self) -> &Attributes {
        &self.attributes
    }

    /// A cursor from the `LastEvaluatedKey` DynamoDB returned.
    pub(crate) fn from_last_evaluated(attributes: Attributes) -> Result<Self, Error> {
        let key = K::from_attributes(attributes.clone()).map_err(Error::Decode)?;
        Ok(Cursor { key, attributes })
    }

    fn shape() -> Result<Vec<crate::model::definition::KeyDefinition>, Error> {
        Ok(IndexShape::of::<K>()?.cursor_attributes::<K::Table>())
    }

    /// The opaque token of this cursor.
    pub fn to_token(&self) -> String {
        let key = self
            .attributes
            .iter()
            .filter_map(|(name, value)| Some((name.clone(), TokenValue::from_attribute(value)?)))
            .collect();
        let token = Token {
            table: <K::Table as Table>::DEFINITION.name.to_owned(),
            index: K::INDEX.map(str::to_owned),
            key,
        };
        let json = serde_json::to_vec(&token).expect("a token serializes");
        URL_SAFE_NO_PAD.encode(json)
    }

    /// Reads a token made by [`to_token`](Self::to_token). A token that is
    /// not one, or belongs to another table or index, or whose key does not
    /// have this index's key attributes and types, is [`Error::Validation`]
    /// naming `cursor`.
    pub fn from_token(token: &str) -> Result<Self, Error> {
        let bytes = URL_SAFE_NO_PAD
            .decode(token.trim_end_matches('='))
            .map_err(|_| cursor_error("not a cursor: it is not URL-safe base64"))?;
        let token: Token = serde_json::from_slice(&bytes)
            .map_err(|_| cursor_error("not a cursor: its content does not parse"))?;
        let definition = <K::Table as Table>::DEFINITION;
        if token.table != definition.name || token.index.as_deref() != K::INDEX {
            return Err(cursor_error(format!(
                "the cursor belongs to another table or index than {}",
                place::<K>()
            )));
        }
        let mut attributes = Attributes::with_capacity(token.key.len());
        for (name, value) in token.key {
            let value = value
                .into_attribute()
                .ok_or_else(|| cursor_error(format!("`{name}` is not valid binary")))?;
            attributes.insert(name, value);
        }
        let expected = Self::shape()?;
        check_attributes::<K>(&expected, &attributes)?;
        let key = K::from_attributes(attributes).map_err(|e| cursor_error(e.to_string()))?;
        // Re-encoded from the typed key: the request carries canonical values.
        Cursor::new(key)
    }
}

/// The key attributes are exactly the index's, each of its type and not empty.
fn check_attributes<K: IndexKey>(
    expected: &[crate::model::definition::KeyDefinition],
    attributes: &Attributes,
) -> Result<(), Error> {
    let names = || {
        expected
            .iter()
            .map(|k| format!("`{}`", k.attribute))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if attributes.len() != expected.len() {
        return Err(cursor_error(format!(
            "a cursor of {} has the key attributes {}",
            place::<K>(),
            names()
        )));
    }
    for key in expected {
        let Some(value) = attributes.get(key.attribute) else {
            return Err(cursor_error(format!(
                "a cursor of {} has the key attributes {}",
                place::<K>(),
                names()
            )));
        };
        let (found, empty) = match value {
            AttributeValue::S(s) => (Some(KeyType::S), s.is_empty()),
            AttributeValue::N(_) => (Some(KeyType::N), false),
            AttributeValue::B(b) => (Some(KeyType::B), b.as_ref().is_empty()),
            _ => (None, false),
        };
        if found != Some(key.key_type) {
            return Err(cursor_error(format!(
                "`{}` must be of type {:?}",
                key.attribute, key.key_type
            )));
        }
        if empty {
            return Err(cursor_error(format!(
                "`{}` is a key attribute and must not be empty",
                key.attribute
            )));
        }
    }
    Ok(())
}

/// "table `Orders`" or "index `by_status` of table `Orders`".
fn place<K: IndexKey>() -> String {
    let table = <K::Table as Table>::DEFINITION.name;
    match K::INDEX {
        Some(index) => format!("index `{index}` of table `{table}`"),
        None => format!("table `{table}`"),
    }
}

pub(crate) fn cursor_error(message: impl Into<String>) -> Error {
    Error::validation("cursor", message)
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Token {
    table: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    index: Option<String>,
    key: BTreeMap<String, TokenValue>,
}

/// A key value in DynamoDB's JSON form; binary as standard base64.
#[derive(Serialize, Deserialize)]
enum TokenValue {
    S(String),
    N(String),
    B(String),
}

impl TokenValue {
    fn from_attribute(value: &AttributeValue) -> Option<Self> {
        match value {
            AttributeValue::S(s) => Some(TokenValue::S(s.clone())),
            AttributeValue::N(n) => Some(TokenValue::N(n.clone())),
            AttributeValue::B(b) => Some(TokenValue::B(STANDARD.encode(b.as_ref()))),
            _ => None,
        }
    }

    fn into_attribute(self) -> Option<AttributeValue> {
        Some(match self {
            TokenValue::S(s) => AttributeValue::S(s),
            TokenValue::N(n) => AttributeValue::N(n),
            TokenValue::B(b) => AttributeValue::B(Blob::new(STANDARD.decode(b).ok()?)),
        })
    }
}

impl<K: fmt::Debug> fmt::Debug for Cursor<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Cursor").field(&self.key).finish()
    }
}

impl<K: IndexKey> fmt::Display for Cursor<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_token())
    }
}

impl<K: IndexKey> FromStr for Cursor<K> {
    type Err = Error;

    fn from_str(token: &str) -> Result<Self, Error> {
        Cursor::from_token(token)
    }
}

impl<K: IndexKey> Serialize for Cursor<K> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_token())
    }
}

impl<'de, K: IndexKey> Deserialize<'de> for Cursor<K> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let token = String::deserialize(deserializer)?;
        Cursor::from_token(&token).map_err(serde::de::Error::custom)
    }
}
