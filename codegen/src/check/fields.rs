//! Checks of the struct's own fields: attribute names against each other,
//! the version and time-to-live fields, what a nested struct cannot have,
//! and the strings of an enum's variants.

use std::collections::HashMap;

use syn::Type;

use crate::check::Ttl;
use crate::check::keys::Keys;
use crate::ctxt::Ctxt;
use crate::parse::{Enum, Field, Struct};

/// No two stored fields may map to one attribute name.
pub fn attribute_names(cx: &Ctxt, item: &Struct) {
    let mut seen: HashMap<&str, &Field> = HashMap::new();
    for field in item.stored_fields() {
        if let Some(first) = seen.insert(&field.name, field) {
            cx.error_at(
                field.name_span,
                format!(
                    "attribute name `{}` is already used by field `{}`",
                    field.name, first.ident
                ),
            );
        }
    }
}

/// The table's time-to-live field, once the keys are known: neither key
/// field is the version or the TTL, and an inline `ttl` agrees with the
/// schema's.
pub fn table_ttl<'a>(
    cx: &Ctxt,
    item: &'a Struct<'a>,
    keys: &Keys<'a>,
    version: Option<&'a Field<'a>>,
    ttl: Option<&'a Field<'a>>,
) -> Option<Ttl<'a>> {
    for (field, option) in [(version, "version"), (ttl, "ttl")] {
        if let Some(field) = field
            && [Some(keys.partition_key), keys.sort_key]
                .iter()
                .flatten()
                .any(|key| key.ident == field.ident)
        {
            cx.error_spanned_by(
                option_path(field, option),
                format!("key field `{}` cannot be the `{option}` field", field.ident),
            );
        }
    }
    let schema_ttl = keys
        .schema
        .as_ref()
        .and_then(|file| file.schema.ttl_attribute.as_deref())
        .and_then(|name| item.stored_fields().find(|f| f.name == name));
    if let (Some(inline), Some(file)) = (ttl, &keys.schema)
        && schema_ttl.is_none_or(|f| f.ident != inline.ident)
    {
        cx.error_spanned_by(
            option_path(inline, "ttl"),
            format!(
                "`{}` {}; `#[dynamo(ttl)]` must be on the field stored as it",
                file.written,
                match &file.schema.ttl_attribute {
                    Some(name) => format!("makes `{name}` the time-to-live attribute"),
                    None => "has no time-to-live attribute".to_owned(),
                }
            ),
        );
    }
    let field = schema_ttl.or(ttl)?;
    Some(Ttl {
        field,
        optional: integer_type(field.ty) == Some(true),
    })
}

fn option_path<'f>(field: &'f Field, option: &str) -> &'f syn::Path {
    match option {
        "version" => field.attrs.version.as_ref(),
        _ => field.attrs.ttl.as_ref(),
    }
    .expect("the field has the option")
}

/// The one `#[dynamo(version)]` field: a `u64`, stored as itself.
pub fn version_field<'a>(cx: &Ctxt, item: &'a Struct<'a>) -> Option<&'a Field<'a>> {
    let mut found: Option<&Field> = None;
    for field in item.fields.iter().filter(|f| f.attrs.version.is_some()) {
        let path = option_path(field, "version");
        if let Some(first) = found {
            cx.error_spanned_by(
                path,
                format!("`{}` is already the version field", first.ident),
            );
            continue;
        }
        found = Some(field);
        if field.attrs.with.is_some() {
            cx.error_spanned_by(
                path,
                "the version field is stored as a number; it cannot use `with` or `binary`",
            );
        }
        if !matches!(&field.ty, Type::Path(p) if p.qself.is_none() && p.path.is_ident("u64")) {
            cx.error_spanned_by(
                field.ty,
                "the version field must be a `u64`: 0 before the first write, then 1, 2, …",
            );
        }
    }
    found
}

/// The one `#[dynamo(ttl)]` field: an integer (or `Option` of one) of epoch seconds.
pub fn ttl_field<'a>(cx: &Ctxt, item: &'a Struct<'a>) -> Option<&'a Field<'a>> {
    let mut found: Option<&Field> = None;
    for field in item.fields.iter().filter(|f| f.attrs.ttl.is_some()) {
        let path = option_path(field, "ttl");
        if let Some(first) = found {
            cx.error_spanned_by(
                path,
                format!("`{}` is already the time-to-live field", first.ident),
            );
            continue;
        }
        found = Some(field);
        if field.attrs.with.is_some() || integer_type(field.ty).is_none() {
            cx.error_spanned_by(
                field.ty,
                "the time-to-live field must be an integer of epoch seconds, or an `Option` of one",
            );
        }
    }
    found
}

/// For an integer type or an `Option` of one: whether it is the `Option`.
pub fn integer_type(ty: &Type) -> Option<bool> {
    use crate::parse::ast::INTEGER_TYPES as INTEGERS;
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if INTEGERS.iter().any(|i| last.ident == i) && last.arguments.is_empty() {
        return Some(false);
    }
    if last.ident != "Option" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        syn::GenericArgument::Type(inner) if integer_type(inner) == Some(false) => Some(true),
        _ => None,
    }
}

/// `#[dynamo(version)]` and `#[dynamo(ttl)]` mean something only on an
/// item's own fields: a nested struct has neither.
pub fn nested_fields(cx: &Ctxt, item: &Struct) {
    for field in &item.fields {
        if let Some(path) = &field.attrs.version {
            cx.error_spanned_by(
                path,
                "`version` goes on a field of a #[dynamo_lambda] struct: a #[derive(Attribute)] struct is stored inside an item and has no version of its own",
            );
        }
        if let Some(path) = &field.attrs.ttl {
            cx.error_spanned_by(
                path,
                "`ttl` goes on a field of a #[dynamo_lambda] struct: DynamoDB reads the time to live only from a top-level attribute of an item",
            );
        }
    }
}

/// `#[dynamo(key_only)]` belongs to the template fields of an entity.
pub fn no_key_only(cx: &Ctxt, item: &Struct, why: &str) {
    for field in &item.fields {
        if let Some(path) = &field.attrs.key_only {
            cx.error_spanned_by(
                path,
                format!("`key_only` is for a field of an entity's key template; {why}"),
            );
        }
    }
}

/// No two variants may be stored as the same string.
pub fn variant_names(cx: &Ctxt, item: &Enum) {
    let mut seen: HashMap<&str, &syn::Ident> = HashMap::new();
    for variant in &item.variants {
        if let Some(first) = seen.insert(&variant.name, variant.ident) {
            cx.error_at(
                variant.name_span,
                format!(
                    "string `{}` is already used by variant `{first}`",
                    variant.name
                ),
            );
        }
    }
}
