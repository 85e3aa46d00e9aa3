use dynamo_lambda::dynamo_lambda;

#[dynamo_lambda(table = "Orders", partition_key = "customer_id", sort_key = "number")]
pub struct Order {
    pub customer_id: String,
    #[dynamo(default)]
    pub number: u64,
}

fn main() {}
