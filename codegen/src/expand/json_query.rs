//! `impl JsonQuery`: the handler's `query` request dispatched to the table
//! or to the index it names, each with its own key types.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ast::Struct;
use crate::expand::key::key_ident;
use crate::expand::query::index_keys;
use crate::valid::Table;

pub fn impl_json_query(item: &Struct, table: &Table) -> TokenStream {
    let ident = item.ident;
    let run = |has_sort_key: bool| {
        if has_sort_key {
            quote!(::dynamo_lambda::handler::run_query)
        } else {
            quote!(::dynamo_lambda::handler::run_query_without_sort_key)
        }
    };
    let table_key = key_ident(item);
    let table_run = run(table.sort_key.is_some());
    let indexes = index_keys(item, table);
    let arms = indexes.iter().map(|(name, key, has_sort_key)| {
        let run = run(*has_sort_key);
        quote!(::core::option::Option::Some(#name) => ::std::boxed::Box::pin(#run::<#key>(__table, __request)),)
    });
    let expected = if indexes.is_empty() {
        "this table has no indexes".to_owned()
    } else {
        format!(
            "unknown index; expected one of {}",
            indexes
                .iter()
                .map(|(name, _, _)| format!("`{name}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    quote! {
        #[automatically_derived]
        impl ::dynamo_lambda::handler::JsonQuery for #ident {
            fn json_query(
                __table: &::dynamo_lambda::TableClient<Self>,
                __request: ::dynamo_lambda::handler::QueryRequest,
            ) -> ::core::pin::Pin<::std::boxed::Box<
                dyn ::core::future::Future<
                    Output = ::core::result::Result<
                        ::dynamo_lambda::__private::serde_json::Value,
                        ::dynamo_lambda::Error,
                    >,
                > + ::core::marker::Send + '_,
            >> {
                match __request.index.as_deref() {
                    ::core::option::Option::None => ::std::boxed::Box::pin(#table_run::<#table_key>(__table, __request)),
                    #(#arms)*
                    ::core::option::Option::Some(_) => ::std::boxed::Box::pin(::core::future::ready(
                        ::core::result::Result::Err(::dynamo_lambda::Error::validation("index", #expected)),
                    )),
                }
            }
        }
    }
}
