//! The one error type of the crate and the attribute-level error it carries.

use std::borrow::Cow;
use std::fmt;

/// Everything a table operation or a handler can fail with.
///
/// [`Error::kind`] gives a stable name for each case; handlers report it as
/// the Lambda `errorType`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The operation needs an item that is not in the table.
    #[error("no item with key {key} in table `{table}`")]
    NotFound {
        /// The table that was asked.
        table: String,
        /// The key, as written by `Debug`.
        key: String,
    },
    /// `create` found an item with the same key.
    #[error("an item with key {key} already exists in table `{table}`")]
    AlreadyExists {
        /// The table that was written.
        table: String,
        /// The key, as written by `Debug`.
        key: String,
    },
    /// A versioned write found another version than the one it was given:
    /// someone else wrote the item since it was read.
    #[error(
        "version conflict on {key} in table `{table}`: the write expected version {expected}, the stored item is at another version"
    )]
    VersionConflict {
        /// The table that was written.
        table: String,
        /// The key, as written by `Debug`.
        key: String,
        /// The version the write expected to replace (0: no item).
        expected: u64,
    },
    /// A condition of a write did not hold.
    #[error("condition failed on table `{table}`: {message}")]
    ConditionFailed {
        /// The table that was written.
        table: String,
        /// DynamoDB's message.
        message: String,
    },
    /// Input that cannot be sent: a request that does not parse, a value
    /// DynamoDB cannot store, an empty key, or DynamoDB's own `ValidationException`.
    #[error("{}", validation_message(.attribute.as_deref(), .message))]
    Validation {
        /// The attribute (or request field) at fault, when known.
        attribute: Option<String>,
        /// What is wrong with it.
        message: String,
    },
    /// An item over DynamoDB's 400 KB limit ([`MAX_ITEM_SIZE`](crate::MAX_ITEM_SIZE)).
    /// Items written whole are sized before sending (by the rules of
    /// [`item_size`](crate::item_size)) and never reach DynamoDB; an update
    /// that would grow a stored item past the limit is refused by DynamoDB,
    /// and its answer becomes this error too. Its kind is
    /// [`ErrorKind::Validation`].
    #[error(
        "the item{} in table `{table}` is {}over DynamoDB's 400 KB item limit ({} bytes)",
        .key.as_deref().map(|k| format!(" with key {k}")).unwrap_or_default(),
        .size.map(|s| format!("{s} bytes, ")).unwrap_or_default(),
        crate::value::size::MAX_ITEM_SIZE
    )]
    ItemTooLarge {
        /// The table written.
        table: String,
        /// The key, as written by `Debug`, when known.
        key: Option<String>,
        /// The item's size as DynamoDB counts it, when sized before sending.
        size: Option<usize>,
    },
    /// DynamoDB throttled the request after the SDK's own retries.
    #[error("throttled by DynamoDB ({code}): {message}")]
    Throttled {
        /// The AWS error code, e.g. `ProvisionedThroughputExceededException`.
        code: String,
        /// DynamoDB's message.
        message: String,
    },
    /// Any other failure of the service or of the way to it.
    #[error("DynamoDB error{}: {message}", .code.as_deref().map(|c| format!(" ({c})")).unwrap_or_default())]
    Service {
        /// The AWS error code, when DynamoDB answered.
        code: Option<String>,
        /// What went wrong.
        message: String,
        /// Whether trying the same request again can succeed.
        retryable: bool,
    },
    /// An item read from the table does not fit the Rust type.
    #[error("cannot decode item: {0}")]
    Decode(AttributeError),
    /// The Lambda runtime itself failed (see [`run`](crate::run)).
    #[error("lambda runtime error: {0}")]
    Runtime(lambda_runtime::Error),
    /// A batch left items or keys unprocessed after every retry (DynamoDB
    /// answers a busy table with `UnprocessedItems` / `UnprocessedKeys`).
    /// The batch error that carries this one holds them, typed.
    #[error(
        "{count} item(s) of a batch on table `{table}` still unprocessed after {attempts} attempts"
    )]
    Unprocessed {
        /// The table of the batch.
        table: String,
        /// How many items or keys are left.
        count: usize,
        /// How many requests were sent for them.
        attempts: u32,
    },
    /// DynamoDB canceled a transaction: nothing of it was written. One
    /// reason per action, in the order the actions were added.
    #[error("transaction canceled: {}", crate::model::cancellation::describe_reasons(.reasons))]
    TransactionCanceled {
        /// Why each action was (or was not) at fault.
        reasons: Vec<crate::model::cancellation::CancellationReason>,
    },
}

fn validation_message(attribute: Option<&str>, message: &str) -> String {
    match attribute {
        Some(attribute) => format!("invalid `{attribute}`: {message}"),
        None => format!("invalid request: {message}"),
    }
}

/// The stable name of each [`Error`] case, the Lambda `errorType` of a
/// direct invocation's error.
///
/// The kinds split into retryable ones — [`Throttled`](Self::Throttled),
/// [`ServiceUnavailable`](Self::ServiceUnavailable),
/// [`Unprocessed`](Self::Unprocessed): the same request can succeed later —
/// and the others, which need a different request. A Step Functions `Retry`
/// or an asynchronous caller matches them by name
/// (`"ErrorEquals": ["Throttled", "ServiceUnavailable", "Unprocessed"]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[doc = include_str!("../../docs/errors.md")]
pub enum ErrorKind {
    /// [`Error::NotFound`]
    NotFound,
    /// [`Error::AlreadyExists`]
    AlreadyExists,
    /// [`Error::VersionConflict`]
    VersionConflict,
    /// [`Error::ConditionFailed`]
    ConditionFailed,
    /// [`Error::Validation`] and [`Error::ItemTooLarge`]
    Validation,
    /// [`Error::Throttled`]
    Throttled,
    /// [`Error::Service`] that is not worth retrying (an unknown table,
    /// missing permissions, …).
    Service,
    /// [`Error::Service`] that is worth retrying: a 5xx answer, a
    /// transaction conflict, a timeout or a failed connection.
    ServiceUnavailable,
    /// [`Error::Decode`]
    Decode,
    /// [`Error::Runtime`]
    Runtime,
    /// [`Error::Unprocessed`]
    Unprocessed,
    /// [`Error::TransactionCanceled`]
    TransactionCanceled,
}

impl ErrorKind {
    /// The name used as the Lambda `errorType`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorKind::NotFound => "NotFound",
            ErrorKind::AlreadyExists => "AlreadyExists",
            ErrorKind::VersionConflict => "VersionConflict",
            ErrorKind::ConditionFailed => "ConditionFailed",
            ErrorKind::Validation => "Validation",
            ErrorKind::Throttled => "Throttled",
            ErrorKind::Service => "Service",
            ErrorKind::ServiceUnavailable => "ServiceUnavailable",
            ErrorKind::Decode => "Decode",
            ErrorKind::Runtime => "Runtime",
            ErrorKind::Unprocessed => "Unprocessed",
            ErrorKind::TransactionCanceled => "TransactionCanceled",
        }
    }
}

impl ErrorKind {
    /// Whether errors of this kind can go away by sending the same request again.
    pub const fn is_retryable(self) -> bool {
        matches!(
            self,
            ErrorKind::Throttled | ErrorKind::ServiceUnavailable | ErrorKind::Unprocessed
        )
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Error {
    /// Which case this is.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::NotFound { .. } => ErrorKind::NotFound,
            Error::AlreadyExists { .. } => ErrorKind::AlreadyExists,
            Error::VersionConflict { .. } => ErrorKind::VersionConflict,
            Error::ConditionFailed { .. } => ErrorKind::ConditionFailed,
            Error::Validation { .. } | Error::ItemTooLarge { .. } => ErrorKind::Validation,
            Error::Throttled { .. } => ErrorKind::Throttled,
            Error::Service {
                retryable: true, ..
            } => ErrorKind::ServiceUnavailable,
            Error::Service { .. } => ErrorKind::Service,
            Error::Decode(_) => ErrorKind::Decode,
            Error::Runtime(_) => ErrorKind::Runtime,
            Error::Unprocessed { .. } => ErrorKind::Unprocessed,
            Error::TransactionCanceled { .. } => ErrorKind::TransactionCanceled,
        }
    }

    /// Whether the same request can succeed later without a change: the
    /// [retryable kinds](ErrorKind::is_retryable), and a canceled
    /// transaction whose every reason is a conflict or throttling.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::TransactionCanceled { reasons } => {
                crate::model::cancellation::retryable(reasons)
            }
            _ => self.kind().is_retryable(),
        }
    }

    /// A validation error about one attribute or request field.
    pub fn validation(attribute: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Validation {
            attribute: Some(attribute.into()),
            message: message.into(),
        }
    }

    /// An item could not be encoded: the value is one DynamoDB cannot store.
    pub(crate) fn encode(error: AttributeError) -> Self {
        Error::Validation {
            attribute: Some(error.path()),
            message: error.kind().to_string(),
        }
    }
}

impl From<Error> for lambda_runtime::Diagnostic {
    fn from(error: Error) -> Self {
        lambda_runtime::Diagnostic {
            error_type: error.kind().as_str().to_owned(),
            error_message: error.to_string(),
        }
    }
}

impl From<AttributeError> for Error {
    /// A decoding failure; encoding failures go through `Error::encode`.
    fn from(error: AttributeError) -> Self {
        Error::Decode(error)
    }
}

/// A value that could not be converted to or from an `AttributeValue`,
/// with the path of the attribute inside the item.
#[derive(Debug, Clone, PartialEq)]
pub struct AttributeError {
    inner: Box<AttributeErrorInner>,
}

#[derive(Debug, Clone, PartialEq)]
struct AttributeErrorInner {
    /// Innermost segment first: segments are pushed while the error travels out.
    path: Vec<PathSegment>,
    kind: AttributeErrorKind,
}

#[derive(Debug, Clone, PartialEq)]
enum PathSegment {
    Field(Cow<'static, str>),
    Index(usize),
}

/// What is wrong with a value.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum AttributeErrorKind {
    /// A required attribute is absent.
    #[error("missing required attribute")]
    Missing,
    /// The attribute has another DynamoDB type than the field needs.
    #[error("expected {expected}, found {found}")]
    WrongType {
        /// The DynamoDB type the field needs, e.g. `S (string)`.
        expected: &'static str,
        /// The DynamoDB type that was there.
        found: &'static str,
    },
    /// A number that does not fit the field's type or DynamoDB's number range.
    #[error("number `{value}` {reason}")]
    Number {
        /// The number as text.
        value: String,
        /// Why it does not fit.
        reason: Cow<'static, str>,
    },
    /// A string that is none of the enum's variants.
    #[error("unknown variant `{value}`, expected one of {expected}")]
    UnknownVariant {
        /// The string found.
        value: String,
        /// The accepted strings, quoted and comma-separated.
        expected: String,
    },
    /// A key attribute that is an empty string or empty binary.
    #[error("key attribute must not be empty")]
    EmptyKey,
    /// A composite key that its template does not read back
    /// ([`composite`](crate::composite)).
    #[error("key `{value}` does not match template `{template}`: {reason}")]
    KeyTemplate {
        /// The key as stored.
        value: String,
        /// The template it should have been composed with.
        template: &'static str,
        /// Where it departs from the template.
        reason: String,
    },
    /// A composite key that disagrees with the fields it is composed from.
    #[error(
        "key `{stored}` disagrees with the item's fields, which compose `{composed}` with template `{template}`"
    )]
    KeyMismatch {
        /// The key as stored.
        stored: String,
        /// The key the item's fields compose.
        composed: String,
        /// The template.
        template: &'static str,
    },
    /// An item of another entity type than the one read.
    #[error("the item is a `{found}`, not a `{expected}`")]
    WrongEntity {
        /// The tag stored in the item.
        found: String,
        /// The tag of the entity type read.
        expected: &'static str,
    },
    /// Anything else, from a custom `with` module.
    #[error("{0}")]
    Custom(String),
}

impl AttributeError {
    /// An error at the current position; the path is added by the callers.
    pub fn new(kind: AttributeErrorKind) -> Self {
        AttributeError {
            inner: Box::new(AttributeErrorInner {
                path: Vec::new(),
                kind,
            }),
        }
    }

    /// A required attribute is absent.
    pub fn missing() -> Self {
        Self::new(AttributeErrorKind::Missing)
    }

    /// The value has the DynamoDB type of `found` instead of `expected`.
    pub fn wrong_type(
        expected: &'static str,
        found: &aws_sdk_dynamodb::types::AttributeValue,
    ) -> Self {
        Self::new(AttributeErrorKind::WrongType {
            expected,
            found: crate::value::convert::type_name(found),
        })
    }

    /// A number that does not fit.
    pub fn number(value: impl Into<String>, reason: impl Into<Cow<'static, str>>) -> Self {
        Self::new(AttributeErrorKind::Number {
            value: value.into(),
            reason: reason.into(),
        })
    }

    /// A message of a custom conversion.
    pub fn custom(message: impl fmt::Display) -> Self {
        Self::new(AttributeErrorKind::Custom(message.to_string()))
    }

    /// Adds the enclosing field or map key to the path.
    #[must_use]
    pub fn in_field(mut self, name: impl Into<Cow<'static, str>>) -> Self {
        self.inner.path.push(PathSegment::Field(name.into()));
        self
    }

    /// Adds the enclosing list index to the path.
    #[must_use]
    pub fn in_index(mut self, index: usize) -> Self {
        self.inner.path.push(PathSegment::Index(index));
        self
    }

    /// What is wrong.
    pub fn kind(&self) -> &AttributeErrorKind {
        &self.inner.kind
    }

    /// The attribute path, e.g. `address.lines[2]`; empty for the item itself.
    pub fn path(&self) -> String {
        let mut out = String::new();
        for segment in self.inner.path.iter().rev() {
            match segment {
                PathSegment::Field(name) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(name);
                }
                PathSegment::Index(index) => {
                    out.push('[');
                    out.push_str(itoa::Buffer::new().format(*index));
                    out.push(']');
                }
            }
        }
        out
    }
}

impl fmt::Display for AttributeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.inner.path.is_empty() {
            write!(f, "{}", self.inner.kind)
        } else {
            write!(f, "attribute `{}`: {}", self.path(), self.inner.kind)
        }
    }
}

impl std::error::Error for AttributeError {}

#[cfg(test)]
mod tests {
    use super::{Error, ErrorKind};

    fn service(retryable: bool) -> Error {
        Error::Service {
            code: Some("InternalServerError".into()),
            message: "try again".into(),
            retryable,
        }
    }

    #[test]
    fn the_error_type_tells_retryable_service_errors_apart() {
        let diagnostic = lambda_runtime::Diagnostic::from(service(true));
        assert_eq!(diagnostic.error_type, "ServiceUnavailable");
        assert_eq!(
            diagnostic.error_message,
            "DynamoDB error (InternalServerError): try again"
        );
        let diagnostic = lambda_runtime::Diagnostic::from(service(false));
        assert_eq!(diagnostic.error_type, "Service");
        assert!(service(true).is_retryable());
        assert!(!service(false).is_retryable());
    }

    #[test]
    fn retryable_kinds() {
        let throttled = Error::Throttled {
            code: "ThrottlingException".into(),
            message: "slow down".into(),
        };
        assert_eq!(throttled.kind(), ErrorKind::Throttled);
        assert!(throttled.is_retryable());
        let validation = Error::validation("id", "empty");
        assert_eq!(
            lambda_runtime::Diagnostic::from(validation).error_type,
            "Validation"
        );
        assert!(!ErrorKind::Validation.is_retryable());
        assert!(!ErrorKind::VersionConflict.is_retryable());
        assert!(ErrorKind::Unprocessed.is_retryable());
    }
}
