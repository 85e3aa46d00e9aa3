//! An entity of a shared table: `#[dynamo_lambda(table = Shop, entity =
//! "Order", pk = "USER#{user_id}", sk = "ORDER#{created_at}#{order_id}")]`,
//! checked into one [`Entity`] model.

use proc_macro2::Span;
use syn::{Ident, LitStr, Path};

use crate::check::template::{self, Role, Template, TemplateField};
use crate::check::{Ttl, fields};
use crate::ctxt::Ctxt;
use crate::parse::{Field, IndexArgs, Struct, TableArgs};

/// Everything the expansion of one entity needs.
pub struct Entity<'a> {
    pub item: &'a Struct<'a>,
    /// The `#[single_table]` type it lives in.
    pub table: Path,
    /// The tag stored in the table's type attribute.
    pub tag: String,
    /// Earlier tags, accepted on read.
    pub aliases: Vec<String>,
    pub partition: Template<'a>,
    pub sort: Option<Template<'a>>,
    pub indexes: Vec<EntityIndex<'a>>,
    pub version: Option<&'a Field<'a>>,
    pub ttl: Option<Ttl<'a>>,
}

/// The entity's keys in one index of the shared table.
pub struct EntityIndex<'a> {
    /// The index, as the shared table names its constant: `GSI1`.
    pub name: Ident,
    pub partition: Template<'a>,
    pub sort: Option<Template<'a>>,
}

impl<'a> Entity<'a> {
    /// The fields of the primary key's templates, each once, in order.
    pub fn key_fields(&self) -> Vec<&TemplateField<'a>> {
        unique(
            self.partition
                .fields()
                .chain(self.sort.iter().flat_map(Template::fields)),
        )
    }

    /// Whether `field` is in a primary key template.
    pub fn is_key(&self, field: &Field) -> bool {
        self.key_fields()
            .iter()
            .any(|f| f.field.ident == field.ident)
    }

    /// Whether `field` is in any key template, the primary key's or an index's.
    pub fn in_template(&self, field: &Field) -> bool {
        self.is_key(field)
            || self.indexes.iter().any(|index| {
                index
                    .templates()
                    .flat_map(Template::fields)
                    .any(|f| f.field.ident == field.ident)
            })
    }
}

impl<'a> EntityIndex<'a> {
    pub fn templates(&self) -> impl Iterator<Item = &Template<'a>> {
        std::iter::once(&self.partition).chain(&self.sort)
    }

    /// The fields of the index's templates, each once, in order.
    pub fn fields(&self) -> Vec<&TemplateField<'a>> {
        unique(self.templates().flat_map(Template::fields))
    }
}

fn unique<'t, 'a: 't>(
    fields: impl Iterator<Item = &'t TemplateField<'a>>,
) -> Vec<&'t TemplateField<'a>> {
    let mut out: Vec<&TemplateField> = Vec::new();
    for field in fields {
        if !out.iter().any(|f| f.field.ident == field.field.ident) {
            out.push(field);
        }
    }
    out
}

/// `#[dynamo_lambda(table = Shop, entity = …, pk = …)]` on `item`.
pub fn entity<'a>(cx: &Ctxt, args: &TableArgs, item: &'a Struct<'a>) -> Option<Entity<'a>> {
    fields::attribute_names(cx, item);
    let version = fields::version_field(cx, item);
    let ttl = fields::ttl_field(cx, item);
    refuse_table_options(cx, args);
    if let Some(name) = &args.table {
        cx.error_spanned_by(
            name,
            "an entity names the type of its shared table, declared with `#[dynamo_lambda::single_table]`: `table = Shop`, not a string",
        );
    }
    let table = args.shared_table.clone();
    if table.is_none() && args.table.is_none() && !args.malformed.contains(&"table") {
        cx.error_at(
            Span::call_site(),
            "missing `table` option: the shared table's type, declared with `#[dynamo_lambda::single_table]`, e.g. `table = Shop`",
        );
    }
    let tag = match &args.entity {
        Some(tag) if tag.value().is_empty() => {
            cx.error_spanned_by(tag, "the entity tag must not be empty");
            None
        }
        Some(tag) => Some(tag.value()),
        None => {
            if !args.malformed.contains(&"entity") {
                cx.error_at(
                    Span::call_site(),
                    "missing `entity` option: the entity type's tag, stored in each item, e.g. `entity = \"Order\"`",
                );
            }
            None
        }
    };
    for alias in &args.aliases {
        if Some(alias.value()) == tag || alias.value().is_empty() {
            cx.error_spanned_by(
                alias,
                "an alias is an earlier, different tag of this entity",
            );
        }
    }
    let partition = match &args.pk {
        Some(lit) => template::template(cx, item, lit, Role::Primary),
        None => {
            if !args.malformed.contains(&"pk") {
                cx.error_at(
                    Span::call_site(),
                    "missing `pk` option: the partition key template, e.g. `pk = \"USER#{user_id}\"`",
                );
            }
            None
        }
    };
    let sort = args
        .sk
        .as_ref()
        .map(|lit| template::template(cx, item, lit, Role::Primary));
    let indexes = indexes(cx, item, &args.indexes);
    let entity = Entity {
        item,
        table: table?,
        tag: tag?,
        aliases: args.aliases.iter().map(LitStr::value).collect(),
        partition: partition?,
        sort: match sort {
            Some(sort) => Some(sort?),
            None => None,
        },
        indexes: indexes?,
        version,
        ttl: ttl.map(|field| Ttl {
            field,
            optional: fields::integer_type(field.ty) == Some(true),
        }),
    };
    for field in item.fields.iter() {
        if let Some(path) = &field.attrs.key_only
            && !entity.is_key(field)
        {
            cx.error_spanned_by(
                path,
                format!(
                    "`key_only` field `{}` is in no primary key template, so its value would be stored nowhere",
                    field.ident
                ),
            );
        }
    }
    for (field, option) in [(version, "version"), (ttl, "ttl")] {
        if let Some(field) = field
            && entity.in_template(field)
        {
            cx.error_spanned_by(
                field.ident,
                format!(
                    "the `{option}` field `{}` changes on writes; it cannot be in a key template",
                    field.ident
                ),
            );
        }
    }
    Some(entity)
}

fn indexes<'a>(
    cx: &Ctxt,
    item: &'a Struct<'a>,
    args: &[IndexArgs],
) -> Option<Vec<EntityIndex<'a>>> {
    let mut out = Vec::new();
    let mut ok = true;
    for (i, index) in args.iter().enumerate() {
        if args[..i].iter().any(|other| other.name == index.name) {
            cx.error_spanned_by(
                &index.name,
                format!("index `{}` is already given", index.name),
            );
            ok = false;
            continue;
        }
        let Some(pk) = &index.pk else {
            cx.error_spanned_by(
                &index.name,
                format!(
                    "index `{}` needs its partition key template, e.g. `index({}, pk = \"ORDER#{{order_id}}\")`",
                    index.name, index.name
                ),
            );
            ok = false;
            continue;
        };
        let partition = template::template(cx, item, pk, Role::Index);
        let sort = index
            .sk
            .as_ref()
            .map(|lit| template::template(cx, item, lit, Role::Index));
        match (partition, sort) {
            (Some(partition), Some(Some(sort))) => out.push(EntityIndex {
                name: index.name.clone(),
                partition,
                sort: Some(sort),
            }),
            (Some(partition), None) => out.push(EntityIndex {
                name: index.name.clone(),
                partition,
                sort: None,
            }),
            _ => ok = false,
        }
    }
    ok.then_some(out)
}

/// The options of a table of its own mean nothing for an entity.
fn refuse_table_options(cx: &Ctxt, args: &TableArgs) {
    for (lit, option, instead) in [
        (
            &args.partition_key,
            "partition_key",
            "`pk = \"…\"`, a template",
        ),
        (&args.sort_key, "sort_key", "`sk = \"…\"`, a template"),
        (
            &args.table_env,
            "table_env",
            "the shared table's `table_env`",
        ),
        (&args.schema, "schema", "the shared table's definition"),
    ] {
        if let Some(lit) = lit {
            cx.error_spanned_by(
                lit,
                format!("an entity of a shared table has no `{option}`: use {instead}"),
            );
        }
    }
}
