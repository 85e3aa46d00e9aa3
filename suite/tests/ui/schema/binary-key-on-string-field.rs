use dynamo_lambda::dynamo_lambda;

// events.yaml: `partition_key: { name: source, type: B }`.
#[dynamo_lambda(schema = "tests/ui/schema/files/events.yaml")]
pub struct Event {
    pub source: String,
    pub at: u64,
}

fn main() {}
