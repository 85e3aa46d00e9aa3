//! Conversions between Rust values and `AttributeValue`, written directly
//! against the SDK type (no serde in between).

mod collection;
mod number;
mod scalar;
mod set;

pub use set::SetElement;

use aws_sdk_dynamodb::types::AttributeValue;

use crate::model::error::AttributeError;

/// A value that can be stored as a DynamoDB attribute.
///
/// `Ok(None)` means "write no attribute": `None` and empty sets, which
/// DynamoDB cannot store, are omitted.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be stored as a DynamoDB attribute",
    label = "no conversion to `AttributeValue`",
    note = "derive `dynamo_lambda::Attribute` on a struct or unit-only enum, or convert it with `#[dynamo(with = \"module\")]`"
)]
#[doc = include_str!("../../../docs/types.md")]
pub trait IntoAttributeValue {
    /// Encodes a borrowed value.
    fn to_attribute_value(&self) -> Result<Option<AttributeValue>, AttributeError>;

    /// Encodes an owned value, moving strings and buffers instead of copying them.
    fn into_attribute_value(self) -> Result<Option<AttributeValue>, AttributeError>
    where
        Self: Sized,
    {
        self.to_attribute_value()
    }
}

/// A value that can be read back from a DynamoDB attribute.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be read from a DynamoDB attribute",
    label = "no conversion from `AttributeValue`",
    note = "derive `dynamo_lambda::Attribute` on a struct or unit-only enum, or convert it with `#[dynamo(with = \"module\")]`"
)]
pub trait FromAttributeValue: Sized {
    /// Decodes a present attribute.
    fn from_attribute_value(value: AttributeValue) -> Result<Self, AttributeError>;

    /// The value of an absent attribute: an error unless the type has a
    /// natural "nothing" (`Option` is `None`, sets are empty).
    fn from_missing() -> Result<Self, AttributeError> {
        Err(AttributeError::missing())
    }
}

/// The DynamoDB type of a value, as error messages name it.
pub(crate) fn type_name(value: &AttributeValue) -> &'static str {
    match value {
        AttributeValue::S(_) => "S (string)",
        AttributeValue::N(_) => "N (number)",
        AttributeValue::B(_) => "B (binary)",
        AttributeValue::Bool(_) => "BOOL",
        AttributeValue::Null(_) => "NULL",
        AttributeValue::L(_) => "L (list)",
        AttributeValue::M(_) => "M (map)",
        AttributeValue::Ss(_) => "SS (string set)",
        AttributeValue::Ns(_) => "NS (number set)",
        AttributeValue::Bs(_) => "BS (binary set)",
        _ => "an unknown attribute type",
    }
}

/// Encodes an element of a list or a value of a map, where "nothing" is
/// written as `NULL` so that positions and keys are kept.
pub(crate) fn element_to_attribute_value<T: IntoAttributeValue + ?Sized>(
    value: &T,
) -> Result<AttributeValue, AttributeError> {
    Ok(value
        .to_attribute_value()?
        .unwrap_or(AttributeValue::Null(true)))
}

pub(crate) fn element_into_attribute_value<T: IntoAttributeValue>(
    value: T,
) -> Result<AttributeValue, AttributeError> {
    Ok(value
        .into_attribute_value()?
        .unwrap_or(AttributeValue::Null(true)))
}
