//! Conditions on the sort key of a query: `SortKey::between(a, b)`.

use std::cmp::Ordering;
use std::fmt;
use std::marker::PhantomData;

use aws_sdk_dynamodb::types::AttributeValue;

use super::index::Prefix;
use crate::model::definition::{KeyDefinition, KeyType};
use crate::model::error::{AttributeError, Error};
use crate::ops::expression::Placeholders;
use crate::value::convert::IntoAttributeValue;

/// A condition on a sort key whose values are `V`, for
/// [`Query::sort_key`](crate::Query::sort_key).
///
/// `begins_with` exists only for string and binary sort keys; a table or
/// index without a sort key has [`NoSortKey`](crate::NoSortKey), of which no
/// condition can be made.
pub struct SortKey<V> {
    condition: Node,
    value: PhantomData<fn() -> V>,
}

type Encoded = Result<Option<AttributeValue>, AttributeError>;

#[derive(Debug, Clone)]
enum Node {
    Compare(&'static str, Encoded),
    Between(Encoded, Encoded),
    BeginsWith(Encoded),
}

impl<V> Clone for SortKey<V> {
    fn clone(&self) -> Self {
        SortKey {
            condition: self.condition.clone(),
            value: PhantomData,
        }
    }
}

impl<V> fmt::Debug for SortKey<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.condition.fmt(f)
    }
}

impl<V: IntoAttributeValue> SortKey<V> {
    fn compare(op: &'static str, value: impl Into<V>) -> Self {
        Self::new(Node::Compare(op, value.into().into_attribute_value()))
    }

    fn new(condition: Node) -> Self {
        SortKey {
            condition,
            value: PhantomData,
        }
    }

    /// `sort_key = value`
    pub fn eq(value: impl Into<V>) -> Self {
        Self::compare("=", value)
    }

    /// `sort_key < value`
    pub fn lt(value: impl Into<V>) -> Self {
        Self::compare("<", value)
    }

    /// `sort_key <= value`
    pub fn le(value: impl Into<V>) -> Self {
        Self::compare("<=", value)
    }

    /// `sort_key > value`
    pub fn gt(value: impl Into<V>) -> Self {
        Self::compare(">", value)
    }

    /// `sort_key >= value`
    pub fn ge(value: impl Into<V>) -> Self {
        Self::compare(">=", value)
    }

    /// `sort_key BETWEEN low AND high`, both included; a `low` greater than
    /// `high` is [`Error::Validation`].
    pub fn between(low: impl Into<V>, high: impl Into<V>) -> Self {
        Self::new(Node::Between(
            low.into().into_attribute_value(),
            high.into().into_attribute_value(),
        ))
    }
}

impl<V: IntoAttributeValue + Prefix> SortKey<V> {
    /// `begins_with(sort_key, prefix)`: strings and binary only.
    pub fn begins_with(prefix: impl Into<V>) -> Self {
        Self::new(Node::BeginsWith(prefix.into().into_attribute_value()))
    }
}

impl<V: IntoAttributeValue> SortKey<V> {
    /// `begins_with` for a sort key type known only at run time (the
    /// handler's JSON): a number prefix is [`Error::Validation`].
    pub(crate) fn begins_with_checked(prefix: V) -> Result<Self, Error> {
        let encoded = prefix.into_attribute_value();
        if let Ok(Some(AttributeValue::N(_))) = &encoded {
            return Err(Error::validation(
                "sort_key.begins_with",
                "`begins_with` needs a string or binary sort key",
            ));
        }
        Ok(Self::new(Node::BeginsWith(encoded)))
    }
}

impl<V> SortKey<V> {
    /// The key condition on the sort key of a table or index, which must have one.
    pub(crate) fn render_key(
        &self,
        key: Option<KeyDefinition>,
        placeholders: &mut Placeholders,
    ) -> Result<String, Error> {
        let key =
            key.ok_or_else(|| Error::validation("sort_key", "the table or index has no sort key"))?;
        self.render(key, placeholders)
    }

    /// The key condition on `key`, with its name and values in `placeholders`.
    pub(crate) fn render(
        &self,
        key: KeyDefinition,
        placeholders: &mut Placeholders,
    ) -> Result<String, Error> {
        let name = placeholders.name(key.attribute);
        Ok(match &self.condition {
            Node::Compare(op, value) => {
                let value = key_value(key, value.clone())?;
                format!("{name} {op} {}", placeholders.value(value))
            }
            Node::Between(low, high) => {
                let low = key_value(key, low.clone())?;
                let high = key_value(key, high.clone())?;
                if order(&low, &high) == Some(Ordering::Greater) {
                    return Err(Error::validation(
                        key.attribute,
                        "`between` needs its low bound at most its high bound",
                    ));
                }
                let low = placeholders.value(low);
                format!("{name} BETWEEN {low} AND {}", placeholders.value(high))
            }
            Node::BeginsWith(prefix) => {
                let prefix = key_value(key, prefix.clone())?;
                format!("begins_with({name}, {})", placeholders.value(prefix))
            }
        })
    }
}

/// How DynamoDB orders two key values: strings and binary by their bytes,
/// numbers by value; `None` when that cannot be told here.
fn order(a: &AttributeValue, b: &AttributeValue) -> Option<Ordering> {
    match (a, b) {
        (AttributeValue::S(a), AttributeValue::S(b)) => Some(a.as_bytes().cmp(b.as_bytes())),
        (AttributeValue::B(a), AttributeValue::B(b)) => Some(a.as_ref().cmp(b.as_ref())),
        (AttributeValue::N(a), AttributeValue::N(b)) => {
            match (a.parse::<i128>(), b.parse::<i128>()) {
                (Ok(a), Ok(b)) => Some(a.cmp(&b)),
                _ => a.parse::<f64>().ok()?.partial_cmp(&b.parse::<f64>().ok()?),
            }
        }
        _ => None,
    }
}

/// A value compared with the key attribute `key`: of its type and not empty,
/// as DynamoDB requires of key conditions.
pub(crate) fn key_value(key: KeyDefinition, value: Encoded) -> Result<AttributeValue, Error> {
    let invalid = |message: String| Error::validation(key.attribute, message);
    let value = value
        .map_err(|e| Error::encode(e.in_field(key.attribute)))?
        .ok_or_else(|| invalid("a key condition needs a value".to_owned()))?;
    let (found, empty) = match &value {
        AttributeValue::S(s) => (Some(KeyType::S), s.is_empty()),
        AttributeValue::N(_) => (Some(KeyType::N), false),
        AttributeValue::B(b) => (Some(KeyType::B), b.as_ref().is_empty()),
        _ => (None, false),
    };
    if found != Some(key.key_type) {
        return Err(invalid(format!(
            "the key attribute is of type {:?}, the value given is {}",
            key.key_type,
            crate::value::convert::type_name(&value)
        )));
    }
    if empty {
        return Err(invalid("key attribute must not be empty".to_owned()));
    }
    Ok(value)
}
