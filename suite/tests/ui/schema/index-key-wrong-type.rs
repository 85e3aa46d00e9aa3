use dynamo_lambda::dynamo_lambda;

// orders.yaml: index `by_total` has `sort_key: { name: total_cents, type: N }`.
#[dynamo_lambda(schema = "schemas/orders.yaml")]
pub struct Order {
    pub customer_id: String,
    pub ordered_at: String,
    pub status: String,
    pub total_cents: Option<String>,
    pub expires_at: Option<u64>,
}

fn main() {}
