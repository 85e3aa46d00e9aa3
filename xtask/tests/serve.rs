//! `cargo xtask dynamodb` as a user starts it in the background: it stays
//! up with no standard input, stops on SIGTERM, and its server never
//! outlives it, even when xtask is killed.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

#[path = "../src/probe.rs"]
mod probe;
use probe::answers;

/// Starts `xtask dynamodb --server <server>` with stdin closed and returns
/// it with the port of the server, read from its `export` lines.
fn start(server: &str) -> (Child, u16) {
    // One start at a time: a first start installs the server.
    static STARTING: Mutex<()> = Mutex::new(());
    let _starting = STARTING.lock().unwrap_or_else(|e| e.into_inner());
    let mut xtask = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["dynamodb", "--server", server])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("xtask starts");
    let stdout = xtask.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let mut port = None;
    let mut exported_server = None;
    for line in lines.by_ref() {
        let line = line.unwrap();
        if let Some(url) = line.strip_prefix("export AWS_ENDPOINT_URL_DYNAMODB=") {
            let url = url.strip_prefix("http://127.0.0.1:").expect(url);
            port = Some(url.parse::<u16>().unwrap());
        }
        if let Some(name) = line.strip_prefix("export DYNAMO_LAMBDA_SERVER=") {
            exported_server = Some(name.to_owned());
        }
        if line.starts_with("unset ") {
            break;
        }
    }
    // Keep reading so that xtask never blocks on a full pipe.
    thread::spawn(move || lines.for_each(drop));
    assert_eq!(exported_server.as_deref(), Some(server));
    (
        xtask,
        port.expect("an AWS_ENDPOINT_URL_DYNAMODB export line"),
    )
}

/// Waits up to `timeout` for the server on `port` to stop answering.
fn stops_answering(port: u16, timeout: Duration) -> bool {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if !answers(port) {
            return true;
        }
        thread::sleep(Duration::from_millis(100));
    }
    false
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success(), "kill -{name}");
}

#[test]
fn with_stdin_closed_it_serves_until_sigterm_then_stops_its_server() {
    let (mut xtask, port) = start("dynalite");
    // It used to exit as soon as it read the end of its stdin.
    thread::sleep(Duration::from_secs(3));
    assert_eq!(xtask.try_wait().unwrap(), None, "xtask is still running");
    assert!(answers(port), "the server still answers");

    signal(&xtask, "TERM");
    let status = xtask.wait().unwrap();
    assert!(status.success(), "SIGTERM is a normal stop: {status}");
    assert!(stops_answering(port, Duration::from_secs(5)));
}

#[test]
fn killed_xtask_leaves_no_server_behind() {
    for server in ["moto", "dynalite"] {
        let (mut xtask, port) = start(server);
        assert!(answers(port), "{server} answers");
        // SIGKILL: xtask runs no code; only the watchdog's pipe closing
        // tells the server to go.
        xtask.kill().unwrap();
        xtask.wait().unwrap();
        assert!(
            stops_answering(port, Duration::from_secs(10)),
            "{server} outlived xtask"
        );
    }
}
