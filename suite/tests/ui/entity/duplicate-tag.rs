use dynamo_lambda::{dynamo_lambda, single_table};

#[single_table(name = "App", entities(User, Admin))]
pub struct App;

#[dynamo_lambda(table = App, entity = "User", pk = "USER#{id}", sk = "PROFILE")]
#[derive(Debug)]
pub struct User {
    pub id: String,
}

#[dynamo_lambda(table = App, entity = "User", pk = "ADMIN#{id}", sk = "PROFILE")]
#[derive(Debug)]
pub struct Admin {
    pub id: String,
}

fn main() {}
