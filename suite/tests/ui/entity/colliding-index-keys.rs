use dynamo_lambda::{dynamo_lambda, single_table};

#[single_table(name = "App", index(GSI1, pk = "GSI1PK", sk = "GSI1SK"), entities(User, Team))]
pub struct App;

#[dynamo_lambda(table = App, entity = "User", pk = "USER#{id}", sk = "PROFILE", index(GSI1, pk = "NAME#{name}", sk = "ENTRY"))]
#[derive(Debug)]
pub struct User {
    pub id: String,
    pub name: String,
}

#[dynamo_lambda(table = App, entity = "Team", pk = "TEAM#{id}", sk = "PROFILE", index(GSI1, pk = "NAME#{name}", sk = "ENTRY"))]
#[derive(Debug)]
pub struct Team {
    pub id: String,
    pub name: String,
}

fn main() {}
