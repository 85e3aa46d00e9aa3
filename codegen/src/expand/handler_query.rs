//! `impl JsonQuery`: the handler's `query` request dispatched to the table
//! or to the index it names, each with its own key types; and, with the
//! `http` feature, `impl KeyText`: the key read from and written as text
//! (the HTTP handler's paths).

use proc_macro2::TokenStream;
use quote::quote;

use crate::check::Model;
use crate::expand::key::key_ident;

pub fn impl_json_query(model: &Model) -> TokenStream {
    let item = model.item;
    let ident = item.ident;
    let run = |has_sort_key: bool| {
        if has_sort_key {
            quote!(::dynamo_lambda::handler::run_query)
        } else {
            quote!(::dynamo_lambda::handler::run_query_without_sort_key)
        }
    };
    let table_key = key_ident(item);
    let table_run = run(model.sort_key.is_some());
    let indexes = &model.indexes;
    let arms = indexes.iter().map(|index| {
        let run = run(index.sort_key.is_some());
        let name = &index.name;
        let key = &index.names.key;
        quote!(::core::option::Option::Some(#name) => ::std::boxed::Box::pin(#run::<#key, __V>(__table, __request)),)
    });
    let expected = if indexes.is_empty() {
        "this table has no indexes".to_owned()
    } else {
        format!(
            "unknown index; expected one of {}",
            indexes
                .iter()
                .map(|index| format!("`{}`", index.name))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let key_text = cfg!(feature = "http").then(|| key_text(model));
    quote! {
        #[automatically_derived]
        impl ::dynamo_lambda::handler::JsonQuery for #ident {
            #[inline]
            fn json_query<__V: ::dynamo_lambda::handler::QueryValue>(
                __table: &::dynamo_lambda::TableClient<Self>,
                __request: ::dynamo_lambda::handler::QueryRequest<__V>,
            ) -> ::dynamo_lambda::handler::QueryFuture<'_> {
                match __request.index.as_deref() {
                    ::core::option::Option::None => ::std::boxed::Box::pin(#table_run::<#table_key, __V>(__table, __request)),
                    #(#arms)*
                    ::core::option::Option::Some(_) => ::std::boxed::Box::pin(::core::future::ready(
                        ::core::result::Result::Err(::dynamo_lambda::Error::validation("index", #expected)),
                    )),
                }
            }
        }

        #key_text
    }
}

/// `impl KeyText` (the HTTP handler's paths): one text per key field,
/// named in errors as in the struct's JSON.
fn key_text(model: &Model) -> TokenStream {
    let ident = model.item.ident;
    let key = key_ident(model.item);
    let partition = model.partition_key.ident;
    let partition_name = &model.partition_key.json.deserialize;
    let (sort_from, sort_to) = match model.sort_key {
        Some(field) => {
            let sort = field.ident;
            let name = &field.json.deserialize;
            (
                quote! {
                    #sort: ::dynamo_lambda::__private::key_from_text(
                        #name,
                        ::dynamo_lambda::__private::sort_key_text(#name, __sort)?,
                    )?,
                },
                quote! {
                    ::core::option::Option::Some(::dynamo_lambda::__private::key_to_text(#name, &__key.#sort)?)
                },
            )
        }
        None => (quote!(), quote!(::core::option::Option::None)),
    };
    let check_no_sort = model
        .sort_key
        .is_none()
        .then(|| quote!(::dynamo_lambda::__private::no_sort_key_text(__sort)?;));
    quote! {
        #[automatically_derived]
        impl ::dynamo_lambda::http::KeyText for #ident {
            #[inline]
            fn key_from_text(
                __partition: &str,
                __sort: ::core::option::Option<&str>,
            ) -> ::core::result::Result<#key, ::dynamo_lambda::Error> {
                #check_no_sort
                ::core::result::Result::Ok(#key {
                    #partition: ::dynamo_lambda::__private::key_from_text(#partition_name, __partition)?,
                    #sort_from
                })
            }

            #[inline]
            fn key_to_text(
                __key: &#key,
            ) -> ::core::result::Result<
                (::std::string::String, ::core::option::Option<::std::string::String>),
                ::dynamo_lambda::Error,
            > {
                ::core::result::Result::Ok((
                    ::dynamo_lambda::__private::key_to_text(#partition_name, &__key.#partition)?,
                    #sort_to,
                ))
            }
        }
    }
}
