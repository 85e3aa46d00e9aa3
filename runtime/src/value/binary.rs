//! Byte buffers as DynamoDB binary (`B`), for `#[dynamo(binary)]` fields.
//!
//! A plain `Vec<u8>` is a list of numbers like any other `Vec<T>`; marking the
//! field `#[dynamo(binary)]` stores it as one `B` attribute instead. The
//! SDK's [`Blob`](aws_sdk_dynamodb::primitives::Blob) is binary without marking.
//!
//! This module is also the model of a `#[dynamo(with = "module")]` module:
//! two functions, `to_attribute_value(&T)` (where `Ok(None)` writes no
//! attribute) and `from_attribute_value(Option<AttributeValue>)` (where `None`
//! is an absent attribute).

use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;

use crate::model::error::AttributeError;

/// A field type that `#[dynamo(binary)]` accepts.
pub trait Binary: Sized {
    /// The bytes to store, or `None` to write no attribute.
    fn to_bytes(&self) -> Option<&[u8]>;
    /// The value read back; `None` is an absent attribute.
    fn from_bytes(bytes: Option<Vec<u8>>) -> Result<Self, AttributeError>;
}

impl Binary for Vec<u8> {
    fn to_bytes(&self) -> Option<&[u8]> {
        Some(self)
    }

    fn from_bytes(bytes: Option<Vec<u8>>) -> Result<Self, AttributeError> {
        bytes.ok_or_else(AttributeError::missing)
    }
}

impl Binary for Box<[u8]> {
    fn to_bytes(&self) -> Option<&[u8]> {
        Some(self)
    }

    fn from_bytes(bytes: Option<Vec<u8>>) -> Result<Self, AttributeError> {
        bytes
            .map(Vec::into_boxed_slice)
            .ok_or_else(AttributeError::missing)
    }
}

impl<const N: usize> Binary for [u8; N] {
    fn to_bytes(&self) -> Option<&[u8]> {
        Some(self)
    }

    fn from_bytes(bytes: Option<Vec<u8>>) -> Result<Self, AttributeError> {
        let bytes = bytes.ok_or_else(AttributeError::missing)?;
        let len = bytes.len();
        bytes
            .try_into()
            .map_err(|_| AttributeError::custom(format_args!("expected {N} bytes, found {len}")))
    }
}

impl<T: Binary> Binary for Option<T> {
    fn to_bytes(&self) -> Option<&[u8]> {
        self.as_ref().and_then(T::to_bytes)
    }

    fn from_bytes(bytes: Option<Vec<u8>>) -> Result<Self, AttributeError> {
        bytes.map(|b| T::from_bytes(Some(b))).transpose()
    }
}

/// Encodes a byte buffer as `B`.
pub fn to_attribute_value<T: Binary>(value: &T) -> Result<Option<AttributeValue>, AttributeError> {
    Ok(value
        .to_bytes()
        .map(|bytes| AttributeValue::B(Blob::new(bytes))))
}

/// Decodes a `B` attribute (`NULL` reads as absent).
pub fn from_attribute_value<T: Binary>(value: Option<AttributeValue>) -> Result<T, AttributeError> {
    match value {
        Some(AttributeValue::B(blob)) => T::from_bytes(Some(blob.into_inner())),
        None | Some(AttributeValue::Null(_)) => T::from_bytes(None),
        Some(other) => Err(AttributeError::wrong_type("B (binary)", &other)),
    }
}
