//! Creating and deleting the table an item type describes.

use std::time::{Duration, Instant};

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, KeySchemaElement, KeyType as SdkKeyType, TableStatus,
};

use crate::{Error, KeyDefinition, Table};

/// How long [`create_table`] waits for the table to become active.
const ACTIVE_TIMEOUT: Duration = Duration::from_secs(120);

/// Creates `T`'s table under [`Table::table_name`] and waits until it is active.
pub async fn create_table<T: Table>(client: &Client) -> Result<(), Error> {
    create_table_named::<T>(client, T::table_name()).await
}

/// Creates a table with `T`'s key schema under another name (a test's own
/// table, say), on-demand billing, and waits until it is active.
pub async fn create_table_named<T: Table>(client: &Client, name: &str) -> Result<(), Error> {
    let definition = T::DEFINITION;
    let keys = std::iter::once((definition.partition_key, SdkKeyType::Hash))
        .chain(definition.sort_key.map(|k| (k, SdkKeyType::Range)));
    let mut request = client
        .create_table()
        .table_name(name)
        .billing_mode(BillingMode::PayPerRequest);
    for (
        KeyDefinition {
            attribute,
            key_type,
        },
        role,
    ) in keys
    {
        request = request
            .attribute_definitions(
                AttributeDefinition::builder()
                    .attribute_name(attribute)
                    .attribute_type(key_type.scalar_attribute_type())
                    .build()
                    .map_err(|e| Error::validation(attribute, e.to_string()))?,
            )
            .key_schema(
                KeySchemaElement::builder()
                    .attribute_name(attribute)
                    .key_type(role)
                    .build()
                    .map_err(|e| Error::validation(attribute, e.to_string()))?,
            );
    }
    request.send().await.map_err(|e| Error::from_sdk(e, name))?;
    wait_until_active(client, name).await
}

/// Deletes the table `name`.
pub async fn delete_table(client: &Client, name: &str) -> Result<(), Error> {
    client
        .delete_table()
        .table_name(name)
        .send()
        .await
        .map_err(|e| Error::from_sdk(e, name))?;
    Ok(())
}

/// Polls `DescribeTable` (the SDK's waiter sleeps at least 20 s first).
async fn wait_until_active(client: &Client, name: &str) -> Result<(), Error> {
    let started = Instant::now();
    let mut delay = Duration::from_millis(20);
    loop {
        let output = client
            .describe_table()
            .table_name(name)
            .send()
            .await
            .map_err(|e| Error::from_sdk(e, name))?;
        let status = output.table.and_then(|t| t.table_status);
        if status == Some(TableStatus::Active) {
            return Ok(());
        }
        if started.elapsed() > ACTIVE_TIMEOUT {
            return Err(Error::Service {
                code: None,
                message: format!(
                    "table `{name}` is not active after {ACTIVE_TIMEOUT:?} (status {status:?})"
                ),
                retryable: true,
            });
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(Duration::from_secs(1));
    }
}
