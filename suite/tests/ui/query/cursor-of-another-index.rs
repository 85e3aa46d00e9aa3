use dynamo_lambda::dynamo_lambda;

#[dynamo_lambda(schema = "schemas/orders.yaml")]
pub struct Order {
    pub customer_id: String,
    pub ordered_at: String,
    pub status: String,
    pub total_cents: u64,
    pub expires_at: Option<u64>,
}

async fn next_page() -> Result<(), dynamo_lambda::Error> {
    let page = Order::query_by_status("placed").await?;
    // A cursor of index `by_status` cannot resume a query of the table.
    let _ = Order::query("c-42").after(page.cursor).await?;
    Ok(())
}

fn main() {
    let _ = next_page();
}
