//! `cargo xtask test`: formatting, lints and the test suite, against a local
//! DynamoDB.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, ExitCode, ExitStatus, Stdio};
use std::time::Instant;

use crate::Result;
use crate::cmd::{cargo, exit_code, step};
use crate::dynamodb::DynamoDb;
use crate::lambda::CargoLambda;

/// Runs each check in order and stops at the first failure with its exit
/// code; `extra` is passed on to `cargo test`.
pub fn run(root: &Path, extra: &[String]) -> Result<ExitCode> {
    let started = Instant::now();
    let server = DynamoDb::start(root)?;
    let lambda = CargoLambda::ensure(root)?;
    // Every test binary runs even after one fails, so one run shows every failure.
    let test_args: Vec<&str> = ["test", "--workspace", "--no-fail-fast"]
        .into_iter()
        .chain(extra.iter().map(String::as_str))
        .collect();
    let steps: [&[&str]; 4] = [
        &["fmt", "--all", "--", "--check"],
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
        &test_args,
        // Builds the benchmarks without running them, so they cannot rot.
        // The dev profile reuses the test build (about 30 s); the optimized
        // build `cargo bench` makes adds some 10 minutes on two cores and
        // proves nothing more about the harness compiling.
        &["bench", "--workspace", "--no-run", "--profile", "dev"],
    ];
    let mut tally = Tally::default();
    for args in steps {
        let mut cmd = cargo(root);
        cmd.args(args);
        server.apply(&mut cmd);
        lambda.apply(&mut cmd);
        let title = format!("cargo {}", args.join(" "));
        let status = if args[0] == "test" {
            step_counting(&title, &mut cmd, &mut tally)?
        } else {
            step(&title, &mut cmd)?
        };
        if !status.success() {
            println!("{}", tally.summary());
            return Ok(exit_code(status));
        }
    }
    // Each fuzz target briefly, so that none can rot (xtask/src/fuzz.rs).
    if let Some(failed) = crate::fuzz::smoke(root)? {
        println!("{}", tally.summary());
        return Ok(failed);
    }
    println!(
        "All checks passed in {:.1} s.",
        started.elapsed().as_secs_f64()
    );
    println!("{}", tally.summary());
    Ok(ExitCode::SUCCESS)
}

/// The totals of every `test result:` line of a `cargo test` run.
#[derive(Debug, Default, PartialEq)]
struct Tally {
    passed: u64,
    failed: u64,
    ignored: u64,
}

impl Tally {
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

    /// The closing line: `tests: N passed, N failed, N skipped`.
    fn summary(&self) -> String {
        format!(
            "tests: {} passed, {} failed, {} skipped",
            self.passed, self.failed, self.ignored
        )
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
    use super::Tally;

    #[test]
    fn tallies_cargo_test_result_lines() {
        let mut tally = Tally::default();
        tally.add_line("test result: ok. 16 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.65s");
        tally.add_line(
            "test result: FAILED. 3 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out",
        );
        tally.add_line("running 3 tests");
        assert_eq!(
            tally,
            Tally {
                passed: 19,
                failed: 2,
                ignored: 1
            }
        );
        assert_eq!(tally.summary(), "tests: 19 passed, 2 failed, 1 skipped");
    }
}
