use dynamo_lambda::{dynamo_lambda, single_table};

#[single_table(name = "App")]
pub struct App;

/// A key field type needs what keys derive, and a segment encoding.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Point {
    pub x: i32,
}

#[dynamo_lambda(table = App, entity = "Pin", pk = "PIN#{at}", sk = "PIN")]
pub struct Pin {
    pub at: Point,
}

fn main() {}
