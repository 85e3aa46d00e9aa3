//! Support for the integration tests and the demo: clients and tables on the
//! local DynamoDB server named by `AWS_ENDPOINT_URL_DYNAMODB`.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use dynamo_lambda::aws_sdk_dynamodb::Client;
use dynamo_lambda::{Table, TableClient};

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
