//! Batch reads and writes on one table: [`TableClient::batch_get`],
//! [`TableClient::batch_put`] and [`TableClient::batch_delete`].
//!
//! Any number of items is accepted and sent in chunks DynamoDB takes (100
//! keys per `BatchGetItem`, 25 writes per `BatchWriteItem`), one chunk after
//! the other; none is sent for an empty slice. DynamoDB may leave part of a
//! chunk unprocessed (a busy table, a response over 16 MB): those entries
//! are sent again after an exponential back-off with full jitter, and
//! whatever is still left after the last attempt comes back in the error,
//! typed, together with everything the batch did not get to.
//!
//! The loop retries only unprocessed entries. A request that fails
//! (throttled, 5xx, timeout) has already been retried by the SDK, with its
//! own attempts and back-off; retrying it again here would multiply the two
//! (8 rounds × 3 attempts, each up to the operation timeout), so a failed
//! request ends the batch with the error.
//!
//! A round that processes nothing counts toward the chunk's 8 attempts, and
//! no such round starts later than the client's operation timeout after the
//! last round that processed something (the chunk's *budget*). A round that
//! processes something starts both afresh: a server that answers part of a
//! chunk each time (DynamoDB past 16 MB per response, a throttled
//! partition) is followed to the end, and as each such round takes at least
//! one entry, a chunk of `k` entries has at most `k` of them. Without
//! progress, then, at most 8 rounds, each one SDK operation of at most
//! `max_attempts` requests (3 by default: 24 requests in the worst case,
//! where every round is retried by the SDK and still processes nothing),
//! and at most budget + one operation timeout of time (10 s with
//! [`LAMBDA_TIMEOUTS`](crate::LAMBDA_TIMEOUTS)) after the last progress.

use std::collections::HashMap;
use std::collections::hash_map::{Entry, RandomState};
use std::fmt;
use std::future::{Future, IntoFuture};
use std::hash::{BuildHasher, Hasher};
use std::pin::Pin;
use std::time::Duration;

use aws_sdk_dynamodb::types::{DeleteRequest, KeysAndAttributes, PutRequest, WriteRequest};

use crate::model::definition::TableDefinition;
use crate::model::error::{AttributeError, Error};
use crate::model::item::{Attributes, Key, Table};
use crate::ops::sdk::{KeyId, build_error};
use crate::ops::table::TableClient;

/// Keys per `BatchGetItem` request (DynamoDB's limit).
pub(crate) const GET_CHUNK: usize = 100;
/// Writes per `BatchWriteItem` request (DynamoDB's limit).
pub(crate) const WRITE_CHUNK: usize = 25;

/// How unprocessed entries are sent again: attempt `n` (from 1) waits a
/// random time between zero and `min(cap, base * 2^(n-1))` ("full jitter",
/// which spreads competing clients out better than a fixed schedule).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Backoff {
    pub base: Duration,
    pub cap: Duration,
    /// Requests sent for the same pending entries, the first one
    /// included, before giving up on them.
    pub attempts: u32,
    /// No round starts later than this after the last one that processed
    /// something (or the first).
    pub budget: Duration,
}

impl Backoff {
    /// At most about 2.6 s of waiting per chunk (1.3 s on average).
    pub(crate) const DEFAULT: Backoff = Backoff {
        base: Duration::from_millis(25),
        cap: Duration::from_secs(1),
        attempts: 8,
        budget: crate::ops::client::LAMBDA_TIMEOUTS.operation,
    };

    /// [`DEFAULT`](Self::DEFAULT), with the client's operation timeout as budget.
    pub(crate) fn for_client(client: &aws_sdk_dynamodb::Client) -> Backoff {
        let operation = client
            .config()
            .timeout_config()
            .and_then(|t| t.operation_timeout());
        Backoff {
            budget: operation.unwrap_or(Self::DEFAULT.budget),
            ..Self::DEFAULT
        }
    }

    /// The wait before retry number `retry` (from 0), for a random `draw`.
    fn delay(&self, retry: u32, draw: u64) -> Duration {
        let ceiling = self
            .base
            .saturating_mul(2u32.saturating_pow(retry))
            .min(self.cap);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(draw % nanos.saturating_add(1))
    }
}

/// A random number from the standard library's per-process hash keys; jitter
/// needs no better randomness than that.
fn random() -> u64 {
    RandomState::new().build_hasher().finish()
}

/// What [`retry_unprocessed`] ends with.
#[derive(Debug)]
pub(crate) struct Drained<U, P> {
    /// What the requests answered with, over all attempts.
    pub processed: Vec<P>,
    /// Entries not processed when the loop stopped.
    pub unprocessed: Vec<U>,
    /// Why it stopped early: a failed request, or attempts used up.
    pub error: Option<Error>,
}

/// Sends `units` with `send` until none is left, giving up once
/// `backoff.attempts` requests in a row processed nothing (the request that
/// left the pending entries counts as their first attempt, so a server that
/// answers part of a large batch each time — DynamoDB past 16 MB per
/// response or 1 MB per partition, dynalite past about 1.4 MB — is followed
/// to the end: at most one request per entry more), and starting no round
/// later than `backoff.budget` after the last that processed something.
/// `send` gets the pending
/// entries and returns what came back plus the entries left unprocessed. An
/// error stops the loop: the SDK has retried it already (see the module's
/// doc).
pub(crate) async fn retry_unprocessed<U, P, F, Fut>(
    table: &str,
    units: Vec<U>,
    backoff: Backoff,
    mut send: F,
) -> Drained<U, P>
where
    U: Clone,
    F: FnMut(Vec<U>) -> Fut,
    Fut: Future<Output = Result<(Vec<P>, Vec<U>), Error>>,
{
    let mut processed = Vec::new();
    let mut pending = units;
    let mut attempts = 0;
    let mut started = tokio::time::Instant::now();
    while !pending.is_empty() {
        let delay = match attempts {
            0 => Duration::ZERO,
            n => backoff.delay(n - 1, random()),
        };
        if attempts >= backoff.attempts || started.elapsed() + delay > backoff.budget {
            let error = Error::Unprocessed {
                table: table.to_owned(),
                count: pending.len(),
                attempts,
            };
            return Drained {
                processed,
                unprocessed: pending,
                error: Some(error),
            };
        }
        tokio::time::sleep(delay).await;
        attempts += 1;
        let sent = pending.len();
        match send(pending.clone()).await {
            Ok((done, left)) => {
                processed.extend(done);
                // A request that processed something started afresh for
                // what it left: it counts as their first attempt, and the
                // budget runs from it.
                if left.len() < sent {
                    attempts = 1;
                    started = tokio::time::Instant::now();
                }
                pending = left;
            }
            Err(error) => {
                return Drained {
                    processed,
                    unprocessed: pending,
                    error: Some(error),
                };
            }
        }
    }
    Drained {
        processed,
        unprocessed: pending,
        error: None,
    }
}

/// A `batch_get` that did not read every key.
///
/// Converts into [`Error`] with `?` (dropping the items and keys).
pub struct BatchGetError<T: Table> {
    /// What stopped the batch.
    pub error: Error,
    /// The items read before it stopped (in no particular order).
    pub items: Vec<T>,
    /// The keys whose items were not read: unprocessed, never sent, or
    /// read but not decodable (see `error`). Duplicates appear once.
    pub unprocessed: Vec<T::Key>,
}

/// A `batch_put` or `batch_delete` that did not write everything.
///
/// `unprocessed` holds every item (for `batch_put`) or key (for
/// `batch_delete`) that is not known to be written; the others are.
/// Converts into [`Error`] with `?` (dropping them).
pub struct BatchWriteError<U> {
    /// What stopped the batch.
    pub error: Error,
    /// The items or keys not written, in the order given.
    pub unprocessed: Vec<U>,
}

impl<T: Table> fmt::Debug for BatchGetError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchGetError")
            .field("error", &self.error)
            .field("items", &self.items.len())
            .field("unprocessed", &self.unprocessed)
            .finish()
    }
}

impl<U> fmt::Debug for BatchWriteError<U> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchWriteError")
            .field("error", &self.error)
            .field("unprocessed", &self.unprocessed.len())
            .finish()
    }
}

impl<T: Table> fmt::Display for BatchGetError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "batch get stopped with {} key(s) not read: {}",
            self.unprocessed.len(),
            self.error
        )
    }
}

impl<U> fmt::Display for BatchWriteError<U> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "batch write stopped with {} item(s) not written: {}",
            self.unprocessed.len(),
            self.error
        )
    }
}

impl<T: Table> std::error::Error for BatchGetError<T> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

impl<U> std::error::Error for BatchWriteError<U> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

impl<T: Table> From<BatchGetError<T>> for Error {
    fn from(error: BatchGetError<T>) -> Self {
        error.error
    }
}

impl<U> From<BatchWriteError<U>> for Error {
    fn from(error: BatchWriteError<U>) -> Self {
        error.error
    }
}

/// A pending [`TableClient::batch_get`]; `.await` it.
#[must_use = "a batch get does nothing until it is awaited"]
#[doc = include_str!("../../docs/batches.md")]
pub struct BatchGet<'a, T: Table> {
    table: TableClient<T>,
    keys: &'a [T::Key],
    consistent_read: bool,
}

impl<T: Table> fmt::Debug for BatchGet<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchGet")
            .field("table", &self.table.name())
            .field("keys", &self.keys.len())
            .field("consistent_read", &self.consistent_read)
            .finish()
    }
}

impl<T: Table> BatchGet<'_, T> {
    /// Reads with strong consistency (twice the read capacity).
    pub fn consistent_read(mut self) -> Self {
        self.consistent_read = true;
        self
    }
}

impl<'a, T> IntoFuture for BatchGet<'a, T>
where
    T: Table + Send + 'a,
    T::Key: Clone,
{
    type Output = Result<Vec<T>, BatchGetError<T>>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            self.table
                .batch_get_items(self.keys, self.consistent_read)
                .await
        })
    }
}

impl<T: Table> TableClient<T> {
    /// Reads the items with `keys`, any number of them, with `BatchGetItem`
    /// (100 keys per request); add `.consistent_read()` before `.await` for
    /// strongly consistent reads.
    ///
    /// The items come back **in no particular order** (DynamoDB's), and
    /// keys without an item are simply absent: compare with
    /// [`Table::key`] to match them up. A key given twice is read once.
    /// Keys DynamoDB leaves unprocessed are retried with back-off; the
    /// error holds the items read and the keys not read.
    ///
    /// ```no_run
    /// # use dynamo_lambda::{dynamo_lambda, TableClient};
    /// # #[dynamo_lambda(table = "Users", partition_key = "id")]
    /// # #[derive(Debug, Clone)]
    /// # struct User { id: String }
    /// # async fn f(users: TableClient<User>, keys: Vec<UserKey>) {
    /// match users.batch_get(&keys).await {
    ///     Ok(found) => println!("{} of {} users exist", found.len(), keys.len()),
    ///     Err(partial) => {
    ///         println!("read {} users, then: {}", partial.items.len(), partial.error);
    ///         println!("try again later with {:?}", partial.unprocessed);
    ///     }
    /// }
    /// # }
    /// ```
    pub fn batch_get<'a>(&self, keys: &'a [T::Key]) -> BatchGet<'a, T> {
        BatchGet {
            table: self.clone(),
            keys,
            consistent_read: false,
        }
    }

    /// Writes `items`, any number of them, with `BatchWriteItem` (25 per
    /// request), each replacing any item with the same key.
    ///
    /// Nothing is sent when an item cannot be encoded, is over 400 KB
    /// ([`Error::ItemTooLarge`]) or two items have the same key (a [`Error::Validation`] naming the key): DynamoDB refuses
    /// duplicates in one request, and across requests the last one would
    /// win silently. `BatchWriteItem` takes no conditions, so a versioned
    /// struct (`#[dynamo(version)]`) is refused with [`Error::Validation`]
    /// rather than written without its version check: use
    /// [`put`](Self::put) or a [`Transaction`](crate::Transaction).
    ///
    /// Items DynamoDB leaves unprocessed are retried with back-off. Chunks
    /// are sent one after the other and the batch stops at the first
    /// failure: the error holds every item not known to be written (the
    /// items of earlier chunks are written, a batch is not a transaction).
    pub async fn batch_put(&self, items: &[T]) -> Result<(), BatchWriteError<T>>
    where
        T: Clone,
    {
        let refuse = |error| BatchWriteError {
            error,
            unprocessed: items.to_vec(),
        };
        if let Some(version) = T::VERSION_ATTRIBUTE {
            return Err(refuse(Error::validation(
                version,
                "batch_put cannot check versions (BatchWriteItem has no conditions): \
                 write versioned items with `put` or in a `Transaction`",
            )));
        }
        let mut keys = Vec::with_capacity(items.len());
        let mut requests = Vec::with_capacity(items.len());
        for item in items {
            let encoded = item
                .to_item()
                .map_err(|e| refuse(in_item(e, &item.key())))?;
            crate::value::size::check(&encoded, self.name(), || format!("{:?}", item.key()))
                .map_err(refuse)?;
            keys.push(key_attributes(&encoded, &T::DEFINITION));
            let request = PutRequest::builder()
                .set_item(Some(encoded))
                .build()
                .map_err(|e| refuse(build_error(e)))?;
            requests.push(WriteRequest::builder().put_request(request).build());
        }
        let order = distinct(&keys).map_err(|(first, second)| {
            refuse(Error::Validation {
                attribute: None,
                message: format!(
                    "batch_put got two items with key {:?} (at {first} and {second}): \
                     DynamoDB refuses duplicate keys in a batch",
                    items[second].key()
                ),
            })
        })?;
        self.write_batches(keys, requests, order, items).await
    }

    /// Deletes the items with `keys`, any number of them, with
    /// `BatchWriteItem` (25 per request). A key given twice is deleted once;
    /// a key without an item is no error. Retries and errors work as for
    /// [`batch_put`](Self::batch_put); a versioned struct's deletes, like
    /// [`delete`](Self::delete), do not check versions.
    pub async fn batch_delete(&self, keys: &[T::Key]) -> Result<(), BatchWriteError<T::Key>>
    where
        T::Key: Clone,
    {
        let refuse = |error| BatchWriteError {
            error,
            unprocessed: keys.to_vec(),
        };
        let encoded = encode_keys(keys).map_err(refuse)?;
        let mut requests = Vec::with_capacity(keys.len());
        for key in &encoded {
            let request = DeleteRequest::builder()
                .set_key(Some(key.clone()))
                .build()
                .map_err(|e| refuse(build_error(e)))?;
            requests.push(WriteRequest::builder().delete_request(request).build());
        }
        let order = first_occurrences(&encoded).0;
        self.write_batches(encoded, requests, order, keys).await
    }

    async fn batch_get_items(
        &self,
        keys: &[T::Key],
        consistent_read: bool,
    ) -> Result<Vec<T>, BatchGetError<T>>
    where
        T::Key: Clone,
    {
        let encoded = encode_keys(keys).map_err(|error| BatchGetError {
            error,
            items: Vec::new(),
            unprocessed: keys.to_vec(),
        })?;
        let (order, index) = first_occurrences(&encoded);
        if order.is_empty() {
            return Ok(Vec::new());
        }
        let client = self.client().await;
        let backoff = Backoff::for_client(client);
        let table = self.name();
        let mut items = Vec::with_capacity(order.len());
        let mut unread = Vec::new();
        let mut failure = None;
        let mut chunks = order.chunks(GET_CHUNK);
        for chunk in chunks.by_ref() {
            let drained = retry_unprocessed(table, chunk.to_vec(), backoff, |pending| {
                let request = KeysAndAttributes::builder()
                    .set_keys(Some(pending.iter().map(|&i| encoded[i].clone()).collect()))
                    .consistent_read(consistent_read)
                    .build();
                let index = &index;
                async move {
                    let mut output = client
                        .batch_get_item()
                        .request_items(table, request.map_err(build_error)?)
                        .send()
                        .await
                        .map_err(|e| Error::from_sdk(e, table))?;
                    let found = output
                        .responses
                        .as_mut()
                        .and_then(|r| r.remove(table))
                        .unwrap_or_default();
                    let left = output
                        .unprocessed_keys
                        .as_mut()
                        .and_then(|u| u.remove(table))
                        .map(|k| k.keys)
                        .unwrap_or_default();
                    let left = left
                        .iter()
                        .map(|key| position(index, key))
                        .collect::<Result<_, _>>()?;
                    Ok((found, left))
                }
            })
            .await;
            unread.extend(drained.unprocessed);
            failure = drained.error;
            for raw in drained.processed {
                let key = key_attributes(&raw, &T::DEFINITION);
                match T::from_item(raw) {
                    Ok(item) => items.push(item),
                    Err(error) => {
                        unread.extend(index.get(&KeyId::of(&key)).copied());
                        failure.get_or_insert(Error::Decode(error));
                    }
                }
            }
            if failure.is_some() {
                break;
            }
        }
        match failure {
            None => Ok(items),
            Some(error) => {
                unread.extend(chunks.flatten());
                unread.sort_unstable();
                Err(BatchGetError {
                    error,
                    items,
                    unprocessed: unread.into_iter().map(|i| keys[i].clone()).collect(),
                })
            }
        }
    }

    /// Sends `requests[i]` for each `i` of `order`, 25 at a time; `keys[i]`
    /// is the key of request `i` and `originals[i]` what the caller gave.
    async fn write_batches<U: Clone>(
        &self,
        keys: Vec<Attributes>,
        requests: Vec<WriteRequest>,
        order: Vec<usize>,
        originals: &[U],
    ) -> Result<(), BatchWriteError<U>> {
        if order.is_empty() {
            return Ok(());
        }
        let index: HashMap<KeyId, usize> =
            order.iter().map(|&i| (KeyId::of(&keys[i]), i)).collect();
        let client = self.client().await;
        let backoff = Backoff::for_client(client);
        let table = self.name();
        let mut chunks = order.chunks(WRITE_CHUNK);
        for chunk in chunks.by_ref() {
            let drained = retry_unprocessed(table, chunk.to_vec(), backoff, |pending| {
                let batch: Vec<WriteRequest> =
                    pending.iter().map(|&i| requests[i].clone()).collect();
                let index = &index;
                async move {
                    let mut output = client
                        .batch_write_item()
                        .request_items(table, batch)
                        .send()
                        .await
                        .map_err(|e| Error::from_sdk(e, table))?;
                    let left = output
                        .unprocessed_items
                        .as_mut()
                        .and_then(|u| u.remove(table))
                        .unwrap_or_default();
                    let left = left
                        .iter()
                        .map(|request| {
                            let key = match (&request.put_request, &request.delete_request) {
                                (Some(put), _) => key_attributes(&put.item, &T::DEFINITION),
                                (None, Some(delete)) => delete.key.clone(),
                                (None, None) => Attributes::new(),
                            };
                            position(index, &key)
                        })
                        .collect::<Result<_, _>>()?;
                    Ok((Vec::<()>::new(), left))
                }
            })
            .await;
            if let Some(error) = drained.error {
                let mut unwritten = drained.unprocessed;
                unwritten.extend(chunks.flatten());
                unwritten.sort_unstable();
                return Err(BatchWriteError {
                    error,
                    unprocessed: unwritten
                        .into_iter()
                        .map(|i| originals[i].clone())
                        .collect(),
                });
            }
        }
        Ok(())
    }
}

/// Encodes every key before anything is sent.
fn encode_keys<K: Key>(keys: &[K]) -> Result<Vec<Attributes>, Error> {
    keys.iter()
        .map(|key| key.to_key().map_err(|e| in_item(e, key)))
        .collect()
}

/// An encoding error, with the key of the item it happened in.
fn in_item(error: AttributeError, key: &dyn fmt::Debug) -> Error {
    match Error::encode(error) {
        Error::Validation { attribute, message } => Error::Validation {
            attribute,
            message: format!("{message} (in the item with key {key:?})"),
        },
        other => other,
    }
}

/// The key attributes of an item.
pub(crate) fn key_attributes(item: &Attributes, definition: &TableDefinition) -> Attributes {
    std::iter::once(&definition.partition_key)
        .chain(&definition.sort_key)
        .filter_map(|key| {
            let value = item.get(key.attribute)?;
            Some((key.attribute.to_owned(), value.clone()))
        })
        .collect()
}

/// The positions of the first occurrence of each key, and where each key is.
fn first_occurrences(keys: &[Attributes]) -> (Vec<usize>, HashMap<KeyId, usize>) {
    let mut order = Vec::with_capacity(keys.len());
    let mut index = HashMap::with_capacity(keys.len());
    for (i, key) in keys.iter().enumerate() {
        if let Entry::Vacant(slot) = index.entry(KeyId::of(key)) {
            slot.insert(i);
            order.push(i);
        }
    }
    (order, index)
}

/// All positions, or the first pair of positions with the same key.
fn distinct(keys: &[Attributes]) -> Result<Vec<usize>, (usize, usize)> {
    let (order, index) = first_occurrences(keys);
    if order.len() == keys.len() {
        return Ok(order);
    }
    let second = (0..keys.len())
        .find(|&i| index[&KeyId::of(&keys[i])] != i)
        .unwrap_or_default();
    Err((index[&KeyId::of(&keys[second])], second))
}

/// Where a key DynamoDB sent back was in the request.
fn position(index: &HashMap<KeyId, usize>, key: &Attributes) -> Result<usize, Error> {
    index
        .get(&KeyId::of(key))
        .copied()
        .ok_or_else(|| Error::Service {
            code: None,
            message: format!("DynamoDB returned an unprocessed entry that was not sent: {key:?}"),
            retryable: false,
        })
}

#[cfg(test)]
mod tests {
    use std::cell::{Cell, RefCell};

    use super::*;

    const FAST: Backoff = Backoff {
        base: Duration::from_millis(1),
        cap: Duration::from_millis(4),
        attempts: 5,
        budget: Duration::from_secs(5),
    };

    type Answer = std::future::Ready<Result<(Vec<u32>, Vec<u32>), Error>>;

    fn block_on<F: Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap()
            .block_on(future)
    }

    /// A fake request that processes all but the last `keep_back` entries
    /// for `rounds` calls, then everything; it records in `calls` what it
    /// was sent.
    fn stingy(
        rounds: u32,
        keep_back: usize,
        calls: &RefCell<Vec<Vec<u32>>>,
    ) -> impl FnMut(Vec<u32>) -> Answer + '_ {
        let round = Cell::new(0);
        move |pending: Vec<u32>| {
            calls.borrow_mut().push(pending.clone());
            round.set(round.get() + 1);
            let split = if round.get() <= rounds {
                pending.len().saturating_sub(keep_back)
            } else {
                pending.len()
            };
            let (done, left) = pending.split_at(split);
            std::future::ready(Ok((done.to_vec(), left.to_vec())))
        }
    }

    #[test]
    fn unprocessed_entries_are_sent_again_until_done() {
        let calls = RefCell::new(Vec::new());
        let send = stingy(3, 2, &calls);
        let drained = block_on(retry_unprocessed("t", (0..10).collect(), FAST, send));
        assert!(drained.error.is_none(), "{:?}", drained.error);
        assert!(drained.unprocessed.is_empty());
        let mut processed = drained.processed;
        processed.sort_unstable();
        assert_eq!(processed, (0..10).collect::<Vec<_>>());
        assert_eq!(
            *calls.borrow(),
            vec![(0..10).collect(), vec![8, 9], vec![8, 9], vec![8, 9]]
        );
    }

    /// dynalite answers at most about 1.4 MB per `BatchGetItem`: 60 items of
    /// 350 KB took 15 requests, one item or more each, and the loop gave up
    /// after 8 with items still pending.
    #[test]
    fn a_server_that_processes_a_little_each_time_is_followed_to_the_end() {
        let calls = Cell::new(0);
        let one_at_a_time = |mut pending: Vec<u32>| {
            calls.set(calls.get() + 1);
            let done = vec![pending.remove(0)];
            std::future::ready(Ok::<_, Error>((done, pending)))
        };
        let drained = block_on(retry_unprocessed(
            "t",
            (0..20).collect(),
            FAST,
            one_at_a_time,
        ));
        assert!(drained.error.is_none(), "{:?}", drained.error);
        assert_eq!(drained.processed, (0..20).collect::<Vec<_>>());
        assert_eq!(calls.get(), 20);
    }

    #[test]
    fn entries_left_after_the_last_attempt_are_returned_not_dropped() {
        let calls = RefCell::new(Vec::new());
        let send = stingy(u32::MAX, 3, &calls);
        let drained = block_on(retry_unprocessed("t", (0..10).collect(), FAST, send));
        assert_eq!(calls.borrow().len(), 5);
        assert_eq!(drained.processed, (0..7).collect::<Vec<_>>());
        assert_eq!(drained.unprocessed, vec![7, 8, 9]);
        match drained.error {
            Some(Error::Unprocessed {
                table,
                count,
                attempts,
            }) => assert_eq!((table.as_str(), count, attempts), ("t", 3, 5)),
            other => panic!("expected Unprocessed, got {other:?}"),
        }
    }

    #[test]
    fn errors_stop_the_loop_the_sdk_retried_them_already() {
        let round = Cell::new(0);
        let send = |pending: Vec<u32>| {
            round.set(round.get() + 1);
            std::future::ready(match round.get() {
                1 => Ok((vec![pending[0]], pending[1..].to_vec())),
                _ => Err(Error::Throttled {
                    code: "ThrottlingException".into(),
                    message: "slow down".into(),
                }),
            })
        };
        let drained = block_on(retry_unprocessed("t", vec![1, 2, 3], FAST, send));
        assert_eq!(
            round.get(),
            2,
            "one round after the unprocessed answer, no more"
        );
        assert_eq!(
            (drained.processed, drained.unprocessed),
            (vec![1], vec![2, 3])
        );
        assert!(matches!(drained.error, Some(Error::Throttled { .. })));

        let round = Cell::new(0);
        let invalid = |_: Vec<u32>| {
            round.set(round.get() + 1);
            std::future::ready(Err::<(Vec<u32>, _), _>(Error::validation("a", "bad")))
        };
        let drained = block_on(retry_unprocessed("t", vec![1, 2], FAST, invalid));
        assert_eq!((drained.unprocessed, round.get()), (vec![1, 2], 1));
        assert!(matches!(drained.error, Some(Error::Validation { .. })));
    }

    #[test]
    fn no_round_starts_after_the_budget() {
        let slow = Backoff {
            base: Duration::from_millis(30),
            cap: Duration::from_millis(30),
            attempts: 100,
            budget: Duration::from_millis(100),
        };
        let calls = RefCell::new(Vec::new());
        let started = std::time::Instant::now();
        let drained = block_on(retry_unprocessed(
            "t",
            vec![1],
            slow,
            stingy(u32::MAX, 1, &calls),
        ));
        assert!(started.elapsed() < Duration::from_millis(200));
        assert!(calls.borrow().len() < 100);
        assert!(matches!(drained.error, Some(Error::Unprocessed { .. })));
        assert_eq!(drained.unprocessed, vec![1]);
    }

    #[test]
    fn nothing_is_sent_for_nothing() {
        let send = |_: Vec<u32>| -> Answer { panic!("no request for no entries") };
        let drained = block_on(retry_unprocessed("t", Vec::new(), FAST, send));
        assert!(drained.error.is_none() && drained.processed.is_empty());
    }

    #[test]
    fn delays_grow_exponentially_up_to_the_cap_with_full_jitter() {
        let backoff = Backoff::DEFAULT;
        for retry in 0..10 {
            let ceiling = (Duration::from_millis(25) * 2u32.pow(retry)).min(Duration::from_secs(1));
            assert_eq!(
                backoff.delay(retry, u64::MAX),
                Duration::from_nanos(u64::MAX % (ceiling.as_nanos() as u64 + 1))
            );
            assert_eq!(backoff.delay(retry, 0), Duration::ZERO);
            for _ in 0..100 {
                assert!(backoff.delay(retry, random()) <= ceiling);
            }
        }
        assert_eq!(
            backoff.delay(u32::MAX, u64::MAX - 1),
            Duration::from_nanos((u64::MAX - 1) % 1_000_000_001)
        );
        let draws: std::collections::HashSet<_> = (0..20).map(|_| random()).collect();
        assert!(draws.len() > 1, "the jitter is random");
    }

    #[test]
    fn repeated_keys_are_found_whatever_their_attribute_order() {
        use aws_sdk_dynamodb::types::AttributeValue as V;
        let a: Attributes = [
            ("pk".into(), V::S("1".into())),
            ("sk".into(), V::N("2".into())),
        ]
        .into();
        let b: Attributes = [
            ("sk".into(), V::N("2".into())),
            ("pk".into(), V::S("1".into())),
        ]
        .into();
        let c: Attributes = [
            ("pk".into(), V::N("1".into())),
            ("sk".into(), V::N("2".into())),
        ]
        .into();
        assert_eq!(distinct(&[a.clone(), c.clone()]), Ok(vec![0, 1]));
        assert_eq!(distinct(&[a.clone(), c, b]), Err((0, 2)));
        assert_eq!(first_occurrences(&[a.clone(), a]).0, vec![0]);
    }
}
