//! A table several entity types share: `#[single_table(name = "Shop", pk =
//! "PK", sk = "SK", index(GSI1, pk = "GSI1PK", sk = "GSI1SK"))]` on a unit
//! struct.

use proc_macro2::Span;
use syn::{DeriveInput, Ident, LitStr};

use crate::check::keys;
use crate::ctxt::Ctxt;
use crate::parse::SharedTableArgs;

/// The checked declaration.
pub struct SharedTable<'a> {
    pub input: &'a DeriveInput,
    pub name: String,
    pub name_env: String,
    pub partition_key: String,
    /// `None` with `sk = ""`: a table without a sort key.
    pub sort_key: Option<String>,
    pub type_attribute: String,
    pub ttl: Option<String>,
    pub indexes: Vec<SharedIndex>,
}

/// A global secondary index whose keys entities compose.
pub struct SharedIndex {
    pub name: Ident,
    pub partition_key: String,
    pub sort_key: Option<String>,
}

pub fn shared_table<'a>(
    cx: &Ctxt,
    args: &SharedTableArgs,
    input: &'a DeriveInput,
) -> Option<SharedTable<'a>> {
    if !matches!(&input.data, syn::Data::Struct(data) if matches!(data.fields, syn::Fields::Unit)) {
        cx.error_spanned_by(
            &input.ident,
            "#[single_table] goes on a unit struct that names the table: `pub struct Shop;`",
        );
    }
    if !input.generics.params.is_empty() {
        cx.error_spanned_by(
            &input.generics,
            "#[single_table] does not support generic types",
        );
    }
    let name = match &args.name {
        Some(name) => {
            keys::table_name(cx, name);
            Some(name.value())
        }
        None => {
            if !args.malformed.contains(&"name") {
                cx.error_at(
                    Span::call_site(),
                    "missing `name` option: the DynamoDB table name, e.g. `name = \"Shop\"`",
                );
            }
            None
        }
    };
    if let Some(env) = &args.table_env {
        keys::env_name(cx, env);
    }
    let mut attributes: Vec<(String, &str, Span)> = Vec::new();
    let mut attribute = |lit: Option<&LitStr>, default: &str, role: &'static str| -> String {
        let (value, span) = match lit {
            Some(lit) => (lit.value(), lit.span()),
            None => (default.to_owned(), Span::call_site()),
        };
        if value.is_empty() && role != "sort key" {
            cx.error_at(span, format!("the {role} attribute name must not be empty"));
        }
        if let Some((_, first, _)) = attributes
            .iter()
            .find(|(name, _, _)| *name == value && !value.is_empty())
        {
            cx.error_at(span, format!("`{value}` is already the {first} attribute"));
        }
        attributes.push((value.clone(), role, span));
        value
    };
    let partition_key = attribute(args.pk.as_ref(), "PK", "partition key");
    let sort_key = attribute(args.sk.as_ref(), "SK", "sort key");
    let type_attribute = attribute(args.type_attribute.as_ref(), "_type", "type");
    let ttl = args
        .ttl
        .as_ref()
        .map(|lit| attribute(Some(lit), "", "time-to-live"));
    let mut indexes: Vec<SharedIndex> = Vec::new();
    for index in &args.indexes {
        if indexes.iter().any(|other| other.name == index.name) {
            cx.error_spanned_by(
                &index.name,
                format!("index `{}` is already declared", index.name),
            );
            continue;
        }
        let Some(pk) = &index.pk else {
            cx.error_spanned_by(
                &index.name,
                format!(
                    "index `{}` needs its partition key attribute, e.g. `pk = \"{}PK\"`",
                    index.name, index.name
                ),
            );
            continue;
        };
        let index_attribute = |lit: &LitStr| {
            let value = lit.value();
            if value.is_empty() || value == type_attribute {
                cx.error_spanned_by(
                    lit,
                    "an index key attribute is not empty and not the type attribute",
                );
            }
            value
        };
        indexes.push(SharedIndex {
            name: index.name.clone(),
            partition_key: index_attribute(pk),
            sort_key: index.sk.as_ref().map(index_attribute),
        });
    }
    let name = name?;
    Some(SharedTable {
        input,
        name_env: args
            .table_env
            .as_ref()
            .map_or_else(|| keys::default_env_name(&name), LitStr::value),
        name,
        partition_key,
        sort_key: (!sort_key.is_empty()).then_some(sort_key),
        type_attribute,
        ttl,
        indexes,
    })
}
