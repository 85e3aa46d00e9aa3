//! Transactions across tables: [`Transaction`] (`TransactWriteItems`) and
//! [`TransactGet`] (`TransactGetItems`).

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::operation::transact_get_items::TransactGetItemsError;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{
    ConditionCheck, Delete, Get, Put, ReturnValuesOnConditionCheckFailure, TransactGetItem,
    TransactWriteItem, Update as UpdateAction,
};

use crate::model::cancellation::{ActionKind, CancellationKind, CancellationReason};
use crate::model::error::Error;
use crate::model::item::{Attributes, Key, Table};
use crate::ops::condition::Condition;
use crate::ops::expression::Placeholders;
use crate::ops::sdk::{KeyId, build_error};
use crate::ops::table::TableClient;
use crate::ops::table::decode;
use crate::ops::update::Returning;
use crate::ops::update::Update;

/// DynamoDB's limit on the actions of one transaction.
const MAX_ACTIONS: usize = 100;
/// DynamoDB's limit on the length of a `ClientRequestToken`.
const MAX_TOKEN_LEN: usize = 36;

type ClientFuture = Pin<Box<dyn Future<Output = Client> + Send>>;

/// The client of the first table named: requests go through it.
#[derive(Clone)]
struct ClientOf(Arc<dyn Fn() -> ClientFuture + Send + Sync>);

impl ClientOf {
    fn new<T: Table + 'static>(table: &TableClient<T>) -> Self {
        let table = table.clone();
        ClientOf(Arc::new(move || {
            let table = table.clone();
            Box::pin(async move { table.client().await.clone() })
        }))
    }

    async fn get(&self) -> Client {
        (self.0)().await
    }
}

/// What a cancellation reason needs to know about its action.
#[derive(Debug)]
struct Target {
    action: ActionKind,
    table: String,
    key: String,
    key_id: KeyId,
    /// The version attribute and the version expected, for versioned writes.
    version: Option<(&'static str, u64)>,
    upsert: bool,
}

impl Target {
    fn new<T: Table>(
        action: ActionKind,
        table: &TableClient<T>,
        key: &T::Key,
        encoded: &Attributes,
    ) -> Self {
        Target {
            action,
            table: table.name().to_owned(),
            key: format!("{key:?}"),
            key_id: KeyId::of(encoded),
            version: None,
            upsert: false,
        }
    }

    /// The reason for DynamoDB's `code`, with the item as it was (sent back
    /// for updates, whose condition failure has several causes).
    fn reason(
        &self,
        index: usize,
        code: Option<&str>,
        message: Option<&str>,
        old: Option<&Attributes>,
    ) -> CancellationReason {
        let kind = match code {
            None | Some("None") => CancellationKind::None,
            Some("ConditionalCheckFailed") => self.condition_failure(old),
            Some("TransactionConflict") => CancellationKind::TransactionConflict,
            Some("ProvisionedThroughputExceeded" | "ThrottlingError" | "RequestLimitExceeded") => {
                CancellationKind::Throttled
            }
            Some("ValidationError") => CancellationKind::ValidationError,
            Some(other) => CancellationKind::Other(other.to_owned()),
        };
        CancellationReason {
            index,
            action: self.action,
            table: self.table.clone(),
            key: self.key.clone(),
            message: message
                .filter(|m| !m.is_empty() && kind != CancellationKind::None)
                .map(str::to_owned),
            kind,
        }
    }

    fn condition_failure(&self, old: Option<&Attributes>) -> CancellationKind {
        let expected = self.version.map(|(_, expected)| expected);
        match (self.action, old) {
            (ActionKind::Create, _) => CancellationKind::AlreadyExists,
            (ActionKind::Put, _) => match expected {
                Some(expected) => CancellationKind::VersionConflict { expected },
                None => CancellationKind::ConditionFailed,
            },
            (ActionKind::Update, None) if !self.upsert => CancellationKind::NotFound,
            (ActionKind::Update, None) => match expected {
                Some(expected) => CancellationKind::VersionConflict { expected },
                None => CancellationKind::ConditionFailed,
            },
            (ActionKind::Update, Some(item)) => match self.version {
                Some((attribute, expected)) if stored_version(item, attribute) != expected => {
                    CancellationKind::VersionConflict { expected }
                }
                _ => CancellationKind::ConditionFailed,
            },
            _ => CancellationKind::ConditionFailed,
        }
    }
}

fn stored_version(item: &Attributes, attribute: &str) -> u64 {
    match item.get(attribute) {
        Some(aws_sdk_dynamodb::types::AttributeValue::N(n)) => n.parse().unwrap_or(u64::MAX),
        _ => 0,
    }
}

/// Checks what DynamoDB would refuse, before anything is sent.
fn check_targets(targets: &[Target], what: &str) -> Result<(), Error> {
    if targets.len() > MAX_ACTIONS {
        return Err(Error::Validation {
            attribute: None,
            message: format!(
                "{what} has {} actions, DynamoDB takes at most {MAX_ACTIONS}",
                targets.len()
            ),
        });
    }
    let mut seen: HashMap<(&str, &KeyId), usize> = HashMap::with_capacity(targets.len());
    for (index, target) in targets.iter().enumerate() {
        if let Some(first) = seen.insert((target.table.as_str(), &target.key_id), index) {
            return Err(Error::Validation {
                attribute: None,
                message: format!(
                    "{what} acts twice on the item with key {} in table `{}` (actions {first} and {index}); \
                     DynamoDB allows one action per item",
                    target.key, target.table
                ),
            });
        }
    }
    Ok(())
}

fn tables(targets: &[Target]) -> String {
    let mut names: Vec<&str> = targets.iter().map(|t| t.table.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    names.join("`, `")
}

/// Writes across tables that all happen or none does
/// (`TransactWriteItems`): add up to 100 actions, then
/// [`commit`](Self::commit).
///
/// Versioned structs keep their optimistic locking: a `put` expects the
/// item's version and a `create` writes version 1, as outside a
/// transaction. Each item can be the target of one action only. When
/// DynamoDB cancels the transaction, nothing is written and the error is
/// [`Error::TransactionCanceled`] with one typed reason per action. An
/// action that cannot be encoded is reported by `commit`, before anything
/// is sent. Requests go through the client of the first table named.
///
/// ```no_run
/// # use dynamo_lambda::{dynamo_lambda, Transaction, TableClient};
/// # #[dynamo_lambda(table = "Users", partition_key = "id")]
/// # #[derive(Debug, Clone)]
/// # struct User { id: String, credit: i64 }
/// # #[dynamo_lambda(table = "Orders", partition_key = "id")]
/// # #[derive(Debug, Clone)]
/// # struct Order { id: String, user: String }
/// # async fn f(users: TableClient<User>, orders: TableClient<Order>, order: Order)
/// #     -> Result<(), dynamo_lambda::Error> {
/// Transaction::new()
///     .create(&orders, &order)
///     .update(users.update(UserKey { id: order.user.clone() }).add(User::fields().credit, -1))
///     .commit()
///     .await
/// # }
/// ```
#[must_use = "a transaction does nothing until it is committed"]
#[derive(Default)]
#[doc = include_str!("../../docs/transactions.md")]
pub struct Transaction {
    client: Option<ClientOf>,
    items: Vec<TransactWriteItem>,
    targets: Vec<Target>,
    token: Option<String>,
    error: Option<Error>,
}

impl fmt::Debug for Transaction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transaction")
            .field("actions", &self.targets)
            .field("client_request_token", &self.token)
            .field("error", &self.error)
            .finish()
    }
}

impl Transaction {
    /// An empty transaction.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many actions it has.
    pub fn len(&self) -> usize {
        self.targets.len()
    }

    /// Whether it has no action.
    pub fn is_empty(&self) -> bool {
        self.targets.is_empty()
    }

    /// Makes the transaction idempotent: DynamoDB applies a transaction
    /// committed again with the same token (1 to 36 characters) and the
    /// same actions, within 10 minutes, only once, and refuses the token
    /// with other actions ([`Error::Validation`] on `client_request_token`).
    pub fn client_request_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    fn push<T: Table + 'static>(
        mut self,
        table: &TableClient<T>,
        item: Result<(TransactWriteItem, Target), Error>,
    ) -> Self {
        if self.client.is_none() {
            self.client = Some(ClientOf::new(table));
        }
        match item {
            Ok((item, target)) => {
                self.items.push(item);
                self.targets.push(target);
            }
            Err(error) => {
                self.error.get_or_insert(error);
            }
        }
        self
    }

    /// Writes `item`, replacing any item with its key; a versioned item only
    /// if the stored one is still at `item`'s version (see
    /// [`TableClient::put`]).
    pub fn put<T: Table + 'static>(self, table: &TableClient<T>, item: &T) -> Self {
        let action = put_action(table, item, ActionKind::Put);
        self.push(table, action)
    }

    /// Writes `item` only if no item has its key (see [`TableClient::create`]).
    pub fn create<T: Table + 'static>(self, table: &TableClient<T>, item: &T) -> Self {
        let action = put_action(table, item, ActionKind::Create);
        self.push(table, action)
    }

    /// Applies an update built with [`TableClient::update`], conditions and
    /// version check included; what it would return is not asked for.
    pub fn update<T: Table + 'static, R: Returning>(self, update: Update<T, R>) -> Self {
        match update.into_parts() {
            Ok(parts) => {
                let table = parts.table.clone();
                let action = update_action(parts);
                self.push(&table, action)
            }
            Err(error) => {
                let mut this = self;
                this.error.get_or_insert(error);
                this
            }
        }
    }

    /// Deletes the item with `key`, if there is one.
    pub fn delete<T: Table + 'static>(self, table: &TableClient<T>, key: &T::Key) -> Self {
        let action = delete_action(table, key, None);
        self.push(table, action)
    }

    /// Deletes the item with `key` only if `condition` holds on it.
    pub fn delete_if<T: Table + 'static>(
        self,
        table: &TableClient<T>,
        key: &T::Key,
        condition: Condition<T>,
    ) -> Self {
        let action = delete_action(table, key, Some(condition));
        self.push(table, action)
    }

    /// Writes nothing but requires `condition` to hold on the item with
    /// `key` (an item that does not exist has no attributes: only
    /// `not_exists` conditions hold on it).
    pub fn condition_check<T: Table + 'static>(
        self,
        table: &TableClient<T>,
        key: &T::Key,
        condition: Condition<T>,
    ) -> Self {
        let action = check_action(table, key, condition);
        self.push(table, action)
    }

    /// Sends the transaction. An empty transaction sends nothing. Over 100
    /// actions, two actions on one item, an action that could not be
    /// encoded or a token that is not 1 to 36 characters are
    /// [`Error::Validation`] before any request.
    pub async fn commit(self) -> Result<(), Error> {
        if let Some(error) = self.error {
            return Err(error);
        }
        let Some(client) = self.client.filter(|_| !self.items.is_empty()) else {
            return Ok(());
        };
        check_targets(&self.targets, "a transaction")?;
        if let Some(token) = &self.token {
            let length = token.chars().count();
            if !(1..=MAX_TOKEN_LEN).contains(&length) {
                return Err(Error::validation(
                    "client_request_token",
                    format!("must be 1 to {MAX_TOKEN_LEN} characters, not {length}"),
                ));
            }
        }
        let result = client
            .get()
            .await
            .transact_write_items()
            .set_transact_items(Some(self.items))
            .set_client_request_token(self.token)
            .send()
            .await;
        match result {
            Ok(_) => Ok(()),
            Err(error) => Err(write_error(error, &self.targets)),
        }
    }
}

fn write_error<R: fmt::Debug>(
    error: SdkError<TransactWriteItemsError, R>,
    targets: &[Target],
) -> Error {
    if let SdkError::ServiceError(context) = &error {
        match context.err() {
            TransactWriteItemsError::TransactionCanceledException(e) => {
                return canceled(targets, e.cancellation_reasons());
            }
            TransactWriteItemsError::IdempotentParameterMismatchException(e) => {
                return Error::validation(
                    "client_request_token",
                    format!(
                        "the token was used for other actions: {}",
                        e.message().unwrap_or_default()
                    ),
                );
            }
            TransactWriteItemsError::TransactionInProgressException(e) => {
                return Error::Service {
                    code: e.code().map(str::to_owned),
                    message: e.message().unwrap_or_default().to_owned(),
                    retryable: true,
                };
            }
            _ => {}
        }
    }
    Error::from_sdk(error, &tables(targets))
}

fn canceled(targets: &[Target], reasons: &[aws_sdk_dynamodb::types::CancellationReason]) -> Error {
    let reasons = targets
        .iter()
        .enumerate()
        .filter_map(|(index, target)| {
            let reason = reasons.get(index)?;
            Some(target.reason(index, reason.code(), reason.message(), reason.item.as_ref()))
        })
        .collect();
    Error::TransactionCanceled { reasons }
}

impl<T: Table + 'static> TableClient<T> {
    /// Moves an item to a new primary key: `item`, whose key fields changed,
    /// replaces the item with key `from`, in one transaction that deletes
    /// the old item (which must exist and, for a versioned struct, still be
    /// at `item`'s version) and creates the new one (whose key must be
    /// free; a versioned item starts again at version 1). Changing a key
    /// field is this, not an update: DynamoDB cannot update a key. A key
    /// that did not change is [`Error::Validation`]; a failed condition is
    /// [`Error::TransactionCanceled`] naming which.
    pub async fn rekey(&self, from: &T::Key, item: &T) -> Result<(), Error> {
        let old = from.to_key().map_err(Error::encode)?;
        let new = item.key().to_key().map_err(Error::encode)?;
        if old == new {
            return Err(Error::validation(
                T::DEFINITION.partition_key.attribute,
                "the key did not change: write the item with `put` or `update` instead",
            ));
        }
        let mut condition: Condition<T> =
            Condition::attribute_exists(T::DEFINITION.partition_key.attribute);
        if let Some(version) = T::VERSION_ATTRIBUTE {
            condition = condition.and(Condition::attribute_equals(
                version,
                aws_sdk_dynamodb::types::AttributeValue::N(item.version().to_string()),
            ));
        }
        Transaction::new()
            .delete_if(self, from, condition)
            .create(self, item)
            .commit()
            .await
    }
}

fn put_action<T: Table>(
    table: &TableClient<T>,
    item: &T,
    action: ActionKind,
) -> Result<(TransactWriteItem, Target), Error> {
    let request = match action {
        ActionKind::Create => table.create_request(item)?,
        _ => table.versioned_put(item)?,
    };
    let key = item.key();
    let encoded = key.to_key().map_err(Error::encode)?;
    let mut target = Target::new(action, table, &key, &encoded);
    target.version = T::VERSION_ATTRIBUTE.zip(request.expected_version);
    let put = Put::builder()
        .table_name(table.name())
        .set_item(Some(request.item))
        .set_condition_expression(request.condition)
        .set_expression_attribute_names(request.names)
        .set_expression_attribute_values(request.values)
        .build()
        .map_err(build_error)?;
    Ok((TransactWriteItem::builder().put(put).build(), target))
}

fn update_action<T: Table>(
    parts: crate::ops::update::UpdateParts<T>,
) -> Result<(TransactWriteItem, Target), Error> {
    let target = Target {
        action: ActionKind::Update,
        table: parts.table.name().to_owned(),
        key_id: KeyId::of(&parts.key),
        key: parts.key_text,
        version: T::VERSION_ATTRIBUTE.zip(parts.expected_version),
        upsert: parts.upsert,
    };
    let update = UpdateAction::builder()
        .table_name(parts.table.name())
        .set_key(Some(parts.key))
        .update_expression(parts.expression)
        .set_condition_expression(parts.condition)
        .set_expression_attribute_names(parts.names)
        .set_expression_attribute_values(parts.values)
        .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
        .build()
        .map_err(build_error)?;
    Ok((TransactWriteItem::builder().update(update).build(), target))
}

/// A condition's expression and placeholders.
type Rendered = (
    Option<String>,
    Option<HashMap<String, String>>,
    Option<HashMap<String, aws_sdk_dynamodb::types::AttributeValue>>,
);

fn render<T>(condition: Option<Condition<T>>) -> Result<Rendered, Error> {
    let Some(condition) = condition else {
        return Ok((None, None, None));
    };
    let mut placeholders = Placeholders::default();
    let expression = condition.render(&mut placeholders)?;
    let (names, values) = placeholders.into_maps();
    Ok((Some(expression), names, values))
}

fn delete_action<T: Table>(
    table: &TableClient<T>,
    key: &T::Key,
    condition: Option<Condition<T>>,
) -> Result<(TransactWriteItem, Target), Error> {
    let encoded = key.to_key().map_err(Error::encode)?;
    let target = Target::new(ActionKind::Delete, table, key, &encoded);
    let (expression, names, values) = render(condition)?;
    let delete = Delete::builder()
        .table_name(table.name())
        .set_key(Some(encoded))
        .set_condition_expression(expression)
        .set_expression_attribute_names(names)
        .set_expression_attribute_values(values)
        .build()
        .map_err(build_error)?;
    Ok((TransactWriteItem::builder().delete(delete).build(), target))
}

fn check_action<T: Table>(
    table: &TableClient<T>,
    key: &T::Key,
    condition: Condition<T>,
) -> Result<(TransactWriteItem, Target), Error> {
    let encoded = key.to_key().map_err(Error::encode)?;
    let target = Target::new(ActionKind::ConditionCheck, table, key, &encoded);
    let (expression, names, values) = render(Some(condition))?;
    let check = ConditionCheck::builder()
        .table_name(table.name())
        .set_key(Some(encoded))
        .set_condition_expression(expression)
        .set_expression_attribute_names(names)
        .set_expression_attribute_values(values)
        .build()
        .map_err(build_error)?;
    Ok((
        TransactWriteItem::builder().condition_check(check).build(),
        target,
    ))
}

/// Reads across tables as of one moment (`TransactGetItems`): add up to
/// 100 gets, each giving a [`Slot`], [`send`](Self::send) them, then
/// [`take`](TransactGetOutput::take) each item from the output.
///
/// ```no_run
/// # use dynamo_lambda::{dynamo_lambda, TransactGet, TableClient};
/// # #[dynamo_lambda(table = "Users", partition_key = "id")]
/// # #[derive(Debug, Clone)]
/// # struct User { id: String }
/// # #[dynamo_lambda(table = "Orders", partition_key = "id")]
/// # #[derive(Debug, Clone)]
/// # struct Order { id: String }
/// # async fn f(users: TableClient<User>, orders: TableClient<Order>)
/// #     -> Result<(), dynamo_lambda::Error> {
/// let mut read = TransactGet::new();
/// let user = read.get(&users, &UserKey { id: "u1".into() });
/// let order = read.get(&orders, &OrderKey { id: "o1".into() });
/// let mut output = read.send().await?;
/// let user: Option<User> = output.take(user)?;
/// let order: Option<Order> = output.take(order)?;
/// # Ok(()) }
/// ```
#[must_use = "a transactional read does nothing until it is sent"]
pub struct TransactGet {
    id: u64,
    client: Option<ClientOf>,
    items: Vec<TransactGetItem>,
    targets: Vec<Target>,
    error: Option<Error>,
}

impl fmt::Debug for TransactGet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransactGet")
            .field("gets", &self.targets)
            .field("error", &self.error)
            .finish()
    }
}

impl Default for TransactGet {
    fn default() -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        TransactGet {
            id: NEXT.fetch_add(1, Ordering::Relaxed),
            client: None,
            items: Vec::new(),
            targets: Vec::new(),
            error: None,
        }
    }
}

/// Where the item of one [`TransactGet::get`] will be in the output.
#[must_use = "the slot is how the item is taken from the output"]
pub struct Slot<T> {
    read: u64,
    index: usize,
    item: PhantomData<fn() -> T>,
}

impl<T> fmt::Debug for Slot<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Slot").field("index", &self.index).finish()
    }
}

/// The items a [`TransactGet`] read.
#[derive(Debug)]
pub struct TransactGetOutput {
    read: u64,
    items: Vec<Option<Attributes>>,
}

impl TransactGet {
    /// An empty read.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many gets it has.
    pub fn len(&self) -> usize {
        self.targets.len()
    }

    /// Whether it has no get.
    pub fn is_empty(&self) -> bool {
        self.targets.is_empty()
    }

    /// Reads the item with `key` from `table`.
    pub fn get<T: Table + 'static>(&mut self, table: &TableClient<T>, key: &T::Key) -> Slot<T> {
        if self.client.is_none() {
            self.client = Some(ClientOf::new(table));
        }
        let index = self.targets.len();
        match key.to_key().map_err(Error::encode).and_then(|encoded| {
            let target = Target::new(ActionKind::Get, table, key, &encoded);
            let get = Get::builder()
                .table_name(table.name())
                .set_key(Some(encoded))
                .build()
                .map_err(build_error)?;
            Ok((TransactGetItem::builder().get(get).build(), target))
        }) {
            Ok((item, target)) => {
                self.items.push(item);
                self.targets.push(target);
            }
            Err(error) => {
                self.error.get_or_insert(error);
            }
        }
        Slot {
            read: self.id,
            index,
            item: PhantomData,
        }
    }

    /// Reads every item. Nothing is sent for no gets. Over 100 gets, two
    /// gets of one item or a key that could not be encoded are
    /// [`Error::Validation`] before any request; a read DynamoDB cancels
    /// (a conflicting transaction, say) is [`Error::TransactionCanceled`].
    pub async fn send(self) -> Result<TransactGetOutput, Error> {
        if let Some(error) = self.error {
            return Err(error);
        }
        let Some(client) = self.client.filter(|_| !self.items.is_empty()) else {
            return Ok(TransactGetOutput {
                read: self.id,
                items: Vec::new(),
            });
        };
        check_targets(&self.targets, "a transactional read")?;
        let count = self.items.len();
        let output = client
            .get()
            .await
            .transact_get_items()
            .set_transact_items(Some(self.items))
            .send()
            .await
            .map_err(|error| {
                if let SdkError::ServiceError(context) = &error
                    && let TransactGetItemsError::TransactionCanceledException(e) = context.err()
                {
                    return canceled(&self.targets, e.cancellation_reasons());
                }
                Error::from_sdk(error, &tables(&self.targets))
            })?;
        let mut items: Vec<Option<Attributes>> = output
            .responses
            .unwrap_or_default()
            .into_iter()
            .map(|response| response.item)
            .collect();
        if items.len() != count {
            return Err(Error::Service {
                code: None,
                message: format!(
                    "TransactGetItems answered {} items for {count} gets",
                    items.len()
                ),
                retryable: false,
            });
        }
        items.shrink_to_fit();
        Ok(TransactGetOutput {
            read: self.id,
            items,
        })
    }
}

impl TransactGetOutput {
    /// The item of `slot`; `Ok(None)` when there was none.
    pub fn take<T: Table>(&mut self, slot: Slot<T>) -> Result<Option<T>, Error> {
        if slot.read != self.read {
            return Err(Error::Validation {
                attribute: None,
                message: "this slot belongs to another TransactGet".to_owned(),
            });
        }
        decode(self.items.get_mut(slot.index).and_then(Option::take))
    }
}

impl<T: Table + 'static> TableClient<T> {
    /// Reads the items with `keys` (at most 100, no key twice) as of one
    /// moment with `TransactGetItems`; one entry per key, in their order,
    /// `None` where there is no item.
    pub async fn transact_get(&self, keys: &[T::Key]) -> Result<Vec<Option<T>>, Error> {
        let mut read = TransactGet::new();
        let slots: Vec<Slot<T>> = keys.iter().map(|key| read.get(self, key)).collect();
        let mut output = read.send().await?;
        slots.into_iter().map(|slot| output.take(slot)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(kind: CancellationKind) -> CancellationReason {
        CancellationReason {
            index: 0,
            action: ActionKind::Put,
            table: "t".into(),
            key: "K".into(),
            kind,
            message: None,
        }
    }

    fn target(action: ActionKind, version: Option<u64>, upsert: bool) -> Target {
        Target {
            action,
            table: "t".into(),
            key: "K".into(),
            key_id: KeyId::of(&Attributes::new()),
            version: version.map(|v| ("version", v)),
            upsert,
        }
    }

    #[test]
    fn condition_failures_are_told_apart_by_action_and_stored_item() {
        use CancellationKind as K;
        let at = |v: &str| -> Attributes {
            [(
                "version".to_owned(),
                aws_sdk_dynamodb::types::AttributeValue::N(v.into()),
            )]
            .into()
        };
        let failed = |t: &Target, old: Option<&Attributes>| {
            t.reason(3, Some("ConditionalCheckFailed"), Some("m"), old)
                .kind
        };
        let create = target(ActionKind::Create, None, false);
        assert_eq!(failed(&create, None), K::AlreadyExists);
        let put = target(ActionKind::Put, Some(2), false);
        assert_eq!(failed(&put, None), K::VersionConflict { expected: 2 });
        let update = target(ActionKind::Update, Some(2), false);
        assert_eq!(failed(&update, None), K::NotFound);
        assert_eq!(
            failed(&update, Some(&at("3"))),
            K::VersionConflict { expected: 2 }
        );
        assert_eq!(failed(&update, Some(&at("2"))), K::ConditionFailed);
        let upsert = target(ActionKind::Update, None, true);
        assert_eq!(failed(&upsert, None), K::ConditionFailed);
        let check = target(ActionKind::ConditionCheck, None, false);
        assert_eq!(failed(&check, Some(&at("1"))), K::ConditionFailed);

        let fine = create.reason(0, Some("None"), Some(""), None);
        assert_eq!((fine.kind, fine.message), (K::None, None));
        assert_eq!(
            create
                .reason(0, Some("TransactionConflict"), None, None)
                .kind,
            K::TransactionConflict
        );
        assert_eq!(
            create.reason(0, Some("ThrottlingError"), None, None).kind,
            K::Throttled
        );
        assert_eq!(
            create.reason(0, Some("ValidationError"), None, None).kind,
            K::ValidationError
        );
        assert_eq!(
            create
                .reason(0, Some("ItemCollectionSizeLimitExceeded"), None, None)
                .kind,
            K::Other("ItemCollectionSizeLimitExceeded".into())
        );
    }

    #[test]
    fn the_message_names_the_actions_at_fault() {
        let mut at_fault = reason(CancellationKind::AlreadyExists);
        at_fault.index = 1;
        at_fault.action = ActionKind::Create;
        at_fault.message = Some("The conditional request failed".into());
        let error = Error::TransactionCanceled {
            reasons: vec![reason(CancellationKind::None), at_fault],
        };
        assert_eq!(
            error.to_string(),
            "transaction canceled: action 1 (create on `t`, key K): already exists - The conditional request failed"
        );
        assert_eq!(error.kind().as_str(), "TransactionCanceled");
        assert!(!error.is_retryable());
    }
}
