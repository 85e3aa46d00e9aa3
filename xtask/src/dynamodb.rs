//! A local DynamoDB: moto's server (PyPI, in a project-local virtualenv) or
//! dynalite (npm, in a project-local `node_modules`), run on a free loopback
//! port under a watchdog so that it never outlives xtask.

use std::fmt;
use std::fs::{self, File};
use std::io::Write;
use std::net::{Ipv4Addr, TcpListener};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use crate::Result;
use crate::npm::NpmInstall;
use crate::probe::answers;
use crate::venv::Venv;

const MOTO: Venv = Venv {
    tool: "the local DynamoDB server moto",
    dir: ".dynamodb",
    requirements: "dynamodb-requirements.txt",
    executable: "moto_server",
};

const DYNALITE: NpmInstall = NpmInstall {
    tool: "the local DynamoDB server dynalite",
    dir: ".dynalite",
    manifest: "dynalite",
    entry: "dynalite/cli.js",
};

/// How long the server may take to answer its first request.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// Variables removed from child environments so that no real AWS
/// credentials or profiles are picked up.
pub const REMOVED_ENV: [&str; 3] = ["AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_DEFAULT_PROFILE"];

/// Runs the moto server script (`argv[1]`) and exits as soon as stdin
/// closes. Its stdin is a pipe only xtask holds, so the server ends with
/// xtask however xtask ends, even killed.
const MOTO_WATCHDOG: &str = "import os, runpy, sys, threading; \
    threading.Thread(target=lambda: (sys.stdin.buffer.read(), os._exit(0)), daemon=True).start(); \
    sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')";

/// The same for dynalite's command-line script (`argv[1]`).
const DYNALITE_WATCHDOG: &str = "process.stdin.on('end', () => process.exit(0)).resume(); \
    const cli = process.argv[1]; process.argv.splice(1, 1); require(cli);";

/// A local DynamoDB-compatible server xtask can run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Server {
    /// moto's standalone server: lenient, with every API the suite uses.
    Moto,
    /// dynalite: strict request validation; no transactions, TTL, PartiQL
    /// or streams.
    Dynalite,
}

impl Server {
    /// Every server, in the order `cargo xtask test` runs them.
    pub const ALL: [Server; 2] = [Server::Moto, Server::Dynalite];

    /// The name used on the command line and in `DYNAMO_LAMBDA_SERVER`.
    pub fn name(self) -> &'static str {
        match self {
            Server::Moto => "moto",
            Server::Dynalite => "dynalite",
        }
    }

    /// The server called `name`.
    pub fn from_name(name: &str) -> Result<Server> {
        Server::ALL
            .into_iter()
            .find(|server| server.name() == name)
            .ok_or_else(|| format!("unknown server `{name}`: expected `moto` or `dynalite`").into())
    }

    /// The directory holding the install and the logs.
    fn dir(self, root: &Path) -> PathBuf {
        root.join(match self {
            Server::Moto => MOTO.dir,
            Server::Dynalite => DYNALITE.dir,
        })
    }

    /// Installs the server unless it is installed and up to date, and
    /// returns the path of its entry point.
    pub fn install(self, root: &Path) -> Result<PathBuf> {
        match self {
            Server::Moto => MOTO.ensure(root),
            Server::Dynalite => DYNALITE.ensure(root),
        }
    }

    /// Installs the server if needed and returns the command that serves on
    /// `port` under its watchdog, which reads the child's stdin.
    fn command(self, root: &Path, port: u16) -> Result<Command> {
        let port = port.to_string();
        let installed = self.install(root)?;
        match self {
            Server::Moto => {
                let venv = installed;
                let mut cmd = Command::new(venv.join("bin/python"));
                cmd.arg("-c")
                    .arg(MOTO_WATCHDOG)
                    .arg(venv.join("bin/moto_server"))
                    .args(["-H", "127.0.0.1", "-p", &port])
                    .env("PYTHONUNBUFFERED", "1")
                    .env_remove("PYTHONHOME")
                    .env_remove("PYTHONPATH");
                Ok(cmd)
            }
            Server::Dynalite => {
                let mut cmd = Command::new("node");
                cmd.arg("-e")
                    .arg(DYNALITE_WATCHDOG)
                    .arg(installed)
                    .args(["--host", "127.0.0.1", "--port", &port])
                    .args(["--createTableMs", "0"])
                    .args(["--deleteTableMs", "0"])
                    .args(["--updateTableMs", "0"])
                    .env_remove("NODE_OPTIONS");
                Ok(cmd)
            }
        }
    }
}

impl fmt::Display for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A running local server; stopped (killed and reaped) on drop.
#[derive(Debug)]
pub struct DynamoDb {
    server: Server,
    /// Its stdin is the watchdog's pipe, held until the child is dropped.
    child: Child,
    port: u16,
    log: PathBuf,
}

impl DynamoDb {
    /// Installs `server` if needed, starts it and waits until it answers.
    pub fn start(root: &Path, server: Server) -> Result<Self> {
        let port = free_port()?;
        let mut cmd = server.command(root, port)?;
        let dir = server.dir(root);
        remove_old_logs(&dir, server);
        let log = dir.join(format!("{server}-{port}.log"));
        let out =
            File::create(&log).map_err(|e| format!("cannot create {}: {e}", log.display()))?;
        let started = Instant::now();
        // The servers load AWS settings too: a stray profile breaks requests.
        for name in REMOVED_ENV {
            cmd.env_remove(name);
        }
        // Its own process group: a Ctrl-C meant for xtask does not reach the
        // server directly; it stops when xtask drops it or its watchdog's
        // pipe closes.
        let child = cmd
            .process_group(0)
            .envs(dummy_credentials())
            .stdin(Stdio::piped())
            .stdout(out.try_clone()?)
            .stderr(out)
            .spawn()
            .map_err(|e| format!("cannot start {server}: {e}"))?;
        let mut running = DynamoDb {
            server,
            child,
            port,
            log,
        };
        running.wait_ready()?;
        eprintln!(
            "DynamoDB ({server}) at {} (ready in {:.1} s, log {})",
            running.endpoint(),
            started.elapsed().as_secs_f64(),
            running.log.display()
        );
        Ok(running)
    }

    /// The server's URL.
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Variables that point an AWS SDK at this server with dummy
    /// credentials, and name the server for the suite.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        [
            ("AWS_ENDPOINT_URL_DYNAMODB", self.endpoint()),
            ("DYNAMO_LAMBDA_SERVER", self.server.name().into()),
        ]
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

    /// An error if the server process has ended.
    pub fn check_running(&mut self) -> Result<()> {
        match self.child.try_wait()? {
            Some(status) => Err(self.failure(&format!("{} exited ({status})", self.server))),
            None => Ok(()),
        }
    }

    /// Polls until a DynamoDB `ListTables` request succeeds.
    fn wait_ready(&mut self) -> Result<()> {
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            self.check_running()?;
            if answers(self.port) {
                return Ok(());
            }
            if Instant::now() >= deadline {
                return Err(self.failure(&format!(
                    "{} did not answer within {} s",
                    self.server,
                    START_TIMEOUT.as_secs()
                )));
            }
            thread::sleep(Duration::from_millis(50));
        }
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

/// `cargo xtask dynamodb [--server moto|dynalite]`: prints the `export`
/// lines, then serves until SIGINT, SIGTERM or SIGHUP (whatever stdin is),
/// or until the server dies.
pub fn serve(root: &Path, args: &[String]) -> Result<ExitCode> {
    let server = match args {
        [] => Server::Moto,
        [flag, name] if flag == "--server" => Server::from_name(name)?,
        [flag] if flag.starts_with("--server=") => Server::from_name(&flag["--server=".len()..])?,
        _ => {
            return Err(format!(
                "unexpected arguments {args:?}: usage `cargo xtask dynamodb [--server moto|dynalite]`"
            )
            .into());
        }
    };
    let mut running = DynamoDb::start(root, server)?;
    // Handlers also replace an inherited "ignore", as a shell gives SIGINT
    // to a job started with `&`.
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
    ] {
        signal_hook::flag::register(signal, Arc::clone(&stop))?;
    }
    for (name, value) in running.env() {
        println!("export {name}={value}");
    }
    println!("unset {}", REMOVED_ENV.join(" "));
    std::io::stdout().flush()?;
    eprintln!("Running; press Ctrl-C (SIGINT) or send SIGTERM to stop.");
    while !stop.load(Ordering::Relaxed) {
        if let Err(died) = running.check_running() {
            if stop.load(Ordering::Relaxed) {
                break;
            }
            return Err(died);
        }
        thread::sleep(Duration::from_millis(100));
    }
    eprintln!("Stopping DynamoDB ({server}).");
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

/// Removes `server`'s logs untouched for a day.
fn remove_old_logs(dir: &Path, server: Server) {
    const MAX_AGE: Duration = Duration::from_secs(24 * 60 * 60);
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let prefix = format!("{server}-");
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|modified| modified.elapsed().ok())
            .is_some_and(|age| age > MAX_AGE);
        if old && name.starts_with(&prefix) && name.ends_with(".log") {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// A loopback port that was free a moment ago.
fn free_port() -> Result<u16> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    Ok(listener.local_addr()?.port())
}
