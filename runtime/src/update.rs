//! Typed partial updates: `User::update(&key).set(User::fields().name, "Ada")`.
//!
//! An update changes an existing item: by default it requires one (else
//! [`Error::NotFound`]); [`Update::upsert`] lets it create the item. A
//! versioned struct's update needs the version read ([`Update::expected_version`])
//! and stores the next one.

use std::collections::{BTreeSet, HashSet};
use std::fmt;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;

use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue};

use crate::field::{Attr, Optional, Updatable};
use crate::table::decode;
use crate::{
    Attributes, Condition, Error, IntoAttributeValue, Key, Placeholders, Table, TableClient,
    Versioned,
};

/// Which item an update answers with.
pub trait Returning {
    /// What `.await` gives.
    type Output<T>;
    /// The `ReturnValues` sent.
    const RETURN_VALUE: ReturnValue;
    /// Reads the returned attributes.
    fn finish<T: Table>(attributes: Option<Attributes>) -> Result<Self::Output<T>, Error>;
}

/// Answer with the item after the update.
#[derive(Debug)]
pub enum ReturnNew {}

/// Answer with the item before the update (`None` if an upsert created it).
#[derive(Debug)]
pub enum ReturnOld {}

impl Returning for ReturnNew {
    type Output<T> = T;
    const RETURN_VALUE: ReturnValue = ReturnValue::AllNew;

    fn finish<T: Table>(attributes: Option<Attributes>) -> Result<T, Error> {
        decode(attributes)?.ok_or_else(|| Error::Service {
            code: None,
            message: "UpdateItem returned no item for ALL_NEW".to_owned(),
            retryable: false,
        })
    }
}

impl Returning for ReturnOld {
    type Output<T> = Option<T>;
    const RETURN_VALUE: ReturnValue = ReturnValue::AllOld;

    fn finish<T: Table>(attributes: Option<Attributes>) -> Result<Option<T>, Error> {
        decode(attributes)
    }
}

/// A pending update of one item; add actions, then `.await` it.
#[must_use = "an update does nothing until it is awaited"]
pub struct Update<T: Table, R = ReturnNew> {
    table: TableClient<T>,
    key: T::Key,
    placeholders: Placeholders,
    set: Vec<String>,
    remove: Vec<String>,
    add: Vec<String>,
    delete: Vec<String>,
    error: Option<Error>,
    condition: Option<Condition<T>>,
    expected_version: Option<u64>,
    upsert: bool,
    returning: PhantomData<fn() -> R>,
}

impl<T: Table, R> fmt::Debug for Update<T, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Update")
            .field("table", &self.table.name())
            .field("key", &self.key)
            .field("set", &self.set)
            .field("remove", &self.remove)
            .field("add", &self.add)
            .field("delete", &self.delete)
            .finish_non_exhaustive()
    }
}

/// Numbers and sets: what `ADD` works on.
pub trait Addable {}

macro_rules! addable {
    ($($ty:ty),*) => {$(impl Addable for $ty {})*};
}

addable!(
    i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize, f32, f64
);
impl<E, S> Addable for HashSet<E, S> {}
impl<E> Addable for BTreeSet<E> {}

/// Sets: what `DELETE` (from a set) works on.
pub trait SetType {}
impl<E, S> SetType for HashSet<E, S> {}
impl<E> SetType for BTreeSet<E> {}

impl<T: Table> Update<T> {
    pub(crate) fn new(table: TableClient<T>, key: T::Key) -> Self {
        Update {
            table,
            key,
            placeholders: Placeholders::default(),
            set: Vec::new(),
            remove: Vec::new(),
            add: Vec::new(),
            delete: Vec::new(),
            error: None,
            condition: None,
            expected_version: None,
            upsert: false,
            returning: PhantomData,
        }
    }
}

impl<T: Table, R: Returning> Update<T, R> {
    /// Answers with the item as it was before the update.
    pub fn return_old(self) -> Update<T, ReturnOld> {
        Update {
            table: self.table,
            key: self.key,
            placeholders: self.placeholders,
            set: self.set,
            remove: self.remove,
            add: self.add,
            delete: self.delete,
            error: self.error,
            condition: self.condition,
            expected_version: self.expected_version,
            upsert: self.upsert,
            returning: PhantomData,
        }
    }

    fn encode<V: IntoAttributeValue>(&mut self, name: &'static str, value: V) -> Option<String> {
        match value.into_attribute_value() {
            Ok(Some(value)) => Some(self.placeholders.value(value)),
            Ok(None) => None,
            Err(error) => {
                self.fail(Error::encode(error.in_field(name)));
                None
            }
        }
    }

    fn fail(&mut self, error: Error) {
        self.error.get_or_insert(error);
    }

    /// `SET attribute = value`; a value DynamoDB stores as nothing (`None`,
    /// an empty set) removes the attribute instead.
    pub fn set<V: IntoAttributeValue, K: Updatable>(
        mut self,
        attr: Attr<T, V, K>,
        value: impl Into<V>,
    ) -> Self {
        let name = self.placeholders.name(attr.name());
        match self.encode(attr.name(), value.into()) {
            Some(value) => self.set.push(format!("{name} = {value}")),
            None if self.error.is_none() => self.remove.push(name),
            None => {}
        }
        self
    }

    /// `SET attribute = if_not_exists(attribute, value)`: only if absent.
    pub fn set_if_absent<V: IntoAttributeValue, K: Updatable>(
        mut self,
        attr: Attr<T, V, K>,
        value: impl Into<V>,
    ) -> Self {
        let name = self.placeholders.name(attr.name());
        match self.encode(attr.name(), value.into()) {
            Some(value) => self
                .set
                .push(format!("{name} = if_not_exists({name}, {value})")),
            None if self.error.is_none() => self.fail(Error::validation(
                attr.name(),
                "set_if_absent needs a value DynamoDB stores (not None or an empty set)",
            )),
            None => {}
        }
        self
    }

    /// `REMOVE attribute`, for `Option` fields.
    pub fn remove<V>(mut self, attr: Attr<T, V, Optional>) -> Self {
        let name = self.placeholders.name(attr.name());
        self.remove.push(name);
        self
    }

    /// `ADD attribute value`: adds to a number (an absent one counts as 0)
    /// or adds elements to a set.
    pub fn add<V: IntoAttributeValue + Addable, K: Updatable>(
        mut self,
        attr: Attr<T, V, K>,
        value: impl Into<V>,
    ) -> Self {
        let name = self.placeholders.name(attr.name());
        if let Some(value) = self.encode(attr.name(), value.into()) {
            self.add.push(format!("{name} {value}"));
        }
        self
    }

    /// `DELETE attribute elements`: removes elements from a set.
    pub fn delete_from<V: IntoAttributeValue + SetType, K: Updatable>(
        mut self,
        attr: Attr<T, V, K>,
        elements: impl Into<V>,
    ) -> Self {
        let name = self.placeholders.name(attr.name());
        if let Some(value) = self.encode(attr.name(), elements.into()) {
            self.delete.push(format!("{name} {value}"));
        }
        self
    }

    /// Appends to a list (an absent one counts as empty).
    pub fn append<E, K: Updatable>(mut self, attr: Attr<T, Vec<E>, K>, items: Vec<E>) -> Self
    where
        Vec<E>: IntoAttributeValue,
    {
        let name = self.placeholders.name(attr.name());
        let empty = self.placeholders.value(AttributeValue::L(Vec::new()));
        if let Some(value) = self.encode(attr.name(), items) {
            self.set.push(format!(
                "{name} = list_append(if_not_exists({name}, {empty}), {value})"
            ));
        }
        self
    }

    /// Applies only if `condition` holds on the stored item; otherwise
    /// [`Error::ConditionFailed`].
    pub fn condition(mut self, condition: Condition<T>) -> Self {
        self.condition = Some(match self.condition.take() {
            Some(existing) => existing.and(condition),
            None => condition,
        });
        self
    }

    /// The version read, for a versioned struct; the update stores the next.
    pub fn expected_version(self, version: u64) -> Self
    where
        T: Versioned,
    {
        self.with_expected_version(version)
    }

    /// [`expected_version`](Self::expected_version) where the caller has
    /// checked [`Table::VERSION_ATTRIBUTE`] itself.
    pub(crate) fn with_expected_version(mut self, version: u64) -> Self {
        self.expected_version = Some(version);
        self
    }

    /// [`expected_version`](Self::expected_version) from a request naming
    /// it (`"expected_version"`): a `Validation` error if `T` is not versioned.
    pub(crate) fn checked_expected_version(self, version: u64) -> Result<Self, Error> {
        match T::VERSION_ATTRIBUTE {
            Some(_) => Ok(self.with_expected_version(version)),
            None => Err(Error::validation(
                "expected_version",
                "this table is not versioned (it has no `#[dynamo(version)]` field): leave `expected_version` out",
            )),
        }
    }

    /// Creates the item if it does not exist (DynamoDB's own `UpdateItem`
    /// behaviour) instead of failing with [`Error::NotFound`].
    pub fn upsert(mut self) -> Self {
        self.upsert = true;
        self
    }

    /// The update expression, condition and placeholders; shared with transactions.
    pub(crate) fn into_parts(mut self) -> Result<UpdateParts<T>, Error> {
        if let Some(error) = self.error.take() {
            return Err(error);
        }
        let key = self.key.to_key().map_err(Error::encode)?;
        if self.set.is_empty()
            && self.remove.is_empty()
            && self.add.is_empty()
            && self.delete.is_empty()
        {
            return Err(Error::Validation {
                attribute: None,
                message:
                    "an update needs at least one action (set, remove, add, delete_from, append)"
                        .to_owned(),
            });
        }
        let mut condition = self.condition.take();
        if let Some(version_attribute) = T::VERSION_ATTRIBUTE {
            let Some(expected) = self.expected_version else {
                return Err(Error::validation(
                    version_attribute,
                    "this struct is versioned: call `.expected_version(v)` with the version read",
                ));
            };
            let next = expected
                .checked_add(1)
                .ok_or_else(|| Error::validation(version_attribute, "version is at its maximum"))?;
            let name = self.placeholders.name(version_attribute);
            let value = self.placeholders.value(AttributeValue::N(next.to_string()));
            self.set.push(format!("{name} = {value}"));
            // Version 0 is "never written": no version attribute yet.
            let matches = if expected == 0 {
                Condition::attribute_not_exists(version_attribute)
            } else {
                Condition::attribute_equals(
                    version_attribute,
                    AttributeValue::N(expected.to_string()),
                )
            };
            condition = Some(match condition {
                Some(c) => c.and(matches),
                None => matches,
            });
        }
        if !self.upsert {
            let exists = Condition::attribute_exists(T::DEFINITION.partition_key.attribute);
            condition = Some(match condition {
                Some(c) => exists.and(c),
                None => exists,
            });
        }
        let mut clauses = Vec::new();
        for (verb, actions) in [
            ("SET", &self.set),
            ("REMOVE", &self.remove),
            ("ADD", &self.add),
            ("DELETE", &self.delete),
        ] {
            if !actions.is_empty() {
                clauses.push(format!("{verb} {}", actions.join(", ")));
            }
        }
        if clauses.is_empty() {
            return Err(Error::Validation {
                attribute: None,
                message:
                    "an update needs at least one action (set, remove, add, delete_from, append)"
                        .to_owned(),
            });
        }
        let condition = condition
            .map(|c| c.render(&mut self.placeholders))
            .transpose()?;
        let (names, values) = self.placeholders.into_maps();
        Ok(UpdateParts {
            table: self.table,
            key_text: format!("{:?}", self.key),
            key,
            expression: clauses.join(" "),
            condition,
            names,
            values,
            expected_version: self
                .expected_version
                .filter(|_| T::VERSION_ATTRIBUTE.is_some()),
            upsert: self.upsert,
        })
    }
}

/// An update ready to send.
pub(crate) struct UpdateParts<T> {
    pub table: TableClient<T>,
    pub key_text: String,
    pub key: Attributes,
    pub expression: String,
    pub condition: Option<String>,
    pub names: Option<std::collections::HashMap<String, String>>,
    pub values: Option<std::collections::HashMap<String, AttributeValue>>,
    pub expected_version: Option<u64>,
    pub upsert: bool,
}

impl<T: Table> UpdateParts<T> {
    /// What a failed condition means: no item, another version, or the
    /// caller's own condition.
    pub(crate) async fn explain_condition_failure(&self, message: String) -> Error {
        let table = self.table.name().to_owned();
        let stored = self
            .table
            .client()
            .await
            .get_item()
            .table_name(&table)
            .set_key(Some(self.key.clone()))
            .consistent_read(true)
            .send()
            .await
            .map(|o| o.item.filter(|i| !i.is_empty()));
        let key = self.key_text.clone();
        match stored {
            Ok(None) if !self.upsert => Error::NotFound { table, key },
            Ok(Some(item)) => {
                let stored_version = T::VERSION_ATTRIBUTE
                    .and_then(|name| item.get(name))
                    .and_then(|v| v.as_n().ok())
                    .and_then(|n| n.parse::<u64>().ok())
                    .unwrap_or(0);
                match self.expected_version {
                    Some(expected) if expected != stored_version => Error::VersionConflict {
                        table,
                        key,
                        expected,
                    },
                    _ => Error::ConditionFailed { table, message },
                }
            }
            _ => Error::ConditionFailed { table, message },
        }
    }
}

impl<T, R> IntoFuture for Update<T, R>
where
    T: Table + Send + 'static,
    T::Key: 'static,
    R: Returning + 'static,
    R::Output<T>: Send,
{
    type Output = Result<R::Output<T>, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        let parts = self.into_parts();
        Box::pin(async move {
            let parts = parts?;
            let output = parts
                .table
                .client()
                .await
                .update_item()
                .table_name(parts.table.name())
                .set_key(Some(parts.key.clone()))
                .update_expression(&parts.expression)
                .set_condition_expression(parts.condition.clone())
                .set_expression_attribute_names(parts.names.clone())
                .set_expression_attribute_values(parts.values.clone())
                .return_values(R::RETURN_VALUE)
                .send()
                .await;
            match output {
                Ok(output) => R::finish::<T>(output.attributes),
                Err(error) => match Error::from_sdk(error, parts.table.name()) {
                    Error::ConditionFailed { message, .. } => {
                        Err(parts.explain_condition_failure(message).await)
                    }
                    other => Err(other),
                },
            }
        })
    }
}

impl<T: Table> TableClient<T> {
    /// An update of the item with `key`; add actions, then `.await` it.
    pub fn update(&self, key: T::Key) -> Update<T> {
        Update::new(self.clone(), key)
    }
}
