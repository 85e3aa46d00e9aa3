//! Typed conditions on a struct's attributes, for conditional writes,
//! filters and transaction checks: `User::fields().age.ge(18)`.

use std::collections::{BTreeSet, HashSet};
use std::fmt;
use std::marker::PhantomData;

use aws_sdk_dynamodb::types::AttributeValue;

use crate::model::error::{AttributeError, Error};
use crate::model::field::Attr;
use crate::ops::expression::Placeholders;
use crate::value::convert::IntoAttributeValue;

/// A condition on items of `T`; combine with [`and`](Condition::and),
/// [`or`](Condition::or) and [`not`](Condition::not).
pub struct Condition<T> {
    node: Node,
    item: PhantomData<fn() -> T>,
}

type Encoded = Result<AttributeValue, AttributeError>;

#[derive(Debug, Clone)]
enum Node {
    Exists(&'static str),
    NotExists(&'static str),
    Compare(&'static str, &'static str, Encoded),
    Between(&'static str, Encoded, Encoded),
    Function(&'static str, &'static str, Encoded),
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    Not(Box<Node>),
}

impl<T> Condition<T> {
    /// The same condition, on items of `U` (the names it uses are the same).
    pub(crate) fn cast<U>(self) -> Condition<U> {
        Condition {
            node: self.node,
            item: PhantomData,
        }
    }
}

impl<T> Clone for Condition<T> {
    fn clone(&self) -> Self {
        Condition {
            node: self.node.clone(),
            item: PhantomData,
        }
    }
}

impl<T> fmt::Debug for Condition<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.node.fmt(f)
    }
}

impl<T> Condition<T> {
    fn new(node: Node) -> Self {
        Condition {
            node,
            item: PhantomData,
        }
    }

    /// Both conditions hold.
    pub fn and(self, other: Condition<T>) -> Self {
        Self::new(Node::And(Box::new(self.node), Box::new(other.node)))
    }

    /// Either condition holds.
    pub fn or(self, other: Condition<T>) -> Self {
        Self::new(Node::Or(Box::new(self.node), Box::new(other.node)))
    }

    /// The condition does not hold.
    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Self {
        Self::new(Node::Not(Box::new(self.node)))
    }

    /// `attribute_exists` on a raw attribute name (the key attribute, say).
    pub(crate) fn attribute_exists(name: &'static str) -> Self {
        Self::new(Node::Exists(name))
    }

    /// `attribute_not_exists` on a raw attribute name.
    pub(crate) fn attribute_not_exists(name: &'static str) -> Self {
        Self::new(Node::NotExists(name))
    }

    /// `name = value` on a raw attribute name.
    pub(crate) fn attribute_equals(name: &'static str, value: AttributeValue) -> Self {
        Self::new(Node::Compare(name, "=", Ok(value)))
    }

    /// The expression text, with names and values added to `placeholders`.
    pub fn render(&self, placeholders: &mut Placeholders) -> Result<String, Error> {
        render(&self.node, placeholders)
    }
}

fn render(node: &Node, p: &mut Placeholders) -> Result<String, Error> {
    let value = |p: &mut Placeholders, name: &str, encoded: &Encoded| {
        encoded
            .clone()
            .map(|v| p.value(v))
            .map_err(|e| Error::encode(e.in_field(name.to_owned())))
    };
    Ok(match node {
        Node::Exists(name) => format!("attribute_exists({})", p.name(name)),
        Node::NotExists(name) => format!("attribute_not_exists({})", p.name(name)),
        Node::Compare(name, op, v) => {
            let n = p.name(name);
            format!("{n} {op} {}", value(p, name, v)?)
        }
        Node::Between(name, low, high) => {
            let n = p.name(name);
            let low = value(p, name, low)?;
            format!("{n} BETWEEN {low} AND {}", value(p, name, high)?)
        }
        Node::Function(function, name, v) => {
            let n = p.name(name);
            format!("{function}({n}, {})", value(p, name, v)?)
        }
        Node::And(a, b) => format!("({}) AND ({})", render(a, p)?, render(b, p)?),
        Node::Or(a, b) => format!("({}) OR ({})", render(a, p)?, render(b, p)?),
        Node::Not(a) => format!("NOT ({})", render(a, p)?),
    })
}

/// Encodes a comparison operand; "nothing" (an empty set, say) cannot be compared.
fn operand<V: IntoAttributeValue>(value: V) -> Encoded {
    value.into_attribute_value()?.ok_or_else(|| {
        AttributeError::custom(
            "cannot compare with a value DynamoDB does not store (None or an empty set)",
        )
    })
}

impl<T, V: IntoAttributeValue, K> Attr<T, V, K> {
    /// The attribute is present.
    pub fn exists(&self) -> Condition<T> {
        Condition::new(Node::Exists(self.name()))
    }

    /// The attribute is absent.
    pub fn not_exists(&self) -> Condition<T> {
        Condition::new(Node::NotExists(self.name()))
    }

    fn compare(&self, op: &'static str, value: impl Into<V>) -> Condition<T> {
        Condition::new(Node::Compare(self.name(), op, operand(value.into())))
    }

    /// `attribute = value`
    pub fn eq(&self, value: impl Into<V>) -> Condition<T> {
        self.compare("=", value)
    }

    /// `attribute <> value`
    pub fn ne(&self, value: impl Into<V>) -> Condition<T> {
        self.compare("<>", value)
    }

    /// `attribute < value`
    pub fn lt(&self, value: impl Into<V>) -> Condition<T> {
        self.compare("<", value)
    }

    /// `attribute <= value`
    pub fn le(&self, value: impl Into<V>) -> Condition<T> {
        self.compare("<=", value)
    }

    /// `attribute > value`
    pub fn gt(&self, value: impl Into<V>) -> Condition<T> {
        self.compare(">", value)
    }

    /// `attribute >= value`
    pub fn ge(&self, value: impl Into<V>) -> Condition<T> {
        self.compare(">=", value)
    }

    /// `attribute BETWEEN low AND high` (both included).
    pub fn between(&self, low: impl Into<V>, high: impl Into<V>) -> Condition<T> {
        Condition::new(Node::Between(
            self.name(),
            operand(low.into()),
            operand(high.into()),
        ))
    }
}

impl<T, K> Attr<T, String, K> {
    /// The string starts with `prefix`.
    pub fn begins_with(&self, prefix: impl Into<String>) -> Condition<T> {
        Condition::new(Node::Function(
            "begins_with",
            self.name(),
            operand(prefix.into()),
        ))
    }

    /// The string contains `part`.
    pub fn contains(&self, part: impl Into<String>) -> Condition<T> {
        Condition::new(Node::Function(
            "contains",
            self.name(),
            operand(part.into()),
        ))
    }
}

impl<T, E: IntoAttributeValue, S, K> Attr<T, HashSet<E, S>, K> {
    /// The set contains `element`.
    pub fn contains(&self, element: impl Into<E>) -> Condition<T> {
        Condition::new(Node::Function(
            "contains",
            self.name(),
            operand(element.into()),
        ))
    }
}

impl<T, E: IntoAttributeValue, K> Attr<T, BTreeSet<E>, K> {
    /// The set contains `element`.
    pub fn contains(&self, element: impl Into<E>) -> Condition<T> {
        Condition::new(Node::Function(
            "contains",
            self.name(),
            operand(element.into()),
        ))
    }
}
