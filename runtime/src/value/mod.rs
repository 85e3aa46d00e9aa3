//! The value layer: how Rust values become DynamoDB attribute values and
//! back, and how large DynamoDB counts them. Nothing here knows tables,
//! requests or errors beyond one attribute's.

pub mod binary;
pub mod composite;
pub(crate) mod convert;
pub(crate) mod size;
