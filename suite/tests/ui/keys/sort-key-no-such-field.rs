use dynamo_lambda::dynamo_lambda;

#[dynamo_lambda(table = "Orders", partition_key = "customer_id", sort_key = "created")]
pub struct Order {
    pub customer_id: String,
    pub created_at: String,
}

fn main() {}
