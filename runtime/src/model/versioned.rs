//! The marker of a struct with a `#[dynamo(version)]` field.

use crate::model::item::Table;

/// A table struct with a `#[dynamo(version)]` field, whose writes are
/// conditioned on the version read; the macro implements it. Only such a
/// struct's updates take [`Update::expected_version`](crate::Update::expected_version).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not versioned: `expected_version` needs a `#[dynamo(version)]` field",
    label = "`{Self}` has no `#[dynamo(version)]` field",
    note = "add `#[dynamo(version)] version: u64` to `{Self}` for optimistic locking, or leave `expected_version` out"
)]
pub trait Versioned: Table {}
