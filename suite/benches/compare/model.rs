//! The benchmarked item: twelve fields of the kinds a real table holds, and
//! the inputs of both regimes (one item over and over, fresh distinct items).

use std::collections::{BTreeSet, HashMap};

use dynamo_lambda::{Attribute, dynamo_lambda};
use serde::{Deserialize, Serialize};

/// One activity record of an account. The serde attributes make
/// `serde_dynamo` write exactly the item the generated code writes (a string
/// set, binary, no `NULL` for `None`), so every contender does the same work.
#[dynamo_lambda(table = "Records", partition_key = "pk", sort_key = "sk")]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub pk: String,
    pub sk: String,
    pub views: u64,
    pub delta: i32,
    pub score: f64,
    pub active: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(with = "serde_dynamo::string_set")]
    pub tags: BTreeSet<String>,
    pub owner: Owner,
    pub labels: HashMap<String, String>,
    pub created_at: i64,
    #[dynamo(binary)]
    #[serde(with = "bytes")]
    pub payload: Vec<u8>,
}

/// The nested map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Attribute)]
pub struct Owner {
    pub id: String,
    pub name: String,
    pub level: u32,
}

/// The `n`-th distinct record: string lengths, set and map sizes and the
/// optional field vary with `n`, so a batch is not one item repeated.
pub fn record(n: u64) -> Record {
    let tags = (0..1 + n % 4)
        .map(|i| format!("tag-{}", (n + i) % 17))
        .collect();
    let labels = (0..2 + n % 4)
        .map(|i| (format!("label-{i}"), format!("value-{n}-{i}")))
        .collect();
    Record {
        pk: format!("ACCOUNT#{:08}", n % 1_000),
        sk: format!("EVENT#2026-04-{:02}T10:{:02}:00Z#{n}", 1 + n % 28, n % 60),
        views: n.wrapping_mul(2_654_435_761) % 10_000_000,
        delta: (n % 2_000) as i32 - 1_000,
        score: (n % 10_000) as f64 / 8.0 + 0.125,
        active: !n.is_multiple_of(3),
        note: (!n.is_multiple_of(4))
            .then(|| format!("note {n}: {}", "x".repeat((n % 40) as usize))),
        tags,
        owner: Owner {
            id: format!("user-{}", n % 5_000),
            name: format!("Owner Number {}", n % 5_000),
            level: (n % 10) as u32,
        },
        labels,
        created_at: 1_770_000_000_000 + n as i64 * 1_000,
        payload: (0..64)
            .map(|i| (n as u8).wrapping_mul(31).wrapping_add(i))
            .collect(),
    }
}

/// `count` records never built before: each call continues the sequence.
pub fn fresh(count: usize) -> Vec<Record> {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let start = NEXT.fetch_add(count as u64, Ordering::Relaxed);
    (start..start + count as u64).map(record).collect()
}

/// `Vec<u8>` through `serialize_bytes`: `B` in `serde_dynamo`, an array of
/// numbers in `serde_json`.
mod bytes {
    use std::fmt;

    use serde::de::{Deserializer, SeqAccess, Visitor};
    use serde::ser::Serializer;

    pub fn serialize<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(bytes)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
        deserializer.deserialize_byte_buf(BytesVisitor)
    }

    struct BytesVisitor;

    impl<'de> Visitor<'de> for BytesVisitor {
        type Value = Vec<u8>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("bytes")
        }

        fn visit_bytes<E>(self, bytes: &[u8]) -> Result<Vec<u8>, E> {
            Ok(bytes.to_vec())
        }

        fn visit_byte_buf<E>(self, bytes: Vec<u8>) -> Result<Vec<u8>, E> {
            Ok(bytes)
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<u8>, A::Error> {
            let mut bytes = Vec::with_capacity(seq.size_hint().unwrap_or(0));
            while let Some(byte) = seq.next_element()? {
                bytes.push(byte);
            }
            Ok(bytes)
        }
    }
}
