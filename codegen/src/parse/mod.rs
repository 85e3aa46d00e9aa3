//! Parse: a typed view of the annotated item and of the macro's options,
//! keeping references to the syntax they came from.

pub mod ast;
pub mod attr;
pub mod serde_names;

pub use ast::{Enum, Field, Struct};
pub use attr::{IndexArgs, SharedTableArgs, TableArgs};
