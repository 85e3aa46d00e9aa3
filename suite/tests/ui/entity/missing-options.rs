use dynamo_lambda::{dynamo_lambda, single_table};

#[single_table(name = "App")]
pub struct App;

#[dynamo_lambda(table = App, sk = "PROFILE")]
pub struct User {
    pub id: String,
}

#[dynamo_lambda(entity = "Thing", pk = "THING#{id}", sk = "T")]
pub struct Thing {
    pub id: String,
}

fn main() {}
