//! The example functions run the way Lambda runs them: a separate process
//! polling the Lambda Runtime API, here served by `cargo lambda watch`
//! (cargo-lambda's emulator), invoked through its Invoke API, its Function
//! URL endpoint or `cargo lambda invoke`.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::http::{HttpResponse, send};

/// The example packages whose binaries the end-to-end tests run.
const EXAMPLES: [&str; 4] = [
    "users-example",
    "users-http-example",
    "users-stream-example",
    "orders-example",
];

/// How long the emulator may take to listen.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// The function name `cargo lambda watch --only-lambda-apis` serves.
const FUNCTION: &str = "_";

/// The cargo-lambda executable `cargo xtask test` installed; fails with a
/// clear message when the suite is not run through it.
pub fn cargo_lambda() -> PathBuf {
    match std::env::var_os("CARGO_LAMBDA") {
        Some(path) if !path.is_empty() => PathBuf::from(path),
        _ => panic!(
            "CARGO_LAMBDA is not set: run the suite with `cargo xtask test`, which installs \
             cargo-lambda into .cargo-lambda/venv"
        ),
    }
}

/// The workspace root (the suite is one of its folders).
pub fn workspace_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the suite is a folder of the workspace")
}

/// The debug build of example binary `name` (`users`, `users-http`, …).
/// The first call builds all the examples in one `cargo build`, so they
/// share the features of one resolution.
pub fn example_binary(name: &str) -> PathBuf {
    static BUILT: OnceLock<Result<HashMap<String, PathBuf>, String>> = OnceLock::new();
    let built = BUILT.get_or_init(build_examples);
    match built {
        Ok(binaries) => binaries
            .get(name)
            .cloned()
            .unwrap_or_else(|| panic!("no example binary named `{name}` in {binaries:?}")),
        Err(error) => panic!("building the examples: {error}"),
    }
}

fn build_examples() -> Result<HashMap<String, PathBuf>, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(workspace_root()).args([
        "build",
        "--bins",
        "--message-format=json-render-diagnostics",
    ]);
    for package in EXAMPLES {
        cmd.args(["-p", package]);
    }
    let output = cmd
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run cargo build: {e}"))?;
    if !output.status.success() {
        return Err(format!("cargo build failed ({})", output.status));
    }
    let mut binaries = HashMap::new();
    for line in output.stdout.split(|&b| b == b'\n') {
        let Ok(message) = serde_json::from_slice::<Value>(line) else {
            continue;
        };
        if message["reason"] != "compiler-artifact" {
            continue;
        }
        if let (Some(name), Some(path)) = (
            message["target"]["name"].as_str(),
            message["executable"].as_str(),
        ) {
            binaries.insert(name.to_owned(), PathBuf::from(path));
        }
    }
    Ok(binaries)
}

/// A function's error as the Invoke API returns it.
#[derive(Debug, Clone, PartialEq)]
pub struct FunctionError {
    /// The HTTP status of the Invoke API's answer.
    pub status: u16,
    /// `errorType`: the error kind.
    pub error_type: String,
    /// `errorMessage`.
    pub message: String,
}

/// One example function under `cargo lambda watch --only-lambda-apis`,
/// which serves the Runtime API and the Invoke API on one port; both
/// processes are killed on drop.
#[derive(Debug)]
pub struct Function {
    name: String,
    port: u16,
    emulator: Child,
    function: Child,
    log: PathBuf,
}

impl Function {
    /// Starts the emulator on a free port and the example binary `name`
    /// against it, with `env` on top of the test's environment (the local
    /// DynamoDB endpoint and credentials).
    pub fn start(name: &str, env: &[(&str, &str)]) -> Function {
        let binary = example_binary(name);
        let port = free_port();
        let log = std::env::temp_dir().join(format!(
            "dynamo-lambda-e2e-{name}-{}-{port}.log",
            std::process::id()
        ));
        let emulator_log = File::create(&log).expect("emulator log");
        let emulator = Command::new(cargo_lambda())
            .current_dir(workspace_root())
            .args(["lambda", "watch", "--only-lambda-apis", "-A", "127.0.0.1"])
            .args(["-P", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(emulator_log.try_clone().expect("log"))
            .stderr(emulator_log)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start cargo lambda watch: {e}"));
        let deadline = Instant::now() + START_TIMEOUT;
        while TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "cargo lambda watch did not listen on port {port} within {START_TIMEOUT:?}; log {}",
                log.display()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        let function_log = File::options()
            .append(true)
            .open(&log)
            .expect("function log");
        let function = Command::new(&binary)
            .current_dir(workspace_root())
            .envs(env.iter().copied())
            .env(
                "AWS_LAMBDA_RUNTIME_API",
                format!("http://127.0.0.1:{port}/.rt"),
            )
            .env("AWS_LAMBDA_FUNCTION_NAME", FUNCTION)
            .env("AWS_LAMBDA_FUNCTION_VERSION", "1")
            .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
            .env("AWS_LAMBDA_LOG_FORMAT", "Text")
            .stdin(Stdio::null())
            .stdout(function_log.try_clone().expect("log"))
            .stderr(function_log)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
        Function {
            name: name.to_owned(),
            port,
            emulator,
            function,
            log,
        }
    }

    /// The emulator's address, `http://127.0.0.1:PORT`.
    pub fn address(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// What the emulator and the function have logged so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Invokes the function through the Invoke API with `payload`: its
    /// response, or the error it reported.
    pub async fn invoke(&self, payload: &Value) -> Result<Value, FunctionError> {
        let url = format!(
            "{}/2015-03-31/functions/{FUNCTION}/invocations",
            self.address()
        );
        let response = crate::http::post_json(&url, &[], payload)
            .await
            .unwrap_or_else(|e| panic!("invoking {}: {e}\n{}", self.name, self.log()));
        Self::outcome(&response)
    }

    /// Invokes the function through the Invoke API with `body` as it is,
    /// JSON or not: its response, or the error it reported.
    pub async fn invoke_raw(&self, body: impl Into<bytes::Bytes>) -> Result<Value, FunctionError> {
        let url = format!(
            "{}/2015-03-31/functions/{FUNCTION}/invocations",
            self.address()
        );
        let response = send("POST", &url, &[], body)
            .await
            .unwrap_or_else(|e| panic!("invoking {}: {e}\n{}", self.name, self.log()));
        Self::outcome(&response)
    }

    /// Invokes the function with `cargo lambda invoke --data-file`: the
    /// response, or the error message cargo-lambda printed.
    pub fn invoke_cli(&self, data_file: &Path) -> Result<Value, String> {
        let output = Command::new(cargo_lambda())
            .current_dir(workspace_root())
            .args([
                "lambda",
                "invoke",
                FUNCTION,
                "-A",
                "127.0.0.1",
                "--color",
                "never",
            ])
            .args(["-P", &self.port.to_string(), "--output-format", "json"])
            .arg("--data-file")
            .arg(data_file)
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("cannot run cargo lambda invoke: {e}"));
        let stdout = String::from_utf8_lossy(&output.stdout);
        if output.status.success() {
            serde_json::from_str(stdout.trim())
                .map_err(|e| format!("cargo lambda invoke printed no JSON ({e}): {stdout}"))
        } else {
            Err(format!(
                "{}{}",
                stdout,
                String::from_utf8_lossy(&output.stderr)
            ))
        }
    }

    /// Sends an HTTP request to the function's URL (the emulator turns it
    /// into a Function URL event): `path` starts with `/`.
    pub async fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: impl Into<bytes::Bytes>,
    ) -> HttpResponse {
        let url = format!("{}/lambda-url/{FUNCTION}{path}", self.address());
        send(method, &url, headers, body)
            .await
            .unwrap_or_else(|e| panic!("{method} {path}: {e}\n{}", self.log()))
    }

    fn outcome(response: &HttpResponse) -> Result<Value, FunctionError> {
        let body = response.json();
        if response.status == 200 && response.header("x-amz-function-error").is_none() {
            return Ok(body);
        }
        Err(FunctionError {
            status: response.status,
            error_type: body["errorType"].as_str().unwrap_or_default().to_owned(),
            message: body["errorMessage"].as_str().unwrap_or_default().to_owned(),
        })
    }

    /// Lines the function logged that contain `needle`.
    pub fn log_lines(&self, needle: &str) -> Vec<String> {
        let Ok(file) = File::open(&self.log) else {
            return Vec::new();
        };
        BufReader::new(file)
            .lines()
            .map_while(Result::ok)
            .filter(|line| line.contains(needle))
            .collect()
    }
}

impl Drop for Function {
    fn drop(&mut self) {
        for child in [&mut self.function, &mut self.emulator] {
            let _ = child.kill();
            let _ = child.wait();
        }
        if !std::thread::panicking() {
            let _ = std::fs::remove_file(&self.log);
        }
    }
}

/// A loopback port that was free a moment ago.
fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .expect("a free loopback port")
}
