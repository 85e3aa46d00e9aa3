use dynamo_lambda::{Blob, dynamo_lambda};

// events.yaml: `sort_key: { name: at, type: N }`.
#[dynamo_lambda(schema = "tests/ui/schema/files/events.yaml")]
pub struct Event {
    pub source: Blob,
    pub at: String,
}

fn main() {}
