//! Whole requests on an in-memory HTTP client: the typed `get`/`put` against
//! the raw SDK calls, and the generated Lambda handler against a
//! hand-written `service_fn` doing the same `GetItem`.

use std::future::{Future, IntoFuture};
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::Criterion;
use dynamo_lambda::aws_sdk_dynamodb::Client;
use dynamo_lambda::aws_sdk_dynamodb::types::AttributeValue;
use dynamo_lambda::{Handler, Item, TableClient};
use lambda_runtime::{Context, LambdaEvent, Service, service_fn};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::runtime::Runtime;

use crate::client::client;
use crate::hand;
use crate::model::{Record, RecordKey, record};

const TABLE: &str = "Records";

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a Tokio runtime")
}

/// Times `iters` sequential runs of `op` inside one `block_on`, so the
/// runtime's entry costs nothing per iteration.
fn run<F: Future>(rt: &Runtime, iters: u64, op: impl Fn() -> F) -> Duration {
    rt.block_on(async {
        let start = Instant::now();
        for _ in 0..iters {
            black_box(op().await);
        }
        start.elapsed()
    })
}

/// The raw SDK read, with the hand-written decoding.
async fn raw_get(client: &Client, pk: &str, sk: &str) -> Option<Record> {
    let output = client
        .get_item()
        .table_name(TABLE)
        .key("pk", AttributeValue::S(pk.to_owned()))
        .key("sk", AttributeValue::S(sk.to_owned()))
        .consistent_read(false)
        .send()
        .await
        .expect("GetItem succeeds");
    output
        .item
        .filter(|item| !item.is_empty())
        .map(|item| hand::from_item(item).expect("a valid item"))
}

/// The raw SDK write, with the hand-written encoding.
async fn raw_put(client: &Client, record: &Record) {
    client
        .put_item()
        .table_name(TABLE)
        .set_item(Some(hand::to_item(record).expect("a valid record")))
        .send()
        .await
        .expect("PutItem succeeds");
}

pub fn table_benches(c: &mut Criterion) {
    let rt = runtime();
    let one = record(42);
    let client = client(&one.to_item().unwrap());
    let table = TableClient::<Record>::new(client.clone(), TABLE);
    let key = one.key();

    let got = rt.block_on(table.get(&key).into_future()).unwrap();
    assert_eq!(got.as_ref(), Some(&one), "typed get reads the item back");
    let raw = rt.block_on(raw_get(&client, &key.pk, &key.sk));
    assert_eq!(raw.as_ref(), Some(&one), "raw get reads the item back");

    let mut group = c.benchmark_group("get");
    group.bench_function("generated", |b| {
        b.iter_custom(|iters| {
            run(&rt, iters, || async {
                table.get(black_box(&key)).await.unwrap()
            })
        })
    });
    group.bench_function("raw_sdk", |b| {
        b.iter_custom(|iters| {
            run(&rt, iters, || {
                let key = black_box(&key);
                raw_get(&client, &key.pk, &key.sk)
            })
        })
    });
    group.finish();

    let mut group = c.benchmark_group("put");
    group.bench_function("generated", |b| {
        b.iter_custom(|iters| {
            run(&rt, iters, || async {
                table.put(black_box(&one)).await.unwrap()
            })
        })
    });
    group.bench_function("raw_sdk", |b| {
        b.iter_custom(|iters| run(&rt, iters, || raw_put(&client, black_box(&one))))
    });
    group.finish();
}

/// The event a hand-written function reads.
#[derive(Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
enum HandRequest {
    Get {
        key: RecordKey,
        #[serde(default)]
        consistent_read: bool,
    },
}

/// The answer it writes: the same JSON as the generated handler's.
#[derive(Serialize)]
#[serde(tag = "op", rename_all = "snake_case")]
enum HandResponse {
    Get { found: bool, item: Option<Record> },
}

#[derive(Debug)]
struct HandError(String);

impl From<HandError> for lambda_runtime::Diagnostic {
    fn from(error: HandError) -> Self {
        lambda_runtime::Diagnostic {
            error_type: "Validation".into(),
            error_message: error.0,
        }
    }
}

/// A hand-written function: `service_fn` over the raw SDK call.
async fn hand_handler(
    client: &Client,
    event: LambdaEvent<Value>,
) -> Result<HandResponse, HandError> {
    let request: HandRequest =
        serde_json::from_value(event.payload).map_err(|e| HandError(e.to_string()))?;
    match request {
        HandRequest::Get {
            key,
            consistent_read,
        } => {
            let output = client
                .get_item()
                .table_name(TABLE)
                .key("pk", AttributeValue::S(key.pk))
                .key("sk", AttributeValue::S(key.sk))
                .consistent_read(consistent_read)
                .send()
                .await
                .map_err(|e| HandError(e.to_string()))?;
            let item = match output.item.filter(|item| !item.is_empty()) {
                Some(item) => Some(hand::from_item(item).map_err(|e| HandError(format!("{e:?}")))?),
                None => None,
            };
            Ok(HandResponse::Get {
                found: item.is_some(),
                item,
            })
        }
    }
}

/// One invocation as the runtime makes it: the event body parsed, the
/// service called, the response serialized.
async fn invoke<S, P, R>(service: &S, body: &[u8]) -> Vec<u8>
where
    S: Service<LambdaEvent<P>, Response = R> + Clone,
    S::Error: std::fmt::Debug,
    P: serde::de::DeserializeOwned,
    R: Serialize,
{
    let payload: P = serde_json::from_slice(body).expect("a JSON event");
    let event = LambdaEvent::new(payload, Context::default());
    let response = service
        .clone()
        .call(event)
        .await
        .expect("the handler succeeds");
    serde_json::to_vec(&response).expect("a JSON response")
}

pub fn handler_benches(c: &mut Criterion) {
    let rt = runtime();
    let one = record(42);
    let client = client(&one.to_item().unwrap());
    // What `Record::handler()` returns, on the in-memory client.
    let generated = Handler::new(TableClient::<Record>::new(client.clone(), TABLE)).into_service();
    let hand = service_fn(move |event| {
        let client = client.clone();
        async move { hand_handler(&client, event).await }
    });
    let body = serde_json::to_vec(&serde_json::json!({
        "op": "get",
        "key": { "pk": one.pk, "sk": one.sk },
    }))
    .unwrap();

    let from_generated = rt.block_on(invoke(&generated, &body));
    let from_hand = rt.block_on(invoke(&hand, &body));
    let as_json = |bytes: &[u8]| serde_json::from_slice::<Value>(bytes).unwrap();
    assert_eq!(
        as_json(&from_generated),
        as_json(&from_hand),
        "both handlers answer the same"
    );

    let mut group = c.benchmark_group("handler");
    group.bench_function("generated", |b| {
        b.iter_custom(|iters| run(&rt, iters, || invoke(&generated, black_box(&body))))
    });
    group.bench_function("hand_written", |b| {
        b.iter_custom(|iters| run(&rt, iters, || invoke(&hand, black_box(&body))))
    });
    group.finish();
}
