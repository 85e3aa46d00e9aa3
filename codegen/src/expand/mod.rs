//! Code generation, one file per capability.

mod definition;
mod fields;
mod item;
mod json_query;
mod json_update;
mod key;
mod key_types;
mod ops;
mod query;
mod variant;

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Attribute, Data, DeriveInput};

use crate::ast::{Enum, Struct};
use crate::attr::TableArgs;
use crate::ctxt::Ctxt;
use crate::valid;

/// `#[dynamo_lambda(...)]` on a struct.
pub fn table(args: TokenStream, input: TokenStream) -> TokenStream {
    let mut input: DeriveInput = match syn::parse2(input.clone()) {
        Ok(input) => input,
        Err(_) => {
            let error = syn::Error::new(
                proc_macro2::Span::call_site(),
                "#[dynamo_lambda] goes on a struct with named fields",
            )
            .to_compile_error();
            return quote!(#error #input);
        }
    };
    let cx = Ctxt::new();
    let args = TableArgs::parse(&cx, args);
    let expanded = Struct::from_input(&cx, &input, "#[dynamo_lambda]").and_then(|item| {
        valid::attribute_names(&cx, &item);
        let table = valid::table(&cx, &args, &item)?;
        let keys = key::key_fields(&table);
        let item_impl = item::impl_item(&item, &keys);
        let key_struct = key::key_struct(&item, &table);
        let table_impl = key::impl_table(&item, &table);
        let key_types = key_types::key_type_checks(&table.key_type_checks);
        let serde = derives_serde(&input.attrs);
        let inherent = ops::inherent(&item, serde);
        let fields = fields::fields(&item, &table);
        let queries = query::queries(&cx, &item, &table, &input);
        let json_update = serde.then(|| {
            let update = json_update::impl_json_update(&item, &table);
            let query = json_query::impl_json_query(&item, &table);
            quote!(#update #query)
        });
        Some(quote! {
            #key_struct
            #item_impl
            #table_impl
            #key_types
            #inherent
            #fields
            #queries
            #json_update
        })
    });
    strip_helper_attributes(&mut input);
    match cx.check() {
        Ok(()) => quote!(#input #expanded),
        Err(error) => {
            let error = error.to_compile_error();
            quote!(#input #error)
        }
    }
}

/// `#[derive(Attribute)]` on a struct (an `M` attribute) or a unit-only enum
/// (an `S` attribute).
pub fn attribute(input: TokenStream) -> TokenStream {
    let input: DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(error) => return error.to_compile_error(),
    };
    let cx = Ctxt::new();
    let expanded = if let Data::Enum(_) = &input.data {
        Enum::from_input(&cx, &input, "#[derive(Attribute)]").map(|item| {
            valid::variant_names(&cx, &item);
            variant::impl_enum(&item)
        })
    } else {
        Struct::from_input(&cx, &input, "#[derive(Attribute)]").map(|item| {
            valid::attribute_names(&cx, &item);
            valid::nested_fields(&cx, &item);
            item::impl_nested(&item)
        })
    };
    match cx.check() {
        Ok(()) => quote!(#expanded),
        Err(error) => {
            let error = error.to_compile_error();
            let fallback = attribute_fallback(&input);
            quote!(#error #fallback)
        }
    }
}

/// Stand-in impls for a type whose `#[derive(Attribute)]` failed, so that
/// fields of that type do not add errors of their own to the real one.
fn attribute_fallback(input: &DeriveInput) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    quote! {
        #[automatically_derived]
        impl #impl_generics ::dynamo_lambda::IntoAttributeValue for #ident #ty_generics #where_clause {
            fn to_attribute_value(
                &self,
            ) -> ::core::result::Result<
                ::core::option::Option<::dynamo_lambda::AttributeValue>,
                ::dynamo_lambda::AttributeError,
            > {
                ::core::unreachable!()
            }
        }

        #[automatically_derived]
        impl #impl_generics ::dynamo_lambda::FromAttributeValue for #ident #ty_generics #where_clause {
            fn from_attribute_value(
                _: ::dynamo_lambda::AttributeValue,
            ) -> ::core::result::Result<Self, ::dynamo_lambda::AttributeError> {
                ::core::unreachable!()
            }
        }
    }
}

/// Whether the struct derives both serde traits, which the handler needs.
fn derives_serde(attrs: &[Attribute]) -> bool {
    let mut serialize = false;
    let mut deserialize = false;
    for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
        let _ = attr.parse_nested_meta(|meta| {
            match meta
                .path
                .segments
                .last()
                .map(|s| s.ident.to_string())
                .as_deref()
            {
                Some("Serialize") => serialize = true,
                Some("Deserialize") => deserialize = true,
                _ => {}
            }
            Ok(())
        });
    }
    serialize && deserialize
}

/// Removes the `#[dynamo(...)]` helpers, which only the macro reads.
fn strip_helper_attributes(input: &mut DeriveInput) {
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
