//! Expand: the checked model into code, one file per generated capability.
//! Nothing here reports errors: what could be wrong was checked.

pub mod collection;
mod definition;
pub mod entity;
pub mod fallback;
mod fields;
mod handler_query;
mod handler_update;
mod item;
mod key;
mod key_types;
mod ops;
mod query;
pub mod shared_table;
mod table;
mod value;
mod variant;
mod view;

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Attribute, Data, DeriveInput};

use crate::check::Model;
use crate::parse::{Enum, Struct};

/// What `#[dynamo_lambda]` adds beside the struct.
pub fn table(model: &Model) -> TokenStream {
    let key_struct = key::key_struct(model);
    let item_impl = item::impl_item(model.item.ident, &item::table_fields(model), true);
    let table_impl = table::impl_table(model);
    let key_types = key_types::key_type_checks(&model.key_type_checks);
    let inherent = ops::inherent(model.item, model.serde);
    let fields = fields::fields(model);
    let queries = query::queries(model);
    let json = model.serde.then(|| {
        let update = handler_update::impl_json_update(model);
        let query = handler_query::impl_json_query(model);
        quote!(#update #query)
    });
    quote! {
        #key_struct
        #item_impl
        #table_impl
        #key_types
        #inherent
        #fields
        #queries
        #json
    }
}

/// What `#[derive(Attribute)]` generates for a struct: an `M` attribute.
pub fn nested(item: &Struct) -> TokenStream {
    item::impl_nested(item)
}

/// What `#[derive(Attribute)]` generates for a unit-only enum: an `S` attribute.
pub fn enumeration(item: &Enum) -> TokenStream {
    variant::impl_enum(item)
}

/// The annotated item as the compiler gets it back: without the
/// `#[dynamo(...)]` helpers, which only the macro reads.
pub fn strip_helper_attributes(input: &mut DeriveInput) {
    let strip = |attrs: &mut Vec<Attribute>| attrs.retain(|a| !a.path().is_ident("dynamo"));
    strip(&mut input.attrs);
    match &mut input.data {
        Data::Struct(data) => data.fields.iter_mut().for_each(|f| strip(&mut f.attrs)),
        Data::Enum(data) => data.variants.iter_mut().for_each(|v| {
            strip(&mut v.attrs);
            v.fields.iter_mut().for_each(|f| strip(&mut f.attrs));
        }),
        Data::Union(data) => data
            .fields
            .named
            .iter_mut()
            .for_each(|f| strip(&mut f.attrs)),
    }
}
