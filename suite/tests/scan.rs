//! Scans against the local server: every item exactly once in one or
//! several parallel segments, page by page with cursors, filters, indexes,
//! projections and expired items.

use std::collections::BTreeSet;
use std::time::{SystemTime, UNIX_EPOCH};

use dynamo_lambda::{Cursor, Error, Table, TableClient, dynamo_lambda};
use dynamo_lambda_suite::{InFlight, fresh_table};
use futures_util::{StreamExt, TryStreamExt};

/// Sensor readings (`tests/schemas/readings.yaml`), as in the query tests.
#[dynamo_lambda(schema = "tests/schemas/readings.yaml")]
#[derive(Debug, Clone, PartialEq)]
struct Reading {
    sensor: String,
    at: u64,
    site: String,
    #[dynamo(rename = "reading")]
    value: i64,
    alert: Option<String>,
    note: String,
    expires_at: Option<i64>,
}

/// 8 sensors × 6 readings; an alert on every fourth reading.
fn readings() -> Vec<Reading> {
    (0..48u64)
        .map(|n| Reading {
            sensor: format!("s{}", n % 8),
            at: n,
            site: if n % 2 == 0 { "north" } else { "south" }.into(),
            value: n as i64,
            alert: (n % 4 == 0).then(|| "high".to_owned()),
            note: format!("reading {n}"),
            expires_at: None,
        })
        .collect()
}

async fn seed<T: Table + Send + Sync>(table: &TableClient<T>, items: &[T]) {
    futures_util::stream::iter(items)
        .map(|item| table.put(item))
        .buffer_unordered(8)
        .try_collect::<Vec<()>>()
        .await
        .unwrap();
}

fn keys(items: &[Reading]) -> Vec<(String, u64)> {
    let mut keys: Vec<_> = items.iter().map(|r| (r.sensor.clone(), r.at)).collect();
    keys.sort();
    keys
}

fn validation_attribute<T: std::fmt::Debug>(result: Result<T, Error>) -> String {
    match result {
        Err(Error::Validation {
            attribute: Some(attribute),
            ..
        }) => attribute,
        other => panic!("expected a validation error naming an attribute, got {other:?}"),
    }
}

#[tokio::test]
async fn one_and_four_segments_return_every_item_exactly_once() {
    let table = fresh_table::<Reading>("scan-segments").await;
    let all = readings();
    seed(&table, &all).await;

    let one: Vec<Reading> = table.scan().limit(10).stream().try_collect().await.unwrap();
    assert_eq!(keys(&one), keys(&all));
    let single: Vec<Reading> = table
        .scan()
        .segments(1)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(keys(&single), keys(&all));

    let four: Vec<Reading> = Reading::scan()
        .on(&table)
        .limit(5)
        .segments(4)
        .all()
        .await
        .unwrap();
    assert_eq!(four.len(), all.len(), "no item read twice");
    assert_eq!(keys(&four), keys(&all));
    let mut sorted = four.clone();
    sorted.sort_by(|a, b| (&a.sensor, a.at).cmp(&(&b.sensor, b.at)));
    let mut expected = all.clone();
    expected.sort_by(|a, b| (&a.sensor, a.at).cmp(&(&b.sensor, b.at)));
    assert_eq!(sorted, expected);

    // Each segment reads its own share: more segments than sensors leaves
    // some empty, and still nothing is lost or repeated.
    let many: Vec<Reading> = table.scan().segments(13).all().await.unwrap();
    assert_eq!(keys(&many), keys(&all));
}

#[tokio::test]
async fn a_scan_page_by_page_follows_typed_cursors_and_tokens() {
    let table = fresh_table::<Reading>("scan-pages").await;
    let all = readings();
    seed(&table, &all).await;

    let mut read = Vec::new();
    let mut cursor: Option<Cursor<ReadingKey>> = None;
    let mut pages = 0;
    loop {
        let page = table.scan().limit(7).after(cursor).await.unwrap();
        assert!(page.items.len() <= 7);
        pages += 1;
        read.extend(page.items);
        match page.cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert!(pages >= 7);
    assert_eq!(read.len(), all.len());
    assert_eq!(keys(&read), keys(&all));

    let mut read = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut scan = Reading::scan().on(&table).limit(9);
        if let Some(token) = &token {
            scan = scan.after_token(token);
        }
        let page = scan.await.unwrap();
        token = page.next_token();
        read.extend(page.items);
        if token.is_none() {
            break;
        }
    }
    assert_eq!(keys(&read), keys(&all));

    let pages: Vec<_> = table.scan().limit(10).pages().try_collect().await.unwrap();
    assert_eq!(
        pages.iter().map(|p| p.items.len()).sum::<usize>(),
        all.len()
    );
    assert!(pages.last().unwrap().cursor.is_none());
}

#[tokio::test]
async fn a_filter_applies_to_every_segment_and_page() {
    let table = fresh_table::<Reading>("scan-filter").await;
    let all = readings();
    seed(&table, &all).await;
    let f = Reading::fields();

    let expected: Vec<Reading> = all
        .iter()
        .filter(|r| r.site == "north" && r.value >= 20)
        .cloned()
        .collect();
    let condition = || f.site.eq("north").and(f.value.ge(20i64));
    let filtered: Vec<Reading> = table
        .scan()
        .filter(condition())
        .limit(4)
        .all()
        .await
        .unwrap();
    assert_eq!(keys(&filtered), keys(&expected));
    let parallel = table
        .scan()
        .filter(condition())
        .segments(4)
        .all()
        .await
        .unwrap();
    assert_eq!(keys(&parallel), keys(&expected));
    let with_alert = table
        .scan()
        .filter(f.alert.exists())
        .filter(f.site.eq("north"))
        .all()
        .await
        .unwrap();
    assert_eq!(with_alert.len(), 12);
    let none = table
        .scan()
        .filter(f.note.begins_with("nothing"))
        .limit(5)
        .all()
        .await
        .unwrap();
    assert!(none.is_empty());
}

#[tokio::test]
async fn a_scan_of_an_index_reads_its_view_and_only_its_items() {
    let table = fresh_table::<Reading>("scan-index").await;
    let all = readings();
    seed(&table, &all).await;

    // The sparse `by_alert` index holds only readings with an alert.
    let alerts: Vec<ReadingByAlertItem> = table
        .scan_index::<ReadingByAlertKey>()
        .limit(3)
        .all()
        .await
        .unwrap();
    let mut read: Vec<u64> = alerts.iter().map(|r| r.at).collect();
    read.sort_unstable();
    let expected: Vec<u64> = all
        .iter()
        .filter(|r| r.alert.is_some())
        .map(|r| r.at)
        .collect();
    assert_eq!(read, expected);
    assert!(alerts.iter().all(|r| r.alert == "high"));

    let by_value: Vec<ReadingByValueItem> = table
        .scan_index::<ReadingByValueKey>()
        .consistent_read()
        .segments(3)
        .all()
        .await
        .unwrap();
    assert_eq!(by_value.len(), all.len());
}

#[tokio::test]
async fn projections_and_expired_items() {
    let table = fresh_table::<Reading>("scan-project-expired").await;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let mut all = readings();
    for (n, reading) in all.iter_mut().enumerate() {
        reading.expires_at = match n % 3 {
            0 => Some(now - 60),
            1 => Some(now + 3600),
            _ => None,
        };
    }
    seed(&table, &all).await;
    let live: Vec<Reading> = all
        .iter()
        .filter(|r| r.expires_at.is_none_or(|t| t > now))
        .cloned()
        .collect();

    assert_eq!(table.scan().all().await.unwrap().len(), all.len());
    let read = table.scan().skip_expired().limit(7).all().await.unwrap();
    assert_eq!(keys(&read), keys(&live));
    let parallel = table.scan().skip_expired().segments(4).all().await.unwrap();
    assert_eq!(keys(&parallel), keys(&live));

    let views: Vec<ReadingBySiteItem> = table
        .scan()
        .project::<ReadingBySiteItem>()
        .skip_expired()
        .all()
        .await
        .unwrap();
    assert_eq!(views.len(), live.len());
    let sites: BTreeSet<&str> = views.iter().map(|v| v.site.as_str()).collect();
    assert_eq!(sites, BTreeSet::from(["north", "south"]));

    // A KEYS_ONLY index cannot tell which items expired.
    assert_eq!(
        validation_attribute(table.scan_index::<ReadingByAlertKey>().skip_expired().await),
        "skip_expired"
    );
}

#[tokio::test]
async fn bad_segment_counts_cursors_and_limits_are_validation_errors() {
    let table = fresh_table::<Reading>("scan-bad-input").await;
    seed(&table, &readings()[..3]).await;
    assert_eq!(
        validation_attribute(table.scan().segments(0).all().await),
        "segments"
    );
    assert_eq!(
        validation_attribute(table.scan().segments(1_000_001).all().await),
        "segments"
    );
    let token = table.scan().limit(1).await.unwrap().next_token().unwrap();
    assert_eq!(
        validation_attribute(table.scan().after_token(&token).segments(2).all().await),
        "cursor"
    );
    assert_eq!(
        validation_attribute(table.scan().after_token("garbage").await),
        "cursor"
    );
    // A cursor of the table is not one of an index.
    assert_eq!(
        validation_attribute(
            table
                .scan_index::<ReadingByAlertKey>()
                .after_token(&token)
                .await
        ),
        "cursor"
    );
    assert_eq!(validation_attribute(table.scan().limit(0).await), "limit");
    // The stream of a bad scan yields the error once, then ends.
    let results: Vec<Result<Reading, Error>> = table.scan().limit(0).stream().collect().await;
    assert_eq!(results.len(), 1);
    assert!(results[0].is_err());
}

/// A table without TTL or indexes, which every local server creates.
#[dynamo_lambda(table = "Tallies", partition_key = "id")]
#[derive(Debug, Clone, PartialEq)]
struct Tally {
    id: String,
    count: u32,
}

#[tokio::test]
async fn a_parallel_scan_reads_a_bounded_number_of_segments_at_once() {
    let table = fresh_table::<Tally>("scan-concurrency").await;
    let all: Vec<Tally> = (0..64)
        .map(|n| Tally {
            id: format!("t{n}"),
            count: n,
        })
        .collect();
    seed(&table, &all).await;
    let (client, in_flight) = InFlight::attach(table.client().await);
    let table = TableClient::<Tally>::new(client, table.name().to_owned());
    for (concurrency, bound) in [
        (Some(3), 3),
        (None, dynamo_lambda::DEFAULT_SCAN_CONCURRENCY),
    ] {
        in_flight.reset_most();
        let sent = in_flight.total();
        let scan = table.scan().limit(2).segments(32);
        let scan = match concurrency {
            Some(n) => scan.concurrency(n),
            None => scan,
        };
        let mut items = scan.all().await.unwrap();
        items.sort_by_key(|t| t.count);
        assert_eq!(items, all);
        let most = in_flight.most();
        assert!(
            (2..=bound).contains(&most),
            "{most} requests in flight at once, bound {bound}"
        );
        // 32 segments, each at least one page.
        assert!(in_flight.total() - sent >= 32);
    }
    let error = table
        .scan()
        .segments(4)
        .concurrency(0)
        .all()
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Validation { attribute: Some(a), .. } if a == "concurrency"),
        "{error:?}"
    );
}
