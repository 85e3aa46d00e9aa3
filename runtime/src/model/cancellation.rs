//! Why DynamoDB canceled a transaction, action by action: the reasons
//! [`Error::TransactionCanceled`] carries.

use std::fmt;

#[cfg(doc)]
use crate::model::error::Error;

/// What an action of a transaction does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ActionKind {
    /// [`Transaction::put`](crate::Transaction::put)
    Put,
    /// [`Transaction::create`](crate::Transaction::create)
    Create,
    /// [`Transaction::update`](crate::Transaction::update)
    Update,
    /// [`Transaction::delete`](crate::Transaction::delete) or [`Transaction::delete_if`](crate::Transaction::delete_if)
    Delete,
    /// [`Transaction::condition_check`](crate::Transaction::condition_check)
    ConditionCheck,
    /// [`TransactGet::get`](crate::TransactGet::get)
    Get,
}

impl ActionKind {
    /// The method's name, e.g. `condition_check`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ActionKind::Put => "put",
            ActionKind::Create => "create",
            ActionKind::Update => "update",
            ActionKind::Delete => "delete",
            ActionKind::ConditionCheck => "condition_check",
            ActionKind::Get => "get",
        }
    }
}

/// Why DynamoDB refused one action of a canceled transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CancellationKind {
    /// Nothing: this action was fine, another one canceled the transaction.
    None,
    /// The action's condition (a `condition_check`, `delete_if`, or an
    /// update's own condition) did not hold.
    ConditionFailed,
    /// A versioned put or update found another version than `expected`.
    VersionConflict {
        /// The version the action expected to replace (0: no item).
        expected: u64,
    },
    /// A `create` found an item with the same key.
    AlreadyExists,
    /// An update (without `upsert`) found no item.
    NotFound,
    /// Another transaction or write was working on the same item; the
    /// transaction can be tried again.
    TransactionConflict,
    /// The table or index was over its throughput; can be tried again.
    Throttled,
    /// DynamoDB refused the action's input (`ValidationError`).
    ValidationError,
    /// Any other code DynamoDB gave, e.g. `ItemCollectionSizeLimitExceeded`.
    Other(String),
}

impl fmt::Display for CancellationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CancellationKind::None => f.write_str("no error"),
            CancellationKind::ConditionFailed => f.write_str("condition failed"),
            CancellationKind::VersionConflict { expected } => {
                write!(f, "version conflict (expected version {expected})")
            }
            CancellationKind::AlreadyExists => f.write_str("already exists"),
            CancellationKind::NotFound => f.write_str("no such item"),
            CancellationKind::TransactionConflict => f.write_str("transaction conflict"),
            CancellationKind::Throttled => f.write_str("throttled"),
            CancellationKind::ValidationError => f.write_str("validation error"),
            CancellationKind::Other(code) => f.write_str(code),
        }
    }
}

/// One action's part in [`Error::TransactionCanceled`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CancellationReason {
    /// The action's position in the transaction, from 0.
    pub index: usize,
    /// What the action does.
    pub action: ActionKind,
    /// The table it acts on.
    pub table: String,
    /// The item's key, as written by `Debug`.
    pub key: String,
    /// What went wrong with it, if anything.
    pub kind: CancellationKind,
    /// DynamoDB's message, when it gave one.
    pub message: Option<String>,
}

/// The text of [`Error::TransactionCanceled`]: the actions at fault.
pub(crate) fn describe_reasons(reasons: &[CancellationReason]) -> String {
    let faults: Vec<String> = reasons
        .iter()
        .filter(|r| r.kind != CancellationKind::None)
        .map(|r| {
            let mut text = format!(
                "action {} ({} on `{}`, key {}): {}",
                r.index,
                r.action.as_str(),
                r.table,
                r.key,
                r.kind
            );
            if let Some(message) = &r.message {
                text.push_str(" - ");
                text.push_str(message);
            }
            text
        })
        .collect();
    if faults.is_empty() {
        "DynamoDB gave no reason".to_owned()
    } else {
        faults.join("; ")
    }
}

/// A canceled transaction can succeed later when every fault is a conflict
/// with another writer or throttling.
pub(crate) fn retryable(reasons: &[CancellationReason]) -> bool {
    let mut faults = reasons
        .iter()
        .filter(|r| r.kind != CancellationKind::None)
        .peekable();
    faults.peek().is_some()
        && faults.all(|r| {
            matches!(
                r.kind,
                CancellationKind::TransactionConflict | CancellationKind::Throttled
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(kind: CancellationKind) -> CancellationReason {
        CancellationReason {
            index: 0,
            action: ActionKind::Put,
            table: "t".into(),
            key: "K".into(),
            kind,
            message: None,
        }
    }

    #[test]
    fn only_conflicts_and_throttling_are_retryable() {
        use CancellationKind as K;
        assert!(retryable(&[
            reason(K::None),
            reason(K::TransactionConflict)
        ]));
        assert!(retryable(&[
            reason(K::Throttled),
            reason(K::TransactionConflict)
        ]));
        assert!(!retryable(&[
            reason(K::TransactionConflict),
            reason(K::AlreadyExists)
        ]));
        assert!(!retryable(&[reason(K::None)]));
        assert!(!retryable(&[]));
    }
}
