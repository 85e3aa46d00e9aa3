//! What the operations share about talking to the SDK: its errors mapped to
//! [`Error`], and the identity of a key, to find repeated keys and to match
//! what DynamoDB answers with what was asked.

use std::fmt;

use aws_sdk_dynamodb::error::{BuildError, ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;

use crate::model::error::Error;
use crate::model::item::Attributes;

impl Error {
    /// Maps an SDK error; `ConditionalCheckFailedException` becomes
    /// [`Error::ConditionFailed`], the caller may refine it.
    pub(crate) fn from_sdk<E, R>(error: SdkError<E, R>, table: &str) -> Self
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
        R: fmt::Debug,
    {
        let (code, message) = match &error {
            SdkError::ServiceError(context) => (
                context.err().code().map(str::to_owned),
                context.err().message().unwrap_or_default().to_owned(),
            ),
            _ => (None, String::new()),
        };
        let message = match &error {
            _ if !message.is_empty() => message,
            // An answer without an error code: one that could not be read.
            SdkError::ServiceError(context) if code.is_none() => {
                format!("unreadable answer: {}", chain(context.err()))
            }
            // The chain of causes, without the `Debug` of the raw response
            // that `DisplayErrorContext` appends.
            _ => chain(&error),
        };
        match code.as_deref() {
            Some("ConditionalCheckFailedException") => Error::ConditionFailed {
                table: table.to_owned(),
                message,
            },
            Some(
                "ProvisionedThroughputExceededException"
                | "ThrottlingException"
                | "RequestLimitExceeded",
            ) => Error::Throttled {
                code: code.unwrap_or_default(),
                message,
            },
            Some("ValidationException") if crate::value::size::is_too_large_message(&message) => {
                Error::ItemTooLarge {
                    table: table.to_owned(),
                    key: None,
                    size: None,
                }
            }
            Some("ValidationException") => Error::Validation {
                attribute: None,
                message,
            },
            Some(code_str) => Error::Service {
                retryable: matches!(
                    code_str,
                    "InternalServerError" | "ServiceUnavailable" | "TransactionConflictException"
                ),
                code,
                message,
            },
            None => Error::Service {
                code: None,
                retryable: !matches!(error, SdkError::ConstructionFailure(_)),
                message,
            },
        }
    }
}

/// A request the SDK's builder refused: a missing required field.
pub(crate) fn build_error(error: BuildError) -> Error {
    Error::Service {
        code: None,
        message: format!("cannot build the request: {error}"),
        retryable: false,
    }
}

/// An error and its sources, `: `-separated.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let more = cause.to_string();
        if !text.ends_with(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = cause.source();
    }
    text
}

/// The identity of a key: equal for keys with the same attributes of the
/// same types and values, whatever their order in the map.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct KeyId(Vec<(String, KeyPart)>);

/// One key attribute's value; keys are strings, numbers or binaries only.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum KeyPart {
    S(String),
    N(String),
    B(Vec<u8>),
    /// Not a key type: what DynamoDB would refuse, told apart by its text
    /// so that a bad key is never taken for another one.
    Other(String),
}

impl KeyId {
    /// The identity of `key`.
    pub(crate) fn of(key: &Attributes) -> Self {
        let mut parts: Vec<_> = key
            .iter()
            .map(|(name, value)| {
                let part = match value {
                    AttributeValue::S(text) => KeyPart::S(text.clone()),
                    AttributeValue::N(number) => KeyPart::N(number.clone()),
                    AttributeValue::B(blob) => KeyPart::B(Blob::as_ref(blob).to_vec()),
                    other => KeyPart::Other(format!("{other:?}")),
                };
                (name.clone(), part)
            })
            .collect();
        parts.sort_unstable();
        KeyId(parts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(pairs: &[(&str, AttributeValue)]) -> Attributes {
        pairs
            .iter()
            .map(|(name, value)| ((*name).to_owned(), value.clone()))
            .collect()
    }

    #[test]
    fn key_ids_ignore_attribute_order_and_tell_types_apart() {
        use AttributeValue as V;
        let a = key(&[("pk", V::S("1".into())), ("sk", V::N("2".into()))]);
        let b = key(&[("sk", V::N("2".into())), ("pk", V::S("1".into()))]);
        let c = key(&[("pk", V::N("1".into())), ("sk", V::N("2".into()))]);
        let d = key(&[("pk", V::B(Blob::new("1"))), ("sk", V::N("2".into()))]);
        assert_eq!(KeyId::of(&a), KeyId::of(&b));
        assert_ne!(KeyId::of(&a), KeyId::of(&c));
        assert_ne!(KeyId::of(&a), KeyId::of(&d));
        assert_ne!(KeyId::of(&c), KeyId::of(&d));
    }

    #[test]
    fn key_ids_tell_names_and_values_apart() {
        use AttributeValue as V;
        let a = key(&[("pk", V::S("a".into())), ("sk", V::S("b".into()))]);
        let swapped = key(&[("pk", V::S("b".into())), ("sk", V::S("a".into()))]);
        let renamed = key(&[("id", V::S("a".into())), ("sk", V::S("b".into()))]);
        let partition_only = key(&[("pk", V::S("a".into()))]);
        for other in [swapped, renamed, partition_only] {
            assert_ne!(KeyId::of(&a), KeyId::of(&other));
        }
    }
}
