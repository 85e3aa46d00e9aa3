//! `impl Table`: the table's definition, name, key, version and time to live.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use crate::check::{Model, Ttl};
use crate::expand::definition;
use crate::expand::key::key_ident;
use crate::parse::Field;

pub fn impl_table(model: &Model) -> TokenStream {
    let ident = model.item.ident;
    let key = key_ident(model.item);
    let fields = model.key_fields();
    let idents: Vec<_> = fields.iter().map(|f| f.ident).collect();
    let name = &model.name;
    let name_env = &model.name_env;
    let (definition, rebuild) = match &model.schema {
        Some(file) => (
            definition::from_schema(name, name_env, &file.schema),
            definition::rebuild_on_change(&file.absolute),
        ),
        None => {
            let partition_key = key_definition(model.partition_key);
            let sort_key = match model.sort_key {
                Some(field) => {
                    let definition = key_definition(field);
                    quote!(::core::option::Option::Some(#definition))
                }
                None => quote!(::core::option::Option::None),
            };
            let keys_only = quote! {
                ::dynamo_lambda::TableDefinition::keys_only(#name, #name_env, #partition_key, #sort_key)
            };
            let definition = match &model.ttl {
                Some(ttl) => {
                    let ttl = &ttl.field.name;
                    quote! {
                        ::dynamo_lambda::TableDefinition {
                            ttl_attribute: ::core::option::Option::Some(#ttl),
                            ..#keys_only
                        }
                    }
                }
                None => keys_only,
            };
            (definition, TokenStream::new())
        }
    };
    let version = model.version.map(version_items);
    let ttl = model.ttl.as_ref().map(ttl_items);
    let versioned = model.version.map(|_| impl_versioned(ident));
    quote! {
        #rebuild
        #versioned

        #[automatically_derived]
        impl ::dynamo_lambda::Table for #ident {
            type Key = #key;

            const DEFINITION: ::dynamo_lambda::TableDefinition = #definition;

            #[inline]
            fn key(&self) -> #key {
                #key {
                    #(#idents: ::core::clone::Clone::clone(&self.#idents),)*
                }
            }

            #[inline]
            fn table_name() -> &'static str {
                static NAME: ::std::sync::OnceLock<::std::string::String> = ::std::sync::OnceLock::new();
                ::dynamo_lambda::__private::table_name(&NAME, #name_env, #name)
            }

            #version
            #ttl
        }
    }
}

fn key_definition(field: &Field) -> TokenStream {
    let name = &field.name;
    let ty = field.ty;
    let key_type = quote_spanned!(ty.span()=> <#ty as ::dynamo_lambda::KeyValue>::KEY_TYPE);
    quote! {
        ::dynamo_lambda::KeyDefinition {
            attribute: #name,
            key_type: #key_type,
        }
    }
}

/// `VERSION_ATTRIBUTE`, `version` and `set_version` of `impl Table`.
pub fn version_items(field: &Field) -> TokenStream {
    let ident = field.ident;
    let attribute = &field.name;
    quote! {
        const VERSION_ATTRIBUTE: ::core::option::Option<&'static str> =
            ::core::option::Option::Some(#attribute);

        #[inline]
        fn version(&self) -> u64 {
            self.#ident
        }

        #[inline]
        fn set_version(&mut self, version: u64) {
            self.#ident = version;
        }
    }
}

/// `expires_at` of `impl Table`.
pub fn ttl_items(ttl: &Ttl) -> TokenStream {
    let ident = ttl.field.ident;
    let value = if ttl.optional {
        quote! {
            self.#ident.and_then(|value| ::core::convert::TryFrom::try_from(value).ok())
        }
    } else {
        quote! {
            ::core::convert::TryFrom::try_from(self.#ident).ok()
        }
    };
    quote! {
        #[inline]
        fn expires_at(&self) -> ::core::option::Option<i64> {
            #value
        }
    }
}

/// `impl Versioned`, for a struct with a version field.
pub fn impl_versioned(ident: &syn::Ident) -> TokenStream {
    quote! {
        #[automatically_derived]
        impl ::dynamo_lambda::Versioned for #ident {}
    }
}
