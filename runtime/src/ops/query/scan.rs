//! Scans of a whole table or index, page by page or as a stream, in one or
//! several parallel segments.
//!
//! Queries and scans on a table whose name is chosen at run time go through
//! a [`TableClient`]:
//!
//! ```no_run
//! use dynamo_lambda::{SortKey, TableClient, dynamo_lambda};
//!
//! #[dynamo_lambda(table = "Events", partition_key = "device", sort_key = "at")]
//! #[derive(Debug, Clone, PartialEq)]
//! pub struct Event {
//!     pub device: String,
//!     pub at: u64,
//!     pub kind: String,
//! }
//!
//! # async fn example(tenant: &str) -> Result<(), dynamo_lambda::Error> {
//! let client = dynamo_lambda::client().await.clone();
//! let events = TableClient::<Event>::new(client, format!("{tenant}-events"));
//! let recent = events
//!     .query("d-1")
//!     .sort_key(SortKey::ge(1_700_000_000u64))
//!     .descending()
//!     .limit(20)
//!     .await?;
//! let every: Vec<Event> = events.scan().segments(16).concurrency(4).all().await?;
//! // A query or scan built from the generated functions, sent to this table:
//! let same = Event::query("d-1").on(&events).all().await?;
//! # let _ = (recent, every, same);
//! # Ok(())
//! # }
//! ```

use std::fmt;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;

use futures_util::future::Either;
use futures_util::stream::{self, Stream, StreamExt, TryStreamExt};

use super::index::IndexShape;
use super::{
    ConsistentRead, Cursor, IndexKey, Kind, Page, Placeholders, Prepared, Projected, Read, failed,
    items, pages,
};
use crate::model::error::Error;
use crate::model::item::{Item, Table};
use crate::ops::condition::Condition;
use crate::ops::table::TableClient;

/// The most segments DynamoDB splits a scan into.
const MAX_SEGMENTS: u32 = 1_000_000;

/// How many segments of a [`ParallelScan`] are read at once unless
/// [`ParallelScan::concurrency`] says otherwise: each has at most one
/// request in flight and one page (up to 1 MB) in hand, so a scan holds at
/// most this many connections and pages — within a small Lambda's memory.
pub const DEFAULT_SCAN_CONCURRENCY: usize = 8;

/// A pending scan of every item of the table or of an index; `.await` it for
/// one page, [`stream`](Self::stream) every item, or split it into
/// [`segments`](Self::segments) read in parallel.
#[must_use = "a scan does nothing until it is awaited or streamed"]
pub struct Scan<K: IndexKey, V = <K as IndexKey>::Item> {
    read: Read<K>,
    output: PhantomData<fn() -> V>,
}

impl<K: IndexKey + fmt::Debug, V> fmt::Debug for Scan<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scan").field("read", &self.read).finish()
    }
}

impl<T: Table> TableClient<T> {
    /// A scan of every item of the table.
    pub fn scan(&self) -> Scan<T::Key>
    where
        T::Key: IndexKey<Table = T>,
    {
        self.scan_index()
    }

    /// A scan of every item of the index whose key is `K`.
    pub fn scan_index<K: IndexKey<Table = T>>(&self) -> Scan<K> {
        Scan {
            read: Read::new(self.clone()),
            output: PhantomData,
        }
    }
}

impl<K: IndexKey, V> Scan<K, V> {
    /// Reads at most `limit` items per page (before the filter); at least 1.
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

    /// Only the items that meet `condition`; several filters must all hold.
    pub fn filter(mut self, condition: Condition<K::Table>) -> Self {
        self.read.filter(condition);
        self
    }

    /// Resumes after `cursor`; `None` starts at the beginning.
    pub fn after(mut self, cursor: impl Into<Option<Cursor<K>>>) -> Self {
        self.read.after = cursor.into().map(Ok);
        self
    }

    /// Resumes after the cursor `token`; one that is not of this table or
    /// index makes the scan fail with [`Error::Validation`] naming `cursor`.
    pub fn after_token(mut self, token: &str) -> Self {
        self.read.after = Some(Cursor::from_token(token));
        self
    }

    /// Drops the items whose time to live has passed, as
    /// [`Query::skip_expired`](crate::Query::skip_expired).
    pub fn skip_expired(mut self) -> Self {
        self.read.skip_expired = true;
        self
    }

    /// Reads only the attributes of `W` and decodes each item as a `W`.
    pub fn project<W: Projected>(self) -> Scan<K, W> {
        Scan {
            read: Read {
                projection: Some(W::ATTRIBUTES),
                ..self.read
            },
            output: PhantomData,
        }
    }

    /// Sends the scan to `table` instead (another client or table name).
    pub fn on(mut self, table: &TableClient<K::Table>) -> Self {
        self.read.table = table.clone();
        self
    }

    /// Splits the scan into `segments` (1 to 1,000,000), read
    /// [`DEFAULT_SCAN_CONCURRENCY`] at a time unless
    /// [`concurrency`](ParallelScan::concurrency) says otherwise, their
    /// items merged as they arrive.
    pub fn segments(self, segments: u32) -> ParallelScan<K, V> {
        ParallelScan {
            scan: self,
            segments,
            concurrency: DEFAULT_SCAN_CONCURRENCY,
        }
    }

    fn prepare(mut self, segment: Option<(i32, i32)>) -> Result<Prepared<K::Table>, Error> {
        let shape = IndexShape::of::<K>()?;
        let start = self.read.start()?;
        let request = self
            .read
            .request(&shape, Kind::Scan { segment }, Placeholders::default())?;
        Ok((Arc::new(request), start))
    }
}

impl<K: IndexKey, V: Item + Send + 'static> Scan<K, V> {
    /// Every page, following the cursors from this scan's start.
    pub fn pages(self) -> impl Stream<Item = Result<Page<V, K>, Error>> + Send + 'static {
        pages(self.prepare(None))
    }

    /// Every item of every page.
    pub fn stream(self) -> impl Stream<Item = Result<V, Error>> + Send + 'static {
        items(self.pages())
    }

    /// Every item, collected.
    pub async fn all(self) -> Result<Vec<V>, Error> {
        self.stream().try_collect().await
    }

    /// How many items the scan matches, after its filter and without the
    /// expired ones with `skip_expired`: `Select: COUNT` pages, no item read
    /// back ([`Query::count`](crate::Query::count)).
    pub async fn count(self) -> Result<u64, Error> {
        let (request, start) = self.prepare(None)?;
        request.count(start).await
    }
}

impl<K: IndexKey, V: Item + Send + 'static> IntoFuture for Scan<K, V> {
    type Output = Result<Page<V, K>, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let (request, start) = self.prepare(None)?;
            request.page(start).await
        })
    }
}

/// A scan split into segments read concurrently; [`stream`](Self::stream)
/// its items.
#[must_use = "a scan does nothing until it is streamed"]
pub struct ParallelScan<K: IndexKey, V = <K as IndexKey>::Item> {
    scan: Scan<K, V>,
    segments: u32,
    concurrency: usize,
}

impl<K: IndexKey + fmt::Debug, V> fmt::Debug for ParallelScan<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ParallelScan")
            .field("scan", &self.scan)
            .field("segments", &self.segments)
            .field("concurrency", &self.concurrency)
            .finish()
    }
}

impl<K: IndexKey, V> ParallelScan<K, V> {
    /// Reads at most `segments` segments at once (at least 1; the default
    /// is [`DEFAULT_SCAN_CONCURRENCY`]): at most that many requests are in
    /// flight. The others start as earlier ones finish.
    pub fn concurrency(mut self, segments: usize) -> Self {
        self.concurrency = segments;
        self
    }
}

impl<K: IndexKey, V: Item + Send + 'static> ParallelScan<K, V> {
    /// Every item of every segment, in the order they arrive.
    pub fn stream(self) -> impl Stream<Item = Result<V, Error>> + Send + 'static {
        let ParallelScan {
            scan,
            segments,
            concurrency,
        } = self;
        if concurrency == 0 {
            return Either::Left(failed(Error::validation(
                "concurrency",
                "a parallel scan reads at least 1 segment at a time",
            )));
        }
        if !(1..=MAX_SEGMENTS).contains(&segments) {
            return Either::Left(failed(Error::validation(
                "segments",
                format!("a scan has 1 to {MAX_SEGMENTS} segments, not {segments}"),
            )));
        }
        if scan.read.after.is_some() {
            return Either::Left(failed(Error::validation(
                "cursor",
                "a parallel scan starts at the beginning of each segment; resume a scan page by page",
            )));
        }
        let total = segments as i32;
        let prepared = match scan.prepare(Some((0, total))) {
            Ok((request, _)) => request,
            Err(error) => return Either::Left(failed(error)),
        };
        let streams = (0..total).map(move |segment| {
            let mut request = (*prepared).clone();
            request.kind = Kind::Scan {
                segment: Some((segment, total)),
            };
            Box::pin(items(pages::<V, K>(Ok((Arc::new(request), None)))))
        });
        Either::Right(stream::iter(streams).flatten_unordered(concurrency))
    }

    /// Every item of every segment, collected.
    pub async fn all(self) -> Result<Vec<V>, Error> {
        self.stream().try_collect().await
    }
}
