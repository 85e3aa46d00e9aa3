use dynamo_lambda::{dynamo_lambda, single_table};

#[single_table(name = "App")]
pub struct App;

#[dynamo_lambda(table = App, entity = "User", pk = "USER#{user}", sk = "PROFILE")]
pub struct User {
    pub user_id: String,
}

fn main() {}
