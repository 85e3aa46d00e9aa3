use dynamo_lambda::dynamo_lambda;

#[dynamo_lambda(table = "Events", partition_key = "r#type", sort_key = "at")]
pub struct Event {
    pub r#type: String,
    #[dynamo(rename = "at")]
    pub happened_at: u64,
}

fn main() {}
