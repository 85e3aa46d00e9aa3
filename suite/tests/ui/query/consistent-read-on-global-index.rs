use dynamo_lambda::dynamo_lambda;

#[dynamo_lambda(schema = "schemas/orders.yaml")]
#[derive(Debug, Clone, PartialEq)]
pub struct Order {
    pub customer_id: String,
    pub ordered_at: String,
    pub status: String,
    pub total_cents: u64,
    pub expires_at: Option<u64>,
}

fn main() {
    let _ = Order::query_by_status("PLACED").consistent_read();
}
