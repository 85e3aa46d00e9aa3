//! The schema's secondary indexes as the expansion needs them: the names of
//! what is generated for each, its key fields, and what a view of it holds.

use std::collections::HashMap;

use quote::format_ident;
use syn::{Ident, Type};

use crate::check::keys::Keys;
use crate::ctxt::Ctxt;
use crate::naming::snake_case;
use crate::parse::ast::type_argument;
use crate::parse::{Field, Struct};
use crate::schema::{self, Projection};

/// One secondary index of the table.
pub struct Index<'a> {
    /// The index name in the schema.
    pub name: String,
    pub global: bool,
    pub projection: Projection,
    pub names: IndexNames,
    pub partition_key: &'a Field<'a>,
    pub sort_key: Option<&'a Field<'a>>,
    /// The fields of the index's key struct — the index's keys and the
    /// table's — in the struct's order.
    pub key_fields: Vec<ViewField<'a>>,
    /// The fields of the view, for an index without all attributes.
    pub view_fields: Option<Vec<ViewField<'a>>>,
}

/// A field of the struct as a generated key struct or view holds it.
pub struct ViewField<'a> {
    pub field: &'a Field<'a>,
    /// Its type here: the `X` of a sparse index key's `Option<X>` (the index
    /// holds only items that have it), else the field's own.
    pub ty: &'a Type,
    /// Whether a missing attribute reads as the type's default: as on the
    /// struct, except for key fields, which every entry has.
    pub default: bool,
}

impl ViewField<'_> {
    /// Whether it has another type here than in the struct.
    pub fn is_sparse(&self) -> bool {
        !std::ptr::eq(self.ty, self.field.ty)
    }
}

/// The names generated for one index: `by_status` → `query_by_status`,
/// `OrderByStatusKey`, `OrderByStatusItem`.
pub struct IndexNames {
    pub method: Ident,
    pub key: Ident,
    pub view: Ident,
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

/// The indexes of the table's schema, global ones first; no two may be
/// queried with one method name.
pub fn indexes<'a>(cx: &Ctxt, item: &'a Struct<'a>, keys: &Keys<'a>) -> Vec<Index<'a>> {
    let Some(file) = &keys.schema else {
        return Vec::new();
    };
    let schema = &file.schema;
    let global = schema.global_indexes.iter().map(|i| (i, true));
    let all = global.chain(schema.local_indexes.iter().map(|i| (i, false)));
    let mut seen: HashMap<String, &str> = HashMap::new();
    let mut out = Vec::new();
    for (index, global) in all {
        let names = IndexNames::new(item, &index.name);
        if let Some(first) = seen.insert(names.method.to_string(), &index.name) {
            cx.error_spanned_by(
                &file.lit,
                format!(
                    "indexes `{first}` and `{}` would both be queried with `{}`; rename one of them",
                    index.name, names.method
                ),
            );
            continue;
        }
        out.extend(index_model(item, keys, index, global, names));
    }
    out
}

fn index_model<'a>(
    item: &'a Struct<'a>,
    keys: &Keys<'a>,
    index: &schema::Index,
    global: bool,
    names: IndexNames,
) -> Option<Index<'a>> {
    // The schema checks have reported a key attribute without a field.
    let field = |name: &str| item.stored_fields().find(|f| f.name == name);
    let partition_key = field(&index.partition_key.name)?;
    let sort_key = match &index.sort_key {
        Some(key) => Some(field(&key.name)?),
        None => None,
    };
    let index_keys = [Some(partition_key), sort_key];
    let table_keys = [Some(keys.partition_key), keys.sort_key];
    let is_index_key = |f: &Field| index_keys.iter().flatten().any(|k| k.name == f.name);
    let is_key =
        |f: &Field| is_index_key(f) || table_keys.iter().flatten().any(|k| k.name == f.name);
    let view_field = |field: &'a Field<'a>| {
        let key = is_key(field);
        ViewField {
            field,
            ty: if is_index_key(field) {
                sparse_key_type(field)
            } else {
                field.ty
            },
            default: !key && field.attrs.default.is_some(),
        }
    };
    let key_fields = item
        .stored_fields()
        .filter(|f| is_key(f))
        .map(view_field)
        .collect();
    let view_fields = match &index.projection {
        Projection::All => None,
        Projection::KeysOnly => Some(Vec::new()),
        Projection::Include(included) => Some(included.clone()),
    }
    .map(|included| {
        item.stored_fields()
            .filter(|f| is_key(f) || included.contains(&f.name))
            .map(view_field)
            .collect()
    });
    Some(Index {
        name: index.name.clone(),
        global,
        projection: index.projection.clone(),
        names,
        partition_key,
        sort_key,
        key_fields,
        view_fields,
    })
}

/// The type an index key field has where the item is in the index: the
/// `X` of an `Option<X>`, unless a `with` module converts the field as a
/// whole.
fn sparse_key_type<'a>(field: &Field<'a>) -> &'a Type {
    if field.attrs.with.is_some() {
        return field.ty;
    }
    type_argument(field.ty, "Option").unwrap_or(field.ty)
}
