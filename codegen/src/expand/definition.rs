//! `Table::DEFINITION` for a table read from a schema file.

use std::path::Path;

use proc_macro2::TokenStream;
use quote::quote;

use crate::schema::{
    Billing, Capacity, Index, KeyAttribute, Projection, ScalarType, StreamView, TableSchema,
};

pub fn from_schema(name: &str, name_env: &str, schema: &TableSchema) -> TokenStream {
    let partition_key = key(&schema.partition_key);
    let sort_key = optional(schema.sort_key.as_ref().map(key));
    let global_indexes = schema.global_indexes.iter().map(index);
    let local_indexes = schema.local_indexes.iter().map(index);
    let ttl_attribute = optional(schema.ttl_attribute.as_ref().map(|a| quote!(#a)));
    let billing = match schema.billing {
        Billing::OnDemand => quote!(::dynamo_lambda::Billing::OnDemand),
        Billing::Provisioned(c) => {
            let c = capacity(c);
            quote!(::dynamo_lambda::Billing::Provisioned(#c))
        }
    };
    let stream = optional(schema.stream.map(|view| match view {
        StreamView::KeysOnly => quote!(::dynamo_lambda::StreamView::KeysOnly),
        StreamView::NewImage => quote!(::dynamo_lambda::StreamView::NewImage),
        StreamView::OldImage => quote!(::dynamo_lambda::StreamView::OldImage),
        StreamView::NewAndOldImages => quote!(::dynamo_lambda::StreamView::NewAndOldImages),
    }));
    quote! {
        ::dynamo_lambda::TableDefinition {
            name: #name,
            name_env: #name_env,
            partition_key: #partition_key,
            sort_key: #sort_key,
            global_indexes: &[#(#global_indexes),*],
            local_indexes: &[#(#local_indexes),*],
            ttl_attribute: #ttl_attribute,
            billing: #billing,
            stream: #stream,
        }
    }
}

/// Makes cargo rebuild the crate when the schema file changes.
pub fn rebuild_on_change(path: &Path) -> TokenStream {
    let path = path.to_string_lossy();
    quote! {
        const _: &[u8] = ::core::include_bytes!(#path);
    }
}

fn key(key: &KeyAttribute) -> TokenStream {
    let attribute = &key.name;
    let key_type = match key.ty {
        ScalarType::S => quote!(::dynamo_lambda::KeyType::S),
        ScalarType::N => quote!(::dynamo_lambda::KeyType::N),
        ScalarType::B => quote!(::dynamo_lambda::KeyType::B),
    };
    quote! {
        ::dynamo_lambda::KeyDefinition { attribute: #attribute, key_type: #key_type }
    }
}

fn index(index: &Index) -> TokenStream {
    let name = &index.name;
    let partition_key = key(&index.partition_key);
    let sort_key = optional(index.sort_key.as_ref().map(key));
    let projection = match &index.projection {
        Projection::All => quote!(::dynamo_lambda::Projection::All),
        Projection::KeysOnly => quote!(::dynamo_lambda::Projection::KeysOnly),
        Projection::Include(attributes) => {
            quote!(::dynamo_lambda::Projection::Include(&[#(#attributes),*]))
        }
    };
    let capacity = optional(index.capacity.map(capacity));
    quote! {
        ::dynamo_lambda::IndexDefinition {
            name: #name,
            partition_key: #partition_key,
            sort_key: #sort_key,
            projection: #projection,
            capacity: #capacity,
        }
    }
}

fn capacity(capacity: Capacity) -> TokenStream {
    let Capacity { read, write } = capacity;
    quote!(::dynamo_lambda::Capacity { read: #read, write: #write })
}

fn optional(value: Option<TokenStream>) -> TokenStream {
    match value {
        Some(value) => quote!(::core::option::Option::Some(#value)),
        None => quote!(::core::option::Option::None),
    }
}
