//! Entities of a shared table (`examples/shop`) against the local server:
//! every operation per entity, keys as stored, queries on an entity's own
//! key prefix across pages, the overloaded index, sparse index entries,
//! stored keys that disagree with the fields, and transactions across
//! entity types.

use dynamo_lambda::CollectionKey;
use dynamo_lambda::aws_sdk_dynamodb::types::AttributeValue;
use dynamo_lambda::{
    AttributeErrorKind, Cursor, Entity, Error, Item, TableClient, Transaction, dynamo_lambda,
    single_table,
};
use dynamo_lambda_suite::fresh_table;
use futures_util::TryStreamExt;
use shop_example::{
    Customer, CustomerKey, CustomerWithOrders, Order, OrderGsi1Key, OrderItem, OrderKey,
    OrderWithItems, ShopItem, Status,
};

fn customer(username: &str) -> Customer {
    Customer {
        username: username.into(),
        name: format!("{username} Smith"),
        email: format!("{username}@example.com"),
        version: 0,
    }
}

fn order(username: &str, order_id: &str, created_at: u64) -> Order {
    Order {
        username: username.into(),
        order_id: order_id.into(),
        created_at,
        status: Status::Placed,
        total_cents: 1_000 + created_at as i64,
    }
}

fn line(order_id: &str, item_id: &str) -> OrderItem {
    OrderItem {
        order_id: order_id.into(),
        item_id: item_id.into(),
        description: format!("item {item_id}"),
        quantity: 2,
        price_cents: 350,
    }
}

/// The raw stored item.
async fn raw<T: dynamo_lambda::Table>(
    table: &TableClient<T>,
    pk: &str,
    sk: &str,
) -> std::collections::HashMap<String, AttributeValue> {
    table
        .client()
        .await
        .get_item()
        .table_name(table.name())
        .key("PK", AttributeValue::S(pk.into()))
        .key("SK", AttributeValue::S(sk.into()))
        .consistent_read(true)
        .send()
        .await
        .expect("raw get")
        .item
        .expect("the item is stored")
}

fn s(item: &std::collections::HashMap<String, AttributeValue>, name: &str) -> String {
    item[name].as_s().expect("a string").clone()
}

#[tokio::test]
async fn entities_store_composed_keys_tags_and_index_keys() {
    let orders = fresh_table::<Order>("keys").await;
    let customers = orders.entity::<Customer>();
    let items = orders.entity::<OrderItem>();
    // A value with the delimiter, the escape and unicode in it.
    let mut c = customer("ann#1$ü");
    customers.save(&mut c).await.unwrap();
    let o = order("ann#1$ü", "o-1", 42);
    orders.put(&o).await.unwrap();
    items.put(&line("o-1", "i#1")).await.unwrap();

    let stored = raw(&customers, "CUSTOMER#ann$#1$$ü", "PROFILE").await;
    assert_eq!(s(&stored, "_type"), "Customer");
    assert_eq!(
        s(&stored, "username"),
        "ann#1$ü",
        "fields are stored as themselves too"
    );
    let stored = raw(
        &orders,
        "CUSTOMER#ann$#1$$ü",
        "ORDER#00000000000000000042#o-1",
    )
    .await;
    assert_eq!(s(&stored, "_type"), "Order");
    assert_eq!(s(&stored, "GSI1PK"), "ORDER#o-1");
    assert_eq!(s(&stored, "GSI1SK"), "ORDER");
    let stored = raw(&items, "ORDER#o-1#ITEM#i$#1", "ITEM").await;
    assert_eq!(s(&stored, "GSI1SK"), "ITEM#i$#1");

    let key = CustomerKey {
        username: "ann#1$ü".into(),
    };
    assert_eq!(
        customers.get(&key).consistent_read().await.unwrap(),
        Some(c.clone())
    );
    assert_eq!(
        orders.get(&o.key()).consistent_read().await.unwrap(),
        Some(o.clone())
    );
}

#[tokio::test]
async fn every_operation_works_on_an_entity() {
    let orders = fresh_table::<Order>("ops").await;
    let customers = orders.entity::<Customer>();
    let ann = customer("ann");
    customers.create(&ann).await.unwrap();
    assert!(matches!(
        customers.create(&ann).await,
        Err(Error::AlreadyExists { .. })
    ));
    // Versions: the stored item is at version 1; a save at a stale version is refused.
    let mut ann = customers
        .get(&ann.key())
        .consistent_read()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(ann.version, 1);
    let stale = ann.clone();
    ann.email = "ann@example.org".into();
    customers.save(&mut ann).await.unwrap();
    assert_eq!(ann.version, 2);
    assert!(
        matches!(
            customers.save(&mut stale.clone()).await,
            Err(Error::VersionConflict { .. })
        ),
        "a stale save is refused"
    );

    let o = order("ann", "o-1", 7);
    orders.put(&o).await.unwrap();
    let updated = orders
        .update(o.key())
        .set(Order::fields().status, Status::Shipped)
        .add(Order::fields().total_cents, 5)
        .await
        .unwrap();
    assert_eq!(updated.status, Status::Shipped);
    assert_eq!(updated.total_cents, o.total_cents + 5);
    let stored = raw(&orders, "CUSTOMER#ann", "ORDER#00000000000000000007#o-1").await;
    assert_eq!(
        s(&stored, "_type"),
        "Order",
        "an update keeps the tag and the keys"
    );
    assert_eq!(s(&stored, "GSI1PK"), "ORDER#o-1");

    let deleted = orders.delete(&o.key()).await.unwrap();
    assert_eq!(deleted.map(|o| o.status), Some(Status::Shipped));
    assert_eq!(orders.get(&o.key()).consistent_read().await.unwrap(), None);
    assert_eq!(
        customers.get(&ann.key()).consistent_read().await.unwrap(),
        Some(ann),
        "deleting an order leaves the customer in the same partition"
    );
}

#[tokio::test]
async fn queries_read_only_their_entity_in_key_order_across_pages() {
    let orders = fresh_table::<Order>("query").await;
    let customers = orders.entity::<Customer>();
    customers.put(&customer("ann")).await.unwrap();
    customers.put(&customer("bob")).await.unwrap();
    // Numeric order, not text order: 2 < 10 < 100.
    let times = [100_u64, 2, 10, 7, 3_000_000_000, 0, 55];
    for (i, t) in times.iter().enumerate() {
        orders
            .put(&order("ann", &format!("o-{i}"), *t))
            .await
            .unwrap();
    }
    orders.put(&order("bob", "b-1", 1)).await.unwrap();

    let mut all = Vec::new();
    let mut cursor: Option<Cursor<OrderKey>> = None;
    let mut pages = 0;
    loop {
        let page = Order::query("ann")
            .on(&orders)
            .limit(3)
            .consistent_read()
            .after(cursor.take())
            .await
            .unwrap();
        pages += 1;
        all.extend(page.items);
        match page.cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert!(pages >= 3, "{pages} pages");
    let mut sorted = times.to_vec();
    sorted.sort();
    assert_eq!(all.iter().map(|o| o.created_at).collect::<Vec<_>>(), sorted);
    assert!(all.iter().all(|o| o.username == "ann"));

    let newest: Vec<Order> = Order::query("ann")
        .on(&orders)
        .descending()
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(newest.first().map(|o| o.created_at), Some(3_000_000_000));
    assert_eq!(newest.len(), times.len());

    // The profile is the one item its query finds.
    let profiles = Customer::query("ann").on(&customers).await.unwrap();
    assert_eq!(profiles.items.len(), 1);
    assert_eq!(profiles.items[0].email, "ann@example.com");
}

#[tokio::test]
async fn the_overloaded_index_finds_an_order_and_its_items_apart() {
    let orders = fresh_table::<Order>("gsi").await;
    let items = orders.entity::<OrderItem>();
    orders.put(&order("ann", "o-1", 5)).await.unwrap();
    orders.put(&order("ann", "o-2", 6)).await.unwrap();
    for item in ["a", "b", "c"] {
        items.put(&line("o-1", item)).await.unwrap();
    }
    items.put(&line("o-2", "z")).await.unwrap();

    let found = Order::query_gsi1("o-1").on(&orders).await.unwrap();
    assert_eq!(found.items, vec![order("ann", "o-1", 5)]);
    let lines: Vec<OrderItem> = OrderItem::query_gsi1("o-1")
        .on(&items)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        lines.iter().map(|l| l.item_id.as_str()).collect::<Vec<_>>(),
        ["a", "b", "c"]
    );
    // Index pages resume from the index key, which parses back.
    let first = OrderItem::query_gsi1("o-1")
        .on(&items)
        .limit(2)
        .await
        .unwrap();
    let cursor = first.cursor.expect("a second page");
    let token = cursor.to_token();
    let cursor: Cursor<shop_example::OrderItemGsi1Key> = token.parse().unwrap();
    assert_eq!(cursor.key().order_id, "o-1");
    let rest = OrderItem::query_gsi1("o-1")
        .on(&items)
        .after(cursor)
        .await
        .unwrap();
    assert_eq!(rest.items.len(), 1);
    let _: Option<OrderGsi1Key> = None;
}

/// An entity with an optional field in an index template: only the items
/// that have it are in the index.
#[single_table(name = "Tasks", index(ByAssignee, pk = "GSI1PK", sk = "GSI1SK"))]
#[derive(Debug)]
struct Tasks;

#[dynamo_lambda(
    table = Tasks,
    entity = "Task",
    pk = "PROJECT#{project}",
    sk = "TASK#{number}",
    index(ByAssignee, pk = "USER#{assignee}", sk = "TASK#{project}#{number}"),
)]
#[derive(Debug, Clone, PartialEq)]
struct Task {
    project: String,
    number: i32,
    assignee: Option<String>,
    title: String,
}

#[tokio::test]
async fn an_optional_index_field_leaves_items_out_of_the_index() {
    let tasks = fresh_table::<Task>("sparse").await;
    let task = |number: i32, assignee: Option<&str>| Task {
        project: "p".into(),
        number,
        assignee: assignee.map(Into::into),
        title: format!("task {number}"),
    };
    for t in [
        task(-5, Some("ann")),
        task(3, None),
        task(-20, Some("ann")),
        task(1, Some("bob")),
    ] {
        tasks.put(&t).await.unwrap();
    }
    let stored = raw(&tasks, "PROJECT#p", "TASK#00000000003").await;
    assert!(!stored.contains_key("GSI1PK") && !stored.contains_key("GSI1SK"));
    let anns: Vec<Task> = Task::query_by_assignee("ann")
        .on(&tasks)
        .stream()
        .try_collect()
        .await
        .unwrap();
    // Negative numbers sort below positive ones and among themselves.
    assert_eq!(anns.iter().map(|t| t.number).collect::<Vec<_>>(), [-20, -5]);
    let all: Vec<Task> = Task::query("p")
        .on(&tasks)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        all.iter().map(|t| t.number).collect::<Vec<_>>(),
        [-20, -5, 1, 3]
    );
}

#[tokio::test]
async fn a_stored_key_that_disagrees_with_the_fields_is_a_decode_error_naming_both() {
    let orders = fresh_table::<Order>("mismatch").await;
    let o = order("ann", "o-1", 9);
    orders.put(&o).await.unwrap();
    // Another writer changed the field without the key.
    orders
        .client()
        .await
        .update_item()
        .table_name(orders.name())
        .key("PK", AttributeValue::S("CUSTOMER#ann".into()))
        .key(
            "SK",
            AttributeValue::S("ORDER#00000000000000000009#o-1".into()),
        )
        .update_expression("SET username = :u")
        .expression_attribute_values(":u", AttributeValue::S("bob".into()))
        .send()
        .await
        .unwrap();
    let error = orders.get(&o.key()).consistent_read().await.unwrap_err();
    let Error::Decode(error) = &error else {
        panic!("expected a decode error, got {error:?}");
    };
    assert!(
        matches!(error.kind(), AttributeErrorKind::KeyMismatch { .. }),
        "{error}"
    );
    let message = error.to_string();
    assert!(
        message.contains("CUSTOMER#ann") && message.contains("CUSTOMER#bob"),
        "{message}"
    );
    assert!(message.contains("PK"), "{message}");
}

#[tokio::test]
async fn an_item_of_another_entity_is_not_read_as_this_one() {
    let orders = fresh_table::<Order>("tag").await;
    let o = order("ann", "o-1", 9);
    orders.put(&o).await.unwrap();
    let mut item = o.to_item().unwrap();
    item.insert("_type".into(), AttributeValue::S("Refund".into()));
    let error = Order::from_item(item).unwrap_err();
    assert!(
        matches!(error.kind(), AttributeErrorKind::WrongEntity { found, expected: "Order" } if found == "Refund"),
        "{error}"
    );
    assert_eq!(<Order as Entity>::TAG, "Order");
}

#[tokio::test]
async fn a_transaction_writes_several_entity_types_at_once() {
    if !dynamo_lambda_suite::supports(dynamo_lambda_suite::Capability::Transactions) {
        return;
    }
    let orders = fresh_table::<Order>("transact").await;
    let items = orders.entity::<OrderItem>();
    let o = order("ann", "o-1", 1);
    let lines = [line("o-1", "a"), line("o-1", "b")];
    Transaction::new()
        .create(&orders, &o)
        .create(&items, &lines[0])
        .create(&items, &lines[1])
        .commit()
        .await
        .unwrap();
    let found: Vec<OrderItem> = OrderItem::query_gsi1("o-1")
        .on(&items)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(found, lines);
    // A second order with an item that exists: nothing is written.
    let result = Transaction::new()
        .create(&orders, &order("ann", "o-2", 2))
        .create(&items, &lines[0])
        .commit()
        .await;
    assert!(result.is_err());
    assert_eq!(
        Order::query("ann").on(&orders).await.unwrap().items,
        vec![o]
    );
}

/// A raw item of an entity type this code does not know, in `pk`.
async fn put_unknown(table: &TableClient<Order>, pk: &str, sk: &str) {
    table
        .client()
        .await
        .put_item()
        .table_name(table.name())
        .item("PK", AttributeValue::S(pk.into()))
        .item("SK", AttributeValue::S(sk.into()))
        .item("_type", AttributeValue::S("Review".into()))
        .item("GSI1PK", AttributeValue::S("ORDER#o-1".into()))
        .item("GSI1SK", AttributeValue::S("REVIEW#1".into()))
        .item("stars", AttributeValue::N("5".into()))
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn a_collection_reads_every_member_of_a_partition_across_pages() {
    let orders = fresh_table::<Order>("collection").await;
    let customers = orders.entity::<Customer>();
    customers.put(&customer("ann")).await.unwrap();
    customers.put(&customer("bob")).await.unwrap();
    for (i, t) in [30_u64, 10, 20].iter().enumerate() {
        orders
            .put(&order("ann", &format!("o-{i}"), *t))
            .await
            .unwrap();
    }
    orders.put(&order("bob", "b-1", 1)).await.unwrap();
    put_unknown(&orders, "CUSTOMER#ann", "REVIEW#1").await;

    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let page = CustomerWithOrders::query("ann")
            .on(&customers)
            .limit(2)
            .consistent_read()
            .after(cursor.take())
            .await
            .unwrap();
        seen.extend(page.items);
        // A cursor travels as a token and comes back typed to the collection.
        match page.cursor {
            Some(next) => {
                cursor = Some(
                    next.to_token()
                        .parse::<Cursor<CollectionKey<CustomerWithOrders>>>()
                        .unwrap(),
                )
            }
            None => break,
        }
    }
    // Sort key order: ORDER#… < PROFILE < REVIEW#….
    let kinds: Vec<String> = seen
        .iter()
        .map(|item| match item {
            CustomerWithOrders::Customer(c) => format!("customer {}", c.username),
            CustomerWithOrders::Order(o) => format!("order {}", o.created_at),
            CustomerWithOrders::Unknown(raw) => format!("unknown {}", raw["_type"].as_s().unwrap()),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "order 10",
            "order 20",
            "order 30",
            "customer ann",
            "unknown Review"
        ]
    );
    // The unknown item is kept whole.
    let Some(CustomerWithOrders::Unknown(raw)) = seen.last() else {
        unreachable!()
    };
    assert_eq!(raw["stars"].as_n().unwrap(), "5");
}

#[tokio::test]
async fn only_narrows_a_collection_by_key_prefix_not_by_filter() {
    let orders = fresh_table::<Order>("only").await;
    let (client, wire) = dynamo_lambda_suite::Wire::attach(orders.client().await);
    let orders = TableClient::<Order>::new(client, orders.name().to_owned());
    orders
        .entity::<Customer>()
        .put(&customer("ann"))
        .await
        .unwrap();
    for i in 0..5_u64 {
        orders
            .put(&order("ann", &format!("o-{i}"), i))
            .await
            .unwrap();
    }
    put_unknown(&orders, "CUSTOMER#ann", "REVIEW#1").await;
    let customers = orders.entity::<Customer>();
    let page = CustomerWithOrders::query("ann")
        .on(&customers)
        .limit(3)
        .only::<Order>()
        .await
        .unwrap();
    // Full pages of orders: nothing read is dropped by a filter.
    assert_eq!(
        page.items.iter().map(|o| o.created_at).collect::<Vec<_>>(),
        [0, 1, 2]
    );
    let cursor: Cursor<OrderKey> = page.cursor.expect("more orders");
    let rest = CustomerWithOrders::query("ann")
        .on(&customers)
        .only::<Order>()
        .after(cursor)
        .await
        .unwrap();
    assert_eq!(rest.items.len(), 2);
    let queries = wire.bodies("Query");
    assert!(
        queries.iter().all(|q| q.get("FilterExpression").is_none()),
        "{queries:?}"
    );
    let condition = queries[0]["KeyConditionExpression"].as_str().unwrap();
    assert!(condition.contains("begins_with"), "{condition}");
    let values = queries[0]["ExpressionAttributeValues"].to_string();
    assert!(
        values.contains("\"ORDER#\""),
        "the prefix ends on the delimiter: {values}"
    );

    // A constant sort key is matched exactly.
    let profiles = CustomerWithOrders::query("ann")
        .on(&customers)
        .only::<Customer>()
        .await
        .unwrap();
    assert_eq!(profiles.items.len(), 1);
}

#[tokio::test]
async fn an_index_collection_reads_an_order_with_its_items() {
    let orders = fresh_table::<Order>("index-collection").await;
    let items = orders.entity::<OrderItem>();
    orders.put(&order("ann", "o-1", 5)).await.unwrap();
    orders.put(&order("ann", "o-2", 6)).await.unwrap();
    for item in ["b", "a"] {
        items.put(&line("o-1", item)).await.unwrap();
    }
    items.put(&line("o-2", "z")).await.unwrap();
    put_unknown(&orders, "CUSTOMER#ann", "REVIEW#1").await;
    let all: Vec<OrderWithItems> = OrderWithItems::query("o-1")
        .on(&orders)
        .stream()
        .try_collect()
        .await
        .unwrap();
    // GSI1SK order: ITEM#a < ITEM#b < ORDER < REVIEW#1.
    assert_eq!(all.len(), 4, "{all:?}");
    assert!(matches!(&all[0], OrderWithItems::Item(i) if i.item_id == "a"));
    assert!(matches!(&all[1], OrderWithItems::Item(i) if i.item_id == "b"));
    assert_eq!(all[2], OrderWithItems::Order(order("ann", "o-1", 5)));
    assert!(matches!(&all[3], OrderWithItems::Unknown(_)));
    let lines: Vec<OrderItem> = OrderWithItems::query("o-1")
        .on(&orders)
        .only::<OrderItem>()
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(lines.len(), 2);
}

#[tokio::test]
async fn a_scan_reads_every_entity_type_of_the_table() {
    let orders = fresh_table::<Order>("scan").await;
    let customers = orders.entity::<Customer>();
    let items = orders.entity::<OrderItem>();
    customers.put(&customer("ann")).await.unwrap();
    orders.put(&order("ann", "o-1", 1)).await.unwrap();
    orders.put(&order("ann", "o-2", 2)).await.unwrap();
    items.put(&line("o-1", "a")).await.unwrap();
    put_unknown(&orders, "CUSTOMER#ann", "REVIEW#1").await;
    let all: Vec<ShopItem> = ShopItem::scan()
        .on(&customers)
        .consistent_read()
        .stream()
        .try_collect()
        .await
        .unwrap();
    let mut counts = [0; 4];
    for item in &all {
        counts[match item {
            ShopItem::Customer(_) => 0,
            ShopItem::Order(_) => 1,
            ShopItem::OrderItem(_) => 2,
            ShopItem::Unknown(_) => 3,
        }] += 1;
    }
    assert_eq!(counts, [1, 2, 1, 1], "{all:?}");
    // In segments too.
    let segmented: Vec<ShopItem> = ShopItem::scan()
        .on(&customers)
        .segments(3)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(segmented.len(), all.len());
}

/// An entity whose key fields live only in its keys.
#[dynamo_lambda(
    table = Tasks,
    entity = "Note",
    pk = "PROJECT#{project}",
    sk = "NOTE#{at}#{author}",
)]
#[derive(Debug, Clone, PartialEq)]
struct Note {
    #[dynamo(key_only)]
    project: String,
    #[dynamo(key_only)]
    at: u64,
    author: String,
    text: String,
}

#[tokio::test]
async fn key_only_fields_are_stored_in_the_keys_and_read_back_from_them() {
    let tasks = fresh_table::<Task>("key-only").await;
    let notes = tasks.entity::<Note>();
    let note = Note {
        project: "p#1".into(),
        at: 17,
        author: "ann".into(),
        text: "hello".into(),
    };
    notes.put(&note).await.unwrap();
    let stored = raw(&notes, "PROJECT#p$#1", "NOTE#00000000000000000017#ann").await;
    assert!(
        !stored.contains_key("project") && !stored.contains_key("at"),
        "{stored:?}"
    );
    assert_eq!(
        s(&stored, "author"),
        "ann",
        "a field not marked key_only is kept"
    );
    assert_eq!(
        notes.get(&note.key()).consistent_read().await.unwrap(),
        Some(note.clone())
    );
    let found: Vec<Note> = Note::query("p#1")
        .on(&notes)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(found, vec![note]);
}

#[tokio::test]
async fn count_pages_through_the_size_limit_without_reading_items() {
    let orders = fresh_table::<Order>("count").await;
    let (client, wire) = dynamo_lambda_suite::Wire::attach(orders.client().await);
    let orders = TableClient::<Order>::new(client, orders.name().to_owned());
    let customers = orders.entity::<Customer>();
    customers.put(&customer("ann")).await.unwrap();
    // 40 orders of ~30 KB: more than DynamoDB's 1 MB a page reads.
    let mut big = order("ann", "o", 0);
    for i in 0..40_u64 {
        big.order_id = format!("o-{i}");
        big.created_at = i;
        big.total_cents = i as i64;
        orders.put(&big).await.unwrap();
        let padding = "x".repeat(30_000);
        orders
            .client()
            .await
            .update_item()
            .table_name(orders.name())
            .key("PK", AttributeValue::S("CUSTOMER#ann".into()))
            .key("SK", AttributeValue::S(format!("ORDER#{i:020}#o-{i}")))
            .update_expression("SET padding = :p")
            .expression_attribute_values(":p", AttributeValue::S(padding))
            .send()
            .await
            .unwrap();
    }
    assert_eq!(Order::query("ann").on(&orders).count().await.unwrap(), 40);
    assert_eq!(
        CustomerWithOrders::query("ann")
            .on(&customers)
            .count()
            .await
            .unwrap(),
        41
    );
    let cheap = Order::query("ann")
        .on(&orders)
        .filter(Order::fields().total_cents.lt(10))
        .count()
        .await
        .unwrap();
    assert_eq!(cheap, 10, "the count is after the filter");
    assert_eq!(ShopItem::scan().on(&customers).count().await.unwrap(), 41);
    let counts = wire.bodies("Query");
    assert!(counts.iter().any(|q| q["Select"] == "COUNT"));
    assert!(
        counts.iter().filter(|q| q["Select"] == "COUNT").count() > 3,
        "several pages: {}",
        counts.len()
    );
}

#[tokio::test]
async fn changing_a_key_field_moves_the_item_in_one_transaction() {
    if !dynamo_lambda_suite::supports(dynamo_lambda_suite::Capability::Transactions) {
        return;
    }
    let orders = fresh_table::<Order>("rekey").await;
    let o = order("ann", "o-1", 5);
    orders.put(&o).await.unwrap();
    let mut moved = o.clone();
    moved.username = "bob".into();
    orders.rekey(&o.key(), &moved).await.unwrap();
    assert_eq!(orders.get(&o.key()).consistent_read().await.unwrap(), None);
    assert_eq!(
        orders.get(&moved.key()).consistent_read().await.unwrap(),
        Some(moved.clone())
    );
    assert_eq!(
        Order::query_gsi1("o-1").on(&orders).await.unwrap().items,
        vec![moved.clone()]
    );
    // The old item is gone now: moving it again is refused, and nothing is written.
    let mut again = moved.clone();
    again.username = "cid".into();
    assert!(matches!(
        orders.rekey(&o.key(), &again).await,
        Err(Error::TransactionCanceled { .. })
    ));
    assert_eq!(
        orders.get(&again.key()).consistent_read().await.unwrap(),
        None
    );
    assert!(matches!(
        orders.rekey(&moved.key(), &moved).await,
        Err(Error::Validation { .. })
    ));
}
