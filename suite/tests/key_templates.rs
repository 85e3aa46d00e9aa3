//! Properties of the keys the generated entity code composes from
//! templates, over arbitrary values — delimiters, escapes, control
//! characters, unicode, negative and extreme integers: composed keys are
//! equal exactly when the values are, sort in the values' order, and parse
//! back into them; items round-trip through their composed keys.

use std::cmp::Ordering;

use dynamo_lambda::{Item, Key, dynamo_lambda, single_table};
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence};

#[single_table(name = "Props", index(GSI1, pk = "GSI1PK", sk = "GSI1SK"))]
#[derive(Debug)]
struct Props;

#[dynamo_lambda(
    table = Props,
    entity = "Event",
    pk = "STREAM#{stream}",
    sk = "AT#{at}#{seq}#{id}",
    index(GSI1, pk = "ID#{id}", sk = "N#{n}"),
)]
#[derive(Debug, Clone, PartialEq)]
struct Event {
    stream: String,
    at: i64,
    seq: u32,
    id: String,
    n: Option<i128>,
    body: String,
}

const CASES: u32 = 4096;

fn config() -> Config {
    Config {
        cases: CASES,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("regressions"))),
        ..Config::default()
    }
}

/// Text dense in what composition must get right: the delimiter, the
/// escape, the characters below them, and multi-byte characters.
fn text() -> impl Strategy<Value = String> {
    let tricky = prop::sample::select(vec![
        '#', '$', '!', ' ', '\0', '\u{1f}', '"', '%', 'a', 'A', 'z', 'ü', '€', '😀',
    ]);
    prop::collection::vec(prop_oneof![3 => tricky, 1 => any::<char>()], 0..8)
        .prop_map(String::from_iter)
}

fn integer() -> impl Strategy<Value = i64> {
    prop_oneof![
        any::<i64>(),
        Just(i64::MIN),
        Just(i64::MAX),
        Just(0),
        Just(-1),
        -1000_i64..1000
    ]
}

fn key() -> impl Strategy<Value = EventKey> {
    (text(), integer(), any::<u32>(), text()).prop_map(|(stream, at, seq, id)| EventKey {
        stream: format!("s{stream}"),
        at,
        seq,
        id,
    })
}

fn sort_key(key: &EventKey) -> String {
    key.to_key().unwrap()["SK"].as_s().unwrap().clone()
}

fn partition_key(key: &EventKey) -> String {
    key.to_key().unwrap()["PK"].as_s().unwrap().clone()
}

#[test]
fn composed_sort_keys_are_equal_iff_the_values_are_and_sort_as_they_do() {
    proptest!(config(), |(a in key(), b in key())| {
        let values = |k: &EventKey| (k.at, k.seq, k.id.clone());
        let (ka, kb) = (sort_key(&a), sort_key(&b));
        prop_assert_eq!(ka == kb, values(&a) == values(&b), "{:?} {:?}", ka, kb);
        // DynamoDB compares string keys by their UTF-8 bytes.
        let order = ka.as_bytes().cmp(kb.as_bytes());
        prop_assert_eq!(order, values(&a).cmp(&values(&b)), "{:?} {:?}", ka, kb);
    });
}

#[test]
fn composed_partition_keys_are_equal_iff_the_values_are() {
    proptest!(config(), |(a in text(), b in text())| {
        let key = |stream: &str| EventKey { stream: stream.to_owned(), at: 0, seq: 0, id: String::new() };
        prop_assert_eq!(partition_key(&key(&a)) == partition_key(&key(&b)), a == b);
    });
}

#[test]
fn composed_keys_parse_back_into_their_fields() {
    proptest!(config(), |(key in key())| {
        let parsed = EventKey::from_key(key.to_key().unwrap()).unwrap();
        prop_assert_eq!(parsed, key);
    });
}

#[test]
fn items_round_trip_through_their_composed_keys() {
    proptest!(config(), |(key in key(), n in prop::option::of(any::<i128>().prop_map(|n| n / 1000)), body in text())| {
        let event = Event { stream: key.stream, at: key.at, seq: key.seq, id: key.id, n, body };
        let item = event.to_item().unwrap();
        prop_assert_eq!(item.contains_key("GSI1SK"), event.n.is_some(), "sparse index keys");
        prop_assert_eq!(Event::from_item(item).unwrap(), event);
    });
}

#[test]
fn a_key_of_another_value_is_refused_not_misread() {
    proptest!(config(), |(a in key(), b in key())| {
        prop_assume!(a != b);
        let event = Event { stream: a.stream.clone(), at: a.at, seq: a.seq, id: a.id.clone(), n: None, body: String::new() };
        let mut item = event.to_item().unwrap();
        item.extend(b.to_key().unwrap());
        let result = Event::from_item(item);
        prop_assert!(result.is_err(), "keys of {:?} read as {:?}", b, a);
    });
}

#[test]
fn order_of_negative_and_extreme_integers() {
    let mut keys: Vec<EventKey> = [i64::MIN, -1_000_000, -2, -1, 0, 1, 2, 10, i64::MAX]
        .into_iter()
        .map(|at| EventKey {
            stream: "s".into(),
            at,
            seq: 0,
            id: "x".into(),
        })
        .collect();
    let sorted: Vec<i64> = keys.iter().map(|k| k.at).collect();
    keys.reverse();
    keys.sort_by_key(sort_key);
    assert_eq!(keys.iter().map(|k| k.at).collect::<Vec<_>>(), sorted);
    assert_eq!(Ordering::Less, sort_key(&keys[0]).cmp(&sort_key(&keys[1])));
}
