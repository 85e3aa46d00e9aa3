//! Queries of tables and of their global and local indexes against the local
//! server: sort-key conditions, order, limits, filters, typed cursors and
//! their tokens, index views, projections and expired items.

use std::collections::BTreeSet;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use dynamo_lambda::aws_sdk_dynamodb::types::AttributeValue;
use dynamo_lambda::{
    Attribute, AttributeErrorKind, Blob, Cursor, Error, IndexKey, Item, Projected, SortKey, Table,
    TableClient, dynamo_lambda,
};
use dynamo_lambda_suite::fresh_table;
use futures_util::{StreamExt, TryStreamExt};
use orders_example::{
    Address, Line, Order, OrderByStatusKey, OrderByTotalItem, OrderByTotalKey, OrderKey, Status,
};
use users_example::User;

/// Sensor readings (`tests/schemas/readings.yaml`): a numeric sort key, a
/// sparse KEYS_ONLY index on `alert`, an index by site without a sort key,
/// and a local index on the renamed `value`.
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

/// A binary sort key, on an index (`tests/schemas/chunks.yaml`).
#[dynamo_lambda(schema = "tests/schemas/chunks.yaml")]
#[derive(Debug, Clone, PartialEq)]
struct Chunk {
    id: String,
    file: String,
    digest: Blob,
    size: u32,
}

/// A partial view of an order, read with a projection.
#[derive(Debug, Clone, PartialEq, Attribute)]
struct OrderTotal {
    customer_id: String,
    ordered_at: String,
    total_cents: u64,
}

fn at(n: u32) -> String {
    format!("2024-01-{:02}T10:00:00Z", n + 1)
}

fn order(customer: &str, ordered_at: String, status: Status, total_cents: u64) -> Order {
    Order {
        customer_id: customer.into(),
        ordered_at,
        status,
        lines: vec![Line {
            sku: "sku-1".into(),
            quantity: 1,
            unit_cents: total_cents,
        }],
        total_cents,
        tags: BTreeSet::new(),
        shipping: Address {
            street: "1 Main St".into(),
            city: "Springfield".into(),
            country: "US".into(),
        },
        expires_at: None,
    }
}

/// `count` orders of `customer`, one a day, alternating placed and shipped,
/// totals decreasing so that the local index orders them the other way round.
fn orders_of(customer: &str, count: u32) -> Vec<Order> {
    (0..count)
        .map(|n| {
            let status = if n % 2 == 0 {
                Status::Placed
            } else {
                Status::Shipped
            };
            order(customer, at(n), status, 10_000 - u64::from(n) * 10)
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

fn reading(sensor: &str, at: u64, site: &str, value: i64, alert: Option<&str>) -> Reading {
    Reading {
        sensor: sensor.into(),
        at,
        site: site.into(),
        value,
        alert: alert.map(str::to_owned),
        note: format!("{sensor}@{at}"),
        expires_at: None,
    }
}

/// s1: 12 readings, an alert on every third; s2: 5 readings at 100.., all alerts.
fn readings() -> Vec<Reading> {
    let s1 = (0..12).map(|n| {
        let alert = (n % 3 == 0).then_some("high");
        let site = if n < 6 { "north" } else { "south" };
        reading("s1", n, site, 50 - n as i64 * 5, alert)
    });
    let s2 = (0..5).map(|n| reading("s2", 100 + n, "north", n as i64, Some("high")));
    s1.chain(s2).collect()
}

/// The cursor validation error, or a panic naming what came instead.
fn assert_cursor_error<T: std::fmt::Debug>(result: Result<T, Error>) -> String {
    match result {
        Err(Error::Validation {
            attribute: Some(attribute),
            message,
        }) if attribute == "cursor" => message,
        other => panic!("expected a validation error naming `cursor`, got {other:?}"),
    }
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

fn token(json: &str) -> String {
    URL_SAFE_NO_PAD.encode(json)
}

#[tokio::test]
async fn table_query_follows_typed_cursors_tokens_and_the_stream_to_the_end() {
    let orders = fresh_table::<Order>("query-pages").await;
    let mine = orders_of("c1", 25);
    seed(&orders, &mine).await;
    seed(&orders, &orders_of("c2", 4)).await;

    // Typed cursors, page by page.
    let mut read = Vec::new();
    let mut cursor: Option<Cursor<OrderKey>> = None;
    let mut pages = 0;
    loop {
        let page = orders.query("c1").limit(7).after(cursor).await.unwrap();
        assert!(page.items.len() <= 7);
        if let (Some(cursor), Some(last)) = (&page.cursor, page.items.last()) {
            assert_eq!(cursor.key(), &last.key());
        }
        read.extend(page.items);
        pages += 1;
        match page.cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert_eq!(read, mine);
    assert!(pages >= 4, "25 items in pages of 7 took {pages} pages");

    // Opaque tokens, as a handler would pass them.
    let mut read = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut query = orders.query("c1").limit(7);
        if let Some(token) = &token {
            query = query.after_token(token);
        }
        let page = query.await.unwrap();
        token = page.next_token();
        read.extend(page.items);
        if token.is_none() {
            break;
        }
    }
    assert_eq!(read, mine);

    // The stream, the pages and the generated function on this table.
    let streamed: Vec<Order> = orders
        .query("c1")
        .limit(7)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(streamed, mine);
    let pages: Vec<_> = orders
        .query("c1")
        .limit(7)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert!(pages.len() >= 4);
    assert_eq!(pages.iter().map(|p| p.items.len()).sum::<usize>(), 25);
    assert!(pages.last().unwrap().cursor.is_none());
    let generated = Order::query("c1").on(&orders).all().await.unwrap();
    assert_eq!(generated, mine);
    let by_string = Order::query(&"c2".to_owned())
        .on(&orders)
        .all()
        .await
        .unwrap();
    assert_eq!(by_string, orders_of("c2", 4));
}

#[tokio::test]
async fn every_sort_key_operator_on_a_string_key() {
    let orders = fresh_table::<Order>("query-operators").await;
    let mut mine = orders_of("c1", 10);
    // Two more in February, for begins_with.
    mine.push(order(
        "c1",
        "2024-02-01T08:00:00Z".into(),
        Status::Placed,
        1,
    ));
    mine.push(order(
        "c1",
        "2024-02-02T08:00:00Z".into(),
        Status::Placed,
        2,
    ));
    seed(&orders, &mine).await;
    seed(&orders, &orders_of("c2", 10)).await;

    let days = |condition: SortKey<String>| {
        let orders = orders.clone();
        async move {
            orders
                .query("c1")
                .sort_key(condition)
                .all()
                .await
                .unwrap()
                .into_iter()
                .map(|o| o.ordered_at)
                .collect::<Vec<_>>()
        }
    };
    let expect = |range: std::ops::Range<u32>| range.map(at).collect::<Vec<_>>();
    assert_eq!(days(SortKey::eq(at(3))).await, expect(3..4));
    assert_eq!(days(SortKey::lt(at(3))).await, expect(0..3));
    assert_eq!(days(SortKey::le(at(3))).await, expect(0..4));
    assert_eq!(days(SortKey::gt(at(7))).await[..2], expect(8..10));
    assert_eq!(days(SortKey::ge(at(7))).await.len(), 5);
    assert_eq!(days(SortKey::between(at(2), at(4))).await, expect(2..5));
    assert_eq!(
        days(SortKey::begins_with("2024-02")).await,
        ["2024-02-01T08:00:00Z", "2024-02-02T08:00:00Z"]
    );
    assert_eq!(
        days(SortKey::begins_with("2023")).await,
        Vec::<String>::new()
    );
    assert_eq!(
        days(SortKey::eq("2025-01-01T00:00:00Z")).await,
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn every_sort_key_operator_on_a_number_key_and_begins_with_on_binary() {
    let readings_table = fresh_table::<Reading>("query-number-operators").await;
    seed(&readings_table, &readings()).await;
    let ats = |condition: SortKey<u64>| {
        let table = readings_table.clone();
        async move {
            Reading::query("s1")
                .on(&table)
                .sort_key(condition)
                .all()
                .await
                .unwrap()
                .into_iter()
                .map(|r| r.at)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(ats(SortKey::eq(4u64)).await, [4]);
    assert_eq!(ats(SortKey::lt(3u64)).await, [0, 1, 2]);
    assert_eq!(ats(SortKey::le(2u64)).await, [0, 1, 2]);
    assert_eq!(ats(SortKey::gt(9u64)).await, [10, 11]);
    assert_eq!(ats(SortKey::ge(10u64)).await, [10, 11]);
    assert_eq!(ats(SortKey::between(5u64, 7u64)).await, [5, 6, 7]);

    let chunks = fresh_table::<Chunk>("query-binary").await;
    let chunk = |digest: &[u8]| Chunk {
        id: format!("{digest:?}"),
        file: "f".into(),
        digest: Blob::new(digest.to_vec()),
        size: digest.len() as u32,
    };
    seed(
        &chunks,
        &[
            chunk(&[1, 2, 3]),
            chunk(&[1, 2, 9]),
            chunk(&[1, 3]),
            chunk(&[7]),
        ],
    )
    .await;
    let found = Chunk::query_by_file("f")
        .on(&chunks)
        .sort_key(SortKey::begins_with(Blob::new(vec![1, 2])))
        .all()
        .await
        .unwrap();
    assert_eq!(found, [chunk(&[1, 2, 3]), chunk(&[1, 2, 9])]);
    let found = Chunk::query_by_file("f")
        .on(&chunks)
        .sort_key(SortKey::gt(Blob::new(vec![1, 3])))
        .all()
        .await
        .unwrap();
    assert_eq!(found, [chunk(&[7])]);
}

#[tokio::test]
async fn descending_order_limit_and_consistent_read() {
    let orders = fresh_table::<Order>("query-descending").await;
    let mine = orders_of("c1", 9);
    seed(&orders, &mine).await;
    let newest: Vec<Order> = mine.iter().rev().cloned().collect();

    let page = orders.query("c1").descending().limit(3).await.unwrap();
    assert_eq!(page.items, newest[..3]);
    assert!(page.cursor.is_some());
    let rest = orders
        .query("c1")
        .descending()
        .limit(3)
        .after(page.cursor)
        .all()
        .await
        .unwrap();
    assert_eq!(rest, newest[3..]);
    let all = orders
        .query("c1")
        .descending()
        .consistent_read()
        .all()
        .await
        .unwrap();
    assert_eq!(all, newest);
    let before = orders
        .query("c1")
        .sort_key(SortKey::lt(at(5)))
        .descending()
        .limit(2)
        .await
        .unwrap();
    assert_eq!(before.items, [mine[4].clone(), mine[3].clone()]);
}

#[tokio::test]
async fn a_filter_drops_items_across_pages_even_when_a_page_ends_up_empty() {
    let orders = fresh_table::<Order>("query-filter").await;
    let mut mine = orders_of("c1", 12);
    mine[11].tags = BTreeSet::from(["gift".to_owned()]);
    seed(&orders, &mine).await;
    let f = Order::fields();

    let shipped: Vec<Order> = mine
        .iter()
        .filter(|o| o.status == Status::Shipped)
        .cloned()
        .collect();
    let pages: Vec<_> = orders
        .query("c1")
        .filter(f.status.eq(Status::Shipped))
        .limit(1)
        .pages()
        .try_collect()
        .await
        .unwrap();
    // A page of one placed order is empty after the filter and still has a cursor.
    assert!(
        pages
            .iter()
            .any(|p| p.items.is_empty() && p.cursor.is_some())
    );
    let read: Vec<Order> = pages.into_iter().flat_map(|p| p.items).collect();
    assert_eq!(read, shipped);

    // Several filters all hold; conditions on attributes with awkward names work.
    let gifts = orders
        .query("c1")
        .filter(f.status.eq(Status::Shipped))
        .filter(f.tags.contains("gift"))
        .all()
        .await
        .unwrap();
    assert_eq!(gifts, [mine[11].clone()]);
    let big = orders
        .query("c1")
        .sort_key(SortKey::ge(at(6)))
        .filter(f.total_cents.gt(9_930u64).and(f.status.eq(Status::Placed)))
        .all()
        .await
        .unwrap();
    assert_eq!(big, [mine[6].clone()]);
}

#[tokio::test]
async fn a_global_index_projecting_all_attributes_returns_full_items() {
    let orders = fresh_table::<Order>("query-gsi").await;
    let c1 = orders_of("c1", 10);
    let c2: Vec<Order> = (0..6)
        .map(|n| {
            order(
                "c2",
                format!("2024-03-{:02}T00:00:00Z", n + 1),
                Status::Shipped,
                n,
            )
        })
        .collect();
    seed(&orders, &c1).await;
    seed(&orders, &c2).await;

    let mut expected: Vec<Order> = c1
        .iter()
        .chain(&c2)
        .filter(|o| o.status == Status::Shipped)
        .cloned()
        .collect();
    expected.sort_by(|a, b| a.ordered_at.cmp(&b.ordered_at));

    let mut read = Vec::new();
    let mut cursor: Option<Cursor<OrderByStatusKey>> = None;
    loop {
        let page = Order::query_by_status(&Status::Shipped)
            .on(&orders)
            .limit(4)
            .after(cursor)
            .await
            .unwrap();
        if let (Some(cursor), Some(last)) = (&page.cursor, page.items.last()) {
            // The index's key and the table's.
            assert_eq!(
                cursor.key(),
                &OrderByStatusKey {
                    customer_id: last.customer_id.clone(),
                    ordered_at: last.ordered_at.clone(),
                    status: Status::Shipped,
                }
            );
            assert_eq!(cursor.key().key(), last.key());
        }
        read.extend(page.items);
        match page.cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert_eq!(read, expected);

    let streamed: Vec<Order> = Order::query_by_status(&Status::Shipped)
        .on(&orders)
        .limit(3)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(streamed, expected);
    let march = orders
        .query_index::<OrderByStatusKey>(&Status::Shipped)
        .sort_key(SortKey::begins_with("2024-03"))
        .descending()
        .all()
        .await
        .unwrap();
    assert_eq!(march, c2.iter().rev().cloned().collect::<Vec<_>>());
    let placed = Order::query_by_status(&Status::Placed)
        .on(&orders)
        .all()
        .await
        .unwrap();
    assert_eq!(placed.len(), 5);
}

#[tokio::test]
async fn a_local_index_with_include_returns_its_typed_view() {
    let orders = fresh_table::<Order>("query-lsi").await;
    let mine = orders_of("c1", 8);
    seed(&orders, &mine).await;
    seed(&orders, &orders_of("c2", 3)).await;

    let view = |o: &Order| OrderByTotalItem {
        customer_id: o.customer_id.clone(),
        ordered_at: o.ordered_at.clone(),
        status: o.status,
        total_cents: o.total_cents,
    };
    // Totals decrease with the day: the index reads them the other way round.
    let expected: Vec<OrderByTotalItem> = mine.iter().rev().map(view).collect();
    let pages: Vec<_> = Order::query_by_total("c1")
        .on(&orders)
        .limit(3)
        .pages()
        .try_collect()
        .await
        .unwrap();
    let cursor = pages[0].cursor.clone().unwrap();
    assert_eq!(
        cursor.key(),
        &OrderByTotalKey {
            customer_id: "c1".into(),
            ordered_at: expected[2].ordered_at.clone(),
            total_cents: expected[2].total_cents,
        }
    );
    let read: Vec<OrderByTotalItem> = pages.into_iter().flat_map(|p| p.items).collect();
    assert_eq!(read, expected);

    let between = Order::query_by_total("c1")
        .on(&orders)
        .sort_key(SortKey::between(9_940u64, 9_960u64))
        .consistent_read()
        .all()
        .await
        .unwrap();
    assert_eq!(between, expected[1..4]);
    // The view's table key reads the whole item.
    let full = orders.get(&between[0].key()).await.unwrap();
    assert_eq!(full.as_ref(), mine.iter().find(|o| o.total_cents == 9_940));
    // The view is the index's, not `Order`'s: only what the index holds.
    assert_eq!(
        <OrderByTotalItem as Projected>::ATTRIBUTES,
        ["customer_id", "ordered_at", "status", "total_cents"]
    );
}

#[tokio::test]
async fn a_sparse_keys_only_index_holds_only_items_with_its_key() {
    let table = fresh_table::<Reading>("query-sparse").await;
    let all = readings();
    seed(&table, &all).await;

    let mut expected: Vec<ReadingByAlertItem> = all
        .iter()
        .filter_map(|r| {
            Some(ReadingByAlertItem {
                sensor: r.sensor.clone(),
                at: r.at,
                // Not an `Option` in the view: every item in the index has it.
                alert: r.alert.clone()?,
            })
        })
        .collect();
    expected.sort_by_key(|r| r.at);
    assert_eq!(expected.len(), 4 + 5);

    let mut read = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut query = Reading::query_by_alert("high").on(&table).limit(2);
        if let Some(token) = &token {
            query = query.after_token(token);
        }
        let page = query.await.unwrap();
        token = page.next_token();
        read.extend(page.items);
        if token.is_none() {
            break;
        }
    }
    assert_eq!(read, expected);
    let low = Reading::query_by_alert("low")
        .on(&table)
        .all()
        .await
        .unwrap();
    assert!(low.is_empty());
    let recent = Reading::query_by_alert("high")
        .on(&table)
        .sort_key(SortKey::ge(9u64))
        .all()
        .await
        .unwrap();
    assert_eq!(recent, expected[3..]);
}

#[tokio::test]
async fn indexes_without_a_sort_key_and_local_keys_only_indexes() {
    let table = fresh_table::<Reading>("query-views").await;
    let all = readings();
    seed(&table, &all).await;

    // `bySite`: no sort key, includes the renamed `value`.
    let mut north: Vec<ReadingBySiteItem> = Reading::query_by_site("north")
        .on(&table)
        .limit(4)
        .stream()
        .try_collect()
        .await
        .unwrap();
    north.sort_by(|a, b| (&a.sensor, a.at).cmp(&(&b.sensor, b.at)));
    let expected: Vec<ReadingBySiteItem> = all
        .iter()
        .filter(|r| r.site == "north")
        .map(|r| ReadingBySiteItem {
            sensor: r.sensor.clone(),
            at: r.at,
            site: r.site.clone(),
            value: r.value,
        })
        .collect();
    assert_eq!(north, expected);

    // `by_value`: the table's partition key, sorted by value.
    let low: Vec<ReadingByValueItem> = Reading::query_by_value("s1")
        .on(&table)
        .sort_key(SortKey::le(10i64))
        .consistent_read()
        .all()
        .await
        .unwrap();
    assert_eq!(
        low.iter().map(|r| (r.at, r.value)).collect::<Vec<_>>(),
        [(11, -5), (10, 0), (9, 5), (8, 10)]
    );
    let page = Reading::query_by_value("s1")
        .on(&table)
        .limit(5)
        .descending()
        .await
        .unwrap();
    assert_eq!(page.items[0].value, 50);
    let cursor = page.cursor.unwrap();
    assert_eq!(
        cursor.key(),
        &ReadingByValueKey {
            sensor: "s1".into(),
            at: 4,
            value: 30,
        }
    );
}

#[tokio::test]
async fn a_table_without_a_sort_key_answers_with_at_most_one_item() {
    let users = fresh_table::<User>("query-pk-only").await;
    let ada = User {
        id: "u1".into(),
        name: "Ada".into(),
        email: None,
        age: 36,
    };
    users.put(&ada).await.unwrap();
    let page = users.query("u1").await.unwrap();
    assert_eq!(page.items, std::slice::from_ref(&ada));
    assert!(page.cursor.is_none());
    let page = User::query("nobody").on(&users).await.unwrap();
    assert!(page.items.is_empty());
    assert!(page.cursor.is_none());
    let streamed: Vec<User> = users
        .query("u1")
        .limit(1)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(streamed, [ada]);
}

#[tokio::test]
async fn a_limit_that_ends_exactly_at_the_last_item_ends_cleanly() {
    // DynamoDB returns a cursor with the last full page and the next page is
    // empty; moto returns no cursor. Both must end with every item, once.
    let orders = fresh_table::<Order>("query-exact-limit").await;
    let mine = orders_of("c1", 6);
    seed(&orders, &mine).await;
    let first = orders.query("c1").limit(3).await.unwrap();
    assert_eq!(first.items, mine[..3]);
    let second = orders
        .query("c1")
        .limit(3)
        .after(first.cursor)
        .await
        .unwrap();
    assert_eq!(second.items, mine[3..]);
    if let Some(cursor) = second.cursor {
        let third = orders.query("c1").limit(3).after(cursor).await.unwrap();
        assert!(third.items.is_empty());
        assert!(third.cursor.is_none());
    }
    let pages: Vec<_> = orders
        .query("c1")
        .limit(3)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert!(matches!(pages.len(), 2 | 3), "{} pages", pages.len());
    assert!(pages.last().unwrap().cursor.is_none());
    let streamed: Vec<Order> = orders
        .query("c1")
        .limit(3)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(streamed, mine);
    // A last page the filter empties, without a cursor, ends the stream too.
    let mut seven = orders_of("c2", 7);
    seven[6].status = Status::Delivered;
    seed(&orders, &seven).await;
    let pages: Vec<_> = orders
        .query("c2")
        .filter(Order::fields().status.ne(Status::Delivered))
        .limit(3)
        .pages()
        .try_collect()
        .await
        .unwrap();
    let last = pages.last().unwrap();
    assert!(last.items.is_empty() && last.cursor.is_none());
    assert_eq!(
        pages.into_iter().flat_map(|p| p.items).collect::<Vec<_>>(),
        seven[..6]
    );
    // A stream over an empty partition ends at once.
    let none: Vec<Order> = orders
        .query("c9")
        .limit(3)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert!(none.is_empty());
}

#[tokio::test]
async fn cursors_round_trip_through_tokens_serde_and_keys() {
    let orders = fresh_table::<Order>("query-cursor-tokens").await;
    let mine = orders_of("c1", 6);
    seed(&orders, &mine).await;

    let page = orders.query("c1").limit(2).await.unwrap();
    let cursor = page.cursor.clone().unwrap();
    let token = page.next_token().unwrap();
    assert!(
        token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
        "not URL-safe: {token}"
    );
    assert_eq!(cursor.to_string(), token);
    assert_eq!(Cursor::<OrderKey>::from_token(&token).unwrap(), cursor);
    assert_eq!(token.parse::<Cursor<OrderKey>>().unwrap(), cursor);
    let json = serde_json::to_string(&cursor).unwrap();
    assert_eq!(json, format!("\"{token}\""));
    assert_eq!(
        serde_json::from_str::<Cursor<OrderKey>>(&json).unwrap(),
        cursor
    );
    assert!(serde_json::from_str::<Cursor<OrderKey>>("\"garbage\"").is_err());

    // A cursor made from a known key resumes after that item.
    let after_third = Cursor::new(mine[2].key()).unwrap();
    let rest = orders.query("c1").after(after_third).all().await.unwrap();
    assert_eq!(rest, mine[3..]);
    let empty = Cursor::new(OrderKey {
        customer_id: "c1".into(),
        ordered_at: String::new(),
    });
    assert_cursor_error(empty);

    // Index cursors carry the index's keys and the table's.
    let status_page = Order::query_by_status(&Status::Placed)
        .on(&orders)
        .limit(1)
        .await
        .unwrap();
    let status_token = status_page.next_token().unwrap();
    let status_cursor = Cursor::<OrderByStatusKey>::from_token(&status_token).unwrap();
    assert_eq!(status_cursor.key().status, Status::Placed);
    assert_eq!(status_cursor.key().ordered_at, mine[0].ordered_at);
    let next = Order::query_by_status(&Status::Placed)
        .on(&orders)
        .after_token(&status_token)
        .all()
        .await
        .unwrap();
    assert_eq!(next, [mine[2].clone(), mine[4].clone()]);
}

#[tokio::test]
async fn tampered_and_foreign_cursors_are_validation_errors_naming_cursor() {
    let orders = fresh_table::<Order>("query-bad-cursors").await;
    seed(&orders, &orders_of("c1", 4)).await;
    seed(&orders, &orders_of("c2", 4)).await;
    let table_token = orders
        .query("c1")
        .limit(1)
        .await
        .unwrap()
        .next_token()
        .unwrap();
    let status_token = Order::query_by_status(&Status::Placed)
        .on(&orders)
        .limit(1)
        .await
        .unwrap()
        .next_token()
        .unwrap();
    let total_token = Order::query_by_total("c1")
        .on(&orders)
        .limit(1)
        .await
        .unwrap()
        .next_token()
        .unwrap();
    let users = fresh_table::<User>("query-bad-cursors-users").await;
    let user = User {
        id: "u1".into(),
        name: "Ada".into(),
        email: None,
        age: 36,
    };
    users.put(&user).await.unwrap();
    let user_cursor = Cursor::new(user.key()).unwrap().to_token();

    let on_table = |token: String| {
        let orders = orders.clone();
        async move { orders.query("c1").after_token(&token).await }
    };
    // Not a cursor at all.
    for garbage in [
        "",
        "!!!",
        "aGVsbG8",
        &token("not json"),
        &token("{}"),
        &token("[1]"),
    ] {
        let message = assert_cursor_error(on_table(garbage.to_owned()).await);
        assert!(message.starts_with("not a cursor"), "{garbage}: {message}");
    }
    // Another table, another index.
    for foreign in [&user_cursor, &status_token, &total_token] {
        let message = assert_cursor_error(on_table(foreign.clone()).await);
        assert!(message.contains("another table or index"), "{message}");
    }
    assert_cursor_error(
        Order::query_by_total("c1")
            .on(&orders)
            .after_token(&table_token)
            .await,
    );
    assert_cursor_error(
        Order::query_by_status(&Status::Placed)
            .on(&orders)
            .after_token(&total_token)
            .await,
    );
    // Another partition than the query's.
    let message = assert_cursor_error(orders.query("c2").after_token(&table_token).await);
    assert!(message.contains("another `customer_id`"), "{message}");
    assert_cursor_error(
        Order::query_by_status(&Status::Shipped)
            .on(&orders)
            .after_token(&status_token)
            .await,
    );
    assert_cursor_error(
        orders
            .query("c2")
            .after(
                Cursor::new(OrderKey {
                    customer_id: "c1".into(),
                    ordered_at: "x".into(),
                })
                .unwrap(),
            )
            .await,
    );
    // Edited keys: wrong type, missing, extra, empty, unknown fields.
    for json in [
        r#"{"table":"Orders","key":{"customer_id":{"N":"1"},"ordered_at":{"S":"x"}}}"#,
        r#"{"table":"Orders","key":{"customer_id":{"S":"c1"}}}"#,
        r#"{"table":"Orders","key":{"customer_id":{"S":"c1"},"ordered_at":{"S":"x"},"status":{"S":"PLACED"}}}"#,
        r#"{"table":"Orders","key":{"customer_id":{"S":"c1"},"ordered_at":{"S":""}}}"#,
        r#"{"table":"Orders","key":{"customer_id":{"S":"c1"},"ordered_at":{"BOOL":true}}}"#,
        r#"{"table":"Orders","key":{"customer_id":{"S":"c1"},"ordered_at":{"S":"x"}},"extra":1}"#,
        r#"{"table":"Orders","index":"by_status","key":{"customer_id":{"S":"c1"},"ordered_at":{"S":"x"}}}"#,
    ] {
        assert_cursor_error(on_table(token(json)).await);
    }
    let status_json = |status: &str| {
        token(&format!(
            r#"{{"table":"Orders","index":"by_status","key":{{"customer_id":{{"S":"c1"}},"ordered_at":{{"S":"x"}},"status":{{"S":"{status}"}}}}}}"#
        ))
    };
    // A value of the key's DynamoDB type that the field cannot hold.
    let message = assert_cursor_error(
        Order::query_by_status(&Status::Placed)
            .on(&orders)
            .after_token(&status_json("LOST"))
            .await,
    );
    assert!(message.contains("unknown variant"), "{message}");
    // The same edit with a valid value is accepted: a token can only move
    // a reader within the partition it queries.
    let page = Order::query_by_status(&Status::Placed)
        .on(&orders)
        .after_token(&status_json("PLACED"))
        .await
        .unwrap();
    assert!(page.items.iter().all(|o| o.status == Status::Placed));
    // Numbers that do not fit the field.
    let readings_table = fresh_table::<Reading>("query-bad-cursor-numbers").await;
    for at in ["abc", "1.5", "-1"] {
        let json = format!(
            r#"{{"table":"Readings","key":{{"sensor":{{"S":"s1"}},"at":{{"N":"{at}"}}}}}}"#
        );
        let message = assert_cursor_error(
            Reading::query("s1")
                .on(&readings_table)
                .after_token(&token(&json))
                .await,
        );
        assert!(message.contains("`at`"), "{message}");
    }
}

#[tokio::test]
async fn key_values_and_options_are_checked_before_sending() {
    let orders = fresh_table::<Order>("query-bad-input").await;
    assert_eq!(validation_attribute(orders.query("").await), "customer_id");
    assert_eq!(
        validation_attribute(orders.query("c1").sort_key(SortKey::begins_with("")).await),
        "ordered_at"
    );
    assert_eq!(
        validation_attribute(orders.query("c1").sort_key(SortKey::between("", "b")).await),
        "ordered_at"
    );
    // `query_index` takes any value and checks its type against the key's.
    assert_eq!(
        validation_attribute(orders.query_index::<OrderByStatusKey>(&5u32).await),
        "status"
    );
    assert_eq!(
        validation_attribute(orders.query_index::<OrderByStatusKey>("").await),
        "status"
    );
    assert_eq!(
        validation_attribute(orders.query("c1").limit(0).await),
        "limit"
    );
    // DynamoDB refuses bounds the wrong way round (moto does not): checked here.
    assert_eq!(
        validation_attribute(
            orders
                .query("c1")
                .sort_key(SortKey::between("b", "a"))
                .await
        ),
        "ordered_at"
    );
    let readings_table = fresh_table::<Reading>("query-bad-between").await;
    assert_eq!(
        validation_attribute(
            Reading::query("s1")
                .on(&readings_table)
                .sort_key(SortKey::between(10u64, 9u64))
                .await
        ),
        "at"
    );
    let page = Reading::query("s1")
        .on(&readings_table)
        .sort_key(SortKey::between(9u64, 9u64))
        .await
        .unwrap();
    assert!(page.items.is_empty());
}

#[tokio::test]
async fn projections_read_selected_attributes_into_typed_views() {
    let orders = fresh_table::<Order>("query-project").await;
    let mine = orders_of("c1", 5);
    seed(&orders, &mine).await;
    let totals: Vec<OrderTotal> = orders
        .query("c1")
        .project::<OrderTotal>()
        .limit(2)
        .stream()
        .try_collect()
        .await
        .unwrap();
    let expected: Vec<OrderTotal> = mine
        .iter()
        .map(|o| OrderTotal {
            customer_id: o.customer_id.clone(),
            ordered_at: o.ordered_at.clone(),
            total_cents: o.total_cents,
        })
        .collect();
    assert_eq!(totals, expected);
    let keys: Vec<OrderByTotalKey> = Order::query_by_total("c1")
        .on(&orders)
        .project::<OrderByTotalKey>()
        .all()
        .await
        .unwrap();
    assert_eq!(keys.len(), 5);

    let got = orders
        .get_projected::<OrderTotal>(&mine[1].key())
        .consistent_read()
        .await
        .unwrap();
    assert_eq!(got.as_ref(), Some(&expected[1]));
    let whole = orders.get_projected::<Order>(&mine[1].key()).await.unwrap();
    assert_eq!(whole.as_ref(), Some(&mine[1]));
    let missing = orders
        .get_projected::<OrderTotal>(&OrderKey {
            customer_id: "nobody".into(),
            ordered_at: at(0),
        })
        .await
        .unwrap();
    assert_eq!(missing, None);

    // An item without a required attribute: the partial view reads, the full
    // type names what is missing.
    let mut raw = order("c9", at(0), Status::Placed, 5).to_item().unwrap();
    raw.remove("shipping");
    orders
        .client()
        .await
        .put_item()
        .table_name(orders.name())
        .set_item(Some(raw))
        .send()
        .await
        .unwrap();
    let partial = orders
        .query("c9")
        .project::<OrderTotal>()
        .all()
        .await
        .unwrap();
    assert_eq!(partial.len(), 1);
    match orders.query("c9").project::<Order>().await {
        Err(Error::Decode(error)) => {
            assert_eq!(error.path(), "shipping");
            assert_eq!(error.kind(), &AttributeErrorKind::Missing);
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn skip_expired_drops_items_whose_time_to_live_has_passed() {
    let orders = fresh_table::<Order>("query-expired").await;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let mut mine = orders_of("c1", 4);
    mine[0].expires_at = Some(now - 3600);
    mine[1].expires_at = Some(now + 3600);
    mine[2].expires_at = None;
    mine[3].expires_at = Some(1);
    seed(&orders, &mine).await;
    assert_eq!(mine[0].expires_at(), Some((now - 3600) as i64));

    // The server keeps expired items for a while: they are still read...
    assert_eq!(orders.query("c1").all().await.unwrap(), mine);
    // ...unless asked not to.
    let live = orders
        .query("c1")
        .skip_expired()
        .limit(1)
        .all()
        .await
        .unwrap();
    assert_eq!(live, mine[1..3]);
    // A count leaves them out too, by a filter on the server.
    assert_eq!(orders.query("c1").count().await.unwrap(), 4);
    assert_eq!(orders.query("c1").skip_expired().count().await.unwrap(), 2);
    assert_eq!(orders.scan().skip_expired().count().await.unwrap(), 2);
    let by_status = Order::query_by_status(&Status::Placed)
        .on(&orders)
        .skip_expired()
        .all()
        .await
        .unwrap();
    assert_eq!(by_status, [mine[2].clone()]);
    // A projection without the time to live still filters: it is read too.
    let totals = orders
        .query("c1")
        .project::<OrderTotal>()
        .skip_expired()
        .all()
        .await
        .unwrap();
    assert_eq!(totals.len(), 2);
    // `by_total` does not project `expires_at`: it cannot tell.
    assert_eq!(
        validation_attribute(Order::query_by_total("c1").on(&orders).skip_expired().await),
        "skip_expired"
    );
}

#[test]
fn generated_index_types_describe_their_index() {
    assert_eq!(<OrderKey as IndexKey>::INDEX, None);
    assert_eq!(<OrderByStatusKey as IndexKey>::INDEX, Some("by_status"));
    assert_eq!(<OrderByTotalKey as IndexKey>::INDEX, Some("by_total"));
    assert_eq!(<ReadingBySiteKey as IndexKey>::INDEX, Some("bySite"));
    assert_eq!(
        <ReadingByAlertItem as Projected>::ATTRIBUTES,
        ["sensor", "at", "alert"]
    );
    assert_eq!(
        <ReadingBySiteItem as Projected>::ATTRIBUTES,
        ["sensor", "at", "site", "reading"]
    );
    assert_eq!(
        <Reading as Projected>::ATTRIBUTES,
        [
            "sensor",
            "at",
            "site",
            "reading",
            "alert",
            "note",
            "expires_at"
        ]
    );
    // A view decodes with the item conversion code, renames included.
    let view = ReadingBySiteItem::from_item(reading("s1", 3, "north", 7, None).to_item().unwrap())
        .unwrap();
    assert_eq!(view.value, 7);
    assert_eq!(
        view.key(),
        ReadingKey {
            sensor: "s1".into(),
            at: 3
        }
    );
    let raw = ReadingByAlertItem {
        sensor: "s1".into(),
        at: 1,
        alert: "high".into(),
    }
    .to_item()
    .unwrap();
    assert_eq!(raw.get("alert"), Some(&AttributeValue::S("high".into())));
}
