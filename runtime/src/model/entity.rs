//! Single-table design: several entity types in one [`SharedTable`], each
//! an [`Entity`] whose keys are composed from its fields by templates
//! ([`composite`](crate::composite)).

use aws_sdk_dynamodb::types::AttributeValue;

use crate::model::definition::TableDefinition;
use crate::model::error::{AttributeError, AttributeErrorKind};
use crate::model::item::{Attributes, Table};
use crate::ops::query::{IndexKey, Query};
use crate::ops::table::TableClient;
use crate::value::composite::{KeySegment, write_str_segment};
use crate::value::convert::FromAttributeValue;

/// A table that several entity types share: its name, its generic key
/// attributes (`PK`, `SK`, `GSI1PK`, …) and the attribute that names each
/// item's entity type. `#[dynamo_lambda::single_table(...)]` implements it.
pub trait SharedTable: 'static {
    /// The table's name, key schema, indexes and the variable that renames it.
    const DEFINITION: TableDefinition;
    /// The attribute every item stores its entity type's tag in.
    const TYPE_ATTRIBUTE: &'static str;
    /// The table name in use: the environment variable
    /// [`TableDefinition::name_env`] if set (read once per process), else
    /// [`TableDefinition::name`].
    fn table_name() -> &'static str;
}

/// A secondary index of a [`SharedTable`], as entities name it:
/// `index(GSI1, pk = "ORDER#{order_id}", sk = "ORDER")`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SharedIndex {
    /// The index name.
    pub name: &'static str,
    /// The index's partition key attribute.
    pub partition_key: &'static str,
    /// The index's sort key attribute, if any.
    pub sort_key: Option<&'static str>,
}

/// One entity type of a [`SharedTable`]: the macro implements it for
/// `#[dynamo_lambda(table = Shop, entity = "Order", pk = "…", sk = "…")]`.
pub trait Entity: Table {
    /// The table the entity lives in.
    type Shared: SharedTable;
    /// The entity type's tag, stored in [`SharedTable::TYPE_ATTRIBUTE`].
    const TAG: &'static str;
    /// Earlier tags of the entity type, accepted on read.
    const ALIASES: &'static [&'static str];
    /// The template the partition key is composed with, e.g. `USER#{user_id}`.
    const PARTITION_TEMPLATE: &'static str;
    /// The template the sort key is composed with, e.g. `ORDER#{created_at}#{order_id}`.
    const SORT_TEMPLATE: Option<&'static str>;
    /// The sort key's text up to its first field (the whole key when it has
    /// none), ending on a delimiter: what every sort key of this entity
    /// begins with.
    const SORT_PREFIX: Option<&'static str>;
}

/// Writes a composed key attribute; an empty key is refused, as DynamoDB does.
#[inline]
pub fn insert_key(
    item: &mut Attributes,
    name: &'static str,
    key: String,
) -> Result<(), AttributeError> {
    if key.is_empty() {
        return Err(AttributeError::new(AttributeErrorKind::EmptyKey).in_field(name));
    }
    item.insert(name.to_owned(), AttributeValue::S(key));
    Ok(())
}

/// Takes the stored composite key attribute `name`, a string.
#[inline]
pub fn take_key(item: &mut Attributes, name: &'static str) -> Result<String, AttributeError> {
    let value = item
        .remove(name)
        .ok_or_else(|| AttributeError::missing().in_field(name))?;
    String::from_attribute_value(value).map_err(|e| e.in_field(name))
}

/// Checks that the stored key `stored` is the one the item's fields
/// compose: the error names both.
#[inline]
pub fn agree(
    name: &'static str,
    template: &'static str,
    stored: String,
    composed: String,
) -> Result<(), AttributeError> {
    if stored == composed {
        return Ok(());
    }
    Err(AttributeError::new(AttributeErrorKind::KeyMismatch {
        stored,
        composed,
        template,
    })
    .in_field(name))
}

/// Checks an item's entity tag, if it has one: `tag` or one of `aliases`.
#[inline]
pub fn check_tag(
    item: &mut Attributes,
    attribute: &'static str,
    tag: &'static str,
    aliases: &[&'static str],
) -> Result<(), AttributeError> {
    let Some(value) = item.remove(attribute) else {
        return Ok(());
    };
    let found = String::from_attribute_value(value).map_err(|e| e.in_field(attribute))?;
    if found == tag || aliases.contains(&found.as_str()) {
        return Ok(());
    }
    Err(AttributeError::new(AttributeErrorKind::WrongEntity {
        found,
        expected: tag,
    })
    .in_field(attribute))
}

/// Writes the entity tag.
#[inline]
pub fn insert_tag(item: &mut Attributes, attribute: &'static str, tag: &'static str) {
    item.insert(attribute.to_owned(), AttributeValue::S(tag.to_owned()));
}

/// What a key template's field is written from: a [`KeySegment`], or a
/// `str` for a `String` field (the queries take `&str`).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a field of a key template",
    label = "a key template's fields are strings, integers, `char` or `bool`",
    note = "floating-point numbers, lists, maps and sets have no key encoding that parses back and sorts; implement `dynamo_lambda::composite::KeySegment` for a type of your own"
)]
pub trait Segment {
    /// Appends the segment to `out`.
    fn write(&self, out: &mut String);
}

impl<T: KeySegment> Segment for T {
    #[inline(always)]
    fn write(&self, out: &mut String) {
        self.write_segment(out);
    }
}

impl Segment for str {
    #[inline(always)]
    fn write(&self, out: &mut String) {
        write_str_segment(self, out);
    }
}

/// Appends one field's segment to a key being composed.
#[inline(always)]
pub fn segment<T: Segment + ?Sized>(out: &mut String, value: &T) {
    value.write(out);
}

/// A query of an entity's items in the partition `partition`, on the table
/// or the index of `K`.
#[inline]
pub fn entity_query<K: IndexKey>(
    partition: String,
    prefix: Option<&'static str>,
    exact: bool,
) -> Query<K> {
    Query::entity(TableClient::shared(), partition, prefix, exact)
}

/// The sort key attribute of `definition`, or `""` when it has none.
pub const fn sort_key_attribute(definition: TableDefinition) -> &'static str {
    match definition.sort_key {
        Some(key) => key.attribute,
        None => "",
    }
}

/// The sort key attribute of `index`, or `""` when it has none.
pub const fn index_sort_key(index: SharedIndex) -> &'static str {
    match index.sort_key {
        Some(attribute) => attribute,
        None => "",
    }
}

/// Whether `name` is the time-to-live attribute of `definition`.
pub const fn is_ttl_attribute(definition: TableDefinition, name: &str) -> bool {
    match definition.ttl_attribute {
        Some(attribute) => str_eq(attribute, name),
        None => false,
    }
}

/// Whether `name` is one of the attributes `T` keeps for itself: its keys,
/// the type attribute, the keys of `indexes`.
pub const fn is_reserved<T: SharedTable>(name: &str, indexes: &[SharedIndex]) -> bool {
    let definition = T::DEFINITION;
    if str_eq(name, definition.partition_key.attribute)
        || str_eq(name, sort_key_attribute(definition))
        || str_eq(name, T::TYPE_ATTRIBUTE)
    {
        return true;
    }
    let mut i = 0;
    while i < indexes.len() {
        if str_eq(name, indexes[i].partition_key) || str_eq(name, index_sort_key(indexes[i])) {
            return true;
        }
        i += 1;
    }
    false
}

/// Whether two strings are equal, in a constant.
pub const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::str_eq;

    #[test]
    fn const_string_equality() {
        const { assert!(str_eq("PK", "PK")) };
        assert!(!str_eq("PK", "SK"));
        assert!(!str_eq("PK", "PK1"));
        assert!(str_eq("", ""));
    }
}
