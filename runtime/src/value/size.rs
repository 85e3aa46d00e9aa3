//! DynamoDB's item size, computed by its documented rules, so that an item
//! over the 400 KB limit is refused before any request is sent.

use aws_sdk_dynamodb::types::AttributeValue;

use crate::model::error::Error;
use crate::model::item::Attributes;

/// DynamoDB's largest item: 400 KB, attribute names and values together.
pub const MAX_ITEM_SIZE: usize = 400 * 1024;

/// The size DynamoDB counts for an item, by the rules of its developer
/// guide ("Item sizes and formats"): each attribute's name in UTF-8 bytes
/// plus its value — a string's UTF-8 bytes, a binary's bytes, a number's
/// significant digits at two a byte plus one or two, one byte for a boolean or
/// null, three bytes for a list or map plus its elements (a map's keys
/// counted as names) and a byte for each, a set's elements. Where the guide
/// says "approximately" (numbers) this counts the larger figure, so an item
/// this accepts DynamoDB accepts too.
///
/// ```
/// use dynamo_lambda::{AttributeValue, item_size};
/// let item = [("id".to_owned(), AttributeValue::S("u1".into()))].into();
/// assert_eq!(item_size(&item), 4);
/// ```
pub fn item_size(item: &Attributes) -> usize {
    item.iter()
        .map(|(name, value)| name.len() + value_size(value))
        .sum()
}

fn value_size(value: &AttributeValue) -> usize {
    match value {
        AttributeValue::S(s) => s.len(),
        AttributeValue::N(n) => number_size(n),
        AttributeValue::B(b) => b.as_ref().len(),
        AttributeValue::Bool(_) | AttributeValue::Null(_) => 1,
        AttributeValue::Ss(set) => set.iter().map(String::len).sum(),
        AttributeValue::Ns(set) => set.iter().map(|n| number_size(n)).sum(),
        AttributeValue::Bs(set) => set.iter().map(|b| b.as_ref().len()).sum(),
        AttributeValue::L(items) => 3 + items.iter().map(|v| 1 + value_size(v)).sum::<usize>(),
        AttributeValue::M(fields) => {
            3 + fields
                .iter()
                .map(|(name, v)| 1 + name.len() + value_size(v))
                .sum::<usize>()
        }
        // A type newer than this crate: count its debug text, never less than a byte.
        other => format!("{other:?}").len().max(1),
    }
}

/// Significant digits (leading and trailing zeros trimmed) at two a byte,
/// plus one, plus one for the sign; a byte more when the digits pair off
/// against the decimal point (an even count at an even exponent), as
/// dynalite measured DynamoDB; zero is one byte.
fn number_size(n: &str) -> usize {
    let (sign, unsigned) = match n.strip_prefix('-') {
        Some(rest) => (1, rest),
        None => (0, n.strip_prefix('+').unwrap_or(n)),
    };
    let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => (mantissa, exponent.parse::<i64>().unwrap_or(0)),
        None => (unsigned, 0),
    };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits: Vec<u8> = int_part.bytes().chain(frac_part.bytes()).collect();
    let Some(first) = digits.iter().position(|&b| b != b'0') else {
        return 1;
    };
    let last = digits.iter().rposition(|&b| b != b'0').unwrap_or(first);
    let significant = last - first + 1;
    // The power of ten of the first significant digit.
    let scientific = int_part.len() as i64 - 1 - first as i64 + exponent;
    let paired = significant % 2 == 0 && scientific % 2 == 0;
    1 + significant.div_ceil(2) + usize::from(paired) + sign
}

/// Refuses an item over [`MAX_ITEM_SIZE`] with [`Error::ItemTooLarge`].
pub(crate) fn check(
    item: &Attributes,
    table: &str,
    key: impl FnOnce() -> String,
) -> Result<(), Error> {
    let size = item_size(item);
    if size > MAX_ITEM_SIZE {
        return Err(Error::ItemTooLarge {
            table: table.to_owned(),
            key: Some(key()),
            size: Some(size),
        });
    }
    Ok(())
}

/// Whether DynamoDB's (or a local server's) `ValidationException` message
/// says an item is over the size limit: for what cannot be sized before
/// sending, such as an update that grows a stored item.
pub(crate) fn is_too_large_message(message: &str) -> bool {
    let message = message.to_ascii_lowercase();
    message.contains("item size has exceeded")
        || message.contains("item size to update has exceeded")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_follow_the_documented_rules() {
        // dynalite's figures (`db/index.js`, `valSize`).
        assert_eq!(number_size("0"), 1);
        assert_eq!(number_size("0.000"), 1);
        assert_eq!(number_size("12345"), 4);
        assert_eq!(number_size("1234"), 3);
        assert_eq!(number_size("-1200"), 3);
        assert_eq!(number_size("120"), 3);
        assert_eq!(number_size("0.000123"), 3);
        assert_eq!(number_size("0.0012"), 2);
        assert_eq!(number_size("1.5e10"), 3);
        assert_eq!(number_size("15e10"), 2);
        let list = AttributeValue::L(vec![
            AttributeValue::Bool(true),
            AttributeValue::S("ab".into()),
        ]);
        assert_eq!(value_size(&list), 3 + 2 + 3);
        let map = AttributeValue::M([("k".to_owned(), AttributeValue::Null(true))].into());
        assert_eq!(value_size(&map), 3 + 1 + 1 + 1);
        assert_eq!(
            value_size(&AttributeValue::Ss(vec!["a".into(), "bc".into()])),
            3
        );
        assert!(is_too_large_message(
            "Item size has exceeded the maximum allowed size"
        ));
        assert!(is_too_large_message(
            "Item size to update has exceeded the maximum allowed size"
        ));
    }
}
