//! Typed partial updates: `User::update(&key).set(User::fields().name, "Ada")`.
//!
//! An update changes an existing item: by default it requires one (else
//! [`Error::NotFound`]); [`Update::upsert`] lets it create the item, when it
//! sets every attribute a whole item needs. A versioned struct's update
//! needs the version read ([`Update::expected_version`]) and stores the next one.

use std::collections::{BTreeSet, HashSet};
use std::fmt;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;

use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::operation::update_item::UpdateItemError;
use aws_sdk_dynamodb::types::{AttributeValue, ReturnValue, ReturnValuesOnConditionCheckFailure};

use crate::model::error::AttributeErrorKind;
use crate::model::error::Error;
use crate::model::field::{Attr, Optional, Updatable};
use crate::model::item::{Attributes, Key, Table};
use crate::model::versioned::Versioned;
use crate::ops::condition::Condition;
use crate::ops::expression::Placeholders;
use crate::ops::table::TableClient;
use crate::ops::table::decode;
use crate::value::convert::IntoAttributeValue;

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
#[doc = include_str!("../../docs/writes.md")]
pub struct Update<T: Table, R = ReturnNew> {
    table: TableClient<T>,
    key: T::Key,
    placeholders: Placeholders,
    set: Vec<String>,
    remove: Vec<String>,
    add: Vec<String>,
    delete: Vec<String>,
    /// What an absent item would get: attribute name and value placeholder.
    created: Vec<(&'static str, String)>,
    /// The attributes an action names so far: DynamoDB refuses an update
    /// whose actions overlap.
    touched: Vec<&'static str>,
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
            created: Vec::new(),
            touched: Vec::new(),
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
            created: self.created,
            touched: self.touched,
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

    /// The placeholder of the attribute an action changes; records a
    /// `Validation` error when an earlier action changes it too (DynamoDB
    /// refuses overlapping paths without saying which).
    fn target(&mut self, name: &'static str) -> String {
        if self.touched.contains(&name) {
            self.fail(Error::validation(
                name,
                "is changed by two actions of one update; DynamoDB refuses overlapping paths",
            ));
        } else {
            self.touched.push(name);
        }
        self.placeholders.name(name)
    }

    /// `SET attribute = value`; a value DynamoDB stores as nothing (`None`,
    /// an empty set) removes the attribute instead.
    pub fn set<V: IntoAttributeValue, K: Updatable>(
        mut self,
        attr: Attr<T, V, K>,
        value: impl Into<V>,
    ) -> Self {
        match self.encode(attr.name(), value.into()) {
            Some(value) => {
                let name = self.target(attr.name());
                self.set.push(format!("{name} = {value}"));
                self.created.push((attr.name(), value));
            }
            None if self.error.is_none() => {
                let name = self.target(attr.name());
                self.remove.push(name);
            }
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
        match self.encode(attr.name(), value.into()) {
            Some(value) => {
                let name = self.target(attr.name());
                self.set
                    .push(format!("{name} = if_not_exists({name}, {value})"));
                self.created.push((attr.name(), value));
            }
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
        let name = self.target(attr.name());
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
        // An empty set adds nothing: no action, and no name or value left
        // unused in the request (which DynamoDB refuses).
        if let Some(value) = self.encode(attr.name(), value.into()) {
            let name = self.target(attr.name());
            self.add.push(format!("{name} {value}"));
            self.created.push((attr.name(), value));
        }
        self
    }

    /// `DELETE attribute elements`: removes elements from a set.
    pub fn delete_from<V: IntoAttributeValue + SetType, K: Updatable>(
        mut self,
        attr: Attr<T, V, K>,
        elements: impl Into<V>,
    ) -> Self {
        if let Some(value) = self.encode(attr.name(), elements.into()) {
            let name = self.target(attr.name());
            self.delete.push(format!("{name} {value}"));
        }
        self
    }

    /// Appends to a list (an absent one counts as empty).
    pub fn append<E, K: Updatable>(mut self, attr: Attr<T, Vec<E>, K>, items: Vec<E>) -> Self
    where
        Vec<E>: IntoAttributeValue,
    {
        if let Some(value) = self.encode(attr.name(), items) {
            let name = self.target(attr.name());
            let empty = self.placeholders.value(AttributeValue::L(Vec::new()));
            self.set.push(format!(
                "{name} = list_append(if_not_exists({name}, {empty}), {value})"
            ));
            self.created.push((attr.name(), value));
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

    /// Creates the item if it does not exist, instead of failing with
    /// [`Error::NotFound`] — when the actions set every attribute a whole
    /// item needs (each field but the key, the version and those that read
    /// back from nothing: `Option`, sets, `#[dynamo(default)]`). An upsert
    /// that does not updates an existing item as any update does; finding
    /// no item, it writes nothing and fails with [`Error::Validation`]
    /// naming the attributes it lacks.
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
        let incomplete = if self.upsert {
            self.missing_on_create(&key)
        } else {
            None
        };
        if !self.upsert || incomplete.is_some() {
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
            incomplete,
        })
    }

    /// Why the item an upsert would create is not a whole `T`, if it is
    /// not: decodes what the actions write on an absent item, as a read
    /// would, and collects the required attributes it lacks.
    fn missing_on_create(&self, key: &Attributes) -> Option<(String, String)> {
        let mut item = key.clone();
        for (name, placeholder) in &self.created {
            if let Some(value) = self.placeholders.value_of(placeholder) {
                item.insert((*name).to_owned(), value.clone());
            }
        }
        if let Some(version) = T::VERSION_ATTRIBUTE {
            let next = self.expected_version.unwrap_or(0).saturating_add(1);
            item.insert(version.to_owned(), AttributeValue::N(next.to_string()));
        }
        let mut missing: Vec<String> = Vec::new();
        loop {
            let error = match T::from_item(item.clone()) {
                Ok(_) if missing.is_empty() => return None,
                Ok(_) => break,
                Err(error) => error,
            };
            let attribute = error.path();
            if *error.kind() != AttributeErrorKind::Missing || missing.contains(&attribute) {
                if missing.is_empty() {
                    return Some((
                        attribute,
                        format!(
                            "an upsert that finds no item would write one that does not read back: {error}"
                        ),
                    ));
                }
                break;
            }
            // Stand in for the missing attribute with a value of each
            // DynamoDB type until the read gets past it, to find the next.
            let stand_in = STAND_INS.iter().find(|value| {
                let mut trial = item.clone();
                trial.insert(attribute.clone(), (*value)());
                match T::from_item(trial) {
                    Ok(_) => true,
                    Err(e) => {
                        let path = e.path();
                        !(path == attribute
                            || path.starts_with(&format!("{attribute}."))
                            || path.starts_with(&format!("{attribute}[")))
                    }
                }
            });
            missing.push(attribute.clone());
            match stand_in {
                Some(value) => {
                    item.insert(attribute, value());
                }
                None => break,
            }
        }
        let list = missing
            .iter()
            .map(|a| format!("`{a}`"))
            .collect::<Vec<_>>()
            .join(", ");
        Some((
            missing.swap_remove(0),
            format!(
                "an upsert that finds no item must set every required attribute; this one does not set {list}"
            ),
        ))
    }
}

/// One value of each DynamoDB type, for [`Update::missing_on_create`].
const STAND_INS: [fn() -> AttributeValue; 7] = [
    || AttributeValue::N("0".to_owned()),
    || AttributeValue::S("-".to_owned()),
    || AttributeValue::Bool(false),
    || AttributeValue::L(Vec::new()),
    || AttributeValue::M(Default::default()),
    || AttributeValue::B(aws_sdk_dynamodb::primitives::Blob::new(vec![0])),
    || AttributeValue::Null(true),
];

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
    /// For an upsert that cannot create a whole item: the error to give when
    /// it finds no item.
    pub incomplete: Option<(String, String)>,
}

impl<T: Table> UpdateParts<T> {
    /// What a failed condition means: no item, another version, or the
    /// caller's own condition — or, for a versioned update the SDK sent
    /// more than once (`retried`), nothing: when the stored item is at the
    /// version this update writes and shows every one of its effects, it is
    /// this call's own earlier attempt, applied but not answered. Then the
    /// stored item comes back as `Ok`.
    ///
    /// `returned` is the item DynamoDB sent back with the failure
    /// (`ReturnValuesOnConditionCheckFailure`); without it (no item, or a
    /// server that does not implement it) the item is read. When that read
    /// fails, its error is the answer: what happened is not known.
    pub(crate) async fn explain_condition_failure(
        &self,
        message: String,
        returned: Option<Attributes>,
        retried: bool,
    ) -> Result<Attributes, Error> {
        let table = self.table.name().to_owned();
        let stored = match returned.filter(|i| !i.is_empty()) {
            Some(item) => Some(item),
            None => self.table.read_raw(&self.key).await?,
        };
        let key = self.key_text.clone();
        Err(match stored {
            None if !self.upsert || self.incomplete.is_some() => match &self.incomplete {
                Some((attribute, message)) => Error::validation(attribute, message),
                None => Error::NotFound { table, key },
            },
            Some(item) => {
                let stored_version = T::VERSION_ATTRIBUTE
                    .and_then(|name| item.get(name))
                    .and_then(|v| v.as_n().ok())
                    .and_then(|n| n.parse::<u64>().ok())
                    .unwrap_or(0);
                match self.expected_version {
                    Some(expected)
                        if retried
                            && Some(stored_version) == expected.checked_add(1)
                            && self.shows_effects(&item) =>
                    {
                        return Ok(item);
                    }
                    Some(expected) if expected != stored_version => Error::VersionConflict {
                        table,
                        key,
                        expected,
                    },
                    _ => Error::ConditionFailed { table, message },
                }
            }
            None => Error::ConditionFailed { table, message },
        })
    }

    /// Whether `item` shows every effect of this update: each
    /// `SET #name = :value` holds and each `REMOVE`d attribute is absent.
    /// An update with other actions (`ADD`, `DELETE`, `list_append`,
    /// `if_not_exists`) cannot be recognised in the item: `false`.
    fn shows_effects(&self, item: &Attributes) -> bool {
        let names = self.names.as_ref();
        let values = self.values.as_ref();
        let name = |placeholder: &str| names.and_then(|n| n.get(placeholder));
        let value = |placeholder: &str| values.and_then(|v| v.get(placeholder));
        let mut rest = self.expression.as_str();
        let mut seen_action = false;
        while !rest.is_empty() {
            let (verb, after) = rest.split_once(' ').unwrap_or((rest, ""));
            // The clauses are `VERB actions` joined by spaces (see `into_parts`).
            let end = [" SET ", " REMOVE ", " ADD ", " DELETE "]
                .iter()
                .filter_map(|v| after.find(v))
                .min()
                .unwrap_or(after.len());
            let (actions, next) = after.split_at(end);
            rest = next.trim_start();
            for action in actions.split(", ") {
                seen_action = true;
                let holds = match verb {
                    "SET" => match action.split_once(" = ") {
                        Some((n, v)) if v.starts_with(':') && !v.contains(' ') => {
                            match (name(n), value(v)) {
                                (Some(n), Some(v)) => item.get(n).is_some_and(|stored| {
                                    crate::ops::ambiguous::same_value(stored, v)
                                }),
                                _ => false,
                            }
                        }
                        _ => false,
                    },
                    "REMOVE" => name(action).is_some_and(|n| !item.contains_key(n)),
                    _ => false,
                };
                if !holds {
                    return false;
                }
            }
        }
        seen_action
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
            let attempts = crate::ops::ambiguous::Attempts::default();
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
                .return_values_on_condition_check_failure(
                    ReturnValuesOnConditionCheckFailure::AllOld,
                )
                .customize()
                .interceptor(attempts.clone())
                .send()
                .await;
            match output {
                Ok(output) => R::finish::<T>(output.attributes),
                Err(error) => {
                    let returned = match &error {
                        SdkError::ServiceError(context) => match context.err() {
                            UpdateItemError::ConditionalCheckFailedException(e) => {
                                e.item().cloned()
                            }
                            _ => None,
                        },
                        _ => None,
                    };
                    match Error::from_sdk(error, parts.table.name()) {
                        Error::ConditionFailed { message, .. } => {
                            let applied = parts
                                .explain_condition_failure(message, returned, attempts.retried())
                                .await?;
                            if R::RETURN_VALUE == ReturnValue::AllNew {
                                R::finish::<T>(Some(applied))
                            } else {
                                Err(Error::Service {
                                    code: None,
                                    message: format!(
                                        "the update of {} was applied by an attempt whose answer was lost; \
                                     the item before it is unknown",
                                        parts.key_text
                                    ),
                                    retryable: false,
                                })
                            }
                        }
                        other => Err(other),
                    }
                }
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
