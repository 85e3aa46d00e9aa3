//! Creating and deleting the table an item type describes.

use std::time::{Duration, Instant};

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement,
    KeyType as SdkKeyType, LocalSecondaryIndex, Projection as SdkProjection, ProvisionedThroughput,
    StreamSpecification, TableStatus, TimeToLiveSpecification,
};

use crate::model::definition::{Billing, Capacity, IndexDefinition, KeyDefinition, Projection};
use crate::model::error::Error;
use crate::model::item::Table;

/// How long [`create_table`] waits for the table to become active.
const ACTIVE_TIMEOUT: Duration = Duration::from_secs(120);

/// Creates `T`'s table under [`Table::table_name`] exactly as
/// [`Table::DEFINITION`] describes it — keys, indexes, billing, stream and
/// time to live — and waits until it is active.
pub async fn create_table<T: Table>(client: &Client) -> Result<(), Error> {
    create_table_named::<T>(client, T::table_name()).await
}

/// [`create_table`] under another name (a test's own table, say).
pub async fn create_table_named<T: Table>(client: &Client, name: &str) -> Result<(), Error> {
    let definition = T::DEFINITION;
    let build = |e: aws_sdk_dynamodb::error::BuildError| Error::validation(name, e.to_string());
    let mut request = client.create_table().table_name(name).set_key_schema(Some(
        key_schema(definition.partition_key, definition.sort_key).map_err(build)?,
    ));
    for key in definition.attribute_definitions() {
        request = request.attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name(key.attribute)
                .attribute_type(key.key_type.scalar_attribute_type())
                .build()
                .map_err(build)?,
        );
    }
    request = match definition.billing {
        Billing::OnDemand => request.billing_mode(BillingMode::PayPerRequest),
        Billing::Provisioned(capacity) => request
            .billing_mode(BillingMode::Provisioned)
            .provisioned_throughput(throughput(capacity).map_err(build)?),
    };
    for index in definition.global_indexes {
        let mut gsi = GlobalSecondaryIndex::builder()
            .index_name(index.name)
            .set_key_schema(Some(
                key_schema(index.partition_key, index.sort_key).map_err(build)?,
            ))
            .projection(projection(index));
        if let Some(capacity) = index.capacity {
            gsi = gsi.provisioned_throughput(throughput(capacity).map_err(build)?);
        }
        request = request.global_secondary_indexes(gsi.build().map_err(build)?);
    }
    for index in definition.local_indexes {
        request = request.local_secondary_indexes(
            LocalSecondaryIndex::builder()
                .index_name(index.name)
                .set_key_schema(Some(
                    key_schema(index.partition_key, index.sort_key).map_err(build)?,
                ))
                .projection(projection(index))
                .build()
                .map_err(build)?,
        );
    }
    if let Some(view) = definition.stream {
        request = request.stream_specification(
            StreamSpecification::builder()
                .stream_enabled(true)
                .stream_view_type(view.stream_view_type())
                .build()
                .map_err(build)?,
        );
    }
    request.send().await.map_err(|e| Error::from_sdk(e, name))?;
    wait_until_active(client, name).await?;
    if let Some(attribute) = definition.ttl_attribute {
        client
            .update_time_to_live()
            .table_name(name)
            .time_to_live_specification(
                TimeToLiveSpecification::builder()
                    .attribute_name(attribute)
                    .enabled(true)
                    .build()
                    .map_err(build)?,
            )
            .send()
            .await
            .map_err(|e| Error::from_sdk(e, name))?;
    }
    Ok(())
}

fn key_schema(
    partition_key: KeyDefinition,
    sort_key: Option<KeyDefinition>,
) -> Result<Vec<KeySchemaElement>, aws_sdk_dynamodb::error::BuildError> {
    std::iter::once((partition_key, SdkKeyType::Hash))
        .chain(sort_key.map(|k| (k, SdkKeyType::Range)))
        .map(|(key, role)| {
            KeySchemaElement::builder()
                .attribute_name(key.attribute)
                .key_type(role)
                .build()
        })
        .collect()
}

fn projection(index: &IndexDefinition) -> SdkProjection {
    let attributes = match index.projection {
        Projection::Include(attributes) => {
            Some(attributes.iter().map(|a| (*a).to_owned()).collect())
        }
        _ => None,
    };
    SdkProjection::builder()
        .projection_type(index.projection.projection_type())
        .set_non_key_attributes(attributes)
        .build()
}

fn throughput(
    capacity: Capacity,
) -> Result<ProvisionedThroughput, aws_sdk_dynamodb::error::BuildError> {
    ProvisionedThroughput::builder()
        .read_capacity_units(capacity.read as i64)
        .write_capacity_units(capacity.write as i64)
        .build()
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
