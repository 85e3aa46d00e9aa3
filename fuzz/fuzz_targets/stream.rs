//! DynamoDB Streams events: every record becomes a typed change or a
//! reported failure, never a panic.
#![no_main]

use std::convert::Infallible;
use std::sync::LazyLock;

use dynamo_lambda::stream::{Change, Event, StreamHandler};
use dynamo_lambda_fuzz::block_on;
use libfuzzer_sys::fuzz_target;
use orders_example::Order;
use users_example::User;

type OnChange<T> = fn(Change<T>) -> std::future::Ready<Result<(), Infallible>>;

fn look<T: dynamo_lambda::Table>(change: Change<T>) -> std::future::Ready<Result<(), Infallible>> {
    let _ = (change.kind(), change.key(), change.is_expired());
    let _ = (
        change.new_image(),
        change.old_image(),
        change.approximate_creation_time(),
    );
    std::future::ready(Ok(()))
}

static USERS: LazyLock<StreamHandler<User, OnChange<User>>> =
    LazyLock::new(|| StreamHandler::new(look::<User> as OnChange<User>));
static ORDERS: LazyLock<StreamHandler<Order, OnChange<Order>>> =
    LazyLock::new(|| StreamHandler::new(look::<Order> as OnChange<Order>).table_name("Users"));

fuzz_target!(|data: &[u8]| {
    let Ok(event) = serde_json::from_slice::<Event>(data) else {
        return;
    };
    let records = event.records.len();
    let response = block_on(USERS.handle(event.clone()));
    assert!(response.batch_item_failures.len() <= records.min(1));
    let _ = block_on(ORDERS.handle(event));
});
