//! A table's DynamoDB Streams events as typed changes:
//! `User::stream_handler(on_change)`.
//!
#![doc = include_str!("../../../docs/streams.md")]

mod change;

use std::borrow::Cow;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use lambda_runtime::{LambdaEvent, Service};

pub use aws_lambda_events;
pub use aws_lambda_events::event::dynamodb::{Event, EventRecord};
pub use aws_lambda_events::event::streams::{DynamoDbBatchItemFailure, DynamoDbEventResponse};
pub use change::{Change, ChangeKind, Operation, RecordError, RecordInfo, RecordPart};

use crate::model::error::Error;
use crate::model::item::Table;

/// A Lambda handler for DynamoDB Streams events of table `T`: calls
/// `on_change` with each record as a [`Change`] and reports the first
/// failure as a batch item failure (see the [module](self) on failures).
///
/// Run it with [`dynamo_lambda::run`](crate::run), or call
/// [`StreamHandler::handle`] directly in a test.
pub struct StreamHandler<T, F> {
    on_change: Arc<F>,
    table_name: Option<Cow<'static, str>>,
    _item: PhantomData<fn() -> T>,
}

impl<T, F> StreamHandler<T, F> {
    /// A handler calling `on_change` for each record.
    pub fn new(on_change: F) -> Self {
        StreamHandler {
            on_change: Arc::new(on_change),
            table_name: None,
            _item: PhantomData,
        }
    }

    /// Accepts the records of table `name` instead of
    /// [`Table::table_name`]'s, e.g. a [`TableClient::new`](crate::TableClient::new)
    /// table of a test.
    #[must_use]
    pub fn table_name(mut self, name: impl Into<Cow<'static, str>>) -> Self {
        self.table_name = Some(name.into());
        self
    }
}

impl<T: Table, F> StreamHandler<T, F> {
    fn expected_table(&self) -> &str {
        match &self.table_name {
            Some(name) => name,
            None => T::table_name(),
        }
    }
}

impl<T, F> Clone for StreamHandler<T, F> {
    fn clone(&self) -> Self {
        StreamHandler {
            on_change: Arc::clone(&self.on_change),
            table_name: self.table_name.clone(),
            _item: PhantomData,
        }
    }
}

impl<T: Table, F> fmt::Debug for StreamHandler<T, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamHandler")
            .field("table", &self.expected_table())
            .finish_non_exhaustive()
    }
}

impl<T, F, Fut, E> StreamHandler<T, F>
where
    T: Table,
    F: Fn(Change<T>) -> Fut,
    Fut: Future<Output = Result<(), E>>,
    E: Into<lambda_runtime::Error>,
{
    /// Handles a batch of records in order, stopping at the first that
    /// fails; the response names that one.
    pub async fn handle(&self, event: Event) -> DynamoDbEventResponse {
        let mut response = DynamoDbEventResponse::default();
        let total = event.records.len();
        for (index, record) in event.records.into_iter().enumerate() {
            let sequence_number = record.change.sequence_number.clone();
            let event_id = record.event_id.clone();
            let failure = match Change::<T>::from_record_of(record, self.expected_table()) {
                Ok(change) => match (self.on_change)(change).await {
                    Ok(()) => continue,
                    Err(error) => Failure::Handler(error.into()),
                },
                Err(error) => Failure::Record(error),
            };
            let skipped = total - index - 1;
            match &sequence_number {
                Some(sequence_number) => tracing::error!(
                    table = self.expected_table(),
                    sequence_number,
                    event_id,
                    skipped,
                    error = %failure,
                    "stream record failed; reported with the {skipped} record(s) after it for retry"
                ),
                None => tracing::error!(
                    table = self.expected_table(),
                    event_id,
                    skipped,
                    error = %failure,
                    "stream record without a sequence number failed; the whole batch is reported for retry"
                ),
            }
            let mut item = DynamoDbBatchItemFailure::default();
            item.item_identifier = sequence_number;
            response.batch_item_failures.push(item);
            break;
        }
        response
    }
}

enum Failure {
    Record(RecordError),
    Handler(lambda_runtime::Error),
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Record(error) => write!(f, "{error}"),
            Failure::Handler(error) => write!(f, "on_change failed: {error}"),
        }
    }
}

impl<T, F, Fut, E> Service<LambdaEvent<Event>> for StreamHandler<T, F>
where
    T: Table + Send + 'static,
    F: Fn(Change<T>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), E>> + Send + 'static,
    E: Into<lambda_runtime::Error> + 'static,
{
    type Response = DynamoDbEventResponse;
    type Error = Error;
    type Future = Pin<Box<dyn Future<Output = Result<DynamoDbEventResponse, Error>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, event: LambdaEvent<Event>) -> Self::Future {
        let handler = self.clone();
        Box::pin(async move { Ok(handler.handle(event.payload).await) })
    }
}
