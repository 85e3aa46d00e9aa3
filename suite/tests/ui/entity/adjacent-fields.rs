use dynamo_lambda::{dynamo_lambda, single_table};

#[single_table(name = "App")]
pub struct App;

#[dynamo_lambda(table = App, entity = "Order", pk = "USER#{user_id}", sk = "ORDER#{created_at}{order_id}")]
pub struct Order {
    pub user_id: String,
    pub created_at: u64,
    pub order_id: String,
}

fn main() {}
