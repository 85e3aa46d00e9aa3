use dynamo_lambda::dynamo_lambda;

// orders.yaml: index `by_status` has `partition_key: { name: status, type: S }`.
#[dynamo_lambda(schema = "schemas/orders.yaml")]
pub struct Order {
    pub customer_id: String,
    pub ordered_at: String,
    #[dynamo(skip)]
    pub status: Option<String>,
    pub total_cents: u64,
    pub expires_at: Option<u64>,
}

fn main() {}
