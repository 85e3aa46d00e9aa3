//! `User::fields()`: a typed handle per stored attribute, for conditions
//! and updates; key and version attributes get handles an update refuses.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::Type;

use crate::check::Model;
use crate::parse::ast::type_argument;
use crate::parse::{Field, Struct};

pub fn fields(model: &Model) -> TokenStream {
    handles(model.item, |f| model.is_key(f), model.version)
}

/// The handles of `item`'s fields: those `is_key` picks cannot be updated.
pub fn handles(
    item: &Struct,
    is_key: impl Fn(&Field) -> bool,
    version: Option<&Field>,
) -> TokenStream {
    let ident = item.ident;
    let vis = item.vis;
    let fields_ident = format_ident!("{}Fields", ident);
    // `with`/`binary` fields are not stored as their Rust type, and
    // `key_only` ones not as an attribute: no handle.
    let handled: Vec<&Field> = item
        .stored_fields()
        .filter(|f| f.attrs.with.is_none() && f.attrs.key_only.is_none())
        .collect();
    let idents: Vec<_> = handled.iter().map(|f| f.ident).collect();
    let names: Vec<_> = handled.iter().map(|f| &f.name).collect();
    let is = |field: Option<&Field>, f: &Field| field.is_some_and(|k| k.ident == f.ident);
    let types = handled.iter().map(|f| {
        let ty = f.ty;
        if is_key(f) {
            quote!(::dynamo_lambda::Attr<#ident, #ty, ::dynamo_lambda::KeyField>)
        } else if is(version, f) {
            quote!(::dynamo_lambda::Attr<#ident, #ty, ::dynamo_lambda::VersionField>)
        } else if let Some(inner) = option_inner(ty) {
            quote!(::dynamo_lambda::Attr<#ident, #inner, ::dynamo_lambda::Optional>)
        } else {
            quote!(::dynamo_lambda::Attr<#ident, #ty>)
        }
    });
    let docs = handled
        .iter()
        .map(|f| format!("The `{}` attribute.", f.name));
    let doc =
        format!("Typed handles on the stored attributes of [`{ident}`], from `{ident}::fields()`.");
    quote! {
        #[doc = #doc]
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::marker::Copy)]
        #vis struct #fields_ident {
            #(
                #[doc = #docs]
                pub #idents: #types,
            )*
        }

        #[automatically_derived]
        impl #ident {
            /// Typed handles on this struct's attributes, for conditions and updates.
            #[inline]
            #vis const fn fields() -> #fields_ident {
                #fields_ident {
                    #(#idents: ::dynamo_lambda::Attr::new(#names),)*
                }
            }
        }
    }
}

fn option_inner(ty: &Type) -> Option<&Type> {
    type_argument(ty, "Option")
}
