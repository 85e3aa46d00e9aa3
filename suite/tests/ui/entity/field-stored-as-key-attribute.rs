use dynamo_lambda::{dynamo_lambda, single_table};

#[single_table(name = "App")]
pub struct App;

#[dynamo_lambda(table = App, entity = "User", pk = "USER#{id}", sk = "PROFILE")]
pub struct User {
    pub id: String,
    #[dynamo(rename = "SK")]
    pub sort: String,
}

fn main() {}
