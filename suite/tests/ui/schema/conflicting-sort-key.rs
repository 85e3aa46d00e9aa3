use dynamo_lambda::dynamo_lambda;

// orders.yaml: `sort_key: { name: ordered_at, type: S }`.
#[dynamo_lambda(schema = "schemas/orders.yaml", sort_key = "status")]
pub struct Order {
    pub customer_id: String,
    pub ordered_at: String,
    pub status: String,
    pub total_cents: u64,
    pub expires_at: Option<u64>,
}

fn main() {}
