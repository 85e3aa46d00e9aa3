//! Strings, booleans and the SDK's `Blob`.

use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;

use super::{FromAttributeValue, IntoAttributeValue};
use crate::model::error::AttributeError;

impl IntoAttributeValue for String {
    #[inline]
    fn to_attribute_value(&self) -> Result<Option<AttributeValue>, AttributeError> {
        Ok(Some(AttributeValue::S(self.clone())))
    }

    #[inline]
    fn into_attribute_value(self) -> Result<Option<AttributeValue>, AttributeError> {
        Ok(Some(AttributeValue::S(self)))
    }
}

impl IntoAttributeValue for str {
    #[inline]
    fn to_attribute_value(&self) -> Result<Option<AttributeValue>, AttributeError> {
        Ok(Some(AttributeValue::S(self.to_owned())))
    }
}

impl FromAttributeValue for String {
    #[inline]
    fn from_attribute_value(value: AttributeValue) -> Result<Self, AttributeError> {
        match value {
            AttributeValue::S(s) => Ok(s),
            other => Err(AttributeError::wrong_type("S (string)", &other)),
        }
    }
}

impl IntoAttributeValue for bool {
    #[inline]
    fn to_attribute_value(&self) -> Result<Option<AttributeValue>, AttributeError> {
        Ok(Some(AttributeValue::Bool(*self)))
    }
}

impl FromAttributeValue for bool {
    #[inline]
    fn from_attribute_value(value: AttributeValue) -> Result<Self, AttributeError> {
        match value {
            AttributeValue::Bool(b) => Ok(b),
            other => Err(AttributeError::wrong_type("BOOL", &other)),
        }
    }
}

impl IntoAttributeValue for Blob {
    #[inline]
    fn to_attribute_value(&self) -> Result<Option<AttributeValue>, AttributeError> {
        Ok(Some(AttributeValue::B(self.clone())))
    }

    #[inline]
    fn into_attribute_value(self) -> Result<Option<AttributeValue>, AttributeError> {
        Ok(Some(AttributeValue::B(self)))
    }
}

impl FromAttributeValue for Blob {
    #[inline]
    fn from_attribute_value(value: AttributeValue) -> Result<Self, AttributeError> {
        match value {
            AttributeValue::B(b) => Ok(b),
            other => Err(AttributeError::wrong_type("B (binary)", &other)),
        }
    }
}

impl IntoAttributeValue for AttributeValue {
    #[inline]
    fn to_attribute_value(&self) -> Result<Option<AttributeValue>, AttributeError> {
        Ok(Some(self.clone()))
    }

    #[inline]
    fn into_attribute_value(self) -> Result<Option<AttributeValue>, AttributeError> {
        Ok(Some(self))
    }
}

impl FromAttributeValue for AttributeValue {
    #[inline]
    fn from_attribute_value(value: AttributeValue) -> Result<Self, AttributeError> {
        Ok(value)
    }
}

impl<T: IntoAttributeValue + ?Sized> IntoAttributeValue for &T {
    #[inline]
    fn to_attribute_value(&self) -> Result<Option<AttributeValue>, AttributeError> {
        (**self).to_attribute_value()
    }
}

impl<T: IntoAttributeValue + ?Sized> IntoAttributeValue for Box<T> {
    #[inline]
    fn to_attribute_value(&self) -> Result<Option<AttributeValue>, AttributeError> {
        (**self).to_attribute_value()
    }
}

impl<T: FromAttributeValue> FromAttributeValue for Box<T> {
    #[inline]
    fn from_attribute_value(value: AttributeValue) -> Result<Self, AttributeError> {
        T::from_attribute_value(value).map(Box::new)
    }

    #[inline]
    fn from_missing() -> Result<Self, AttributeError> {
        T::from_missing().map(Box::new)
    }
}
