//! `impl SharedTable` for a `#[single_table]` struct, and a constant per
//! index for its entities to name.

use proc_macro2::TokenStream;
use quote::quote;

use crate::check::shared_table::SharedTable;

pub fn shared_table(model: &SharedTable) -> TokenStream {
    let ident = &model.input.ident;
    let vis = &model.input.vis;
    let name = &model.name;
    let name_env = &model.name_env;
    let key = |attribute: &str| {
        quote! {
            ::dynamo_lambda::KeyDefinition {
                attribute: #attribute,
                key_type: ::dynamo_lambda::KeyType::S,
            }
        }
    };
    let option = |value: Option<TokenStream>| match value {
        Some(value) => quote!(::core::option::Option::Some(#value)),
        None => quote!(::core::option::Option::None),
    };
    let partition_key = key(&model.partition_key);
    let sort_key = option(model.sort_key.as_deref().map(key));
    let ttl = option(model.ttl.as_ref().map(|ttl| quote!(#ttl)));
    let type_attribute = &model.type_attribute;
    let definitions = model.indexes.iter().map(|index| {
        let name = index.name.to_string();
        let partition_key = key(&index.partition_key);
        let sort_key = option(index.sort_key.as_deref().map(key));
        quote! {
            ::dynamo_lambda::IndexDefinition {
                name: #name,
                partition_key: #partition_key,
                sort_key: #sort_key,
                projection: ::dynamo_lambda::Projection::All,
                capacity: ::core::option::Option::None,
            }
        }
    });
    let constants = model.indexes.iter().map(|index| {
        let constant = &index.name;
        let name = index.name.to_string();
        let partition_key = &index.partition_key;
        let sort_key = option(index.sort_key.as_ref().map(|sk| quote!(#sk)));
        let doc = format!(
            "Index `{name}`: partition key `{partition_key}`{}.",
            index
                .sort_key
                .as_ref()
                .map(|sk| format!(", sort key `{sk}`"))
                .unwrap_or_default()
        );
        quote! {
            #[doc = #doc]
            #vis const #constant: ::dynamo_lambda::SharedIndex = ::dynamo_lambda::SharedIndex {
                name: #name,
                partition_key: #partition_key,
                sort_key: #sort_key,
            };
        }
    });
    quote! {
        #[automatically_derived]
        impl ::dynamo_lambda::SharedTable for #ident {
            const DEFINITION: ::dynamo_lambda::TableDefinition = ::dynamo_lambda::TableDefinition {
                global_indexes: &[#(#definitions),*],
                ttl_attribute: #ttl,
                ..::dynamo_lambda::TableDefinition::keys_only(#name, #name_env, #partition_key, #sort_key)
            };
            const TYPE_ATTRIBUTE: &'static str = #type_attribute;

            #[inline]
            fn table_name() -> &'static str {
                static NAME: ::std::sync::OnceLock<::std::string::String> = ::std::sync::OnceLock::new();
                ::dynamo_lambda::__private::table_name(&NAME, #name_env, #name)
            }
        }

        #[automatically_derived]
        #[allow(non_upper_case_globals)]
        impl #ident {
            #(#constants)*
        }
    }
}
