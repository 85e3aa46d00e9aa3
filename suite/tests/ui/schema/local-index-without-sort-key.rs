use dynamo_lambda::dynamo_lambda;

#[dynamo_lambda(schema = "tests/ui/schema/files/local-index-without-sort-key.yaml")]
pub struct Order {
    pub customer_id: String,
    pub total_cents: u64,
}

fn main() {}
