//! Queries and scans: `Order::query(&pk)`, `Order::scan()`, and for each
//! secondary index `Order::query_by_status(&status)`, with the key types
//! their cursors resume from.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote, quote_spanned};
use syn::spanned::Spanned;

use crate::check::{Index, Model};
use crate::expand::key::key_ident;
use crate::expand::view;
use crate::parse::Field;
use crate::parse::ast::type_argument;

pub fn queries(model: &Model) -> TokenStream {
    let item = model.item;
    let ident = item.ident;
    let vis = item.vis;
    let key = key_ident(item);
    let table_key = table_key(model);
    let pk = model.partition_key;
    let pk_ident = pk.ident;
    let pk_ty = pk.ty;
    let query_doc = format!(
        "A query of the items with this `{}`{}; `.await` it for a page, or `.stream()` every item.",
        pk.name,
        match model.sort_key {
            Some(sk) => format!(", in `{}` order", sk.name),
            None => String::new(),
        }
    );
    let bound = partition_bound(pk_ty);
    let mut methods = vec![quote! {
        #[doc = #query_doc]
        #[inline]
        #vis fn query<__Q>(#pk_ident: &__Q) -> ::dynamo_lambda::Query<#key>
        where
            #bound
        {
            ::dynamo_lambda::TableClient::<Self>::shared().query(#pk_ident)
        }

        /// A scan of every item of the table; `.await` it for a page,
        /// `.stream()` every item, or split it with `.segments(n)`.
        #[inline]
        #vis fn scan() -> ::dynamo_lambda::Scan<#key> {
            ::dynamo_lambda::TableClient::<Self>::shared().scan()
        }
    }];
    let mut items = vec![table_key];
    for index in &model.indexes {
        methods.push(index_method(model, index));
        items.push(view::index(model, index));
    }
    quote! {
        #(#items)*

        #[automatically_derived]
        impl #ident {
            #(#methods)*
        }
    }
}

/// `Borrow` lets `Order::query("c1")` take a `&str` for a `String` key.
fn partition_bound(ty: &impl ToTokens) -> TokenStream {
    quote_spanned! {ty.span()=>
        #ty: ::core::borrow::Borrow<__Q>,
        __Q: ::dynamo_lambda::IntoAttributeValue + ?::core::marker::Sized,
    }
}

/// `impl IndexKey` for the table's key, and `impl Projected` for the struct.
fn table_key(model: &Model) -> TokenStream {
    let item = model.item;
    let ident = item.ident;
    let key = key_ident(item);
    let pk_ty = model.partition_key.ty;
    let sort = match model.sort_key {
        Some(field) => field.ty.to_token_stream(),
        None => quote!(::dynamo_lambda::NoSortKey),
    };
    let attributes = item.stored_fields().map(|f| &f.name);
    table_key_impls(
        ident,
        &key,
        &pk_ty.to_token_stream(),
        &sort,
        quote!(#(#attributes),*),
    )
}

/// `impl IndexKey` and `impl ConsistentRead` for a table's key `key` (its
/// encoding is the `Key` impl's), and `impl Projected` for `ident` with
/// `attributes`.
pub fn table_key_impls(
    ident: &syn::Ident,
    key: &syn::Ident,
    partition: &TokenStream,
    sort: &TokenStream,
    attributes: TokenStream,
) -> TokenStream {
    quote! {
        const _: () = {
            #[automatically_derived]
            impl ::dynamo_lambda::IndexKey for #key {
                type Table = #ident;
                type Item = #ident;
                type Partition = #partition;
                type Sort = #sort;
                const INDEX: ::core::option::Option<&'static str> = ::core::option::Option::None;

                #[inline]
                fn to_attributes(
                    &self,
                ) -> ::core::result::Result<::dynamo_lambda::Attributes, ::dynamo_lambda::AttributeError> {
                    ::dynamo_lambda::Key::to_key(self)
                }

                #[inline]
                fn from_attributes(
                    attributes: ::dynamo_lambda::Attributes,
                ) -> ::core::result::Result<Self, ::dynamo_lambda::AttributeError> {
                    ::dynamo_lambda::Key::from_key(attributes)
                }
            }

            #[automatically_derived]
            impl ::dynamo_lambda::ConsistentRead for #key {}

            #[automatically_derived]
            impl ::dynamo_lambda::Projected for #ident {
                const ATTRIBUTES: &'static [&'static str] = &[#attributes];
            }
        };
    }
}

/// `Order::query_by_status(&status)`.
fn index_method(model: &Model, index: &Index) -> TokenStream {
    let vis = model.item.vis;
    let method = &index.names.method;
    let key = &index.names.key;
    let pk_ident = index.partition_key.ident;
    let pk_ty = argument_type(index.partition_key);
    let doc = format!(
        "A query of {} index `{}` for the items with this `{}`{}.",
        if index.global { "global" } else { "local" },
        index.name,
        index.partition_key.name,
        match index.sort_key {
            Some(sk) => format!(", in `{}` order", sk.name),
            None => String::new(),
        }
    );
    let bound = partition_bound(&pk_ty);
    quote! {
        #[doc = #doc]
        #[inline]
        #vis fn #method<__Q>(#pk_ident: &__Q) -> ::dynamo_lambda::Query<#key>
        where
            #bound
        {
            ::dynamo_lambda::TableClient::<Self>::shared().query_index::<#key>(#pk_ident)
        }
    }
}

/// The value a query takes for an index key: the field's type (its `X` if
/// it is an `Option<X>`), a `Blob` for a `binary` field, and the raw
/// `AttributeValue` for a field converted by a `with` module.
pub fn argument_type(field: &Field) -> TokenStream {
    match &field.attrs.with {
        Some((option, _)) if option.is_ident("binary") => quote!(::dynamo_lambda::Blob),
        Some(_) => quote!(::dynamo_lambda::AttributeValue),
        None => type_argument(field.ty, "Option")
            .unwrap_or(field.ty)
            .to_token_stream(),
    }
}
