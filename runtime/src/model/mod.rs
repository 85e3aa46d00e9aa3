//! The model layer: what a table is — the item, key and table traits the
//! macro implements, the table definition, field descriptors, versions —
//! and the errors every operation reports.

pub(crate) mod cancellation;
pub(crate) mod definition;
pub(crate) mod entity;
pub(crate) mod error;
pub(crate) mod field;
pub(crate) mod item;
pub(crate) mod versioned;
