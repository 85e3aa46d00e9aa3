//! A local DynamoDB: moto's server, installed from PyPI into a project-local
//! virtualenv and run on a free loopback port.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use crate::Result;
use crate::venv::Venv;

const VENV: Venv = Venv {
    tool: "the local DynamoDB server (moto)",
    dir: ".dynamodb",
    requirements: "dynamodb-requirements.txt",
    executable: "moto_server",
};

/// How long the server may take to answer its first request.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// Variables removed from child environments so that no real AWS
/// credentials or profiles are picked up.
pub const REMOVED_ENV: [&str; 3] = ["AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_DEFAULT_PROFILE"];

/// Runs the moto server script (`argv[1]`) and exits as soon as stdin
/// closes, so the server never outlives xtask, however xtask ends.
const WATCHDOG: &str = "import os, runpy, sys, threading; \
    threading.Thread(target=lambda: (sys.stdin.buffer.read(), os._exit(0)), daemon=True).start(); \
    sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')";

/// A running moto server; stopped (killed and reaped) on drop.
#[derive(Debug)]
pub struct DynamoDb {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl DynamoDb {
    /// Installs the server if needed, starts it and waits until it answers.
    pub fn start(root: &Path) -> Result<Self> {
        let venv = VENV.ensure(root)?;
        let port = free_port()?;
        let dir = root.join(".dynamodb");
        remove_old_logs(&dir);
        let log = dir.join(format!("moto-{port}.log"));
        let out =
            File::create(&log).map_err(|e| format!("cannot create {}: {e}", log.display()))?;
        let started = Instant::now();
        let mut moto = Command::new(venv.join("bin/python"));
        // moto loads AWS settings too: a stray profile breaks every request.
        for name in REMOVED_ENV {
            moto.env_remove(name);
        }
        let child = moto
            .envs(dummy_credentials())
            .arg("-c")
            .arg(WATCHDOG)
            .arg(venv.join("bin/moto_server"))
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .env("PYTHONUNBUFFERED", "1")
            .env_remove("PYTHONHOME")
            .env_remove("PYTHONPATH")
            .stdin(Stdio::piped())
            .stdout(out.try_clone()?)
            .stderr(out)
            .spawn()
            .map_err(|e| format!("cannot start moto_server: {e}"))?;
        let mut server = DynamoDb { child, port, log };
        server.wait_ready()?;
        eprintln!(
            "DynamoDB (moto) at {} (ready in {:.1} s, log {})",
            server.endpoint(),
            started.elapsed().as_secs_f64(),
            server.log.display()
        );
        Ok(server)
    }

    /// The server's URL.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Variables that point an AWS SDK at this server with dummy credentials.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        [("AWS_ENDPOINT_URL_DYNAMODB", self.endpoint())]
            .into_iter()
            .chain(dummy_credentials())
            .collect()
    }

    /// Sets [`Self::env`] on `cmd` and removes [`REMOVED_ENV`].
    pub fn apply(&self, cmd: &mut Command) {
        cmd.envs(self.env());
        for name in REMOVED_ENV {
            cmd.env_remove(name);
        }
    }

    /// Polls until a DynamoDB `ListTables` request succeeds.
    fn wait_ready(&mut self) -> Result<()> {
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait()? {
                return Err(self.failure(&format!("moto_server exited ({status})")));
            }
            if self.answers() {
                return Ok(());
            }
            if Instant::now() >= deadline {
                return Err(self.failure(&format!(
                    "moto_server did not answer within {} s",
                    START_TIMEOUT.as_secs()
                )));
            }
            thread::sleep(Duration::from_millis(50));
        }
    }

    /// Whether the server answers a `ListTables` request.
    fn answers(&self) -> bool {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, self.port));
        let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_secs(1)) else {
            return false;
        };
        // moto routes by the service named in the signature's scope.
        let request = format!(
            "POST / HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\
             Content-Type: application/x-amz-json-1.0\r\n\
             X-Amz-Target: DynamoDB_20120810.ListTables\r\n\
             Authorization: AWS4-HMAC-SHA256 \
             Credential=test/20000101/us-east-1/dynamodb/aws4_request, \
             SignedHeaders=host, Signature=0\r\n\
             Content-Length: 2\r\nConnection: close\r\n\r\n{{}}",
            self.port
        );
        let mut response = String::new();
        let timeout = Some(Duration::from_secs(5));
        stream.set_read_timeout(timeout).is_ok()
            && stream.set_write_timeout(timeout).is_ok()
            && stream.write_all(request.as_bytes()).is_ok()
            && stream.read_to_string(&mut response).is_ok()
            && response.starts_with("HTTP/1.1 200")
            && response.contains("TableNames")
    }

    /// An error naming `what` with the tail of the server's log.
    fn failure(&self, what: &str) -> Box<dyn std::error::Error + Send + Sync> {
        let log = fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        let tail = lines[lines.len().saturating_sub(30)..].join("\n");
        format!("{what}; last lines of {}:\n{tail}", self.log.display()).into()
    }
}

impl Drop for DynamoDb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `cargo xtask dynamodb`: serves until stdin closes or the server dies.
pub fn serve(root: &Path) -> Result<ExitCode> {
    let mut server = DynamoDb::start(root)?;
    for (name, value) in server.env() {
        println!("export {name}={value}");
    }
    println!("unset {}", REMOVED_ENV.join(" "));
    eprintln!("Running; close stdin (Ctrl-D) or press Ctrl-C to stop.");
    let (closed, stdin_closed) = mpsc::channel();
    thread::spawn(move || {
        let _ = io::copy(&mut io::stdin().lock(), &mut io::sink());
        let _ = closed.send(());
    });
    loop {
        match stdin_closed.recv_timeout(Duration::from_millis(500)) {
            Ok(()) | Err(RecvTimeoutError::Disconnected) => break,
            Err(RecvTimeoutError::Timeout) => {}
        }
        if let Some(status) = server.child.try_wait()? {
            return Err(server.failure(&format!("moto_server exited ({status})")));
        }
    }
    eprintln!("Stopping DynamoDB.");
    Ok(ExitCode::SUCCESS)
}

/// Fixed credentials and region, so nothing real is looked up.
fn dummy_credentials() -> [(&'static str, String); 4] {
    [
        ("AWS_ACCESS_KEY_ID", "test".into()),
        ("AWS_SECRET_ACCESS_KEY", "test".into()),
        ("AWS_REGION", "us-east-1".into()),
        ("AWS_EC2_METADATA_DISABLED", "true".into()),
    ]
}

/// Removes server logs untouched for a day.
fn remove_old_logs(dir: &Path) {
    const MAX_AGE: Duration = Duration::from_secs(24 * 60 * 60);
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|modified| modified.elapsed().ok())
            .is_some_and(|age| age > MAX_AGE);
        if old && name.starts_with("moto-") && name.ends_with(".log") {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// A loopback port that was free a moment ago.
fn free_port() -> Result<u16> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    Ok(listener.local_addr()?.port())
}
