use dynamo_lambda::dynamo_lambda;

// orders.yaml: `customer_id` S, `ordered_at` S, `status` S, `total_cents` N,
// `ttl: expires_at`. Each of these fields is wrong.
#[dynamo_lambda(schema = "schemas/orders.yaml")]
pub struct Order {
    pub customer_id: u64,
    pub ordered_at: String,
    pub status: bool,
    pub total_cents: String,
    pub expires_at: f64,
}

fn main() {}
