use dynamo_lambda::{dynamo_lambda, single_table};

#[single_table(name = "App")]
pub struct App;

#[dynamo_lambda(table = App, entity = "User", pk = "USER{id}", sk = "PROFILE")]
pub struct User {
    pub id: String,
}

#[dynamo_lambda(table = App, entity = "Session", pk = "USER#{id}", sk = "SESSION#{n}S")]
pub struct Session {
    pub id: String,
    pub n: u32,
}

fn main() {}
