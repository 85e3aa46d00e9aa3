//! Typed operations on one table: [`TableClient`].

use std::borrow::Cow;
use std::fmt;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;

use std::collections::HashMap;

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::operation::put_item::PutItemError;
use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue, ReturnValuesOnConditionCheckFailure};

use crate::model::entity::Entity;
use crate::model::error::Error;
use crate::model::item::{Attributes, Item, Key, Table};
use crate::ops::ambiguous::{Attempts, same_item};
use crate::ops::batch::key_attributes;
use crate::ops::condition::Condition;
use crate::ops::expression::Placeholders;

/// A table of `T` items: a client and the table's name.
///
/// [`TableClient::shared`] (what the generated `User::get` & co. use) takes
/// the process-wide [`client`](crate::client) and [`Table::table_name`];
/// [`TableClient::new`] takes any client and name, e.g. a test's own table.
pub struct TableClient<T> {
    client: Option<Client>,
    name: Cow<'static, str>,
    item: PhantomData<fn() -> T>,
}

impl<T> Clone for TableClient<T> {
    fn clone(&self) -> Self {
        TableClient {
            client: self.client.clone(),
            name: self.name.clone(),
            item: PhantomData,
        }
    }
}

impl<T> fmt::Debug for TableClient<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TableClient")
            .field("table", &self.name)
            .field("item", &std::any::type_name::<T>())
            .finish()
    }
}

impl<T: Entity> TableClient<T> {
    /// The same table and client for another entity type of the shared
    /// table: `orders.entity::<Customer>()`.
    pub fn entity<U: Entity<Shared = T::Shared>>(&self) -> TableClient<U> {
        self.retyped()
    }
}

impl<T> TableClient<T> {
    /// The same client and table name, for items of `U`.
    pub(crate) fn retyped<U>(&self) -> TableClient<U> {
        TableClient {
            client: self.client.clone(),
            name: self.name.clone(),
            item: PhantomData,
        }
    }
}

impl<T: Table> TableClient<T> {
    /// The table `T` names, on the shared client (built on first use).
    pub fn shared() -> Self {
        TableClient {
            client: None,
            name: Cow::Borrowed(T::table_name()),
            item: PhantomData,
        }
    }

    /// The table `name` on `client`.
    pub fn new(client: Client, name: impl Into<Cow<'static, str>>) -> Self {
        TableClient {
            client: Some(client),
            name: name.into(),
            item: PhantomData,
        }
    }

    /// The table name requests go to.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The client requests go through.
    pub async fn client(&self) -> &Client {
        match &self.client {
            Some(client) => client,
            None => crate::ops::client::client().await,
        }
    }

    /// Reads the item with `key`; `Ok(None)` when there is none. Add
    /// `.consistent_read()` before `.await` for a strongly consistent read.
    pub fn get<'a>(&self, key: &'a T::Key) -> Get<'a, T> {
        Get {
            table: self.clone(),
            key,
            consistent_read: false,
            skip_expired: false,
        }
    }

    /// Writes `item`, replacing any item with the same key.
    ///
    /// For a versioned struct (`#[dynamo(version)]`) the write only succeeds
    /// if the stored item is still at `item`'s version (or absent, for
    /// version 0), and stores the next version; otherwise
    /// [`Error::VersionConflict`]. `item` itself keeps its version: use
    /// [`save`](Self::save) to have it updated.
    pub async fn put(&self, item: &T) -> Result<(), Error> {
        let write = self.versioned_put(item)?;
        self.send_put(write, item).await
    }

    /// [`put`](Self::put), then sets `item`'s version to the one stored.
    pub async fn save(&self, item: &mut T) -> Result<(), Error> {
        self.put(item).await?;
        if T::VERSION_ATTRIBUTE.is_some() {
            item.set_version(item.version() + 1);
        }
        Ok(())
    }

    /// Writes `item` only if no item has its key; otherwise
    /// [`Error::AlreadyExists`]. A versioned item is stored at version 1.
    pub async fn create(&self, item: &T) -> Result<(), Error> {
        let write = self.create_request(item)?;
        self.send_put(write, item).await
    }

    /// The item and condition of a `put`: versioned structs expect their version.
    pub(crate) fn versioned_put(&self, item: &T) -> Result<PutRequest, Error> {
        let mut attributes = item.to_item().map_err(Error::encode)?;
        let Some(version_attribute) = T::VERSION_ATTRIBUTE else {
            crate::value::size::check(&attributes, self.name(), || format!("{:?}", item.key()))?;
            return Ok(PutRequest::unconditional(attributes));
        };
        let current = item.version();
        let next = current
            .checked_add(1)
            .ok_or_else(|| Error::validation(version_attribute, "version is at its maximum"))?;
        attributes.insert(
            version_attribute.to_owned(),
            AttributeValue::N(next.to_string()),
        );
        crate::value::size::check(&attributes, self.name(), || format!("{:?}", item.key()))?;
        let condition: Condition<T> = if current == 0 {
            Condition::attribute_not_exists(T::DEFINITION.partition_key.attribute)
        } else {
            Condition::attribute_equals(version_attribute, AttributeValue::N(current.to_string()))
        };
        PutRequest::new(attributes, condition, Some(current))
    }

    /// The item and condition of a `create`.
    pub(crate) fn create_request(&self, item: &T) -> Result<PutRequest, Error> {
        let mut attributes = item.to_item().map_err(Error::encode)?;
        if let Some(version_attribute) = T::VERSION_ATTRIBUTE {
            attributes.insert(
                version_attribute.to_owned(),
                AttributeValue::N("1".to_owned()),
            );
        }
        crate::value::size::check(&attributes, self.name(), || format!("{:?}", item.key()))?;
        let condition: Condition<T> =
            Condition::attribute_not_exists(T::DEFINITION.partition_key.attribute);
        PutRequest::new(attributes, condition, None)
    }

    /// Sends a put. A failed condition of a request the SDK sent more than
    /// once, whose stored item is exactly the one written, is this call's
    /// own earlier attempt, applied but not answered: a success (see
    /// `ambiguous.rs`).
    async fn send_put(&self, write: PutRequest, item: &T) -> Result<(), Error> {
        let PutRequest {
            item: attributes,
            condition,
            names,
            values,
            expected_version,
        } = write;
        let conditional = condition.is_some();
        let attempts = Attempts::default();
        let result = self
            .client()
            .await
            .put_item()
            .table_name(self.name())
            .set_item(Some(attributes.clone()))
            .set_condition_expression(condition)
            .set_expression_attribute_names(names)
            .set_expression_attribute_values(values)
            .set_return_values_on_condition_check_failure(
                conditional.then_some(ReturnValuesOnConditionCheckFailure::AllOld),
            )
            .customize()
            .interceptor(attempts.clone())
            .send()
            .await;
        let error = match result {
            Ok(_) => return Ok(()),
            Err(error) => error,
        };
        let returned = match &error {
            SdkError::ServiceError(context) => match context.err() {
                PutItemError::ConditionalCheckFailedException(e) => e.item().cloned(),
                _ => None,
            },
            _ => None,
        };
        let table = match Error::from_sdk(error, self.name()) {
            Error::ConditionFailed { table, .. } => table,
            other => return Err(other),
        };
        if attempts.retried() {
            // Servers without `ReturnValuesOnConditionCheckFailure`
            // (dynalite) return no item: read it.
            let stored = match returned.filter(|i| !i.is_empty()) {
                Some(stored) => Some(stored),
                None => {
                    self.read_raw(&key_attributes(&attributes, &T::DEFINITION))
                        .await?
                }
            };
            if stored.is_some_and(|stored| same_item(&stored, &attributes)) {
                return Ok(());
            }
        }
        let key = format!("{:?}", item.key());
        Err(match expected_version {
            Some(expected) => Error::VersionConflict {
                table,
                key,
                expected,
            },
            None => Error::AlreadyExists { table, key },
        })
    }

    /// The stored attributes of the item with `key`, read consistently.
    pub(crate) async fn read_raw(&self, key: &Attributes) -> Result<Option<Attributes>, Error> {
        let output = self
            .client()
            .await
            .get_item()
            .table_name(self.name())
            .set_key(Some(key.clone()))
            .consistent_read(true)
            .send()
            .await
            .map_err(|e| Error::from_sdk(e, self.name()))?;
        Ok(output.item.filter(|i| !i.is_empty()))
    }

    /// Deletes the item with `key` and returns it; `Ok(None)` when there was none.
    pub async fn delete(&self, key: &T::Key) -> Result<Option<T>, Error> {
        let key = key.to_key().map_err(Error::encode)?;
        let output = self
            .client()
            .await
            .delete_item()
            .table_name(self.name())
            .set_key(Some(key))
            .return_values(ReturnValue::AllOld)
            .send()
            .await
            .map_err(|e| Error::from_sdk(e, self.name()))?;
        decode(output.attributes)
    }

    pub(crate) async fn get_item(
        &self,
        key: &T::Key,
        consistent_read: bool,
    ) -> Result<Option<T>, Error> {
        let key = key.to_key().map_err(Error::encode)?;
        let output = self
            .client()
            .await
            .get_item()
            .table_name(self.name())
            .set_key(Some(key))
            .consistent_read(consistent_read)
            .send()
            .await
            .map_err(|e| Error::from_sdk(e, self.name()))?;
        decode(output.item)
    }
}

/// A `PutItem` ready to send (or to put in a transaction).
#[derive(Debug)]
pub(crate) struct PutRequest {
    pub item: Attributes,
    pub condition: Option<String>,
    pub names: Option<HashMap<String, String>>,
    pub values: Option<HashMap<String, AttributeValue>>,
    /// For a versioned put, the version it replaces.
    pub expected_version: Option<u64>,
}

impl PutRequest {
    fn unconditional(item: Attributes) -> Self {
        PutRequest {
            item,
            condition: None,
            names: None,
            values: None,
            expected_version: None,
        }
    }

    fn new<T>(
        item: Attributes,
        condition: Condition<T>,
        expected_version: Option<u64>,
    ) -> Result<Self, Error> {
        let mut placeholders = Placeholders::default();
        let condition = condition.render(&mut placeholders)?;
        let (names, values) = placeholders.into_maps();
        Ok(PutRequest {
            item,
            condition: Some(condition),
            names,
            values,
            expected_version,
        })
    }
}

pub(crate) fn decode<T: Item>(
    item: Option<crate::model::item::Attributes>,
) -> Result<Option<T>, Error> {
    match item {
        Some(item) if !item.is_empty() => T::from_item(item).map(Some).map_err(Error::Decode),
        _ => Ok(None),
    }
}

/// A pending [`TableClient::get`]; `.await` it.
#[must_use = "a get does nothing until it is awaited"]
pub struct Get<'a, T: Table> {
    table: TableClient<T>,
    key: &'a T::Key,
    consistent_read: bool,
    skip_expired: bool,
}

impl<T: Table> fmt::Debug for Get<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Get")
            .field("table", &self.table.name())
            .field("key", self.key)
            .field("consistent_read", &self.consistent_read)
            .field("skip_expired", &self.skip_expired)
            .finish()
    }
}

impl<T: Table> Get<'_, T> {
    /// Reads with strong consistency (twice the read capacity).
    pub fn consistent_read(mut self) -> Self {
        self.consistent_read = true;
        self
    }

    /// Treats an item whose time to live has passed as absent: DynamoDB
    /// deletes expired items lazily, so reads can still return them.
    pub fn skip_expired(mut self) -> Self {
        self.skip_expired = true;
        self
    }
}

/// Whether an item's time to live has passed.
pub(crate) fn is_expired<T: Table>(item: &T) -> bool {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    item.expires_at().is_some_and(|at| at <= now)
}

impl<'a, T: Table + Send + 'a> IntoFuture for Get<'a, T> {
    type Output = Result<Option<T>, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let item = self.table.get_item(self.key, self.consistent_read).await?;
            Ok(item.filter(|item| !(self.skip_expired && is_expired(item))))
        })
    }
}
