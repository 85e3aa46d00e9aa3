use dynamo_lambda::{SortKey, dynamo_lambda};

#[dynamo_lambda(table = "Readings", partition_key = "sensor", sort_key = "at")]
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub sensor: String,
    pub at: u64,
    pub value: f64,
}

fn main() {
    let _ = Reading::query("s1").sort_key(SortKey::begins_with(20u64));
}
