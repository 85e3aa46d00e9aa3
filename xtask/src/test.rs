//! `cargo xtask test`: formatting, lints and the test suite, against a local
//! DynamoDB.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use crate::Result;
use crate::cmd::{cargo, exit_code, step};
use crate::dynamodb::DynamoDb;

/// Runs each check in order and stops at the first failure with its exit
/// code; `extra` is passed on to `cargo test`.
pub fn run(root: &Path, extra: &[String]) -> Result<ExitCode> {
    let started = Instant::now();
    let server = DynamoDb::start(root)?;
    let test_args: Vec<&str> = ["test", "--workspace"]
        .into_iter()
        .chain(extra.iter().map(String::as_str))
        .collect();
    let steps: [&[&str]; 3] = [
        &["fmt", "--all", "--", "--check"],
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
        &test_args,
    ];
    for args in steps {
        let mut cmd = cargo(root);
        cmd.args(args);
        server.apply(&mut cmd);
        let status = step(&format!("cargo {}", args.join(" ")), &mut cmd)?;
        if !status.success() {
            return Ok(exit_code(status));
        }
    }
    eprintln!(
        "All checks passed in {:.1} s.",
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
