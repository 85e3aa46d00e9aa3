use dynamo_lambda::{collection, dynamo_lambda, single_table};

#[single_table(name = "App")]
pub struct App;

#[dynamo_lambda(table = App, entity = "User", pk = "USER#{id}", sk = "PROFILE")]
#[derive(Debug)]
pub struct User {
    pub id: String,
}

#[dynamo_lambda(table = App, entity = "Order", pk = "USER#{id}", sk = "ORDER#{n}")]
#[derive(Debug)]
pub struct Order {
    pub id: u64,
    pub n: u64,
}

#[collection(table = App, pk = "USER#{id}")]
#[derive(Debug)]
pub enum UserWithOrders {
    User(User),
    Order(Order),
}

fn main() {}
