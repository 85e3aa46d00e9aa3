//! `cargo xtask demo`: runs the example Lambdas locally against a local
//! DynamoDB and the Runtime API emulator, feeding them their sample events.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Duration;

use crate::Result;
use crate::cmd::{cargo, exit_code, step};
use crate::dynamodb::DynamoDb;
use crate::json;
use crate::runtime_api::{Invocation, RuntimeApi};

/// The example functions, in the order they are shown.
const EXAMPLES: [&str; 2] = ["users", "orders"];

/// How long one invocation may take.
const INVOKE_TIMEOUT: Duration = Duration::from_secs(30);

pub fn run(root: &Path) -> Result<ExitCode> {
    let server = DynamoDb::start(root)?;
    let mut build = cargo(root);
    build.args([
        "build",
        "-p",
        "users-example",
        "-p",
        "orders-example",
        "-p",
        "dynamo-lambda-suite",
        "--bins",
    ]);
    let status = step("cargo build (examples and demo-tables)", &mut build)?;
    if !status.success() {
        return Ok(exit_code(status));
    }

    let bin_dir = target_dir(root)?.join("debug");
    let mut tables = Command::new(bin_dir.join("demo-tables"));
    tables.current_dir(root);
    server.apply(&mut tables);
    let status = step("demo-tables", &mut tables)?;
    if !status.success() {
        return Err(format!("demo-tables failed ({status})").into());
    }

    for example in EXAMPLES {
        run_example(root, &bin_dir, example, &server)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Starts one example function and invokes it with each of its events.
fn run_example(root: &Path, bin_dir: &Path, name: &str, server: &DynamoDb) -> Result<()> {
    let events = event_files(&root.join("examples").join(name).join("events"))?;
    let mut api = RuntimeApi::start(name)?;
    let mut function = Command::new(bin_dir.join(name));
    function.current_dir(root);
    server.apply(&mut function);
    println!("==> {name} (Runtime API at {})", api.addr());
    api.spawn(function)?;
    if events.is_empty() {
        println!("(no events in examples/{name}/events)");
    }
    for path in events {
        let event = fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let file = path.file_name().unwrap_or_default().to_string_lossy();
        println!("\n--- {name}/{file}\nrequest:\n{}", json::pretty(&event));
        match api.invoke(&event, INVOKE_TIMEOUT)? {
            Invocation::Ok(body) => println!("response:\n{}", json::pretty(&body)),
            Invocation::Err {
                error_type,
                message,
                raw,
            } => {
                println!("error {error_type}: {message}");
                if json::string_field(&raw, "errorType").is_none() {
                    println!("(error body: {raw})");
                }
            }
        }
    }
    println!();
    Ok(())
}

/// The `*.json` files of `dir`, sorted by file name.
fn event_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))? {
        let path = entry?.path();
        if path.extension().is_some_and(|ext| ext == "json") && path.is_file() {
            files.push(path);
        }
    }
    files.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
    Ok(files)
}

/// `$CARGO_TARGET_DIR` (relative to the current directory) or `<root>/target`.
fn target_dir(root: &Path) -> Result<PathBuf> {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => Ok(std::env::current_dir()?.join(dir)),
        _ => Ok(root.join("target")),
    }
}
