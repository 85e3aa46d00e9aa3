use std::collections::HashMap;

use dynamo_lambda::{dynamo_lambda, single_table};

#[single_table(name = "App")]
pub struct App;

#[dynamo_lambda(table = App, entity = "Reading", pk = "SENSOR#{sensor}", sk = "AT#{value}")]
pub struct Reading {
    pub sensor: String,
    pub value: f64,
}

#[dynamo_lambda(table = App, entity = "Basket", pk = "BASKET#{items}", sk = "B")]
pub struct Basket {
    pub items: Vec<String>,
}

#[dynamo_lambda(table = App, entity = "Config", pk = "CONFIG#{values}", sk = "C")]
pub struct Config {
    pub values: HashMap<String, String>,
}

fn main() {}
