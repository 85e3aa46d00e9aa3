//! Item conversion: generated code, `serde_dynamo`, hand-written code and
//! `serde_json` of the same struct, on one item in a hot loop and on batches
//! of fresh, distinct items.

use std::collections::HashMap;
use std::hint::black_box;

use criterion::{BatchSize, Criterion};
use dynamo_lambda::Item;
use dynamo_lambda::aws_sdk_dynamodb::types::AttributeValue;
use serde_dynamo::aws_sdk_dynamodb_1 as serde_dynamo;

use crate::hand;
use crate::model::{Record, fresh, record};

type Attributes = HashMap<String, AttributeValue>;

/// Items per batch in the fresh regime.
const FRESH: usize = 100;

/// The contenders, each as the same four operations.
struct Contender {
    name: &'static str,
    to: fn(&Record) -> Encoded,
    into: fn(Record) -> Encoded,
    from: fn(Encoded) -> Record,
    /// The input `from` reads, made outside the measurement. Every item
    /// contender reads the same item, written by the hand-written code:
    /// in the fresh regime the memory layout of the input would otherwise
    /// differ with the allocation order of the code that wrote it.
    prepare: fn(&Record) -> Encoded,
}

/// What a contender encodes to: an item, or JSON text for `serde_json`.
enum Encoded {
    Item(Attributes),
    Json(Vec<u8>),
}

fn item(encoded: Encoded) -> Attributes {
    match encoded {
        Encoded::Item(item) => item,
        Encoded::Json(_) => unreachable!("an item contender produced JSON"),
    }
}

fn json(encoded: Encoded) -> Vec<u8> {
    match encoded {
        Encoded::Json(json) => json,
        Encoded::Item(_) => unreachable!("the JSON contender produced an item"),
    }
}

const CONTENDERS: [Contender; 4] = [
    Contender {
        name: "generated",
        to: |r| Encoded::Item(r.to_item().unwrap()),
        into: |r| Encoded::Item(r.into_item().unwrap()),
        from: |e| Record::from_item(item(e)).unwrap(),
        prepare: |r| Encoded::Item(hand::to_item(r).unwrap()),
    },
    Contender {
        name: "hand_written",
        to: |r| Encoded::Item(hand::to_item(r).unwrap()),
        into: |r| Encoded::Item(hand::into_item(r).unwrap()),
        from: |e| hand::from_item(item(e)).unwrap(),
        prepare: |r| Encoded::Item(hand::to_item(r).unwrap()),
    },
    Contender {
        name: "serde_dynamo",
        to: |r| Encoded::Item(serde_dynamo::to_item(r).unwrap()),
        // serde has no owned encoding: the value is encoded, then dropped.
        into: |r| Encoded::Item(serde_dynamo::to_item(&r).unwrap()),
        from: |e| serde_dynamo::from_item(item(e)).unwrap(),
        prepare: |r| Encoded::Item(hand::to_item(r).unwrap()),
    },
    Contender {
        name: "serde_json",
        to: |r| Encoded::Json(serde_json::to_vec(r).unwrap()),
        into: |r| Encoded::Json(serde_json::to_vec(&r).unwrap()),
        from: |e| serde_json::from_slice(&json(e)).unwrap(),
        prepare: |r| Encoded::Json(serde_json::to_vec(r).unwrap()),
    },
];

/// Fails unless every contender writes the same item and reads back the
/// same record, so that the figures compare equal work.
pub fn check() {
    for n in [0, 1, 2, 3, 4, 97] {
        let record = record(n);
        let expected = record.to_item().unwrap();
        for contender in &CONTENDERS {
            match (contender.to)(&record) {
                Encoded::Item(item) => {
                    assert_eq!(item, expected, "{} writes another item", contender.name)
                }
                Encoded::Json(_) => {}
            }
            let back = (contender.from)((contender.to)(&record));
            assert_eq!(back, record, "{} does not round-trip", contender.name);
            let back = (contender.from)((contender.into)(record.clone()));
            assert_eq!(
                back, record,
                "{} does not round-trip an owned value",
                contender.name
            );
        }
    }
}

pub fn benches(c: &mut Criterion) {
    check();
    let one = record(42);

    let mut group = c.benchmark_group("to_item/hot");
    for contender in &CONTENDERS {
        group.bench_function(contender.name, |b| {
            b.iter(|| (contender.to)(black_box(&one)))
        });
    }
    group.finish();

    let mut group = c.benchmark_group("to_item/fresh");
    for contender in &CONTENDERS {
        group.bench_function(contender.name, |b| {
            b.iter_batched_ref(
                || fresh(FRESH),
                |batch| batch.iter().map(contender.to).collect::<Vec<_>>(),
                BatchSize::LargeInput,
            )
        });
    }
    group.finish();

    let mut group = c.benchmark_group("into_item/hot");
    for contender in &CONTENDERS {
        group.bench_function(contender.name, |b| {
            b.iter_batched(|| one.clone(), contender.into, BatchSize::SmallInput)
        });
    }
    group.finish();

    let mut group = c.benchmark_group("into_item/fresh");
    for contender in &CONTENDERS {
        group.bench_function(contender.name, |b| {
            b.iter_batched(
                || fresh(FRESH),
                |batch| batch.into_iter().map(contender.into).collect::<Vec<_>>(),
                BatchSize::LargeInput,
            )
        });
    }
    group.finish();

    let mut group = c.benchmark_group("from_item/hot");
    for contender in &CONTENDERS {
        let encoded = (contender.prepare)(&one);
        group.bench_function(contender.name, |b| match &encoded {
            Encoded::Item(item) => b.iter_batched(
                || Encoded::Item(item.clone()),
                contender.from,
                BatchSize::SmallInput,
            ),
            // serde_json reads borrowed text: nothing to copy per iteration.
            Encoded::Json(text) => {
                b.iter(|| serde_json::from_slice::<Record>(black_box(text)).unwrap())
            }
        });
    }
    group.finish();

    let mut group = c.benchmark_group("from_item/fresh");
    for contender in &CONTENDERS {
        group.bench_function(contender.name, |b| {
            b.iter_batched(
                || {
                    fresh(FRESH)
                        .iter()
                        .map(contender.prepare)
                        .collect::<Vec<_>>()
                },
                |batch| batch.into_iter().map(contender.from).collect::<Vec<_>>(),
                BatchSize::LargeInput,
            )
        });
    }
    group.finish();

    let mut group = c.benchmark_group("round_trip/hot");
    for contender in &CONTENDERS {
        group.bench_function(contender.name, |b| {
            b.iter(|| (contender.from)((contender.to)(black_box(&one))))
        });
    }
    group.finish();

    let mut group = c.benchmark_group("round_trip/fresh");
    for contender in &CONTENDERS {
        group.bench_function(contender.name, |b| {
            b.iter_batched_ref(
                || fresh(FRESH),
                |batch| {
                    batch
                        .iter()
                        .map(|r| (contender.from)((contender.to)(r)))
                        .collect::<Vec<_>>()
                },
                BatchSize::LargeInput,
            )
        });
    }
    group.finish();
}
