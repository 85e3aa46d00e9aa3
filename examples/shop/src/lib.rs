//! A shop in one table (single-table design): customers, their orders and
//! the items of each order live in `Shop`, keyed by generic `PK`/`SK`
//! attributes composed from their fields, with one overloaded index,
//! `GSI1`, that finds an order and its items by the order's id.
//!
//! | entity | `PK` | `SK` | `GSI1PK` | `GSI1SK` |
//! | --- | --- | --- | --- | --- |
//! | [`Customer`] | `CUSTOMER#{username}` | `PROFILE` | | |
//! | [`Order`] | `CUSTOMER#{username}` | `ORDER#{created_at}#{order_id}` | `ORDER#{order_id}` | `ORDER` |
//! | [`OrderItem`] | `ORDER#{order_id}#ITEM#{item_id}` | `ITEM` | `ORDER#{order_id}` | `ITEM#{item_id}` |

use dynamo_lambda::{Attribute, collection, dynamo_lambda, single_table};
use serde::{Deserialize, Serialize};

/// The shop's one table.
#[single_table(
    name = "Shop",
    index(GSI1, pk = "GSI1PK", sk = "GSI1SK"),
    entities(Customer, Order, OrderItem)
)]
#[derive(Debug)]
pub struct Shop;

/// A customer's profile.
#[dynamo_lambda(table = Shop, entity = "Customer", pk = "CUSTOMER#{username}", sk = "PROFILE")]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Customer {
    /// The customer's login name, unique.
    pub username: String,
    /// The name to greet them with.
    pub name: String,
    /// Where receipts go.
    pub email: String,
    /// Optimistic locking of profile edits.
    #[dynamo(version)]
    pub version: u64,
}

/// One order of one customer, sorted by when it was placed.
#[dynamo_lambda(
    table = Shop,
    entity = "Order",
    pk = "CUSTOMER#{username}",
    sk = "ORDER#{created_at}#{order_id}",
    index(GSI1, pk = "ORDER#{order_id}", sk = "ORDER"),
)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Order {
    /// The customer who placed it.
    pub username: String,
    /// The order's id.
    pub order_id: String,
    /// When it was placed, in epoch seconds: the key sorts by it.
    pub created_at: u64,
    /// Where the order is in its life.
    pub status: Status,
    /// The total, in cents.
    pub total_cents: i64,
}

/// One line of an order.
#[dynamo_lambda(
    table = Shop,
    entity = "OrderItem",
    pk = "ORDER#{order_id}#ITEM#{item_id}",
    sk = "ITEM",
    index(GSI1, pk = "ORDER#{order_id}", sk = "ITEM#{item_id}"),
)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderItem {
    /// The order it belongs to.
    pub order_id: String,
    /// The line's id within the order.
    pub item_id: String,
    /// What was bought.
    pub description: String,
    /// How many.
    pub quantity: u32,
    /// The price of one, in cents.
    pub price_cents: i64,
}

/// A customer's profile and orders: one query of their partition.
#[collection(table = Shop, pk = "CUSTOMER#{username}")]
#[derive(Debug, Clone, PartialEq)]
pub enum CustomerWithOrders {
    /// The profile.
    Customer(Customer),
    /// One of their orders.
    Order(Order),
}

/// An order and its items: one query of `GSI1`.
#[collection(table = Shop, index = GSI1, pk = "ORDER#{order_id}")]
#[derive(Debug, Clone, PartialEq)]
pub enum OrderWithItems {
    /// The order.
    Order(Order),
    /// One of its items.
    Item(OrderItem),
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
    /// Delivered.
    #[dynamo(rename = "DELIVERED")]
    Delivered,
}
