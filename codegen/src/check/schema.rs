//! The struct against its schema file: every key attribute of the table and
//! of each index is a field of the declared type, the TTL attribute is an
//! integer field, and inline options agree with the file.

use quote::ToTokens;
use syn::{LitStr, Type};

use crate::check::keys::{self, Keys};
use crate::check::schema_file::{self, SchemaFile};
use crate::ctxt::Ctxt;
use crate::parse::ast::type_argument;
use crate::parse::{Field, Struct, TableArgs};
use crate::schema::{Index, KeyAttribute, ScalarType, TableName};

/// The table's name and keys from `schema = "…"`.
pub fn keys<'a>(
    cx: &Ctxt,
    args: &TableArgs,
    item: &'a Struct<'a>,
    lit: &LitStr,
) -> Option<Keys<'a>> {
    let file = schema_file::load(cx, lit)?;
    let schema = &file.schema;
    let mut checks = Vec::new();
    let name = table_name(cx, args, &file);
    if let Some(env) = &args.table_env {
        keys::env_name(cx, env);
    }
    let partition_key = table_key(
        cx,
        item,
        &file,
        &schema.partition_key,
        args.partition_key.as_ref(),
        "partition",
        &mut checks,
    );
    let sort_key = match (&schema.sort_key, &args.sort_key) {
        (Some(key), given) => {
            table_key(cx, item, &file, key, given.as_ref(), "sort", &mut checks).map(Some)
        }
        (None, Some(given)) => {
            cx.error_spanned_by(
                given,
                format!(
                    "`sort_key` disagrees with `{}`, which declares no sort key",
                    file.written
                ),
            );
            None
        }
        (None, None) => Some(None),
    };
    // A table key used again by an index (always, for a local index's
    // partition key) was checked above, and more strictly.
    let table_keys = [Some(&schema.partition_key), schema.sort_key.as_ref()];
    for index in schema.global_indexes.iter().chain(&schema.local_indexes) {
        let keys = [
            (Some(&index.partition_key), "partition"),
            (index.sort_key.as_ref(), "sort"),
        ];
        for (key, role) in keys {
            if let Some(key) = key
                && !table_keys.contains(&Some(key))
            {
                index_key(cx, item, &file, index, key, role, &mut checks);
            }
        }
    }
    if let Some(ttl) = &schema.ttl_attribute {
        ttl_field(cx, item, &file, ttl);
    }
    let name = name?;
    Some(Keys {
        name_env: args
            .table_env
            .as_ref()
            .map_or_else(|| keys::default_env_name(&name), LitStr::value),
        name,
        partition_key: partition_key?,
        sort_key: sort_key?,
        schema: Some(file),
        key_type_checks: checks,
    })
}

/// The schema's table name, or `table = "…"` when the template computes it.
fn table_name(cx: &Ctxt, args: &TableArgs, file: &SchemaFile) -> Option<String> {
    match (&file.schema.table_name, &args.table) {
        (TableName::Literal(name), None) => Some(name.clone()),
        (TableName::Literal(name), Some(given)) if *name == given.value() => Some(name.clone()),
        (TableName::Literal(name), Some(given)) => {
            cx.error_spanned_by(
                given,
                format!(
                    "`table` disagrees with `{}`, which names the table `{name}`",
                    file.written
                ),
            );
            None
        }
        (TableName::Intrinsic(_), Some(given)) => {
            keys::table_name(cx, given);
            Some(given.value())
        }
        (TableName::Intrinsic(expression), None) => {
            cx.error_spanned_by(
                &file.lit,
                format!(
                    "the table name in `{}` is `{expression}`, known only when the stack is deployed; \
                     give the name code uses with `table = \"...\"` (a deployed function reads the real name from the table-name environment variable)",
                    file.lit.value()
                ),
            );
            None
        }
    }
}

/// The field stored under `attribute`, skipped or not.
fn field_for<'a>(item: &'a Struct<'a>, attribute: &str) -> Option<&'a Field<'a>> {
    item.fields.iter().find(|f| f.name == attribute)
}

fn no_field(cx: &Ctxt, item: &Struct, file: &SchemaFile, key: &KeyAttribute, what: &str) {
    // #[dynamo(rename = "user_id")] id: String, against a key `id`
    if let Some(field) = item.field(&key.name)
        && let Some(rename) = &field.attrs.rename
    {
        cx.error_spanned_by(
            rename,
            format!(
                "field `{}` is stored as `{}`, but `{}` declares `{}` as {} for {what}",
                field.ident,
                field.name,
                file.written,
                key.name,
                describe(key.ty)
            ),
        );
        return;
    }
    cx.error_spanned_by(
        &file.lit,
        format!(
            "`{}` declares `{}` as {} for {what}, but no field of `{}` is stored as `{}`; \
             add the field, or name an existing one with `#[dynamo(rename = \"{}\")]`",
            file.written,
            key.name,
            describe(key.ty),
            item.ident,
            key.name,
            key.name
        ),
    );
}

fn table_key<'a>(
    cx: &Ctxt,
    item: &'a Struct<'a>,
    file: &SchemaFile,
    key: &KeyAttribute,
    given: Option<&LitStr>,
    role: &str,
    checks: &mut Vec<KeyTypeCheck>,
) -> Option<&'a Field<'a>> {
    let what = format!("the table's {role} key");
    let Some(field) = field_for(item, &key.name) else {
        no_field(cx, item, file, key, &what);
        return None;
    };
    if let Some(given) = given
        && item
            .field(&given.value())
            .is_none_or(|named| named.ident != field.ident)
    {
        let mut message = format!(
            "`{role}_key` disagrees with `{}`, whose {role} key `{}` is field `{}`",
            file.written, key.name, field.ident
        );
        if given.value() == field.name {
            message.push_str(&keys::renamed_key_hint(field, role));
        }
        cx.error_spanned_by(given, message);
        return None;
    }
    let ok = keys::check_key_field(cx, field, role)
        && scalar_matches(cx, file, field, key, &what, false, checks);
    ok.then_some(field)
}

fn index_key(
    cx: &Ctxt,
    item: &Struct,
    file: &SchemaFile,
    index: &Index,
    key: &KeyAttribute,
    role: &str,
    checks: &mut Vec<KeyTypeCheck>,
) {
    let what = format!("the {role} key of index `{}`", index.name);
    let Some(field) = field_for(item, &key.name) else {
        no_field(cx, item, file, key, &what);
        return;
    };
    if let Some(skip) = &field.attrs.skip {
        cx.error_spanned_by(
            skip,
            format!(
                "field `{}` is skipped, but `{}` uses `{}` as {what}",
                field.ident, file.written, key.name
            ),
        );
        return;
    }
    scalar_matches(cx, file, field, key, &what, true, checks);
}

fn ttl_field(cx: &Ctxt, item: &Struct, file: &SchemaFile, attribute: &str) {
    let Some(field) = field_for(item, attribute) else {
        cx.error_spanned_by(
            &file.lit,
            format!(
                "`{}` sets time to live on `{attribute}`, but no field of `{}` is stored as `{attribute}`",
                file.written, item.ident
            ),
        );
        return;
    };
    if let Some(skip) = &field.attrs.skip {
        cx.error_spanned_by(
            skip,
            format!(
                "field `{}` is the time-to-live attribute of `{}`; it cannot be skipped",
                field.ident, file.written
            ),
        );
        return;
    }
    let ty = type_argument(field.ty, "Option").unwrap_or(field.ty);
    if field.attrs.with.is_some()
        || !matches!(last_ident(ty).as_deref(), Some(name) if INTEGERS.contains(&name))
    {
        cx.error_spanned_by(
            field.ty,
            format!(
                "`{}` makes `{attribute}` the time-to-live attribute, which DynamoDB reads as epoch seconds: \
                 field `{}` must be an integer (or an `Option` of one), not `{}`",
                file.written,
                field.ident,
                type_name(field.ty)
            ),
        );
    }
}

use crate::parse::ast::INTEGER_TYPES as INTEGERS;

/// How a field is stored, as far as its type's name tells.
enum Stored {
    Scalar(ScalarType),
    Other(&'static str),
    Unknown,
}

fn stored_as(field: &Field, ty: &Type) -> Stored {
    let binary = matches!(&field.attrs.with, Some((option, _)) if option.is_ident("binary"));
    if binary {
        return Stored::Scalar(ScalarType::B);
    }
    if field.attrs.with.is_some() {
        return Stored::Unknown;
    }
    if let Some(inner) = type_argument(ty, "Box") {
        return stored_as(field, inner);
    }
    match last_ident(ty).as_deref() {
        Some("String" | "str") => Stored::Scalar(ScalarType::S),
        Some("f32" | "f64") => Stored::Scalar(ScalarType::N),
        Some(name) if INTEGERS.contains(&name) => Stored::Scalar(ScalarType::N),
        Some("Blob") => Stored::Scalar(ScalarType::B),
        Some("bool") => Stored::Other("BOOL"),
        Some("Vec" | "VecDeque") => Stored::Other("L (list)"),
        Some("HashMap" | "BTreeMap") => Stored::Other("M (map)"),
        Some("HashSet" | "BTreeSet") => Stored::Other("a set"),
        _ => Stored::Unknown,
    }
}

/// A key field's type, checked by the compiler against the declared scalar
/// type: the type's name alone does not tell (an alias, a newtype).
pub struct KeyTypeCheck {
    /// The field's type (the `X` of an index key's `Option<X>`).
    pub ty: Type,
    /// Where the error goes: the name of the type checked.
    pub span: proc_macro2::Span,
    pub declared: ScalarType,
    /// The message for each other scalar type the type may store.
    pub mismatches: Vec<(ScalarType, String)>,
}

/// Whether the field's type stores the declared scalar type; reports it if
/// not, and leaves what the name does not tell to the compiler (`checks`).
fn scalar_matches(
    cx: &Ctxt,
    file: &SchemaFile,
    field: &Field,
    key: &KeyAttribute,
    what: &str,
    allow_option: bool,
    checks: &mut Vec<KeyTypeCheck>,
) -> bool {
    let ty = if allow_option {
        type_argument(field.ty, "Option").unwrap_or(field.ty)
    } else {
        field.ty
    };
    let message = |found: &str| {
        format!(
            "`{}` declares `{}` as {} for {what}, but field `{}: {}` is stored as {found}",
            file.written,
            key.name,
            describe(key.ty),
            field.ident,
            type_name(field.ty)
        )
    };
    let found = match stored_as(field, ty) {
        Stored::Scalar(found) if found == key.ty => {
            return true;
        }
        // Stored as itself: a `KeyValue` type says which scalar it is.
        Stored::Unknown if field.attrs.with.is_none() => {
            checks.push(KeyTypeCheck {
                ty: ty.clone(),
                span: type_span(ty),
                declared: key.ty,
                mismatches: [ScalarType::S, ScalarType::N, ScalarType::B]
                    .into_iter()
                    .filter(|&other| other != key.ty)
                    .map(|other| (other, message(describe(other))))
                    .collect(),
            });
            return true;
        }
        Stored::Unknown => return true,
        Stored::Scalar(found) => describe(found),
        Stored::Other(found) => found,
    };
    cx.error_spanned_by(field.ty, message(found));
    false
}

/// Where an error about a type's stored form goes: one token is all a
/// compile-time panic can point at, so the type's own name (`TenantId` of
/// `ids::TenantId`), not the path's first segment.
fn type_span(ty: &Type) -> proc_macro2::Span {
    match ty {
        Type::Path(path) if path.qself.is_none() => path
            .path
            .segments
            .last()
            .map_or_else(|| syn::spanned::Spanned::span(ty), |s| s.ident.span()),
        _ => syn::spanned::Spanned::span(ty),
    }
}

/// The type as written: `Option<String>`, not the tokens' `Option < String >`.
fn type_name(ty: &Type) -> String {
    let mut name = ty.to_token_stream().to_string();
    for (spaced, tight) in [
        (" <", "<"),
        ("< ", "<"),
        (" >", ">"),
        (" ::", "::"),
        (":: ", "::"),
        (" ,", ","),
        ("& ", "&"),
        (" ;", ";"),
    ] {
        name = name.replace(spaced, tight);
    }
    name
}

fn describe(ty: ScalarType) -> &'static str {
    match ty {
        ScalarType::S => "S (string)",
        ScalarType::N => "N (number)",
        ScalarType::B => "B (binary)",
    }
}

fn last_ident(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(path) if path.qself.is_none() => {
            path.path.segments.last().map(|s| s.ident.to_string())
        }
        Type::Reference(reference) => last_ident(&reference.elem),
        Type::Group(group) => last_ident(&group.elem),
        Type::Paren(paren) => last_ident(&paren.elem),
        _ => None,
    }
}
