//! The typed primary key: `UserKey` and its `impl Key`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use crate::check::Model;
use crate::parse::Struct;
use crate::parse::serde_names::serde_options;

/// `UserKey` for `User`.
pub fn key_ident(item: &Struct) -> syn::Ident {
    format_ident!("{}Key", item.ident)
}

/// The key struct and its `impl Key`.
pub fn key_struct(model: &Model) -> TokenStream {
    let item = model.item;
    let ident = item.ident;
    let vis = item.vis;
    let key = key_ident(item);
    let fields = model.key_fields();
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
        model.name
    );
    // The key's JSON is the struct's: its fields' serde attributes and the
    // struct's `rename_all`. `Blob` has no serde impls: unless the field
    // says how, keys carry it as base64 in JSON.
    let serde_with: Vec<_> = fields
        .iter()
        .map(|f| {
            let own = &f.serde_attrs;
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
    let fields = idents
        .iter()
        .zip(&types)
        .zip(field_docs.zip(serde_with))
        .map(|((ident, ty), (doc, serde))| quote!(#[doc = #doc] #serde pub #ident: #ty));
    let declaration = declare(&doc, vis, &key, rename_all, fields);
    quote! {
        #declaration

        #[automatically_derived]
        impl ::dynamo_lambda::Key for #key {
            #[inline]
            fn to_key(
                &self,
            ) -> ::core::result::Result<::dynamo_lambda::Attributes, ::dynamo_lambda::AttributeError> {
                let mut __item = ::dynamo_lambda::Attributes::with_capacity(#count);
                #(#encode)*
                ::core::result::Result::Ok(__item)
            }

            #[inline]
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

/// A key struct: its derives (the key's JSON is the struct's serde names
/// and `rename_all`) and `fields`, each `#[doc] attributes pub name: Type`.
pub fn declare(
    doc: &str,
    vis: &syn::Visibility,
    key: &syn::Ident,
    rename_all: &[TokenStream],
    fields: impl Iterator<Item = TokenStream>,
) -> TokenStream {
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
            #(#fields,)*
        }
    }
}

/// The local a key field is parsed into: `__f_<field>`.
pub fn parsed_local(ident: &syn::Ident) -> syn::Ident {
    format_ident!("__f_{}", syn::ext::IdentExt::unraw(ident))
}
