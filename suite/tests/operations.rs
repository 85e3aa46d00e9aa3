//! get / put / create / delete against the local DynamoDB server, each test
//! on its own table.

use dynamo_lambda::aws_sdk_dynamodb::types::AttributeValue;
use dynamo_lambda::{AttributeErrorKind, Error, ErrorKind, Item, Table, TableClient};
use dynamo_lambda_suite::{fresh_table, local_client};
use orders_example::{Address, Line, Order, OrderKey, Status};
use users_example::{User, UserKey};

fn ada() -> User {
    User {
        id: "u-ada".into(),
        name: "Ada Lovelace".into(),
        email: Some("ada@example.com".into()),
        age: 36,
    }
}

fn key(id: &str) -> UserKey {
    UserKey { id: id.into() }
}

#[tokio::test]
async fn get_of_a_missing_item_is_none() {
    let users = fresh_table::<User>("missing").await;
    assert_eq!(users.get(&key("nobody")).await.unwrap(), None);
    assert_eq!(
        users.get(&key("nobody")).consistent_read().await.unwrap(),
        None
    );
}

#[tokio::test]
async fn put_then_get_returns_the_item() {
    let users = fresh_table::<User>("put-get").await;
    let user = ada();
    users.put(&user).await.unwrap();
    assert_eq!(users.get(&user.key()).await.unwrap(), Some(user.clone()));
    assert_eq!(
        users.get(&user.key()).consistent_read().await.unwrap(),
        Some(user)
    );
}

#[tokio::test]
async fn put_replaces_and_renamed_attribute_is_stored_under_its_name() {
    let users = fresh_table::<User>("replace").await;
    users.put(&ada()).await.unwrap();
    let older = User {
        age: 37,
        email: None,
        ..ada()
    };
    users.put(&older).await.unwrap();
    assert_eq!(users.get(&key("u-ada")).await.unwrap(), Some(older));

    users.put(&ada()).await.unwrap();
    let raw = raw_item(&users, "id", "u-ada").await;
    assert_eq!(
        raw.get("mail"),
        Some(&AttributeValue::S("ada@example.com".into()))
    );
    assert!(!raw.contains_key("email"));
}

#[tokio::test]
async fn none_is_stored_as_no_attribute() {
    let users = fresh_table::<User>("none").await;
    let user = User {
        email: None,
        ..ada()
    };
    users.put(&user).await.unwrap();
    let raw = raw_item(&users, "id", "u-ada").await;
    assert!(!raw.contains_key("mail"), "{raw:?}");
    assert_eq!(users.get(&user.key()).await.unwrap(), Some(user));
}

#[tokio::test]
async fn create_refuses_an_existing_key_and_keeps_the_first_item() {
    let users = fresh_table::<User>("create").await;
    users.create(&ada()).await.unwrap();
    let impostor = User {
        name: "Impostor".into(),
        ..ada()
    };
    let error = users.create(&impostor).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::AlreadyExists, "{error}");
    assert!(error.to_string().contains("u-ada"), "{error}");
    assert_eq!(users.get(&key("u-ada")).await.unwrap(), Some(ada()));
}

#[tokio::test]
async fn delete_returns_the_old_item_or_none() {
    let users = fresh_table::<User>("delete").await;
    users.put(&ada()).await.unwrap();
    assert_eq!(users.delete(&key("u-ada")).await.unwrap(), Some(ada()));
    assert_eq!(users.delete(&key("u-ada")).await.unwrap(), None);
    assert_eq!(users.get(&key("u-ada")).await.unwrap(), None);
}

#[tokio::test]
async fn empty_key_is_refused_before_any_request() {
    // A table that does not exist: an error from the server would be a
    // `Service` error, so a `Validation` error proves no request was sent.
    let users = TableClient::<User>::new(local_client().await, "NoSuchTable-empty-key");
    let error = users.get(&key("")).await.unwrap_err();
    assert!(
        matches!(&error, Error::Validation { attribute: Some(a), .. } if a == "id"),
        "{error:?}"
    );
    let error = users
        .put(&User {
            id: String::new(),
            ..ada()
        })
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Validation { attribute: Some(a), .. } if a == "id"),
        "{error:?}"
    );
    assert_eq!(
        users.delete(&key("")).await.unwrap_err().kind(),
        ErrorKind::Validation
    );
}

#[tokio::test]
async fn missing_table_is_a_service_error_with_the_aws_code() {
    let users = TableClient::<User>::new(local_client().await, "NoSuchTable-service");
    let error = users.get(&key("u-ada")).await.unwrap_err();
    assert!(
        matches!(&error, Error::Service { code: Some(c), .. } if c == "ResourceNotFoundException"),
        "{error:?}"
    );
}

#[tokio::test]
async fn wrong_type_in_the_table_is_a_decode_error_naming_the_attribute() {
    let users = fresh_table::<User>("wrong-type").await;
    let mut item = ada().to_item().unwrap();
    item.insert("age".into(), AttributeValue::S("thirty-six".into()));
    put_raw(&users, item).await;
    let error = users.get(&key("u-ada")).await.unwrap_err();
    let Error::Decode(decode) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(decode.path(), "age");
    assert_eq!(
        decode.kind(),
        &AttributeErrorKind::WrongType {
            expected: "N (number)",
            found: "S (string)"
        }
    );
    assert_eq!(
        error.to_string(),
        "cannot decode item: attribute `age`: expected N (number), found S (string)"
    );
}

#[tokio::test]
async fn missing_required_attribute_is_a_decode_error() {
    let users = fresh_table::<User>("missing-attr").await;
    let mut item = ada().to_item().unwrap();
    item.remove("name");
    put_raw(&users, item).await;
    let error = users.get(&key("u-ada")).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "cannot decode item: attribute `name`: missing required attribute"
    );
}

#[tokio::test]
async fn item_over_400_kb_is_a_validation_error_and_nothing_is_written() {
    let users = fresh_table::<User>("too-large").await;
    let huge = User {
        name: "x".repeat(410 * 1024),
        ..ada()
    };
    let error = users.put(&huge).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Validation, "{error:?}");
    assert_eq!(users.get(&huge.key()).await.unwrap(), None);
}

fn order(at: &str) -> Order {
    Order {
        customer_id: "c-1".into(),
        ordered_at: at.into(),
        status: Status::Placed,
        lines: vec![
            Line {
                sku: "sku-1".into(),
                quantity: 2,
                unit_cents: 250,
            },
            Line {
                sku: "sku-2".into(),
                quantity: 1,
                unit_cents: 1000,
            },
        ],
        total_cents: 1500,
        tags: ["gift".to_string()].into(),
        shipping: Address {
            street: "1 Main St".into(),
            city: "Springfield".into(),
            country: "US".into(),
        },
        expires_at: Some(1_900_000_000),
    }
}

#[tokio::test]
async fn composite_keys_address_one_item_each() {
    let orders = fresh_table::<Order>("pk-sk").await;
    let first = order("2026-01-01T10:00:00Z");
    let second = Order {
        status: Status::Shipped,
        tags: Default::default(),
        ..order("2026-02-01T10:00:00Z")
    };
    orders.put(&first).await.unwrap();
    orders.put(&second).await.unwrap();
    assert_eq!(orders.get(&first.key()).await.unwrap(), Some(first.clone()));
    assert_eq!(
        orders.get(&second.key()).await.unwrap(),
        Some(second.clone())
    );
    let other = OrderKey {
        customer_id: "c-2".into(),
        ordered_at: first.ordered_at.clone(),
    };
    assert_eq!(orders.get(&other).await.unwrap(), None);
    assert_eq!(orders.delete(&first.key()).await.unwrap(), Some(first));
    assert_eq!(orders.get(&second.key()).await.unwrap(), Some(second));
}

#[tokio::test]
async fn create_with_a_composite_key_only_conflicts_on_the_same_pair() {
    let orders = fresh_table::<Order>("pk-sk-create").await;
    orders.create(&order("2026-01-01T10:00:00Z")).await.unwrap();
    orders.create(&order("2026-01-02T10:00:00Z")).await.unwrap();
    let error = orders
        .create(&order("2026-01-01T10:00:00Z"))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::AlreadyExists);
}

#[tokio::test]
async fn unknown_enum_string_names_the_variants() {
    let orders = fresh_table::<Order>("bad-enum").await;
    let mut item = order("2026-01-01T10:00:00Z").to_item().unwrap();
    item.insert("status".into(), AttributeValue::S("LOST".into()));
    put_raw(&orders, item).await;
    let error = orders
        .get(&order("2026-01-01T10:00:00Z").key())
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "cannot decode item: attribute `status`: unknown variant `LOST`, expected one of `PLACED`, `SHIPPED`, `DELIVERED`"
    );
}

#[tokio::test]
async fn nested_error_paths_name_the_list_index_and_field() {
    let orders = fresh_table::<Order>("nested-path").await;
    let mut item = order("2026-01-01T10:00:00Z").to_item().unwrap();
    let Some(AttributeValue::L(lines)) = item.get_mut("lines") else {
        panic!()
    };
    let AttributeValue::M(line) = &mut lines[1] else {
        panic!()
    };
    line.insert("quantity".into(), AttributeValue::N("-1".into()));
    put_raw(&orders, item).await;
    let error = orders
        .get(&order("2026-01-01T10:00:00Z").key())
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "cannot decode item: attribute `lines[1].quantity`: number `-1` does not fit in u32"
    );
}

#[test]
fn table_definition_carries_keys_and_the_override_variable() {
    let definition = Order::DEFINITION;
    assert_eq!(definition.name, "Orders");
    assert_eq!(definition.name_env, "ORDERS_TABLE_NAME");
    assert_eq!(definition.partition_key.attribute, "customer_id");
    assert_eq!(definition.sort_key.map(|k| k.attribute), Some("ordered_at"));
    assert_eq!(User::DEFINITION.sort_key, None);
    assert_eq!(User::DEFINITION.name_env, "USERS_TABLE_NAME");
}

async fn put_raw<T: Table>(table: &TableClient<T>, item: dynamo_lambda::Attributes) {
    table
        .client()
        .await
        .put_item()
        .table_name(table.name())
        .set_item(Some(item))
        .send()
        .await
        .unwrap();
}

async fn raw_item<T: Table>(
    table: &TableClient<T>,
    key: &str,
    value: &str,
) -> dynamo_lambda::Attributes {
    table
        .client()
        .await
        .get_item()
        .table_name(table.name())
        .key(key, AttributeValue::S(value.into()))
        .send()
        .await
        .unwrap()
        .item
        .unwrap()
}

#[dynamo_lambda::dynamo_lambda(table = "Blobs", partition_key = "digest")]
#[derive(Debug, Clone, PartialEq)]
struct Blobbed {
    digest: dynamo_lambda::Blob,
    size: u32,
}

#[tokio::test]
async fn binary_keys_round_trip_and_empty_ones_are_refused() {
    let blobs = fresh_table::<Blobbed>("binary-key").await;
    assert_eq!(
        Blobbed::DEFINITION.partition_key.key_type,
        dynamo_lambda::KeyType::B
    );
    let item = Blobbed {
        digest: dynamo_lambda::Blob::new(vec![0, 1, 254, 255]),
        size: 4,
    };
    blobs.put(&item).await.unwrap();
    assert_eq!(blobs.get(&item.key()).await.unwrap(), Some(item.clone()));
    let empty = BlobbedKey {
        digest: dynamo_lambda::Blob::new(Vec::new()),
    };
    assert_eq!(
        blobs.get(&empty).await.unwrap_err().kind(),
        ErrorKind::Validation
    );
    // The key's JSON (handler requests) carries binary as base64.
    assert_eq!(
        serde_json::to_value(item.key()).unwrap(),
        serde_json::json!({"digest": "AAH+/w=="})
    );
}
