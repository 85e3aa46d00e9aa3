use dynamo_lambda::{Attribute, dynamo_lambda};

#[derive(Clone, PartialEq, Eq, Hash, Debug, serde::Serialize, serde::Deserialize, Attribute)]
pub enum Region {
    Eu,
    Us,
}

#[dynamo_lambda(table = "Users", partition_key = "region")]
pub struct User {
    pub region: Region,
}

fn main() {}
