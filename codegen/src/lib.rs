//! The `dynamo-lambda` macros as a plain library, so tests and tools can run
//! the same checks the compiler does. Each macro is a pipeline: `parse` the
//! item into a typed view, `check` it into one `Model`, `expand` the model;
//! when a check fails, the errors go out with the stand-in impls of
//! `expand::fallback` instead.

mod check;
mod ctxt;
mod expand;
mod naming;
mod parse;
pub mod schema;

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Data, DeriveInput};

use crate::ctxt::Ctxt;
use crate::parse::{Enum, SharedTableArgs, Struct, TableArgs};

pub use check::default_env_name;
pub use check::schema_file::MANIFEST_DIR_OVERRIDE;

/// Expands `#[dynamo_lambda(args)] input`.
pub fn dynamo_lambda(args: TokenStream, input: TokenStream) -> TokenStream {
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
    let expanded = table(args, &input);
    expand::strip_helper_attributes(&mut input);
    quote!(#input #expanded)
}

/// Parse → check → expand, or the errors and the fallback.
fn table(args: TokenStream, input: &DeriveInput) -> TokenStream {
    let cx = Ctxt::new();
    let args = TableArgs::parse(&cx, args);
    let item = Struct::from_input(&cx, input, "#[dynamo_lambda]");
    if args.is_entity() {
        return entity(cx, &args, item.as_ref());
    }
    let model = item
        .as_ref()
        .and_then(|item| check::table(&cx, &args, item));
    match (cx.check(), &model) {
        (Ok(()), Some(model)) => expand::table(model),
        (result, model) => {
            // Every check that yields no model reports why.
            let error = result.err().unwrap_or_else(|| {
                syn::Error::new(
                    proc_macro2::Span::call_site(),
                    "#[dynamo_lambda] could not check this struct",
                )
            });
            let error = error.to_compile_error();
            let stubs = item
                .as_ref()
                .map(|item| expand::fallback::table(item, model.as_ref()));
            quote!(#error #stubs)
        }
    }
}

/// An entity of a shared table: parse → check → expand, or the errors and
/// the fallback.
fn entity(cx: Ctxt, args: &TableArgs, item: Option<&Struct>) -> TokenStream {
    let model = item.and_then(|item| check::entity::entity(&cx, args, item));
    match (cx.check(), &model) {
        (Ok(()), Some(model)) => expand::entity::entity(model),
        (result, _) => {
            let error = result.err().unwrap_or_else(|| {
                syn::Error::new(
                    proc_macro2::Span::call_site(),
                    "#[dynamo_lambda] could not check this entity",
                )
            });
            let error = error.to_compile_error();
            let stubs = item.map(|item| expand::fallback::table(item, None));
            quote!(#error #stubs)
        }
    }
}

/// Expands `#[single_table(args)] input`: the declaration of a table that
/// several entity types share.
pub fn single_table(args: TokenStream, input: TokenStream) -> TokenStream {
    let input: DeriveInput = match syn::parse2(input.clone()) {
        Ok(input) => input,
        Err(_) => {
            let error = syn::Error::new(
                proc_macro2::Span::call_site(),
                "#[single_table] goes on a unit struct that names the table: `pub struct Shop;`",
            )
            .to_compile_error();
            return quote!(#error #input);
        }
    };
    let cx = Ctxt::new();
    let args = SharedTableArgs::parse(&cx, args);
    let model = check::shared_table::shared_table(&cx, &args, &input);
    let table_wide = args
        .entities
        .as_ref()
        .map(|entities| table_wide_enum(&input, entities));
    let expanded = match (cx.check(), &model) {
        (Ok(()), Some(model)) => {
            let table = expand::shared_table::shared_table(model);
            let path: syn::Path = input.ident.clone().into();
            let entities = table_wide.as_ref().map(|input| {
                expand::collection::collection(&check::collection::table_wide(input, path))
            });
            quote!(#table #entities)
        }
        (result, _) => result
            .err()
            .map(|error| error.to_compile_error())
            .unwrap_or_default(),
    };
    quote!(#input #expanded)
}

/// `enum ShopItem { Customer(Customer), … }` for `entities(Customer, …)`.
fn table_wide_enum(input: &DeriveInput, entities: &[syn::Path]) -> DeriveInput {
    let ident = quote::format_ident!("{}Item", input.ident);
    let vis = &input.vis;
    let doc = format!(
        "An item of table [`{}`] as its entity type, or `Unknown`: what a scan of the table reads.",
        input.ident
    );
    let variants = entities.iter().map(|path| {
        let name = &path.segments.last().expect("a path has a segment").ident;
        let doc = format!("A [`{name}`].");
        quote!(#[doc = #doc] #name(#path))
    });
    syn::parse_quote! {
        #[doc = #doc]
        #[derive(::core::fmt::Debug)]
        #vis enum #ident {
            #(#variants,)*
        }
    }
}

/// Expands `#[collection(args)] input`: an enum of the entity types that
/// share a partition.
pub fn collection(args: TokenStream, input: TokenStream) -> TokenStream {
    let input: DeriveInput = match syn::parse2(input.clone()) {
        Ok(input) => input,
        Err(_) => {
            let error = syn::Error::new(
                proc_macro2::Span::call_site(),
                "#[collection] goes on an enum with one variant per entity type",
            )
            .to_compile_error();
            return quote!(#error #input);
        }
    };
    let cx = Ctxt::new();
    let model = check::collection::collection(&cx, args, &input);
    match (cx.check(), &model) {
        (Ok(()), Some(model)) => expand::collection::collection(model),
        (result, _) => {
            let error = result.err().map(|e| e.to_compile_error());
            quote!(#error #input)
        }
    }
}

/// Expands `#[derive(Attribute)] input`: a struct becomes an `M` attribute,
/// a unit-only enum an `S` attribute.
pub fn derive_attribute(input: TokenStream) -> TokenStream {
    const WHAT: &str = "#[derive(Attribute)]";
    let input: DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(error) => return error.to_compile_error(),
    };
    let cx = Ctxt::new();
    let expanded = if let Data::Enum(_) = &input.data {
        Enum::from_input(&cx, &input, WHAT).map(|item| {
            check::enumeration(&cx, &item);
            expand::enumeration(&item)
        })
    } else {
        Struct::from_input(&cx, &input, WHAT).map(|item| {
            check::nested(&cx, &item);
            expand::nested(&item)
        })
    };
    match cx.check() {
        Ok(()) => quote!(#expanded),
        Err(error) => {
            let error = error.to_compile_error();
            let fallback = expand::fallback::attribute(&input);
            quote!(#error #fallback)
        }
    }
}
