use dynamo_lambda::{collection, dynamo_lambda, single_table};

#[single_table(name = "App")]
pub struct App;

#[dynamo_lambda(table = App, entity = "Order", pk = "USER#{id}", sk = "ORDER#{n}")]
#[derive(Debug)]
pub struct Order {
    pub id: String,
    pub n: u64,
}

#[dynamo_lambda(table = App, entity = "Return", pk = "USER#{id}", sk = "ORDER#{reference}")]
#[derive(Debug)]
pub struct Return {
    pub id: String,
    pub reference: String,
}

#[collection(table = App, pk = "USER#{id}")]
#[derive(Debug)]
pub enum History {
    Order(Order),
    Return(Return),
}

fn main() {}
