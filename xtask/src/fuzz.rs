//! `cargo xtask fuzz`: cargo-fuzz, installed from crates.io into
//! `.cargo-fuzz/`, builds every target of `fuzz/` once and runs each for a
//! while from its checked-in seeds.
//!
//! The toolchain is stable. The targets build with `--sanitizer none`: the
//! code under test forbids `unsafe`, so AddressSanitizer (a nightly-only
//! `-Zsanitizer` flag) would instrument only the dependencies, doubling the
//! build and halving the executions for little. libFuzzer's coverage
//! instrumentation needs no unstable flag, and a panic is a crash either way.
//! `RUSTC_BOOTSTRAP=1 .cargo-fuzz/bin/cargo-fuzz run <target> -s address`
//! in `fuzz/` runs a target under AddressSanitizer on the same toolchain.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use crate::Result;
use crate::cmd::{cargo, exit_code, step};

/// The pinned cargo-fuzz.
const CARGO_FUZZ_VERSION: &str = "0.13.2";

/// Every target, in the order they run.
pub const TARGETS: &[&str] = &["item", "direct", "http", "stream", "cursor", "schema"];

/// The flags of every `cargo fuzz` build and run, optimized. cargo-fuzz
/// builds release with one codegen unit per crate unless told otherwise,
/// which makes aws-sdk-dynamodb alone take minutes on one core; sixteen is
/// cargo's own release default.
const RELEASE_FLAGS: &[&str] = &["--sanitizer", "none", "--codegen-units", "16"];

/// The same unoptimized (`--dev`, debug assertions on): a third of the
/// release build's CPU time, for the short pass of `cargo xtask test`, where
/// the build and not the executions dominates.
const DEV_FLAGS: &[&str] = &["--sanitizer", "none", "--dev"];

/// What `cargo xtask test` gives each target.
pub const CI_SECONDS: u64 = 20;

/// libFuzzer's limits: a slow input (seconds) or a process using more
/// memory than this (MB) is a failure.
const TIMEOUT_SECONDS: u64 = 10;
const RSS_LIMIT_MB: u64 = 2048;
/// The largest input, in bytes: events are small JSON documents, and YAML
/// parsing slows with length (1,000 executions a second at 8 KB, 2,000 at 2 KB).
fn max_len(target: &str) -> u64 {
    if target == "schema" { 2048 } else { 8192 }
}

/// `cargo xtask fuzz [--dev] [--time S] [--runs N] [target...]`.
pub fn run(root: &Path, args: &[String]) -> Result<ExitCode> {
    let mut seconds = CI_SECONDS;
    let mut runs = None;
    let mut flags = RELEASE_FLAGS;
    let mut targets = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--time" => seconds = number(args.next(), "--time")?,
            "--runs" => runs = Some(number(args.next(), "--runs")?),
            "--dev" => flags = DEV_FLAGS,
            name if TARGETS.contains(&name) => targets.push(name.to_owned()),
            other => {
                return Err(format!(
                    "unknown argument `{other}`; targets are {}",
                    TARGETS.join(", ")
                )
                .into());
            }
        }
    }
    if targets.is_empty() {
        targets = TARGETS.iter().map(|t| (*t).to_owned()).collect();
    }
    let budget = match runs {
        Some(runs) => format!("-runs={runs}"),
        None => format!("-max_total_time={seconds}"),
    };
    fuzz(root, &targets, &budget, flags)
}

/// The short pass of `cargo xtask test`: every target, unoptimized, for
/// [`CI_SECONDS`]; the exit code to end with if one fails.
pub fn smoke(root: &Path) -> Result<Option<ExitCode>> {
    let targets: Vec<String> = TARGETS.iter().map(|t| (*t).to_owned()).collect();
    let budget = format!("-max_total_time={CI_SECONDS}");
    let passed = fuzz(root, &targets, &budget, DEV_FLAGS)?;
    Ok((passed != ExitCode::SUCCESS).then_some(passed))
}

/// Builds and runs `targets` with cargo-fuzz's `flags`, each with
/// libFuzzer's `budget` flag, and prints the executions of each.
pub fn fuzz(root: &Path, targets: &[String], budget: &str, flags: &[&str]) -> Result<ExitCode> {
    let started = Instant::now();
    let cargo_fuzz = ensure(root)?;
    let fuzz_dir = root.join("fuzz");
    let mut build = cargo_fuzz_command(&cargo_fuzz, &fuzz_dir);
    build.arg("build").args(flags);
    let status = step(&format!("cargo fuzz build {}", flags.join(" ")), &mut build)?;
    if !status.success() {
        return Ok(exit_code(status));
    }
    let mut figures = Vec::new();
    for target in targets {
        // New inputs go to a scratch corpus; the checked-in seeds stay as they are.
        let scratch = fuzz_dir.join("target/corpus").join(target);
        fs::create_dir_all(&scratch)?;
        let seeds = fuzz_dir.join("corpus").join(target);
        let mut cmd = cargo_fuzz_command(&cargo_fuzz, &fuzz_dir);
        cmd.arg("run")
            .args(flags)
            .arg(target)
            .arg(&scratch)
            .arg(&seeds)
            .arg("--")
            .arg(budget)
            .arg(format!("-timeout={TIMEOUT_SECONDS}"))
            .arg(format!("-rss_limit_mb={RSS_LIMIT_MB}"))
            .arg(format!("-max_len={}", max_len(target)))
            .arg("-print_final_stats=1")
            .stderr(Stdio::piped());
        let title = format!("cargo fuzz run {target} {budget}");
        println!("==> {title}");
        let run_started = Instant::now();
        let output = cmd
            .output()
            .map_err(|e| format!("cannot run `{title}`: {e}"))?;
        let log = String::from_utf8_lossy(&output.stderr);
        let stats = Stats::parse(&log);
        if !output.status.success() {
            eprintln!("{log}");
            eprintln!("<== {title}: FAILED; the input is under fuzz/artifacts/{target}/");
            return Ok(exit_code(output.status));
        }
        eprintln!(
            "<== {title}: ok in {:.1} s: {} executions, {} per second, peak RSS {} MB",
            run_started.elapsed().as_secs_f64(),
            stats.runs,
            stats.per_second,
            stats.peak_rss_mb
        );
        figures.push((target.clone(), stats));
    }
    println!("fuzz targets (executions, per second, peak RSS MB):");
    for (target, stats) in &figures {
        println!(
            "  {target:<8} {:>10} {:>8} {:>6}",
            stats.runs, stats.per_second, stats.peak_rss_mb
        );
    }
    println!(
        "Fuzzing passed in {:.1} s.",
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

/// A `cargo fuzz` command in `fuzz/`.
fn cargo_fuzz_command(cargo_fuzz: &Path, fuzz_dir: &Path) -> Command {
    let mut cmd = Command::new(cargo_fuzz);
    // Run as a cargo subcommand, its first argument is its own name.
    cmd.arg("fuzz").current_dir(fuzz_dir);
    cmd
}

/// Installs the pinned cargo-fuzz into `<root>/.cargo-fuzz` if it is not
/// there, and returns the executable.
fn ensure(root: &Path) -> Result<PathBuf> {
    let install = root.join(".cargo-fuzz");
    let bin = install.join("bin/cargo-fuzz");
    if installed_version(&bin).as_deref() == Some(CARGO_FUZZ_VERSION) {
        return Ok(bin);
    }
    let mut cmd = cargo(root);
    cmd.args(["install", "--locked", "--root"])
        .arg(&install)
        .arg(format!("cargo-fuzz@{CARGO_FUZZ_VERSION}"));
    let status = step(
        &format!("cargo install cargo-fuzz@{CARGO_FUZZ_VERSION}"),
        &mut cmd,
    )?;
    if !status.success() {
        return Err(format!("installing cargo-fuzz failed: {status}").into());
    }
    Ok(bin)
}

/// The version `cargo-fuzz --version` prints (`cargo-fuzz 0.13.2`).
fn installed_version(bin: &Path) -> Option<String> {
    let output = Command::new(bin).arg("--version").output().ok()?;
    let text = String::from_utf8(output.stdout).ok()?;
    Some(text.split_whitespace().nth(1)?.to_owned())
}

fn number(value: Option<&String>, flag: &str) -> Result<u64> {
    value
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| format!("{flag} needs a whole number").into())
}

/// The figures of one libFuzzer run, from `-print_final_stats=1`.
#[derive(Debug, Default, PartialEq)]
struct Stats {
    runs: u64,
    per_second: u64,
    peak_rss_mb: u64,
}

impl Stats {
    fn parse(log: &str) -> Self {
        let mut stats = Stats::default();
        for line in log.lines() {
            let Some((name, value)) = line.trim().rsplit_once(':') else {
                continue;
            };
            let Ok(value) = value.trim().parse() else {
                continue;
            };
            match name.trim() {
                "stat::number_of_executed_units" => stats.runs = value,
                "stat::average_exec_per_sec" => stats.per_second = value,
                "stat::peak_rss_mb" => stats.peak_rss_mb = value,
                _ => {}
            }
        }
        stats
    }
}

#[cfg(test)]
mod tests {
    use super::Stats;

    #[test]
    fn reads_libfuzzer_final_stats() {
        let log = "#1000000\tDONE   cov: 10 ft: 20 corp: 5/100b exec/s: 40000 rss: 50Mb\n\
                   Done 1000000 runs in 25 second(s)\n\
                   stat::number_of_executed_units: 1000000\n\
                   stat::average_exec_per_sec:     40000\n\
                   stat::new_units_added:          12\n\
                   stat::slowest_unit_time_sec:    0\n\
                   stat::peak_rss_mb:              51\n";
        assert_eq!(
            Stats::parse(log),
            Stats {
                runs: 1_000_000,
                per_second: 40_000,
                peak_rss_mb: 51
            }
        );
    }
}
