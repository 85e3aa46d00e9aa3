//! `cargo xtask demo`: the example functions run under `cargo lambda watch`
//! against the local DynamoDB the environment names, each invoked with its
//! sample events by `cargo lambda invoke`; then the Users table's real
//! stream is fed to the users-stream function.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use dynamo_lambda::{Error, Table};
use dynamo_lambda_suite::lambda::{Function, workspace_root};
use dynamo_lambda_suite::streams::stream_event;
use orders_example::Order;
use serde_json::Value;
use users_example::User;
use users_stream_example::UserAudit;

/// The examples, in the order they run: the users functions fill the
/// Users table whose stream the users-stream function reads last.
const EXAMPLES: [&str; 4] = ["users", "users-http", "orders", "users-stream"];

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("demo: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), String> {
    let client = dynamo_lambda::client().await;
    create::<User>(client).await?;
    create::<Order>(client).await?;
    create::<UserAudit>(client).await?;
    for example in EXAMPLES {
        let function = Function::start(example, &[]);
        println!(
            "\n==> {example} (cargo lambda watch at {})",
            function.address()
        );
        for path in event_files(
            &workspace_root()
                .join("examples")
                .join(example)
                .join("events"),
        )? {
            let file = path.file_name().unwrap_or_default().to_string_lossy();
            let request = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            println!(
                "\n--- {example}/events/{file}\nrequest:\n{}",
                pretty(&request)
            );
            show(function.invoke_cli(&path));
        }
        if example == "users-stream" {
            let event = stream_event(User::table_name()).await?;
            let count = event["Records"].as_array().map_or(0, Vec::len);
            println!(
                "\n--- the {count} records of table {}'s stream so far, as Lambda delivers them",
                User::table_name()
            );
            match function.invoke(&event).await {
                Ok(response) => println!("response:\n{}", pretty_value(&response)),
                Err(error) => println!("error {}: {}", error.error_type, error.message),
            }
            let audit = dynamo_lambda::TableClient::<UserAudit>::shared()
                .scan()
                .all()
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "\n{} items in table {}",
                audit.len(),
                UserAudit::table_name()
            );
        }
    }
    Ok(())
}

fn show(outcome: Result<Value, String>) {
    match outcome {
        Ok(response) => println!("response:\n{}", pretty_value(&response)),
        // cargo-lambda's own advice about filing bugs is not the function's answer.
        Err(error) => println!(
            "error:\n{}",
            error
                .lines()
                .take_while(|line| !line
                    .trim_start()
                    .starts_with("Was this behavior unexpected"))
                .collect::<Vec<_>>()
                .join("\n")
                .trim_end()
        ),
    }
}

async fn create<T: Table>(client: &dynamo_lambda::aws_sdk_dynamodb::Client) -> Result<(), String> {
    match dynamo_lambda::create_table::<T>(client).await {
        Ok(()) => println!("created table {}", T::table_name()),
        Err(Error::Service {
            code: Some(code), ..
        }) if code == "ResourceInUseException" => {
            println!("table {} exists", T::table_name());
        }
        Err(e) => return Err(format!("creating table {}: {e}", T::table_name())),
    }
    Ok(())
}

/// The `*.json` files of `dir`, sorted by file name.
fn event_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "json") && path.is_file())
        .collect();
    files.sort();
    Ok(files)
}

fn pretty(text: &str) -> String {
    serde_json::from_str::<Value>(text).map_or_else(|_| text.to_owned(), |v| pretty_value(&v))
}

fn pretty_value(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
}
