//! Sets of strings, numbers and binaries as `SS`, `NS` and `BS`.
//!
//! DynamoDB cannot store an empty set: an empty set writes no attribute, and
//! an absent (or `NULL`) attribute reads back as an empty set.

use std::collections::{BTreeSet, HashSet};
use std::hash::{BuildHasher, Hash};

use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;

use super::number::number_text;
use super::{FromAttributeValue, IntoAttributeValue};
use crate::model::error::AttributeError;

/// A type whose sets are stored as a DynamoDB set type: strings as `SS`,
/// numbers as `NS`, binaries ([`Blob`]) as `BS`.
pub trait SetElement: Sized {
    /// Encodes a non-empty set.
    fn encode_set<'a>(
        items: impl ExactSizeIterator<Item = &'a Self>,
    ) -> Result<AttributeValue, AttributeError>
    where
        Self: 'a;

    /// Encodes a non-empty set, moving its elements.
    fn encode_set_owned(
        items: impl ExactSizeIterator<Item = Self>,
    ) -> Result<AttributeValue, AttributeError>;

    /// Decodes a set attribute into any collection.
    fn decode_set<C: FromIterator<Self>>(value: AttributeValue) -> Result<C, AttributeError>;
}

impl SetElement for String {
    fn encode_set<'a>(
        items: impl ExactSizeIterator<Item = &'a Self>,
    ) -> Result<AttributeValue, AttributeError> {
        Ok(AttributeValue::Ss(items.cloned().collect()))
    }

    fn encode_set_owned(
        items: impl ExactSizeIterator<Item = Self>,
    ) -> Result<AttributeValue, AttributeError> {
        Ok(AttributeValue::Ss(items.collect()))
    }

    fn decode_set<C: FromIterator<Self>>(value: AttributeValue) -> Result<C, AttributeError> {
        match value {
            AttributeValue::Ss(items) => Ok(items.into_iter().collect()),
            other => Err(AttributeError::wrong_type("SS (string set)", &other)),
        }
    }
}

impl SetElement for Blob {
    fn encode_set<'a>(
        items: impl ExactSizeIterator<Item = &'a Self>,
    ) -> Result<AttributeValue, AttributeError> {
        Ok(AttributeValue::Bs(items.cloned().collect()))
    }

    fn encode_set_owned(
        items: impl ExactSizeIterator<Item = Self>,
    ) -> Result<AttributeValue, AttributeError> {
        Ok(AttributeValue::Bs(items.collect()))
    }

    fn decode_set<C: FromIterator<Self>>(value: AttributeValue) -> Result<C, AttributeError> {
        match value {
            AttributeValue::Bs(items) => Ok(items.into_iter().collect()),
            other => Err(AttributeError::wrong_type("BS (binary set)", &other)),
        }
    }
}

/// The text of one encoded number.
fn number_element(value: Option<AttributeValue>) -> Result<String, AttributeError> {
    number_text(value.ok_or_else(AttributeError::missing)?)
}

macro_rules! number_set {
    ($($ty:ty),* $(,)?) => {$(
        impl SetElement for $ty {
            fn encode_set<'a>(
                items: impl ExactSizeIterator<Item = &'a Self>,
            ) -> Result<AttributeValue, AttributeError> {
                let mut numbers = Vec::with_capacity(items.len());
                for item in items {
                    numbers.push(number_element(item.to_attribute_value()?)?);
                }
                Ok(AttributeValue::Ns(numbers))
            }

            fn encode_set_owned(
                items: impl ExactSizeIterator<Item = Self>,
            ) -> Result<AttributeValue, AttributeError> {
                let mut numbers = Vec::with_capacity(items.len());
                for item in items {
                    numbers.push(number_element(item.to_attribute_value()?)?);
                }
                Ok(AttributeValue::Ns(numbers))
            }

            fn decode_set<C: FromIterator<Self>>(value: AttributeValue) -> Result<C, AttributeError> {
                match value {
                    AttributeValue::Ns(items) => items
                        .into_iter()
                        .map(|n| <$ty>::from_attribute_value(AttributeValue::N(n)))
                        .collect(),
                    other => Err(AttributeError::wrong_type("NS (number set)", &other)),
                }
            }
        }
    )*};
}

number_set!(
    i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize
);

fn decode_set_or_empty<T: SetElement, C: FromIterator<T>>(
    value: AttributeValue,
) -> Result<C, AttributeError> {
    match value {
        AttributeValue::Null(_) => Ok(std::iter::empty().collect()),
        value => T::decode_set(value),
    }
}

impl<T: SetElement + Eq + Hash, S: BuildHasher> IntoAttributeValue for HashSet<T, S> {
    #[inline]
    fn to_attribute_value(&self) -> Result<Option<AttributeValue>, AttributeError> {
        if self.is_empty() {
            return Ok(None);
        }
        T::encode_set(self.iter()).map(Some)
    }

    #[inline]
    fn into_attribute_value(self) -> Result<Option<AttributeValue>, AttributeError> {
        if self.is_empty() {
            return Ok(None);
        }
        T::encode_set_owned(self.into_iter()).map(Some)
    }
}

impl<T: SetElement + Eq + Hash, S: BuildHasher + Default> FromAttributeValue for HashSet<T, S> {
    #[inline]
    fn from_attribute_value(value: AttributeValue) -> Result<Self, AttributeError> {
        decode_set_or_empty(value)
    }

    #[inline]
    fn from_missing() -> Result<Self, AttributeError> {
        Ok(HashSet::default())
    }
}

impl<T: SetElement + Ord> IntoAttributeValue for BTreeSet<T> {
    #[inline]
    fn to_attribute_value(&self) -> Result<Option<AttributeValue>, AttributeError> {
        if self.is_empty() {
            return Ok(None);
        }
        T::encode_set(self.iter()).map(Some)
    }

    #[inline]
    fn into_attribute_value(self) -> Result<Option<AttributeValue>, AttributeError> {
        if self.is_empty() {
            return Ok(None);
        }
        T::encode_set_owned(self.into_iter()).map(Some)
    }
}

impl<T: SetElement + Ord> FromAttributeValue for BTreeSet<T> {
    #[inline]
    fn from_attribute_value(value: AttributeValue) -> Result<Self, AttributeError> {
        decode_set_or_empty(value)
    }

    #[inline]
    fn from_missing() -> Result<Self, AttributeError> {
        Ok(BTreeSet::new())
    }
}
