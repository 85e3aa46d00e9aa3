//! Project automation, run as `cargo xtask <command>`.

mod bench;
mod cmd;
mod demo;
mod dynamodb;
mod fuzz;
mod json;
mod lambda;
mod macro_cost;
mod npm;
mod probe;
mod runtime_api;
mod size;
mod test;
mod venv;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Errors are reported as text; every failure ends the command.
pub type Result<T, E = Box<dyn std::error::Error + Send + Sync>> = std::result::Result<T, E>;

const HELP: &str = "\
Usage: cargo xtask <command> [args]

Commands:
  dynamodb [--server moto|dynalite]
                  Start a local DynamoDB (default moto), print its `export`
                  lines, run until Ctrl-C, SIGTERM or SIGHUP
  test [args]     cargo fmt --check, cargo clippy, then cargo test
                  --workspace [args] against moto, then the suite's server
                  tests again against dynalite (the same build), then
                  cargo bench --no-run, then `fuzz --dev` for 20 s per
                  target; a tally per server
  fuzz [--dev] [--time S | --runs N] [target...]
                  Build the cargo-fuzz targets of fuzz/ (item, direct, http,
                  stream, cursor, schema; optimized unless --dev) and run
                  each for S seconds (default 20) or N executions from its
                  seeds; cargo-fuzz is installed from crates.io into
                  .cargo-fuzz on first use
  demo            With a local DynamoDB: build the examples, create their
                  tables, run each Lambda under `cargo lambda watch` and
                  invoke it with examples/<name>/events/*.json; then feed the
                  Users table's stream to users-stream
  bench [--rounds N] [args]
                  Build suite/benches/compare (generated code against serde_dynamo,
                  hand-written code, serde_json and the raw SDK), run it N
                  times (default 1; args go to criterion, e.g. a filter), then
                  print the ratio table: the median of the N in-run ratios;
                  see BENCHMARKS.md
  bench-report    The ratio table of the last benchmark run
  size [--runs N] Stripped release size of examples/users and its start-up
                  time (exec to first Runtime API request, and to the first
                  answer) against the same function written by hand
  macro-cost [--runs N]
                  What the macro costs at build time: the expanded lines of
                  examples/orders, and a debug build of a generated crate of
                  50 annotated structs against the same crate with serde
                  derives only (median of N, default 3)
  help            Show this list

moto and cargo-lambda are installed from PyPI into .dynamodb/venv and
.cargo-lambda/venv on first use (needs python3 with pip and venv); dynalite
from npm into .dynalite/node_modules (needs Node with npm).";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let command = args.next();
    let rest: Vec<String> = args.collect();
    let root = workspace_root();
    let result = match command.as_deref() {
        Some("dynamodb") => dynamodb::serve(&root, &rest),
        Some("test") => test::run(&root, &rest),
        Some("demo") => demo::run(&root),
        Some("fuzz") => fuzz::run(&root, &rest),
        Some("bench") => bench::run(&root, &rest),
        Some("bench-report") => bench::report(&root),
        Some("size") => size::run(&root, &rest),
        Some("macro-cost") => macro_cost::run(&root, &rest),
        Some("help" | "-h" | "--help") => {
            println!("{HELP}");
            Ok(ExitCode::SUCCESS)
        }
        Some(other) => {
            eprintln!("xtask: unknown command `{other}`\n\n{HELP}");
            Ok(ExitCode::from(2))
        }
        None => {
            eprintln!("{HELP}");
            Ok(ExitCode::from(2))
        }
    };
    result.unwrap_or_else(|error| {
        eprintln!("xtask: error: {error}");
        ExitCode::FAILURE
    })
}

/// The workspace root: the parent of this crate's directory.
fn workspace_root() -> PathBuf {
    let manifest_dir = xtask_dir();
    manifest_dir
        .parent()
        .map_or_else(|| manifest_dir.clone(), Path::to_path_buf)
}

/// This crate's directory: `CARGO_MANIFEST_DIR` as `cargo run` sets it, so
/// that a binary built in another checkout (a build directory shared
/// between work trees) still works on this one; else the directory it was
/// built from.
pub fn xtask_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .filter(|dir| Path::new(dir).join("dynamodb-requirements.txt").exists())
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from)
}
