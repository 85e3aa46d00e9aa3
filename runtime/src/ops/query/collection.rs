//! Collections: the entity types of a shared table that share a partition,
//! read by one query as a typed enum (`CustomerWithOrders`), and narrowed to
//! one of them by its key prefix with [`Query::only`].

use std::fmt;
use std::marker::PhantomData;

use super::cursor::{Cursor, cursor_error};
use super::index::{ConsistentRead, IndexKey, IndexShape, NoSortKey};
use super::{Query, Read};
use crate::model::entity::Entity;
use crate::model::error::AttributeError;
use crate::model::item::{Attributes, Item};
use crate::ops::table::TableClient;

/// A typed enum of the entity types that share a partition of the table or
/// of one index, with an `Unknown` variant for items of none of them;
/// `#[dynamo_lambda::collection]` implements it.
pub trait Collection: Item + Send + 'static {
    /// The first member: the table queries go to and filters are written on.
    type Table: Entity;
    /// The index the collection lives in; `None` for the table itself.
    const INDEX: Option<&'static str>;
}

/// A collection in the table itself, not an index: it can be read with
/// strong consistency.
pub trait TableCollection: Collection {}

impl<C: TableCollection> ConsistentRead for CollectionKey<C> {}

/// An entity type that is a member of collection `C`.
pub trait Member<C: Collection>: Entity + Send + 'static {
    /// The entity's key in the collection's index (its table key on the table).
    type MemberKey: IndexKey<Table = Self, Item = Self, Partition = String, Sort = NoSortKey>;
    /// What the entity's sort keys in the collection's index begin with.
    const PREFIX: Option<&'static str>;
    /// Whether its sort key there is that constant (`PREFIX` is the whole key).
    const EXACT: bool;
}

/// Where a page of a collection resumes: the key attributes of the last
/// item read, which may be of any member type or of none.
pub struct CollectionKey<C> {
    attributes: Attributes,
    collection: PhantomData<fn() -> C>,
}

impl<C> CollectionKey<C> {
    /// The key attributes.
    pub fn attributes(&self) -> &Attributes {
        &self.attributes
    }
}

impl<C> Clone for CollectionKey<C> {
    fn clone(&self) -> Self {
        CollectionKey {
            attributes: self.attributes.clone(),
            collection: PhantomData,
        }
    }
}

impl<C> PartialEq for CollectionKey<C> {
    fn eq(&self, other: &Self) -> bool {
        self.attributes == other.attributes
    }
}

impl<C> fmt::Debug for CollectionKey<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("CollectionKey")
            .field(&self.attributes)
            .finish()
    }
}

impl<C: Collection> IndexKey for CollectionKey<C> {
    type Table = C::Table;
    type Item = C;
    type Partition = String;
    type Sort = NoSortKey;
    const INDEX: Option<&'static str> = C::INDEX;

    fn to_attributes(&self) -> Result<Attributes, AttributeError> {
        Ok(self.attributes.clone())
    }

    /// Keeps the key attributes of the table and of the collection's index,
    /// each a non-empty string.
    fn from_attributes(mut attributes: Attributes) -> Result<Self, AttributeError> {
        let shape = IndexShape::of::<Self>().map_err(|e| AttributeError::custom(e.to_string()))?;
        let mut key = Attributes::with_capacity(4);
        for definition in shape.cursor_attributes::<C::Table>() {
            let name = definition.attribute;
            let value = crate::model::entity::take_key(&mut attributes, name)?;
            crate::model::entity::insert_key(&mut key, name, value)?;
        }
        Ok(CollectionKey {
            attributes: key,
            collection: PhantomData,
        })
    }
}

impl<C: Collection> Query<CollectionKey<C>, C> {
    /// The same query, narrowed to the members of type `E` by their sort-key
    /// prefix (a key condition, not a filter): pages hold only `E`s and
    /// resume from `E`'s typed key. Order, limit and consistency carry over;
    /// a cursor that is not an `E`'s key, or a filter set before, carries
    /// over too and is checked against `E`.
    pub fn only<E: Member<C>>(self) -> Query<E::MemberKey> {
        let Read {
            table,
            filter,
            limit,
            consistent_read,
            after,
            skip_expired,
            projection: _,
        } = self.read;
        let after = after.map(|cursor| {
            cursor.and_then(|cursor| {
                let attributes = cursor.key().attributes.clone();
                let key = E::MemberKey::from_attributes(attributes).map_err(|e| {
                    cursor_error(format!("the cursor is not the key of a `{}`: {e}", E::TAG))
                })?;
                Cursor::new(key)
            })
        });
        let mut query = Query::entity(table.retyped::<E>(), String::new(), E::PREFIX, E::EXACT);
        query.partition = self.partition;
        query.descending = self.descending;
        query.read.filter = filter.map(|f| f.cast());
        query.read.limit = limit;
        query.read.consistent_read = consistent_read;
        query.read.after = after;
        query.read.skip_expired = skip_expired;
        query
    }
}

/// A query of collection `C` in the partition `partition`.
#[inline]
pub fn collection_query<C: Collection>(partition: String) -> Query<CollectionKey<C>, C> {
    Query::new(TableClient::shared(), &partition)
}
