//! The handler's JSON is the struct's serde JSON: keys, items, update
//! fields and query results use the names serde gives the fields
//! (`rename`, `rename_all`, raw identifiers), and a request that names
//! what the table does not have is refused.

use dynamo_lambda::{Error, Handler, Response, Table, dynamo_lambda};
use dynamo_lambda_suite::fresh_table;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

#[dynamo_lambda(table = "Devices", partition_key = "device_id", sort_key = "type")]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Device {
    #[serde(rename = "id")]
    device_id: String,
    r#type: String,
    display_name: String,
    #[serde(alias = "fw")]
    firmware_version: Option<u32>,
    login_count: u64,
}

fn device() -> Device {
    Device {
        device_id: "d1".into(),
        r#type: "sensor".into(),
        display_name: "Hall".into(),
        firmware_version: None,
        login_count: 1,
    }
}

fn json_of<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap()
}

async fn call(handler: &Handler<Device>, payload: Value) -> Result<Value, Error> {
    handler.handle(payload).await.map(|r| json_of(&r))
}

#[tokio::test]
async fn keys_updates_and_queries_use_the_serde_names() {
    let handler = Handler::new(fresh_table::<Device>("json-names").await);
    let item = device();
    let key = json_of(&item.key());
    assert_eq!(key, json!({"id": "d1", "type": "sensor"}));

    call(&handler, json!({"op": "put", "item": json_of(&item)}))
        .await
        .unwrap();
    assert_eq!(
        call(&handler, json!({"op": "get", "key": key}))
            .await
            .unwrap(),
        json!({"op": "get", "found": true, "item": json_of(&item)})
    );

    let updated = Device {
        display_name: "Kitchen".into(),
        firmware_version: Some(3),
        login_count: 3,
        ..item.clone()
    };
    let response = call(
        &handler,
        json!({
            "op": "update", "key": key,
            "set": {"displayName": "Kitchen", "fw": 3},
            "add": {"loginCount": 2}
        }),
    )
    .await
    .unwrap();
    assert_eq!(response, json!({"op": "update", "item": json_of(&updated)}));
    let response = call(
        &handler,
        json!({"op": "update", "key": key, "remove": ["firmwareVersion"]}),
    )
    .await
    .unwrap();
    let removed = Device {
        firmware_version: None,
        ..updated.clone()
    };
    assert_eq!(response["item"], json_of(&removed));

    let page = call(
        &handler,
        json!({"op": "query", "partition": "d1", "sort_key": {"eq": "sensor"}}),
    )
    .await
    .unwrap();
    assert_eq!(page["items"], json!([json_of(&removed)]));
    let batch = call(&handler, json!({"op": "batch_get", "keys": [key]}))
        .await
        .unwrap();
    assert_eq!(batch["items"], json!([json_of(&removed)]));
}

#[tokio::test]
async fn update_errors_name_fields_as_serde_does() {
    let handler = Handler::new(fresh_table::<Device>("json-names-bad").await);
    call(&handler, json!({"op": "put", "item": json_of(&device())}))
        .await
        .unwrap();
    let key = json!({"id": "d1", "type": "sensor"});
    let cases = [
        (
            json!({"op": "update", "key": key, "set": {"type": "lamp"}}),
            "invalid `set.type`: key and version fields cannot be updated",
        ),
        (
            json!({"op": "update", "key": key, "set": {"display_name": "x"}}),
            "invalid `set.display_name`: unknown field; expected one of `id`, `type`, `displayName`, `firmwareVersion`, `loginCount`",
        ),
        (
            json!({"op": "update", "key": key, "add": {"loginCount": "many"}}),
            "invalid `add.loginCount`: invalid type: string \"many\", expected u64",
        ),
        (
            json!({"op": "get", "key": {"device_id": "d1", "type": "sensor"}}),
            "invalid `key.device_id`: unknown field `device_id`, expected `id` or `type`",
        ),
    ];
    for (payload, message) in cases {
        let error = call(&handler, payload.clone()).await.unwrap_err();
        assert_eq!(error.to_string(), message, "{payload}");
    }
}

/// A table without a version field.
#[dynamo_lambda(table = "Notes", partition_key = "id")]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Note {
    id: String,
    text: String,
}

#[tokio::test]
async fn expected_version_of_an_unversioned_table_is_refused() {
    assert_eq!(<Note as Table>::VERSION_ATTRIBUTE, None);
    let handler = Handler::new(fresh_table::<Note>("json-unversioned").await);
    let note = json!({"id": "n1", "text": "first"});
    handler
        .handle(json!({"op": "put", "item": note}))
        .await
        .unwrap();
    let error = handler
        .handle(json!({
            "op": "update", "key": {"id": "n1"},
            "set": {"text": "second"}, "expected_version": 3
        }))
        .await
        .unwrap_err();
    match &error {
        Error::Validation { attribute, .. } => {
            assert_eq!(attribute.as_deref(), Some("expected_version"), "{error}");
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
    // Nothing was written.
    let read = handler
        .handle(json!({"op": "get", "key": {"id": "n1"}}))
        .await
        .unwrap();
    assert!(matches!(read, Response::Get { item: Some(n), .. } if n.text == "first"));
}
