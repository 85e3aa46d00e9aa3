//! The typed primary key: `UserKey`, its `impl Key`, and `impl Table`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use crate::ast::{Field, Struct};
use crate::serde_names::{serde_attrs, serde_options};
use crate::valid::Table;

pub fn key_ident(item: &Struct) -> syn::Ident {
    format_ident!("{}Key", item.ident)
}

pub fn key_fields<'a>(table: &Table<'a>) -> Vec<&'a Field<'a>> {
    std::iter::once(table.partition_key)
        .chain(table.sort_key)
        .collect()
}

pub fn key_struct(item: &Struct, table: &Table) -> TokenStream {
    let ident = item.ident;
    let vis = item.vis;
    let key = key_ident(item);
    let fields = key_fields(table);
    let idents: Vec<_> = fields.iter().map(|f| f.ident).collect();
    let types: Vec<_> = fields.iter().map(|f| f.ty).collect();
    let count = fields.len();
    let encode = fields.iter().map(|f| {
        let name = &f.name;
        let span = f.ty.span();
        let mut ident = f.ident.clone();
        ident.set_span(span);
        quote_spanned! {span=>
            ::dynamo_lambda::__private::encode_key(&mut __item, #name, &self.#ident)?;
        }
    });
    let doc = format!(
        "The primary key of a [`{ident}`] in table `{}`.",
        table.name
    );
    // The key's JSON is the struct's: its fields' serde attributes and the
    // struct's `rename_all`. `Blob` has no serde impls: unless the field
    // says how, keys carry it as base64 in JSON.
    let serde_with: Vec<_> = fields
        .iter()
        .map(|f| {
            let own: Vec<_> = serde_attrs(f.syn_attrs).collect();
            let converted = own.iter().any(|a| {
                serde_options(a).is_some_and(|o| {
                    o.iter().any(|o| {
                        ["with", "serialize_with", "deserialize_with"].contains(&o.as_str())
                    })
                })
            });
            let blob = matches!(f.ty, syn::Type::Path(p)
                if p.path.segments.last().is_some_and(|s| s.ident == "Blob"));
            let base64 = (blob && !converted)
                .then(|| quote!(#[serde(with = "::dynamo_lambda::__private::blob_base64")]));
            quote!(#(#own)* #base64)
        })
        .collect();
    let rename_all = &item.serde.rename_all;
    let decode = fields.iter().map(|f| {
        let ident = f.ident;
        let name = &f.name;
        quote! {
            #ident: ::dynamo_lambda::__private::decode_field(&mut __key, #name)?,
        }
    });
    let field_docs = fields
        .iter()
        .map(|f| format!("The `{}` attribute.", f.name));
    quote! {
        #[doc = #doc]
        #[derive(
            ::core::fmt::Debug,
            ::core::clone::Clone,
            ::core::cmp::PartialEq,
            ::core::cmp::Eq,
            ::core::hash::Hash,
            ::dynamo_lambda::__private::serde::Serialize,
            ::dynamo_lambda::__private::serde::Deserialize,
        )]
        #[serde(crate = "::dynamo_lambda::__private::serde", deny_unknown_fields #(, #rename_all)*)]
        #vis struct #key {
            #(
                #[doc = #field_docs]
                #serde_with
                pub #idents: #types,
            )*
        }

        #[automatically_derived]
        impl ::dynamo_lambda::Key for #key {
            fn to_key(
                &self,
            ) -> ::core::result::Result<::dynamo_lambda::Attributes, ::dynamo_lambda::AttributeError> {
                let mut __item = ::dynamo_lambda::Attributes::with_capacity(#count);
                #(#encode)*
                ::core::result::Result::Ok(__item)
            }

            fn from_key(
                mut __key: ::dynamo_lambda::Attributes,
            ) -> ::core::result::Result<Self, ::dynamo_lambda::AttributeError> {
                ::core::result::Result::Ok(#key {
                    #(#decode)*
                })
            }
        }
    }
}

pub fn impl_table(item: &Struct, table: &Table) -> TokenStream {
    let ident = item.ident;
    let key = key_ident(item);
    let fields = key_fields(table);
    let idents: Vec<_> = fields.iter().map(|f| f.ident).collect();
    let name = &table.name;
    let name_env = &table.name_env;
    let (definition, rebuild) = match &table.schema {
        Some(file) => (
            crate::expand::definition::from_schema(name, name_env, &file.schema),
            crate::expand::definition::rebuild_on_change(&file.absolute),
        ),
        None => {
            let partition_key = key_definition(table.partition_key);
            let sort_key = match table.sort_key {
                Some(field) => {
                    let definition = key_definition(field);
                    quote!(::core::option::Option::Some(#definition))
                }
                None => quote!(::core::option::Option::None),
            };
            let keys_only = quote! {
                ::dynamo_lambda::TableDefinition::keys_only(#name, #name_env, #partition_key, #sort_key)
            };
            let definition = match table.ttl {
                Some(field) => {
                    let ttl = &field.name;
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
    let version = table.version.map(|field| {
        let ident = field.ident;
        let attribute = &field.name;
        quote! {
            const VERSION_ATTRIBUTE: ::core::option::Option<&'static str> =
                ::core::option::Option::Some(#attribute);

            fn version(&self) -> u64 {
                self.#ident
            }

            fn set_version(&mut self, version: u64) {
                self.#ident = version;
            }
        }
    });
    let ttl = table.ttl.map(|field| {
        let ident = field.ident;
        let value = match crate::valid::integer_type(field.ty) {
            Some(true) => quote! {
                self.#ident.and_then(|value| ::core::convert::TryFrom::try_from(value).ok())
            },
            _ => quote! {
                ::core::convert::TryFrom::try_from(self.#ident).ok()
            },
        };
        quote! {
            fn expires_at(&self) -> ::core::option::Option<i64> {
                #value
            }
        }
    });
    let versioned = table.version.map(|_| {
        quote! {
            #[automatically_derived]
            impl ::dynamo_lambda::Versioned for #ident {}
        }
    });
    quote! {
        #rebuild
        #versioned

        #[automatically_derived]
        impl ::dynamo_lambda::Table for #ident {
            type Key = #key;

            const DEFINITION: ::dynamo_lambda::TableDefinition = #definition;

            fn key(&self) -> #key {
                #key {
                    #(#idents: ::core::clone::Clone::clone(&self.#idents),)*
                }
            }

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
