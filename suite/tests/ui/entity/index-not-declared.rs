use dynamo_lambda::{dynamo_lambda, single_table};

#[single_table(name = "App")]
pub struct App;

#[dynamo_lambda(table = App, entity = "User", pk = "USER#{id}", sk = "PROFILE", index(GSI1, pk = "EMAIL#{email}", sk = "USER"))]
pub struct User {
    pub id: String,
    pub email: String,
}

fn main() {}
