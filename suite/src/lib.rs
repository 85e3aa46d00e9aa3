//! Support for the integration tests and the demo: clients and tables on the
//! local DynamoDB server named by `AWS_ENDPOINT_URL_DYNAMODB`.

pub mod fault;
pub mod http;
pub mod lambda;
pub mod server;
pub mod streams;

pub use server::{Capability, Server, supports};

use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use dynamo_lambda::aws_sdk_dynamodb::Client;
use dynamo_lambda::aws_sdk_dynamodb::config::interceptors::{
    BeforeDeserializationInterceptorContextRef, BeforeTransmitInterceptorContextRef,
};
use dynamo_lambda::aws_sdk_dynamodb::config::{ConfigBag, Intercept, RuntimeComponents};
use dynamo_lambda::{Table, TableClient};
use serde_json::Value;

/// A client for the server the test run started; fails with a clear message
/// when the suite is not run through `cargo xtask test`. Its requests are
/// checked as DynamoDB checks them where moto does not: one carrying an
/// expression placeholder that no expression uses panics the test.
pub async fn local_client() -> Client {
    assert!(
        std::env::var_os("AWS_ENDPOINT_URL_DYNAMODB").is_some(),
        "AWS_ENDPOINT_URL_DYNAMODB is not set: run the suite with `cargo xtask test`, \
         which starts a local DynamoDB server"
    );
    let client = dynamo_lambda::new_client().await;
    let config = client
        .config()
        .to_builder()
        .interceptor(UnusedPlaceholders)
        .build();
    Client::from_conf(config)
}

/// Refuses (panics on) requests with unused expression placeholders.
#[derive(Debug)]
struct UnusedPlaceholders;

impl Intercept for UnusedPlaceholders {
    fn name(&self) -> &'static str {
        "UnusedPlaceholders"
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        let (operation, body) = operation_and_body(context)?;
        assert_placeholders_used(&operation, &body);
        Ok(())
    }
}

/// The operation named by a request's `X-Amz-Target`, and its JSON body.
fn operation_and_body(
    context: &BeforeTransmitInterceptorContextRef<'_>,
) -> Result<(String, Value), Box<dyn std::error::Error + Send + Sync>> {
    let request = context.request();
    let target = request.headers().get("x-amz-target").unwrap_or_default();
    let operation = target.rsplit('.').next().unwrap_or_default().to_owned();
    let body = match request.body().bytes() {
        Some(bytes) => serde_json::from_slice(bytes)?,
        None => Value::Null,
    };
    Ok((operation, body))
}

/// DynamoDB refuses a request with a placeholder no expression uses
/// (dynalite too; moto does not).
fn assert_placeholders_used(operation: &str, body: &Value) {
    let unused = unused_placeholders(body);
    assert!(
        unused.is_empty(),
        "{operation} sends placeholders no expression uses: {unused:?} in {body}"
    );
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
///
/// On a server without the TTL API (dynalite) the table is created all the
/// same and only enabling its time to live fails; that is accepted here, as
/// reads that skip expired items filter on the attribute and need no TTL on
/// the server. Tests of the TTL setting itself ask
/// `supports(Capability::Ttl)`.
pub async fn fresh_table<T: Table>(label: &str) -> TableClient<T> {
    let client = local_client().await;
    let name = unique_table_name::<T>(label);
    let created = dynamo_lambda::create_table_named::<T>(&client, &name).await;
    match created {
        Ok(()) => {}
        Err(dynamo_lambda::Error::Service {
            code: Some(code), ..
        }) if code == "UnknownOperationException"
            && T::DEFINITION.ttl_attribute.is_some()
            && !Server::current().has(Capability::Ttl) => {}
        Err(e) => panic!("creating table {name}: {e}"),
    }
    TableClient::new(client, name)
}

/// The requests a client sent, recorded by an interceptor: operation name
/// and JSON body. Tests use it to count requests and their entries — what
/// the server alone would not show (moto accepts a 26-item
/// `BatchWriteItem`, DynamoDB does not). Attached to a client from
/// [`local_client`], it sees requests that client has already checked for
/// unused placeholders.
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
        let (operation, body) = operation_and_body(context)?;
        self.0.lock().expect("wire lock").push((operation, body));
        Ok(())
    }
}

impl Wire {
    /// `client` with a recorder: requests through the returned client are
    /// recorded in the returned `Wire`.
    pub fn attach(client: &Client) -> (Client, Wire) {
        with_interceptor(client)
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

/// How many requests a client has in flight, and the most it had at once:
/// an interceptor counting from transmission to response.
#[derive(Debug, Clone, Default)]
pub struct InFlight(Arc<(AtomicUsize, AtomicUsize, AtomicUsize)>);

impl Intercept for InFlight {
    fn name(&self) -> &'static str {
        "InFlight"
    }

    fn read_before_transmit(
        &self,
        _: &BeforeTransmitInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        let (now, most, total) = &*self.0;
        let current = now.fetch_add(1, Ordering::SeqCst) + 1;
        most.fetch_max(current, Ordering::SeqCst);
        total.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }

    fn read_after_transmit(
        &self,
        _: &BeforeDeserializationInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        self.0.0.fetch_sub(1, Ordering::SeqCst);
        Ok(())
    }
}

impl InFlight {
    /// `client` with a counter: requests through the returned client are counted.
    pub fn attach(client: &Client) -> (Client, InFlight) {
        with_interceptor(client)
    }

    /// The most requests that were in flight at once.
    pub fn most(&self) -> usize {
        self.0.1.load(Ordering::SeqCst)
    }

    /// How many requests were sent.
    pub fn total(&self) -> usize {
        self.0.2.load(Ordering::SeqCst)
    }

    /// Starts counting the most in flight again.
    pub fn reset_most(&self) {
        self.0
            .1
            .store(self.0.0.load(Ordering::SeqCst), Ordering::SeqCst);
    }
}

/// `client` with a new `I` added to its interceptors, and that `I`: what the
/// returned client sends goes through it.
fn with_interceptor<I: Intercept + Clone + Default + 'static>(client: &Client) -> (Client, I) {
    let interceptor = I::default();
    let config = client
        .config()
        .to_builder()
        .interceptor(interceptor.clone())
        .build();
    (Client::from_conf(config), interceptor)
}

/// The expression fields whose placeholders `ExpressionAttributeNames` and
/// `ExpressionAttributeValues` serve.
const EXPRESSIONS: [&str; 5] = [
    "UpdateExpression",
    "ConditionExpression",
    "KeyConditionExpression",
    "FilterExpression",
    "ProjectionExpression",
];

/// The placeholders (`#n0`, `:v1`) a request body defines but no expression
/// beside them uses, at any depth (transaction actions, batch tables).
pub fn unused_placeholders(body: &Value) -> Vec<String> {
    let mut unused = Vec::new();
    collect_unused(body, &mut unused);
    unused
}

fn collect_unused(value: &Value, unused: &mut Vec<String>) {
    match value {
        Value::Object(object) => {
            let expressions: Vec<&str> = EXPRESSIONS
                .iter()
                .filter_map(|field| object.get(*field)?.as_str())
                .collect();
            for map in ["ExpressionAttributeNames", "ExpressionAttributeValues"] {
                let Some(Value::Object(defined)) = object.get(map) else {
                    continue;
                };
                for placeholder in defined.keys() {
                    if !expressions.iter().any(|e| uses(e, placeholder)) {
                        unused.push(placeholder.clone());
                    }
                }
            }
            object.values().for_each(|v| collect_unused(v, unused));
        }
        Value::Array(values) => values.iter().for_each(|v| collect_unused(v, unused)),
        _ => {}
    }
}

/// Whether `expression` holds `placeholder` as a whole token (`#n1` is not
/// in `#n10`).
fn uses(expression: &str, placeholder: &str) -> bool {
    expression.match_indices(placeholder).any(|(at, _)| {
        !expression[at + placeholder.len()..]
            .starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::unused_placeholders;

    #[test]
    fn placeholders_no_expression_uses_are_found_at_any_depth() {
        let used = json!({
            "UpdateExpression": "SET #n1 = :v10",
            "ConditionExpression": "attribute_exists(#n10)",
            "ExpressionAttributeNames": {"#n1": "a", "#n10": "b"},
            "ExpressionAttributeValues": {":v10": {"N": "1"}},
        });
        assert!(unused_placeholders(&used).is_empty());
        let unused = json!({
            "TransactItems": [{"Update": {
                "UpdateExpression": "SET #n10 = :v0",
                "ExpressionAttributeNames": {"#n1": "a", "#n10": "b"},
                "ExpressionAttributeValues": {":v0": {"N": "1"}, ":v1": {"N": "2"}},
            }}],
        });
        let mut found = unused_placeholders(&unused);
        found.sort();
        assert_eq!(found, ["#n1", ":v1"]);
    }
}
