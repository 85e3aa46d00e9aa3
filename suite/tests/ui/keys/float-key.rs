use dynamo_lambda::dynamo_lambda;

#[dynamo_lambda(table = "Readings", partition_key = "sensor", sort_key = "value")]
pub struct Reading {
    pub sensor: String,
    pub value: f64,
}

fn main() {}
