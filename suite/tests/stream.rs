//! `User::stream_handler(…)`: stream records decoded into typed changes,
//! every view type, time-to-live deletions, partial batch failures; then
//! records read from the local server's DynamoDB Streams API, and the
//! users-stream example keeping its audit table in step.

use std::collections::{BTreeSet, HashSet};
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use dynamo_lambda::stream::{
    Change, ChangeKind, DynamoDbEventResponse, Event, EventRecord, Operation, RecordError,
    RecordPart, StreamHandler,
};
use dynamo_lambda::{
    Attribute, AttributeErrorKind, AttributeValue, Blob, Error, StreamView, Table, TableClient,
    dynamo_lambda,
};
use dynamo_lambda_suite::{Capability, fresh_table, streams, supports};
use lambda_runtime::{Context, LambdaEvent, Service};
use serde_json::{Value, json};
use users_example::{User, UserKey};
use users_stream_example::{Action, UserAudit};

// The fixtures `tests/fixtures/stream/example-dynamodb-event*.json` are
// copied verbatim from aws_lambda_events 1.2.1, `src/fixtures/`.
const FIXTURE_EVENT: &str = include_str!("fixtures/stream/example-dynamodb-event.json");
const FIXTURE_NULL_ITEMS: &str =
    include_str!("fixtures/stream/example-dynamodb-event-null-items.json");
const FIXTURE_OPTIONAL_FIELDS: &str =
    include_str!("fixtures/stream/example-dynamodb-event-record-with-optional-fields.json");

const FIXTURE_SEQUENCE_NUMBER: &str = "1405400000000002063282832";

/// The items of the aws_lambda_events fixtures.
#[dynamo_lambda(table = "Example-Table", partition_key = "key", sort_key = "val")]
#[derive(Debug, Clone, PartialEq)]
struct Example {
    key: String,
    val: String,
    asdf1: Blob,
    asdf2: HashSet<Blob>,
    b2: Option<Blob>,
    #[dynamo(rename = "Binary")]
    binary: Option<Blob>,
    #[dynamo(rename = "Boolean")]
    boolean: Option<bool>,
    #[dynamo(rename = "BinarySet")]
    binary_set: HashSet<Blob>,
    #[dynamo(rename = "List")]
    list: Option<Vec<AttributeValue>>,
    #[dynamo(rename = "Map")]
    map: Option<Person>,
    #[dynamo(rename = "FloatNumber")]
    float_number: Option<f64>,
    #[dynamo(rename = "IntegerNumber")]
    integer_number: Option<i64>,
    #[dynamo(rename = "NumberSet")]
    number_set: Option<AttributeValue>,
    #[dynamo(rename = "Null")]
    null: Option<String>,
    #[dynamo(rename = "String")]
    string: Option<String>,
    #[dynamo(rename = "StringSet")]
    string_set: BTreeSet<String>,
    #[dynamo(rename = "EmptyStringSet")]
    empty_string_set: BTreeSet<String>,
}

#[derive(Debug, Clone, PartialEq, Attribute)]
struct Person {
    #[dynamo(rename = "Name")]
    name: String,
    #[dynamo(rename = "Age")]
    age: u32,
}

/// The item of the fixture with optional fields.
#[dynamo_lambda(table = "examples", partition_key = "id")]
#[derive(Debug, Clone, PartialEq)]
struct Created {
    id: String,
    created: String,
}

macro_rules! stream_users {
    ($($name:ident: $schema:literal),* $(,)?) => {$(
        /// A user in a table whose stream has another view type.
        #[dynamo_lambda(schema = $schema)]
        #[derive(Debug, Clone, PartialEq)]
        struct $name {
            id: String,
            name: String,
        }
    )*};
}

stream_users!(
    KeysOnlyUser: "tests/fixtures/stream/users-keys-only.yaml",
    NewImageUser: "tests/fixtures/stream/users-new-image.yaml",
    OldImageUser: "tests/fixtures/stream/users-old-image.yaml",
);

const USERS_ARN: &str =
    "arn:aws:dynamodb:us-east-1:123456789012:table/Users/stream/2026-03-01T00:00:00.000";

fn ada() -> User {
    User {
        id: "u1".into(),
        name: "Ada".into(),
        email: Some("ada@example.com".into()),
        age: 36,
    }
}

fn ada_renamed() -> User {
    User {
        name: "Ada Lovelace".into(),
        ..ada()
    }
}

fn image(user: &User) -> Value {
    let mut image = json!({
        "id": {"S": user.id},
        "name": {"S": user.name},
        "age": {"N": user.age.to_string()},
    });
    if let Some(email) = &user.email {
        image["mail"] = json!({"S": email});
    }
    image
}

/// A record of the Users table's stream as DynamoDB writes it for `view`:
/// only the images the view type carries.
fn record(
    event_name: &str,
    sequence_number: &str,
    view: &str,
    old: Option<&User>,
    new: Option<&User>,
) -> Value {
    let id = new.or(old).map_or("u1", |user| user.id.as_str());
    let mut dynamodb = json!({
        "ApproximateCreationDateTime": 1_772_323_200,
        "Keys": {"id": {"S": id}},
        "SequenceNumber": sequence_number,
        "SizeBytes": 100,
        "StreamViewType": view,
    });
    if let Some(new) = new.filter(|_| matches!(view, "NEW_IMAGE" | "NEW_AND_OLD_IMAGES")) {
        dynamodb["NewImage"] = image(new);
    }
    if let Some(old) = old.filter(|_| matches!(view, "OLD_IMAGE" | "NEW_AND_OLD_IMAGES")) {
        dynamodb["OldImage"] = image(old);
    }
    json!({
        "eventID": format!("event-{sequence_number}"),
        "eventName": event_name,
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": "us-east-1",
        "dynamodb": dynamodb,
        "eventSourceARN": USERS_ARN,
    })
}

fn event(records: Vec<Value>) -> Event {
    serde_json::from_value(json!({ "Records": records })).expect("a DynamoDB stream event")
}

fn event_record(record: Value) -> EventRecord {
    serde_json::from_value(record).expect("a DynamoDB stream record")
}

/// The changes the handler passed on, in order.
type Seen<T> = Arc<Mutex<Vec<Change<T>>>>;

/// The callback of [`recording`].
type Recorder<T> = Box<dyn Fn(Change<T>) -> std::future::Ready<Result<(), String>> + Send + Sync>;

/// A handler that keeps every change and fails the one with sequence number
/// `fail_at`.
fn recording<T: Table + Send + 'static>(
    fail_at: Option<&str>,
) -> (Seen<T>, StreamHandler<T, Recorder<T>>) {
    let seen: Seen<T> = Arc::default();
    let fail_at = fail_at.map(str::to_owned);
    let kept = Arc::clone(&seen);
    let handler = StreamHandler::new(Box::new(move |change: Change<T>| {
        let fail = fail_at.is_some() && change.sequence_number() == fail_at.as_deref();
        kept.lock().unwrap().push(change);
        std::future::ready(if fail {
            Err("downstream unavailable".to_owned())
        } else {
            Ok(())
        })
    }) as Recorder<T>);
    (seen, handler)
}

fn taken<T: Table>(seen: &Seen<T>) -> Vec<Change<T>> {
    std::mem::take(&mut *seen.lock().unwrap())
}

fn failures(response: &DynamoDbEventResponse) -> Vec<Option<&str>> {
    response
        .batch_item_failures
        .iter()
        .map(|failure| failure.item_identifier.as_deref())
        .collect()
}

fn sequence_numbers<T: Table>(changes: &[Change<T>]) -> Vec<&str> {
    changes
        .iter()
        .map(|change| change.sequence_number().unwrap())
        .collect()
}

fn blob(base64: &str) -> Blob {
    use base64::Engine;
    Blob::new(
        base64::engine::general_purpose::STANDARD
            .decode(base64)
            .unwrap(),
    )
}

#[tokio::test]
async fn the_aws_lambda_events_fixture_decodes_into_typed_changes() {
    let event: Event = serde_json::from_str(FIXTURE_EVENT).unwrap();
    let (seen, handler) = recording::<Example>(None);
    let response = handler.handle(event).await;
    assert_eq!(failures(&response), Vec::<Option<&str>>::new());
    let changes = taken(&seen);
    assert_eq!(changes.len(), 2);

    let key = ExampleKey {
        key: "binary".into(),
        val: "data".into(),
    };
    for change in &changes {
        assert_eq!(change.kind(), ChangeKind::Insert);
        assert_eq!(change.key(), &key);
        assert_eq!(change.old_image(), None);
        // The first record has the TTL identity, but only a removal expires.
        assert!(!change.is_expired());
        assert_eq!(change.sequence_number(), Some(FIXTURE_SEQUENCE_NUMBER));
        assert_eq!(
            change.approximate_creation_time(),
            Some(UNIX_EPOCH + Duration::from_secs(1_480_642_020))
        );
        assert_eq!(change.record.view_type, Some(StreamView::NewAndOldImages));
        assert_eq!(change.record.aws_region, "us-east-1");
        assert_eq!(change.record.size_bytes, 54);
        assert_eq!(
            change.record.event_source_arn.as_deref(),
            Some(
                "arn:aws:dynamodb:us-east-1:123456789012:table/Example-Table/stream/2016-12-01T00:00:00.000"
            )
        );
    }
    assert_eq!(changes[0].event_id(), "f07f8ca4b0b26cb9c4e5e77e69f274ee");
    assert_eq!(changes[1].event_id(), "f07f8ca4b0b26cb9c4e5e77e42f274ee");

    let first = changes[0].new_image().unwrap();
    assert_eq!(first.asdf1, blob("AAEqQQ=="));
    assert_eq!(
        first.asdf2,
        HashSet::from([blob("AAEqQQ=="), blob("QSoBAA==")])
    );
    assert_eq!(first.b2, None);
    assert_eq!(first.map, None);

    let second = changes[1].new_image().unwrap();
    assert_eq!(second.b2, Some(Blob::new(vec![0xb5, 0xeb, 0x2d])));
    assert_eq!(
        second.asdf2.len(),
        2,
        "a set keeps one of the repeated AAEqQQ=="
    );
    assert_eq!(second.binary, Some(blob("AAEqQQ==")));
    assert_eq!(second.boolean, Some(true));
    assert_eq!(second.binary_set, HashSet::from([blob("AAEqQQ==")]));
    assert_eq!(
        second.list,
        Some(vec![
            AttributeValue::S("Cookies".into()),
            AttributeValue::S("Coffee".into()),
            AttributeValue::N("3.14159".into()),
        ])
    );
    assert_eq!(
        second.map,
        Some(Person {
            name: "Joe".into(),
            age: 35,
        })
    );
    assert_eq!(second.float_number, Some(123.45));
    assert_eq!(second.integer_number, Some(123));
    assert_eq!(
        second.number_set,
        Some(AttributeValue::Ns(vec!["1234".into(), "567.8".into()]))
    );
    assert_eq!(second.null, None);
    assert_eq!(second.string.as_deref(), Some("Hello"));
    assert_eq!(
        second.string_set,
        BTreeSet::from(["Giraffe".to_owned(), "Zebra".to_owned()])
    );
    assert!(second.empty_string_set.is_empty());
}

#[tokio::test]
async fn a_record_without_keys_is_reported_and_stops_the_batch() {
    let event: Event = serde_json::from_str(FIXTURE_NULL_ITEMS).unwrap();
    let error = Change::<Example>::from_record(event.records[0].clone()).unwrap_err();
    let RecordError::Decode { part, error } = &error else {
        panic!("expected a decode error, got {error:?}");
    };
    assert_eq!(*part, RecordPart::Keys);
    assert_eq!(error.kind(), &AttributeErrorKind::Missing);
    assert_eq!(error.path(), "key");

    let (seen, handler) = recording::<Example>(None);
    let response = handler.handle(event).await;
    assert_eq!(failures(&response), [Some(FIXTURE_SEQUENCE_NUMBER)]);
    assert!(
        taken(&seen).is_empty(),
        "the record after the failed one must wait for the retry"
    );
}

#[tokio::test]
async fn a_record_with_only_the_optional_fields_decodes() {
    let record: Value = serde_json::from_str(FIXTURE_OPTIONAL_FIELDS).unwrap();
    let change = Change::<Created>::from_record(event_record(record.clone())).unwrap();
    assert_eq!(
        change.operation,
        Operation::Insert {
            key: CreatedKey {
                id: "00000000-0000-0000-0000-000000000000".into()
            },
            new: Some(Created {
                id: "00000000-0000-0000-0000-000000000000".into(),
                created: "2022-02-16T15:12:00.14Z".into(),
            }),
        }
    );
    assert_eq!(change.sequence_number(), None);
    assert_eq!(change.approximate_creation_time(), None);
    assert_eq!(change.record.view_type, None);
    assert_eq!(change.record.event_source_arn, None);

    // Its `tableName` must be the handler's table.
    let other = Change::<Example>::from_record(event_record(record.clone())).unwrap_err();
    assert!(matches!(other, RecordError::OtherTable { .. }), "{other:?}");

    // Without a sequence number a failure can only be reported for the
    // whole batch: a null itemIdentifier.
    let handler = StreamHandler::<Created, _>::new(|_| async { Err("always") });
    let response = handler.handle(event(vec![record])).await;
    assert_eq!(failures(&response), [None]);
    assert_eq!(
        serde_json::to_value(&response).unwrap(),
        json!({"batchItemFailures": [{"itemIdentifier": null}]})
    );
}

#[tokio::test]
async fn each_view_type_carries_its_images() {
    let cases = [
        ("KEYS_ONLY", StreamView::KeysOnly, false, false),
        ("NEW_IMAGE", StreamView::NewImage, true, false),
        ("OLD_IMAGE", StreamView::OldImage, false, true),
        (
            "NEW_AND_OLD_IMAGES",
            StreamView::NewAndOldImages,
            true,
            true,
        ),
    ];
    for (view, expected_view, new_images, old_images) in cases {
        let (ada, renamed) = (ada(), ada_renamed());
        let batch = event(vec![
            record("INSERT", "101", view, None, Some(&ada)),
            record("MODIFY", "102", view, Some(&ada), Some(&renamed)),
            record("REMOVE", "103", view, Some(&renamed), None),
        ]);
        let (seen, handler) = recording::<User>(None);
        let response = handler.handle(batch).await;
        assert_eq!(failures(&response), Vec::<Option<&str>>::new(), "{view}");
        let changes = taken(&seen);
        let key = UserKey { id: "u1".into() };
        let new = |user: &User| new_images.then(|| user.clone());
        let old = |user: &User| old_images.then(|| user.clone());
        let operations: Vec<_> = changes.iter().map(|c| c.operation.clone()).collect();
        assert_eq!(
            operations,
            [
                Operation::Insert {
                    key: key.clone(),
                    new: new(&ada),
                },
                Operation::Modify {
                    key: key.clone(),
                    old: old(&ada),
                    new: new(&renamed),
                },
                Operation::Remove {
                    key: key.clone(),
                    old: old(&renamed),
                    expired: false,
                },
            ],
            "{view}"
        );
        assert!(
            changes
                .iter()
                .all(|c| c.record.view_type == Some(expected_view)),
            "{view}"
        );
        assert_eq!(sequence_numbers(&changes), ["101", "102", "103"]);
    }
}

#[tokio::test]
async fn images_the_view_type_does_not_carry_are_ignored() {
    let mut keys_only = record("MODIFY", "7", "KEYS_ONLY", None, None);
    keys_only["dynamodb"]["NewImage"] = image(&ada_renamed());
    keys_only["dynamodb"]["OldImage"] = json!({"id": {"S": "u1"}, "age": {"S": "not a number"}});
    let change = Change::<User>::from_record(event_record(keys_only)).unwrap();
    assert_eq!(change.new_image(), None);
    assert_eq!(change.old_image(), None);
    assert_eq!(change.key(), &UserKey { id: "u1".into() });
}

#[tokio::test]
async fn a_removal_by_time_to_live_is_expired() {
    let grace = User {
        id: "u2".into(),
        name: "Grace".into(),
        email: None,
        age: 45,
    };
    let mut by_ttl = record("REMOVE", "201", "NEW_AND_OLD_IMAGES", Some(&grace), None);
    by_ttl["userIdentity"] = json!({"type": "Service", "principalId": "dynamodb.amazonaws.com"});
    let mut by_other_service = by_ttl.clone();
    by_other_service["userIdentity"]["principalId"] = json!("lambda.amazonaws.com");
    let by_request = record("REMOVE", "202", "NEW_AND_OLD_IMAGES", Some(&grace), None);

    let change = Change::<User>::from_record(event_record(by_ttl)).unwrap();
    assert_eq!(
        change.operation,
        Operation::Remove {
            key: UserKey { id: "u2".into() },
            old: Some(grace.clone()),
            expired: true,
        }
    );
    assert!(change.is_expired());
    for record in [by_other_service, by_request] {
        let change = Change::<User>::from_record(event_record(record)).unwrap();
        assert!(!change.is_expired());
        assert_eq!(change.old_image(), Some(&grace));
    }
}

#[tokio::test]
async fn a_decode_error_reports_that_record_and_stops_the_batch() {
    let mut bad = record("INSERT", "302", "NEW_AND_OLD_IMAGES", None, Some(&ada()));
    bad["dynamodb"]["NewImage"]["age"] = json!({"S": "forty"});
    let error = Change::<User>::from_record(event_record(bad.clone())).unwrap_err();
    assert_eq!(
        error.to_string(),
        "cannot decode NewImage: attribute `age`: expected N (number), found S (string)"
    );
    let batch = event(vec![
        record("INSERT", "301", "NEW_AND_OLD_IMAGES", None, Some(&ada())),
        bad,
        record(
            "MODIFY",
            "303",
            "NEW_AND_OLD_IMAGES",
            Some(&ada()),
            Some(&ada_renamed()),
        ),
    ]);
    let (seen, handler) = recording::<User>(None);
    let response = handler.handle(batch).await;
    assert_eq!(failures(&response), [Some("302")]);
    assert_eq!(sequence_numbers(&taken(&seen)), ["301"]);
}

#[tokio::test]
async fn an_error_of_on_change_reports_that_record_and_stops_the_batch() {
    let batch = event(
        (401..=404)
            .map(|n| {
                record(
                    "MODIFY",
                    &n.to_string(),
                    "NEW_AND_OLD_IMAGES",
                    Some(&ada()),
                    Some(&ada_renamed()),
                )
            })
            .collect(),
    );
    let (seen, handler) = recording::<User>(Some("402"));
    let response = handler.handle(batch).await;
    assert_eq!(failures(&response), [Some("402")]);
    assert_eq!(sequence_numbers(&taken(&seen)), ["401", "402"]);
}

#[tokio::test]
async fn records_of_another_table_or_operation_are_failures() {
    let mut other_table = record("INSERT", "501", "NEW_AND_OLD_IMAGES", None, Some(&ada()));
    other_table["eventSourceARN"] = json!(
        "arn:aws:dynamodb:us-east-1:123456789012:table/Orders/stream/2026-03-01T00:00:00.000"
    );
    let error = Change::<User>::from_record(event_record(other_table.clone())).unwrap_err();
    assert_eq!(
        error,
        RecordError::OtherTable {
            expected: "Users".into(),
            event_source: other_table["eventSourceARN"].as_str().unwrap().into(),
        }
    );

    let mut unknown = record("INSERT", "502", "NEW_AND_OLD_IMAGES", None, Some(&ada()));
    unknown["eventName"] = json!("UPSERT");
    let error = Change::<User>::from_record(event_record(unknown.clone())).unwrap_err();
    assert_eq!(error.to_string(), "unknown eventName `UPSERT`");

    for bad in [other_table, unknown] {
        let sequence_number = bad["dynamodb"]["SequenceNumber"]
            .as_str()
            .unwrap()
            .to_owned();
        let (seen, handler) = recording::<User>(None);
        let response = handler
            .handle(event(vec![
                bad,
                record("INSERT", "599", "NEW_AND_OLD_IMAGES", None, Some(&ada())),
            ]))
            .await;
        assert_eq!(failures(&response), [Some(sequence_number.as_str())]);
        assert!(taken(&seen).is_empty());
    }

    // A handler for a renamed table accepts that table's records only.
    let (seen, handler) = recording::<User>(None);
    let handler = handler.table_name("Orders");
    let response = handler
        .handle(event(vec![record(
            "INSERT",
            "503",
            "NEW_AND_OLD_IMAGES",
            None,
            Some(&ada()),
        )]))
        .await;
    assert_eq!(failures(&response), [Some("503")]);
    assert!(taken(&seen).is_empty());
}

#[tokio::test]
async fn the_service_answers_in_lambdas_batch_item_failure_format() {
    let batch = || {
        event(vec![
            record("INSERT", "601", "NEW_AND_OLD_IMAGES", None, Some(&ada())),
            record("REMOVE", "602", "NEW_AND_OLD_IMAGES", Some(&ada()), None),
        ])
    };
    let (_, mut handler) = recording::<User>(Some("602"));
    let response = handler
        .call(LambdaEvent::new(batch(), Context::default()))
        .await
        .unwrap();
    assert_eq!(
        serde_json::to_value(&response).unwrap(),
        json!({"batchItemFailures": [{"itemIdentifier": "602"}]})
    );

    let mut handler = User::stream_handler(|_| async { Ok::<(), Infallible>(()) });
    let response = handler
        .call(LambdaEvent::new(batch(), Context::default()))
        .await
        .unwrap();
    assert_eq!(
        serde_json::to_value(&response).unwrap(),
        json!({"batchItemFailures": []})
    );
}

#[tokio::test]
async fn on_change_can_be_a_plain_async_fn() {
    async fn on_change(change: Change<User>) -> Result<(), Error> {
        match change.operation {
            Operation::Insert { new: Some(_), .. } => Ok(()),
            _ => Err(Error::validation("operation", "only inserts here")),
        }
    }
    let response = User::stream_handler(on_change)
        .handle(event(vec![
            record("INSERT", "701", "NEW_IMAGE", None, Some(&ada())),
            record("REMOVE", "702", "KEYS_ONLY", Some(&ada()), None),
        ]))
        .await;
    assert_eq!(failures(&response), [Some("702")]);
}

// ---------------------------------------------------------------------------
// Records from the local server's DynamoDB Streams API.

/// Every record of the table's stream so far, as Lambda would deliver them.
async fn stream_event<T: Table>(table: &TableClient<T>) -> Event {
    let event = streams::stream_event(table.name())
        .await
        .unwrap_or_else(|e| panic!("reading the stream of {}: {e}", table.name()));
    serde_json::from_value(event).expect("a DynamoDB stream event")
}

fn is_ascending(sequence_numbers: &[&str]) -> bool {
    let numbers: Vec<u128> = sequence_numbers
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
    numbers.windows(2).all(|w| w[0] < w[1])
}

#[tokio::test]
async fn records_of_a_real_stream_become_changes() {
    if !supports(Capability::Streams) {
        return;
    }
    let users = fresh_table::<User>("stream").await;
    let grace = User {
        id: "u2".into(),
        name: "Grace".into(),
        email: None,
        age: 45,
    };
    let started = SystemTime::now();
    users.put(&ada()).await.unwrap();
    users
        .update(ada().key())
        .set(User::fields().name, "Ada Lovelace")
        .await
        .unwrap();
    let replaced = User {
        email: None,
        age: 37,
        ..ada_renamed()
    };
    users.put(&replaced).await.unwrap();
    users.delete(&ada().key()).await.unwrap();
    users.put(&grace).await.unwrap();

    let batch = stream_event(&users).await;
    let (seen, handler) = recording::<User>(None);
    let response = handler
        .table_name(users.name().to_owned())
        .handle(batch)
        .await;
    assert_eq!(failures(&response), Vec::<Option<&str>>::new());
    let changes = taken(&seen);
    let key = ada().key();
    let operations: Vec<_> = changes.iter().map(|c| c.operation.clone()).collect();
    assert_eq!(
        operations,
        [
            Operation::Insert {
                key: key.clone(),
                new: Some(ada()),
            },
            Operation::Modify {
                key: key.clone(),
                old: Some(ada()),
                new: Some(ada_renamed()),
            },
            Operation::Modify {
                key: key.clone(),
                old: Some(ada_renamed()),
                new: Some(replaced.clone()),
            },
            Operation::Remove {
                key: key.clone(),
                old: Some(replaced),
                expired: false,
            },
            Operation::Insert {
                key: grace.key(),
                new: Some(grace),
            },
        ]
    );
    assert!(is_ascending(&sequence_numbers(&changes)));
    let event_ids: HashSet<_> = changes.iter().map(|c| c.event_id()).collect();
    assert_eq!(event_ids.len(), changes.len());
    for change in &changes {
        assert_eq!(change.record.view_type, Some(StreamView::NewAndOldImages));
        let created = change.approximate_creation_time().unwrap();
        let since = created
            .duration_since(started - Duration::from_secs(5))
            .expect("created after the test started");
        assert!(since < Duration::from_secs(120), "{since:?}");
    }

    // The same records fail for the handler of the table's usual name.
    let (seen, handler) = recording::<User>(None);
    let response = handler.handle(stream_event(&users).await).await;
    assert_eq!(
        failures(&response),
        [changes[0].sequence_number()],
        "a record of `{}` is not one of `Users`",
        users.name()
    );
    assert!(taken(&seen).is_empty());
}

/// Writes the same changes to a table of `T` and returns what its stream's
/// records decode into.
macro_rules! real_stream_changes {
    ($ty:ident, $label:literal) => {{
        let table = fresh_table::<$ty>($label).await;
        let first = $ty {
            id: "u1".into(),
            name: "Ada".into(),
        };
        let second = $ty {
            id: "u1".into(),
            name: "Ada Lovelace".into(),
        };
        table.put(&first).await.unwrap();
        table.put(&second).await.unwrap();
        table.delete(&first.key()).await.unwrap();
        let (seen, handler) = recording::<$ty>(None);
        let response = handler
            .table_name(table.name().to_owned())
            .handle(stream_event(&table).await)
            .await;
        assert_eq!(failures(&response), Vec::<Option<&str>>::new());
        let changes = taken(&seen);
        assert_eq!(
            changes.iter().map(|c| c.kind()).collect::<Vec<_>>(),
            [ChangeKind::Insert, ChangeKind::Modify, ChangeKind::Remove]
        );
        assert!(
            changes
                .iter()
                .all(|c| c.key().id == "u1" && !c.is_expired())
        );
        (changes, first, second)
    }};
}

#[tokio::test]
async fn a_real_keys_only_stream_gives_keys_without_images() {
    if !supports(Capability::Streams) {
        return;
    }
    let (changes, _, _) = real_stream_changes!(KeysOnlyUser, "stream-keys");
    for change in &changes {
        assert_eq!(change.record.view_type, Some(StreamView::KeysOnly));
        assert_eq!((change.old_image(), change.new_image()), (None, None));
    }
}

#[tokio::test]
async fn a_real_new_image_stream_gives_new_images_only() {
    if !supports(Capability::Streams) {
        return;
    }
    let (changes, first, second) = real_stream_changes!(NewImageUser, "stream-new");
    let images: Vec<_> = changes.into_iter().map(Change::into_images).collect();
    assert_eq!(
        images,
        [(None, Some(first)), (None, Some(second)), (None, None)]
    );
}

#[tokio::test]
async fn a_real_old_image_stream_gives_old_images_only() {
    if !supports(Capability::Streams) {
        return;
    }
    let (changes, first, second) = real_stream_changes!(OldImageUser, "stream-old");
    let images: Vec<_> = changes.into_iter().map(Change::into_images).collect();
    assert_eq!(
        images,
        [(None, None), (Some(first), None), (Some(second), None)]
    );
}

// ---------------------------------------------------------------------------
// The users-stream example.

type AuditHandler = StreamHandler<
    User,
    Box<
        dyn Fn(Change<User>) -> futures_util::future::BoxFuture<'static, Result<(), Error>>
            + Send
            + Sync,
    >,
>;

/// The example's function, on the test's audit table.
fn audit_handler(audit: &TableClient<UserAudit>) -> AuditHandler {
    let audit = audit.clone();
    User::stream_handler(Box::new(move |change| {
        let audit = audit.clone();
        Box::pin(async move { users_stream_example::record(&audit, change).await })
    }))
}

async fn audit_of(audit: &TableClient<UserAudit>, user_id: &str) -> Vec<UserAudit> {
    audit.query(user_id).all().await.unwrap()
}

#[tokio::test]
async fn the_example_keeps_the_audit_table_in_step_with_a_real_stream() {
    if !supports(Capability::Streams) {
        return;
    }
    let users = fresh_table::<User>("stream-example").await;
    let audit = fresh_table::<UserAudit>("stream-example").await;
    users.put(&ada()).await.unwrap();
    users
        .update(ada().key())
        .set(User::fields().name, "Ada Lovelace")
        .remove(User::fields().email)
        .await
        .unwrap();
    users.delete(&ada().key()).await.unwrap();

    let handler = audit_handler(&audit).table_name(users.name().to_owned());
    let batch = stream_event(&users).await;
    let response = handler.handle(batch.clone()).await;
    assert_eq!(failures(&response), Vec::<Option<&str>>::new());

    let entries = audit_of(&audit, "u1").await;
    let summary: Vec<_> = entries
        .iter()
        .map(|e| {
            (
                e.action,
                e.name_before.as_deref(),
                e.name_after.as_deref(),
                e.email_before.as_deref(),
                e.email_after.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                Action::Created,
                None,
                Some("Ada"),
                None,
                Some("ada@example.com")
            ),
            (
                Action::Updated,
                Some("Ada"),
                Some("Ada Lovelace"),
                Some("ada@example.com"),
                None
            ),
            (Action::Deleted, Some("Ada Lovelace"), None, None, None),
        ]
    );
    for (entry, record) in entries.iter().zip(&batch.records) {
        let sequence_number = record.change.sequence_number.as_deref().unwrap();
        assert_eq!(entry.sequence_number.len(), 40);
        assert_eq!(
            entry.sequence_number.trim_start_matches('0'),
            sequence_number
        );
        assert_eq!(entry.event_id, record.event_id);
        assert!(entry.changed_at.is_some());
    }

    // Lambda delivers the batch again: nothing is added or changed.
    let response = handler.handle(batch).await;
    assert_eq!(failures(&response), Vec::<Option<&str>>::new());
    assert_eq!(audit_of(&audit, "u1").await, entries);
}

fn example_event(file: &str) -> Event {
    let path = format!(
        "{}/../examples/users-stream/events/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[tokio::test]
async fn the_examples_sample_events_give_the_audit_they_describe() {
    let audit = fresh_table::<UserAudit>("stream-events").await;
    let handler = audit_handler(&audit);
    for file in [
        "01-insert.json",
        "02-modify.json",
        "03-remove.json",
        "04-ttl-remove.json",
    ] {
        let response = handler.handle(example_event(file)).await;
        assert_eq!(failures(&response), Vec::<Option<&str>>::new(), "{file}");
    }
    let actions: Vec<_> = audit_of(&audit, "u1")
        .await
        .iter()
        .map(|e| (e.action, e.name_after.clone()))
        .collect();
    assert_eq!(
        actions,
        [
            (Action::Created, Some("Ada".to_owned())),
            (Action::Updated, Some("Ada Lovelace".to_owned())),
            (Action::Deleted, None),
        ]
    );
    let expired = audit_of(&audit, "u2").await;
    assert_eq!(expired.len(), 1);
    assert_eq!(expired[0].action, Action::Expired);
    assert_eq!(expired[0].name_before.as_deref(), Some("Grace"));
    assert_eq!(expired[0].changed_at, Some(1_772_326_800));

    // The bad record is reported, the one after it waits; a retry of the
    // batch does not write the first record twice.
    for _ in 0..2 {
        let response = handler.handle(example_event("05-bad-record.json")).await;
        assert_eq!(failures(&response), [Some("100000000000000000006")]);
        assert_eq!(audit_of(&audit, "u3").await.len(), 1);
        assert!(audit_of(&audit, "u4").await.is_empty());
        assert!(audit_of(&audit, "u5").await.is_empty());
    }
}
