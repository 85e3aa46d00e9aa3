//! A round trip of every supported field type through the local server, and
//! the DynamoDB type each one is stored as.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use dynamo_lambda::aws_sdk_dynamodb::types::AttributeValue;
use dynamo_lambda::{Attribute, Blob, Item, Table, dynamo_lambda};
use dynamo_lambda_suite::fresh_table;

/// Stores a duration as whole seconds: a `with` module.
mod seconds {
    use std::time::Duration;

    use dynamo_lambda::{AttributeError, AttributeValue, FromAttributeValue, IntoAttributeValue};

    pub fn to_attribute_value(value: &Duration) -> Result<Option<AttributeValue>, AttributeError> {
        value.as_secs().to_attribute_value()
    }

    pub fn from_attribute_value(value: Option<AttributeValue>) -> Result<Duration, AttributeError> {
        let value = value.ok_or_else(AttributeError::missing)?;
        u64::from_attribute_value(value).map(Duration::from_secs)
    }
}

#[derive(Debug, Clone, PartialEq, Attribute)]
struct Point {
    x: f64,
    y: f64,
    #[dynamo(rename = "label")]
    name: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Attribute)]
enum Colour {
    Red,
    #[dynamo(rename = "verdant")]
    Green,
}

#[dynamo_lambda(table = "Everything", partition_key = "id", sort_key = "n")]
#[derive(Debug, Clone, PartialEq)]
struct Everything {
    id: String,
    n: u64,
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
    maybe: Option<String>,
    nothing: Option<u32>,
    words: Vec<String>,
    holes: Vec<Option<i32>>,
    numbers_as_list: Vec<u8>,
    #[dynamo(binary)]
    bytes: Vec<u8>,
    #[dynamo(binary)]
    maybe_bytes: Option<Vec<u8>>,
    #[dynamo(binary)]
    fixed: [u8; 4],
    blob: Blob,
    string_set: HashSet<String>,
    number_set: BTreeSet<i64>,
    binary_set: HashSet<Blob>,
    empty_set: BTreeSet<String>,
    counts: HashMap<String, u32>,
    groups: BTreeMap<String, Vec<String>>,
    point: Point,
    maybe_point: Option<Point>,
    path: Vec<Point>,
    colour: Colour,
    boxed: Box<u16>,
    #[dynamo(skip)]
    cache: Vec<String>,
    #[dynamo(default)]
    added_later: u32,
    #[dynamo(with = "seconds")]
    timeout: std::time::Duration,
    #[dynamo(rename = "weird name #1: ünïcode")]
    weird: String,
}

fn everything() -> Everything {
    Everything {
        id: "all".into(),
        n: 1,
        flag: true,
        tiny: i8::MIN,
        small: i16::MAX,
        medium: -123_456,
        large: i64::MIN,
        huge: -12_345_678_901_234_567_890_123_456_789_012_345_678,
        word: -7,
        ubyte: u8::MAX,
        ushort: 65_000,
        uint: u32::MAX,
        ulong: u64::MAX,
        uhuge: 10u128.pow(38),
        uword: 42,
        single: 0.1,
        double: 0.1 + 0.2,
        maybe: Some(String::new()),
        nothing: None,
        words: vec!["a".into(), "b".into(), "a".into()],
        holes: vec![Some(1), None, Some(3)],
        numbers_as_list: vec![1, 2, 3],
        bytes: vec![0, 159, 146, 150, 255],
        maybe_bytes: None,
        fixed: [1, 2, 3, 4],
        blob: Blob::new(b"blob".to_vec()),
        string_set: ["x".to_string(), "y".to_string()].into(),
        number_set: [-1, 0, 1_000_000_000_000].into(),
        binary_set: [Blob::new(vec![1]), Blob::new(vec![2, 3])].into(),
        empty_set: BTreeSet::new(),
        counts: [("a".to_string(), 1), ("b".to_string(), 2)].into(),
        groups: [
            ("g".to_string(), vec!["m".to_string()]),
            ("empty".to_string(), vec![]),
        ]
        .into(),
        point: Point {
            x: 1.5,
            y: -2.25,
            name: Some("origin-ish".into()),
        },
        maybe_point: None,
        path: vec![
            Point {
                x: 0.0,
                y: 1e-100,
                name: None,
            },
            Point {
                x: 1e100,
                y: -0.0,
                name: None,
            },
        ],
        colour: Colour::Green,
        boxed: Box::new(7),
        cache: Vec::new(),
        added_later: 0,
        timeout: std::time::Duration::from_secs(90),
        weird: "w".into(),
    }
}

#[tokio::test]
async fn every_type_round_trips_through_dynamodb() {
    let table = fresh_table::<Everything>("types").await;
    let value = everything();
    table.put(&value).await.unwrap();
    let back = table
        .get(&value.key())
        .consistent_read()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(back, value);
    assert_eq!(back.double.to_bits(), (0.1f64 + 0.2).to_bits());
}

#[tokio::test]
async fn each_type_is_stored_as_its_dynamodb_type() {
    let table = fresh_table::<Everything>("stored-as").await;
    let value = everything();
    table.put(&value).await.unwrap();
    let raw = table
        .client()
        .await
        .get_item()
        .table_name(table.name())
        .set_key(Some(dynamo_lambda::Key::to_key(&value.key()).unwrap()))
        .send()
        .await
        .unwrap()
        .item
        .unwrap();
    let kind = |name: &str| match raw.get(name) {
        Some(AttributeValue::S(_)) => "S",
        Some(AttributeValue::N(_)) => "N",
        Some(AttributeValue::B(_)) => "B",
        Some(AttributeValue::Bool(_)) => "BOOL",
        Some(AttributeValue::L(_)) => "L",
        Some(AttributeValue::M(_)) => "M",
        Some(AttributeValue::Ss(_)) => "SS",
        Some(AttributeValue::Ns(_)) => "NS",
        Some(AttributeValue::Bs(_)) => "BS",
        Some(AttributeValue::Null(_)) => "NULL",
        None => "absent",
        Some(_) => "other",
    };
    for (name, expected) in [
        ("id", "S"),
        ("n", "N"),
        ("flag", "BOOL"),
        ("huge", "N"),
        ("uhuge", "N"),
        ("double", "N"),
        ("maybe", "S"),
        ("nothing", "absent"),
        ("words", "L"),
        ("holes", "L"),
        ("numbers_as_list", "L"),
        ("bytes", "B"),
        ("maybe_bytes", "absent"),
        ("fixed", "B"),
        ("blob", "B"),
        ("string_set", "SS"),
        ("number_set", "NS"),
        ("binary_set", "BS"),
        ("empty_set", "absent"),
        ("counts", "M"),
        ("groups", "M"),
        ("point", "M"),
        ("maybe_point", "absent"),
        ("path", "L"),
        ("colour", "S"),
        ("boxed", "N"),
        ("cache", "absent"),
        ("timeout", "N"),
        ("weird name #1: ünïcode", "S"),
    ] {
        assert_eq!(kind(name), expected, "attribute `{name}`");
    }
    assert_eq!(
        raw.get("colour"),
        Some(&AttributeValue::S("verdant".into()))
    );
    assert_eq!(raw.get("timeout"), Some(&AttributeValue::N("90".into())));
    assert_eq!(
        raw.get("ulong"),
        Some(&AttributeValue::N(u64::MAX.to_string()))
    );
    let Some(AttributeValue::L(holes)) = raw.get("holes") else {
        panic!()
    };
    assert_eq!(holes[1], AttributeValue::Null(true));
    let Some(AttributeValue::M(point)) = raw.get("point") else {
        panic!()
    };
    assert!(point.contains_key("label") && !point.contains_key("name"));
}

#[tokio::test]
async fn optional_and_default_fields_read_back_when_absent() {
    let table = fresh_table::<Everything>("absent").await;
    let mut item = everything().to_item().unwrap();
    item.remove("added_later");
    item.remove("string_set");
    item.insert("maybe".into(), AttributeValue::Null(true));
    table
        .client()
        .await
        .put_item()
        .table_name(table.name())
        .set_item(Some(item))
        .send()
        .await
        .unwrap();
    let back = table.get(&everything().key()).await.unwrap().unwrap();
    assert_eq!(back.added_later, 0);
    assert!(back.string_set.is_empty());
    assert_eq!(back.maybe, None);
}

#[test]
fn into_item_and_to_item_agree() {
    let value = everything();
    assert_eq!(value.to_item().unwrap(), value.clone().into_item().unwrap());
    assert_eq!(
        Everything::from_item(value.to_item().unwrap()).unwrap(),
        value
    );
}

#[test]
fn skipped_fields_read_back_as_default() {
    let value = Everything {
        cache: vec!["x".into()],
        ..everything()
    };
    let back = Everything::from_item(value.to_item().unwrap()).unwrap();
    assert!(back.cache.is_empty());
}

#[test]
fn definition_takes_key_types_from_the_fields() {
    use dynamo_lambda::KeyType;
    assert_eq!(Everything::DEFINITION.partition_key.key_type, KeyType::S);
    assert_eq!(
        Everything::DEFINITION.sort_key.unwrap().key_type,
        KeyType::N
    );
}
