use dynamo_lambda::{Billing, KeyType, Projection, StreamView, Table, dynamo_lambda};

// orders.yaml: a global index on `status`, a local index on `total_cents`,
// and `ttl: expires_at`. Index keys may be absent from an item.
#[dynamo_lambda(schema = "schemas/orders.yaml")]
pub struct Order {
    pub customer_id: String,
    #[dynamo(rename = "ordered_at")]
    pub placed: String,
    pub status: Option<String>,
    pub total_cents: Option<u64>,
    pub expires_at: Option<u64>,
}

fn main() {
    let definition = <Order as Table>::DEFINITION;
    assert_eq!(definition.name, "Orders");
    assert_eq!(definition.name_env, "ORDERS_TABLE_NAME");
    assert_eq!(definition.partition_key.attribute, "customer_id");
    assert_eq!(definition.sort_key.unwrap().attribute, "ordered_at");

    let [by_status] = definition.global_indexes else {
        panic!("{:?}", definition.global_indexes);
    };
    assert_eq!(by_status.name, "by_status");
    assert_eq!(by_status.partition_key.attribute, "status");
    assert_eq!(by_status.sort_key.unwrap().attribute, "ordered_at");
    assert_eq!(by_status.projection, Projection::All);

    let [by_total] = definition.local_indexes else {
        panic!("{:?}", definition.local_indexes);
    };
    assert_eq!(by_total.name, "by_total");
    assert_eq!(by_total.partition_key.attribute, "customer_id");
    assert_eq!(by_total.sort_key.unwrap().key_type, KeyType::N);
    assert_eq!(by_total.projection, Projection::Include(&["status"]));

    assert_eq!(definition.ttl_attribute, Some("expires_at"));
    assert_eq!(definition.billing, Billing::OnDemand);
    assert_eq!(definition.stream, Some(StreamView::NewAndOldImages));

    let order = Order {
        customer_id: "c1".to_owned(),
        placed: "2024-05-01T10:00:00Z".to_owned(),
        status: None,
        total_cents: None,
        expires_at: None,
    };
    assert_eq!(
        order.key(),
        OrderKey {
            customer_id: "c1".to_owned(),
            placed: "2024-05-01T10:00:00Z".to_owned(),
        }
    );
}
