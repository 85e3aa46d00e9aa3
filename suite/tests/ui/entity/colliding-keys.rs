use dynamo_lambda::{dynamo_lambda, single_table};

#[single_table(name = "App", entities(User, Team))]
pub struct App;

#[dynamo_lambda(table = App, entity = "User", pk = "ID#{id}", sk = "PROFILE")]
#[derive(Debug)]
pub struct User {
    pub id: String,
}

// `Team { name: "PROFILE", .. }` composes a user's key.
#[dynamo_lambda(table = App, entity = "Team", pk = "ID#{id}", sk = "{name}")]
#[derive(Debug)]
pub struct Team {
    pub id: String,
    pub name: String,
}

fn main() {}
