//! Nothing lost, nothing half-written: a seeded random run of table
//! operations through the fault proxy, every fault kind injected at random,
//! against a model of what the library reported.
//!
//! Workers run side by side, each on its own keyspace of both tables, with
//! its own proxy and client, sending one operation at a time: the seed fixes
//! each worker's operations and fault schedule (drawn per request in
//! order), so a failing run replays — up to timing: an answer that is slow
//! by itself, past the attempt timeout, adds a request and shifts the
//! schedule after it.
//! After each operation the model takes what the library reported: a
//! success is applied, a definite failure (`AlreadyExists`, `NotFound`,
//! `VersionConflict`, a canceled transaction) must have left no trace, and a
//! retryable failure is ambiguous: the keys are read directly from the
//! server and must hold either the old or the new state (a transaction: all
//! old or all new). At the end both tables, scanned directly, must equal
//! the model.
//!
//! - `CHAOS_SEED`: the seed (default: from the clock; printed);
//! - `CHAOS_OPS`: operations in all (default 3,000, under a minute on moto;
//!   the full run is `CHAOS_OPS=10000`);
//! - `CHAOS_RATE`: the share of requests that get a fault (default 0.05).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Debug;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use dynamo_lambda::aws_sdk_dynamodb::Client;
use dynamo_lambda::aws_sdk_dynamodb::config::interceptors::{
    BeforeSerializationInterceptorContextRef, BeforeTransmitInterceptorContextRef,
};
use dynamo_lambda::aws_sdk_dynamodb::config::timeout::TimeoutConfig;
use dynamo_lambda::aws_sdk_dynamodb::config::{ConfigBag, Intercept, RuntimeComponents};
use dynamo_lambda::{Error, ErrorKind, Table, TableClient, Transaction, dynamo_lambda};
use dynamo_lambda_suite::fault::{Fault, Proxy, Stats};
use dynamo_lambda_suite::{Capability, fresh_table};

#[dynamo_lambda(table = "ChaosCells", partition_key = "id")]
#[derive(Debug, Clone, PartialEq)]
struct Cell {
    id: String,
    value: i64,
    tags: BTreeSet<String>,
    note: Option<String>,
}

#[dynamo_lambda(table = "ChaosDocs", partition_key = "id")]
#[derive(Debug, Clone, PartialEq)]
struct Doc {
    id: String,
    body: String,
    #[dynamo(version)]
    version: u64,
}

const WORKERS: usize = 4;
const KEYS_PER_WORKER: usize = 64;
/// A slow answer comes after the attempt timeout of the run's client.
const ATTEMPT_TIMEOUT: Duration = Duration::from_millis(1000);
const SLOW: Duration = Duration::from_millis(1500);

fn env<T: std::str::FromStr>(name: &str) -> Option<T> {
    let value = std::env::var(name).ok()?;
    Some(
        value
            .parse()
            .unwrap_or_else(|_| panic!("{name}={value} does not parse")),
    )
}

fn faults() -> Vec<Fault> {
    vec![
        Fault::ProvisionedThroughputExceeded,
        Fault::Throttling,
        Fault::RetryAfter(Duration::from_millis(20)),
        Fault::InternalServerError,
        Fault::ServiceUnavailable,
        Fault::ResetBefore,
        Fault::ResetAfter,
        Fault::Slow(SLOW),
        Fault::Truncated,
        Fault::Malformed,
        Fault::Unprocessed,
    ]
}

/// Counts operations and attempts: attempts beyond the first are the SDK's retries.
#[derive(Debug, Default, Clone)]
struct Attempts {
    operations: Arc<AtomicU64>,
    attempts: Arc<AtomicU64>,
}

impl Intercept for Attempts {
    fn name(&self) -> &'static str {
        "Attempts"
    }

    fn read_before_execution(
        &self,
        _: &BeforeSerializationInterceptorContextRef<'_>,
        _: &mut ConfigBag,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        self.operations.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    fn read_before_transmit(
        &self,
        _: &BeforeTransmitInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        self.attempts.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

/// What a worker did.
#[derive(Debug, Default)]
struct Figures {
    operations: BTreeMap<&'static str, u64>,
    succeeded: u64,
    failed_definitely: u64,
    ambiguous: u64,
    ambiguous_applied: u64,
    mismatches: Vec<String>,
}

impl Figures {
    fn merge(&mut self, other: Figures) {
        for (op, n) in other.operations {
            *self.operations.entry(op).or_default() += n;
        }
        self.succeeded += other.succeeded;
        self.failed_definitely += other.failed_definitely;
        self.ambiguous += other.ambiguous;
        self.ambiguous_applied += other.ambiguous_applied;
        self.mismatches.extend(other.mismatches);
    }
}

struct Worker {
    name: String,
    rng: fastrand::Rng,
    cells: TableClient<Cell>,
    docs: TableClient<Doc>,
    direct_cells: TableClient<Cell>,
    direct_docs: TableClient<Doc>,
    model_cells: HashMap<String, Cell>,
    model_docs: HashMap<String, Doc>,
    transactions: bool,
    figures: Figures,
    proxy: Proxy,
    /// Transactions moto canceled on the SDK's retry of an applied attempt.
    token_ignored: u64,
}

/// What a retryable error means for the model.
fn ambiguous(error: &Error) -> bool {
    error.is_retryable() || matches!(error.kind(), ErrorKind::Service)
}

impl Worker {
    fn key(&mut self) -> String {
        format!("{}-k{:02}", self.name, self.rng.usize(..KEYS_PER_WORKER))
    }

    fn cell(&mut self, id: String) -> Cell {
        let tags = (0..self.rng.usize(..3))
            .map(|_| format!("t{}", self.rng.u8(..5)))
            .collect();
        Cell {
            id,
            value: self.rng.i64(-1000..1000),
            tags,
            note: self.rng.bool().then(|| format!("n{}", self.rng.u16(..))),
        }
    }

    fn mismatch(&mut self, what: String) {
        eprintln!("MISMATCH {what}");
        self.figures.mismatches.push(what);
    }

    fn unexpected(&mut self, op: &str, error: &Error) {
        self.mismatch(format!("{op}: unexpected {:?}: {error}", error.kind()));
    }

    /// Reads `id` directly; it must be `old` or `new`; the model takes it.
    async fn resolve_cell(&mut self, op: &str, id: &str, old: Option<Cell>, new: Option<Cell>) {
        let stored = self
            .direct_cells
            .get(&CellKey { id: id.to_owned() })
            .consistent_read()
            .await
            .expect("a direct read");
        if stored != old && stored != new {
            self.mismatch(format!(
                "{op} on {id}: stored {stored:?}, neither old {old:?} nor new {new:?}"
            ));
        } else if stored != old {
            self.figures.ambiguous_applied += 1;
        }
        match stored {
            Some(cell) => self.model_cells.insert(id.to_owned(), cell),
            None => self.model_cells.remove(id),
        };
    }

    async fn resolve_doc(&mut self, op: &str, id: &str, old: Option<Doc>, new: Option<Doc>) {
        let stored = self
            .direct_docs
            .get(&DocKey { id: id.to_owned() })
            .consistent_read()
            .await
            .expect("a direct read");
        if stored != old && stored != new {
            self.mismatch(format!(
                "{op} on {id}: stored {stored:?}, neither old {old:?} nor new {new:?}"
            ));
        } else if stored != old {
            self.figures.ambiguous_applied += 1;
        }
        match stored {
            Some(doc) => self.model_docs.insert(id.to_owned(), doc),
            None => self.model_docs.remove(id),
        };
    }

    async fn step(&mut self) {
        let roll = self.rng.u32(..100);
        let op = match roll {
            0..15 => "put",
            15..25 => "create",
            25..35 => "update",
            35..43 => "delete",
            43..49 => "batch_put",
            49..53 => "batch_delete",
            53..58 => "batch_get",
            58..64 => "get",
            64..75 => "doc_put",
            75..85 => "doc_update",
            85..92 => "doc_create",
            _ if self.transactions => "transaction",
            _ => "put",
        };
        *self.figures.operations.entry(op).or_default() += 1;
        match op {
            "put" => self.put().await,
            "create" => self.create().await,
            "update" => self.update().await,
            "delete" => self.delete().await,
            "batch_put" => self.batch_put().await,
            "batch_delete" => self.batch_delete().await,
            "batch_get" => self.batch_get().await,
            "get" => self.get().await,
            "doc_put" => self.doc_put().await,
            "doc_update" => self.doc_update().await,
            "doc_create" => self.doc_create().await,
            _ => self.transaction().await,
        }
    }

    fn ok(&mut self) {
        self.figures.succeeded += 1;
    }

    fn definite(&mut self) {
        self.figures.failed_definitely += 1;
    }

    async fn put(&mut self) {
        let id = self.key();
        let cell = self.cell(id.clone());
        let old = self.model_cells.get(&id).cloned();
        match self.cells.put(&cell).await {
            Ok(()) => {
                self.ok();
                self.model_cells.insert(id, cell);
            }
            Err(e) if ambiguous(&e) => {
                self.figures.ambiguous += 1;
                self.resolve_cell("put", &id, old, Some(cell)).await;
            }
            Err(e) => self.unexpected("put", &e),
        }
    }

    async fn create(&mut self) {
        let id = self.key();
        let cell = self.cell(id.clone());
        let old = self.model_cells.get(&id).cloned();
        match self.cells.create(&cell).await {
            Ok(()) => {
                self.ok();
                if old.as_ref().is_some_and(|o| o != &cell) {
                    self.mismatch(format!("create on {id} succeeded over {old:?}"));
                }
                self.model_cells.insert(id, cell);
            }
            Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                self.definite();
                if old.is_none() {
                    self.mismatch(format!("create on {id}: AlreadyExists, but no item: {e}"));
                    self.resolve_cell("create", &id, None, Some(cell)).await;
                }
            }
            Err(e) if ambiguous(&e) => {
                self.figures.ambiguous += 1;
                let new = if old.is_some() {
                    old.clone()
                } else {
                    Some(cell)
                };
                self.resolve_cell("create", &id, old, new).await;
            }
            Err(e) => self.unexpected("create", &e),
        }
    }

    async fn update(&mut self) {
        let id = self.key();
        let value = self.rng.i64(-1000..1000);
        let note = self.rng.bool().then(|| format!("u{}", self.rng.u16(..)));
        let old = self.model_cells.get(&id).cloned();
        let new = old.clone().map(|c| Cell {
            value,
            note: note.clone(),
            ..c
        });
        let f = Cell::fields();
        let update = self
            .cells
            .update(CellKey { id: id.clone() })
            .set(f.value, value);
        let update = match note.clone() {
            Some(note) => update.set(f.note, note),
            None => update.remove(f.note),
        };
        match update.await {
            Ok(returned) => {
                self.ok();
                if Some(&returned) != new.as_ref() {
                    self.mismatch(format!(
                        "update on {id} returned {returned:?}, expected {new:?}"
                    ));
                }
                self.model_cells.insert(id, returned);
            }
            Err(e) if e.kind() == ErrorKind::NotFound => {
                self.definite();
                if old.is_some() {
                    self.mismatch(format!("update on {id}: NotFound, but {old:?}"));
                    self.resolve_cell("update", &id, old, new).await;
                }
            }
            Err(e) if ambiguous(&e) => {
                self.figures.ambiguous += 1;
                self.resolve_cell("update", &id, old, new).await;
            }
            Err(e) => self.unexpected("update", &e),
        }
    }

    async fn delete(&mut self) {
        let id = self.key();
        let old = self.model_cells.get(&id).cloned();
        match self.cells.delete(&CellKey { id: id.clone() }).await {
            Ok(returned) => {
                self.ok();
                // After a lost answer the retry finds nothing: `None` is
                // allowed for an item that was there (see the README).
                if returned.is_some() && returned != old {
                    self.mismatch(format!("delete on {id} returned {returned:?}, had {old:?}"));
                }
                self.model_cells.remove(&id);
            }
            Err(e) if ambiguous(&e) => {
                self.figures.ambiguous += 1;
                self.resolve_cell("delete", &id, old, None).await;
            }
            Err(e) => self.unexpected("delete", &e),
        }
    }

    fn distinct_keys(&mut self, max: usize) -> Vec<String> {
        let n = self.rng.usize(1..=max);
        let mut keys: Vec<String> = (0..n).map(|_| self.key()).collect();
        keys.sort();
        keys.dedup();
        keys
    }

    async fn batch_put(&mut self) {
        let items: Vec<Cell> = self
            .distinct_keys(30)
            .into_iter()
            .map(|id| self.cell(id))
            .collect();
        match self.cells.batch_put(&items).await {
            Ok(()) => {
                self.ok();
                for item in items {
                    self.model_cells.insert(item.id.clone(), item);
                }
            }
            Err(e) => {
                if !ambiguous(&e.error) {
                    return self.unexpected("batch_put", &e.error);
                }
                self.figures.ambiguous += 1;
                for item in items {
                    let old = self.model_cells.get(&item.id).cloned();
                    if e.unprocessed.contains(&item) {
                        self.resolve_cell("batch_put", &item.id.clone(), old, Some(item))
                            .await;
                    } else {
                        // Reported written: it must be.
                        self.resolve_cell(
                            "batch_put (written)",
                            &item.id.clone(),
                            Some(item.clone()),
                            Some(item),
                        )
                        .await;
                    }
                }
            }
        }
    }

    async fn batch_delete(&mut self) {
        let keys: Vec<CellKey> = self
            .distinct_keys(30)
            .into_iter()
            .map(|id| CellKey { id })
            .collect();
        match self.cells.batch_delete(&keys).await {
            Ok(()) => {
                self.ok();
                for key in keys {
                    self.model_cells.remove(&key.id);
                }
            }
            Err(e) => {
                if !ambiguous(&e.error) {
                    return self.unexpected("batch_delete", &e.error);
                }
                self.figures.ambiguous += 1;
                for key in keys {
                    let old = self.model_cells.get(&key.id).cloned();
                    if e.unprocessed.contains(&key) {
                        self.resolve_cell("batch_delete", &key.id, old, None).await;
                    } else {
                        self.resolve_cell("batch_delete (written)", &key.id, None, None)
                            .await;
                    }
                }
            }
        }
    }

    async fn batch_get(&mut self) {
        let keys: Vec<CellKey> = self
            .distinct_keys(40)
            .into_iter()
            .map(|id| CellKey { id })
            .collect();
        let (items, unread) = match self.cells.batch_get(&keys).await {
            Ok(items) => {
                self.ok();
                (items, Vec::new())
            }
            Err(e) if ambiguous(&e.error) => {
                self.figures.ambiguous += 1;
                (e.items, e.unprocessed)
            }
            Err(e) => return self.unexpected("batch_get", &e.error),
        };
        let found: HashMap<String, Cell> = items.into_iter().map(|c| (c.id.clone(), c)).collect();
        for key in keys {
            if unread.contains(&key) {
                continue;
            }
            let expected = self.model_cells.get(&key.id);
            if found.get(&key.id) != expected {
                let got = found.get(&key.id).cloned();
                let expected = expected.cloned();
                self.mismatch(format!(
                    "batch_get of {}: {got:?}, model {expected:?}",
                    key.id
                ));
            }
        }
    }

    async fn get(&mut self) {
        let id = self.key();
        match self.cells.get(&CellKey { id: id.clone() }).await {
            Ok(found) => {
                self.ok();
                if found.as_ref() != self.model_cells.get(&id) {
                    let expected = self.model_cells.get(&id).cloned();
                    self.mismatch(format!("get of {id}: {found:?}, model {expected:?}"));
                }
            }
            Err(e) if ambiguous(&e) => self.figures.ambiguous += 1,
            Err(e) => self.unexpected("get", &e),
        }
    }

    fn doc_key(&mut self) -> String {
        format!("{}-d{:02}", self.name, self.rng.usize(..KEYS_PER_WORKER))
    }

    async fn doc_put(&mut self) {
        let id = self.doc_key();
        let old = self.model_docs.get(&id).cloned();
        let mut doc = Doc {
            id: id.clone(),
            body: format!("p{}", self.rng.u32(..)),
            version: old.as_ref().map_or(0, |d| d.version),
        };
        // Now and then a stale version: a conflict that must be reported.
        let stale = old.is_some() && self.rng.u8(..10) == 0;
        if stale {
            doc.version -= 1;
        }
        let new = Doc {
            version: doc.version + 1,
            ..doc.clone()
        };
        match self.docs.save(&mut doc).await {
            Ok(()) => {
                self.ok();
                if stale || doc != new {
                    self.mismatch(format!("doc_put on {id}: saved {doc:?} over {old:?}"));
                }
                self.model_docs.insert(id, new);
            }
            Err(e) if e.kind() == ErrorKind::VersionConflict => {
                self.definite();
                if !stale {
                    self.mismatch(format!("doc_put on {id}: {e} at the current version"));
                    self.resolve_doc("doc_put", &id, old, Some(new)).await;
                }
            }
            Err(e) if ambiguous(&e) => {
                self.figures.ambiguous += 1;
                let new = if stale { old.clone() } else { Some(new) };
                self.resolve_doc("doc_put", &id, old, new).await;
            }
            Err(e) => self.unexpected("doc_put", &e),
        }
    }

    async fn doc_update(&mut self) {
        let id = self.doc_key();
        let Some(old) = self.model_docs.get(&id).cloned() else {
            return self.doc_create_at(id).await;
        };
        let body = format!("u{}", self.rng.u32(..));
        let new = Doc {
            body: body.clone(),
            version: old.version + 1,
            ..old.clone()
        };
        let update = self
            .docs
            .update(DocKey { id: id.clone() })
            .set(Doc::fields().body, body)
            .expected_version(old.version);
        match update.await {
            Ok(returned) => {
                self.ok();
                if returned != new {
                    self.mismatch(format!(
                        "doc_update on {id}: {returned:?}, expected {new:?}"
                    ));
                }
                self.model_docs.insert(id, returned);
            }
            Err(e) if e.kind() == ErrorKind::VersionConflict => {
                self.definite();
                self.mismatch(format!("doc_update on {id}: {e} at the current version"));
                self.resolve_doc("doc_update", &id, Some(old), Some(new))
                    .await;
            }
            Err(e) if ambiguous(&e) => {
                self.figures.ambiguous += 1;
                self.resolve_doc("doc_update", &id, Some(old), Some(new))
                    .await;
            }
            Err(e) => self.unexpected("doc_update", &e),
        }
    }

    async fn doc_create(&mut self) {
        let id = self.doc_key();
        self.doc_create_at(id).await;
    }

    async fn doc_create_at(&mut self, id: String) {
        let old = self.model_docs.get(&id).cloned();
        let doc = Doc {
            id: id.clone(),
            body: format!("c{}", self.rng.u32(..)),
            version: 0,
        };
        let new = Doc {
            version: 1,
            ..doc.clone()
        };
        match self.docs.create(&doc).await {
            Ok(()) => {
                self.ok();
                if old.is_some() {
                    self.mismatch(format!("doc_create on {id} succeeded over {old:?}"));
                }
                self.model_docs.insert(id, new);
            }
            Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                self.definite();
                if old.is_none() {
                    self.mismatch(format!("doc_create on {id}: {e}, but no item"));
                    self.resolve_doc("doc_create", &id, None, Some(new)).await;
                }
            }
            Err(e) if ambiguous(&e) => {
                self.figures.ambiguous += 1;
                let new = if old.is_some() {
                    old.clone()
                } else {
                    Some(new)
                };
                self.resolve_doc("doc_create", &id, old, new).await;
            }
            Err(e) => self.unexpected("doc_create", &e),
        }
    }

    /// A put, a delete and a create of a doc in one transaction: all or nothing.
    async fn transaction(&mut self) {
        let put_id = self.key();
        let mut delete_id = self.key();
        while delete_id == put_id {
            delete_id = self.key();
        }
        let doc_id = self.doc_key();
        let cell = self.cell(put_id.clone());
        let doc = Doc {
            id: doc_id.clone(),
            body: format!("t{}", self.rng.u32(..)),
            version: 0,
        };
        let old = (
            self.model_cells.get(&put_id).cloned(),
            self.model_cells.get(&delete_id).cloned(),
            self.model_docs.get(&doc_id).cloned(),
        );
        let new = (
            Some(cell.clone()),
            None,
            Some(Doc {
                version: 1,
                ..doc.clone()
            }),
        );
        let sent_before = self.proxy.stats().requests_of("TransactWriteItems");
        let result = Transaction::new()
            .put(&self.cells, &cell)
            .delete(
                &self.cells,
                &CellKey {
                    id: delete_id.clone(),
                },
            )
            .create(&self.docs, &doc)
            .commit()
            .await;
        let read = |w: &Self| {
            let cells = w.direct_cells.clone();
            let docs = w.direct_docs.clone();
            let (put_id, delete_id, doc_id) = (put_id.clone(), delete_id.clone(), doc_id.clone());
            async move {
                (
                    cells
                        .get(&CellKey { id: put_id })
                        .consistent_read()
                        .await
                        .unwrap(),
                    cells
                        .get(&CellKey { id: delete_id })
                        .consistent_read()
                        .await
                        .unwrap(),
                    docs.get(&DocKey { id: doc_id })
                        .consistent_read()
                        .await
                        .unwrap(),
                )
            }
        };
        let stored = match result {
            Ok(()) => {
                self.ok();
                if old.2.is_some() {
                    self.mismatch(format!("transaction created {doc_id} over {:?}", old.2));
                }
                new.clone()
            }
            Err(e) if e.kind() == ErrorKind::TransactionCanceled => {
                self.definite();
                let stored = read(self).await;
                let retried =
                    self.proxy.stats().requests_of("TransactWriteItems") > sent_before + 1;
                if old.2.is_none() && retried && stored == new && server_ignores_tokens() {
                    // The first attempt was applied, its answer lost, and
                    // the retry ran again instead of being recognised.
                    self.token_ignored += 1;
                } else {
                    if old.2.is_none() {
                        self.mismatch(format!("transaction canceled, but {doc_id} was free: {e}"));
                    }
                    if stored != old {
                        self.mismatch(format!("canceled transaction left {stored:?}, had {old:?}"));
                    }
                }
                stored
            }
            Err(e) if ambiguous(&e) => {
                self.figures.ambiguous += 1;
                let stored = read(self).await;
                if stored == new && stored != old {
                    self.figures.ambiguous_applied += 1;
                } else if stored != old {
                    self.mismatch(format!(
                        "transaction half-written: {stored:?}, old {old:?}, new {new:?}"
                    ));
                }
                stored
            }
            Err(e) => {
                self.unexpected("transaction", &e);
                read(self).await
            }
        };
        let (a, b, c) = stored;
        for (id, cell) in [(put_id, a), (delete_id, b)] {
            match cell {
                Some(cell) => self.model_cells.insert(id, cell),
                None => self.model_cells.remove(&id),
            };
        }
        match c {
            Some(doc) => self.model_docs.insert(doc_id, doc),
            None => self.model_docs.remove(&doc_id),
        };
    }
}

/// moto keeps no record of `ClientRequestToken`s.
fn server_ignores_tokens() -> bool {
    dynamo_lambda_suite::Server::current() == dynamo_lambda_suite::Server::Moto
}

/// Every item of a table, scanned directly.
async fn scan_all<T: Table>(client: &Client, table: &str) -> Vec<T> {
    let mut items = Vec::new();
    let mut start = None;
    loop {
        let page = client
            .scan()
            .table_name(table)
            .consistent_read(true)
            .set_exclusive_start_key(start)
            .send()
            .await
            .expect("a direct scan");
        for raw in page.items.unwrap_or_default() {
            items.push(T::from_item(raw).expect("a stored item decodes"));
        }
        start = page.last_evaluated_key.filter(|k| !k.is_empty());
        if start.is_none() {
            return items;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_lost_nothing_half_written() {
    let seed: u64 = env("CHAOS_SEED").unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64
    });
    let total: usize = env("CHAOS_OPS").unwrap_or(3_000);
    let rate: f64 = env("CHAOS_RATE").unwrap_or(0.05);
    let server = dynamo_lambda_suite::Server::current();
    println!(
        "chaos: seed {seed} (replay with CHAOS_SEED={seed}), {total} operations, fault rate {rate}, on {server}"
    );
    // Without transactions (dynalite) their share goes to plain puts; the
    // rest of the run still happens, so this is no skip.
    let transactions = server.has(Capability::Transactions);
    if !transactions {
        println!("chaos: {server} has no transactions: their share goes to puts");
    }

    let attempts = Attempts::default();
    let started = Instant::now();
    let mut runs = Vec::new();
    for w in 0..WORKERS {
        // Tables of its own: moto rolls a failed transaction back by
        // restoring a copy of each table it touched, which undoes whatever
        // other requests wrote there meanwhile.
        let direct_cells = fresh_table::<Cell>(&format!("chaos{w}")).await;
        let direct_docs = fresh_table::<Doc>(&format!("chaos{w}")).await;
        let proxy = Proxy::start().await;
        proxy.chaos(
            seed ^ (w as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15),
            rate,
            faults(),
        );
        let attempts = attempts.clone();
        let client = proxy
            .client_with(move |b| {
                b.interceptor(attempts).timeout_config(
                    TimeoutConfig::builder()
                        .connect_timeout(Duration::from_secs(1))
                        .operation_attempt_timeout(ATTEMPT_TIMEOUT)
                        .operation_timeout(Duration::from_secs(5))
                        .build(),
                )
            })
            .await;
        let mut worker = Worker {
            name: format!("w{w}"),
            rng: fastrand::Rng::with_seed(seed.wrapping_add(w as u64)),
            cells: TableClient::new(client.clone(), direct_cells.name().to_owned()),
            docs: TableClient::new(client, direct_docs.name().to_owned()),
            direct_cells,
            direct_docs,
            proxy,
            token_ignored: 0,
            model_cells: HashMap::new(),
            model_docs: HashMap::new(),
            transactions,
            figures: Figures::default(),
        };
        let count = total / WORKERS + usize::from(w < total % WORKERS);
        runs.push(tokio::spawn(async move {
            for _ in 0..count {
                worker.step().await;
            }
            let stats = worker.proxy.stats();
            (worker, stats)
        }));
    }
    let mut figures = Figures::default();
    let mut stats = Stats::default();
    let mut final_mismatches = Vec::new();
    let (mut cells, mut docs, mut token_ignored) = (0, 0, 0);
    for run in runs {
        let (worker, worker_stats) = run.await.expect("a worker");
        for (op, n) in worker_stats.requests {
            *stats.requests.entry(op).or_default() += n;
        }
        for (kind, n) in worker_stats.faults {
            *stats.faults.entry(kind).or_default() += n;
        }
        stats.unprocessed_entries += worker_stats.unprocessed_entries;
        token_ignored += worker.token_ignored;
        // The worker's tables, read directly, against its model.
        let client = worker.direct_cells.client().await.clone();
        let stored_cells: HashMap<String, Cell> =
            scan_all::<Cell>(&client, worker.direct_cells.name())
                .await
                .into_iter()
                .map(|c| (c.id.clone(), c))
                .collect();
        let stored_docs: HashMap<String, Doc> = scan_all::<Doc>(&client, worker.direct_docs.name())
            .await
            .into_iter()
            .map(|d| (d.id.clone(), d))
            .collect();
        compare(
            "cell",
            &stored_cells,
            &worker.model_cells,
            &mut final_mismatches,
        );
        compare(
            "doc",
            &stored_docs,
            &worker.model_docs,
            &mut final_mismatches,
        );
        cells += stored_cells.len();
        docs += stored_docs.len();
        figures.merge(worker.figures);
    }
    let elapsed = started.elapsed();

    let operations: u64 = figures.operations.values().sum();
    let sdk_operations = attempts.operations.load(Ordering::Relaxed);
    let sdk_attempts = attempts.attempts.load(Ordering::Relaxed);
    println!(
        "chaos: {operations} operations in {elapsed:.1?}: {:?}",
        figures.operations
    );
    println!(
        "chaos: {} succeeded, {} failed definitely (no trace), {} ambiguous ({} keys then held the new state)",
        figures.succeeded, figures.failed_definitely, figures.ambiguous, figures.ambiguous_applied
    );
    println!("chaos: proxy {stats}");
    println!(
        "chaos: {sdk_operations} SDK operations, {sdk_attempts} attempts, {} SDK retries",
        sdk_attempts - sdk_operations
    );
    println!(
        "chaos: final table {} cells, {} docs; mismatches during the run {}, final mismatches {}",
        cells,
        docs,
        figures.mismatches.len(),
        final_mismatches.len()
    );
    if token_ignored > 0 {
        println!(
            "chaos: {token_ignored} transaction(s) applied, then canceled on the SDK's retry: \
             {server} ignores ClientRequestToken (DynamoDB answers a retry with the same token \
             with the first attempt's outcome)"
        );
    }
    for m in &final_mismatches {
        eprintln!("FINAL MISMATCH {m}");
    }
    assert!(stats.total_faults() > 0, "no fault was injected");
    assert!(
        figures.mismatches.is_empty() && final_mismatches.is_empty(),
        "seed {seed}: {} mismatches during the run, {} at the end (replay with CHAOS_SEED={seed})",
        figures.mismatches.len(),
        final_mismatches.len()
    );
}

fn compare<V: PartialEq + Debug>(
    what: &str,
    stored: &HashMap<String, V>,
    model: &HashMap<String, V>,
    mismatches: &mut Vec<String>,
) {
    for (id, value) in stored {
        if model.get(id) != Some(value) {
            mismatches.push(format!(
                "{what} {id}: stored {value:?}, model {:?}",
                model.get(id)
            ));
        }
    }
    for (id, value) in model {
        if !stored.contains_key(id) {
            mismatches.push(format!("{what} {id}: model {value:?}, not stored"));
        }
    }
}
