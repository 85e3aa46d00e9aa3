//! The `#[dynamo_lambda]` attribute and `#[derive(Attribute)]`, re-exported by
//! the `dynamo-lambda` crate. Everything they do is in `dynamo-lambda-codegen`.

use proc_macro::TokenStream;

/// Makes a struct the item type of a DynamoDB table: item conversion, the
/// typed key, table operations and a Lambda handler.
#[proc_macro_attribute]
pub fn dynamo_lambda(args: TokenStream, input: TokenStream) -> TokenStream {
    dynamo_lambda_codegen::dynamo_lambda(args.into(), input.into()).into()
}

/// Declares a table that several entity types share (single-table design):
/// its name, generic key attributes and indexes.
#[proc_macro_attribute]
pub fn single_table(args: TokenStream, input: TokenStream) -> TokenStream {
    dynamo_lambda_codegen::single_table(args.into(), input.into()).into()
}

/// Makes an enum of entity types that share a partition a collection, read
/// by one query as a typed enum.
#[proc_macro_attribute]
pub fn collection(args: TokenStream, input: TokenStream) -> TokenStream {
    dynamo_lambda_codegen::collection(args.into(), input.into()).into()
}

/// Makes a struct storable as a nested map attribute (`M`), or a unit-only
/// enum storable as a string attribute (`S`).
#[proc_macro_derive(Attribute, attributes(dynamo))]
pub fn derive_attribute(input: TokenStream) -> TokenStream {
    dynamo_lambda_codegen::derive_attribute(input.into()).into()
}
