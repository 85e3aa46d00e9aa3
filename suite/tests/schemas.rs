//! Every schema in `schemas/`: a struct pointed at it, its table created with
//! `create_table`, and `DescribeTable` / `DescribeTimeToLive` read back to
//! match the schema (the stream and time to live on servers that have them).

use dynamo_lambda::aws_sdk_dynamodb::types::{
    BillingMode, KeyType as SdkKeyType, ProjectionType, StreamViewType, TableDescription,
    TimeToLiveStatus,
};
use dynamo_lambda::{Billing, Projection, Table, TableClient, dynamo_lambda};
use dynamo_lambda_suite::{Capability, fresh_table, supports};
use orders_example::Order;
use users_example::User;

/// The `UsersTable` of the template, whose name is `!Sub`: code names it.
#[dynamo_lambda(schema = "../schemas/template.yaml#UsersTable", table = "StackUsers")]
#[derive(Debug, Clone, PartialEq)]
struct StackUser {
    id: String,
    name: String,
}

#[dynamo_lambda(schema = "../schemas/template.yaml#SessionsTable")]
#[derive(Debug, Clone, PartialEq)]
struct Session {
    user_id: String,
    session_id: String,
    expires_at: u64,
}

#[dynamo_lambda(schema = "../schemas/template.yaml#CountersTable")]
#[derive(Debug, Clone, PartialEq)]
struct Counter {
    name: String,
    count: u64,
}

async fn describe<T: Table>(table: &TableClient<T>) -> TableDescription {
    table
        .client()
        .await
        .describe_table()
        .table_name(table.name())
        .send()
        .await
        .unwrap()
        .table
        .unwrap()
}

async fn ttl_attribute<T: Table>(table: &TableClient<T>) -> Option<String> {
    let ttl = table
        .client()
        .await
        .describe_time_to_live()
        .table_name(table.name())
        .send()
        .await
        .unwrap()
        .time_to_live_description
        .unwrap();
    match ttl.time_to_live_status {
        Some(TimeToLiveStatus::Enabled | TimeToLiveStatus::Enabling) => ttl.attribute_name,
        _ => None,
    }
}

fn keys(
    schema: &[dynamo_lambda::aws_sdk_dynamodb::types::KeySchemaElement],
) -> Vec<(String, SdkKeyType)> {
    schema
        .iter()
        .map(|k| (k.attribute_name.clone(), k.key_type.clone()))
        .collect()
}

/// The described table against `T::DEFINITION`, part by part.
async fn assert_matches_definition<T: Table>(label: &str) {
    let table = fresh_table::<T>(label).await;
    let described = describe(&table).await;
    let definition = T::DEFINITION;

    let mut expected_keys = vec![(
        definition.partition_key.attribute.to_owned(),
        SdkKeyType::Hash,
    )];
    if let Some(sk) = definition.sort_key {
        expected_keys.push((sk.attribute.to_owned(), SdkKeyType::Range));
    }
    assert_eq!(
        keys(described.key_schema()),
        expected_keys,
        "{label}: key schema"
    );

    let mut attributes: Vec<_> = described
        .attribute_definitions()
        .iter()
        .map(|a| (a.attribute_name.clone(), a.attribute_type.clone()))
        .collect();
    attributes.sort();
    let mut expected: Vec<_> = definition
        .attribute_definitions()
        .into_iter()
        .map(|k| (k.attribute.to_owned(), k.key_type.scalar_attribute_type()))
        .collect();
    expected.sort();
    assert_eq!(attributes, expected, "{label}: attribute definitions");

    let billing = described
        .billing_mode_summary()
        .and_then(|b| b.billing_mode.clone());
    match definition.billing {
        Billing::OnDemand => assert_eq!(billing, Some(BillingMode::PayPerRequest), "{label}"),
        Billing::Provisioned(capacity) => {
            assert_ne!(billing, Some(BillingMode::PayPerRequest), "{label}");
            let throughput = described.provisioned_throughput().unwrap();
            assert_eq!(throughput.read_capacity_units, Some(capacity.read as i64));
            assert_eq!(throughput.write_capacity_units, Some(capacity.write as i64));
        }
    }

    assert_eq!(
        described.global_secondary_indexes().len(),
        definition.global_indexes.len(),
        "{label}: global indexes"
    );
    for index in definition.global_indexes {
        let found = described
            .global_secondary_indexes()
            .iter()
            .find(|i| i.index_name() == Some(index.name))
            .unwrap_or_else(|| panic!("{label}: no index {}", index.name));
        let mut expected = vec![(index.partition_key.attribute.to_owned(), SdkKeyType::Hash)];
        if let Some(sk) = index.sort_key {
            expected.push((sk.attribute.to_owned(), SdkKeyType::Range));
        }
        assert_eq!(
            keys(found.key_schema()),
            expected,
            "{label}: {}",
            index.name
        );
        assert_projection(found.projection().unwrap(), index.projection);
        if let Some(capacity) = index.capacity {
            let throughput = found.provisioned_throughput().unwrap();
            assert_eq!(throughput.read_capacity_units, Some(capacity.read as i64));
            assert_eq!(throughput.write_capacity_units, Some(capacity.write as i64));
        }
    }
    assert_eq!(
        described.local_secondary_indexes().len(),
        definition.local_indexes.len(),
        "{label}: local indexes"
    );
    for index in definition.local_indexes {
        let found = described
            .local_secondary_indexes()
            .iter()
            .find(|i| i.index_name() == Some(index.name))
            .unwrap_or_else(|| panic!("{label}: no index {}", index.name));
        let expected = vec![
            (index.partition_key.attribute.to_owned(), SdkKeyType::Hash),
            (
                index.sort_key.unwrap().attribute.to_owned(),
                SdkKeyType::Range,
            ),
        ];
        assert_eq!(
            keys(found.key_schema()),
            expected,
            "{label}: {}",
            index.name
        );
        assert_projection(found.projection().unwrap(), index.projection);
    }
}

/// The described stream against `T::DEFINITION`.
async fn assert_stream_matches_definition<T: Table>(label: &str) {
    let table = fresh_table::<T>(label).await;
    let stream = describe(&table)
        .await
        .stream_specification()
        .filter(|s| s.stream_enabled)
        .and_then(|s| s.stream_view_type.clone());
    assert_eq!(
        stream,
        T::DEFINITION.stream.map(|v| v.stream_view_type()),
        "{label}: stream"
    );
}

/// The described time to live against `T::DEFINITION`.
async fn assert_ttl_matches_definition<T: Table>(label: &str) {
    let table = fresh_table::<T>(label).await;
    assert_eq!(
        ttl_attribute(&table).await.as_deref(),
        T::DEFINITION.ttl_attribute,
        "{label}: time to live"
    );
}

fn assert_projection(
    found: &dynamo_lambda::aws_sdk_dynamodb::types::Projection,
    expected: Projection,
) {
    assert_eq!(
        found.projection_type.clone(),
        Some(expected.projection_type())
    );
    if let Projection::Include(attributes) = expected {
        assert_eq!(found.projection_type.clone(), Some(ProjectionType::Include));
        let mut found = found.non_key_attributes().to_vec();
        found.sort();
        let mut attributes: Vec<_> = attributes.iter().map(|a| a.to_string()).collect();
        attributes.sort();
        assert_eq!(found, attributes);
    }
}

#[tokio::test]
async fn users_yaml_creates_the_table_it_describes() {
    assert_eq!(User::DEFINITION.name, "Users");
    assert_matches_definition::<User>("schema-users").await;
}

#[tokio::test]
async fn orders_yaml_creates_indexes_ttl_and_stream() {
    let definition = Order::DEFINITION;
    assert_eq!(definition.global_indexes.len(), 1);
    assert_eq!(definition.local_indexes.len(), 1);
    assert_eq!(definition.ttl_attribute, Some("expires_at"));
    assert_eq!(
        definition.stream.map(|v| v.stream_view_type()),
        Some(StreamViewType::NewAndOldImages)
    );
    assert_matches_definition::<Order>("schema-orders").await;
}

#[tokio::test]
async fn cloudformation_tables_are_created_as_the_template_says() {
    assert_eq!(StackUser::DEFINITION.name, "StackUsers");
    assert_eq!(StackUser::DEFINITION.name_env, "STACK_USERS_TABLE_NAME");
    assert_eq!(Session::DEFINITION.name, "Sessions");
    assert!(matches!(
        Session::DEFINITION.billing,
        Billing::Provisioned(_)
    ));
    assert_eq!(Counter::DEFINITION.name, "Counters");
    assert_matches_definition::<StackUser>("cfn-users").await;
    assert_matches_definition::<Session>("cfn-sessions").await;
    assert_matches_definition::<Counter>("cfn-counters").await;
}

#[tokio::test]
async fn every_schemas_stream_is_created_as_it_says() {
    if !supports(Capability::Streams) {
        return;
    }
    assert_stream_matches_definition::<User>("stream-users").await;
    assert_stream_matches_definition::<Order>("stream-orders").await;
    assert_stream_matches_definition::<StackUser>("stream-cfn-users").await;
    assert_stream_matches_definition::<Session>("stream-cfn-sessions").await;
    assert_stream_matches_definition::<Counter>("stream-cfn-counters").await;
}

#[tokio::test]
async fn every_schemas_time_to_live_is_enabled_as_it_says() {
    if !supports(Capability::Ttl) {
        return;
    }
    assert_ttl_matches_definition::<User>("ttl-users").await;
    assert_ttl_matches_definition::<Order>("ttl-orders").await;
    assert_ttl_matches_definition::<StackUser>("ttl-cfn-users").await;
    assert_ttl_matches_definition::<Session>("ttl-cfn-sessions").await;
    assert_ttl_matches_definition::<Counter>("ttl-cfn-counters").await;
}

#[tokio::test]
async fn items_round_trip_through_a_schema_table() {
    let sessions = fresh_table::<Session>("cfn-items").await;
    let session = Session {
        user_id: "u1".into(),
        session_id: "s1".into(),
        expires_at: 1_900_000_000,
    };
    sessions.put(&session).await.unwrap();
    assert_eq!(sessions.get(&session.key()).await.unwrap(), Some(session));
}
