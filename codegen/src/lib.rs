//! Parse → validate → expand for the `dynamo-lambda` macros: a plain library,
//! so tests and tools can run the same checks the compiler does.

mod ast;
mod attr;
mod ctxt;
mod expand;
mod naming;
pub mod schema;
mod schema_check;
mod schema_file;
mod serde_names;
mod valid;

use proc_macro2::TokenStream;

pub use schema_file::MANIFEST_DIR_OVERRIDE;
pub use valid::default_env_name;

/// Expands `#[dynamo_lambda(args)] input`.
pub fn dynamo_lambda(args: TokenStream, input: TokenStream) -> TokenStream {
    expand::table(args, input)
}

/// Expands `#[derive(Attribute)] input`.
pub fn derive_attribute(input: TokenStream) -> TokenStream {
    expand::attribute(input)
}
