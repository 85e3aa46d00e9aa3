//! The HTTP handler's requests in every event format lambda_http reads (API
//! Gateway REST and HTTP APIs, Function URLs, ALB), on a client that never
//! reaches the network: every answer is a response, never a panic.
#![no_main]

use std::sync::LazyLock;

use dynamo_lambda::http::HttpHandler;
use dynamo_lambda::http::lambda_http::Request;
use dynamo_lambda::http::lambda_http::request::from_str;
use dynamo_lambda_fuzz::{block_on, table};
use libfuzzer_sys::fuzz_target;
use orders_example::Order;
use users_example::User;

static ORDERS: LazyLock<HttpHandler<Order>> = LazyLock::new(|| HttpHandler::new(table("Orders")));
static USERS: LazyLock<HttpHandler<User>> =
    LazyLock::new(|| HttpHandler::new(table("Users")).base_path("/"));

/// The request lambda_http makes of an event. lambda_http 1.3 panics on
/// some events API Gateway would not send (a character a URI may not hold
/// in `rawQueryString`, a `Host` that does not parse as a URL): the Lambda
/// runtime reports such a panic as an error of the invocation. Those are
/// skipped here, so that only the handler's own code can fail the target.
fn lambda_request(text: &str) -> Option<Request> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let request = std::panic::catch_unwind(|| from_str(text));
    std::panic::set_hook(hook);
    request.ok()?.ok()
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Some(request) = lambda_request(text) else {
        return;
    };
    let _ = block_on(ORDERS.handle(request.clone()));
    let _ = block_on(USERS.handle(request));
});
