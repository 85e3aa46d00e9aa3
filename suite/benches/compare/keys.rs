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
