//! Composite keys: composing and parsing back an order's primary key
//! (`USER#{user_id}`, `ORDER#{created_at}#{order_id}`) with the escaped,
//! order-preserving encoding of `dynamo_lambda::composite`, against the
//! naive `format!` and `split` most single-table code writes — which
//! neither escapes nor pads, so it is a lower bound, not a rival.

use std::hint::black_box;

use criterion::Criterion;
use dynamo_lambda::AttributeError;
use dynamo_lambda::composite::{KeyReader, KeySegment};

/// The fields an order's keys are composed from.
#[derive(Clone, PartialEq, Debug)]
struct OrderKey {
    user_id: String,
    created_at: u64,
    order_id: String,
}

fn order() -> OrderKey {
    OrderKey {
        user_id: "c0ffee-user-42".to_owned(),
        created_at: 1_700_000_000_123,
        order_id: "ord-2024-000917".to_owned(),
    }
}

fn compose(key: &OrderKey) -> (String, String) {
    let mut pk = String::with_capacity(32);
    pk.push_str("USER#");
    key.user_id.write_segment(&mut pk);
    let mut sk = String::with_capacity(48);
    sk.push_str("ORDER#");
    key.created_at.write_segment(&mut sk);
    sk.push('#');
    key.order_id.write_segment(&mut sk);
    (pk, sk)
}

fn parse(pk: &str, sk: &str) -> Result<OrderKey, AttributeError> {
    let mut reader = KeyReader::new(pk, "USER#{user_id}");
    reader.literal("USER#")?;
    let user_id = reader.segment()?;
    reader.end()?;
    let mut reader = KeyReader::new(sk, "ORDER#{created_at}#{order_id}");
    reader.literal("ORDER#")?;
    let created_at = reader.segment()?;
    reader.literal("#")?;
    let order_id = reader.segment()?;
    reader.end()?;
    Ok(OrderKey {
        user_id,
        created_at,
        order_id,
    })
}

fn compose_naive(key: &OrderKey) -> (String, String) {
    (
        format!("USER#{}", key.user_id),
        format!("ORDER#{}#{}", key.created_at, key.order_id),
    )
}

fn parse_naive(pk: &str, sk: &str) -> Option<OrderKey> {
    let user_id = pk.strip_prefix("USER#")?.to_owned();
    let mut parts = sk.strip_prefix("ORDER#")?.split('#');
    let created_at = parts.next()?.parse().ok()?;
    let order_id = parts.next()?.to_owned();
    Some(OrderKey {
        user_id,
        created_at,
        order_id,
    })
}

pub fn benches(c: &mut Criterion) {
    let key = order();
    let (pk, sk) = compose(&key);
    assert_eq!(parse(&pk, &sk).expect("parses back"), key);
    let (npk, nsk) = compose_naive(&key);
    assert_eq!(parse_naive(&npk, &nsk), Some(key.clone()));
    let mut group = c.benchmark_group("composite_key");
    group.bench_function("generated", |b| {
        b.iter(|| {
            let (pk, sk) = compose(black_box(&key));
            parse(black_box(&pk), black_box(&sk)).expect("parses back")
        })
    });
    group.bench_function("hand_written", |b| {
        b.iter(|| {
            let (pk, sk) = compose_naive(black_box(&key));
            parse_naive(black_box(&pk), black_box(&sk)).expect("parses back")
        })
    });
    group.finish();
}

/// The benchmark's record as an entity of a shared table: the same twelve
/// fields, its keys composed from two of them, which by default are also
/// stored as attributes of their own.
#[dynamo_lambda::single_table(name = "Activity")]
#[derive(Debug)]
pub struct Activity;

/// The entity versions of the record; only their conversions are measured.
#[allow(dead_code)]
mod entities {
    use super::Activity;

    macro_rules! record_entity {
        ($name:ident, $tag:literal, $($key_only:meta)?) => {
            #[dynamo_lambda::dynamo_lambda(table = Activity, entity = $tag, pk = "ACCOUNT#{pk}", sk = "EVENT#{sk}")]
            #[derive(Debug, Clone, PartialEq)]
            pub struct $name {
                $(#[$key_only])?
                pub pk: String,
                $(#[$key_only])?
                pub sk: String,
                pub views: u64,
                pub delta: i32,
                pub score: f64,
                pub active: bool,
                pub note: Option<String>,
                pub tags: std::collections::BTreeSet<String>,
                pub owner: crate::model::Owner,
                pub labels: std::collections::HashMap<String, String>,
                pub created_at: i64,
                #[dynamo(binary)]
                pub payload: Vec<u8>,
            }

            impl From<crate::model::Record> for $name {
                fn from(record: crate::model::Record) -> Self {
                    let crate::model::Record {
                        pk, sk, views, delta, score, active, note, tags, owner, labels, created_at, payload,
                    } = record;
                    $name { pk, sk, views, delta, score, active, note, tags, owner, labels, created_at, payload }
                }
            }
        };
    }

    // The key fields live in the composed keys only: the item has `PK`, `SK`
    // and the tag where the plain record has `pk` and `sk`.
    record_entity!(RecordInKeys, "RecordInKeys", dynamo(key_only));
    // The key fields are stored twice: in the keys and as attributes.
    record_entity!(RecordEntity, "Record",);
}

pub use entities::{RecordEntity, RecordInKeys};

/// The record's round trip with its keys composed into `PK`/`SK`, parsed
/// or checked back and its tag written and checked, against the same record
/// with plain-field keys.
pub fn entity_benches(c: &mut Criterion) {
    use dynamo_lambda::Item;
    let plain = crate::model::record(42);
    let in_keys = RecordInKeys::from(plain.clone());
    let kept = RecordEntity::from(plain.clone());
    assert_eq!(
        RecordInKeys::from_item(in_keys.to_item().expect("encodes")).expect("decodes"),
        in_keys
    );
    assert!(!in_keys.to_item().expect("encodes").contains_key("pk"));
    assert_eq!(
        RecordEntity::from_item(kept.to_item().expect("encodes")).expect("decodes"),
        kept
    );
    let mut group = c.benchmark_group("entity_round_trip");
    group.bench_function("generated", |b| {
        b.iter(|| RecordInKeys::from_item(black_box(&in_keys).to_item().unwrap()).unwrap())
    });
    group.bench_function("fields_kept", |b| {
        b.iter(|| RecordEntity::from_item(black_box(&kept).to_item().unwrap()).unwrap())
    });
    group.bench_function("plain_keys", |b| {
        b.iter(|| crate::model::Record::from_item(black_box(&plain).to_item().unwrap()).unwrap())
    });
    group.finish();
}
