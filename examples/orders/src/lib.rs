//! The `Orders` table (`schemas/orders.yaml`): a customer's orders, sorted by
//! the date they were placed, with an index by status and one by total.

use std::collections::BTreeSet;

use dynamo_lambda::{Attribute, dynamo_lambda};
use serde::{Deserialize, Serialize};

/// One order of one customer.
#[dynamo_lambda(schema = "../../schemas/orders.yaml")]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Order {
    /// The customer who placed the order.
    pub customer_id: String,
    /// When it was placed, as an RFC 3339 timestamp (sorts as text).
    pub ordered_at: String,
    /// Where it goes.
    pub status: Status,
    /// The lines of the order.
    pub lines: Vec<Line>,
    /// Total in cents.
    pub total_cents: u64,
    /// Free-form labels; an empty set is stored as no attribute.
    #[dynamo(default)]
    pub tags: BTreeSet<String>,
    /// Where to deliver.
    pub shipping: Address,
    /// When DynamoDB may delete the order, in epoch seconds (the table's TTL).
    pub expires_at: Option<u64>,
}

/// Where an order is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Attribute)]
pub enum Status {
    /// Placed, not yet shipped.
    #[dynamo(rename = "PLACED")]
    Placed,
    /// On its way.
    #[dynamo(rename = "SHIPPED")]
    Shipped,
    /// Handed over.
    #[dynamo(rename = "DELIVERED")]
    Delivered,
}

/// One line of an order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Attribute)]
pub struct Line {
    /// The product's SKU.
    pub sku: String,
    /// How many.
    pub quantity: u32,
    /// Price of one, in cents.
    pub unit_cents: u64,
}

/// A postal address, stored as a nested map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Attribute)]
pub struct Address {
    /// Street and number.
    pub street: String,
    /// City.
    pub city: String,
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
}
