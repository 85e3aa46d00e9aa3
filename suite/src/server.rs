//! Which local server the suite runs against, and what it can do.
//!
//! `cargo xtask test` runs the suite once per server and names it in
//! `DYNAMO_LAMBDA_SERVER` (`moto` or `dynalite`). A test that needs what a
//! server lacks asks [`supports`] first; on a server without it the test
//! returns early, and the skip is printed and recorded (in the file named by
//! `DYNAMO_LAMBDA_SKIPS`) so the run's tally counts it as skipped, never as
//! passed.

use std::fmt;
use std::fs::OpenOptions;
use std::io::Write;

/// A local DynamoDB-compatible server the suite knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Server {
    /// moto's server (PyPI `moto[server]`): lenient, but has every API.
    Moto,
    /// dynalite (npm): strict validation, no transactions, TTL, PartiQL or streams.
    Dynalite,
}

/// A DynamoDB feature some local servers lack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Capability {
    /// `TransactWriteItems` / `TransactGetItems`.
    Transactions,
    /// `UpdateTimeToLive` / `DescribeTimeToLive`.
    Ttl,
    /// `ExecuteStatement` and the other PartiQL calls.
    PartiQl,
    /// DynamoDB Streams (table stream specifications and the Streams API).
    Streams,
}

impl fmt::Display for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Server::Moto => "moto",
            Server::Dynalite => "dynalite",
        })
    }
}

impl fmt::Display for Capability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Capability::Transactions => "transactions",
            Capability::Ttl => "the TTL API",
            Capability::PartiQl => "PartiQL",
            Capability::Streams => "streams",
        })
    }
}

impl Server {
    /// The server named by `DYNAMO_LAMBDA_SERVER`; moto when unset.
    ///
    /// # Panics
    /// On a name the suite does not know.
    pub fn current() -> Server {
        match std::env::var("DYNAMO_LAMBDA_SERVER").as_deref() {
            Err(_) | Ok("moto") => Server::Moto,
            Ok("dynalite") => Server::Dynalite,
            Ok(other) => panic!("DYNAMO_LAMBDA_SERVER={other}: expected `moto` or `dynalite`"),
        }
    }

    /// Whether this server implements `capability`.
    pub fn has(self, capability: Capability) -> bool {
        match self {
            Server::Moto => true,
            // Every capability listed is one dynalite lacks.
            Server::Dynalite => match capability {
                Capability::Transactions
                | Capability::Ttl
                | Capability::PartiQl
                | Capability::Streams => false,
            },
        }
    }
}

/// Whether the server under test has `capability`. When it does not, prints
/// and records the skip of the calling test (named by its test binary and
/// its thread, as the test harness names it); the test should then return.
///
/// ```
/// use dynamo_lambda_suite::{Capability, supports};
///
/// fn a_test_that_commits_a_transaction() {
///     if !supports(Capability::Transactions) {
///         return;
///     }
///     // …
/// }
/// ```
pub fn supports(capability: Capability) -> bool {
    let server = Server::current();
    if server.has(capability) {
        return true;
    }
    let thread = std::thread::current();
    let test = format!("{}::{}", test_binary(), thread.name().unwrap_or("?"));
    let reason = format!("needs {capability}, which {server} does not implement");
    eprintln!("SKIPPED {test} on {server}: {reason}");
    if let Some(path) = std::env::var_os("DYNAMO_LAMBDA_SKIPS") {
        let record = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            // One `write` per record: appends of one call do not interleave
            // when tests on several threads skip at once (`writeln!` may
            // make several calls).
            .and_then(|mut file| {
                file.write_all(format!("{test}\t{server}\t{reason}\n").as_bytes())
            });
        if let Err(e) = record {
            panic!("cannot record the skip in {}: {e}", path.to_string_lossy());
        }
    }
    false
}

/// The name of the running test binary: its file name without the hash
/// cargo appends (`transactions-0123abcd` → `transactions`).
fn test_binary() -> String {
    let exe = std::env::current_exe().ok();
    let stem = exe
        .as_deref()
        .and_then(|path| path.file_stem())
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_else(|| "?".to_owned());
    match stem.rsplit_once('-') {
        Some((name, hash)) if hash.chars().all(|c| c.is_ascii_hexdigit()) => name.to_owned(),
        _ => stem,
    }
}
