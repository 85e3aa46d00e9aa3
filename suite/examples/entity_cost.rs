//! Instructions per round trip of the benchmark record as an entity (keys
//! in the keys only, or kept as fields too) and with plain-field keys, for
//! `valgrind --tool=callgrind`, which counts them the same on a noisy
//! machine: run it with `<generated|fields_kept|plain> <iterations>` twice
//! and divide the difference by the difference of iterations
//! (BENCHMARKS.md, "Entities").

#[path = "../benches/compare/keys.rs"]
#[allow(dead_code)]
mod keys;
#[path = "../benches/compare/model.rs"]
#[allow(dead_code)]
mod model;

use dynamo_lambda::Item;
use std::hint::black_box;

fn main() {
    let which = std::env::args().nth(1).unwrap();
    let plain = model::record(42);
    let in_keys = keys::RecordInKeys::from(plain.clone());
    let kept = keys::RecordEntity::from(plain.clone());
    let n: usize = std::env::args().nth(2).unwrap().parse().unwrap();
    for _ in 0..n {
        match which.as_str() {
            "generated" => {
                black_box(
                    keys::RecordInKeys::from_item(black_box(&in_keys).to_item().unwrap()).unwrap(),
                );
            }
            "fields_kept" => {
                black_box(
                    keys::RecordEntity::from_item(black_box(&kept).to_item().unwrap()).unwrap(),
                );
            }
            _ => {
                black_box(model::Record::from_item(black_box(&plain).to_item().unwrap()).unwrap());
            }
        }
    }
}
