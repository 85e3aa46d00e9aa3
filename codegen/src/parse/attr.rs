//! The arguments of `#[dynamo_lambda(...)]` and the `#[dynamo(...)]` helper
//! attributes of fields and variants.

use proc_macro2::TokenStream;
use syn::meta::ParseNestedMeta;
use syn::parse::Parser;
use syn::{Attribute, LitStr, Path};

use crate::ctxt::Ctxt;

/// `#[dynamo_lambda(table = "Users", partition_key = "id", sort_key = "sk", table_env = "VAR")]`,
/// or for an entity of a shared table
/// `#[dynamo_lambda(table = Shop, entity = "Order", pk = "USER#{user_id}", sk = "…", index(GSI1, pk = "…"))]`.
#[derive(Default)]
pub struct TableArgs {
    pub table: Option<LitStr>,
    /// `table = Shop`: the `#[single_table]` type an entity lives in.
    pub shared_table: Option<Path>,
    pub partition_key: Option<LitStr>,
    pub sort_key: Option<LitStr>,
    pub table_env: Option<LitStr>,
    /// `schema = "schemas/users.yaml"` or `schema = "template.yaml#UsersTable"`
    pub schema: Option<LitStr>,
    /// `entity = "Order"`: the entity type's tag.
    pub entity: Option<LitStr>,
    /// `alias = "Purchase"`: an earlier tag, accepted on read; repeatable.
    pub aliases: Vec<LitStr>,
    /// `pk = "USER#{user_id}"`: the partition key template.
    pub pk: Option<LitStr>,
    /// `sk = "ORDER#{created_at}#{order_id}"`: the sort key template.
    pub sk: Option<LitStr>,
    /// `index(GSI1, pk = "…", sk = "…")`: the entity's keys in an index of the shared table.
    pub indexes: Vec<IndexArgs>,
    /// Options whose value is not a string literal: already reported, so not
    /// reported again as missing.
    pub malformed: Vec<&'static str>,
}

/// `index(GSI1, pk = "ORDER#{order_id}", sk = "ORDER")`
pub struct IndexArgs {
    pub name: syn::Ident,
    pub pk: Option<LitStr>,
    pub sk: Option<LitStr>,
}

const TABLE_OPTIONS: &str = "`table`, `partition_key`, `sort_key`, `table_env`, `schema`, `entity`, `alias`, `pk`, `sk`, `index`";

impl TableArgs {
    pub fn parse(cx: &Ctxt, args: TokenStream) -> Self {
        let mut out = TableArgs::default();
        let parser = syn::meta::parser(|meta| {
            if meta.path.is_ident("table") {
                let value = meta.value()?;
                if value.peek(LitStr) {
                    set_once(cx, &meta, &mut out.table, value.parse()?);
                } else {
                    match value.parse::<Path>() {
                        Ok(path) => set_once(cx, &meta, &mut out.shared_table, path),
                        Err(error) => {
                            cx.syn_error(syn::Error::new(error.span(), "expected string literal"));
                            out.malformed.push("table");
                            skip_to_comma(value)?;
                        }
                    }
                }
                return Ok(());
            }
            if meta.path.is_ident("alias") {
                out.aliases.push(meta.value()?.parse()?);
                return Ok(());
            }
            if meta.path.is_ident("index") {
                out.indexes.push(IndexArgs::parse(cx, &meta)?);
                return Ok(());
            }
            let (name, slot) = if meta.path.is_ident("partition_key") {
                ("partition_key", &mut out.partition_key)
            } else if meta.path.is_ident("sort_key") {
                ("sort_key", &mut out.sort_key)
            } else if meta.path.is_ident("table_env") {
                ("table_env", &mut out.table_env)
            } else if meta.path.is_ident("schema") {
                ("schema", &mut out.schema)
            } else if meta.path.is_ident("entity") {
                ("entity", &mut out.entity)
            } else if meta.path.is_ident("pk") {
                ("pk", &mut out.pk)
            } else if meta.path.is_ident("sk") {
                ("sk", &mut out.sk)
            } else {
                cx.error_spanned_by(
                    &meta.path,
                    format!(
                        "unknown dynamo_lambda option `{}`; expected one of {TABLE_OPTIONS}",
                        path_name(&meta.path)
                    ),
                );
                return skip_value(&meta);
            };
            string_option(cx, &meta, name, slot, &mut out.malformed)
        });
        if let Err(error) = parser.parse2(args) {
            cx.syn_error(error);
        }
        // `table = Users, partition_key = "id"`: a table name written as a path.
        if out.partition_key.is_some()
            && out.entity.is_none()
            && out.pk.is_none()
            && let Some(path) = out.shared_table.take()
        {
            cx.error_spanned_by(
                &path,
                "expected string literal: the table's name, e.g. `table = \"Users\"`; a type names a `#[single_table]` table, for an entity with `entity = \"…\"` and `pk = \"…\"`",
            );
            out.malformed.push("table");
        }
        out
    }

    /// Whether the options describe an entity of a shared table.
    pub fn is_entity(&self) -> bool {
        self.entity.is_some() || self.shared_table.is_some() || self.pk.is_some()
    }
}

impl IndexArgs {
    fn parse(cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<Self> {
        let content;
        syn::parenthesized!(content in meta.input);
        let name: syn::Ident = content.parse()?;
        let mut out = IndexArgs {
            name,
            pk: None,
            sk: None,
        };
        let mut malformed = Vec::new();
        if content.is_empty() {
            return Ok(out);
        }
        content.parse::<syn::Token![,]>()?;
        let parser = syn::meta::parser(|meta| {
            let (name, slot) = if meta.path.is_ident("pk") {
                ("pk", &mut out.pk)
            } else if meta.path.is_ident("sk") {
                ("sk", &mut out.sk)
            } else {
                cx.error_spanned_by(
                    &meta.path,
                    format!(
                        "unknown index option `{}`; expected `pk` or `sk`",
                        path_name(&meta.path)
                    ),
                );
                return skip_value(&meta);
            };
            string_option(cx, &meta, name, slot, &mut malformed)
        });
        parser.parse2(content.parse()?)?;
        Ok(out)
    }
}

/// `name = "literal"` into `slot`; a value of another kind is reported and
/// skipped, and `name` recorded as malformed.
fn string_option(
    cx: &Ctxt,
    meta: &ParseNestedMeta,
    name: &'static str,
    slot: &mut Option<LitStr>,
    malformed: &mut Vec<&'static str>,
) -> syn::Result<()> {
    let value = meta.value()?;
    match value.parse() {
        Ok(lit) => set_once(cx, meta, slot, lit),
        // `table_env = VAR`: report it and go on with the next option.
        Err(error) => {
            cx.syn_error(error);
            malformed.push(name);
            skip_to_comma(value)?;
        }
    }
    Ok(())
}

/// `#[single_table(name = "Shop", pk = "PK", sk = "SK", type_attribute = "_type", index(GSI1, pk = "GSI1PK", sk = "GSI1SK"))]`
#[derive(Default)]
pub struct SharedTableArgs {
    pub name: Option<LitStr>,
    pub table_env: Option<LitStr>,
    pub pk: Option<LitStr>,
    pub sk: Option<LitStr>,
    pub type_attribute: Option<LitStr>,
    pub ttl: Option<LitStr>,
    pub indexes: Vec<IndexArgs>,
    /// `entities(Customer, Order)`: every entity type, for the table-wide
    /// enum and the checks between them.
    pub entities: Option<Vec<Path>>,
    pub malformed: Vec<&'static str>,
}

const SHARED_TABLE_OPTIONS: &str =
    "`name`, `table_env`, `pk`, `sk`, `type_attribute`, `ttl`, `index`, `entities`";

impl SharedTableArgs {
    pub fn parse(cx: &Ctxt, args: TokenStream) -> Self {
        let mut out = SharedTableArgs::default();
        let parser = syn::meta::parser(|meta| {
            if meta.path.is_ident("index") {
                out.indexes.push(IndexArgs::parse(cx, &meta)?);
                return Ok(());
            }
            if meta.path.is_ident("entities") {
                let content;
                syn::parenthesized!(content in meta.input);
                let paths = content.parse_terminated(Path::parse_mod_style, syn::Token![,])?;
                let paths = paths.into_iter().collect();
                set_once(cx, &meta, &mut out.entities, paths);
                return Ok(());
            }
            let (name, slot) = if meta.path.is_ident("name") {
                ("name", &mut out.name)
            } else if meta.path.is_ident("table_env") {
                ("table_env", &mut out.table_env)
            } else if meta.path.is_ident("pk") {
                ("pk", &mut out.pk)
            } else if meta.path.is_ident("sk") {
                ("sk", &mut out.sk)
            } else if meta.path.is_ident("type_attribute") {
                ("type_attribute", &mut out.type_attribute)
            } else if meta.path.is_ident("ttl") {
                ("ttl", &mut out.ttl)
            } else {
                cx.error_spanned_by(
                    &meta.path,
                    format!(
                        "unknown single_table option `{}`; expected one of {SHARED_TABLE_OPTIONS}",
                        path_name(&meta.path)
                    ),
                );
                return skip_value(&meta);
            };
            string_option(cx, &meta, name, slot, &mut out.malformed)
        });
        if let Err(error) = parser.parse2(args) {
            cx.syn_error(error);
        }
        out
    }
}

/// The `#[dynamo(...)]` options of one field.
#[derive(Default)]
pub struct FieldAttrs {
    /// `#[dynamo(rename = "attr")]`
    pub rename: Option<LitStr>,
    /// `#[dynamo(skip)]`
    pub skip: Option<Path>,
    /// `#[dynamo(default)]`
    pub default: Option<Path>,
    /// `#[dynamo(with = "path::to::module")]`, or `#[dynamo(binary)]` for
    /// `::dynamo_lambda::binary`.
    pub with: Option<(Path, syn::Path)>,
    /// `#[dynamo(version)]`: the optimistic-locking version.
    pub version: Option<Path>,
    /// `#[dynamo(ttl)]`: the time-to-live attribute, in epoch seconds.
    pub ttl: Option<Path>,
    /// `#[dynamo(key_only)]`: an entity's field stored only in its
    /// composed key, read back by parsing it.
    pub key_only: Option<Path>,
}

const FIELD_OPTIONS: &str =
    "`rename`, `skip`, `default`, `with`, `binary`, `version`, `ttl`, `key_only`";

impl FieldAttrs {
    pub fn parse(cx: &Ctxt, attrs: &[Attribute]) -> Self {
        let mut out = FieldAttrs::default();
        for attr in attrs.iter().filter(|a| a.path().is_ident("dynamo")) {
            let result = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("rename") {
                    let value: LitStr = meta.value()?.parse()?;
                    if value.value().is_empty() {
                        cx.error_spanned_by(&value, "attribute name must not be empty");
                    }
                    set_once(cx, &meta, &mut out.rename, value);
                } else if meta.path.is_ident("skip") {
                    set_once(cx, &meta, &mut out.skip, meta.path.clone());
                } else if meta.path.is_ident("default") {
                    set_once(cx, &meta, &mut out.default, meta.path.clone());
                } else if meta.path.is_ident("with") {
                    let value: LitStr = meta.value()?.parse()?;
                    match value.parse::<syn::Path>() {
                        Ok(module) => set_with(cx, &meta, &mut out.with, module),
                        Err(_) => cx.error_spanned_by(
                            &value,
                            "expected a module path, e.g. `with = \"my_crate::my_module\"`",
                        ),
                    }
                } else if meta.path.is_ident("binary") {
                    let module = syn::parse_quote!(::dynamo_lambda::binary);
                    set_with(cx, &meta, &mut out.with, module);
                } else if meta.path.is_ident("version") {
                    set_once(cx, &meta, &mut out.version, meta.path.clone());
                } else if meta.path.is_ident("ttl") {
                    set_once(cx, &meta, &mut out.ttl, meta.path.clone());
                } else if meta.path.is_ident("key_only") {
                    set_once(cx, &meta, &mut out.key_only, meta.path.clone());
                } else {
                    cx.error_spanned_by(
                        &meta.path,
                        format!(
                            "unknown dynamo field attribute `{}`; expected one of {FIELD_OPTIONS}",
                            path_name(&meta.path)
                        ),
                    );
                    return skip_value(&meta);
                }
                Ok(())
            });
            if let Err(error) = result {
                cx.syn_error(error);
            }
        }
        if let Some(skip) = &out.skip
            && (out.rename.is_some()
                || out.default.is_some()
                || out.with.is_some()
                || out.version.is_some()
                || out.ttl.is_some())
        {
            cx.error_spanned_by(
                skip,
                "a skipped field has no attribute: `skip` cannot be combined with other options",
            );
        }
        out
    }
}

/// The `#[dynamo(rename = "...")]` option of an enum variant.
pub fn variant_rename(cx: &Ctxt, attrs: &[Attribute]) -> Option<LitStr> {
    let mut rename = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("dynamo")) {
        let result = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                set_once(cx, &meta, &mut rename, meta.value()?.parse()?);
                Ok(())
            } else {
                cx.error_spanned_by(
                    &meta.path,
                    format!(
                        "unknown dynamo variant attribute `{}`; expected `rename`",
                        path_name(&meta.path)
                    ),
                );
                skip_value(&meta)
            }
        });
        if let Err(error) = result {
            cx.syn_error(error);
        }
    }
    rename
}

fn set_once<T>(cx: &Ctxt, meta: &ParseNestedMeta, slot: &mut Option<T>, value: T) {
    if slot.is_some() {
        cx.error_spanned_by(
            &meta.path,
            format!("duplicate `{}` option", path_name(&meta.path)),
        );
    } else {
        *slot = Some(value);
    }
}

/// `with` and `binary` share one slot: each says how the field is stored.
fn set_with(cx: &Ctxt, meta: &ParseNestedMeta, slot: &mut Option<(Path, Path)>, module: Path) {
    match slot {
        Some((first, _)) if path_name(first) != path_name(&meta.path) => cx.error_spanned_by(
            &meta.path,
            format!(
                "`{}` cannot be combined with `{}`",
                path_name(&meta.path),
                path_name(first)
            ),
        ),
        _ => set_once(cx, meta, slot, (meta.path.clone(), module)),
    }
}

/// Consumes the value of an unknown option so parsing can go on.
fn skip_value(meta: &ParseNestedMeta) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        skip_to_comma(meta.value()?)?;
    } else if meta.input.peek(syn::token::Paren) {
        let _content;
        syn::parenthesized!(_content in meta.input);
    }
    Ok(())
}

fn skip_to_comma(input: syn::parse::ParseStream) -> syn::Result<()> {
    let _: TokenStream = input.step(|cursor| {
        let mut rest = *cursor;
        let mut skipped = TokenStream::new();
        while let Some((tt, next)) = rest.token_tree() {
            if matches!(&tt, proc_macro2::TokenTree::Punct(p) if p.as_char() == ',') {
                break;
            }
            skipped.extend([tt]);
            rest = next;
        }
        Ok((skipped, rest))
    })?;
    Ok(())
}

pub fn path_name(path: &Path) -> String {
    path.segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect::<Vec<_>>()
        .join("::")
}
