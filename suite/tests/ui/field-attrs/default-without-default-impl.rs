use dynamo_lambda::{Attribute, dynamo_lambda};

#[derive(Attribute)]
pub enum Plan {
    Free,
    Paid,
}

#[dynamo_lambda(table = "Users", partition_key = "id")]
pub struct User {
    pub id: String,
    #[dynamo(default)]
    pub plan: Plan,
}

fn main() {}
