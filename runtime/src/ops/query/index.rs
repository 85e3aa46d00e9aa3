//! What a query or scan reads — the table or one of its indexes — described
//! by the type of the keys of its items.

use aws_sdk_dynamodb::primitives::Blob;

use crate::model::definition::{KeyDefinition, Projection};
use crate::model::error::{AttributeError, Error};
use crate::model::item::{Attributes, Item, Table};

/// The full key of an item in the table or in one of its secondary indexes:
/// what a page's [`Cursor`](crate::Cursor) holds and where the next page
/// starts.
///
/// The macro implements it for the table's key (`OrderKey`) and generates
/// one struct per secondary index (`OrderByStatusKey`: the index's key
/// attributes and the table's). Its associated types give the query its
/// types: the partition key value it takes, the sort key its conditions
/// compare with, and the item it returns.
pub trait IndexKey: Sized + Send + Sync + 'static {
    /// The table's item type (what filters are written on).
    type Table: Table;
    /// What the index holds: the table's type for the table and for indexes
    /// that project all attributes, a generated view otherwise.
    type Item: Item;
    /// The partition key a query takes.
    type Partition;
    /// The sort key that conditions compare with; [`NoSortKey`] when there is none.
    type Sort;
    /// The index name; `None` for the table itself.
    const INDEX: Option<&'static str>;

    /// The key attributes.
    fn to_attributes(&self) -> Result<Attributes, AttributeError>;
    /// Reads the key from the attributes of an item or of a `LastEvaluatedKey`.
    fn from_attributes(attributes: Attributes) -> Result<Self, AttributeError>;
}

/// The sort key type of a table or index that has none: no value of it
/// exists, so no sort-key condition can be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoSortKey {}

/// Keys of the table and of its local secondary indexes: what DynamoDB can
/// read with strong consistency.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is the key of a global secondary index, which cannot be read with strong consistency",
    label = "`consistent_read` needs the table or a local secondary index",
    note = "DynamoDB reads global secondary indexes only eventually consistently"
)]
pub trait ConsistentRead: IndexKey {}

/// Sort key types `begins_with` applies to: strings and binary.
#[diagnostic::on_unimplemented(
    message = "`begins_with` needs a string or binary sort key, not `{Self}`",
    label = "not a string or binary sort key"
)]
pub trait Prefix {}

impl Prefix for String {}
impl Prefix for Blob {}

/// A type decoded from selected attributes: [`Query::project`](crate::Query::project)
/// and [`TableClient::get_projected`](crate::TableClient::get_projected) ask
/// DynamoDB for [`ATTRIBUTES`](Projected::ATTRIBUTES) only.
///
/// The macros implement it for the table's struct, key structs, index views
/// and every `#[derive(Attribute)]` struct (its stored attributes), so a
/// struct of a subset of a table's fields is a view to read:
///
/// ```
/// # use dynamo_lambda::{Attribute, Projected};
/// #[derive(Attribute)]
/// struct Name {
///     id: String,
///     #[dynamo(rename = "full_name")]
///     name: String,
/// }
///
/// assert_eq!(<Name as Projected>::ATTRIBUTES, ["id", "full_name"]);
/// ```
pub trait Projected: Item {
    /// The top-level attribute names to read.
    const ATTRIBUTES: &'static [&'static str];
}

/// The key attributes of what `K` reads.
#[derive(Debug, Clone, Copy)]
pub(crate) struct IndexShape {
    pub partition: KeyDefinition,
    pub sort: Option<KeyDefinition>,
    pub projection: Projection,
}

impl IndexShape {
    pub(crate) fn of<K: IndexKey>() -> Result<Self, Error> {
        let definition = <K::Table as Table>::DEFINITION;
        match K::INDEX {
            None => Ok(IndexShape {
                partition: definition.partition_key,
                sort: definition.sort_key,
                projection: Projection::All,
            }),
            Some(name) => {
                let index = definition.index(name).ok_or_else(|| {
                    Error::validation(
                        "index",
                        format!("table `{}` has no index `{name}`", definition.name),
                    )
                })?;
                Ok(IndexShape {
                    partition: index.partition_key,
                    sort: index.sort_key,
                    projection: index.projection,
                })
            }
        }
    }

    /// The attributes of a `LastEvaluatedKey`: the index's keys, then the table's.
    pub(crate) fn cursor_attributes<T: Table>(&self) -> Vec<KeyDefinition> {
        let mut out: Vec<KeyDefinition> = Vec::with_capacity(4);
        let keys = [
            Some(self.partition),
            self.sort,
            Some(T::DEFINITION.partition_key),
            T::DEFINITION.sort_key,
        ];
        for key in keys.into_iter().flatten() {
            if !out.iter().any(|k| k.attribute == key.attribute) {
                out.push(key);
            }
        }
        out
    }

    /// Whether items read from the index carry `attribute`.
    pub(crate) fn projects<T: Table>(&self, attribute: &str) -> bool {
        match self.projection {
            Projection::All => true,
            Projection::Include(included) if included.contains(&attribute) => true,
            _ => self
                .cursor_attributes::<T>()
                .iter()
                .any(|k| k.attribute == attribute),
        }
    }
}
