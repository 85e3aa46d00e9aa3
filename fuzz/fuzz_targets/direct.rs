//! The direct handler's JSON events, on a client that never reaches the
//! network: decoding and validation run in full, and nothing panics.
#![no_main]

use std::sync::LazyLock;

use dynamo_lambda::Handler;
use dynamo_lambda_fuzz::{block_on, table};
use libfuzzer_sys::fuzz_target;
use orders_example::Order;
use users_example::User;

static ORDERS: LazyLock<Handler<Order>> = LazyLock::new(|| Handler::new(table("Orders")));
static USERS: LazyLock<Handler<User>> = LazyLock::new(|| Handler::new(table("Users")));

fuzz_target!(|data: &[u8]| {
    // serde_json stops at 128 levels of nesting, as the Lambda runtime's
    // event parser does: deeper events never reach a handler that way.
    let Ok(event) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    let _ = block_on(ORDERS.handle(event.clone()));
    let _ = block_on(USERS.handle(event));
});
