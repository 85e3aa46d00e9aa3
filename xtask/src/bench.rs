//! `cargo xtask bench` and `cargo xtask bench-report`: the benchmarks of
//! `suite/benches/compare` as ratios against a baseline measured in the same run.
//!
//! Criterion writes each benchmark's estimates to
//! `target/criterion/<group>/<function>/new/`; a group holds one operation
//! done every way, and every figure here is the generated code's median
//! divided by a baseline's median from that group, in the same run.
//!
//! On a shared machine one run's ratios move by several percent as other
//! work comes and goes; `--rounds N` repeats the whole run and reports, for
//! each ratio, the median of the N in-run ratios and their range.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::SystemTime;

use serde_json::Value;

use crate::Result;
use crate::cmd::{cargo, exit_code, step};

/// The contender every ratio is about.
const SUBJECT: &str = "generated";

/// The conversion groups (`<operation>/<regime>`), in table order.
const CONVERSIONS: [&str; 4] = ["to_item", "into_item", "from_item", "round_trip"];
const REGIMES: [&str; 2] = ["hot", "fresh"];
/// The conversion baselines, in column order, with their column titles.
const CONVERSION_BASELINES: [(&str, &str); 3] = [
    ("hand_written", "÷ hand-written"),
    ("serde_dynamo", "÷ serde_dynamo"),
    ("serde_json", "÷ serde_json"),
];
/// The request groups and their baseline.
const REQUESTS: [(&str, &str, &str); 5] = [
    ("get", "raw_sdk", "typed `get` ÷ raw SDK `GetItem`"),
    ("put", "raw_sdk", "typed `put` ÷ raw SDK `PutItem`"),
    (
        "handler",
        "hand_written",
        "generated handler ÷ hand-written `service_fn`",
    ),
    (
        "composite_key",
        "hand_written",
        "composite key composed and parsed ÷ naive `format!`/`split`",
    ),
    (
        "entity_round_trip",
        "plain_keys",
        "entity round trip (keys composed, checked) ÷ plain-field keys",
    ),
];

/// The targets: (group, baseline, largest acceptable ratio).
const TARGETS: [(&str, &str, f64); 10] = [
    ("round_trip/hot", "hand_written", 1.05),
    ("round_trip/fresh", "hand_written", 1.05),
    ("round_trip/hot", "serde_dynamo", 0.25),
    ("round_trip/fresh", "serde_dynamo", 0.5),
    ("round_trip/hot", "serde_json", 0.8),
    ("round_trip/fresh", "serde_json", 0.8),
    ("get", "raw_sdk", 1.03),
    ("put", "raw_sdk", 1.03),
    ("handler", "hand_written", 1.03),
    ("entity_round_trip", "plain_keys", 1.10),
];

/// One benchmark's result.
#[derive(Debug, Clone, Copy)]
struct Estimate {
    /// Median time per iteration, in nanoseconds.
    median_ns: f64,
    written: SystemTime,
}

/// group → function → estimate.
type Results = BTreeMap<String, BTreeMap<String, Estimate>>;

/// Builds the harness once, runs it (`--bench [args]`) `--rounds N` times
/// (default 1), each on a clean results directory, then prints the ratio
/// table. Every round runs the same executable, even if the sources change
/// meanwhile.
pub fn run(root: &Path, args: &[String]) -> Result<ExitCode> {
    let (rounds, args) = match args {
        [flag, n, rest @ ..] if flag == "--rounds" => {
            let n: usize = n
                .parse()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| format!("--rounds takes a positive number, not `{n}`"))?;
            (n, rest)
        }
        _ => (1, args),
    };
    let harness = match build_harness(root)? {
        Ok(harness) => harness,
        Err(code) => return Ok(code),
    };
    let dir = criterion_dir(root);
    let mut runs = Vec::with_capacity(rounds);
    for round in 1..=rounds {
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(|e| format!("cannot clear {}: {e}", dir.display()))?;
        }
        let mut cmd = Command::new(&harness);
        cmd.arg("--bench")
            .args(args)
            .current_dir(root)
            .env("CRITERION_HOME", &dir);
        let title = format!("suite/benches/compare (round {round} of {rounds})");
        let status = step(&title, &mut cmd)?;
        if !status.success() {
            return Ok(exit_code(status));
        }
        runs.push(read_results(&dir)?);
    }
    print_report(&runs);
    Ok(ExitCode::SUCCESS)
}

/// `cargo bench --bench compare --no-run`: the harness executable, or the
/// exit code of a failed build.
fn build_harness(root: &Path) -> Result<Result<PathBuf, ExitCode>> {
    let title = "cargo bench --bench compare --no-run";
    println!("==> {title}");
    let output = cargo(root)
        .args([
            "bench",
            "--bench",
            "compare",
            "--no-run",
            "--message-format=json-render-diagnostics",
        ])
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run `{title}`: {e}"))?;
    if !output.status.success() {
        return Ok(Err(exit_code(output.status)));
    }
    let executable = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|message| {
            message["reason"] == "compiler-artifact" && message["target"]["name"] == "compare"
        })
        .find_map(|message| message["executable"].as_str().map(PathBuf::from));
    executable
        .map(Ok)
        .ok_or_else(|| format!("`{title}` named no executable").into())
}

/// Prints the ratio table of the run whose results are in `target/criterion`.
pub fn report(root: &Path) -> Result<ExitCode> {
    let dir = criterion_dir(root);
    let results = read_results(&dir)?;
    if results.is_empty() {
        return Err(format!(
            "no results in {}: run `cargo xtask bench` (or `cargo bench`) first",
            dir.display()
        )
        .into());
    }
    let written: Vec<SystemTime> = results
        .values()
        .flat_map(|functions| functions.values().map(|e| e.written))
        .collect();
    print_report(&[results]);
    if let (Some(first), Some(last)) = (written.iter().min(), written.iter().max()) {
        let span = last.duration_since(*first).unwrap_or_default();
        println!(
            "{} benchmarks, written over {:.0} s (one run takes a few minutes; \
             a longer span mixes runs).",
            written.len(),
            span.as_secs_f64()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn print_report(runs: &[Results]) {
    print!("{}", render(runs));
    let missed = TARGETS
        .iter()
        .filter(|(group, baseline, max)| {
            ratio(runs, group, baseline).is_some_and(|r| r.median > *max)
        })
        .count();
    println!(
        "\n{} of {} targets met.",
        TARGETS.len() - missed,
        TARGETS.len()
    );
}

/// `$CARGO_TARGET_DIR/criterion` or `<root>/target/criterion`.
fn criterion_dir(root: &Path) -> PathBuf {
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => std::env::current_dir()
            .map(|cwd| cwd.join(&dir))
            .unwrap_or_else(|_| PathBuf::from(dir)),
        _ => root.join("target"),
    };
    target.join("criterion")
}

/// Every `new/benchmark.json` + `new/estimates.json` pair under `dir`.
fn read_results(dir: &Path) -> Result<Results> {
    let mut results = Results::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry?.path();
            if path.is_dir() {
                if path.file_name().is_some_and(|name| name == "new") {
                    if let Some((group, function, estimate)) = read_one(&path)? {
                        results.entry(group).or_default().insert(function, estimate);
                    }
                } else {
                    pending.push(path);
                }
            }
        }
    }
    Ok(results)
}

fn read_one(new: &Path) -> Result<Option<(String, String, Estimate)>> {
    let (benchmark, estimates) = (new.join("benchmark.json"), new.join("estimates.json"));
    if !benchmark.is_file() || !estimates.is_file() {
        return Ok(None);
    }
    let read = |path: &Path| -> Result<Value> {
        let text =
            fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()).into())
    };
    let id = read(&benchmark)?;
    let values = read(&estimates)?;
    let (Some(group), Some(function), Some(median_ns)) = (
        id["group_id"].as_str(),
        id["function_id"].as_str(),
        values["median"]["point_estimate"].as_f64(),
    ) else {
        return Err(format!("unexpected criterion output in {}", new.display()).into());
    };
    let written = fs::metadata(&estimates)?.modified()?;
    Ok(Some((
        group.to_owned(),
        function.to_owned(),
        Estimate { median_ns, written },
    )))
}

/// One ratio over the rounds.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Ratio {
    median: f64,
    min: f64,
    max: f64,
}

/// The subject's median over `baseline`'s in `group`, in each run: their
/// median and range.
fn ratio(runs: &[Results], group: &str, baseline: &str) -> Option<Ratio> {
    let mut ratios: Vec<f64> = runs
        .iter()
        .filter_map(|results| {
            let functions = results.get(group)?;
            Some(functions.get(SUBJECT)?.median_ns / functions.get(baseline)?.median_ns)
        })
        .collect();
    if ratios.is_empty() {
        return None;
    }
    ratios.sort_by(f64::total_cmp);
    let middle = ratios.len() / 2;
    let median = if ratios.len() % 2 == 1 {
        ratios[middle]
    } else {
        (ratios[middle - 1] + ratios[middle]) / 2.0
    };
    Some(Ratio {
        median,
        min: ratios[0],
        max: ratios[ratios.len() - 1],
    })
}

/// `0.93×` (with its range over several runs), then the target and whether
/// it is met, when there is one.
fn cell(runs: &[Results], group: &str, baseline: &str) -> String {
    let Some(ratio) = ratio(runs, group, baseline) else {
        return "–".to_owned();
    };
    let value = if runs.len() > 1 {
        format!("{:.2}× ({:.2}–{:.2})", ratio.median, ratio.min, ratio.max)
    } else {
        format!("{:.2}×", ratio.median)
    };
    let target = TARGETS
        .iter()
        .find(|(g, b, _)| *g == group && *b == baseline)
        .map(|(_, _, max)| *max);
    match target {
        Some(max) if ratio.median <= max => format!("**{value}** ≤ {max} ✓"),
        Some(max) => format!("**{value}** ≤ {max} ✗"),
        None => value,
    }
}

fn render(runs: &[Results]) -> String {
    let mut out = String::new();
    let over = if runs.len() > 1 {
        format!("; median (and range) over {} runs", runs.len())
    } else {
        String::new()
    };
    out.push_str(&format!(
        "Item conversion, generated code ÷ each baseline (ratio of median times in one run{over}):\n\n"
    ));
    out.push_str("| operation | regime |");
    for (_, title) in CONVERSION_BASELINES {
        out.push_str(&format!(" {title} |"));
    }
    out.push_str("\n| --- | --- |");
    out.push_str(&" ---: |".repeat(CONVERSION_BASELINES.len()));
    out.push('\n');
    let present = |group: &str| runs.iter().any(|results| results.contains_key(group));
    for operation in CONVERSIONS {
        for regime in REGIMES {
            let group = format!("{operation}/{regime}");
            if !present(&group) {
                continue;
            }
            out.push_str(&format!("| `{operation}` | {regime} |"));
            for (baseline, _) in CONVERSION_BASELINES {
                out.push_str(&format!(" {} |", cell(runs, &group, baseline)));
            }
            out.push('\n');
        }
    }

    out.push_str("\nRequests on an in-memory HTTP client, the same way:\n\n");
    out.push_str("| what | ratio |\n| --- | ---: |\n");
    for (group, baseline, title) in REQUESTS {
        if present(group) {
            out.push_str(&format!("| {title} | {} |\n", cell(runs, group, baseline)));
        }
    }

    if let Some(last) = runs.last() {
        out.push_str(
            "\nMedian times of the last run, for scale only (the ratios are the result):\n\n",
        );
        out.push_str("| group | function | median |\n| --- | --- | ---: |\n");
        for (group, functions) in last {
            for (function, estimate) in functions {
                out.push_str(&format!(
                    "| {group} | {function} | {} |\n",
                    duration(estimate.median_ns)
                ));
            }
        }
    }
    out
}

fn duration(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn results(entries: &[(&str, &str, f64)]) -> Results {
        let mut results = Results::new();
        for (group, function, median_ns) in entries {
            results.entry((*group).to_owned()).or_default().insert(
                (*function).to_owned(),
                Estimate {
                    median_ns: *median_ns,
                    written: SystemTime::UNIX_EPOCH,
                },
            );
        }
        results
    }

    #[test]
    fn ratios_are_the_subject_over_the_baseline_of_the_same_group() {
        let runs = [results(&[
            ("round_trip/hot", "generated", 100.0),
            ("round_trip/hot", "hand_written", 98.0),
            ("round_trip/hot", "serde_dynamo", 500.0),
            ("get", "generated", 30.0),
        ])];
        assert_eq!(
            ratio(&runs, "round_trip/hot", "serde_dynamo").map(|r| r.median),
            Some(0.2)
        );
        assert_eq!(ratio(&runs, "get", "raw_sdk"), None);
        assert_eq!(
            cell(&runs, "round_trip/hot", "hand_written"),
            "**1.02×** ≤ 1.05 ✓"
        );
        assert_eq!(
            cell(&runs, "round_trip/hot", "serde_dynamo"),
            "**0.20×** ≤ 0.25 ✓"
        );
        assert_eq!(cell(&runs, "round_trip/hot", "serde_json"), "–");
        let table = render(&runs);
        assert!(
            table.contains("| `round_trip` | hot | **1.02×** ≤ 1.05 ✓ | **0.20×** ≤ 0.25 ✓ | – |"),
            "{table}"
        );
    }

    #[test]
    fn several_runs_give_the_median_ratio_and_its_range() {
        let runs = [
            results(&[("put", "generated", 110.0), ("put", "raw_sdk", 100.0)]),
            results(&[("put", "generated", 100.0), ("put", "raw_sdk", 100.0)]),
            results(&[("put", "generated", 102.0), ("put", "raw_sdk", 100.0)]),
        ];
        let ratio = ratio(&runs, "put", "raw_sdk").unwrap();
        assert_eq!((ratio.median, ratio.min, ratio.max), (1.02, 1.0, 1.1));
        assert_eq!(
            cell(&runs, "put", "raw_sdk"),
            "**1.02× (1.00–1.10)** ≤ 1.03 ✓"
        );
    }

    #[test]
    fn durations_are_scaled() {
        assert_eq!(duration(950.0), "950 ns");
        assert_eq!(duration(1_250.0), "1.25 µs");
        assert_eq!(duration(3_500_000.0), "3.50 ms");
    }
}
