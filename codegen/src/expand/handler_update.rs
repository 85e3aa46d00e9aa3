//! `impl JsonUpdate`: the handler's `update` request (`set`, `remove`, `add`
//! by the field's name in the struct's serde JSON) turned into a typed
//! [`Update`](dynamo_lambda::Update).

use proc_macro2::TokenStream;
use quote::quote;
use syn::Type;

use crate::check::Model;
use crate::parse::Field;
use crate::parse::ast::{INTEGER_TYPES, type_argument};

pub fn impl_json_update(model: &Model) -> TokenStream {
    let item = model.item;
    let ident = item.ident;
    let is_fixed = |field: &Field| {
        model.is_key(field) || model.version.is_some_and(|v| v.ident == field.ident)
    };
    let mut set_arms = Vec::new();
    let mut remove_arms = Vec::new();
    let mut add_arms = Vec::new();
    let mut refused = Vec::new();
    for field in item.stored_fields() {
        // The name serde reads, and its aliases: `"type"` for `r#type`.
        let name = &field.json.deserialize;
        let aliases = &field.json.aliases;
        let name = quote!(#name #(| #aliases)*);
        let ident_field = field.ident;
        if is_fixed(field) || field.attrs.with.is_some() {
            let why = if field.attrs.with.is_some() {
                "a field with a custom conversion cannot be updated by the handler"
            } else {
                "key and version fields cannot be updated"
            };
            refused.push(quote!(#name => ::core::result::Result::Err(
                ::dynamo_lambda::__private::json_field_refused(__section, __field, #why)
            ),));
            continue;
        }
        let ty = field.ty;
        match option_inner(ty) {
            Some(inner) => {
                set_arms.push(quote! {
                    #name => ::core::result::Result::Ok(
                        match ::dynamo_lambda::__private::json_value::<::core::option::Option<#inner>>("set", __field, __value)? {
                            ::core::option::Option::Some(__v) => __update.set(Self::fields().#ident_field, __v),
                            ::core::option::Option::None => __update.remove(Self::fields().#ident_field),
                        }
                    ),
                });
                remove_arms.push(quote! {
                    #name => ::core::result::Result::Ok(__update.remove(Self::fields().#ident_field)),
                });
            }
            None => {
                set_arms.push(quote! {
                    #name => ::core::result::Result::Ok(__update.set(
                        Self::fields().#ident_field,
                        ::dynamo_lambda::__private::json_value::<#ty>("set", __field, __value)?,
                    )),
                });
            }
        }
        if is_addable(option_inner(ty).unwrap_or(ty)) {
            let value_ty = option_inner(ty).unwrap_or(ty);
            add_arms.push(quote! {
                #name => ::core::result::Result::Ok(__update.add(
                    Self::fields().#ident_field,
                    ::dynamo_lambda::__private::json_value::<#value_ty>("add", __field, __value)?,
                )),
            });
        }
    }
    let fields = item
        .stored_fields()
        .map(|f| format!("`{}`", f.json.deserialize))
        .collect::<Vec<_>>()
        .join(", ");
    let unknown = format!("unknown field; expected one of {fields}");
    quote! {
        #[automatically_derived]
        impl ::dynamo_lambda::handler::JsonUpdate for #ident {
            #[inline]
            fn json_set(
                __update: ::dynamo_lambda::Update<Self>,
                __field: &str,
                __value: ::dynamo_lambda::__private::serde_json::Value,
            ) -> ::core::result::Result<::dynamo_lambda::Update<Self>, ::dynamo_lambda::Error> {
                let __section = "set";
                match __field {
                    #(#set_arms)*
                    #(#refused)*
                    _ => ::core::result::Result::Err(::dynamo_lambda::__private::json_field_refused(__section, __field, #unknown)),
                }
            }

            #[inline]
            fn json_remove(
                __update: ::dynamo_lambda::Update<Self>,
                __field: &str,
            ) -> ::core::result::Result<::dynamo_lambda::Update<Self>, ::dynamo_lambda::Error> {
                let __section = "remove";
                match __field {
                    #(#remove_arms)*
                    #(#refused)*
                    _ => ::core::result::Result::Err(::dynamo_lambda::__private::json_field_refused(
                        __section, __field, "only `Option` fields can be removed",
                    )),
                }
            }

            #[inline]
            fn json_add(
                __update: ::dynamo_lambda::Update<Self>,
                __field: &str,
                __value: ::dynamo_lambda::__private::serde_json::Value,
            ) -> ::core::result::Result<::dynamo_lambda::Update<Self>, ::dynamo_lambda::Error> {
                let __section = "add";
                match __field {
                    #(#add_arms)*
                    #(#refused)*
                    _ => ::core::result::Result::Err(::dynamo_lambda::__private::json_field_refused(
                        __section, __field, "only number and set fields can be added to",
                    )),
                }
            }
        }
    }
}

/// Numbers and sets: what `ADD` takes.
fn is_addable(ty: &Type) -> bool {
    const OTHERS: &[&str] = &["f32", "f64", "HashSet", "BTreeSet"];
    matches!(ty, Type::Path(p) if p.qself.is_none()
    && p.path.segments.last().is_some_and(|s| {
        INTEGER_TYPES.iter().chain(OTHERS).any(|a| s.ident == a)
    }))
}

fn option_inner(ty: &Type) -> Option<&Type> {
    type_argument(ty, "Option")
}
