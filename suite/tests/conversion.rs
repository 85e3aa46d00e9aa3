//! Edge cases of the attribute conversions, without a server.

use std::collections::{BTreeSet, HashSet};

use dynamo_lambda::{
    AttributeErrorKind, AttributeValue, FromAttributeValue, IntoAttributeValue, Item, dynamo_lambda,
};

fn n(text: &str) -> AttributeValue {
    AttributeValue::N(text.into())
}

fn encode<T: IntoAttributeValue>(value: T) -> Option<AttributeValue> {
    value.to_attribute_value().unwrap()
}

fn decode<T: FromAttributeValue>(value: AttributeValue) -> Result<T, String> {
    T::from_attribute_value(value).map_err(|e| e.to_string())
}

#[test]
fn integer_extremes_round_trip() {
    assert_eq!(encode(i64::MIN), Some(n("-9223372036854775808")));
    assert_eq!(decode::<i64>(n("-9223372036854775808")), Ok(i64::MIN));
    assert_eq!(encode(u64::MAX), Some(n("18446744073709551615")));
    assert_eq!(decode::<u64>(n("18446744073709551615")), Ok(u64::MAX));
    assert_eq!(decode::<i8>(n("-128")), Ok(i8::MIN));
}

#[test]
fn wide_integers_over_38_significant_digits_are_refused() {
    let error = u128::MAX.to_attribute_value().unwrap_err();
    assert!(
        matches!(error.kind(), AttributeErrorKind::Number { value, .. } if value == &u128::MAX.to_string()),
        "{error}"
    );
    assert!(
        error.to_string().contains("38 significant digits"),
        "{error}"
    );
    assert!(i128::MIN.to_attribute_value().is_err());
    // 39 digits, but only one significant: DynamoDB stores it exactly.
    let big = 10u128.pow(38);
    assert_eq!(decode::<u128>(encode(big).unwrap()), Ok(big));
    let widest = 99_999_999_999_999_999_999_999_999_999_999_999_999u128;
    assert_eq!(decode::<u128>(encode(widest).unwrap()), Ok(widest));
}

#[test]
fn numbers_in_exponent_form_read_as_integers() {
    assert_eq!(decode::<u32>(n("1.5E+3")), Ok(1500));
    assert_eq!(decode::<i64>(n("-2e2")), Ok(-200));
    assert_eq!(decode::<u32>(n("7.000")), Ok(7));
    assert_eq!(
        decode::<u32>(n("1.5")),
        Err("number `1.5` is not an integer".into())
    );
    assert_eq!(
        decode::<u8>(n("256")),
        Err("number `256` does not fit in u8".into())
    );
    assert_eq!(
        decode::<u32>(n("-1")),
        Err("number `-1` does not fit in u32".into())
    );
}

#[test]
fn floats_round_trip_exactly() {
    for value in [
        0.1 + 0.2,
        1e-130,
        9.99e125,
        f64::EPSILON,
        123_456.789,
        1.0 / 3.0,
    ] {
        let back: f64 = decode(encode(value).unwrap()).unwrap();
        assert_eq!(back.to_bits(), value.to_bits(), "{value}");
    }
    let back: f32 = decode(encode(0.1f32).unwrap()).unwrap();
    assert_eq!(back, 0.1f32);
    // DynamoDB has no negative zero: -0.0 is written as `0`, as it would store it.
    let back: f64 = decode(encode(-0.0f64).unwrap()).unwrap();
    assert_eq!(back.to_bits(), 0.0f64.to_bits());
}

#[test]
fn numbers_are_written_as_dynamodb_stores_them() {
    for (value, text) in [
        (2.0, "2"),
        (-0.0, "0"),
        (1e16, "10000000000000000"),
        (1.5e-7, "0.00000015"),
        (-123.25, "-123.25"),
    ] {
        assert_eq!(encode(value).unwrap(), n(text), "{value:e}");
    }
    assert_eq!(encode(1e20f32).unwrap(), n("100000000000000000000"));
    assert_eq!(
        encode(u128::pow(10, 38)).unwrap(),
        n(&format!("1{}", "0".repeat(38)))
    );
}

#[test]
fn nan_and_infinities_are_refused() {
    for value in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let error = value.to_attribute_value().unwrap_err();
        assert!(error.to_string().contains("not finite"), "{error}");
    }
    assert!(f32::NAN.to_attribute_value().is_err());
    assert!(decode::<f64>(n("1e400")).is_err());
}

#[test]
fn floats_outside_dynamodb_range_are_refused() {
    assert!(1e126f64.to_attribute_value().is_err());
    assert!(1e-131f64.to_attribute_value().is_err());
    assert!(f64::MIN_POSITIVE.to_attribute_value().is_err());
}

#[test]
fn empty_sets_write_nothing_and_read_back_empty() {
    assert_eq!(encode(HashSet::<String>::new()), None);
    assert_eq!(encode(BTreeSet::<u32>::new()), None);
    assert_eq!(HashSet::<String>::from_missing(), Ok(HashSet::new()));
    assert_eq!(
        decode::<BTreeSet<u32>>(AttributeValue::Null(true)),
        Ok(BTreeSet::new())
    );
    assert_eq!(
        encode(BTreeSet::from([3u32, 1])),
        Some(AttributeValue::Ns(vec!["1".into(), "3".into()]))
    );
}

#[test]
fn null_reads_as_none_only_for_options() {
    assert_eq!(
        decode::<Option<String>>(AttributeValue::Null(true)),
        Ok(None)
    );
    assert_eq!(
        decode::<String>(AttributeValue::Null(true)),
        Err("expected S (string), found NULL".into())
    );
    assert_eq!(Option::<u8>::from_missing(), Ok(None));
    assert!(String::from_missing().is_err());
}

#[test]
fn wrong_types_name_both_sides() {
    assert_eq!(
        decode::<bool>(AttributeValue::S("true".into())),
        Err("expected BOOL, found S (string)".into())
    );
    assert_eq!(
        decode::<Vec<u32>>(AttributeValue::Ss(vec!["x".into()])),
        Err("expected L (list), found SS (string set)".into())
    );
    assert_eq!(
        decode::<Vec<u32>>(AttributeValue::L(vec![
            n("1"),
            AttributeValue::S("2".into())
        ])),
        Err("attribute `[1]`: expected N (number), found S (string)".into())
    );
    assert_eq!(
        decode::<HashSet<String>>(AttributeValue::Ns(vec!["1".into()])),
        Err("expected SS (string set), found NS (number set)".into())
    );
}

#[dynamo_lambda(table = "Edge", partition_key = "id")]
#[derive(Debug, PartialEq)]
struct Edge {
    id: String,
    ratio: f64,
    big: u128,
    #[dynamo(rename = "n")]
    count: u16,
}

#[test]
fn item_errors_name_the_attribute() {
    let error = Edge {
        id: "e".into(),
        ratio: f64::NAN,
        big: 0,
        count: 0,
    }
    .to_item()
    .unwrap_err();
    assert_eq!(error.path(), "ratio");
    let error = Edge {
        id: "e".into(),
        ratio: 0.0,
        big: u128::MAX,
        count: 0,
    }
    .to_item()
    .unwrap_err();
    assert_eq!(error.path(), "big");

    let mut item = Edge {
        id: "e".into(),
        ratio: 0.5,
        big: 1,
        count: 2,
    }
    .to_item()
    .unwrap();
    item.insert("n".into(), n("70000"));
    let error = Edge::from_item(item.clone()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "attribute `n`: number `70000` does not fit in u16"
    );
    item.remove("n");
    let error = Edge::from_item(item).unwrap_err();
    assert_eq!(
        error.to_string(),
        "attribute `n`: missing required attribute"
    );
}

#[test]
fn empty_key_is_refused_when_encoding_the_item() {
    let error = Edge {
        id: String::new(),
        ratio: 0.0,
        big: 0,
        count: 0,
    }
    .to_item()
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "attribute `id`: key attribute must not be empty"
    );
    let key = EdgeKey { id: String::new() };
    assert!(dynamo_lambda::Key::to_key(&key).is_err());
}

#[test]
fn extra_attributes_are_ignored_on_read() {
    let mut item = Edge {
        id: "e".into(),
        ratio: 0.5,
        big: 1,
        count: 2,
    }
    .to_item()
    .unwrap();
    item.insert(
        "added_by_a_newer_version".into(),
        AttributeValue::Bool(true),
    );
    assert_eq!(Edge::from_item(item).unwrap().count, 2);
}
