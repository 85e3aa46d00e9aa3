//! `cargo xtask test`: formatting, lints, the test suite against moto, the
//! suite's server tests again against dynalite, and the benchmark build.

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, ExitStatus, Stdio};
use std::time::Instant;

use serde_json::Value;

use crate::Result;
use crate::cmd::{cargo, exit_code, step, target_dir};
use crate::dynamodb::{DynamoDb, Server};
use crate::lambda::CargoLambda;

/// The suite's package folder: its integration tests, UI tests and demo.
const SUITE: &str = "suite";

/// The suite's integration test binaries (`suite/tests/*.rs`) that never reach the
/// server, run once (on moto) only.
const NO_SERVER: [&str; 3] = [
    // trybuild's compile-fail cases.
    "compiletest",
    // Conversions in memory.
    "conversion",
    // Properties of composed keys, in memory.
    "key_templates",
];

/// Runs the checks in order. A failed lint stops the run at once; the test
/// runs on both servers always happen, so one run shows every failure, and
/// the run fails if either did. `extra` is passed on to `cargo test`; what
/// follows its `--` also goes to each test binary run against dynalite.
pub fn run(root: &Path, extra: &[String]) -> Result<ExitCode> {
    let started = Instant::now();
    let lambda = CargoLambda::ensure(root)?;
    // Installed before any test runs: xtask's own tests start them too.
    for server in Server::ALL {
        server.install(root)?;
    }
    let lints: [&[&str]; 2] = [
        &["fmt", "--all", "--", "--check"],
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    ];
    for args in lints {
        let status = step(&format!("cargo {}", args.join(" ")), cargo(root).args(args))?;
        if !status.success() {
            return Ok(exit_code(status));
        }
    }

    let mut failure = None;
    let mut tallies = Vec::new();
    for server in Server::ALL {
        let (status, tally) = suite(root, server, extra, &lambda)?;
        tallies.push(tally);
        if !status.success() {
            failure.get_or_insert(status);
        }
    }

    // Builds the benchmarks without running them, so they cannot rot. The
    // dev profile reuses the test build (about 30 s); the optimized build
    // `cargo bench` makes adds some 10 minutes on two cores and proves
    // nothing more about the harness compiling.
    let builds: [&[&str]; 1] = [&["bench", "--workspace", "--no-run", "--profile", "dev"]];
    for args in builds {
        let status = step(&format!("cargo {}", args.join(" ")), cargo(root).args(args))?;
        if !status.success() {
            failure.get_or_insert(status);
            break;
        }
    }

    // Each fuzz target briefly, so that none can rot (xtask/src/fuzz.rs).
    let fuzz_failure = crate::fuzz::smoke(root)?;

    for tally in &tallies {
        print!("{}", tally.skip_report());
    }
    let mut total = Tally::default();
    for tally in &tallies {
        println!("{}", tally.summary());
        total.merge(tally);
    }
    if let Some(status) = failure {
        println!(
            "Checks failed after {:.1} s.",
            started.elapsed().as_secs_f64()
        );
        println!("tests: {}", total.counts());
        return Ok(exit_code(status));
    }
    if let Some(code) = fuzz_failure {
        println!(
            "Fuzzing failed after {:.1} s.",
            started.elapsed().as_secs_f64()
        );
        println!("tests: {}", total.counts());
        return Ok(code);
    }
    println!(
        "All checks passed in {:.1} s.",
        started.elapsed().as_secs_f64()
    );
    println!("tests: {}", total.counts());
    Ok(ExitCode::SUCCESS)
}

/// The test suite against one server: on moto the whole workspace through
/// `cargo test`; on the others only the suite's integration test binaries
/// that reach the server, from the build the first run made.
fn suite(
    root: &Path,
    server: Server,
    extra: &[String],
    lambda: &CargoLambda,
) -> Result<(ExitStatus, Tally)> {
    let skips = target_dir(root)?
        .join("xtask")
        .join(format!("skips-{server}.tsv"));
    fs::create_dir_all(skips.parent().expect("the skips file is in a directory"))?;
    match fs::remove_file(&skips) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(format!("cannot remove {}: {e}", skips.display()).into());
        }
        _ => {}
    }
    let mut tally = Tally::new(server);
    let split = extra.iter().position(|arg| arg == "--");
    let (cargo_args, binary_args) = match split {
        Some(at) => (&extra[..at], &extra[at + 1..]),
        None => (extra, &[][..]),
    };
    let binaries = if server == Server::Moto {
        Vec::new()
    } else {
        let binaries = server_test_binaries(root, cargo_args)?;
        if binaries.is_empty() {
            println!("==> no server tests selected for {server}");
            return Ok((ExitStatus::default(), tally));
        }
        binaries
    };
    let suite_dir = root.join(SUITE);
    let running = DynamoDb::start(root, server)?;
    let prepare = |cmd: &mut Command| {
        running.apply(cmd);
        lambda.apply(cmd);
        cmd.env("DYNAMO_LAMBDA_SKIPS", &skips);
    };
    let mut result = ExitStatus::default();
    if server == Server::Moto {
        // Every test binary runs even after one fails, so one run shows
        // every failure.
        let mut cmd = cargo(root);
        cmd.args(["test", "--workspace", "--no-fail-fast"])
            .args(extra);
        prepare(&mut cmd);
        let title = ["cargo test --workspace --no-fail-fast"]
            .into_iter()
            .chain(extra.iter().map(String::as_str))
            .chain([&*format!("(on {server})")])
            .collect::<Vec<_>>()
            .join(" ");
        result = step_counting(&title, &mut cmd, &mut tally)?;
    } else {
        for binary in binaries {
            let mut cmd = Command::new(&binary.path);
            cmd.current_dir(&suite_dir)
                .env("CARGO_MANIFEST_DIR", &suite_dir)
                .args(binary_args);
            prepare(&mut cmd);
            let title = format!("{SUITE}/tests/{}.rs (on {server})", binary.name);
            let status = step_counting(&title, &mut cmd, &mut tally)?;
            if !status.success() && result.success() {
                result = status;
            }
        }
    }
    drop(running);
    tally.read_skips(&skips)?;
    Ok((result, tally))
}

/// A test binary built by `cargo test`.
#[derive(Debug)]
struct TestBinary {
    name: String,
    path: PathBuf,
}

/// The executables of the suite's integration tests that reach the server,
/// as `cargo test` built them for `cargo_args` (nothing is rebuilt when the
/// run on moto built them).
fn server_test_binaries(root: &Path, cargo_args: &[String]) -> Result<Vec<TestBinary>> {
    let mut cmd = cargo(root);
    cmd.args([
        "test",
        "--workspace",
        "--no-run",
        "--message-format=json-render-diagnostics",
    ])
    .args(cargo_args)
    .stderr(Stdio::inherit());
    let output = cmd
        .output()
        .map_err(|e| format!("cannot run cargo test --no-run: {e}"))?;
    if !output.status.success() {
        return Err(format!("cargo test --no-run failed ({})", output.status).into());
    }
    let manifest = root.join(SUITE).join("Cargo.toml");
    let mut binaries = Vec::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        if let Some(binary) = suite_test_binary(&message, &manifest) {
            binaries.push(binary);
        }
    }
    binaries.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(binaries)
}

/// The integration test binary a `cargo --message-format=json` message
/// announces, when it is one of the suite's (manifest `manifest`) that
/// reaches the server.
fn suite_test_binary(message: &Value, manifest: &Path) -> Option<TestBinary> {
    let is_test = message["reason"] == "compiler-artifact"
        && message["profile"]["test"] == true
        && message["target"]["kind"] == serde_json::json!(["test"])
        && message["manifest_path"].as_str().map(Path::new) == Some(manifest);
    let name = message["target"]["name"].as_str()?;
    let path = message["executable"].as_str()?;
    (is_test && !NO_SERVER.contains(&name)).then(|| TestBinary {
        name: name.to_owned(),
        path: PathBuf::from(path),
    })
}

/// One server's totals: every `test result:` line, and the recorded skips.
#[derive(Debug, Default, PartialEq)]
struct Tally {
    server: Option<Server>,
    passed: u64,
    failed: u64,
    ignored: u64,
    /// Recorded skips: `(test, reason)`.
    skips: Vec<(String, String)>,
}

impl Tally {
    fn new(server: Server) -> Self {
        Tally {
            server: Some(server),
            ..Tally::default()
        }
    }

    /// Adds a line like `test result: ok. 16 passed; 0 failed; 1 ignored; …`.
    fn add_line(&mut self, line: &str) {
        let Some(rest) = line.trim().strip_prefix("test result: ") else {
            return;
        };
        for part in rest.split(['.', ';']) {
            let mut words = part.split_whitespace();
            let (Some(count), Some(what)) = (words.next(), words.next()) else {
                continue;
            };
            let Ok(count) = count.parse::<u64>() else {
                continue;
            };
            match what {
                "passed" => self.passed += count,
                "failed" => self.failed += count,
                "ignored" => self.ignored += count,
                _ => {}
            }
        }
    }

    /// Reads the skips the suite recorded, lines of `test\tserver\treason`.
    fn read_skips(&mut self, path: &Path) -> Result<()> {
        let text = match fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(format!("cannot read {}: {e}", path.display()).into()),
        };
        self.add_skips(&text);
        Ok(())
    }

    fn add_skips(&mut self, text: &str) {
        for line in text.lines() {
            let mut fields = line.splitn(3, '\t');
            if let (Some(test), Some(_server), Some(reason)) =
                (fields.next(), fields.next(), fields.next())
            {
                self.skips.push((test.to_owned(), reason.to_owned()));
            }
        }
    }

    fn merge(&mut self, other: &Tally) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.ignored += other.ignored;
        self.skips.extend(other.skips.iter().cloned());
    }

    /// `N passed, N failed, N skipped`, a skipped test (which returned
    /// early, so the harness counted it as passed) not counted as passed.
    fn counts(&self) -> String {
        let skipped = u64::try_from(self.skips.len()).unwrap_or(u64::MAX);
        format!(
            "{} passed, {} failed, {} skipped",
            self.passed.saturating_sub(skipped),
            self.failed,
            self.ignored + skipped
        )
    }

    /// The closing line: `tests on moto: N passed, N failed, N skipped`.
    fn summary(&self) -> String {
        match self.server {
            Some(server) => format!("tests on {server}: {}", self.counts()),
            None => format!("tests: {}", self.counts()),
        }
    }

    /// The recorded skips grouped by reason, each group's tests sorted.
    fn skip_report(&self) -> String {
        let mut by_reason: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (test, reason) in &self.skips {
            by_reason.entry(reason).or_default().push(test);
        }
        let server = self.server.map_or("?", Server::name);
        let mut report = String::new();
        for (reason, mut tests) in by_reason {
            tests.sort_unstable();
            report.push_str(&format!(
                "skipped on {server} ({reason}): {} tests\n",
                tests.len()
            ));
            for test in tests {
                report.push_str(&format!("    {test}\n"));
            }
        }
        report
    }
}

/// Like [`step`], echoing the command's output while totalling its test results.
fn step_counting(title: &str, cmd: &mut Command, tally: &mut Tally) -> Result<ExitStatus> {
    println!("==> {title}");
    let started = Instant::now();
    let mut child = cmd
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run `{title}`: {e}"))?;
    let stdout = child.stdout.take().expect("stdout is piped");
    let mut out = std::io::stdout().lock();
    for line in BufReader::new(stdout).lines() {
        let line = line.map_err(|e| format!("reading `{title}` output: {e}"))?;
        tally.add_line(&line);
        writeln!(out, "{line}").map_err(|e| format!("writing output: {e}"))?;
    }
    drop(out);
    let status = child
        .wait()
        .map_err(|e| format!("waiting for `{title}`: {e}"))?;
    let verdict = if status.success() { "ok" } else { "FAILED" };
    eprintln!(
        "<== {title}: {verdict} in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(status)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::{Server, Tally, suite_test_binary};

    #[test]
    fn tallies_cargo_test_result_lines() {
        let mut tally = Tally::new(Server::Moto);
        tally.add_line("test result: ok. 16 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.65s");
        tally.add_line(
            "test result: FAILED. 3 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out",
        );
        tally.add_line("running 3 tests");
        assert_eq!((tally.passed, tally.failed, tally.ignored), (19, 2, 1));
        assert_eq!(
            tally.summary(),
            "tests on moto: 19 passed, 2 failed, 1 skipped"
        );
    }

    #[test]
    fn recorded_skips_are_not_counted_as_passed_and_are_listed_by_reason() {
        let mut tally = Tally::new(Server::Dynalite);
        tally.add_line("test result: ok. 10 passed; 0 failed; 0 ignored; 0 measured");
        tally.add_skips(
            "transactions::b\tdynalite\tneeds transactions, which dynalite does not implement\n\
             schemas::ttl\tdynalite\tneeds the TTL API, which dynalite does not implement\n\
             transactions::a\tdynalite\tneeds transactions, which dynalite does not implement\n",
        );
        assert_eq!(
            tally.summary(),
            "tests on dynalite: 7 passed, 0 failed, 3 skipped"
        );
        assert_eq!(
            tally.skip_report(),
            "skipped on dynalite (needs the TTL API, which dynalite does not implement): 1 tests\n    \
             schemas::ttl\n\
             skipped on dynalite (needs transactions, which dynalite does not implement): 2 tests\n    \
             transactions::a\n    transactions::b\n"
        );
        let mut total = Tally::default();
        total.merge(&tally);
        total.merge(&Tally {
            passed: 5,
            ..Tally::new(Server::Moto)
        });
        assert_eq!(total.summary(), "tests: 12 passed, 0 failed, 3 skipped");
    }

    #[test]
    fn picks_the_suites_server_test_binaries_from_cargo_messages() {
        let manifest = Path::new("/w/suite/Cargo.toml");
        let artifact = |name: &str, kind: &str, manifest: &str| {
            serde_json::json!({
                "reason": "compiler-artifact",
                "manifest_path": manifest,
                "target": { "name": name, "kind": [kind] },
                "profile": { "test": true },
                "executable": format!("/w/target/debug/deps/{name}-0123"),
            })
        };
        let batch = suite_test_binary(&artifact("batch", "test", "/w/suite/Cargo.toml"), manifest)
            .expect("an integration test of the suite");
        assert_eq!(batch.name, "batch");
        assert_eq!(batch.path, Path::new("/w/target/debug/deps/batch-0123"));
        for (name, kind, manifest_path) in [
            ("compiletest", "test", "/w/suite/Cargo.toml"),
            ("conversion", "test", "/w/suite/Cargo.toml"),
            ("dynamo_lambda_suite", "lib", "/w/suite/Cargo.toml"),
            ("xtask", "test", "/w/xtask/Cargo.toml"),
        ] {
            let message = artifact(name, kind, manifest_path);
            assert!(
                suite_test_binary(&message, manifest).is_none(),
                "{name} ({kind}, {manifest_path}) is not a server test"
            );
        }
    }
}
