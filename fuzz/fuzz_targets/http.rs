//! The HTTP handler's requests in every event format lambda_http reads (API
//! Gateway REST and HTTP APIs, Function URLs, ALB), on a client that never
//! reaches the network: every answer is a response, never a panic.
#![no_main]

use std::sync::LazyLock;

use dynamo_lambda::http::HttpHandler;
use dynamo_lambda::http::lambda_http::request::from_str;
use dynamo_lambda_fuzz::{block_on, table};
use libfuzzer_sys::fuzz_target;
use orders_example::Order;
use users_example::User;

static ORDERS: LazyLock<HttpHandler<Order>> = LazyLock::new(|| HttpHandler::new(table("Orders")));
static USERS: LazyLock<HttpHandler<User>> =
    LazyLock::new(|| HttpHandler::new(table("Users")).base_path("/"));

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(request) = from_str(text) else {
        return;
    };
    let _ = block_on(ORDERS.handle(request.clone()));
    let _ = block_on(USERS.handle(request));
});
