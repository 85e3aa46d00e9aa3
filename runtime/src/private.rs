//! Used by generated code, not public API.

use std::sync::OnceLock;

use aws_sdk_dynamodb::types::AttributeValue;

use crate::model::error::{AttributeError, AttributeErrorKind};
use crate::model::item::{Attributes, Item, KeyValue};
use crate::value::convert::{FromAttributeValue, IntoAttributeValue};

pub use crate::model::entity::{
    IndexKeyOf, KeyCheck, PartitionField, SameAs, Segment, check_tag, entity_query, index_sort_key,
    index_templates, indexes_may_collide, insert_key, insert_tag, is_constant_template,
    is_reserved, is_ttl_attribute, key_matches, matches_template, may_collide, mismatch, segment,
    sort_key_attribute, sort_keys_may_collide, str_eq, string_attribute, take_key,
};
pub use crate::ops::query::collection_query;
pub use crate::value::composite::KeyReader;
pub use aws_sdk_dynamodb;
pub use lambda_runtime;
pub use serde;
pub use serde_json;

#[cfg(feature = "http")]
pub use crate::serve::http::key_text::{
    key_from_text, key_to_text, no_sort_key_text, sort_key_text,
};

// The per-field helpers below are always inlined: generated code calls them
// once per field, and a call would copy each `Result<Option<AttributeValue>, _>`
// (about 60 bytes) instead of building the value in place in the map.

/// Writes one field; values that encode to nothing write no attribute.
#[inline(always)]
fn encode_field<T: IntoAttributeValue + ?Sized>(
    item: &mut Attributes,
    name: &'static str,
    value: &T,
) -> Result<(), AttributeError> {
    insert(item, name, value.to_attribute_value())
}

/// Writes one field, moving the value.
#[inline(always)]
fn encode_field_owned<T: IntoAttributeValue>(
    item: &mut Attributes,
    name: &'static str,
    value: T,
) -> Result<(), AttributeError> {
    insert(item, name, value.into_attribute_value())
}

/// Writes the result of a `with` module's `to_attribute_value`.
#[inline(always)]
pub fn insert(
    item: &mut Attributes,
    name: &'static str,
    value: Result<Option<AttributeValue>, AttributeError>,
) -> Result<(), AttributeError> {
    match value {
        Ok(Some(value)) => {
            item.insert(name.to_owned(), value);
            Ok(())
        }
        Ok(None) => Ok(()),
        Err(e) => Err(e.in_field(name)),
    }
}

/// Writes one key attribute, refusing empty strings and binaries.
#[inline(always)]
pub fn encode_key<T: KeyValue>(
    item: &mut Attributes,
    name: &'static str,
    value: &T,
) -> Result<(), AttributeError> {
    check_key(name, value)?;
    encode_field(item, name, value)
}

/// Writes one key attribute, moving the value.
#[inline(always)]
pub fn encode_key_owned<T: KeyValue>(
    item: &mut Attributes,
    name: &'static str,
    value: T,
) -> Result<(), AttributeError> {
    check_key(name, &value)?;
    encode_field_owned(item, name, value)
}

fn check_key<T: KeyValue>(name: &'static str, value: &T) -> Result<(), AttributeError> {
    if value.is_empty_key() {
        return Err(AttributeError::new(AttributeErrorKind::EmptyKey).in_field(name));
    }
    Ok(())
}

/// Reads one field.
#[inline(always)]
pub fn decode_field<T: FromAttributeValue>(
    item: &mut Attributes,
    name: &'static str,
) -> Result<T, AttributeError> {
    match item.remove(name) {
        Some(value) => T::from_attribute_value(value),
        None => T::from_missing(),
    }
    .map_err(|e| e.in_field(name))
}

/// Reads one `#[dynamo(default)]` field: absent reads as `Default`.
#[inline(always)]
pub fn decode_field_or_default<T: FromAttributeValue + Default>(
    item: &mut Attributes,
    name: &'static str,
) -> Result<T, AttributeError> {
    match item.remove(name) {
        Some(value) => T::from_attribute_value(value).map_err(|e| e.in_field(name)),
        None => Ok(T::default()),
    }
}

/// Reads one field through a `with` module's `from_attribute_value`.
#[inline(always)]
pub fn decode_field_with<T>(
    item: &mut Attributes,
    name: &'static str,
    decode: impl FnOnce(Option<AttributeValue>) -> Result<T, AttributeError>,
) -> Result<T, AttributeError> {
    decode(item.remove(name)).map_err(|e| e.in_field(name))
}

/// Reads one `#[dynamo(default)]` field through a `with` module.
#[inline(always)]
pub fn decode_field_with_or_default<T: Default>(
    item: &mut Attributes,
    name: &'static str,
    decode: impl FnOnce(Option<AttributeValue>) -> Result<T, AttributeError>,
) -> Result<T, AttributeError> {
    match item.remove(name) {
        Some(value) => decode(Some(value)).map_err(|e| e.in_field(name)),
        None => Ok(T::default()),
    }
}

/// A nested struct as an `M` attribute.
#[inline]
pub fn item_to_attribute_value<T: Item>(
    value: &T,
) -> Result<Option<AttributeValue>, AttributeError> {
    value.to_item().map(|item| Some(AttributeValue::M(item)))
}

/// A nested struct as an `M` attribute, moving its values.
#[inline]
pub fn item_into_attribute_value<T: Item>(
    value: T,
) -> Result<Option<AttributeValue>, AttributeError> {
    value.into_item().map(|item| Some(AttributeValue::M(item)))
}

/// A nested struct from an `M` attribute.
#[inline]
pub fn item_from_attribute_value<T: Item>(value: AttributeValue) -> Result<T, AttributeError> {
    match value {
        AttributeValue::M(item) => T::from_item(item),
        other => Err(AttributeError::wrong_type("M (map)", &other)),
    }
}

/// A unit-only enum variant from an `S` attribute.
#[inline]
pub fn variant_name(value: AttributeValue) -> Result<String, AttributeError> {
    String::from_attribute_value(value)
}

/// The error for a string that names no variant.
#[cold]
pub fn unknown_variant(value: String, expected: &'static str) -> AttributeError {
    AttributeError::new(AttributeErrorKind::UnknownVariant {
        value,
        expected: expected.to_owned(),
    })
}

/// The table name: the environment variable `env` when set and not empty,
/// else `default`; read once per process.
pub fn table_name(cell: &'static OnceLock<String>, env: &str, default: &str) -> &'static str {
    cell.get_or_init(|| match std::env::var(env) {
        Ok(name) if !name.is_empty() => name,
        _ => default.to_owned(),
    })
}

/// A field value of a handler's `update` request, read with the path of
/// the field in errors (`set.age`).
pub fn json_value<V: serde::de::DeserializeOwned>(
    section: &str,
    field: &str,
    value: serde_json::Value,
) -> Result<V, crate::model::error::Error> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let attribute = match path.as_str() {
            "." => format!("{section}.{field}"),
            index if index.starts_with('[') => format!("{section}.{field}{path}"),
            _ => format!("{section}.{field}.{path}"),
        };
        crate::model::error::Error::validation(attribute, e.into_inner().to_string())
    })
}

/// The error for a field an `update` request cannot touch that way.
#[cold]
pub fn json_field_refused(section: &str, field: &str, why: &str) -> crate::model::error::Error {
    crate::model::error::Error::validation(format!("{section}.{field}"), why)
}

/// Serde for a `Blob` key field of a generated key struct: standard base64,
/// as DynamoDB's JSON writes binary.
pub mod blob_base64 {
    use aws_sdk_dynamodb::primitives::Blob;
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes the bytes as a base64 string.
    pub fn serialize<S: Serializer>(blob: &Blob, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&STANDARD.encode(blob.as_ref()))
    }

    /// Reads a base64 string.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Blob, D::Error> {
        let text = String::deserialize(deserializer)?;
        STANDARD
            .decode(text)
            .map(Blob::new)
            .map_err(|e| serde::de::Error::custom(format_args!("invalid base64: {e}")))
    }
}

/// The scalar type a field's type is stored as, when it is a [`KeyValue`]:
/// `<KeyTypeOf<T>>::KEY_TYPE`, which a schema's key type is checked
/// against at compile time. For other types [`NotAKeyValue`]'s `None`.
pub struct KeyTypeOf<T: ?Sized>(std::marker::PhantomData<fn() -> Box<T>>);

impl<T: ?Sized> std::fmt::Debug for KeyTypeOf<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyTypeOf")
    }
}

impl<T: KeyValue> KeyTypeOf<T> {
    /// The key type of `T`.
    pub const KEY_TYPE: Option<crate::model::definition::KeyType> = Some(T::KEY_TYPE);
}

/// The fallback of [`KeyTypeOf`] for a type that is not a [`KeyValue`]
/// (an enum stored as a string): no key type known.
pub trait NotAKeyValue {
    /// Not known.
    const KEY_TYPE: Option<crate::model::definition::KeyType> = None;
}

impl<T: ?Sized> NotAKeyValue for KeyTypeOf<T> {}
