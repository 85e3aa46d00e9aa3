//! Load: the example functions' generated handlers (`Handler::new(table)
//! .into_service()`, what `User::handler()` and `Order::handler()` return,
//! on a table made for the run) called in process as `tower` services by
//! N concurrent invocations against the local server, beside a hand-written
//! `service_fn` doing the same work with the raw SDK and `serde_dynamo`;
//! then a parallel scan under that load, whose in-flight requests stay
//! within its bound.
//!
//! Bounded: `DYNAMO_LAMBDA_LOAD_REQUESTS` invocations (200 by default) per
//! function, implementation and N (1, 8, 64), loopback only. Run it bigger
//! and optimized by hand:
//!
//! ```text
//! DYNAMO_LAMBDA_LOAD_REQUESTS=5000 cargo test --release --test load -- --nocapture
//! ```
//! (with the server's variables from `cargo xtask dynamodb` in the environment).

use std::sync::Arc;
use std::time::{Duration, Instant};

use dynamo_lambda::aws_sdk_dynamodb::Client;
use dynamo_lambda::aws_sdk_dynamodb::error::ProvideErrorMetadata;
use dynamo_lambda::aws_sdk_dynamodb::types::AttributeValue;
use dynamo_lambda::{Context, ErrorKind, Handler, LambdaEvent, Table, TableClient};
use dynamo_lambda_suite::{InFlight, Server, fresh_table};
use futures_util::{StreamExt, TryStreamExt};
use lambda_runtime::{Service, service_fn};
use orders_example::Order;
use serde_dynamo::aws_sdk_dynamodb_1 as serde_dynamo;
use serde_json::{Value, json};
use users_example::User;

const CONCURRENCY: [usize; 3] = [1, 8, 64];
/// Distinct keys the invocations read and write.
const KEYS: usize = 100;
/// The whole test, on the slower server, stays well within this.
const TIME_LIMIT: Duration = Duration::from_secs(120);

fn requests() -> usize {
    std::env::var("DYNAMO_LAMBDA_LOAD_REQUESTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(200)
}

/// Invocation `i` of the users function: a get or a put of one of `KEYS` users.
fn user_event(i: usize) -> Value {
    let id = format!("u{}", (i / 2) % KEYS);
    if i.is_multiple_of(2) {
        json!({"op": "get", "key": {"id": id}})
    } else {
        json!({"op": "put", "item": {"id": id, "name": format!("User {i}"), "email": null, "age": i % 90}})
    }
}

/// Invocation `i` of the orders function: a query of one of ten customers'
/// latest orders, or a put of one of `KEYS` orders.
fn order_event(i: usize) -> Value {
    let customer = format!("c{}", (i / 2) % 10);
    if i.is_multiple_of(2) {
        json!({"op": "query", "partition": customer, "limit": 10})
    } else {
        json!({"op": "put", "item": {
            "customer_id": customer,
            "ordered_at": format!("2026-01-01T00:00:{:02}Z", (i / 20) % (KEYS / 10)),
            "status": "Placed", "lines": [{"sku": "s1", "quantity": 1, "unit_cents": 250}],
            "total_cents": 250, "tags": [],
            "shipping": {"street": "1 Main St", "city": "Springfield", "country": "US"},
            "expires_at": null
        }})
    }
}

/// The hand-written function's error: whether it is throttling, and what.
#[derive(Debug)]
struct HandError {
    throttled: bool,
    message: String,
}

impl std::fmt::Display for HandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

fn hand_error(error: impl ProvideErrorMetadata + std::fmt::Display) -> HandError {
    HandError {
        throttled: matches!(
            error.code(),
            Some("ThrottlingException" | "ProvisionedThroughputExceededException")
        ),
        message: error.to_string(),
    }
}

fn bad(message: impl ToString) -> HandError {
    HandError {
        throttled: false,
        message: message.to_string(),
    }
}

/// The users function written by hand: the SDK's `GetItem`/`PutItem`, items
/// converted with `serde_dynamo`.
async fn hand_users(client: Client, table: Arc<str>, payload: Value) -> Result<Value, HandError> {
    match payload["op"].as_str() {
        Some("get") => {
            let id = payload["key"]["id"].as_str().ok_or_else(|| bad("key.id"))?;
            let output = client
                .get_item()
                .table_name(&*table)
                .key("id", AttributeValue::S(id.to_owned()))
                .send()
                .await
                .map_err(|e| hand_error(e.into_service_error()))?;
            let item: Option<User> = output
                .item
                .map(serde_dynamo::from_item)
                .transpose()
                .map_err(bad)?;
            Ok(json!({"op": "get", "found": item.is_some(), "item": item}))
        }
        Some("put") => {
            let user: User = serde_json::from_value(payload["item"].clone()).map_err(bad)?;
            let item = serde_dynamo::to_item(&user).map_err(bad)?;
            client
                .put_item()
                .table_name(&*table)
                .set_item(Some(item))
                .send()
                .await
                .map_err(|e| hand_error(e.into_service_error()))?;
            Ok(json!({"op": "put"}))
        }
        _ => Err(bad("op")),
    }
}

/// The orders function written by hand: `Query` and `PutItem`.
async fn hand_orders(client: Client, table: Arc<str>, payload: Value) -> Result<Value, HandError> {
    match payload["op"].as_str() {
        Some("query") => {
            let customer = payload["partition"]
                .as_str()
                .ok_or_else(|| bad("partition"))?;
            let output = client
                .query()
                .table_name(&*table)
                .key_condition_expression("#pk = :pk")
                .expression_attribute_names("#pk", "customer_id")
                .expression_attribute_values(":pk", AttributeValue::S(customer.to_owned()))
                .limit(10)
                .send()
                .await
                .map_err(|e| hand_error(e.into_service_error()))?;
            let items: Vec<Order> =
                serde_dynamo::from_items(output.items.unwrap_or_default()).map_err(bad)?;
            Ok(json!({"op": "query", "items": items, "more": output.last_evaluated_key.is_some()}))
        }
        Some("put") => {
            let order: Order = serde_json::from_value(payload["item"].clone()).map_err(bad)?;
            let item = serde_dynamo::to_item(&order).map_err(bad)?;
            client
                .put_item()
                .table_name(&*table)
                .set_item(Some(item))
                .send()
                .await
                .map_err(|e| hand_error(e.into_service_error()))?;
            Ok(json!({"op": "put"}))
        }
        _ => Err(bad("op")),
    }
}

/// What one run measured.
struct Run {
    latencies: Vec<Duration>,
    wall: Duration,
    throttled: usize,
}

impl Run {
    fn percentile(&self, p: f64) -> f64 {
        let index = ((self.latencies.len() as f64 - 1.0) * p).round() as usize;
        self.latencies[index].as_secs_f64() * 1000.0
    }

    fn throughput(&self) -> f64 {
        self.latencies.len() as f64 / self.wall.as_secs_f64()
    }
}

/// Calls `service` `requests` times, `concurrency` at once, each invocation
/// a task of its own; every error but throttling fails the test.
async fn drive<S, P, R, E>(
    service: &S,
    event: fn(usize) -> Value,
    requests: usize,
    concurrency: usize,
    throttled: fn(&E) -> bool,
) -> Run
where
    S: Service<LambdaEvent<P>, Response = R, Error = E> + Clone + Send + 'static,
    S::Future: Send + 'static,
    P: From<Value> + Send + 'static,
    R: Send + 'static,
    E: std::fmt::Display + Send + 'static,
{
    let start = Instant::now();
    let outcomes: Vec<(Duration, Result<R, E>)> = futures_util::stream::iter(0..requests)
        .map(|i| {
            let mut service = service.clone();
            let payload = P::from(event(i));
            tokio::spawn(async move {
                let started = Instant::now();
                let result = service
                    .call(LambdaEvent::new(payload, Context::default()))
                    .await;
                (started.elapsed(), result)
            })
        })
        .buffer_unordered(concurrency)
        .map(|joined| joined.expect("an invocation panicked"))
        .collect()
        .await;
    let wall = start.elapsed();
    let mut run = Run {
        latencies: Vec::with_capacity(requests),
        wall,
        throttled: 0,
    };
    for (latency, result) in outcomes {
        match result {
            Ok(_) => run.latencies.push(latency),
            Err(error) if throttled(&error) => run.throttled += 1,
            Err(error) => panic!("invocation failed: {error}"),
        }
    }
    assert!(!run.latencies.is_empty(), "every invocation was throttled");
    run.latencies.sort();
    run
}

/// The process's peak resident memory (`VmHWM`), in MB.
fn peak_memory_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn report(function: &str, implementation: &str, n: usize, run: &Run) {
    println!(
        "{function:<7} {implementation:<10} {n:>3} {:>8.2} {:>8.2} {:>9.0} {:>9}",
        run.percentile(0.5),
        run.percentile(0.99),
        run.throughput(),
        run.throttled
    );
}

/// Runs one function's generated handler and hand-written twin at each N.
async fn compare<T>(
    function: &str,
    event: fn(usize) -> Value,
    hand: fn(Client, Arc<str>, Value) -> HandFuture,
    requests: usize,
) -> TableClient<T>
where
    T: Table
        + dynamo_lambda::handler::JsonUpdate
        + dynamo_lambda::handler::JsonQuery
        + serde::Serialize
        + serde::de::DeserializeOwned
        + Send
        + Sync
        + 'static,
    T::Key: Clone + serde::de::DeserializeOwned,
{
    let generated_table = fresh_table::<T>(&format!("load-{function}")).await;
    let hand_table = fresh_table::<T>(&format!("load-{function}-hand")).await;
    let generated = Handler::new(generated_table.clone()).into_service();
    let client = hand_table.client().await.clone();
    let name: Arc<str> = Arc::from(hand_table.name());
    let hand = service_fn(move |event: LambdaEvent<Value>| {
        hand(client.clone(), name.clone(), event.payload)
    });
    // Every key written once, so reads find items.
    let seed = |i: usize| event(2 * i + 1);
    for i in 0..KEYS {
        generated
            .clone()
            .call(LambdaEvent::new(seed(i).into(), Context::default()))
            .await
            .unwrap();
        hand.clone()
            .call(LambdaEvent::new(seed(i), Context::default()))
            .await
            .unwrap();
    }
    for n in CONCURRENCY {
        let run = drive(
            &generated,
            event,
            requests,
            n,
            |e: &dynamo_lambda::Error| e.kind() == ErrorKind::Throttled,
        )
        .await;
        report(function, "generated", n, &run);
        let run = drive(&hand, event, requests, n, |e: &HandError| e.throttled).await;
        report(function, "hand", n, &run);
    }
    generated_table
}

type HandFuture = std::pin::Pin<Box<dyn Future<Output = Result<Value, HandError>> + Send>>;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generated_handlers_under_concurrent_load() {
    tokio::time::timeout(TIME_LIMIT, load())
        .await
        .unwrap_or_else(|_| panic!("the load test took more than {TIME_LIMIT:?}"));
}

async fn load() {
    let requests = requests();
    let started = Instant::now();
    println!(
        "load on {}: {requests} invocations per run, {KEYS} keys",
        Server::current()
    );
    println!(
        "{:<7} {:<10} {:>3} {:>8} {:>8} {:>9} {:>9}",
        "fn", "impl", "N", "p50 ms", "p99 ms", "req/s", "throttled"
    );
    let users = compare::<User>(
        "users",
        user_event,
        |client, table, payload| Box::pin(hand_users(client, table, payload)),
        requests,
    )
    .await;
    compare::<Order>(
        "orders",
        order_event,
        |client, table, payload| Box::pin(hand_orders(client, table, payload)),
        requests,
    )
    .await;

    // A parallel scan while 64 invocations at a time run on the same table.
    let (client, in_flight) = InFlight::attach(users.client().await);
    let scanned = TableClient::<User>::new(client, users.name().to_owned());
    let concurrency = 4;
    let generated = Handler::new(users.clone()).into_service();
    let background = tokio::spawn(async move {
        drive(
            &generated,
            user_event,
            requests,
            64,
            |e: &dynamo_lambda::Error| e.kind() == ErrorKind::Throttled,
        )
        .await
    });
    let scan_started = Instant::now();
    let items: Vec<User> = scanned
        .scan()
        .limit(5)
        .segments(32)
        .concurrency(concurrency)
        .stream()
        .try_collect()
        .await
        .unwrap();
    let scan_time = scan_started.elapsed();
    let run = background.await.unwrap();
    assert_eq!(items.len(), KEYS);
    assert!(
        in_flight.most() <= concurrency,
        "{} scan requests in flight, bound {concurrency}",
        in_flight.most()
    );
    println!(
        "parallel scan under load: 32 segments, concurrency {concurrency}: {} requests, \
         at most {} in flight, {} items in {:.0} ms; meanwhile users N=64 p50 {:.2} ms p99 {:.2} ms",
        in_flight.total(),
        in_flight.most(),
        items.len(),
        scan_time.as_secs_f64() * 1000.0,
        run.percentile(0.5),
        run.percentile(0.99)
    );
    println!(
        "peak memory (VmHWM) {:.1} MB; whole run {:.1} s",
        peak_memory_mb(),
        started.elapsed().as_secs_f64()
    );
}
