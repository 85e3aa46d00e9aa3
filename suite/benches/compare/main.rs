//! `cargo bench`: generated code against `serde_dynamo`, hand-written code,
//! `serde_json` and the raw SDK, and composite keys against naive `format!`.
//! Each group holds one operation done every way; `cargo xtask bench-report`
//! turns the run into ratios (BENCHMARKS.md).

mod client;
mod convert;
mod hand;
mod keys;
mod model;
mod requests;

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .noise_threshold(0.03)
}

criterion_group! {
    name = benches;
    config = config();
    targets = convert::benches, keys::benches, keys::entity_benches, requests::table_benches, requests::handler_benches
}
criterion_main!(benches);
