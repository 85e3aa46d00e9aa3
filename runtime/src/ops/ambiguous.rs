//! Telling a failed condition from our own write retried.
//!
//! When a write's response is lost (a reset connection, a timeout) after
//! DynamoDB applied it, the SDK sends it again, and the retry finds the
//! item the first attempt wrote: a `create` sees an item with its key, a
//! versioned write sees the next version. If the stored item is exactly
//! what this call wrote, the write succeeded: reporting `AlreadyExists` or
//! `VersionConflict` would make the caller believe the opposite. Only a
//! call the SDK sent more than once can be in that case: a second `create`
//! of the same item is still `AlreadyExists`.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use aws_sdk_dynamodb::config::interceptors::BeforeTransmitInterceptorContextRef;
use aws_sdk_dynamodb::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_sdk_dynamodb::types::AttributeValue;

use crate::model::item::Attributes;

/// Counts the attempts of one operation (installed with `customize()`).
#[derive(Debug, Clone, Default)]
pub(crate) struct Attempts(Arc<AtomicU32>);

impl Attempts {
    /// Whether the SDK sent the request more than once.
    pub(crate) fn retried(&self) -> bool {
        self.0.load(Ordering::Relaxed) > 1
    }
}

impl Intercept for Attempts {
    fn name(&self) -> &'static str {
        "dynamo_lambda::Attempts"
    }

    fn read_before_attempt(
        &self,
        _: &BeforeTransmitInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        self.0.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

/// Whether `stored` (as DynamoDB returns it) is the item `written` (as it
/// was sent): the same attributes, sets compared as sets and numbers by
/// value (DynamoDB normalises `1.50` to `1.5`).
pub(crate) fn same_item(stored: &Attributes, written: &Attributes) -> bool {
    same_map(stored, written)
}

fn same_map(a: &HashMap<String, AttributeValue>, b: &HashMap<String, AttributeValue>) -> bool {
    a.len() == b.len()
        && a.iter()
            .all(|(name, value)| b.get(name).is_some_and(|other| same_value(value, other)))
}

pub(crate) fn same_value(a: &AttributeValue, b: &AttributeValue) -> bool {
    use AttributeValue as V;
    match (a, b) {
        (V::N(a), V::N(b)) => same_number(a, b),
        (V::Ns(a), V::Ns(b)) => same_set(a, b, |x, y| same_number(x, y)),
        (V::Ss(a), V::Ss(b)) => same_set(a, b, |x, y| x == y),
        (V::Bs(a), V::Bs(b)) => same_set(a, b, |x, y| x == y),
        (V::L(a), V::L(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_value(x, y)),
        (V::M(a), V::M(b)) => same_map(a, b),
        _ => a == b,
    }
}

/// Sets of equal size where each element of `a` is in `b` (the elements of
/// a set are distinct, so that is equality).
fn same_set<E>(a: &[E], b: &[E], eq: impl Fn(&E, &E) -> bool) -> bool {
    a.len() == b.len() && a.iter().all(|x| b.iter().any(|y| eq(x, y)))
}

fn same_number(a: &str, b: &str) -> bool {
    a == b || canonical(a).is_some_and(|c| canonical(b).as_ref() == Some(&c))
}

/// A number as (negative, significant digits, exponent of the last digit),
/// without leading or trailing zeros; zero is `(false, "", 0)`.
fn canonical(text: &str) -> Option<(bool, String, i64)> {
    let text = text.trim();
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(at) => (&text[..at], text[at + 1..].parse::<i64>().ok()?),
        None => (text, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int.is_empty() && frac.is_empty()
        || !(int.bytes().chain(frac.bytes())).all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let digits = format!("{int}{frac}");
    let mut exponent = exponent.checked_sub(i64::try_from(frac.len()).ok()?)?;
    let trimmed = digits.trim_start_matches('0');
    let significant = trimmed.trim_end_matches('0');
    exponent = exponent.checked_add(i64::try_from(trimmed.len() - significant.len()).ok()?)?;
    if significant.is_empty() {
        return Some((false, String::new(), 0));
    }
    Some((negative, significant.to_owned(), exponent))
}

#[cfg(test)]
mod tests {
    use super::*;
    use AttributeValue as V;

    fn item(pairs: &[(&str, AttributeValue)]) -> Attributes {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect()
    }

    #[test]
    fn numbers_compare_by_value() {
        for (a, b) in [
            ("1.50", "1.5"),
            ("100", "1e2"),
            ("0", "-0.0"),
            ("0.001", "1E-3"),
            (
                "12345678901234567890123456789012345678",
                "1.2345678901234567890123456789012345678e37",
            ),
        ] {
            assert!(same_number(a, b), "{a} = {b}");
        }
        for (a, b) in [("1", "10"), ("1", "-1"), ("0.1", "0.01"), ("1", "x")] {
            assert!(!same_number(a, b), "{a} ≠ {b}");
        }
    }

    #[test]
    fn items_compare_attribute_by_attribute_sets_in_any_order() {
        let written = item(&[
            ("id", V::S("a".into())),
            ("n", V::N("2.0".into())),
            ("tags", V::Ss(vec!["x".into(), "y".into()])),
            ("m", V::M(item(&[("l", V::L(vec![V::Bool(true)]))]))),
        ]);
        let stored = item(&[
            ("tags", V::Ss(vec!["y".into(), "x".into()])),
            ("id", V::S("a".into())),
            ("n", V::N("2".into())),
            ("m", V::M(item(&[("l", V::L(vec![V::Bool(true)]))]))),
        ]);
        assert!(same_item(&stored, &written));
        let mut more = stored.clone();
        more.insert("extra".into(), V::Null(true));
        assert!(!same_item(&more, &written));
        let mut other = stored;
        other.insert("tags".into(), V::Ss(vec!["x".into(), "z".into()]));
        assert!(!same_item(&other, &written));
    }
}
