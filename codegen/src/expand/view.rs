//! For each secondary index: its key struct (`OrderByStatusKey`, where a
//! query of the index resumes) and, when the index does not project every
//! attribute, a view of what it holds (`OrderByTotalItem`).

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::{Ident, Path};

use crate::check::{Index, Model, ViewField};
use crate::expand::item::{ItemField, impl_item};
use crate::expand::key::key_ident;
use crate::expand::query::argument_type;
use crate::parse::serde_names::serde_options;
use crate::schema::Projection;

/// The derives generated key structs and views copy from the annotated
/// struct: whatever it derives, its fields (and the `X` of an `Option<X>`)
/// support. Not `Default`, which an `X` may lack; serde's when the struct's
/// serde attributes fit the view.
const DERIVES: &[&str] = &[
    "Debug",
    "Clone",
    "Copy",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "Hash",
];
const SERDE_DERIVES: &[&str] = &["Serialize", "Deserialize"];
/// Container serde attributes that mean the same on a struct of some of the fields.
const SAFE_CONTAINER_SERDE: &[&str] = &[
    "rename",
    "rename_all",
    "deny_unknown_fields",
    "crate",
    "expecting",
];
/// Field serde attributes that still fit once an `Option<X>` field is an `X`.
const SAFE_SPARSE_FIELD_SERDE: &[&str] = &["rename", "alias"];

/// The key struct, the view, and their impls.
pub fn index(model: &Model, index: &Index) -> TokenStream {
    let ident = model.item.ident;
    let key = &index.names.key;
    let table_name = &model.name;
    let index_name = &index.name;
    let key_doc = format!(
        "The key of an item in index `{index_name}` of table `{table_name}` — the index's \
         key attributes and the table's: where a query of the index resumes."
    );
    let key_struct = view_struct(model, key, &key_doc, &index.key_fields, false);
    let view = index.view_fields.as_ref().map(|fields| {
        let view = &index.names.view;
        let doc = format!(
            "What index `{index_name}` of table `{table_name}` holds of a [`{ident}`]: {}.",
            match &index.projection {
                Projection::Include(included) => format!(
                    "the table's and the index's keys, and {}",
                    included
                        .iter()
                        .map(|a| format!("`{a}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                _ => "the table's and the index's keys".to_owned(),
            }
        );
        view_struct(model, view, &doc, fields, true)
    });
    let item_type = match &index.view_fields {
        Some(_) => index.names.view.to_token_stream(),
        None => ident.to_token_stream(),
    };
    let partition = argument_type(index.partition_key);
    let sort = match index.sort_key {
        Some(field) => argument_type(field),
        None => quote!(::dynamo_lambda::NoSortKey),
    };
    let consistent = (!index.global).then(|| {
        quote! {
            #[automatically_derived]
            impl ::dynamo_lambda::ConsistentRead for #key {}
        }
    });
    quote! {
        #key_struct
        #view

        const _: () = {
            #[automatically_derived]
            impl ::dynamo_lambda::IndexKey for #key {
                type Table = #ident;
                type Item = #item_type;
                type Partition = #partition;
                type Sort = #sort;
                const INDEX: ::core::option::Option<&'static str> =
                    ::core::option::Option::Some(#index_name);

                #[inline]
                fn to_attributes(
                    &self,
                ) -> ::core::result::Result<::dynamo_lambda::Attributes, ::dynamo_lambda::AttributeError> {
                    ::dynamo_lambda::Item::to_item(self)
                }

                #[inline]
                fn from_attributes(
                    attributes: ::dynamo_lambda::Attributes,
                ) -> ::core::result::Result<Self, ::dynamo_lambda::AttributeError> {
                    ::dynamo_lambda::Item::from_item(attributes)
                }
            }

            #consistent
        };
    }
}

/// A struct of `fields` with `impl Item`, `impl Projected` and `key()`.
fn view_struct(
    model: &Model,
    ident: &Ident,
    doc: &str,
    fields: &[ViewField],
    serde: bool,
) -> TokenStream {
    let item = model.item;
    let vis = item.vis;
    let table_key = key_ident(item);
    let item_fields: Vec<_> = fields.iter().map(ItemField::view).collect();
    let item_impl = impl_item(ident, &item_fields, false);
    let serde = serde && serde_allowed(model, fields);
    let derive_paths = derives(model, serde);
    let container_serde = if serde {
        item.serde_attrs.as_slice()
    } else {
        &[]
    };
    let idents: Vec<_> = fields.iter().map(|f| f.field.ident).collect();
    let types = fields.iter().map(|f| f.ty);
    let field_serde = fields.iter().map(|f| {
        if serde {
            f.field.serde_attrs.as_slice()
        } else {
            &[]
        }
    });
    let field_docs = fields
        .iter()
        .map(|f| format!("The `{}` attribute.", f.field.name));
    let names = fields.iter().map(|f| &f.field.name);
    let table_keys: Vec<_> = model.key_fields().iter().map(|f| f.ident).collect();
    let derive = (!derive_paths.is_empty()).then(|| quote!(#[derive(#(#derive_paths),*)]));
    quote! {
        #[doc = #doc]
        #derive
        #(#container_serde)*
        #vis struct #ident {
            #(
                #[doc = #field_docs]
                #(#field_serde)*
                pub #idents: #types,
            )*
        }

        const _: () = {
            #item_impl

            #[automatically_derived]
            impl ::dynamo_lambda::Projected for #ident {
                const ATTRIBUTES: &'static [&'static str] = &[#(#names),*];
            }

            #[automatically_derived]
            impl #ident {
                /// The table key of this item, to read all of it.
                #[inline]
                #vis fn key(&self) -> #table_key {
                    #table_key {
                        #(#table_keys: ::core::clone::Clone::clone(&self.#table_keys),)*
                    }
                }
            }
        };
    }
}

/// The struct's derives a generated struct repeats; serde's only if `serde`.
fn derives<'m>(model: &'m Model, serde: bool) -> Vec<&'m Path> {
    model
        .item
        .derives
        .iter()
        .filter(|(name, _)| {
            DERIVES.contains(&name.as_str()) || serde && SERDE_DERIVES.contains(&name.as_str())
        })
        .map(|(_, path)| path)
        .collect()
}

/// Whether a view of `fields` can derive serde's traits as the struct does:
/// the struct's serde attributes mean the same on it, and those of a sparse
/// key field still fit its `X`.
fn serde_allowed(model: &Model, fields: &[ViewField]) -> bool {
    let only = |attr: &syn::Attribute, allowed: &[&str]| {
        serde_options(attr).is_some_and(|o| o.iter().all(|o| allowed.contains(&o.as_str())))
    };
    model
        .item
        .serde_attrs
        .iter()
        .all(|a| only(a, SAFE_CONTAINER_SERDE))
        && fields.iter().filter(|f| f.is_sparse()).all(|f| {
            f.field
                .serde_attrs
                .iter()
                .all(|a| only(a, SAFE_SPARSE_FIELD_SERDE))
        })
}
