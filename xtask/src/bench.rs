//! `cargo xtask bench` and `cargo xtask bench-report`: the benchmarks of
//! `benches/compare` as ratios against a baseline measured in the same run.
//!
//! Criterion writes each benchmark's estimates to
//! `target/criterion/<group>/<function>/new/`; a group holds one operation
//! done every way, and every figure here is the generated code's median
//! divided by a baseline's median from that group.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
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
const REQUESTS: [(&str, &str, &str); 3] = [
    ("get", "raw_sdk", "typed `get` ÷ raw SDK `GetItem`"),
    ("put", "raw_sdk", "typed `put` ÷ raw SDK `PutItem`"),
    (
        "handler",
        "hand_written",
        "generated handler ÷ hand-written `service_fn`",
    ),
];

/// The targets: (group, baseline, largest acceptable ratio).
const TARGETS: [(&str, &str, f64); 9] = [
    ("round_trip/hot", "hand_written", 1.05),
    ("round_trip/fresh", "hand_written", 1.05),
    ("round_trip/hot", "serde_dynamo", 0.25),
    ("round_trip/fresh", "serde_dynamo", 0.5),
    ("round_trip/hot", "serde_json", 0.8),
    ("round_trip/fresh", "serde_json", 0.8),
    ("get", "raw_sdk", 1.03),
    ("put", "raw_sdk", 1.03),
    ("handler", "hand_written", 1.03),
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

/// Runs `cargo bench --bench compare [args]` on a clean results directory,
/// then prints the ratio table.
pub fn run(root: &Path, args: &[String]) -> Result<ExitCode> {
    let dir = criterion_dir(root);
    if dir.exists() {
        fs::remove_dir_all(&dir).map_err(|e| format!("cannot clear {}: {e}", dir.display()))?;
    }
    let mut cmd = cargo(root);
    cmd.args(["bench", "--bench", "compare"]).args(args);
    let status = step("cargo bench --bench compare", &mut cmd)?;
    if !status.success() {
        return Ok(exit_code(status));
    }
    report(root)
}

/// Prints the ratio table of the results in `target/criterion`.
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
    print!("{}", render(&results));
    let written: Vec<SystemTime> = results
        .values()
        .flat_map(|functions| functions.values().map(|e| e.written))
        .collect();
    if let (Some(first), Some(last)) = (written.iter().min(), written.iter().max()) {
        let span = last.duration_since(*first).unwrap_or_default();
        println!(
            "\n{} benchmarks, written over {:.0} s (one run is a few minutes; \
             a longer span mixes runs).",
            written.len(),
            span.as_secs_f64()
        );
    }
    let missed = TARGETS
        .iter()
        .filter(|(group, baseline, max)| ratio(&results, group, baseline).is_some_and(|r| r > *max))
        .count();
    Ok(if missed == 0 {
        ExitCode::SUCCESS
    } else {
        println!("{missed} target(s) missed.");
        ExitCode::FAILURE
    })
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

/// The subject's median over `baseline`'s in `group`.
fn ratio(results: &Results, group: &str, baseline: &str) -> Option<f64> {
    let functions = results.get(group)?;
    Some(functions.get(SUBJECT)?.median_ns / functions.get(baseline)?.median_ns)
}

/// `0.93×`, with the target and whether it is met when there is one.
fn cell(results: &Results, group: &str, baseline: &str) -> String {
    let Some(ratio) = ratio(results, group, baseline) else {
        return "–".to_owned();
    };
    let target = TARGETS
        .iter()
        .find(|(g, b, _)| *g == group && *b == baseline)
        .map(|(_, _, max)| *max);
    match target {
        Some(max) if ratio <= max => format!("**{ratio:.2}×** (≤ {max} ✓)"),
        Some(max) => format!("**{ratio:.2}×** (≤ {max} ✗)"),
        None => format!("{ratio:.2}×"),
    }
}

fn render(results: &Results) -> String {
    let mut out = String::new();
    out.push_str("Item conversion, generated code ÷ each baseline (median times, same run):\n\n");
    out.push_str("| operation | regime |");
    for (_, title) in CONVERSION_BASELINES {
        out.push_str(&format!(" {title} |"));
    }
    out.push_str("\n| --- | --- |");
    out.push_str(&" ---: |".repeat(CONVERSION_BASELINES.len()));
    out.push('\n');
    for operation in CONVERSIONS {
        for regime in REGIMES {
            let group = format!("{operation}/{regime}");
            if !results.contains_key(&group) {
                continue;
            }
            out.push_str(&format!("| `{operation}` | {regime} |"));
            for (baseline, _) in CONVERSION_BASELINES {
                out.push_str(&format!(" {} |", cell(results, &group, baseline)));
            }
            out.push('\n');
        }
    }

    out.push_str("\nRequests on an in-memory HTTP client (median times, same run):\n\n");
    out.push_str("| what | ratio |\n| --- | ---: |\n");
    for (group, baseline, title) in REQUESTS {
        if results.contains_key(group) {
            out.push_str(&format!(
                "| {title} | {} |\n",
                cell(results, group, baseline)
            ));
        }
    }

    out.push_str("\nMedian times of this run, for scale only (the ratios are the result):\n\n");
    out.push_str("| group | function | median |\n| --- | --- | ---: |\n");
    for (group, functions) in results {
        for (function, estimate) in functions {
            out.push_str(&format!(
                "| {group} | {function} | {} |\n",
                duration(estimate.median_ns)
            ));
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
        let results = results(&[
            ("round_trip/hot", "generated", 100.0),
            ("round_trip/hot", "hand_written", 98.0),
            ("round_trip/hot", "serde_dynamo", 500.0),
            ("get", "generated", 30.0),
        ]);
        assert_eq!(ratio(&results, "round_trip/hot", "serde_dynamo"), Some(0.2));
        assert_eq!(ratio(&results, "get", "raw_sdk"), None);
        assert_eq!(
            cell(&results, "round_trip/hot", "hand_written"),
            "**1.02×** (≤ 1.05 ✓)"
        );
        assert_eq!(
            cell(&results, "round_trip/hot", "serde_dynamo"),
            "**0.20×** (≤ 0.25 ✓)"
        );
        assert_eq!(cell(&results, "round_trip/hot", "serde_json"), "–");
        let table = render(&results);
        assert!(
            table.contains(
                "| `round_trip` | hot | **1.02×** (≤ 1.05 ✓) | **0.20×** (≤ 0.25 ✓) | – |"
            ),
            "{table}"
        );
    }

    #[test]
    fn durations_are_scaled() {
        assert_eq!(duration(950.0), "950 ns");
        assert_eq!(duration(1_250.0), "1.25 µs");
        assert_eq!(duration(3_500_000.0), "3.50 ms");
    }
}
