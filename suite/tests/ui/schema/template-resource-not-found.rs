use dynamo_lambda::dynamo_lambda;

// template.yaml has UsersTable, SessionsTable and CountersTable.
#[dynamo_lambda(schema = "schemas/template.yaml#OrdersTable")]
pub struct Order {
    pub id: String,
}

fn main() {}
