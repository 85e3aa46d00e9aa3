//! The HTTP handler (`User::http_handler()`), called as `lambda_http` calls
//! it: an `http::Request` through the `tower::Service` interface, built by
//! hand or from API Gateway, Function URL and ALB events.

use dynamo_lambda::http::HttpHandler;
use dynamo_lambda::http::lambda_http::http::{HeaderMap, Method, Request as HttpRequest};
use dynamo_lambda::http::lambda_http::{Body, Request, RequestExt, Service, request};
use dynamo_lambda::{Table, TableClient, dynamo_lambda};
use dynamo_lambda_suite::fresh_table;
use orders_example::{Order, OrderKey};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use users_example::{User, UserKey};

/// A numeric key.
#[dynamo_lambda(table = "Counters", partition_key = "id")]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Counter {
    pub id: u64,
    pub label: String,
}

/// A versioned struct: writes expect the version read.
#[dynamo_lambda(table = "Docs", partition_key = "id")]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Doc {
    pub id: String,
    pub title: String,
    pub note: Option<String>,
    #[dynamo(version)]
    pub version: u64,
}

struct Reply {
    status: u16,
    headers: HeaderMap,
    body: Value,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts a problem response and returns its body.
    #[track_caller]
    fn problem(&self, status: u16, error_type: &str) -> &Value {
        assert_eq!(self.status, status, "{}", self.body);
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json")
        );
        assert_eq!(self.body["status"], status);
        assert_eq!(self.body["type"], "about:blank");
        assert_eq!(self.body["errorType"], error_type, "{}", self.body);
        assert!(self.body["title"].as_str().is_some_and(|t| !t.is_empty()));
        assert!(self.body["detail"].as_str().is_some_and(|d| !d.is_empty()));
        &self.body
    }

    /// Asserts a 400 naming `field`.
    #[track_caller]
    fn invalid(&self, field: &str) {
        let body = self.problem(400, "Validation");
        assert_eq!(body["field"], field, "{body}");
    }
}

async fn send<T>(handler: &mut HttpHandler<T>, request: Request) -> Reply
where
    HttpHandler<T>: Service<
            Request,
            Response = dynamo_lambda::http::lambda_http::Response<Body>,
            Error = dynamo_lambda::Error,
        >,
{
    let response = handler
        .call(request)
        .await
        .expect("the handler never fails");
    let (parts, body) = response.into_parts();
    let body = match body {
        Body::Empty => Value::Null,
        Body::Text(text) => serde_json::from_str(&text).expect("a JSON body"),
        Body::Binary(bytes) => serde_json::from_slice(&bytes).expect("a JSON body"),
        _ => unreachable!(),
    };
    Reply {
        status: parts.status.as_u16(),
        headers: parts.headers,
        body,
    }
}

fn req(method: Method, uri: &str) -> Request {
    HttpRequest::builder()
        .method(method)
        .uri(uri)
        .body(Body::Empty)
        .unwrap()
}

fn with_json(method: Method, uri: &str, content_type: &str, body: impl ToString) -> Request {
    HttpRequest::builder()
        .method(method)
        .uri(uri)
        .header("content-type", content_type)
        .body(Body::Text(body.to_string()))
        .unwrap()
}

fn json_req(method: Method, uri: &str, body: Value) -> Request {
    with_json(method, uri, "application/json", body)
}

fn with_header(mut request: Request, name: &'static str, value: &str) -> Request {
    request.headers_mut().insert(name, value.parse().unwrap());
    request
}

fn event(fixture: &str) -> Request {
    let path = format!(
        "{}/tests/fixtures/http/{fixture}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap();
    request::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

async fn handler<T: Table>(label: &str) -> HttpHandler<T> {
    HttpHandler::new(fresh_table::<T>(label).await)
}

fn ada() -> Value {
    json!({"id": "u1", "name": "Ada", "email": "ada@example.com", "age": 36})
}

async fn stored_user(table: &TableClient<User>, id: &str) -> Option<User> {
    table
        .get(&UserKey { id: id.into() })
        .consistent_read()
        .await
        .unwrap()
}

fn user(value: Value) -> User {
    serde_json::from_value(value).unwrap()
}

#[tokio::test]
async fn post_get_put_delete_flow() {
    let mut h = handler::<User>("http-flow").await;

    let created = send(&mut h, json_req(Method::POST, "/users", ada())).await;
    assert_eq!(created.status, 201);
    assert_eq!(created.header("location"), Some("/users/u1"));
    assert_eq!(created.header("content-type"), Some("application/json"));
    assert_eq!(created.header("etag"), None);
    assert_eq!(created.body, ada());
    assert_eq!(stored_user(h.table(), "u1").await, Some(user(ada())));

    let got = send(&mut h, req(Method::GET, "/users/u1")).await;
    assert_eq!(got.status, 200);
    assert_eq!(got.header("content-type"), Some("application/json"));
    assert_eq!(got.body, ada());
    let got = send(&mut h, req(Method::GET, "/users/u1?consistent=true")).await;
    assert_eq!((got.status, got.body), (200, ada()));

    let replaced = json!({"id": "u1", "name": "Ada L.", "email": null, "age": 37});
    let put = send(&mut h, json_req(Method::PUT, "/users/u1", replaced.clone())).await;
    assert_eq!((put.status, &put.body), (200, &replaced));
    assert_eq!(stored_user(h.table(), "u1").await, Some(user(replaced)));

    let deleted = send(&mut h, req(Method::DELETE, "/users/u1")).await;
    assert_eq!(deleted.status, 204);
    assert_eq!(deleted.body, Value::Null);
    assert_eq!(stored_user(h.table(), "u1").await, None);
    send(&mut h, req(Method::DELETE, "/users/u1"))
        .await
        .problem(404, "NotFound");
    let missing = send(&mut h, req(Method::GET, "/users/u1")).await;
    assert_eq!(
        missing.problem(404, "NotFound")["detail"],
        "no item with this key"
    );
}

#[tokio::test]
async fn post_of_an_existing_key_is_409_and_changes_nothing() {
    let mut h = handler::<User>("http-conflict").await;
    assert_eq!(
        send(&mut h, json_req(Method::POST, "/users", ada()))
            .await
            .status,
        201
    );
    let mut other = ada();
    other["name"] = json!("Someone else");
    send(&mut h, json_req(Method::POST, "/users", other))
        .await
        .problem(409, "AlreadyExists");
    assert_eq!(stored_user(h.table(), "u1").await, Some(user(ada())));
}

#[tokio::test]
async fn put_body_key_must_match_the_path() {
    let mut h = handler::<User>("http-put-key").await;
    send(&mut h, json_req(Method::PUT, "/users/u2", ada()))
        .await
        .invalid("item.id");
    assert_eq!(stored_user(h.table(), "u1").await, None);
    assert_eq!(stored_user(h.table(), "u2").await, None);
    // PUT creates the item when there is none.
    assert_eq!(
        send(&mut h, json_req(Method::PUT, "/users/u1", ada()))
            .await
            .status,
        200
    );
    assert_eq!(stored_user(h.table(), "u1").await, Some(user(ada())));
}

#[tokio::test]
async fn bodies_are_checked_json() {
    let mut h = handler::<User>("http-bodies").await;
    let syntax = send(
        &mut h,
        with_json(Method::POST, "/users", "application/json", "{\"id\":"),
    )
    .await;
    syntax.invalid("item");
    assert!(
        syntax.body["detail"]
            .as_str()
            .unwrap()
            .starts_with("invalid JSON")
    );
    send(
        &mut h,
        with_json(Method::POST, "/users", "application/json", "{} {}"),
    )
    .await
    .invalid("item");

    let mut wrong = ada();
    wrong["age"] = json!("thirty-six");
    send(&mut h, json_req(Method::POST, "/users", wrong))
        .await
        .invalid("item.age");
    send(
        &mut h,
        json_req(Method::POST, "/users", json!({"id": "u1"})),
    )
    .await
    .invalid("item");
    // An empty key is refused before DynamoDB sees it.
    let mut empty = ada();
    empty["id"] = json!("");
    send(&mut h, json_req(Method::POST, "/users", empty))
        .await
        .problem(400, "Validation");

    let text = send(
        &mut h,
        with_json(Method::POST, "/users", "text/plain", ada()),
    )
    .await;
    assert_eq!(
        text.problem(415, "UnsupportedMediaType")["field"],
        "Content-Type"
    );
    let mut bare = with_json(Method::POST, "/users", "application/json", ada());
    bare.headers_mut().remove("content-type");
    send(&mut h, bare)
        .await
        .problem(415, "UnsupportedMediaType");
    send(
        &mut h,
        with_json(
            Method::PUT,
            "/users/u1",
            "application/json; charset=latin1",
            ada(),
        ),
    )
    .await
    .problem(415, "UnsupportedMediaType");
    assert_eq!(stored_user(h.table(), "u1").await, None);

    let vendor = with_json(
        Method::POST,
        "/users",
        "application/vnd.users+json; charset=UTF-8",
        ada(),
    );
    assert_eq!(send(&mut h, vendor).await.status, 201);
}

#[tokio::test]
async fn oversized_bodies_and_items_are_413() {
    let mut h = handler::<User>("http-size").await;
    let mut big = ada();
    big["name"] = json!("x".repeat(400 * 1024));
    let too_big = send(&mut h, json_req(Method::POST, "/users", big)).await;
    too_big.problem(413, "Validation");
    assert_eq!(stored_user(h.table(), "u1").await, None);

    // Each body fits, the item they make does not: DynamoDB refuses it.
    let mut half = ada();
    half["name"] = json!("x".repeat(250 * 1024));
    assert_eq!(
        send(&mut h, json_req(Method::POST, "/users", half.clone()))
            .await
            .status,
        201
    );
    let patch = json!({"email": "y".repeat(250 * 1024)});
    send(&mut h, json_req(Method::PATCH, "/users/u1", patch))
        .await
        .problem(413, "Validation");
    assert_eq!(stored_user(h.table(), "u1").await, Some(user(half)));
}

#[tokio::test]
async fn merge_patch() {
    let mut h = handler::<User>("http-patch").await;
    send(&mut h, json_req(Method::POST, "/users", ada())).await;

    let patch = json!({"name": "Ada Lovelace", "email": null});
    let patched = send(
        &mut h,
        with_json(
            Method::PATCH,
            "/users/u1",
            "application/merge-patch+json",
            patch,
        ),
    )
    .await;
    let expected = json!({"id": "u1", "name": "Ada Lovelace", "email": null, "age": 36});
    assert_eq!((patched.status, &patched.body), (200, &expected));
    assert_eq!(
        stored_user(h.table(), "u1").await,
        Some(user(expected.clone()))
    );

    let plain = send(
        &mut h,
        json_req(Method::PATCH, "/users/u1", json!({"age": 37})),
    )
    .await;
    assert_eq!((plain.status, &plain.body["age"]), (200, &json!(37)));

    // An empty patch changes nothing and answers the item.
    let empty = send(&mut h, json_req(Method::PATCH, "/users/u1", json!({}))).await;
    assert_eq!((empty.status, &empty.body["age"]), (200, &json!(37)));

    send(
        &mut h,
        json_req(Method::PATCH, "/users/u1", json!({"id": "u2"})),
    )
    .await
    .invalid("item.id");
    send(
        &mut h,
        json_req(Method::PATCH, "/users/u1", json!({"name": null})),
    )
    .await
    .invalid("item.name");
    send(
        &mut h,
        json_req(Method::PATCH, "/users/u1", json!({"age": "old"})),
    )
    .await
    .invalid("item.age");
    send(
        &mut h,
        json_req(Method::PATCH, "/users/u1", json!({"nickname": "A"})),
    )
    .await
    .invalid("item.nickname");
    send(
        &mut h,
        json_req(Method::PATCH, "/users/u1", json!(["name"])),
    )
    .await
    .invalid("item");
    let json_patch = with_json(
        Method::PATCH,
        "/users/u1",
        "application/json-patch+json",
        "[]",
    );
    let refused = send(&mut h, json_patch).await;
    refused.problem(415, "UnsupportedMediaType");
    assert_eq!(
        refused.header("accept-patch"),
        Some("application/merge-patch+json, application/json")
    );
    send(
        &mut h,
        with_header(
            json_req(Method::PATCH, "/users/u1", json!({"age": 1})),
            "if-match",
            "\"1\"",
        ),
    )
    .await
    .invalid("If-Match");

    let mut after = expected;
    after["age"] = json!(37);
    assert_eq!(stored_user(h.table(), "u1").await, Some(user(after)));

    send(
        &mut h,
        json_req(Method::PATCH, "/users/nobody", json!({"age": 1})),
    )
    .await
    .problem(404, "NotFound");
    assert_eq!(stored_user(h.table(), "nobody").await, None);
}

#[tokio::test]
async fn routes_and_methods() {
    let mut h = handler::<User>("http-routes").await;
    for path in ["/accounts/u1", "/users/u1/extra", "/usersx/u1", "/"] {
        let reply = send(&mut h, req(Method::GET, path)).await;
        assert_eq!(
            reply.problem(404, "NotFound")["detail"],
            "no resource at this path",
            "{path}"
        );
    }
    let collection = send(&mut h, req(Method::GET, "/users")).await;
    collection.problem(405, "MethodNotAllowed");
    assert_eq!(collection.header("allow"), Some("POST"));
    let item = send(&mut h, json_req(Method::POST, "/users/u1", ada())).await;
    item.problem(405, "MethodNotAllowed");
    assert_eq!(item.header("allow"), Some("GET, PUT, PATCH, DELETE"));

    send(&mut h, req(Method::GET, "/users/u1?consistent=maybe"))
        .await
        .invalid("consistent");
    send(&mut h, req(Method::GET, "/users/u1?color=red"))
        .await
        .invalid("color");
    send(
        &mut h,
        req(Method::GET, "/users/u1?consistent=true&consistent=false"),
    )
    .await
    .invalid("consistent");
    send(
        &mut h,
        with_header(req(Method::DELETE, "/users/u1"), "if-match", "\"1\""),
    )
    .await
    .invalid("If-Match");
}

#[tokio::test]
async fn base_path_and_percent_encoded_ids() {
    let table = fresh_table::<User>("http-base").await;
    let mut h = HttpHandler::new(table).base_path("/v1/users/");
    assert_eq!(h.base(), "/v1/users");
    let mut odd = ada();
    odd["id"] = json!("a/b c?é");
    let created = send(&mut h, json_req(Method::POST, "/v1/users", odd.clone())).await;
    assert_eq!(created.status, 201);
    let location = created.header("location").unwrap().to_owned();
    assert_eq!(location, "/v1/users/a%2Fb%20c%3F%C3%A9");
    let got = send(&mut h, req(Method::GET, &location)).await;
    assert_eq!((got.status, got.body), (200, odd));
    send(&mut h, req(Method::GET, "/users/u1"))
        .await
        .problem(404, "NotFound");
    send(&mut h, req(Method::GET, "/v1/users/%FF"))
        .await
        .invalid("path");
}

#[tokio::test]
async fn numeric_keys_are_parsed_from_the_path() {
    let mut h = handler::<Counter>("http-numeric").await;
    let body = json!({"id": 42, "label": "answer"});
    let created = send(&mut h, json_req(Method::POST, "/counters", body.clone())).await;
    assert_eq!(created.status, 201);
    assert_eq!(created.header("location"), Some("/counters/42"));
    let got = send(&mut h, req(Method::GET, "/counters/42")).await;
    assert_eq!((got.status, got.body), (200, body));
    for bad in ["abc", "-1", "4.2", "1e3", "99999999999999999999999"] {
        let reply = send(&mut h, req(Method::GET, &format!("/counters/{bad}"))).await;
        reply.invalid("id");
    }
    send(
        &mut h,
        json_req(Method::PUT, "/counters/x", json!({"id": 1, "label": "x"})),
    )
    .await
    .invalid("id");
    send(
        &mut h,
        json_req(Method::PUT, "/counters/7", json!({"id": 1, "label": "x"})),
    )
    .await
    .invalid("item.id");
    assert_eq!(
        send(&mut h, req(Method::DELETE, "/counters/42"))
            .await
            .status,
        204
    );
    assert_eq!(h.table().get(&CounterKey { id: 42 }).await.unwrap(), None);
}

async fn stored_doc(table: &TableClient<Doc>) -> Option<Doc> {
    table
        .get(&DocKey { id: "d1".into() })
        .consistent_read()
        .await
        .unwrap()
}

#[tokio::test]
async fn versions_are_etags() {
    let mut h = handler::<Doc>("http-versions").await;
    let doc = |title: &str, version: u64| json!({"id": "d1", "title": title, "note": null, "version": version});

    let created = send(&mut h, json_req(Method::POST, "/docs", doc("Draft", 0))).await;
    assert_eq!(created.status, 201);
    assert_eq!(created.header("etag"), Some("\"1\""));
    assert_eq!(created.body, doc("Draft", 1));
    let got = send(&mut h, req(Method::GET, "/docs/d1")).await;
    assert_eq!((got.status, got.header("etag")), (200, Some("\"1\"")));
    assert_eq!(got.body, doc("Draft", 1));

    let put = send(&mut h, json_req(Method::PUT, "/docs/d1", doc("Second", 1))).await;
    assert_eq!((put.status, put.header("etag")), (200, Some("\"2\"")));
    assert_eq!(put.body, doc("Second", 2));
    let stale = send(&mut h, json_req(Method::PUT, "/docs/d1", doc("Lost", 1))).await;
    stale.problem(412, "VersionConflict");
    assert_eq!(stored_doc(h.table()).await.unwrap().title, "Second");

    let matched = with_header(
        json_req(Method::PUT, "/docs/d1", doc("Third", 2)),
        "if-match",
        "\"2\"",
    );
    let put = send(&mut h, matched).await;
    assert_eq!((put.status, put.header("etag")), (200, Some("\"3\"")));
    let mismatch = with_header(
        json_req(Method::PUT, "/docs/d1", doc("Third", 3)),
        "if-match",
        "\"2\"",
    );
    send(&mut h, mismatch).await.invalid("If-Match");
    for bad in ["3", "W/\"3\"", "\"3\", \"4\"", "\"three\""] {
        let request = with_header(
            json_req(Method::PUT, "/docs/d1", doc("Third", 3)),
            "if-match",
            bad,
        );
        send(&mut h, request).await.invalid("If-Match");
    }

    let patch = |version: Option<&str>, body: Value| {
        let request = json_req(Method::PATCH, "/docs/d1", body);
        match version {
            Some(v) => with_header(request, "if-match", v),
            None => request,
        }
    };
    let patched = send(&mut h, patch(Some("\"3\""), json!({"note": "checked"}))).await;
    assert_eq!(
        (patched.status, patched.header("etag")),
        (200, Some("\"4\""))
    );
    assert_eq!(
        patched.body,
        json!({"id": "d1", "title": "Third", "note": "checked", "version": 4})
    );
    send(&mut h, patch(Some("\"3\""), json!({"note": "late"})))
        .await
        .problem(412, "VersionConflict");
    let unconditional = send(&mut h, patch(None, json!({"title": "Fourth"}))).await;
    assert_eq!(
        (unconditional.status, unconditional.header("etag")),
        (200, Some("\"5\""))
    );
    send(&mut h, patch(None, json!({"version": 9})))
        .await
        .invalid("item.version");

    let stored = stored_doc(h.table()).await.unwrap();
    assert_eq!(
        (
            stored.title.as_str(),
            stored.note.as_deref(),
            stored.version
        ),
        ("Fourth", Some("checked"), 5)
    );
    send(&mut h, json_req(Method::POST, "/docs", doc("Again", 0)))
        .await
        .problem(409, "AlreadyExists");
}

fn order(customer: &str, at: &str, status: &str, total: u64) -> Value {
    json!({
        "customer_id": customer,
        "ordered_at": at,
        "status": status,
        "lines": [{"sku": "A-1", "quantity": 1, "unit_cents": total}],
        "total_cents": total,
        "tags": [],
        "shipping": {"street": "1 Main St", "city": "Springfield", "country": "US"},
        "expires_at": null,
    })
}

async fn orders(label: &str) -> (HttpHandler<Order>, Vec<Value>) {
    let mut h = handler::<Order>(label).await;
    let all = vec![
        order("c 1", "2026-01-05T10:00:00Z", "Placed", 1500),
        order("c 1", "2026-02-01T09:30:00Z", "Shipped", 800),
        order("c 1", "2026-02-14T18:00:00Z", "Placed", 4200),
        order("c 1", "2026-03-01T08:00:00Z", "Delivered", 300),
        order("c2", "2026-02-02T12:00:00Z", "Placed", 999),
    ];
    for item in &all {
        let created = send(&mut h, json_req(Method::POST, "/orders", item.clone())).await;
        assert_eq!(created.status, 201, "{}", created.body);
    }
    (h, all)
}

async fn query(h: &mut HttpHandler<Order>, uri: &str) -> Value {
    let reply = send(h, req(Method::GET, uri)).await;
    assert_eq!(reply.status, 200, "{uri}: {}", reply.body);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    reply.body
}

fn dates(page: &Value) -> Vec<&str> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["ordered_at"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn items_of_a_table_with_a_sort_key() {
    let (mut h, all) = orders("http-order-items").await;
    let location = "/orders/c%201/2026-02-01T09%3A30%3A00Z";
    let got = send(&mut h, req(Method::GET, location)).await;
    assert_eq!((got.status, &got.body), (200, &all[1]));

    let mut shipped = all[1].clone();
    shipped["status"] = json!("Delivered");
    let put = send(&mut h, json_req(Method::PUT, location, shipped.clone())).await;
    assert_eq!((put.status, &put.body), (200, &shipped));
    send(
        &mut h,
        json_req(Method::PUT, "/orders/c%201/2026-02-02T00:00:00Z", shipped),
    )
    .await
    .invalid("item.ordered_at");

    let patched = send(
        &mut h,
        json_req(Method::PATCH, location, json!({"tags": ["gift"]})),
    )
    .await;
    assert_eq!(
        (patched.status, &patched.body["tags"]),
        (200, &json!(["gift"]))
    );
    send(
        &mut h,
        json_req(Method::PATCH, location, json!({"ordered_at": "2027"})),
    )
    .await
    .invalid("item.ordered_at");

    assert_eq!(
        send(&mut h, req(Method::DELETE, location)).await.status,
        204
    );
    let key = OrderKey {
        customer_id: "c 1".into(),
        ordered_at: "2026-02-01T09:30:00Z".into(),
    };
    assert_eq!(h.table().get(&key).await.unwrap(), None);

    let partition = send(&mut h, req(Method::DELETE, "/orders/c%201")).await;
    partition.problem(405, "MethodNotAllowed");
    assert_eq!(partition.header("allow"), Some("GET"));
    send(&mut h, req(Method::GET, "/orders/c%201/x/y"))
        .await
        .problem(404, "NotFound");

    let created = send(
        &mut h,
        json_req(
            Method::POST,
            "/orders",
            order("c/3", "2026-04-01T00:00:00Z", "Placed", 1),
        ),
    )
    .await;
    assert_eq!(
        created.header("location"),
        Some("/orders/c%2F3/2026-04-01T00%3A00%3A00Z")
    );
}

#[tokio::test]
async fn queries_of_a_partition() {
    let (mut h, all) = orders("http-order-query").await;
    let page = query(&mut h, "/orders/c%201").await;
    assert_eq!(page["items"], json!(all[..4]));
    assert_eq!(page["cursor"], Value::Null);

    let desc = query(&mut h, "/orders/c%201?order=desc&consistent=true").await;
    assert_eq!(
        dates(&desc),
        [
            "2026-03-01T08:00:00Z",
            "2026-02-14T18:00:00Z",
            "2026-02-01T09:30:00Z",
            "2026-01-05T10:00:00Z"
        ]
    );
    let range = query(
        &mut h,
        "/orders/c%201?ge=2026-02-01T09:30:00Z&le=2026-02-14T18:00:00Z",
    )
    .await;
    assert_eq!(
        dates(&range),
        ["2026-02-01T09:30:00Z", "2026-02-14T18:00:00Z"]
    );
    let prefix = query(&mut h, "/orders/c%201?begins_with=2026-02").await;
    assert_eq!(
        dates(&prefix),
        ["2026-02-01T09:30:00Z", "2026-02-14T18:00:00Z"]
    );
    let eq = query(&mut h, "/orders/c%201?eq=2026-03-01T08%3A00%3A00Z").await;
    assert_eq!(dates(&eq), ["2026-03-01T08:00:00Z"]);
    let lt = query(&mut h, "/orders/c%201?lt=2026-02-01T09:30:00Z").await;
    assert_eq!(dates(&lt), ["2026-01-05T10:00:00Z"]);
    let le = query(&mut h, "/orders/c%201?le=2026-02-01T09:30:00Z").await;
    assert_eq!(dates(&le).len(), 2);
    let gt = query(&mut h, "/orders/c%201?gt=2026-02-14T18:00:00Z").await;
    assert_eq!(dates(&gt), ["2026-03-01T08:00:00Z"]);
    let ge = query(&mut h, "/orders/c%201?ge=2026-02-14T18:00:00Z").await;
    assert_eq!(dates(&ge).len(), 2);
    let empty = query(&mut h, "/orders/nobody").await;
    assert_eq!(empty, json!({"items": [], "cursor": null}));

    // Pages of two, each cursor the token for the next.
    let mut seen = Vec::new();
    let mut uri = "/orders/c%201?limit=2".to_owned();
    for _ in 0..4 {
        let page = query(&mut h, &uri).await;
        seen.extend(dates(&page).into_iter().map(str::to_owned));
        match page["cursor"].as_str() {
            Some(cursor) => {
                assert!(dates(&page).len() == 2);
                uri = format!("/orders/c%201?limit=2&cursor={cursor}");
            }
            None => break,
        }
    }
    assert_eq!(seen, dates(&json!({"items": all[..4]})));
}

#[tokio::test]
async fn queries_of_indexes() {
    let (mut h, all) = orders("http-order-index").await;
    // Index key values are read as serde reads them: the enum's serde name.
    let placed = query(&mut h, "/orders/Placed?index=by_status").await;
    assert_eq!(placed["items"], json!([all[0], all[4], all[2]]));
    send(&mut h, req(Method::GET, "/orders/PLACED?index=by_status"))
        .await
        .invalid("partition");
    let placed_feb = query(&mut h, "/orders/Placed?index=by_status&begins_with=2026-02").await;
    assert_eq!(
        dates(&placed_feb),
        ["2026-02-02T12:00:00Z", "2026-02-14T18:00:00Z"]
    );

    // The local index's sort key is a number, parsed from the query string.
    let big = query(&mut h, "/orders/c%201?index=by_total&ge=1000&order=desc").await;
    assert_eq!(
        big["items"],
        json!([
            {"customer_id": "c 1", "ordered_at": "2026-02-14T18:00:00Z", "total_cents": 4200, "status": "Placed"},
            {"customer_id": "c 1", "ordered_at": "2026-01-05T10:00:00Z", "total_cents": 1500, "status": "Placed"},
        ])
    );
    let between = query(&mut h, "/orders/c%201?index=by_total&ge=300&le=800").await;
    assert_eq!(
        dates(&between),
        ["2026-03-01T08:00:00Z", "2026-02-01T09:30:00Z"]
    );
}

#[tokio::test]
async fn bad_queries_name_the_parameter() {
    let (mut h, _) = orders("http-order-bad-query").await;
    let cases = [
        ("/orders/c1?index=by_total&ge=lots", "ge"),
        ("/orders/c1?index=by_total&ge=1&le=many", "le"),
        ("/orders/c1?eq=a&lt=b", "lt"),
        ("/orders/c1?gt=a&ge=b&le=c", "ge"),
        ("/orders/c1?index=by_colour", "index"),
        (
            "/orders/Placed?index=by_status&consistent=true",
            "consistent",
        ),
        ("/orders/c1?limit=0", "limit"),
        ("/orders/c1?limit=-3", "limit"),
        ("/orders/c1?order=sideways", "order"),
        ("/orders/c1?page=2", "page"),
    ];
    for (uri, field) in cases {
        let reply = send(&mut h, req(Method::GET, uri)).await;
        assert_eq!(reply.status, 400, "{uri}: {}", reply.body);
        reply.invalid(field);
    }
    let reply = send(&mut h, req(Method::GET, "/orders/c1?cursor=not-a-cursor")).await;
    reply.problem(400, "Validation");
}

#[tokio::test]
async fn queries_of_a_table_without_sort_key_need_an_index() {
    let mut h = handler::<User>("http-user-query").await;
    send(&mut h, json_req(Method::POST, "/users", ada())).await;
    send(&mut h, req(Method::GET, "/users/u1?index=by_name"))
        .await
        .invalid("index");
    send(&mut h, req(Method::GET, "/users/u1?eq=x"))
        .await
        .invalid("eq");
}

#[tokio::test]
async fn service_errors_leak_nothing() {
    let client = dynamo_lambda_suite::local_client().await;
    let mut h = HttpHandler::new(TableClient::<User>::new(client, "no-such-table-http"));
    let mut context = dynamo_lambda::http::lambda_http::Context::default();
    context.request_id = "req-123".into();
    let request = req(Method::GET, "/users/u1").with_lambda_context(context);
    let reply = send(&mut h, request).await;
    let body = reply.problem(500, "Service");
    assert_eq!(body["requestId"], "req-123");
    assert!(!body.to_string().contains("no-such-table"), "{body}");
    assert!(!body.to_string().contains("ResourceNotFound"), "{body}");
    // Client errors carry no request id.
    let reply = send(&mut h, req(Method::GET, "/users")).await;
    assert_eq!(
        reply.problem(405, "MethodNotAllowed").get("requestId"),
        None
    );
}

#[tokio::test]
async fn api_gateway_rest_event_without_double_stripping_the_stage() {
    let mut h = handler::<User>("http-rest-event").await;
    let mut stored = ada();
    stored["id"] = json!("u 1");
    send(&mut h, json_req(Method::POST, "/users", stored.clone())).await;
    // The stage is named `users`, like the base path: a REST event's path
    // has no stage in it, so nothing is stripped.
    let request = event("apigw-rest-get.json");
    assert_eq!(request.raw_http_path(), "/users/u%201");
    let reply = send(&mut h, request).await;
    assert_eq!((reply.status, &reply.body), (200, &stored));
    // With another stage lambda_http puts it in front of the URI's path.
    let text = std::fs::read_to_string(format!(
        "{}/tests/fixtures/http/apigw-rest-get.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
    .replace("\"stage\": \"users\"", "\"stage\": \"prod\"");
    let request = request::from_str(&text).unwrap();
    assert_eq!(request.uri().path(), "/prod/users/u%201");
    let reply = send(&mut h, request).await;
    assert_eq!((reply.status, &reply.body), (200, &stored));
}

#[tokio::test]
async fn api_gateway_http_event_with_a_stage_in_the_path() {
    let mut h = handler::<User>("http-v2-event").await;
    send(&mut h, json_req(Method::POST, "/users", ada())).await;
    let reply = send(&mut h, event("apigw-http-patch-stage.json")).await;
    let expected = json!({"id": "u1", "name": "Ada Lovelace", "email": null, "age": 36});
    assert_eq!((reply.status, &reply.body), (200, &expected));
    assert_eq!(stored_user(h.table(), "u1").await, Some(user(expected)));
}

#[tokio::test]
async fn function_url_event_with_a_base64_body() {
    let mut h = handler::<User>("http-url-event").await;
    let reply = send(&mut h, event("function-url-put-base64.json")).await;
    assert_eq!((reply.status, &reply.body), (200, &ada()));
    assert_eq!(stored_user(h.table(), "u1").await, Some(user(ada())));
}

#[tokio::test]
async fn alb_event_with_a_query() {
    let (mut h, all) = orders("http-alb-event").await;
    let reply = send(&mut h, event("alb-query.json")).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(
        reply.body,
        json!({"items": [all[2], all[1]], "cursor": null})
    );
}

#[tokio::test]
async fn generated_http_handler_serves_the_table_by_name() {
    let h = User::http_handler();
    assert_eq!(h.base(), "/users");
    assert_eq!(h.table().name(), User::table_name());
    assert_eq!(Order::http_handler().base(), "/orders");
}

#[tokio::test]
async fn deep_json_bodies_are_validation_errors() {
    let mut h = handler::<User>("http-deep").await;
    let deep = format!(
        "{{\"id\": \"u1\", \"name\": {}1{}, \"age\": 1}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    for (method, uri) in [
        (Method::POST, "/users"),
        (Method::PUT, "/users/u1"),
        (Method::PATCH, "/users/u1"),
    ] {
        let reply = send(
            &mut h,
            with_json(method.clone(), uri, "application/json", &deep),
        )
        .await;
        // The body parser stops at 128 levels, or sooner at a wrong type.
        let body = reply.problem(400, "Validation");
        assert!(body["field"].is_string(), "{method} {body}");
    }
    // A body that is deep where any JSON is accepted: the parser's limit.
    let deep_patch = format!(
        "{{\"email\": {}{}}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let reply = send(
        &mut h,
        with_json(Method::PATCH, "/users/u1", "application/json", &deep_patch),
    )
    .await;
    let body = reply.problem(400, "Validation");
    assert!(
        body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("recursion limit exceeded")),
        "{body}"
    );
    assert_eq!(stored_user(h.table(), "u1").await, None);
}
