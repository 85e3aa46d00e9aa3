use dynamo_lambda::dynamo_lambda;

#[dynamo_lambda(schema = "tests/ui/schema/files/duplicate-index-name.yaml")]
pub struct Order {
    pub customer_id: String,
    pub ordered_at: String,
    pub status: String,
}

fn main() {}
