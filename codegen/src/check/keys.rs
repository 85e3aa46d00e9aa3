//! The table's name and keys from the inline options, the rules every key
//! field follows, and DynamoDB's naming rules for tables.

use proc_macro2::Span;
use syn::{LitStr, Type};

use crate::check::schema::KeyTypeCheck;
use crate::check::schema_file::SchemaFile;
use crate::ctxt::Ctxt;
use crate::naming::{self, NameError};
use crate::parse::{Field, Struct, TableArgs};

/// The table's name and keys, from the options or the schema file.
pub struct Keys<'a> {
    pub name: String,
    pub name_env: String,
    pub partition_key: &'a Field<'a>,
    pub sort_key: Option<&'a Field<'a>>,
    /// The schema file the table comes from, if any.
    pub schema: Option<SchemaFile>,
    /// Key types the compiler checks against the schema.
    pub key_type_checks: Vec<KeyTypeCheck>,
}

/// The keys of an inline `#[dynamo_lambda(table = …, partition_key = …)]`.
pub fn inline<'a>(cx: &Ctxt, args: &TableArgs, item: &'a Struct<'a>) -> Option<Keys<'a>> {
    let name = required(
        cx,
        args,
        &args.table,
        "table",
        "the DynamoDB table name, e.g. `table = \"Users\"`",
    );
    if let Some(name) = &args.table {
        table_name(cx, name);
    }
    if let Some(env) = &args.table_env {
        env_name(cx, env);
    }
    let partition_key = required(
        cx,
        args,
        &args.partition_key,
        "partition_key",
        "the field that is the partition key, e.g. `partition_key = \"id\"`",
    )
    .and_then(|lit| key_field(cx, item, lit, "partition"));
    let sort_key = args
        .sort_key
        .as_ref()
        .map(|lit| key_field(cx, item, lit, "sort"));
    if let (Some(pk), Some(sk)) = (&args.partition_key, &args.sort_key)
        && pk.value() == sk.value()
    {
        cx.error_spanned_by(
            sk,
            "`sort_key` must name a different field than `partition_key`",
        );
        return None;
    }
    let name = name?.value();
    Some(Keys {
        name_env: args
            .table_env
            .as_ref()
            .map_or_else(|| default_env_name(&name), LitStr::value),
        name,
        partition_key: partition_key?,
        sort_key: match sort_key {
            Some(field) => Some(field?),
            None => None,
        },
        schema: None,
        key_type_checks: Vec::new(),
    })
}

fn required<'l>(
    cx: &Ctxt,
    args: &TableArgs,
    value: &'l Option<LitStr>,
    option: &str,
    help: &str,
) -> Option<&'l LitStr> {
    if value.is_none() && !args.malformed.contains(&option) {
        cx.error_at(
            Span::call_site(),
            format!("missing `{option}` option: {help}"),
        );
    }
    value.as_ref()
}

/// DynamoDB table names: 3 to 255 of `a-z A-Z 0-9 _ - .`.
pub fn table_name(cx: &Ctxt, lit: &LitStr) {
    let name = lit.value();
    match naming::check_name(&name) {
        Ok(()) => {}
        Err(NameError::Length(length)) => cx.error_spanned_by(
            lit,
            format!("table name must be 3 to 255 characters long, `{name}` has {length}"),
        ),
        Err(NameError::Character(bad)) => cx.error_spanned_by(
            lit,
            format!("table name may only contain a-z, A-Z, 0-9, `_`, `-` and `.`, not `{bad}`"),
        ),
    }
}

pub fn env_name(cx: &Ctxt, lit: &LitStr) {
    let name = lit.value();
    let valid = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid {
        cx.error_spanned_by(lit, "expected an environment variable name: letters, digits and `_`, not starting with a digit");
    }
}

/// `Users` → `USERS_TABLE_NAME`, `OrderItems` → `ORDER_ITEMS_TABLE_NAME`.
pub fn default_env_name(table: &str) -> String {
    naming::snake_case(table).to_ascii_uppercase() + "_TABLE_NAME"
}

fn key_field<'a>(
    cx: &Ctxt,
    item: &'a Struct<'a>,
    lit: &LitStr,
    role: &str,
) -> Option<&'a Field<'a>> {
    let name = lit.value();
    let Some(field) = item.field(&name) else {
        let mut message = format!("no field `{name}` in `{}`", item.ident);
        // #[dynamo(rename = "mail")] email, with partition_key = "mail"
        if let Some(renamed) = item.stored_fields().find(|f| f.name == name) {
            message.push_str(&renamed_key_hint(renamed, role));
        }
        cx.error_spanned_by(lit, message);
        return None;
    };
    check_key_field(cx, field, role).then_some(field)
}

/// The hint for a key option that names a field's attribute, not the field.
pub fn renamed_key_hint(field: &Field, role: &str) -> String {
    format!(
        "\n\nhelp: field `{}` is stored as `{}`; {role}_key names the Rust field: {role}_key = \"{}\"",
        field.ident,
        field.name,
        syn::ext::IdentExt::unraw(field.ident)
    )
}

/// A table key field is stored as itself, always present: no `skip`,
/// `default`, `with` or `binary`, and a scalar type.
pub fn check_key_field(cx: &Ctxt, field: &Field, role: &str) -> bool {
    let name = field.ident;
    // With `with`/`binary` the type is not stored as itself: that option is the mistake.
    let mut ok = field.attrs.with.is_some() || key_type(cx, field.ty, role);
    if let Some(skip) = &field.attrs.skip {
        cx.error_spanned_by(
            skip,
            format!("the {role} key field `{name}` cannot be skipped"),
        );
        ok = false;
    }
    if let Some(default) = &field.attrs.default {
        cx.error_spanned_by(
            default,
            format!("the {role} key field `{name}` cannot be `default`: every item has its key"),
        );
        ok = false;
    }
    if let Some((option, _)) = &field.attrs.with {
        let message = if option.is_ident("binary") {
            format!(
                "`binary` cannot be used on the {role} key field `{name}`; a binary key is a `dynamo_lambda::Blob`"
            )
        } else {
            format!(
                "`with` cannot be used on the {role} key field `{name}`; a key is stored as itself: a string, an integer or a `Blob`"
            )
        };
        cx.error_spanned_by(option, message);
        ok = false;
    }
    ok
}

/// Key attributes are scalars: strings, numbers, binary.
fn key_type(cx: &Ctxt, ty: &Type, role: &str) -> bool {
    let not_scalar = |what: &str| {
        cx.error_spanned_by(
            ty,
            format!("the {role} key must be a string, an integer or binary (`Blob`); {what} cannot be a key attribute"),
        );
        false
    };
    match ty {
        Type::Path(path) if path.qself.is_none() => {
            let Some(last) = path.path.segments.last() else {
                return true;
            };
            match last.ident.to_string().as_str() {
                "Option" => {
                    cx.error_spanned_by(
                        ty,
                        format!("the {role} key cannot be an `Option`: every item has its key"),
                    );
                    false
                }
                "bool" => not_scalar("`bool`"),
                "f32" | "f64" => not_scalar("a floating-point number"),
                "Vec" | "VecDeque" | "LinkedList" => not_scalar("a list"),
                "HashMap" | "BTreeMap" => not_scalar("a map"),
                "HashSet" | "BTreeSet" => not_scalar("a set"),
                _ => true,
            }
        }
        Type::Group(group) => key_type(cx, &group.elem, role),
        Type::Paren(paren) => key_type(cx, &paren.elem, role),
        _ => not_scalar("this type"),
    }
}

#[cfg(test)]
mod tests {
    use super::default_env_name;

    #[test]
    fn env_names() {
        assert_eq!(default_env_name("Users"), "USERS_TABLE_NAME");
        assert_eq!(default_env_name("OrderItems"), "ORDER_ITEMS_TABLE_NAME");
        assert_eq!(default_env_name("my-table.v2"), "MY_TABLE_V2_TABLE_NAME");
        assert_eq!(default_env_name("orders_2024"), "ORDERS_2024_TABLE_NAME");
    }
}
