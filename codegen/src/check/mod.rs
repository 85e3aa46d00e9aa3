//! Check: the parsed struct and options against each other, against the
//! schema file and against DynamoDB's rules, into one [`Model`] that the
//! expansion reads. Every error goes to the [`Ctxt`]; a model exists only
//! when its keys resolved, and is expanded only when nothing was reported.

pub mod collection;
pub mod entity;
mod fields;
mod indexes;
mod keys;
mod schema;
pub mod schema_file;
pub mod shared_table;
pub mod template;

use crate::ctxt::Ctxt;
use crate::parse::{Enum, Field, Struct, TableArgs};

pub use indexes::{Index, ViewField};
pub use keys::default_env_name;
pub use schema::KeyTypeCheck;
pub use schema_file::SchemaFile;

/// Everything the expansion of one `#[dynamo_lambda]` struct needs.
pub struct Model<'a> {
    pub item: &'a Struct<'a>,
    /// The table name code uses when its environment variable is unset.
    pub name: String,
    /// The environment variable that holds the deployed table name.
    pub name_env: String,
    pub partition_key: &'a Field<'a>,
    pub sort_key: Option<&'a Field<'a>>,
    /// The schema file the table comes from, if any.
    pub schema: Option<SchemaFile>,
    /// The `#[dynamo(version)]` field.
    pub version: Option<&'a Field<'a>>,
    /// The time-to-live field: `#[dynamo(ttl)]`, or the schema's TTL attribute.
    pub ttl: Option<Ttl<'a>>,
    /// Key types the compiler checks against the schema.
    pub key_type_checks: Vec<KeyTypeCheck>,
    /// The schema's secondary indexes: global ones first, then local ones.
    pub indexes: Vec<Index<'a>>,
    /// Whether the struct derives both serde traits, which the handlers need.
    pub serde: bool,
}

/// The time-to-live field, an integer of epoch seconds.
pub struct Ttl<'a> {
    pub field: &'a Field<'a>,
    /// Whether it is an `Option` of an integer.
    pub optional: bool,
}

impl<'a> Model<'a> {
    /// The table's key fields: the partition key, then the sort key.
    pub fn key_fields(&self) -> Vec<&'a Field<'a>> {
        std::iter::once(self.partition_key)
            .chain(self.sort_key)
            .collect()
    }

    /// Whether `field` is one of the table's key fields.
    pub fn is_key(&self, field: &Field) -> bool {
        field.ident == self.partition_key.ident
            || self.sort_key.is_some_and(|k| k.ident == field.ident)
    }
}

/// `#[dynamo_lambda(args)]` on `item`.
pub fn table<'a>(cx: &Ctxt, args: &TableArgs, item: &'a Struct<'a>) -> Option<Model<'a>> {
    fields::attribute_names(cx, item);
    fields::no_key_only(
        cx,
        item,
        "a #[dynamo_lambda] table's field is stored as itself",
    );
    let version = fields::version_field(cx, item);
    let inline_ttl = fields::ttl_field(cx, item);
    let keys = match &args.schema {
        Some(schema) => schema::keys(cx, args, item, schema),
        None => keys::inline(cx, args, item),
    }?;
    let ttl = fields::table_ttl(cx, item, &keys, version, inline_ttl);
    let indexes = indexes::indexes(cx, item, &keys);
    Some(Model {
        item,
        name: keys.name,
        name_env: keys.name_env,
        partition_key: keys.partition_key,
        sort_key: keys.sort_key,
        schema: keys.schema,
        version,
        ttl,
        key_type_checks: keys.key_type_checks,
        indexes,
        serde: item.derives_serde(),
    })
}

/// `#[derive(Attribute)]` on a struct: stored as a map inside an item.
pub fn nested(cx: &Ctxt, item: &Struct) {
    fields::attribute_names(cx, item);
    fields::no_key_only(cx, item, "a #[derive(Attribute)] struct has no key");
    fields::nested_fields(cx, item);
}

/// `#[derive(Attribute)]` on a unit-only enum: stored as a string.
pub fn enumeration(cx: &Ctxt, item: &Enum) {
    fields::variant_names(cx, item);
}
