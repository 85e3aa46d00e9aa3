use dynamo_lambda::{dynamo_lambda, single_table};

#[single_table(name = "App")]
pub struct App;

#[dynamo_lambda(table = App, entity = "User", pk = "USER#{id}", sk = "PROFILE")]
pub struct User {
    pub id: String,
    #[dynamo(key_only)]
    pub name: String,
}

#[dynamo_lambda(table = "Plain", partition_key = "id")]
pub struct Plain {
    #[dynamo(key_only)]
    pub id: String,
}

fn main() {}
