//! `cargo xtask size`: the stripped release size of `examples/users` and how
//! long it takes from exec to its first Runtime API request, against the same
//! function written by hand (`benches/startup`) built with the SDK's default
//! features and with the lean ones the workspace uses.
//!
//! Each binary is started many times, round-robin so that machine noise hits
//! all of them alike, against the Runtime API emulator; a local stand-in for
//! DynamoDB answers the one `get` each start is then given, so the time to
//! the first answer (a whole cold start) is measured too.

use std::fs;
use std::io::BufReader;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use crate::Result;
use crate::cmd::{cargo, exit_code, step, target_dir};
use crate::dynamodb::REMOVED_ENV;
use crate::runtime_api::{Invocation, RuntimeApi, http};

/// Starts of each binary when `--runs` is not given.
const DEFAULT_RUNS: usize = 30;
/// How long one start may take to poll or answer.
const TIMEOUT: Duration = Duration::from_secs(20);
/// The event each start answers.
const EVENT: &str = r#"{"op": "get", "key": {"id": "u-size"}}"#;

/// A binary under measurement.
#[derive(Debug)]
struct Subject {
    label: &'static str,
    path: PathBuf,
    to_poll: Vec<Duration>,
    to_answer: Vec<Duration>,
}

pub fn run(root: &Path, args: &[String]) -> Result<ExitCode> {
    let runs = match args {
        [] => DEFAULT_RUNS,
        [flag, n] if flag == "--runs" => n
            .parse()
            .map_err(|_| format!("--runs takes a number, not `{n}`"))?,
        _ => return Err("usage: cargo xtask size [--runs N]".into()),
    };
    let target = target_dir(root)?;
    let mut subjects = match build(root, &target)? {
        Ok(subjects) => subjects,
        Err(code) => return Ok(code),
    };

    let dynamodb = stub_dynamodb()?;
    println!(
        "==> {runs} starts of each binary (Runtime API emulator, DynamoDB stand-in at {dynamodb})"
    );
    // One unmeasured start each: the binaries into the page cache.
    for subject in &subjects {
        start_once(subject, dynamodb)?;
    }
    let mut answers: Vec<Option<String>> = vec![None; subjects.len()];
    for _ in 0..runs {
        for (subject, answer) in subjects.iter_mut().zip(&mut answers) {
            let (to_poll, to_answer, body) = start_once(subject, dynamodb)?;
            subject.to_poll.push(to_poll);
            subject.to_answer.push(to_answer);
            *answer = Some(body);
        }
    }
    let parsed: Vec<Option<serde_json::Value>> = answers
        .iter()
        .map(|a| a.as_deref().and_then(|a| serde_json::from_str(a).ok()))
        .collect();
    if parsed.windows(2).any(|pair| pair[0] != pair[1]) {
        return Err(format!("the binaries answer differently: {answers:?}").into());
    }
    print!("{}", render(&mut subjects)?);
    Ok(ExitCode::SUCCESS)
}

/// Builds the example with the workspace's release profile and the
/// hand-written function twice into `target/startup`; the exit code of a
/// build that failed (its output says why).
fn build(root: &Path, target: &Path) -> Result<Result<Vec<Subject>, ExitCode>> {
    let mut users = cargo(root);
    users.args([
        "build",
        "--release",
        "-p",
        "users-example",
        "--bin",
        "users",
    ]);
    let status = step("cargo build --release -p users-example", &mut users)?;
    if !status.success() {
        return Ok(Err(exit_code(status)));
    }
    let startup = root.join("benches/startup");
    let lock = startup.join("Cargo.lock");
    if !lock.exists() {
        // Start from the workspace's versions; cargo adds what only the
        // SDK's default features need.
        fs::copy(root.join("Cargo.lock"), &lock)?;
    }
    let startup_target = target.join("startup");
    let mut subjects = vec![Subject::new(
        "examples/users (dynamo-lambda)",
        target.join("release/users"),
    )];
    for (label, features, file) in [
        (
            "hand-written, lean SDK features",
            None,
            "users-handwritten-lean",
        ),
        (
            "hand-written, default SDK features",
            Some("sdk-default-features"),
            "users-handwritten-default",
        ),
    ] {
        let mut cmd = cargo(root);
        cmd.arg("build")
            .arg("--release")
            .arg("--manifest-path")
            .arg(startup.join("Cargo.toml"))
            .arg("--target-dir")
            .arg(&startup_target);
        if let Some(features) = features {
            cmd.args(["--features", features]);
        }
        let title = format!("cargo build --release (benches/startup, {label})");
        let status = step(&title, &mut cmd)?;
        if !status.success() {
            return Ok(Err(exit_code(status)));
        }
        let built = startup_target.join("release/users-handwritten");
        let path = startup_target.join(file);
        fs::copy(&built, &path).map_err(|e| format!("cannot copy {}: {e}", built.display()))?;
        subjects.push(Subject::new(label, path));
    }
    Ok(Ok(subjects))
}

impl Subject {
    fn new(label: &'static str, path: PathBuf) -> Self {
        Subject {
            label,
            path,
            to_poll: Vec::new(),
            to_answer: Vec::new(),
        }
    }
}

/// Starts the binary once: (spawn → first `invocation/next`, spawn → the
/// answer to [`EVENT`], the answer).
fn start_once(subject: &Subject, dynamodb: SocketAddr) -> Result<(Duration, Duration, String)> {
    let mut api = RuntimeApi::start("users")?;
    let mut cmd = Command::new(&subject.path);
    for name in REMOVED_ENV {
        cmd.env_remove(name);
    }
    cmd.env("AWS_REGION", "us-east-1")
        .env("AWS_ACCESS_KEY_ID", "AKIDSIZE")
        .env("AWS_SECRET_ACCESS_KEY", "secret")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_ENDPOINT_URL_DYNAMODB", format!("http://{dynamodb}"))
        .env("RUST_LOG", "off")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let started = Instant::now();
    api.spawn(cmd)?;
    let to_poll = api.wait_first_poll(TIMEOUT)?;
    let body = match api.invoke(EVENT, TIMEOUT)? {
        Invocation::Ok(body) => body,
        Invocation::Err { raw, .. } => {
            return Err(format!("{} answered with an error: {raw}", subject.label).into());
        }
    };
    Ok((to_poll, started.elapsed(), body))
}

/// A loopback stand-in for DynamoDB that answers every request with `{}`
/// (for `GetItem`: no such item). It serves until xtask exits.
fn stub_dynamodb() -> Result<SocketAddr> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    let addr = listener.local_addr()?;
    thread::Builder::new()
        .name("dynamodb-stub".into())
        .spawn(move || {
            for stream in listener.incoming().flatten() {
                let _ = thread::Builder::new()
                    .name("dynamodb-stub-conn".into())
                    .spawn(move || answer_empty(stream));
            }
        })?;
    Ok(addr)
}

fn answer_empty(stream: TcpStream) {
    let Ok(read_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(read_half);
    let mut writer = stream;
    let headers = [
        ("Content-Type", "application/x-amz-json-1.0".to_owned()),
        ("x-amzn-RequestId", "stub".to_owned()),
    ];
    while let Ok(Some(request)) = http::read_request(&mut reader, &mut writer) {
        if http::write_response(&mut writer, 200, &headers, b"{}", request.keep_alive).is_err()
            || !request.keep_alive
        {
            return;
        }
    }
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

fn render(subjects: &mut [Subject]) -> Result<String> {
    let mut rows = Vec::new();
    for subject in subjects.iter_mut() {
        let bytes = fs::metadata(&subject.path)
            .map_err(|e| format!("cannot read {}: {e}", subject.path.display()))?
            .len();
        rows.push((
            subject.label,
            bytes,
            median(&mut subject.to_poll),
            subject.to_poll[0],
            median(&mut subject.to_answer),
        ));
    }
    // The hand-written lean build is the baseline of every ratio.
    let (_, lean_bytes, lean_poll, _, lean_answer) = rows[1];
    let mut out = String::from(
        "\n| binary | stripped size | exec → first `next` (median, min) | exec → first answer (median) |\n\
         | --- | ---: | ---: | ---: |\n",
    );
    for (label, bytes, poll, min, answer) in rows {
        out.push_str(&format!(
            "| {label} | {:.2} MB ({:.2} MiB), {:.2}× | {} ({}), {:.2}× | {}, {:.2}× |\n",
            bytes as f64 / 1e6,
            bytes as f64 / (1024.0 * 1024.0),
            bytes as f64 / lean_bytes as f64,
            ms(poll),
            ms(min),
            poll.as_secs_f64() / lean_poll.as_secs_f64(),
            ms(answer),
            answer.as_secs_f64() / lean_answer.as_secs_f64(),
        ));
    }
    out.push_str("\nRatios are against the hand-written lean build, measured in the same run.\n");
    Ok(out)
}
