use dynamo_lambda::{KeyType, Table, dynamo_lambda};

/// No serde derives: the table has its operations but no `handler()`.
#[dynamo_lambda(table = "Events", partition_key = "id")]
pub struct Event {
    pub id: u64,
    pub payload: Option<String>,
}

fn main() {
    assert_eq!(Event::DEFINITION.name, "Events");
    assert_eq!(Event::DEFINITION.name_env, "EVENTS_TABLE_NAME");
    assert_eq!(Event::DEFINITION.partition_key.key_type, KeyType::N);
    assert!(Event::DEFINITION.sort_key.is_none());
    let event = Event { id: 7, payload: None };
    assert_eq!(event.key(), EventKey { id: 7 });
}
