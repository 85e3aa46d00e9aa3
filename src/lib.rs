//! Support for the integration tests and the demo: clients and tables on the
//! local DynamoDB server named by `AWS_ENDPOINT_URL_DYNAMODB`.

pub mod fault;
pub mod http;
pub mod lambda;
pub mod server;
pub mod streams;

pub use server::{Capability, Server, supports};

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use dynamo_lambda::aws_sdk_dynamodb::Client;
use dynamo_lambda::aws_sdk_dynamodb::config::interceptors::BeforeTransmitInterceptorContextRef;
use dynamo_lambda::aws_sdk_dynamodb::config::{ConfigBag, Intercept, RuntimeComponents};
use dynamo_lambda::{Table, TableClient};
use serde_json::Value;

/// A client for the server the test run started; fails with a clear message
/// when the suite is not run through `cargo xtask test`.
pub async fn local_client() -> Client {
    assert!(
        std::env::var_os("AWS_ENDPOINT_URL_DYNAMODB").is_some(),
        "AWS_ENDPOINT_URL_DYNAMODB is not set: run the suite with `cargo xtask test`, \
         which starts a local DynamoDB server"
    );
    dynamo_lambda::new_client().await
}

/// A unique table name: the item type's table name, the test's label, the
/// process and a counter, so tests can run in parallel and again.
pub fn unique_table_name<T: Table>(label: &str) -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!(
        "{}-{label}-{}-{}-{nanos}",
        T::DEFINITION.name,
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// Creates a fresh table with `T`'s key schema for one test.
pub async fn fresh_table<T: Table>(label: &str) -> TableClient<T> {
    let client = local_client().await;
    let name = unique_table_name::<T>(label);
    dynamo_lambda::create_table_named::<T>(&client, &name)
        .await
        .unwrap_or_else(|e| panic!("creating table {name}: {e}"));
    TableClient::new(client, name)
}

/// The requests a client sent, recorded by an interceptor: operation name
/// and JSON body. Tests use it to count requests and their entries — what
/// the server alone would not show (moto accepts a 26-item
/// `BatchWriteItem`, DynamoDB does not).
#[derive(Debug, Clone, Default)]
pub struct Wire(Arc<Mutex<Vec<(String, Value)>>>);

impl Intercept for Wire {
    fn name(&self) -> &'static str {
        "Wire"
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        let request = context.request();
        let target = request.headers().get("x-amz-target").unwrap_or_default();
        let operation = target.rsplit('.').next().unwrap_or_default().to_owned();
        let body = match request.body().bytes() {
            Some(bytes) => serde_json::from_slice(bytes)?,
            None => Value::Null,
        };
        self.0.lock().expect("wire lock").push((operation, body));
        Ok(())
    }
}

impl Wire {
    /// `client` with a recorder: requests through the returned client are
    /// recorded in the returned `Wire`.
    pub fn attach(client: &Client) -> (Client, Wire) {
        let wire = Wire::default();
        let config = client
            .config()
            .to_builder()
            .interceptor(wire.clone())
            .build();
        (Client::from_conf(config), wire)
    }

    /// The bodies of the requests of `operation`, in order.
    pub fn bodies(&self, operation: &str) -> Vec<Value> {
        self.0
            .lock()
            .expect("wire lock")
            .iter()
            .filter(|(op, _)| op == operation)
            .map(|(_, body)| body.clone())
            .collect()
    }

    /// How many requests of `operation` were sent.
    pub fn count(&self, operation: &str) -> usize {
        self.bodies(operation).len()
    }

    /// How many requests were sent in all.
    pub fn total(&self) -> usize {
        self.0.lock().expect("wire lock").len()
    }
}
