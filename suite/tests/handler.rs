//! The generated Lambda handler, called as the runtime calls it: a
//! `LambdaEvent` through the `tower::Service` interface.

use dynamo_lambda::{Diagnostic, Error, ErrorKind, Handler, Response, TableClient};
use dynamo_lambda_suite::{Wire, fresh_table};
use lambda_runtime::{Context, LambdaEvent, Service};
use serde_json::{Value, json};
use users_example::User;

async fn handler(label: &str) -> Handler<User> {
    Handler::new(fresh_table::<User>(label).await)
}

async fn invoke(handler: &mut Handler<User>, payload: Value) -> Result<Value, Error> {
    let response = handler
        .call(LambdaEvent::new(payload.into(), Context::default()))
        .await?;
    Ok(serde_json::to_value(response).unwrap())
}

fn ada() -> Value {
    json!({"id": "u1", "name": "Ada", "email": "ada@example.com", "age": 36})
}

#[tokio::test]
async fn put_get_delete_flow() {
    let mut h = handler("flow").await;
    assert_eq!(
        invoke(&mut h, json!({"op": "put", "item": ada()}))
            .await
            .unwrap(),
        json!({"op": "put"})
    );
    assert_eq!(
        invoke(&mut h, json!({"op": "get", "key": {"id": "u1"}}))
            .await
            .unwrap(),
        json!({"op": "get", "found": true, "item": ada()})
    );
    assert_eq!(
        invoke(
            &mut h,
            json!({"op": "get", "key": {"id": "u1"}, "consistent_read": true})
        )
        .await
        .unwrap(),
        json!({"op": "get", "found": true, "item": ada()})
    );
    assert_eq!(
        invoke(&mut h, json!({"op": "delete", "key": {"id": "u1"}}))
            .await
            .unwrap(),
        json!({"op": "delete", "found": true, "item": ada()})
    );
    assert_eq!(
        invoke(&mut h, json!({"op": "delete", "key": {"id": "u1"}}))
            .await
            .unwrap(),
        json!({"op": "delete", "found": false, "item": null})
    );
}

#[tokio::test]
async fn missing_item_is_a_normal_response() {
    let mut h = handler("missing").await;
    assert_eq!(
        invoke(&mut h, json!({"op": "get", "key": {"id": "nobody"}}))
            .await
            .unwrap(),
        json!({"op": "get", "found": false, "item": null})
    );
}

#[tokio::test]
async fn create_twice_is_already_exists_with_that_error_type() {
    let mut h = handler("create").await;
    assert_eq!(
        invoke(&mut h, json!({"op": "create", "item": ada()}))
            .await
            .unwrap(),
        json!({"op": "create"})
    );
    let error = invoke(&mut h, json!({"op": "create", "item": ada()}))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::AlreadyExists);
    let diagnostic = Diagnostic::from(error);
    assert_eq!(diagnostic.error_type, "AlreadyExists");
    assert!(
        diagnostic.error_message.contains("u1"),
        "{}",
        diagnostic.error_message
    );
}

/// Every malformed event is a `Validation` error naming what is wrong.
#[tokio::test]
async fn malformed_events_name_what_is_wrong() {
    let mut h = handler("malformed").await;
    let cases = [
        (
            json!("get u1"),
            "invalid request: expected a JSON object with an `op` field, found a string",
        ),
        (
            json!({"key": {"id": "u1"}}),
            "invalid `op`: missing field; expected one of `get`, `put`, `create`, `delete`, `update`, `query`, `batch_get`",
        ),
        (
            json!({"op": 3}),
            "invalid `op`: expected a string, one of `get`, `put`, `create`, `delete`, `update`, `query`, `batch_get`, found a number",
        ),
        (
            json!({"op": "fetch"}),
            "invalid `op`: unknown operation `fetch`; expected one of `get`, `put`, `create`, `delete`, `update`, `query`, `batch_get`",
        ),
        (json!({"op": "get"}), "invalid `key`: missing field"),
        (
            json!({"op": "get", "key": {"id": "u1"}, "item": ada()}),
            "invalid `item`: unknown field for operation `get`; expected `key`, `consistent_read`",
        ),
        (
            json!({"op": "get", "key": {"id": 7}}),
            "invalid `key.id`: invalid type: integer `7`, expected a string",
        ),
        (
            json!({"op": "get", "key": {"id": "u1", "extra": 1}}),
            "invalid `key.extra`: unknown field `extra`, expected `id`",
        ),
        (
            json!({"op": "get", "key": {"id": "u1"}, "consistent_read": "yes"}),
            "invalid `consistent_read`: expected a boolean, found a string",
        ),
        (
            json!({"op": "put", "item": {"id": "u1", "name": "Ada", "age": "old"}}),
            "invalid `item.age`: invalid type: string \"old\", expected u32",
        ),
        (
            json!({"op": "put", "item": {"id": "u1", "age": 3}}),
            "invalid `item`: missing field `name`",
        ),
        (
            json!({"op": "put", "item": {"id": "u1", "name": "Ada", "age": -1}}),
            "invalid `item.age`: invalid value: integer `-1`, expected u32",
        ),
        (
            json!({"op": "get", "key": {"id": ""}}),
            "invalid `id`: key attribute must not be empty",
        ),
        (
            json!({"op": "put", "item": {"id": "", "name": "Ada", "age": 1}}),
            "invalid `id`: key attribute must not be empty",
        ),
    ];
    for (payload, message) in cases {
        let error = invoke(&mut h, payload.clone()).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Validation, "{payload}: {error}");
        assert_eq!(error.to_string(), message, "{payload}");
        assert_eq!(Diagnostic::from(error).error_type, "Validation");
    }
}

#[tokio::test]
async fn wrong_type_stored_in_the_table_is_a_decode_error() {
    let h = handler("decode").await;
    let table = h.table();
    table
        .client()
        .await
        .put_item()
        .table_name(table.name())
        .item("id", dynamo_lambda::AttributeValue::S("u1".into()))
        .item("name", dynamo_lambda::AttributeValue::N("5".into()))
        .item("age", dynamo_lambda::AttributeValue::N("5".into()))
        .send()
        .await
        .unwrap();
    let mut h = h;
    let error = invoke(&mut h, json!({"op": "get", "key": {"id": "u1"}}))
        .await
        .unwrap_err();
    assert_eq!(Diagnostic::from(error).error_type, "Decode");
}

#[test]
fn responses_deserialize_for_clients() {
    let response: Response<User> =
        serde_json::from_value(json!({"op": "get", "found": false, "item": null})).unwrap();
    assert_eq!(
        response,
        Response::Get {
            found: false,
            item: None
        }
    );
}

#[tokio::test]
async fn update_sets_removes_and_adds_by_field_name() {
    let mut h = handler("update").await;
    invoke(&mut h, json!({"op": "put", "item": ada()}))
        .await
        .unwrap();
    let response = invoke(
        &mut h,
        json!({"op": "update", "key": {"id": "u1"}, "set": {"name": "Ada L."}, "remove": ["email"], "add": {"age": 1}}),
    )
    .await
    .unwrap();
    assert_eq!(
        response,
        json!({"op": "update", "item": {"id": "u1", "name": "Ada L.", "email": null, "age": 37}})
    );
    let response = invoke(
        &mut h,
        json!({"op": "update", "key": {"id": "u1"}, "set": {"email": "ada@new.example"}}),
    )
    .await
    .unwrap();
    assert_eq!(response["item"]["email"], "ada@new.example");
    let response = invoke(
        &mut h,
        json!({"op": "update", "key": {"id": "u1"}, "set": {"email": null}}),
    )
    .await
    .unwrap();
    assert_eq!(response["item"]["email"], Value::Null);
}

#[tokio::test]
async fn bad_updates_name_the_field() {
    let mut h = handler("update-bad").await;
    invoke(&mut h, json!({"op": "put", "item": ada()}))
        .await
        .unwrap();
    let cases = [
        (
            json!({"op": "update", "key": {"id": "u1"}, "set": {"nmae": "x"}}),
            "invalid `set.nmae`: unknown field; expected one of `id`, `name`, `email`, `age`",
        ),
        (
            json!({"op": "update", "key": {"id": "u1"}, "set": {"age": "old"}}),
            "invalid `set.age`: invalid type: string \"old\", expected u32",
        ),
        (
            json!({"op": "update", "key": {"id": "u1"}, "set": {"id": "u2"}}),
            "invalid `set.id`: key and version fields cannot be updated",
        ),
        (
            json!({"op": "update", "key": {"id": "u1"}, "remove": ["name"]}),
            "invalid `remove.name`: only `Option` fields can be removed",
        ),
        (
            json!({"op": "update", "key": {"id": "u1"}, "add": {"name": 1}}),
            "invalid `add.name`: only number and set fields can be added to",
        ),
        (
            json!({"op": "update", "key": {"id": "u1"}}),
            "invalid request: an update needs at least one action (set, remove, add, delete_from, append)",
        ),
        (
            json!({"op": "update", "key": {"id": "u1"}, "set": []}),
            "invalid `set`: invalid type: sequence, expected a map",
        ),
    ];
    for (payload, message) in cases {
        let error = invoke(&mut h, payload.clone()).await.unwrap_err();
        assert_eq!(error.to_string(), message, "{payload}");
        assert_eq!(error.kind(), ErrorKind::Validation);
    }
    let error = invoke(
        &mut h,
        json!({"op": "update", "key": {"id": "nobody"}, "set": {"name": "x"}}),
    )
    .await
    .unwrap_err();
    assert_eq!(Diagnostic::from(error).error_type, "NotFound");
}

fn order(at: &str, status: &str, total: u64) -> Value {
    json!({
        "customer_id": "c1", "ordered_at": at, "status": status,
        "lines": [], "total_cents": total, "tags": [],
        "shipping": {"street": "1 Main St", "city": "Springfield", "country": "US"},
        "expires_at": null
    })
}

/// `"add": {"tags": []}` adds nothing; it once left an unused name in the
/// request, which DynamoDB refuses.
#[tokio::test]
async fn an_update_adding_an_empty_set_applies_the_rest() {
    use orders_example::Order;
    let table = fresh_table::<Order>("handler-empty-set").await;
    let (client, wire) = Wire::attach(table.client().await);
    let mut h = Handler::new(TableClient::<Order>::new(client, table.name().to_owned()));
    let call = |h: &mut Handler<Order>, payload: Value| {
        let future = h.call(LambdaEvent::new(payload.into(), Context::default()));
        async move { future.await.map(|r| serde_json::to_value(r).unwrap()) }
    };
    let placed = order("2026-01-01", "Placed", 100);
    call(&mut h, json!({"op": "put", "item": placed}))
        .await
        .unwrap();
    let key = json!({"customer_id": "c1", "ordered_at": "2026-01-01"});
    let response = call(
        &mut h,
        json!({"op": "update", "key": key, "add": {"tags": [], "total_cents": 5}}),
    )
    .await
    .unwrap();
    assert_eq!(response["item"]["total_cents"], 105, "{response}");
    assert_eq!(response["item"]["tags"], json!([]), "{response}");
    assert_eq!(wire.count("UpdateItem"), 1);

    let error = call(
        &mut h,
        json!({"op": "update", "key": key, "add": {"tags": []}}),
    )
    .await
    .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Validation, "{error}");
    assert_eq!(wire.count("UpdateItem"), 1);
}

#[tokio::test]
async fn query_pages_follow_the_cursor_and_indexes_are_named() {
    use orders_example::Order;
    let mut h = Handler::new(fresh_table::<Order>("handler-query").await);
    let call = |h: &mut Handler<Order>, payload: Value| {
        let future = h.call(LambdaEvent::new(payload.into(), Context::default()));
        async move { future.await.map(|r| serde_json::to_value(r).unwrap()) }
    };
    for (at, status, total) in [
        ("2026-01-01", "Placed", 100),
        ("2026-02-01", "Shipped", 300),
        ("2026-03-01", "Placed", 200),
    ] {
        call(
            &mut h,
            json!({"op": "put", "item": order(at, status, total)}),
        )
        .await
        .unwrap();
    }
    let first = call(
        &mut h,
        json!({"op": "query", "partition": "c1", "limit": 2}),
    )
    .await
    .unwrap();
    assert_eq!(first["items"].as_array().unwrap().len(), 2);
    let cursor = first["cursor"].as_str().unwrap().to_owned();
    let second = call(
        &mut h,
        json!({"op": "query", "partition": "c1", "limit": 2, "cursor": cursor}),
    )
    .await
    .unwrap();
    assert_eq!(second["items"][0]["ordered_at"], "2026-03-01");

    let recent = call(
        &mut h,
        json!({"op": "query", "partition": "c1", "sort_key": {"begins_with": "2026-0"}, "descending": true}),
    )
    .await
    .unwrap();
    let dates: Vec<_> = recent["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["ordered_at"].clone())
        .collect();
    assert_eq!(
        dates,
        [
            json!("2026-03-01"),
            json!("2026-02-01"),
            json!("2026-01-01")
        ]
    );

    let placed = call(
        &mut h,
        json!({"op": "query", "index": "by_status", "partition": "Placed"}),
    )
    .await
    .unwrap();
    assert_eq!(placed["items"].as_array().unwrap().len(), 2);
    // The INCLUDE index answers with its view: keys, its sort key and `status`.
    let by_total = call(
        &mut h,
        json!({"op": "query", "index": "by_total", "partition": "c1", "sort_key": {"ge": 200}}),
    )
    .await
    .unwrap();
    let totals: Vec<_> = by_total["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["total_cents"].clone())
        .collect();
    assert_eq!(totals, [json!(200), json!(300)]);
    assert!(by_total["items"][0].get("lines").is_none());

    let cases = [
        (
            json!({"op": "query", "index": "by_colour", "partition": "x"}),
            "invalid `index`: unknown index; expected one of `by_status`, `by_total`",
        ),
        (
            json!({"op": "query", "partition": 5}),
            "invalid `query.partition`: invalid type: integer `5`, expected a string",
        ),
        (
            json!({"op": "query", "partition": "c1", "cursor": "not-a-cursor"}),
            "invalid `cursor`",
        ),
        (
            json!({"op": "query", "index": "by_status", "partition": "Placed", "consistent_read": true}),
            "invalid `consistent_read`: a global secondary index cannot be read with strong consistency",
        ),
        (
            json!({"op": "query", "index": "by_total", "partition": "c1", "sort_key": {"begins_with": 2}}),
            "invalid `sort_key.begins_with`: `begins_with` needs a string or binary sort key",
        ),
        (
            json!({"op": "query", "partition": "c1", "limt": 2}),
            "invalid `limt`: unknown field `limt`, expected one of `index`, `partition`",
        ),
    ];
    for (payload, message) in cases {
        let error = call(&mut h, payload.clone()).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Validation, "{payload}: {error}");
        assert!(error.to_string().starts_with(message), "{payload}: {error}");
    }
}

#[tokio::test]
async fn batch_get_returns_the_items_found() {
    let mut h = handler("batch-get").await;
    invoke(&mut h, json!({"op": "put", "item": ada()}))
        .await
        .unwrap();
    let response = invoke(
        &mut h,
        json!({"op": "batch_get", "keys": [{"id": "u1"}, {"id": "nobody"}]}),
    )
    .await
    .unwrap();
    assert_eq!(response, json!({"op": "batch_get", "items": [ada()]}));
    let error = invoke(&mut h, json!({"op": "batch_get", "keys": [{"id": 1}]}))
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid `keys[0].id`: invalid type: integer `1`, expected a string"
    );
}

/// `[[[…1…]]]`, `depth` arrays deep, built without recursion.
fn nested(depth: usize) -> Value {
    let mut value = json!(1);
    for _ in 0..depth {
        value = Value::Array(vec![value]);
    }
    value
}

#[tokio::test]
async fn deep_json_in_process_is_refused_without_overflowing_the_stack() {
    let h = handler("deep").await;
    // `json!` would serialize an interpolated value, recursively: put the
    // deep value in place instead.
    let with_deep = |mut event: Value, place: fn(&mut Value) -> &mut Value| {
        *place(&mut event) = nested(10_000);
        event
    };
    let events = [
        with_deep(
            json!({"op": "update", "key": {"id": "u1"}, "set": {"name": null}}),
            |e| &mut e["set"]["name"],
        ),
        with_deep(
            json!({"op": "update", "key": {"id": "u1"}, "add": {"age": null}}),
            |e| &mut e["add"]["age"],
        ),
        with_deep(
            json!({"op": "query", "partition": null}),
            |e| &mut e["partition"],
        ),
        with_deep(
            json!({"op": "query", "partition": "u1", "sort_key": {"eq": null}}),
            |e| &mut e["sort_key"]["eq"],
        ),
        with_deep(
            json!({"op": "put", "item": {"id": "u1", "name": null, "age": 1}}),
            |e| &mut e["item"]["name"],
        ),
    ];
    for event in events {
        let error = h.handle(event).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Validation, "{error}");
        assert!(error.to_string().contains("128 deep"), "{error}");
    }
    // The runtime's parser reads 127 levels (the event object, `set`, and
    // 125 arrays): so does the handler, which then finds the wrong type.
    let mut event = json!({"op": "update", "key": {"id": "u1"}, "set": {"name": null}});
    event["set"]["name"] = nested(125);
    let error = h.handle(event).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid `set.name`: invalid type: sequence, expected a string"
    );
    assert_eq!(
        invoke(&mut h.clone(), json!({"op": "get", "key": {"id": "u1"}}))
            .await
            .unwrap(),
        json!({"op": "get", "found": false, "item": null})
    );
}

#[tokio::test]
async fn events_that_are_not_json_are_validation_errors() {
    let mut h = handler("not-json").await;
    let too_deep = "[".repeat(200) + &"]".repeat(200);
    for body in ["", "NaN", "1e999", "{\"op\": ", too_deep.as_str()] {
        // What the runtime does with an event's body (without checking
        // for trailing characters).
        let mut parser = serde_json::Deserializer::from_str(body);
        let payload =
            <dynamo_lambda::Payload as serde::Deserialize>::deserialize(&mut parser).unwrap();
        let error = h
            .call(LambdaEvent::new(payload, Context::default()))
            .await
            .unwrap_err();
        let diagnostic = Diagnostic::from(error);
        assert_eq!(diagnostic.error_type, "Validation", "{body:?}");
        assert!(
            diagnostic
                .error_message
                .starts_with("invalid request: the event is not JSON: "),
            "{}",
            diagnostic.error_message
        );
    }
}
