//! Queries and scans: `Order::query(&pk)`, `Order::scan()`, and for each
//! secondary index `Order::query_by_status(&status)` with a key struct for
//! its cursors (`OrderByStatusKey`) and, when the index does not project
//! every attribute, a view of what it holds (`OrderByTotalItem`).

use std::collections::HashMap;

use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Attribute, Data, DeriveInput, Ident, Path, Type};

use crate::ast::{Field, Struct};
use crate::attr::FieldAttrs;
use crate::ctxt::Ctxt;
use crate::expand::item::impl_item;
use crate::expand::key::key_ident;
use crate::naming::snake_case;
use crate::schema::{Index, Projection};
use crate::serde_names::{serde_attrs, serde_options};
use crate::valid::Table;

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

pub fn queries(cx: &Ctxt, item: &Struct, table: &Table, input: &DeriveInput) -> TokenStream {
    let ident = item.ident;
    let vis = item.vis;
    let key = key_ident(item);
    let table_key = table_key(item, table);
    let pk = table.partition_key;
    let pk_ident = pk.ident;
    let pk_ty = pk.ty;
    let query_doc = format!(
        "A query of the items with this `{}`{}; `.await` it for a page, or `.stream()` every item.",
        pk.name,
        match table.sort_key {
            Some(sk) => format!(", in `{}` order", sk.name),
            None => String::new(),
        }
    );
    let bound = partition_bound(pk_ty);
    let mut methods = vec![quote! {
        #[doc = #query_doc]
        #vis fn query<__Q>(#pk_ident: &__Q) -> ::dynamo_lambda::Query<#key>
        where
            #bound
        {
            ::dynamo_lambda::TableClient::<Self>::shared().query(#pk_ident)
        }

        /// A scan of every item of the table; `.await` it for a page,
        /// `.stream()` every item, or split it with `.segments(n)`.
        #vis fn scan() -> ::dynamo_lambda::Scan<#key> {
            ::dynamo_lambda::TableClient::<Self>::shared().scan()
        }
    }];
    let mut items = vec![table_key];
    let derives = Derives::of(input);
    let mut seen: HashMap<String, &str> = HashMap::new();
    let indexes = table.schema.as_ref().map(|file| {
        let schema = &file.schema;
        let global = schema.global_indexes.iter().map(|i| (i, true));
        global.chain(schema.local_indexes.iter().map(|i| (i, false)))
    });
    for (index, global) in indexes.into_iter().flatten() {
        let names = IndexNames::new(item, &index.name);
        if let Some(first) = seen.insert(names.method.to_string(), &index.name) {
            let file = table.schema.as_ref().expect("indexes come from a schema");
            cx.error_spanned_by(
                &file.lit,
                format!(
                    "indexes `{first}` and `{}` would both be queried with `{}`; rename one of them",
                    index.name, names.method
                ),
            );
            continue;
        }
        if let Some(index) = IndexCode::new(item, table, index, global, names, &derives) {
            methods.push(index.method());
            items.push(index.items());
        }
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
fn table_key(item: &Struct, table: &Table) -> TokenStream {
    let ident = item.ident;
    let key = key_ident(item);
    let pk_ty = table.partition_key.ty;
    let sort = match table.sort_key {
        Some(field) => field.ty.to_token_stream(),
        None => quote!(::dynamo_lambda::NoSortKey),
    };
    let decode = [Some(table.partition_key), table.sort_key]
        .into_iter()
        .flatten()
        .map(|f| {
            let field = f.ident;
            let name = &f.name;
            quote_spanned! {f.ty.span()=>
                #field: ::dynamo_lambda::__private::decode_field(&mut __item, #name)?,
            }
        });
    let attributes = item.stored_fields().map(|f| &f.name);
    quote! {
        const _: () = {
            #[automatically_derived]
            impl ::dynamo_lambda::IndexKey for #key {
                type Table = #ident;
                type Item = #ident;
                type Partition = #pk_ty;
                type Sort = #sort;
                const INDEX: ::core::option::Option<&'static str> = ::core::option::Option::None;

                fn to_attributes(
                    &self,
                ) -> ::core::result::Result<::dynamo_lambda::Attributes, ::dynamo_lambda::AttributeError> {
                    ::dynamo_lambda::Key::to_key(self)
                }

                fn from_attributes(
                    mut __item: ::dynamo_lambda::Attributes,
                ) -> ::core::result::Result<Self, ::dynamo_lambda::AttributeError> {
                    ::core::result::Result::Ok(#key {
                        #(#decode)*
                    })
                }
            }

            #[automatically_derived]
            impl ::dynamo_lambda::ConsistentRead for #key {}

            #[automatically_derived]
            impl ::dynamo_lambda::Projected for #ident {
                const ATTRIBUTES: &'static [&'static str] = &[#(#attributes),*];
            }
        };
    }
}

/// Each index's schema name, key struct and whether it has a sort key, for
/// the handler's `query` request.
pub(crate) fn index_keys(item: &Struct, table: &Table) -> Vec<(String, Ident, bool)> {
    let Some(file) = &table.schema else {
        return Vec::new();
    };
    let schema = &file.schema;
    schema
        .global_indexes
        .iter()
        .chain(&schema.local_indexes)
        .map(|index| {
            (
                index.name.clone(),
                IndexNames::new(item, &index.name).key,
                index.sort_key.is_some(),
            )
        })
        .collect()
}

/// The names generated for one index: `by_status` → `query_by_status`,
/// `OrderByStatusKey`, `OrderByStatusItem`.
struct IndexNames {
    method: Ident,
    key: Ident,
    view: Ident,
}

impl IndexNames {
    fn new(item: &Struct, index: &str) -> Self {
        let snake = snake_case(index);
        let by = match snake.strip_prefix("by_") {
            Some(rest) if !rest.is_empty() => snake.clone(),
            _ => format!("by_{snake}"),
        };
        let pascal: String = by.split('_').map(capitalize).collect();
        IndexNames {
            method: format_ident!("query_{}", by),
            key: format_ident!("{}{}Key", item.ident, pascal),
            view: format_ident!("{}{}Item", item.ident, pascal),
        }
    }
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// What is generated for one secondary index.
struct IndexCode<'a> {
    item: &'a Struct<'a>,
    table: &'a Table<'a>,
    index: &'a Index,
    global: bool,
    names: IndexNames,
    derives: &'a Derives<'a>,
    partition: &'a Field<'a>,
    sort: Option<&'a Field<'a>>,
    /// The fields of the index's key struct, in the struct's order.
    key_fields: Vec<Field<'a>>,
    /// The fields of the view, for an index without all attributes.
    view_fields: Option<Vec<Field<'a>>>,
}

impl<'a> IndexCode<'a> {
    fn new(
        item: &'a Struct<'a>,
        table: &'a Table<'a>,
        index: &'a Index,
        global: bool,
        names: IndexNames,
        derives: &'a Derives<'a>,
    ) -> Option<Self> {
        // Schema checks have reported a key attribute without a field.
        let field = |name: &str| item.stored_fields().find(|f| f.name == name);
        let partition = field(&index.partition_key.name)?;
        let sort = match &index.sort_key {
            Some(key) => Some(field(&key.name)?),
            None => None,
        };
        let index_keys = [Some(partition), sort];
        let is_index_key = |f: &Field| index_keys.iter().flatten().any(|k| k.name == f.name);
        let is_key = |f: &Field| {
            is_index_key(f)
                || [Some(table.partition_key), table.sort_key]
                    .iter()
                    .flatten()
                    .any(|k| k.name == f.name)
        };
        let view_field = |f: &'a Field<'a>, key: bool| Field {
            ident: f.ident,
            ty: if is_index_key(f) {
                sparse_key_type(f)
            } else {
                f.ty
            },
            attrs: FieldAttrs {
                rename: f.attrs.rename.clone(),
                with: f.attrs.with.clone(),
                default: if key { None } else { f.attrs.default.clone() },
                ..FieldAttrs::default()
            },
            name: f.name.clone(),
            name_span: f.name_span,
            json: f.json.clone(),
            syn_attrs: f.syn_attrs,
        };
        let key_fields = item
            .stored_fields()
            .filter(|f| is_key(f))
            .map(|f| view_field(f, true))
            .collect();
        let view_fields = match &index.projection {
            Projection::All => None,
            Projection::KeysOnly => Some(Vec::new()),
            Projection::Include(included) => Some(included.clone()),
        }
        .map(|included| {
            item.stored_fields()
                .filter(|f| is_key(f) || included.contains(&f.name))
                .map(|f| view_field(f, is_key(f)))
                .collect()
        });
        Some(IndexCode {
            item,
            table,
            index,
            global,
            names,
            derives,
            partition,
            sort,
            key_fields,
            view_fields,
        })
    }

    /// `Order::query_by_status(&status)`.
    fn method(&self) -> TokenStream {
        let vis = self.item.vis;
        let method = &self.names.method;
        let key = &self.names.key;
        let pk_ident = self.partition.ident;
        let pk_ty = argument_type(self.partition);
        let doc = format!(
            "A query of {} index `{}` for the items with this `{}`{}.",
            if self.global { "global" } else { "local" },
            self.index.name,
            self.partition.name,
            match self.sort {
                Some(sk) => format!(", in `{}` order", sk.name),
                None => String::new(),
            }
        );
        let bound = partition_bound(&pk_ty);
        quote! {
            #[doc = #doc]
            #vis fn #method<__Q>(#pk_ident: &__Q) -> ::dynamo_lambda::Query<#key>
            where
                #bound
            {
                ::dynamo_lambda::TableClient::<Self>::shared().query_index::<#key>(#pk_ident)
            }
        }
    }

    /// The key struct, the view, and their impls.
    fn items(&self) -> TokenStream {
        let ident = self.item.ident;
        let key = &self.names.key;
        let table_name = &self.table.name;
        let index_name = &self.index.name;
        let key_doc = format!(
            "The key of an item in index `{index_name}` of table `{table_name}` — the index's \
             key attributes and the table's: where a query of the index resumes."
        );
        let key_struct = self.view_struct(key, &key_doc, &self.key_fields, false);
        let view = self.view_fields.as_ref().map(|fields| {
            let view = &self.names.view;
            let doc = format!(
                "What index `{index_name}` of table `{table_name}` holds of a [`{ident}`]: {}.",
                match &self.index.projection {
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
            self.view_struct(view, &doc, fields, true)
        });
        let item_type = match &self.view_fields {
            Some(_) => self.names.view.to_token_stream(),
            None => ident.to_token_stream(),
        };
        let partition = argument_type(self.partition);
        let sort = match self.sort {
            Some(field) => argument_type(field),
            None => quote!(::dynamo_lambda::NoSortKey),
        };
        let consistent = (!self.global).then(|| {
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

                    fn to_attributes(
                        &self,
                    ) -> ::core::result::Result<::dynamo_lambda::Attributes, ::dynamo_lambda::AttributeError> {
                        ::dynamo_lambda::Item::to_item(self)
                    }

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
    fn view_struct(&self, ident: &Ident, doc: &str, fields: &[Field], serde: bool) -> TokenStream {
        let vis = self.item.vis;
        let table_key = key_ident(self.item);
        let view = Struct {
            ident,
            vis,
            fields: fields.iter().map(copy_field).collect(),
            serde: Default::default(),
        };
        let item_impl = impl_item(&view, &[]);
        let serde = serde && self.derives.serde_allowed(fields, |f| self.is_sparse(f));
        let derive_paths = self.derives.select(serde);
        let container_serde = if serde {
            self.derives.container_serde.as_slice()
        } else {
            &[]
        };
        let idents: Vec<_> = fields.iter().map(|f| f.ident).collect();
        let types = fields.iter().map(|f| f.ty);
        let field_serde = fields.iter().map(|f| {
            if serde {
                self.derives.field_serde(f.ident)
            } else {
                Vec::new()
            }
        });
        let field_docs = fields
            .iter()
            .map(|f| format!("The `{}` attribute.", f.name));
        let names = fields.iter().map(|f| &f.name);
        let table_keys: Vec<_> = [Some(self.table.partition_key), self.table.sort_key]
            .into_iter()
            .flatten()
            .map(|f| f.ident)
            .collect();
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
                    #vis fn key(&self) -> #table_key {
                        #table_key {
                            #(#table_keys: ::core::clone::Clone::clone(&self.#table_keys),)*
                        }
                    }
                }
            };
        }
    }

    /// A field that has another type here than in the struct: the `X` of a
    /// sparse index key's `Option<X>`.
    fn is_sparse(&self, field: &Field) -> bool {
        self.item
            .fields
            .iter()
            .find(|f| f.ident == field.ident)
            .is_some_and(|f| !std::ptr::eq(f.ty, field.ty))
    }
}

/// The type an index key field has where the item is in the index: the
/// `X` of an `Option<X>` (a sparse index holds only items that have it),
/// unless a `with` module converts the field as a whole.
fn sparse_key_type<'a>(field: &Field<'a>) -> &'a Type {
    if field.attrs.with.is_some() {
        return field.ty;
    }
    option_inner(field.ty).unwrap_or(field.ty)
}

/// The value a query takes for an index key: the field's type (its `X` if
/// it is an `Option<X>`), a `Blob` for a `binary` field, and the raw
/// `AttributeValue` for a field converted by a `with` module.
fn argument_type(field: &Field) -> TokenStream {
    match &field.attrs.with {
        Some((option, _)) if option.is_ident("binary") => quote!(::dynamo_lambda::Blob),
        Some(_) => quote!(::dynamo_lambda::AttributeValue),
        None => option_inner(field.ty).unwrap_or(field.ty).to_token_stream(),
    }
}

fn copy_field<'a>(field: &Field<'a>) -> Field<'a> {
    Field {
        ident: field.ident,
        ty: field.ty,
        attrs: FieldAttrs {
            rename: field.attrs.rename.clone(),
            with: field.attrs.with.clone(),
            default: field.attrs.default.clone(),
            ..FieldAttrs::default()
        },
        name: field.name.clone(),
        name_span: field.name_span,
        json: field.json.clone(),
        syn_attrs: field.syn_attrs,
    }
}

/// `T` of an `Option<T>`.
fn option_inner(ty: &Type) -> Option<&Type> {
    crate::ast::type_argument(ty, "Option")
}

/// The annotated struct's derives and serde attributes, which generated
/// structs of some of its fields can repeat.
struct Derives<'a> {
    /// Each derive path with its last segment's name.
    paths: Vec<(String, Path)>,
    container_serde: Vec<&'a Attribute>,
    /// Whether the container's serde attributes suit a struct of some of the fields.
    container_serde_ok: bool,
    fields: Vec<(&'a Ident, Vec<&'a Attribute>)>,
}

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

impl<'a> Derives<'a> {
    fn of(input: &'a DeriveInput) -> Self {
        let mut paths = Vec::new();
        for attr in input.attrs.iter().filter(|a| a.path().is_ident("derive")) {
            let _ = attr.parse_nested_meta(|meta| {
                if let Some(last) = meta.path.segments.last() {
                    paths.push((last.ident.to_string(), meta.path.clone()));
                }
                Ok(())
            });
        }
        let container_serde: Vec<&Attribute> = serde_attrs(&input.attrs).collect();
        let container_serde_ok = container_serde.iter().all(|a| {
            serde_options(a)
                .is_some_and(|o| o.iter().all(|o| SAFE_CONTAINER_SERDE.contains(&o.as_str())))
        });
        let fields = match &input.data {
            Data::Struct(data) => data
                .fields
                .iter()
                .filter_map(|f| Some((f.ident.as_ref()?, serde_attrs(&f.attrs).collect())))
                .collect(),
            _ => Vec::new(),
        };
        Derives {
            paths,
            container_serde,
            container_serde_ok,
            fields,
        }
    }

    fn select(&self, serde: bool) -> Vec<&Path> {
        self.paths
            .iter()
            .filter(|(name, _)| {
                DERIVES.contains(&name.as_str()) || serde && SERDE_DERIVES.contains(&name.as_str())
            })
            .map(|(_, path)| path)
            .collect()
    }

    fn field_serde(&self, ident: &Ident) -> Vec<&'a Attribute> {
        self.fields
            .iter()
            .find(|(i, _)| *i == ident)
            .map(|(_, attrs)| attrs.clone())
            .unwrap_or_default()
    }

    /// Whether a view of `fields` can derive serde's traits as the struct does.
    fn serde_allowed(&self, fields: &[Field], sparse: impl Fn(&Field) -> bool) -> bool {
        self.container_serde_ok
            && fields.iter().filter(|f| sparse(f)).all(|f| {
                self.field_serde(f.ident).iter().all(|a| {
                    serde_options(a).is_some_and(|o| {
                        o.iter()
                            .all(|o| SAFE_SPARSE_FIELD_SERDE.contains(&o.as_str()))
                    })
                })
            })
    }
}

#[cfg(test)]
mod tests {
    use super::snake_case;

    #[test]
    fn index_names() {
        assert_eq!(snake_case("by_status"), "by_status");
        assert_eq!(snake_case("byStatus"), "by_status");
        assert_eq!(snake_case("ByStatus"), "by_status");
        assert_eq!(snake_case("by-status.v2"), "by_status_v2");
        assert_eq!(snake_case("GSI1"), "gsi1");
        assert_eq!(snake_case("status_index_"), "status_index");
    }
}
