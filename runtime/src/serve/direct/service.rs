//! The handler: a request run on the table, its [`Response`], and the
//! `lambda_runtime` service around it.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use lambda_runtime::{LambdaEvent, Service};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::query::JsonQuery;
use super::request::{Payload, Request};
use super::update::JsonUpdate;
use crate::model::error::Error;
use crate::ops::table::TableClient;

/// What the handler answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Response<T> {
    /// The item read, if there was one.
    Get {
        /// Whether the item exists.
        found: bool,
        /// The item, or `null`.
        item: Option<T>,
    },
    /// The item was written.
    Put {},
    /// The item was created.
    Create {},
    /// The item deleted, if there was one.
    Delete {
        /// Whether an item was deleted.
        found: bool,
        /// The deleted item, or `null`.
        item: Option<T>,
    },
    /// The item after the update.
    Update {
        /// The updated item.
        item: T,
    },
    /// The items found, in no particular order.
    BatchGet {
        /// The items; keys without an item are left out.
        items: Vec<T>,
    },
    /// A page of a query: `{"op": "query", "items": [...], "cursor": "..." | null}`.
    #[serde(untagged)]
    Query(Value),
}

impl<T> Response<T> {
    fn found(op: fn(bool, Option<T>) -> Self, item: Option<T>) -> Self {
        op(item.is_some(), item)
    }
}

/// A `lambda_runtime` service serving one table; see the module docs for
/// the JSON contract. Errors become a Lambda error whose `errorType` is the
/// [`ErrorKind`](crate::ErrorKind).
pub struct Handler<T> {
    table: TableClient<T>,
}

impl<T> Clone for Handler<T> {
    fn clone(&self) -> Self {
        Handler {
            table: self.table.clone(),
        }
    }
}

impl<T> fmt::Debug for Handler<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handler")
            .field("table", &self.table)
            .finish()
    }
}

impl<T> Handler<T>
where
    T: JsonUpdate + JsonQuery + Serialize + DeserializeOwned + Send + Sync + 'static,
    T::Key: Clone,
    T::Key: DeserializeOwned,
{
    /// A handler serving `table`.
    pub fn new(table: TableClient<T>) -> Self {
        Handler { table }
    }

    /// The table this handler serves.
    pub fn table(&self) -> &TableClient<T> {
        &self.table
    }

    /// Handles one event's payload; JSON nested [`MAX_DEPTH`](super::MAX_DEPTH) deep or
    /// deeper is refused with [`Error::Validation`].
    pub async fn handle(&self, payload: Value) -> Result<Response<T>, Error> {
        // A future is as large as the largest one it awaits in place, and
        // runtimes move it at least once. Reads, the common case, are awaited
        // in place; every other operation is boxed, so that their larger
        // futures (batches, updates) do not make every read's future larger.
        match Request::<T>::from_json(payload)? {
            Request::Get {
                key,
                consistent_read,
            } => self.get(&key, consistent_read).await,
            request => Box::pin(self.run(request)).await,
        }
    }

    async fn get(&self, key: &T::Key, consistent_read: bool) -> Result<Response<T>, Error> {
        // `table.get(..).await` would box the request future: a copy of
        // several kilobytes per call.
        let item = self.table.get_item(key, consistent_read).await?;
        Ok(Response::found(
            |found, item| Response::Get { found, item },
            item,
        ))
    }

    async fn run(&self, request: Request<T>) -> Result<Response<T>, Error> {
        let table = &self.table;
        match request {
            Request::Get {
                key,
                consistent_read,
            } => self.get(&key, consistent_read).await,
            Request::Put { item } => table.put(&item).await.map(|()| Response::Put {}),
            Request::Create { item } => table.create(&item).await.map(|()| Response::Create {}),
            Request::Delete { key } => Ok(Response::found(
                |found, item| Response::Delete { found, item },
                table.delete(&key).await?,
            )),
            Request::Query(request) => {
                let page = T::json_query(table, request).await?;
                Ok(Response::Query(serde_json::json!({
                    "op": "query",
                    "items": page.items,
                    "cursor": page.cursor,
                })))
            }
            Request::BatchGet { keys } => Ok(Response::BatchGet {
                items: table.batch_get(&keys).await?,
            }),
            Request::Update {
                key,
                set,
                remove,
                add,
                expected_version,
            } => {
                let mut update = table.update(key);
                for (name, value) in set {
                    update = T::json_set(update, &name, value)?;
                }
                for name in remove {
                    update = T::json_remove(update, &name)?;
                }
                for (name, value) in add {
                    update = T::json_add(update, &name, value)?;
                }
                if let Some(version) = expected_version {
                    update = update.checked_expected_version(version)?;
                }
                Ok(Response::Update {
                    item: update.await?,
                })
            }
        }
    }
}

/// A direct-invoke Lambda service answering with `Response<T>`: what
/// `User::handler()` returns, ready for [`run`](crate::run). Its events are
/// [`Payload`]s: `LambdaEvent::new(json!({…}).into(), Context::default())`.
pub trait DirectService<T>:
    Service<LambdaEvent<Payload>, Response = Response<T>, Error = Error, Future: Send>
    + Clone
    + Send
    + 'static
{
}

impl<T, S> DirectService<T> for S where
    S: Service<LambdaEvent<Payload>, Response = Response<T>, Error = Error, Future: Send>
        + Clone
        + Send
        + 'static
{
}

impl<T> Handler<T>
where
    T: JsonUpdate + JsonQuery + Serialize + DeserializeOwned + Send + Sync + 'static,
    T::Key: Clone,
    T::Key: DeserializeOwned,
{
    /// This handler as a service whose future is not boxed, so the runtime
    /// awaits it in place: a boxed request future (several kilobytes, as it
    /// embeds the SDK's) costs a copy per invocation. `Handler` itself is a
    /// service too, with a boxed future of a nameable type.
    pub fn into_service(self) -> impl DirectService<T> {
        lambda_runtime::service_fn(move |event: LambdaEvent<Payload>| {
            let handler = self.clone();
            async move { handler.handle(event.payload.into_json()?).await }
        })
    }
}

impl<T> Service<LambdaEvent<Payload>> for Handler<T>
where
    T: JsonUpdate + JsonQuery + Serialize + DeserializeOwned + Send + Sync + 'static,
    T::Key: Clone,
    T::Key: DeserializeOwned,
{
    type Response = Response<T>;
    type Error = Error;
    type Future = Pin<Box<dyn Future<Output = Result<Response<T>, Error>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, event: LambdaEvent<Payload>) -> Self::Future {
        let handler = self.clone();
        Box::pin(async move { handler.handle(event.payload.into_json()?).await })
    }
}
