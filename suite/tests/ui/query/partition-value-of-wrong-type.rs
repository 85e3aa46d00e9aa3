use dynamo_lambda::dynamo_lambda;

#[dynamo_lambda(schema = "schemas/orders.yaml")]
pub struct Order {
    pub customer_id: String,
    pub ordered_at: String,
    pub status: String,
    pub total_cents: u64,
    pub expires_at: Option<u64>,
}

fn main() {
    // `customer_id` is a string.
    let _ = Order::query(&42u64);
}
