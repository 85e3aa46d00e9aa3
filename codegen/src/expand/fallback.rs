//! What an expansion that failed emits beside its errors: stand-in impls
//! with the names and signatures code around the item uses (`UserKey`,
//! `impl Table`, `User::get`, …), so a mistake in the attribute is reported
//! alone, not buried under errors about items that were never generated.
//! None of them runs: the crate does not compile.

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use crate::check::Model;
use crate::expand::value::{ValueBodies, impl_value};
use crate::expand::{key, ops};
use crate::parse::Struct;

/// For a `#[dynamo_lambda]` struct: the real key struct when its keys
/// resolved, else one without fields; stand-in `Item` and `Table` impls;
/// the typed operations.
pub fn table(item: &Struct, model: Option<&Model>) -> TokenStream {
    // A generic struct is itself the error: stand-ins would only add more.
    if !item.original.generics.params.is_empty() {
        return TokenStream::new();
    }
    let ident = item.ident;
    let vis = item.vis;
    let key = key::key_ident(item);
    let key_struct = match model {
        Some(model) => key::key_struct(model),
        None => quote! {
            #[derive(
                ::core::fmt::Debug,
                ::core::clone::Clone,
                ::core::cmp::PartialEq,
                ::core::cmp::Eq,
                ::core::hash::Hash,
            )]
            #vis struct #key {}

            #[automatically_derived]
            impl ::dynamo_lambda::Key for #key {
                fn to_key(
                    &self,
                ) -> ::core::result::Result<::dynamo_lambda::Attributes, ::dynamo_lambda::AttributeError> {
                    ::core::unreachable!()
                }

                fn from_key(
                    _: ::dynamo_lambda::Attributes,
                ) -> ::core::result::Result<Self, ::dynamo_lambda::AttributeError> {
                    ::core::unreachable!()
                }
            }
        },
    };
    let operations = ops::operations(item);
    quote! {
        #key_struct

        #[automatically_derived]
        impl ::dynamo_lambda::Item for #ident {
            fn to_item(
                &self,
            ) -> ::core::result::Result<::dynamo_lambda::Attributes, ::dynamo_lambda::AttributeError> {
                ::core::unreachable!()
            }

            fn from_item(
                _: ::dynamo_lambda::Attributes,
            ) -> ::core::result::Result<Self, ::dynamo_lambda::AttributeError> {
                ::core::unreachable!()
            }
        }

        #[automatically_derived]
        impl ::dynamo_lambda::Table for #ident {
            type Key = #key;

            const DEFINITION: ::dynamo_lambda::TableDefinition = ::dynamo_lambda::TableDefinition::keys_only(
                "",
                "",
                ::dynamo_lambda::KeyDefinition {
                    attribute: "",
                    key_type: ::dynamo_lambda::KeyType::S,
                },
                ::core::option::Option::None,
            );

            fn key(&self) -> #key {
                ::core::unreachable!()
            }

            fn table_name() -> &'static str {
                ::core::unreachable!()
            }
        }

        #[automatically_derived]
        impl #ident {
            #operations
        }
    }
}

/// For a type whose `#[derive(Attribute)]` failed: the value traits, so
/// that fields of that type do not add errors of their own.
pub fn attribute(input: &DeriveInput) -> TokenStream {
    let unreachable = quote!(::core::unreachable!());
    impl_value(
        &input.ident,
        &input.generics,
        ValueBodies {
            to: unreachable.clone(),
            into: None,
            from: unreachable,
        },
    )
}
