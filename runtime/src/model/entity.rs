//! Single-table design: several entity types in one [`SharedTable`], each
//! an [`Entity`] whose keys are composed from its fields by templates
//! ([`composite`](crate::composite)).

use aws_sdk_dynamodb::types::AttributeValue;

use crate::model::definition::TableDefinition;
use crate::model::error::{AttributeError, AttributeErrorKind};
use crate::model::item::{Attributes, Table};
use crate::ops::query::{IndexKey, Query};
use crate::ops::table::TableClient;
use crate::value::composite::{KeySegment, strip_str_segment, write_str_segment};
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
#[doc = include_str!("../../docs/entities.md")]
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
    /// The entity's key templates in each index it is in.
    const INDEXES: &'static [IndexTemplates];

    /// Whether `tag` names this entity type: its tag or an alias.
    fn is_tag(tag: &str) -> bool {
        tag == Self::TAG || Self::ALIASES.contains(&tag)
    }
}

/// An entity's key templates in one index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexTemplates {
    /// The index name.
    pub index: &'static str,
    /// The partition key template.
    pub partition: &'static str,
    /// The sort key template, if the index has a sort key.
    pub sort: Option<&'static str>,
    /// The sort key's text up to its first field.
    pub sort_prefix: Option<&'static str>,
}

/// The type of the field at position `I` of an entity's partition key
/// template in the index `INDEX` (0 for the table, else a number the macros
/// compute from its name, FNV-1a): what a collection's query takes.
pub trait PartitionField<const INDEX: u64, const I: usize> {
    /// The field's type.
    type Type;
    /// What a query takes a reference to: `str` for `String`.
    type Arg: ?Sized + Segment;
}

/// The key type of an entity's items in the index `INDEX` (0 for the
/// table, else the number [`PartitionField`] uses).
pub trait IndexKeyOf<const INDEX: u64> {
    /// `OrderKey` for the table, `OrderGsi1Key` for `GSI1`.
    type Key;
}

/// Implemented only for `T` itself: `A: SameAs<B>` holds when `A` is `B`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not `{T}`",
    label = "a collection's members share its table and its partition key's field types"
)]
pub trait SameAs<T: ?Sized> {}

impl<T: ?Sized> SameAs<T> for T {}

/// The text of an attribute that is a string.
#[inline]
pub fn string_attribute<'a>(item: &'a Attributes, name: &str) -> Option<&'a str> {
    match item.get(name) {
        Some(AttributeValue::S(text)) => Some(text),
        _ => None,
    }
}

/// Whether a stored sort key has the shape of a member's sort template.
#[inline]
pub fn matches_template(sort: Option<&str>, template: Option<&str>) -> bool {
    match (sort, template) {
        (Some(sort), Some(template)) => key_matches(sort, template),
        _ => false,
    }
}

/// Whether a template has no fields.
pub const fn is_constant_template(template: Option<&str>) -> bool {
    let Some(template) = template else {
        return false;
    };
    let bytes = template.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'{' {
            return false;
        }
        i += 1;
    }
    true
}

/// [`may_collide`] for sort keys that may be absent: two absent ones are the
/// same (one item per partition).
pub const fn sort_keys_may_collide(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => may_collide(a, b),
        _ => true,
    }
}

/// `E`'s templates in `index`; a compile error in a constant when `E` is
/// not in it.
pub const fn index_templates<E: Entity>(index: &str) -> IndexTemplates {
    let mut i = 0;
    while i < E::INDEXES.len() {
        if str_eq(E::INDEXES[i].index, index) {
            return E::INDEXES[i];
        }
        i += 1;
    }
    panic!(
        "the entity has no key templates in this index: give them with `index(NAME, pk = \"…\", sk = \"…\")`"
    )
}

/// Whether two templates of one key attribute can compose the same key:
/// they have as many delimited pieces, and each pair of pieces is a field
/// (whose value can be any piece) or two equal texts. A field's value never
/// holds an unescaped delimiter, so a key has the pieces of its template.
pub const fn may_collide(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    loop {
        let (a_end, b_end) = (piece_end(a, i), piece_end(b, j));
        let a_field = a_end > i && a[i] == b'{';
        let b_field = b_end > j && b[j] == b'{';
        if !a_field && !b_field && !bytes_eq(a, i, a_end, b, j, b_end) {
            return false;
        }
        let (a_done, b_done) = (a_end == a.len(), b_end == b.len());
        if a_done || b_done {
            return a_done && b_done;
        }
        i = a_end + 1;
        j = b_end + 1;
    }
}

const fn piece_end(text: &[u8], mut i: usize) -> usize {
    while i < text.len() && text[i] != b'#' {
        i += 1;
    }
    i
}

const fn bytes_eq(a: &[u8], i: usize, a_end: usize, b: &[u8], j: usize, b_end: usize) -> bool {
    if a_end - i != b_end - j {
        return false;
    }
    let mut k = 0;
    while k < a_end - i {
        if a[i + k] != b[j + k] {
            return false;
        }
        k += 1;
    }
    true
}

/// Whether two entity types can compose the same keys in an index both are in.
pub const fn indexes_may_collide<A: Entity, B: Entity>() -> bool {
    let mut i = 0;
    while i < A::INDEXES.len() {
        let a = A::INDEXES[i];
        let mut j = 0;
        while j < B::INDEXES.len() {
            let b = B::INDEXES[j];
            if str_eq(a.index, b.index)
                && may_collide(a.partition, b.partition)
                && sort_keys_may_collide(a.sort, b.sort)
            {
                return true;
            }
            j += 1;
        }
        i += 1;
    }
    false
}

/// Whether a stored `key` has the literal shape of `template`: as many
/// pieces between unescaped delimiters, and the template's texts where it
/// has them. How a collection tells its members apart.
pub fn key_matches(key: &str, template: &str) -> bool {
    let mut pieces = template.split('#');
    let mut rest = key;
    loop {
        let Some(piece) = pieces.next() else {
            return false;
        };
        let end = unescaped_delimiter(rest);
        let found = &rest[..end];
        if !piece.starts_with('{') && piece != found {
            return false;
        }
        if end == rest.len() {
            return pieces.next().is_none();
        }
        rest = &rest[end + 1..];
    }
}

/// The byte offset of the first `#` not escaped by `$`, or the length.
fn unescaped_delimiter(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'$' => i += 2,
            b'#' => return i,
            _ => i += 1,
        }
    }
    text.len()
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

/// A check of a stored key against the values it should be composed
/// from, literal by literal and segment by segment, composing nothing.
#[derive(Debug, Clone, Copy)]
pub struct KeyCheck<'a> {
    rest: Option<&'a str>,
}

impl<'a> KeyCheck<'a> {
    /// A check of `key`.
    #[inline]
    pub fn new(key: &'a str) -> Self {
        KeyCheck { rest: Some(key) }
    }

    /// The key continues with `text`.
    #[inline]
    pub fn literal(self, text: &str) -> Self {
        KeyCheck {
            rest: self.rest.and_then(|rest| rest.strip_prefix(text)),
        }
    }

    /// The key continues with `value`'s segment.
    #[inline]
    pub fn segment<T: Segment + ?Sized>(self, value: &T) -> Self {
        KeyCheck {
            rest: self.rest.and_then(|rest| value.strip(rest)),
        }
    }

    /// Whether the whole key was matched.
    #[inline]
    pub fn matches(self) -> bool {
        self.rest == Some("")
    }
}

/// The error of a stored key that is not the one the item's fields
/// compose: it names both.
#[cold]
pub fn mismatch(
    name: &'static str,
    template: &'static str,
    stored: String,
    composed: String,
) -> AttributeError {
    AttributeError::new(AttributeErrorKind::KeyMismatch {
        stored,
        composed,
        template,
    })
    .in_field(name)
}

/// Checks an item's entity tag, if it has one: `tag` or one of `aliases`.
#[inline]
pub fn check_tag(
    item: &mut Attributes,
    attribute: &'static str,
    tag: &'static str,
    aliases: &[&'static str],
) -> Result<(), AttributeError> {
    // Read in place: the map is dropped with the tag in it.
    let found = match item.get(attribute) {
        None => return Ok(()),
        Some(AttributeValue::S(found)) => found,
        Some(_) => {
            let value = item.remove(attribute).expect("just read");
            return String::from_attribute_value(value)
                .map(drop)
                .map_err(|e| e.in_field(attribute));
        }
    };
    if found == tag || aliases.contains(&found.as_str()) {
        return Ok(());
    }
    Err(AttributeError::new(AttributeErrorKind::WrongEntity {
        found: found.clone(),
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
    /// What follows the segment at the start of `input`, if it is there.
    fn strip<'a>(&self, input: &'a str) -> Option<&'a str>;
    /// About how many bytes the segment takes, to size a key at once.
    fn size_hint(&self) -> usize;
}

impl<T: KeySegment> Segment for T {
    #[inline(always)]
    fn write(&self, out: &mut String) {
        self.write_segment(out);
    }

    #[inline(always)]
    fn strip<'a>(&self, input: &'a str) -> Option<&'a str> {
        self.strip_segment(input)
    }

    #[inline(always)]
    fn size_hint(&self) -> usize {
        self.segment_size_hint()
    }
}

impl Segment for str {
    #[inline(always)]
    fn write(&self, out: &mut String) {
        write_str_segment(self, out);
    }

    #[inline(always)]
    fn strip<'a>(&self, input: &'a str) -> Option<&'a str> {
        strip_str_segment(self, input)
    }

    #[inline(always)]
    fn size_hint(&self) -> usize {
        self.len() + 4
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
    use super::*;

    #[test]
    fn template_shapes_collide_when_every_piece_can_match() {
        assert!(may_collide("ORDER#{a}", "ORDER#{b}"));
        assert!(may_collide("ORDER#{a}", "{x}#ITEM"));
        assert!(!may_collide("ORDER#{a}", "ORDER#{a}#{b}"));
        assert!(!may_collide("ORDER#{a}", "ITEM#{a}"));
        assert!(!may_collide("PROFILE", "ORDER#{id}"));
        assert!(may_collide("PROFILE", "{id}"));
        assert!(may_collide("PROFILE", "PROFILE"));
        assert!(!may_collide("PROFILE", "PROFILES"));
    }

    #[test]
    fn stored_keys_match_the_shape_of_their_template() {
        assert!(key_matches("ORDER#0042#o-1", "ORDER#{at}#{id}"));
        assert!(
            key_matches("ORDER#0042#o$#1", "ORDER#{at}#{id}"),
            "escaped delimiters are inside a value"
        );
        assert!(
            key_matches("ORDER#a$$#b", "ORDER#{id}#{x}"),
            "an escaped escape ends before a delimiter"
        );
        assert!(!key_matches("ORDER#0042", "ORDER#{at}#{id}"));
        assert!(!key_matches("ITEM#0042#x", "ORDER#{at}#{id}"));
        assert!(key_matches("PROFILE", "PROFILE"));
        assert!(!key_matches("PROFILE#x", "PROFILE"));
        assert!(!key_matches("", "PROFILE"));
    }

    #[test]
    fn const_string_equality() {
        const { assert!(str_eq("PK", "PK")) };
        assert!(!str_eq("PK", "SK"));
        assert!(!str_eq("PK", "PK1"));
        assert!(str_eq("", ""));
    }
}
