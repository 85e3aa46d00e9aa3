//! batch_get / batch_put / batch_delete against the local server, each test
//! on its own table. A client interceptor records the requests sent, so the
//! tests can count them and their entries: the server alone would not show
//! the chunking (moto accepts a 26-item `BatchWriteItem`, DynamoDB does not).

use std::future::IntoFuture;

use dynamo_lambda::aws_sdk_dynamodb::types::AttributeValue;
use dynamo_lambda::{Error, ErrorKind, Table, TableClient, dynamo_lambda};
use dynamo_lambda_suite::{Wire, fresh_table, local_client};

#[dynamo_lambda(table = "Things", partition_key = "id")]
#[derive(Debug, Clone, PartialEq)]
struct Thing {
    id: String,
    n: u32,
    note: Option<String>,
}

#[dynamo_lambda(table = "Readings", partition_key = "sensor", sort_key = "at")]
#[derive(Debug, Clone, PartialEq)]
struct Reading {
    sensor: String,
    at: u64,
    value: f64,
}

#[dynamo_lambda(table = "Docs", partition_key = "id")]
#[derive(Debug, Clone, PartialEq)]
struct Doc {
    id: String,
    #[dynamo(version)]
    version: u64,
}

fn thing(i: usize) -> Thing {
    Thing {
        id: format!("t{i:04}"),
        n: i as u32,
        note: i.is_multiple_of(3).then(|| format!("note {i}")),
    }
}

fn things(n: usize) -> Vec<Thing> {
    (0..n).map(thing).collect()
}

fn sorted<T: Clone, K: Ord>(items: &[T], by: impl Fn(&T) -> K) -> Vec<T> {
    let mut items = items.to_vec();
    items.sort_by_key(|item| by(item));
    items
}

/// For each request of `operation`, how many entries it had for its table.
fn entries(wire: &Wire, operation: &str) -> Vec<usize> {
    wire.bodies(operation)
        .iter()
        .map(|body| {
            let tables = body["RequestItems"].as_object().unwrap();
            assert_eq!(tables.len(), 1, "one table per request");
            let entries = tables.values().next().unwrap();
            entries["Keys"]
                .as_array()
                .or(entries.as_array())
                .unwrap()
                .len()
        })
        .collect()
}

/// `table` on a client that records what it sends.
async fn recorded<T: Table>(table: &TableClient<T>) -> (TableClient<T>, Wire) {
    let (client, wire) = Wire::attach(table.client().await);
    (TableClient::new(client, table.name().to_owned()), wire)
}

/// What DynamoDB's request limits make of `n` entries in chunks of `size`.
fn chunks(n: usize, size: usize) -> Vec<usize> {
    (0..n)
        .step_by(size)
        .map(|start| size.min(n - start))
        .collect()
}

/// Writes, reads and deletes `n` items, checking the requests sent.
async fn round_trip(n: usize) {
    let table = fresh_table::<Thing>(&format!("batch-{n}")).await;
    let (table, wire) = recorded(&table).await;
    let items = things(n);
    let keys: Vec<ThingKey> = items.iter().map(Thing::key).collect();

    table.batch_put(&items).await.unwrap();
    assert_eq!(entries(&wire, "BatchWriteItem"), chunks(n, 25));

    let read = table.batch_get(&keys).await.unwrap();
    assert_eq!(entries(&wire, "BatchGetItem"), chunks(n, 100));
    assert_eq!(sorted(&read, |t| t.id.clone()), items);
    let strong = table.batch_get(&keys).consistent_read().await.unwrap();
    assert_eq!(strong.len(), n);

    table.batch_delete(&keys).await.unwrap();
    let mut writes = chunks(n, 25);
    writes.extend(chunks(n, 25));
    assert_eq!(entries(&wire, "BatchWriteItem"), writes);
    assert_eq!(table.batch_get(&keys).await.unwrap(), Vec::new());
}

#[tokio::test]
async fn batch_of_1() {
    round_trip(1).await;
}

#[tokio::test]
async fn batch_of_25() {
    round_trip(25).await;
}

#[tokio::test]
async fn batch_of_26() {
    round_trip(26).await;
}

#[tokio::test]
async fn batch_of_100() {
    round_trip(100).await;
}

#[tokio::test]
async fn batch_of_101() {
    round_trip(101).await;
}

#[tokio::test]
async fn batch_of_1000() {
    round_trip(1000).await;
}

#[tokio::test]
async fn empty_batches_send_no_request() {
    // A table that does not exist: any request would fail.
    let table = TableClient::<Thing>::new(local_client().await, "no-such-table");
    let (table, wire) = recorded(&table).await;
    assert_eq!(table.batch_get(&[]).await.unwrap(), Vec::new());
    table.batch_put(&[]).await.unwrap();
    table.batch_delete(&[]).await.unwrap();
    assert_eq!(wire.total(), 0);
}

#[tokio::test]
async fn composite_keys_round_trip() {
    let table = fresh_table::<Reading>("batch-composite").await;
    let readings: Vec<Reading> = (0..60)
        .map(|i| Reading {
            sensor: format!("s{}", i % 4),
            at: i / 4,
            value: i as f64 / 8.0,
        })
        .collect();
    table.batch_put(&readings).await.unwrap();
    let keys: Vec<ReadingKey> = readings.iter().map(Reading::key).collect();
    let read = table.batch_get(&keys).await.unwrap();
    let by_key = |r: &Reading| (r.sensor.clone(), r.at);
    assert_eq!(sorted(&read, by_key), sorted(&readings, by_key));
    table.batch_delete(&keys[..30]).await.unwrap();
    let left = table.batch_get(&keys).await.unwrap();
    assert_eq!(sorted(&left, by_key), sorted(&readings[30..], by_key));
}

#[tokio::test]
async fn batch_get_reads_a_key_given_twice_once_and_skips_missing_keys() {
    let table = fresh_table::<Thing>("batch-get-dupes").await;
    let (table, wire) = recorded(&table).await;
    table.put(&thing(1)).await.unwrap();
    table.put(&thing(2)).await.unwrap();
    let keys = [
        thing(1).key(),
        thing(2).key(),
        thing(1).key(),
        thing(3).key(),
    ];
    let read = table.batch_get(&keys).await.unwrap();
    assert_eq!(sorted(&read, |t| t.n), vec![thing(1), thing(2)]);
    assert_eq!(entries(&wire, "BatchGetItem"), vec![3]);
}

#[tokio::test]
async fn batch_delete_deletes_a_key_given_twice_once() {
    let table = fresh_table::<Thing>("batch-delete-dupes").await;
    let (table, wire) = recorded(&table).await;
    table.batch_put(&things(3)).await.unwrap();
    let keys = [
        thing(0).key(),
        thing(1).key(),
        thing(0).key(),
        thing(7).key(),
    ];
    table.batch_delete(&keys).await.unwrap();
    assert_eq!(entries(&wire, "BatchWriteItem"), vec![3, 3]);
    assert_eq!(table.batch_get(&keys).await.unwrap(), Vec::new());
    assert_eq!(table.get(&thing(2).key()).await.unwrap(), Some(thing(2)));
}

#[tokio::test]
async fn batch_put_refuses_duplicate_keys_naming_the_key_before_any_request() {
    let table = fresh_table::<Thing>("batch-put-dupes").await;
    let (table, wire) = recorded(&table).await;
    let mut items = things(30);
    items[27] = Thing { n: 99, ..thing(4) };
    let error = table.batch_put(&items).await.unwrap_err();
    assert_eq!(error.error.kind(), ErrorKind::Validation, "{error}");
    let message = error.to_string();
    assert!(message.contains(r#"ThingKey { id: "t0004" }"#), "{message}");
    assert!(message.contains("at 4 and 27"), "{message}");
    assert_eq!(error.unprocessed, items);
    assert_eq!(wire.total(), 0);
}

#[tokio::test]
async fn batch_put_refuses_versioned_structs_before_any_request() {
    let table = fresh_table::<Doc>("batch-versioned").await;
    let (table, wire) = recorded(&table).await;
    let docs = vec![Doc {
        id: "d1".into(),
        version: 0,
    }];
    let error = table.batch_put(&docs).await.unwrap_err();
    match &error.error {
        Error::Validation { attribute, message } => {
            assert_eq!(attribute.as_deref(), Some("version"));
            assert!(message.contains("Transaction"), "{message}");
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert_eq!(error.unprocessed, docs);
    assert_eq!(wire.total(), 0);
    // Deletes do not check versions, as `delete` does not.
    table.create(&docs[0]).await.unwrap();
    table.batch_delete(&[docs[0].key()]).await.unwrap();
    assert_eq!(table.get(&docs[0].key()).await.unwrap(), None);
}

#[tokio::test]
async fn an_item_that_cannot_be_encoded_stops_the_batch_before_any_request() {
    let table = fresh_table::<Reading>("batch-encode").await;
    let (table, wire) = recorded(&table).await;
    let mut readings: Vec<Reading> = (0..40)
        .map(|i| Reading {
            sensor: "s".into(),
            at: i,
            value: 1.0,
        })
        .collect();
    readings[31].value = f64::NAN;
    let error = table.batch_put(&readings).await.unwrap_err();
    match &error.error {
        Error::Validation { attribute, message } => {
            assert_eq!(attribute.as_deref(), Some("value"));
            assert!(message.contains("at: 31"), "{message}");
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert_eq!(error.unprocessed.len(), 40);

    let keys = [
        ReadingKey {
            sensor: "s".into(),
            at: 1,
        },
        ReadingKey {
            sensor: String::new(),
            at: 2,
        },
    ];
    let error = table.batch_get(&keys).await.unwrap_err();
    assert_eq!(error.error.kind(), ErrorKind::Validation, "{error}");
    assert_eq!(error.unprocessed, keys);
    let error = table.batch_delete(&keys).await.unwrap_err();
    assert_eq!(error.error.kind(), ErrorKind::Validation, "{error}");
    assert_eq!(wire.total(), 0);
}

#[tokio::test]
async fn a_failed_chunk_returns_its_items_and_every_later_one_unwritten() {
    let table = fresh_table::<Thing>("batch-fails").await;
    let mut items = things(60);
    // A partition key over DynamoDB's 2,048 bytes: the server refuses the
    // request (an item over 400 KB is refused before anything is sent).
    // First in its chunk, because moto writes the items of a refused batch
    // that come before the bad one (DynamoDB writes none).
    items[25].id = "x".repeat(2049);
    let error = table.batch_put(&items).await.unwrap_err();
    assert_eq!(error.error.kind(), ErrorKind::Validation, "{error}");
    assert_eq!(error.unprocessed, items[25..]);
    let keys: Vec<ThingKey> = items
        .iter()
        .map(Thing::key)
        .filter(|k| k.id.len() < 2048)
        .collect();
    let stored = table.batch_get(&keys).await.unwrap();
    assert_eq!(sorted(&stored, |t| t.n), items[..25]);
}

#[tokio::test]
async fn an_item_that_does_not_decode_is_reported_with_its_key_and_the_others_are_kept() {
    let table = fresh_table::<Thing>("batch-decode").await;
    table.batch_put(&things(5)).await.unwrap();
    table
        .client()
        .await
        .put_item()
        .table_name(table.name())
        .item("id", AttributeValue::S("t0003".into()))
        .item("n", AttributeValue::S("three".into()))
        .send()
        .await
        .unwrap();
    let keys: Vec<ThingKey> = (0..5).map(|i| thing(i).key()).collect();
    let error = table.batch_get(&keys).await.unwrap_err();
    assert_eq!(error.error.kind(), ErrorKind::Decode, "{error}");
    assert!(error.error.to_string().contains("`n`"), "{error}");
    assert_eq!(error.unprocessed, vec![thing(3).key()]);
    let read = sorted(&error.items, |t| t.n);
    assert_eq!(read, vec![thing(0), thing(1), thing(2), thing(4)]);
}

/// DynamoDB answers at most 16 MB per `BatchGetItem` and returns the rest of
/// the keys as `UnprocessedKeys` (moto does the same): the batch must send
/// them again and return every item.
#[tokio::test]
async fn unprocessed_keys_of_a_response_over_16_mb_are_read_too() {
    let table = fresh_table::<Thing>("batch-16mb").await;
    let (table, wire) = recorded(&table).await;
    let items: Vec<Thing> = (0..60)
        .map(|i| Thing {
            note: Some("x".repeat(350_000)),
            ..thing(i)
        })
        .collect();
    table.batch_put(&items).await.unwrap();
    let keys: Vec<ThingKey> = items.iter().map(Thing::key).collect();
    let read = table.batch_get(&keys).await.unwrap();
    assert_eq!(read.len(), 60);
    assert_eq!(sorted(&read, |t| t.n), items);
    let gets = entries(&wire, "BatchGetItem");
    assert!(gets.len() >= 2, "one request cannot answer 21 MB: {gets:?}");
    assert_eq!(gets[0], 60);
    assert!(gets.windows(2).all(|w| w[1] < w[0]), "{gets:?}");
}

#[tokio::test]
async fn batch_errors_convert_into_the_crate_error() {
    async fn through_question_mark(table: &TableClient<Thing>) -> Result<(), Error> {
        table.batch_put(&[thing(1), thing(1)]).await?;
        Ok(())
    }
    let table = fresh_table::<Thing>("batch-convert").await;
    let error = through_question_mark(&table).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Validation);
}

/// Lambda handlers run on a multi-threaded runtime: the futures must be `Send`.
#[test]
fn batch_futures_are_send() {
    fn send<F: std::future::Future + Send>(_: F) {}
    let table = TableClient::<Thing>::shared();
    let items = things(2);
    let keys: Vec<ThingKey> = items.iter().map(Thing::key).collect();
    send(table.batch_get(&keys).into_future());
    send(table.batch_put(&items));
    send(table.batch_delete(&keys));
}
