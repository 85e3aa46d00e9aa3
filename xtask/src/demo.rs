//! `cargo xtask demo`: the example Lambda functions run under
//! `cargo lambda watch` against a local DynamoDB and invoked with their
//! sample events (the suite's `demo` binary does the invoking).

use std::path::Path;
use std::process::{Command, ExitCode};

use crate::Result;
use crate::cmd::{cargo, exit_code, step, target_dir};
use crate::dynamodb::{DynamoDb, Server};
use crate::lambda::CargoLambda;

/// The packages the demo runs.
const PACKAGES: [&str; 5] = [
    "users-example",
    "users-http-example",
    "users-stream-example",
    "orders-example",
    "dynamo-lambda-suite",
];

pub fn run(root: &Path) -> Result<ExitCode> {
    let server = DynamoDb::start(root, Server::Moto)?;
    let lambda = CargoLambda::ensure(root)?;
    let mut build = cargo(root);
    build.args(["build", "--bins"]);
    for package in PACKAGES {
        build.args(["-p", package]);
    }
    let status = step("cargo build (the examples and the demo driver)", &mut build)?;
    if !status.success() {
        return Ok(exit_code(status));
    }
    let mut demo = Command::new(target_dir(root)?.join("debug").join("demo"));
    demo.current_dir(root);
    server.apply(&mut demo);
    lambda.apply(&mut demo);
    let status = step("demo", &mut demo)?;
    Ok(exit_code(status))
}
