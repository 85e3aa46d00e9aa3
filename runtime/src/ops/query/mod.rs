//! Typed queries and scans of a table and of its secondary indexes, with
//! typed cursors: `Order::query("c1").sort_key(SortKey::begins_with("2024-"))`.
//!
//! A query or scan is a builder: `.await` it for one [`Page`], or follow
//! every page with [`stream`](Query::stream) (items) or
//! [`pages`](Query::pages). Its type parameters say what it reads: `K` is the
//! key of the table or index (what [`Cursor`]s hold, [`IndexKey`]) and `V`
//! what each item decodes to — the index's item type unless
//! [`project`](Query::project) picks another.

mod collection;
mod cursor;
mod index;
mod projection;
mod scan;
mod sort;

use std::collections::HashMap;
use std::fmt;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use aws_sdk_dynamodb::types::{AttributeValue, Select};
use futures_util::stream::{self, Stream, TryStreamExt};

pub use collection::{Collection, CollectionKey, Member, TableCollection, collection_query};
pub use cursor::{Cursor, Page};
pub use index::{ConsistentRead, IndexKey, NoSortKey, Prefix, Projected};
pub use projection::GetProjected;
pub use scan::{DEFAULT_SCAN_CONCURRENCY, ParallelScan, Scan};
pub use sort::SortKey;

use cursor::cursor_error;
use index::IndexShape;

use crate::model::error::{AttributeError, Error};
use crate::model::item::{Attributes, Item, Table};
use crate::ops::condition::Condition;
use crate::ops::expression::Placeholders;
use crate::ops::table::TableClient;
use crate::value::convert::{FromAttributeValue, IntoAttributeValue};

/// A pending query on one partition of the table or of an index; add
/// conditions and options, then `.await` it for one page, or
/// [`stream`](Self::stream) every item.
#[must_use = "a query does nothing until it is awaited or streamed"]
#[doc = include_str!("../../../docs/queries.md")]
pub struct Query<K: IndexKey, V = <K as IndexKey>::Item> {
    read: Read<K>,
    partition: Result<Option<AttributeValue>, AttributeError>,
    sort: Option<SortKey<K::Sort>>,
    /// The sort-key condition the query's type sets: an entity's key prefix.
    scope: Option<SortKey<String>>,
    descending: bool,
    output: PhantomData<fn() -> V>,
}

impl<K: IndexKey + fmt::Debug, V> fmt::Debug for Query<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Query")
            .field("read", &self.read)
            .field("partition", &self.partition)
            .field("sort", &self.sort)
            .field("descending", &self.descending)
            .finish()
    }
}

impl<T: Table> TableClient<T> {
    /// A query of the items with this partition key, in sort key order.
    pub fn query<Q>(&self, partition_key: &Q) -> Query<T::Key>
    where
        T::Key: IndexKey<Table = T>,
        <T::Key as IndexKey>::Partition: std::borrow::Borrow<Q>,
        Q: IntoAttributeValue + ?Sized,
    {
        Query::new(self.clone(), partition_key)
    }

    /// A query of the index whose key is `K`, on the items with this index
    /// partition key (a value of another type than the key's is
    /// [`Error::Validation`]); the generated `query_by_…` functions take
    /// exactly the key's type.
    pub fn query_index<K: IndexKey<Table = T>>(
        &self,
        partition_key: &(impl IntoAttributeValue + ?Sized),
    ) -> Query<K> {
        Query::new(self.clone(), partition_key)
    }
}

impl<K: IndexKey> Query<K> {
    fn new<Q: IntoAttributeValue + ?Sized>(
        table: TableClient<K::Table>,
        partition_key: &Q,
    ) -> Self {
        Query {
            read: Read::new(table),
            partition: partition_key.to_attribute_value(),
            sort: None,
            scope: None,
            descending: false,
            output: PhantomData,
        }
    }

    /// A query of an entity's items: the composed `partition` key, and
    /// sort keys that begin with `prefix` — or equal it, when the entity's
    /// sort key is a constant (`exact`).
    pub(crate) fn entity(
        table: TableClient<K::Table>,
        partition: String,
        prefix: Option<&'static str>,
        exact: bool,
    ) -> Self {
        let mut query = Query::new(table, &partition);
        query.scope = prefix.map(|prefix| {
            let prefix = prefix.to_owned();
            if exact {
                SortKey::eq(prefix)
            } else {
                SortKey::begins_with(prefix)
            }
        });
        query
    }
}

impl<K: IndexKey, V> Query<K, V> {
    /// Only the items whose sort key meets `condition`.
    pub fn sort_key(mut self, condition: SortKey<K::Sort>) -> Self {
        self.sort = Some(condition);
        self
    }

    /// Newest first: descending sort key order.
    pub fn descending(mut self) -> Self {
        self.descending = true;
        self
    }

    /// Reads at most `limit` items per page (before the filter, as DynamoDB
    /// counts); at least 1.
    pub fn limit(mut self, limit: u32) -> Self {
        self.read.limit = Some(limit);
        self
    }

    /// Reads with strong consistency: the table and local indexes only.
    pub fn consistent_read(mut self) -> Self
    where
        K: ConsistentRead,
    {
        self.read.consistent_read = true;
        self
    }

    /// [`consistent_read`](Self::consistent_read) for a key type known only
    /// at run time (the handler's JSON): a global index is [`Error::Validation`].
    pub(crate) fn consistent_read_checked(mut self) -> Result<Self, Error> {
        let global = K::INDEX.is_some_and(|name| {
            <K::Table as Table>::DEFINITION
                .global_indexes
                .iter()
                .any(|index| index.name == name)
        });
        if global {
            return Err(Error::validation(
                "consistent_read",
                "a global secondary index cannot be read with strong consistency",
            ));
        }
        self.read.consistent_read = true;
        Ok(self)
    }

    /// Only the items that meet `condition` (DynamoDB reads and counts the
    /// others, then drops them); several filters must all hold.
    pub fn filter(mut self, condition: Condition<K::Table>) -> Self {
        self.read.filter(condition);
        self
    }

    /// Resumes after `cursor` (a page's [`Page::cursor`]); `None` starts at
    /// the beginning.
    pub fn after(mut self, cursor: impl Into<Option<Cursor<K>>>) -> Self {
        self.read.after = cursor.into().map(Ok);
        self
    }

    /// Resumes after the cursor `token` ([`Page::next_token`]); a token that
    /// is not one of this index's, or of another partition, makes the query
    /// fail with [`Error::Validation`] naming `cursor`.
    pub fn after_token(mut self, token: &str) -> Self {
        self.read.after = Some(Cursor::from_token(token));
        self
    }

    /// Drops the items whose time to live has passed (DynamoDB deletes
    /// expired items only eventually). Nothing expires in a table without a
    /// time-to-live attribute; an index that does not project it makes the
    /// query fail with [`Error::Validation`].
    pub fn skip_expired(mut self) -> Self {
        self.read.skip_expired = true;
        self
    }

    /// Reads only the attributes of `W` and decodes each item as a `W`.
    pub fn project<W: Projected>(self) -> Query<K, W> {
        Query {
            read: Read {
                projection: Some(W::ATTRIBUTES),
                ..self.read
            },
            partition: self.partition,
            sort: self.sort,
            scope: self.scope,
            descending: self.descending,
            output: PhantomData,
        }
    }

    /// Sends the query to `table` instead (another client or table name).
    pub fn on(mut self, table: &TableClient<K::Table>) -> Self {
        self.read.table = table.clone();
        self
    }

    fn prepare(mut self) -> Result<Prepared<K::Table>, Error> {
        let shape = IndexShape::of::<K>()?;
        let mut placeholders = Placeholders::default();
        let partition = sort::key_value(shape.partition, self.partition)?;
        let mut key_condition = format!(
            "{} = {}",
            placeholders.name(shape.partition.attribute),
            placeholders.value(partition.clone())
        );
        let sort = match (&self.scope, &self.sort) {
            (Some(scope), None) => Some(scope.render_key(shape.sort, &mut placeholders)?),
            (None, Some(sort)) => Some(sort.render_key(shape.sort, &mut placeholders)?),
            (None, None) => None,
            (Some(_), Some(_)) => {
                return Err(Error::validation(
                    "sort_key",
                    "the query's entity type already sets the sort key condition",
                ));
            }
        };
        if let Some(sort) = sort {
            key_condition.push_str(" AND ");
            key_condition.push_str(&sort);
        }
        let start = self.read.start()?;
        if let Some(start) = &start
            && start.get(shape.partition.attribute) != Some(&partition)
        {
            return Err(cursor_error(format!(
                "the cursor belongs to another `{}` than the query's",
                shape.partition.attribute
            )));
        }
        let kind = Kind::Query {
            key_condition,
            forward: !self.descending,
        };
        let request = self.read.request(&shape, kind, placeholders)?;
        Ok((Arc::new(request), start))
    }
}

impl<K: IndexKey, V: Item + Send + 'static> Query<K, V> {
    /// Every page, following the cursors from this query's start.
    pub fn pages(self) -> impl Stream<Item = Result<Page<V, K>, Error>> + Send + 'static {
        pages(self.prepare())
    }

    /// Every item of every page.
    pub fn stream(self) -> impl Stream<Item = Result<V, Error>> + Send + 'static {
        items(self.pages())
    }

    /// Every item of every page, collected.
    pub async fn all(self) -> Result<Vec<V>, Error> {
        self.stream().try_collect().await
    }

    /// How many items the query matches, after its filter and, with
    /// [`skip_expired`](Self::skip_expired), without the expired ones: one
    /// `Select: COUNT` request per page, paging through DynamoDB's 1 MB
    /// limit; no item is read back. A [`limit`](Self::limit) bounds the
    /// items each page evaluates, not the count; a cursor
    /// ([`after`](Self::after)) counts from where it resumes.
    pub async fn count(self) -> Result<u64, Error> {
        let (request, start) = self.prepare()?;
        request.count(start).await
    }
}

impl<K: IndexKey, V: Item + Send + 'static> IntoFuture for Query<K, V> {
    type Output = Result<Page<V, K>, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let (request, start) = self.prepare()?;
            request.page(start).await
        })
    }
}

/// The settings queries and scans share.
struct Read<K: IndexKey> {
    table: TableClient<K::Table>,
    filter: Option<Condition<K::Table>>,
    limit: Option<u32>,
    consistent_read: bool,
    after: Option<Result<Cursor<K>, Error>>,
    skip_expired: bool,
    projection: Option<&'static [&'static str]>,
}

impl<K: IndexKey + fmt::Debug> fmt::Debug for Read<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Read")
            .field("table", &self.table.name())
            .field("index", &K::INDEX)
            .field("filter", &self.filter)
            .field("limit", &self.limit)
            .field("consistent_read", &self.consistent_read)
            .field("after", &self.after)
            .field("skip_expired", &self.skip_expired)
            .field("projection", &self.projection)
            .finish()
    }
}

impl<K: IndexKey> Read<K> {
    fn new(table: TableClient<K::Table>) -> Self {
        Read {
            table,
            filter: None,
            limit: None,
            consistent_read: false,
            after: None,
            skip_expired: false,
            projection: None,
        }
    }

    fn filter(&mut self, condition: Condition<K::Table>) {
        self.filter = Some(match self.filter.take() {
            Some(previous) => previous.and(condition),
            None => condition,
        });
    }

    /// The `ExclusiveStartKey`.
    fn start(&mut self) -> Result<Option<Attributes>, Error> {
        match self.after.take() {
            None => Ok(None),
            Some(cursor) => Ok(Some(cursor?.attributes().clone())),
        }
    }

    fn request(
        self,
        shape: &IndexShape,
        kind: Kind,
        mut placeholders: Placeholders,
    ) -> Result<Request<K::Table>, Error> {
        let filter = self
            .filter
            .as_ref()
            .map(|condition| condition.render(&mut placeholders))
            .transpose()?;
        let limit = match self.limit {
            None => None,
            Some(0) => return Err(Error::validation("limit", "must be at least 1")),
            Some(limit) => Some(i32::try_from(limit).unwrap_or(i32::MAX)),
        };
        let expiry = match <K::Table as Table>::DEFINITION.ttl_attribute {
            Some(attribute) if self.skip_expired => {
                if !shape.projects::<K::Table>(attribute) {
                    return Err(Error::validation(
                        "skip_expired",
                        format!(
                            "index `{}` does not project the time-to-live attribute `{attribute}`",
                            K::INDEX.unwrap_or_default()
                        ),
                    ));
                }
                Some(attribute)
            }
            _ => None,
        };
        let projection = match self.projection {
            Some(attributes) if !attributes.is_empty() => {
                let mut names: Vec<String> =
                    attributes.iter().map(|a| placeholders.name(a)).collect();
                if let Some(attribute) = expiry
                    && !attributes.contains(&attribute)
                {
                    names.push(placeholders.name(attribute));
                }
                Some(names.join(", "))
            }
            _ => None,
        };
        let (names, values) = placeholders.into_maps();
        Ok(Request {
            table: self.table,
            index: K::INDEX,
            kind,
            filter,
            projection,
            names,
            values,
            limit,
            consistent_read: self.consistent_read,
            expiry,
        })
    }
}

/// A request ready to send, and the key it starts after.
type Prepared<T> = (Arc<Request<T>>, Option<Attributes>);

/// A rendered query or scan, sent once per page.
struct Request<T> {
    table: TableClient<T>,
    index: Option<&'static str>,
    kind: Kind,
    filter: Option<String>,
    projection: Option<String>,
    names: Option<HashMap<String, String>>,
    values: Option<HashMap<String, AttributeValue>>,
    limit: Option<i32>,
    consistent_read: bool,
    /// The time-to-live attribute, when expired items are dropped.
    expiry: Option<&'static str>,
}

impl<T> Clone for Request<T> {
    fn clone(&self) -> Self {
        Request {
            table: self.table.clone(),
            index: self.index,
            kind: self.kind.clone(),
            filter: self.filter.clone(),
            projection: self.projection.clone(),
            names: self.names.clone(),
            values: self.values.clone(),
            limit: self.limit,
            consistent_read: self.consistent_read,
            expiry: self.expiry,
        }
    }
}

#[derive(Debug, Clone)]
enum Kind {
    Query {
        key_condition: String,
        forward: bool,
    },
    Scan {
        segment: Option<(i32, i32)>,
    },
}

impl<T: Table> Request<T> {
    /// One page from `start`.
    async fn page<V: Item, K: IndexKey>(
        &self,
        start: Option<Attributes>,
    ) -> Result<Page<V, K>, Error> {
        let (items, _, last) = self.send(start, false).await?;
        self.finish(items, last)
    }

    /// The number of matching items from `start` to the end.
    async fn count(&self, mut start: Option<Attributes>) -> Result<u64, Error> {
        let counting = self.counting();
        let mut total = 0_u64;
        loop {
            let (_, count, last) = counting.send(start, true).await?;
            total += count;
            match last.filter(|key| !key.is_empty()) {
                Some(last) => start = Some(last),
                None => return Ok(total),
            }
        }
    }

    /// This request as a count: no projection, and expired items left out
    /// by the filter, as no item comes back to drop.
    fn counting(&self) -> Request<T> {
        let mut request = self.clone();
        request.projection = None;
        if let Some(attribute) = request.expiry.take() {
            let mut names = request.names.take().unwrap_or_default();
            let mut values = request.values.take().unwrap_or_default();
            names.insert("#__expiry".to_owned(), attribute.to_owned());
            values.insert(":__now".to_owned(), AttributeValue::N(now().to_string()));
            // As `expired` reads it: an item without a number there never expires.
            let live = "(attribute_not_exists(#__expiry) OR NOT attribute_type(#__expiry, :__number) OR #__expiry > :__now)";
            values.insert(":__number".to_owned(), AttributeValue::S("N".to_owned()));
            request.filter = Some(match request.filter.take() {
                Some(filter) => format!("({filter}) AND {live}"),
                None => live.to_owned(),
            });
            request.names = Some(names);
            request.values = Some(values);
        }
        request
    }

    /// One page from `start`: its items (none when `count`ing, with
    /// `Select: COUNT`), how many matched, and where the next page starts.
    async fn send(
        &self,
        start: Option<Attributes>,
        count: bool,
    ) -> Result<(Vec<Attributes>, u64, Option<Attributes>), Error> {
        let client = self.table.client().await;
        let name = self.table.name();
        let consistent_read = self.consistent_read.then_some(true);
        let select = count.then_some(Select::Count);
        let (items, matched, last) = match &self.kind {
            Kind::Query {
                key_condition,
                forward,
            } => {
                let output = client
                    .query()
                    .table_name(name)
                    .set_index_name(self.index.map(str::to_owned))
                    .set_select(select)
                    .key_condition_expression(key_condition)
                    .set_filter_expression(self.filter.clone())
                    .set_projection_expression(self.projection.clone())
                    .set_expression_attribute_names(self.names.clone())
                    .set_expression_attribute_values(self.values.clone())
                    .set_limit(self.limit)
                    .set_consistent_read(consistent_read)
                    .scan_index_forward(*forward)
                    .set_exclusive_start_key(start)
                    .send()
                    .await
                    .map_err(|e| Error::from_sdk(e, name))?;
                (output.items, output.count, output.last_evaluated_key)
            }
            Kind::Scan { segment } => {
                let output = client
                    .scan()
                    .table_name(name)
                    .set_index_name(self.index.map(str::to_owned))
                    .set_select(select)
                    .set_filter_expression(self.filter.clone())
                    .set_projection_expression(self.projection.clone())
                    .set_expression_attribute_names(self.names.clone())
                    .set_expression_attribute_values(self.values.clone())
                    .set_limit(self.limit)
                    .set_consistent_read(consistent_read)
                    .set_segment(segment.map(|(segment, _)| segment))
                    .set_total_segments(segment.map(|(_, total)| total))
                    .set_exclusive_start_key(start)
                    .send()
                    .await
                    .map_err(|e| Error::from_sdk(e, name))?;
                (output.items, output.count, output.last_evaluated_key)
            }
        };
        Ok((
            items.unwrap_or_default(),
            u64::try_from(matched).unwrap_or(0),
            last,
        ))
    }

    /// Decodes a page, dropping expired items when asked to.
    fn finish<V: Item, K: IndexKey>(
        &self,
        items: Vec<Attributes>,
        last: Option<Attributes>,
    ) -> Result<Page<V, K>, Error> {
        let now = self.expiry.map(|_| now());
        let items = items
            .into_iter()
            .filter(|item| !expired(self.expiry, now, item))
            .map(V::from_item)
            .collect::<Result<Vec<V>, AttributeError>>()
            .map_err(Error::Decode)?;
        let cursor = last
            .filter(|key| !key.is_empty())
            .map(Cursor::from_last_evaluated)
            .transpose()?;
        Ok(Page { items, cursor })
    }
}

/// Whether the item's time to live (epoch seconds) is at or before `now`;
/// an item without one, or with one that is no integer, never expires, as in
/// DynamoDB.
fn expired(attribute: Option<&str>, now: Option<i64>, item: &Attributes) -> bool {
    let (Some(attribute), Some(now)) = (attribute, now) else {
        return false;
    };
    item.get(attribute)
        .and_then(|value| i64::from_attribute_value(value.clone()).ok())
        .is_some_and(|expires_at| expires_at <= now)
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

enum State<T> {
    Next(Arc<Request<T>>, Option<Attributes>),
    Failed(Error),
    Done,
}

/// Every page of a prepared request, following `LastEvaluatedKey` until
/// DynamoDB returns none. A last page may be empty.
fn pages<V, K>(
    prepared: Result<Prepared<K::Table>, Error>,
) -> impl Stream<Item = Result<Page<V, K>, Error>> + Send + 'static
where
    V: Item + Send + 'static,
    K: IndexKey,
{
    let state = match prepared {
        Ok((request, start)) => State::Next(request, start),
        Err(error) => State::Failed(error),
    };
    stream::try_unfold(state, |state| async move {
        let (request, start) = match state {
            State::Next(request, start) => (request, start),
            State::Failed(error) => return Err(error),
            State::Done => return Ok(None),
        };
        let page: Page<V, K> = request.page(start).await?;
        let next = match &page.cursor {
            Some(cursor) => State::Next(request, Some(cursor.attributes().clone())),
            None => State::Done,
        };
        Ok(Some((page, next)))
    })
}

fn items<V, K>(
    pages: impl Stream<Item = Result<Page<V, K>, Error>> + Send + 'static,
) -> impl Stream<Item = Result<V, Error>> + Send + 'static
where
    V: Send + 'static,
    K: IndexKey,
{
    pages
        .map_ok(|page| stream::iter(page.items.into_iter().map(Ok)))
        .try_flatten()
}

/// A stream of one error.
fn failed<V: Send + 'static>(
    error: Error,
) -> impl Stream<Item = Result<V, Error>> + Send + 'static {
    stream::once(async move { Err(error) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry_reads_epoch_seconds_and_ignores_what_is_no_integer() {
        let item = |value: AttributeValue| Attributes::from([("ttl".to_owned(), value)]);
        let check = |value| expired(Some("ttl"), Some(100), &item(value));
        assert!(check(AttributeValue::N("99".into())));
        assert!(check(AttributeValue::N("100".into())));
        assert!(!check(AttributeValue::N("101".into())));
        assert!(check(AttributeValue::N("9.9E+1".into())));
        assert!(!check(AttributeValue::N("99.5".into())));
        assert!(!check(AttributeValue::S("99".into())));
        assert!(!expired(Some("ttl"), Some(100), &Attributes::new()));
        assert!(!expired(None, None, &item(AttributeValue::N("1".into()))));
    }
}
