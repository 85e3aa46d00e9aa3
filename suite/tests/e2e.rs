//! The example functions end to end: each binary runs as its own process
//! under `cargo lambda watch` (the Lambda Runtime API emulator), is invoked
//! with its sample events through `cargo lambda invoke`, the Invoke API or
//! its Function URL, and the local DynamoDB is checked afterwards.

use std::path::PathBuf;

use dynamo_lambda::{Table, TableClient};
use dynamo_lambda_suite::lambda::{Function, workspace_root};
use dynamo_lambda_suite::streams::stream_event;
use dynamo_lambda_suite::{Capability, fresh_table, supports};
use orders_example::{Order, OrderKey, Status};
use serde_json::{Value, json};
use users_example::{User, UserKey};
use users_stream_example::{Action, UserAudit};

/// A table of `T` created for one test, and the variable that points a
/// function at it.
async fn table<T: Table>(label: &str) -> (TableClient<T>, (&'static str, String)) {
    let table = fresh_table::<T>(label).await;
    let name = table.name().to_owned();
    (table, (T::DEFINITION.name_env, name))
}

fn event(example: &str, file: &str) -> PathBuf {
    workspace_root()
        .join("examples")
        .join(example)
        .join("events")
        .join(file)
}

fn start(binary: &str, table: &(&'static str, String)) -> Function {
    Function::start(binary, &[(table.0, table.1.as_str())])
}

#[tokio::test(flavor = "multi_thread")]
async fn users_answers_its_sample_events_through_cargo_lambda_invoke() {
    let (users, variable) = table::<User>("e2e-direct").await;
    let function = start("users", &variable);
    let invoke = |file: &str| function.invoke_cli(&event("users", file));

    assert_eq!(invoke("01-put-ada.json"), Ok(json!({"op": "put"})));
    let ada = json!({"id": "u-ada", "name": "Ada Lovelace", "email": "ada@example.com", "age": 36});
    assert_eq!(
        invoke("02-get-ada.json"),
        Ok(json!({"op": "get", "found": true, "item": ada}))
    );
    assert_eq!(
        invoke("03-get-missing.json"),
        Ok(json!({"op": "get", "found": false, "item": null}))
    );
    let exists = invoke("04-create-existing.json").unwrap_err();
    assert!(exists.contains("AlreadyExists"), "{exists}");
    let malformed = invoke("05-malformed.json").unwrap_err();
    assert!(malformed.contains("Validation"), "{malformed}");
    assert!(malformed.contains("item.age"), "{malformed}");
    assert_eq!(
        users.get(&UserKey { id: "u-bad".into() }).await.unwrap(),
        None,
        "a malformed event writes nothing"
    );
    let updated = json!({"id": "u-ada", "name": "Augusta Ada King", "email": null, "age": 37});
    assert_eq!(
        invoke("06-update-ada.json"),
        Ok(json!({"op": "update", "item": updated}))
    );
    assert_eq!(
        users
            .get(&UserKey { id: "u-ada".into() })
            .await
            .unwrap()
            .map(|u| (u.name, u.email, u.age)),
        Some(("Augusta Ada King".to_owned(), None, 37))
    );
    assert_eq!(
        invoke("07-delete-ada.json"),
        Ok(json!({"op": "delete", "found": true, "item": updated}))
    );
    assert_eq!(
        users.get(&UserKey { id: "u-ada".into() }).await.unwrap(),
        None
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn direct_invoke_errors_carry_the_error_kind_and_whether_to_retry() {
    let (_users, variable) = table::<User>("e2e-errors").await;
    let function = start("users", &variable);

    let error = function
        .invoke(&json!({"op": "fetch", "key": {"id": "u1"}}))
        .await
        .unwrap_err();
    assert_eq!(error.error_type, "Validation");
    assert!(
        error.message.contains("unknown operation `fetch`"),
        "{error:?}"
    );

    let error = function
        .invoke(&json!({"op": "put", "item": {"id": "", "name": "No Id", "age": 1}}))
        .await
        .unwrap_err();
    assert_eq!(error.error_type, "Validation");
    assert!(error.message.contains("`id`"), "{error:?}");

    // The function keeps serving after errors.
    assert_eq!(
        function
            .invoke(&json!({"op": "get", "key": {"id": "u1"}}))
            .await,
        Ok(json!({"op": "get", "found": false, "item": null}))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn events_that_are_not_json_are_validation_errors_through_the_runtime() {
    let (_users, variable) = table::<User>("e2e-not-json").await;
    let function = start("users", &variable);
    let too_deep = "[".repeat(200) + &"]".repeat(200);
    for body in ["", "NaN", "1e999", "{\"op\": ", &too_deep] {
        let error = function.invoke_raw(body.to_owned()).await.unwrap_err();
        assert_eq!(
            error.error_type,
            "Validation",
            "{:?}: {error:?}",
            &body[..body.len().min(20)]
        );
        assert!(error.message.contains("the event is not JSON"), "{error:?}");
    }
    assert_eq!(
        function
            .invoke(&json!({"op": "get", "key": {"id": "u1"}}))
            .await,
        Ok(json!({"op": "get", "found": false, "item": null}))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_table_is_a_service_error_not_a_crash() {
    let variable = ("USERS_TABLE_NAME", "Users-e2e-no-such-table".to_owned());
    let function = start("users", &variable);
    let error = function
        .invoke(&json!({"op": "get", "key": {"id": "u1"}}))
        .await
        .unwrap_err();
    assert_eq!(error.error_type, "Service", "{error:?}");
    assert!(error.message.contains("ResourceNotFound"), "{error:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreachable_dynamodb_is_a_retryable_error_type() {
    let closed_port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .unwrap()
        .port();
    let endpoint = format!("http://127.0.0.1:{closed_port}");
    let function = Function::start(
        "users",
        &[
            ("AWS_ENDPOINT_URL_DYNAMODB", endpoint.as_str()),
            ("USERS_TABLE_NAME", "Users-e2e-unreachable"),
        ],
    );
    let error = function
        .invoke(&json!({"op": "get", "key": {"id": "u1"}}))
        .await
        .unwrap_err();
    assert_eq!(error.error_type, "ServiceUnavailable", "{error:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn orders_answers_its_sample_events_through_the_invoke_api() {
    let (orders, variable) = table::<Order>("e2e-orders").await;
    let function = start("orders", &variable);
    let invoke = |file: &str| {
        let path = event("orders", file);
        let payload: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let function = &function;
        async move { function.invoke(&payload).await }
    };

    assert_eq!(
        invoke("01-create-order.json").await,
        Ok(json!({"op": "create"}))
    );
    assert_eq!(
        invoke("02-put-second-order.json").await,
        Ok(json!({"op": "put"}))
    );
    let first = invoke("03-get-first-order.json").await.unwrap();
    assert_eq!(first["found"], true);
    assert_eq!(first["item"]["ordered_at"], "2026-11-01T09:30:00Z");
    assert_eq!(first["item"]["status"], "Placed");
    assert_eq!(
        invoke("04-get-other-date.json").await,
        Ok(json!({"op": "get", "found": false, "item": null}))
    );

    let recent = invoke("05-query-recent-first.json").await.unwrap();
    let items = recent["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["ordered_at"], "2026-11-20T17:05:00Z");
    let cursor = recent["cursor"]
        .as_str()
        .expect("a limit of one leaves a cursor")
        .to_owned();
    let next = function
        .invoke(
            &json!({"op": "query", "partition": "c-42", "descending": true,
                        "limit": 1, "cursor": cursor}),
        )
        .await
        .unwrap();
    assert_eq!(next["items"][0]["ordered_at"], "2026-11-01T09:30:00Z");

    let shipped = invoke("05b-query-by-status.json").await.unwrap();
    assert_eq!(shipped["items"].as_array().unwrap().len(), 1);
    assert_eq!(shipped["items"][0]["status"], "Shipped");

    let error = invoke("06-key-missing-sort-key.json").await.unwrap_err();
    assert_eq!(error.error_type, "Validation");
    assert!(error.message.contains("ordered_at"), "{error:?}");

    let deleted = invoke("07-delete-second-order.json").await.unwrap();
    assert_eq!(deleted["found"], true);
    let remaining = orders.query(&"c-42".to_owned()).all().await.unwrap();
    assert_eq!(remaining.len(), 1);
    assert_eq!(remaining[0].status, Status::Placed);
    assert_eq!(
        orders
            .get(&OrderKey {
                customer_id: "c-42".into(),
                ordered_at: "2026-11-20T17:05:00Z".into()
            })
            .await
            .unwrap(),
        None
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn users_http_answers_api_gateway_function_url_and_alb_events() {
    let (users, variable) = table::<User>("e2e-http-events").await;
    let function = start("users-http", &variable);
    let invoke = |file: &str| {
        let response = function
            .invoke_cli(&event("users-http", file))
            .unwrap_or_else(|e| panic!("{file}: {e}\n{}", function.log()));
        let status = response["statusCode"].as_u64().unwrap_or_default();
        let body = response["body"].as_str().unwrap_or_default();
        let body = if body.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(body).unwrap_or_else(|e| panic!("{file}: {e}: {body}"))
        };
        (status, body, response)
    };

    let ada = json!({"id": "u-ada", "name": "Ada Lovelace", "email": "ada@example.com", "age": 36});
    let (status, body, response) = invoke("01-post-ada-http-api.json");
    assert_eq!((status, &body), (201, &ada), "{response}");
    assert_eq!(
        response["headers"]["location"], "/users/u-ada",
        "{response}"
    );

    let (status, body, _) = invoke("02-get-ada-rest-api.json");
    assert_eq!((status, body), (200, ada));

    let (status, body, _) = invoke("03-patch-ada-function-url.json");
    let patched = json!({"id": "u-ada", "name": "Augusta Ada King", "email": null, "age": 36});
    assert_eq!((status, &body), (200, &patched));

    let (status, body, response) = invoke("04-get-missing-alb.json");
    assert_eq!(status, 404, "{response}");
    assert_eq!(body["status"], 404);

    let (status, body, _) = invoke("05-post-bad-age.json");
    assert_eq!(status, 400);
    assert!(
        body["field"].as_str().unwrap_or_default().ends_with("age"),
        "{body}"
    );
    assert_eq!(body["errorType"], "Validation");
    assert_eq!(
        users.get(&UserKey { id: "u-bad".into() }).await.unwrap(),
        None
    );

    let (status, body, _) = invoke("06-post-existing.json");
    assert_eq!((status, &body["errorType"]), (409, &json!("AlreadyExists")));
    assert_eq!(
        users
            .get(&UserKey { id: "u-ada".into() })
            .await
            .unwrap()
            .map(|u| u.name),
        Some("Augusta Ada King".to_owned()),
        "a refused create leaves the item alone"
    );

    let (status, body, _) = invoke("07-delete-ada.json");
    assert_eq!((status, body), (204, Value::Null));
    assert_eq!(
        users.get(&UserKey { id: "u-ada".into() }).await.unwrap(),
        None
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn users_http_serves_real_http_requests_through_its_function_url() {
    let (users, variable) = table::<User>("e2e-http-url").await;
    let function = start("users-http", &variable);
    let json_body = [("content-type", "application/json")];

    let created = function
        .request(
            "POST",
            "/users",
            &json_body,
            r#"{"id": "u 1/é", "name": "Grace", "age": 45}"#,
        )
        .await;
    assert_eq!(created.status, 201, "{:?}", created);
    let location = created
        .header("location")
        .expect("a Location header")
        .to_owned();
    assert_eq!(location, "/users/u%201%2F%C3%A9");

    let read = function.request("GET", &location, &[], "").await;
    assert_eq!(read.status, 200);
    assert_eq!(read.json()["name"], "Grace");
    assert!(
        read.header("content-type")
            .is_some_and(|t| t.starts_with("application/json")),
        "{read:?}"
    );

    let replaced = function
        .request(
            "PUT",
            &location,
            &json_body,
            r#"{"id": "u 1/é", "name": "Grace Hopper", "age": 45}"#,
        )
        .await;
    assert_eq!(replaced.status, 200);
    let stored = users
        .get(&UserKey {
            id: "u 1/é".into()
        })
        .await
        .unwrap();
    assert_eq!(stored.map(|u| u.name), Some("Grace Hopper".to_owned()));

    let wrong_type = function
        .request("PUT", &location, &[("content-type", "text/plain")], "Grace")
        .await;
    assert_eq!(wrong_type.status, 415);
    assert_eq!(
        wrong_type.header("content-type"),
        Some("application/problem+json")
    );

    let bad_json = function
        .request("POST", "/users", &json_body, r#"{"id": "u2", "name": "#)
        .await;
    assert_eq!(bad_json.status, 400);

    let outside = function.request("GET", "/accounts/u2", &[], "").await;
    assert_eq!(outside.status, 404);

    let deleted = function.request("DELETE", &location, &[], "").await;
    assert_eq!(deleted.status, 204);
    let again = function.request("DELETE", &location, &[], "").await;
    assert_eq!(again.status, 404);
}

#[tokio::test(flavor = "multi_thread")]
async fn users_stream_keeps_the_audit_in_step_with_the_real_stream() {
    if !supports(Capability::Streams) {
        return;
    }
    let (_users, users_variable) = table::<User>("e2e-stream-users").await;
    let (audit, audit_variable) = table::<UserAudit>("e2e-stream-audit").await;
    let users = start("users", &users_variable);
    for payload in [
        json!({"op": "create", "item": {"id": "u1", "name": "Ada", "email": "ada@example.com", "age": 36}}),
        json!({"op": "create", "item": {"id": "u2", "name": "Alan", "age": 41}}),
        json!({"op": "update", "key": {"id": "u1"}, "set": {"name": "Ada King"}, "remove": ["email"]}),
        json!({"op": "delete", "key": {"id": "u2"}}),
    ] {
        users.invoke(&payload).await.unwrap();
    }

    let event = stream_event(&users_variable.1).await.unwrap();
    assert_eq!(
        event["Records"].as_array().map(Vec::len),
        Some(4),
        "{event}"
    );
    let stream = Function::start(
        "users-stream",
        &[
            (users_variable.0, users_variable.1.as_str()),
            (audit_variable.0, audit_variable.1.as_str()),
        ],
    );
    let response = stream.invoke(&event).await.unwrap();
    assert_eq!(response, json!({"batchItemFailures": []}));

    let mut rows = audit.scan().all().await.unwrap();
    rows.sort_by(|a, b| a.sequence_number.cmp(&b.sequence_number));
    let summary: Vec<_> = rows
        .iter()
        .map(|r| {
            (
                r.user_id.as_str(),
                r.action,
                r.name_before.as_deref(),
                r.name_after.as_deref(),
                r.email_after.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "u1",
                Action::Created,
                None,
                Some("Ada"),
                Some("ada@example.com")
            ),
            ("u2", Action::Created, None, Some("Alan"), None),
            ("u1", Action::Updated, Some("Ada"), Some("Ada King"), None),
            ("u2", Action::Deleted, Some("Alan"), None, None),
        ]
    );

    // Lambda delivers at least once: the same batch again changes nothing.
    assert_eq!(
        stream.invoke(&event).await.unwrap(),
        json!({"batchItemFailures": []})
    );
    assert_eq!(audit.scan().all().await.unwrap().len(), 4);
}

#[tokio::test(flavor = "multi_thread")]
async fn users_stream_reports_the_bad_record_of_a_sample_batch() {
    let (audit, audit_variable) = table::<UserAudit>("e2e-stream-bad").await;
    // The sample events come from the table named `Users`.
    let stream = Function::start(
        "users-stream",
        &[(audit_variable.0, audit_variable.1.as_str())],
    );
    let response = stream
        .invoke_cli(&event("users-stream", "05-bad-record.json"))
        .unwrap();
    assert_eq!(
        response,
        json!({"batchItemFailures": [{"itemIdentifier": "100000000000000000006"}]})
    );
    let written: Vec<String> = audit
        .scan()
        .all()
        .await
        .unwrap()
        .into_iter()
        .map(|row| row.user_id)
        .collect();
    assert_eq!(
        written,
        ["u3"],
        "the records after the bad one wait for the retry"
    );
    assert!(
        !stream.log_lines("100000000000000000006").is_empty(),
        "the failure is logged:\n{}",
        stream.log()
    );
}
