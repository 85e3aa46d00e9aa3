//! Properties of the conversions over generated values: every value of every
//! supported type reads back equal, in-process and through the local server,
//! and every number is written in the canonical form DynamoDB stores.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Debug;

use dynamo_lambda::{
    Attribute, AttributeValue, Blob, FromAttributeValue, IntoAttributeValue, Item, Key,
    dynamo_lambda,
};
use dynamo_lambda_suite::fresh_table;
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence};

/// A nested struct, stored as a map.
#[derive(Debug, Clone, PartialEq, Attribute)]
struct Inner {
    x: f64,
    y: f32,
    label: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Attribute)]
enum Colour {
    Red,
    #[dynamo(rename = "verdant")]
    Green,
}

#[dynamo_lambda(table = "Properties", partition_key = "id")]
#[derive(Debug, Clone, PartialEq)]
struct Everything {
    id: String,
    flag: bool,
    tiny: i8,
    small: i16,
    medium: i32,
    large: i64,
    huge: i128,
    word: isize,
    ubyte: u8,
    ushort: u16,
    uint: u32,
    ulong: u64,
    uhuge: u128,
    uword: usize,
    single: f32,
    double: f64,
    text: String,
    maybe: Option<String>,
    holes: Vec<Option<i64>>,
    #[dynamo(binary)]
    bytes: Vec<u8>,
    blob: Blob,
    words: BTreeSet<String>,
    numbers: BTreeSet<i128>,
    blobs: HashSet<Blob>,
    scores: BTreeMap<String, f64>,
    inner: Inner,
    path: Vec<Inner>,
    colour: Colour,
}

/// The largest magnitude with 38 significant digits; 128-bit integers
/// beyond it have more than DynamoDB stores, unless they end in zeros.
const MAX_38: i128 = 99_999_999_999_999_999_999_999_999_999_999_999_999;

fn config(cases: u32) -> Config {
    Config {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("regressions"))),
        ..Config::default()
    }
}

fn encode<T: IntoAttributeValue>(value: &T) -> Option<AttributeValue> {
    value.to_attribute_value().expect("encodes")
}

fn decode<T: FromAttributeValue>(value: Option<AttributeValue>) -> T {
    match value {
        Some(value) => T::from_attribute_value(value).expect("decodes"),
        None => T::from_missing().expect("decodes when missing"),
    }
}

/// Plain decimal, no leading or trailing zeros, no exponent, no `-0`.
fn is_canonical(text: &str) -> bool {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let whole_ok = digits(whole) && (whole == "0" || !whole.starts_with('0'));
    let fraction_ok = fraction.is_none_or(|f| digits(f) && !f.ends_with('0'));
    let zero = whole == "0" && fraction.is_none();
    whole_ok && fraction_ok && (!zero || text == "0")
}

/// The significant digits of a number in plain decimal.
fn significant(text: &str) -> usize {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    digits.trim_start_matches('0').trim_end_matches('0').len()
}

/// Every `N` text in `value`.
fn numbers(value: &AttributeValue, out: &mut Vec<String>) {
    match value {
        AttributeValue::N(n) => out.push(n.clone()),
        AttributeValue::Ns(set) => out.extend(set.iter().cloned()),
        AttributeValue::L(list) => list.iter().for_each(|v| numbers(v, out)),
        AttributeValue::M(map) => map.values().for_each(|v| numbers(v, out)),
        _ => {}
    }
}

fn number_texts(item: &HashMap<String, AttributeValue>) -> Vec<String> {
    let mut out = Vec::new();
    item.values().for_each(|v| numbers(v, &mut out));
    out.sort();
    out
}

/// Any float DynamoDB can store: normal, the edges of its range, zeros.
fn storable_f64() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<f64>().prop_filter("storable", |v| {
            v.is_finite() && (*v == 0.0 || (1e-130..1e126).contains(&v.abs()))
        }),
        Just(0.0),
        Just(-0.0),
        Just(1e-130),
        Just(-f64::from_bits(1e126f64.to_bits() - 1)),
        Just(f64::EPSILON),
        Just(0.1 + 0.2),
        (-1e6..1e6f64).prop_map(|v| v.trunc()),
    ]
}

/// Any finite `f32`: its whole range, subnormals included, is storable.
fn storable_f32() -> impl Strategy<Value = f32> {
    prop_oneof![
        any::<f32>().prop_filter("finite", |v| v.is_finite()),
        Just(-0.0f32),
        Just(f32::from_bits(1)),
        Just(f32::MIN_POSITIVE / 2.0),
        Just(f32::MAX),
    ]
}

/// A 128-bit integer of at most 38 significant digits.
fn wide() -> impl Strategy<Value = i128> {
    prop_oneof![
        -MAX_38..=MAX_38,
        Just(MAX_38),
        Just(-MAX_38),
        Just(10i128.pow(38)),
        Just(-(10i128.pow(38))),
        Just(0),
    ]
}

/// Unicode text, control characters and astral planes included.
fn text(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(any::<char>(), 0..max).prop_map(String::from_iter)
}

fn nonempty_text(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(any::<char>(), 1..max).prop_map(String::from_iter)
}

fn inner() -> impl Strategy<Value = Inner> {
    (storable_f64(), storable_f32(), prop::option::of(text(6))).prop_map(|(x, y, label)| Inner {
        x,
        y,
        label,
    })
}

fn everything() -> impl Strategy<Value = Everything> {
    let numbers = (
        any::<bool>(),
        any::<i8>(),
        any::<i16>(),
        any::<i32>(),
        any::<i64>(),
        wide(),
        any::<isize>(),
        any::<u8>(),
        any::<u16>(),
        any::<u32>(),
        any::<u64>(),
        wide().prop_map(i128::unsigned_abs),
    );
    let rest = (
        any::<usize>(),
        storable_f32(),
        storable_f64(),
        text(12),
        prop::option::of(text(6)),
        prop::collection::vec(prop::option::of(any::<i64>()), 0..4),
        prop::collection::vec(any::<u8>(), 0..8),
        prop::collection::vec(any::<u8>(), 0..8),
    );
    let collections = (
        prop::collection::btree_set(nonempty_text(6), 0..4),
        prop::collection::btree_set(wide(), 0..4),
        prop::collection::hash_set(
            prop::collection::vec(any::<u8>(), 1..4).prop_map(Blob::new),
            0..3,
        ),
        prop::collection::btree_map(nonempty_text(6), storable_f64(), 0..3),
        inner(),
        prop::collection::vec(inner(), 0..3),
        prop_oneof![Just(Colour::Red), Just(Colour::Green)],
    );
    (numbers, rest, collections).prop_map(
        |(
            (flag, tiny, small, medium, large, huge, word, ubyte, ushort, uint, ulong, uhuge),
            (uword, single, double, text, maybe, holes, bytes, blob),
            (words, numbers, blobs, scores, inner, path, colour),
        )| Everything {
            id: "item".to_owned(),
            flag,
            tiny,
            small,
            medium,
            large,
            huge,
            word,
            ubyte,
            ushort,
            uint,
            ulong,
            uhuge,
            uword,
            single,
            double,
            text,
            maybe,
            holes,
            bytes,
            blob: Blob::new(blob),
            words,
            numbers,
            blobs,
            scores,
            inner,
            path,
            colour,
        },
    )
}

fn round_trips<T>(value: T) -> Result<(), TestCaseError>
where
    T: IntoAttributeValue + FromAttributeValue + PartialEq + Debug,
{
    let encoded = encode(&value);
    if let Some(AttributeValue::N(text)) = &encoded {
        prop_assert!(is_canonical(text), "{value:?} written as {text:?}");
    }
    prop_assert_eq!(decode::<T>(encoded), value);
    Ok(())
}

#[test]
fn integers_of_every_width_round_trip_as_their_decimal_text() {
    proptest!(config(2000), |(
        a in any::<i8>(), b in any::<i16>(), c in any::<i32>(), d in any::<i64>(),
        e in any::<isize>(), f in any::<u8>(), g in any::<u16>(), h in any::<u32>(),
        i in any::<u64>(), j in any::<usize>(), k in wide(), l in wide(),
    )| {
        round_trips(a)?; round_trips(b)?; round_trips(c)?; round_trips(d)?;
        round_trips(e)?; round_trips(f)?; round_trips(g)?; round_trips(h)?;
        round_trips(i)?; round_trips(j)?; round_trips(k)?; round_trips(l.unsigned_abs())?;
        prop_assert_eq!(encode(&k), Some(AttributeValue::N(k.to_string())));
    });
}

#[test]
fn wide_integers_store_only_38_significant_digits() {
    proptest!(config(2000), |(n in any::<i128>(), zeros in 0u32..38)| {
        let digits = n.unsigned_abs().to_string();
        let significant = digits.trim_end_matches('0').len();
        match n.to_attribute_value() {
            Ok(Some(AttributeValue::N(text))) => {
                prop_assert!(significant <= 38);
                prop_assert_eq!(text.parse::<i128>().unwrap(), n);
            }
            Ok(other) => prop_assert!(false, "{n} written as {other:?}"),
            Err(_) => prop_assert!(significant > 38, "{n} refused"),
        }
        // Trailing zeros are not significant: 38 digits and zeros still fit.
        if let Some(scaled) = (n % 10i128.pow(38 - zeros)).checked_mul(10i128.pow(zeros)) {
            round_trips(scaled)?;
        }
    });
}

#[test]
fn every_float_is_written_canonically_or_refused() {
    proptest!(config(5000), |(bits in any::<u64>(), single in any::<u32>())| {
        let value = f64::from_bits(bits);
        let storable = value.is_finite() && (value == 0.0 || (1e-130..1e126).contains(&value.abs()));
        match value.to_attribute_value() {
            Ok(Some(AttributeValue::N(text))) => {
                prop_assert!(storable, "{value:e} written as {text}");
                prop_assert!(is_canonical(&text), "{value:e} written as {text:?}");
                // As few digits as Rust's `Display`, the shortest that read back.
                prop_assert_eq!(significant(&text), significant(&value.to_string()));
                let back: f64 = decode(Some(AttributeValue::N(text)));
                // DynamoDB has no negative zero: -0.0 is written `0`.
                let expected = if value == 0.0 { 0.0 } else { value };
                prop_assert_eq!(back.to_bits(), expected.to_bits());
            }
            Ok(other) => prop_assert!(false, "{value:e} written as {other:?}"),
            Err(_) => prop_assert!(!storable, "{value:e} refused"),
        }
        // Every finite f32, subnormals included, is within DynamoDB's range.
        let value = f32::from_bits(single);
        if value.is_finite() {
            let encoded = encode(&value);
            let Some(AttributeValue::N(text)) = &encoded else {
                return Err(TestCaseError::fail(format!("{value:e} written as {encoded:?}")));
            };
            prop_assert!(is_canonical(text), "{value:e} written as {text:?}");
            prop_assert_eq!(significant(text), significant(&value.to_string()));
            let back: f32 = decode(encoded);
            let expected = if value == 0.0 { 0.0 } else { value };
            prop_assert_eq!(back.to_bits(), expected.to_bits());
        } else {
            prop_assert!(value.to_attribute_value().is_err());
        }
    });
}

#[test]
fn negative_zero_is_written_as_zero() {
    assert_eq!(encode(&-0.0f64), Some(AttributeValue::N("0".into())));
    assert_eq!(encode(&-0.0f32), Some(AttributeValue::N("0".into())));
    let back: f64 = decode(encode(&-0.0f64));
    assert!(back == 0.0 && back.is_sign_positive());
}

#[test]
fn items_of_every_type_round_trip_in_process() {
    proptest!(config(500), |(value in everything())| {
        let item = value.to_item().expect("encodes");
        for text in number_texts(&item) {
            prop_assert!(is_canonical(&text), "{text:?}");
        }
        let back = Everything::from_item(item.clone()).expect("decodes");
        prop_assert_eq!(&back, &value);
        // Encoding is stable: the numbers are written the same way again.
        let again = back.to_item().expect("encodes again");
        prop_assert_eq!(number_texts(&again), number_texts(&item));
    });
}

#[test]
fn unicode_text_round_trips() {
    proptest!(config(1000), |(s in text(40))| {
        round_trips(s.clone())?;
        round_trips(Some(s))?;
    });
}

/// Written to the local server and read back: equal, and the numbers the
/// server returns are the canonical texts that were sent. Bounded so that it
/// takes seconds against moto.
#[test]
fn items_of_every_type_round_trip_through_the_server() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let table = runtime.block_on(fresh_table::<Everything>("properties"));
    let case = std::sync::atomic::AtomicU32::new(0);
    proptest!(config(48), |(value in everything())| {
        let id = case.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let value = Everything { id: format!("case-{id}"), ..value };
        let sent = value.to_item().expect("encodes");
        let (back, raw) = runtime.block_on(async {
            table.put(&value).await.expect("put");
            let back = table
                .get(&value.key())
                .consistent_read()
                .await
                .expect("get")
                .expect("the item is there");
            let raw = table
                .client()
                .await
                .get_item()
                .table_name(table.name())
                .set_key(Some(value.key().to_key().expect("key")))
                .consistent_read(true)
                .send()
                .await
                .expect("raw get")
                .item
                .expect("the item is there");
            (back, raw)
        });
        prop_assert_eq!(&back, &value);
        prop_assert_eq!(number_texts(&raw), number_texts(&sent));
    });
}
