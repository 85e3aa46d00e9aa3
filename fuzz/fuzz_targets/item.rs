//! `from_item` of arbitrary items into a struct of every supported field
//! type, and each value into each type alone: no panic, and whatever decodes
//! and encodes again is canonical and reads back equal.
#![no_main]

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use dynamo_lambda::Blob;
use dynamo_lambda_fuzz::{ArbitraryItem, Colour, Everything, Point, round_trip, round_trip_item};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: ArbitraryItem| {
    let item = input.item();
    for value in item.values() {
        round_trip::<String>(value);
        round_trip::<bool>(value);
        round_trip::<i8>(value);
        round_trip::<i16>(value);
        round_trip::<i32>(value);
        round_trip::<i64>(value);
        round_trip::<i128>(value);
        round_trip::<isize>(value);
        round_trip::<u8>(value);
        round_trip::<u16>(value);
        round_trip::<u32>(value);
        round_trip::<u64>(value);
        round_trip::<u128>(value);
        round_trip::<usize>(value);
        round_trip::<f32>(value);
        round_trip::<f64>(value);
        round_trip::<Option<String>>(value);
        round_trip::<Option<u16>>(value);
        round_trip::<Vec<String>>(value);
        round_trip::<Vec<Option<i32>>>(value);
        round_trip::<Vec<u8>>(value);
        round_trip::<Blob>(value);
        round_trip::<HashSet<String>>(value);
        round_trip::<BTreeSet<i64>>(value);
        round_trip::<BTreeSet<u128>>(value);
        round_trip::<HashSet<Blob>>(value);
        round_trip::<HashMap<String, u32>>(value);
        round_trip::<BTreeMap<String, Vec<f64>>>(value);
        round_trip::<Point>(value);
        round_trip::<Vec<Point>>(value);
        round_trip::<Colour>(value);
        round_trip::<Vec<Colour>>(value);
        round_trip::<Box<i16>>(value);
    }
    round_trip_item::<Everything>(item);
});
