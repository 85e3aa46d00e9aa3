//! A Lambda function serving the `Orders` table (partition key `customer_id`,
//! sort key `ordered_at`).

use orders_example::Order;

#[tokio::main]
async fn main() -> Result<(), dynamo_lambda::Error> {
    dynamo_lambda::run(Order::handler()).await
}
