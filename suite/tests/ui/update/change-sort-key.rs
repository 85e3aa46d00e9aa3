use std::collections::BTreeSet;

use dynamo_lambda::dynamo_lambda;

#[dynamo_lambda(table = "Events", partition_key = "source", sort_key = "at")]
pub struct Event {
    pub source: String,
    pub at: u64,
    pub tags: BTreeSet<String>,
    pub log: Vec<String>,
}

fn main() {
    let f = Event::fields();
    let key = || EventKey {
        source: "s".into(),
        at: 1,
    };
    let _ = Event::update(key()).add(f.at, 1u64);
    let _ = Event::update(key()).set_if_absent(f.source, "t");
    let _ = Event::update(key()).remove(f.source);
}
