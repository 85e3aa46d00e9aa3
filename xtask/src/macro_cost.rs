//! `cargo xtask macro-cost`: what the macro costs its users at build time —
//! the expanded lines of `examples/orders`, and the build of a generated
//! crate of 50 annotated structs against the same crate with only serde
//! derives (BENCHMARKS.md, "What the macro costs").

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{ExitCode, Stdio};
use std::time::Instant;

use crate::Result;
use crate::cmd::{cargo, step, target_dir};

/// Structs in each generated crate.
const STRUCTS: usize = 50;

pub fn run(root: &Path, args: &[String]) -> Result<ExitCode> {
    let mut runs = 3;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--runs" => {
                runs = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|&n| n > 0)
                    .ok_or("--runs needs a positive number")?;
            }
            other => return Err(format!("macro-cost: unknown argument `{other}`").into()),
        }
    }
    let lines = expanded_lines(root)?;
    let dir = target_dir(root)?.join("macro-cost");
    let annotated = write_crate(root, &dir, Variant::Annotated)?;
    let serde_only = write_crate(root, &dir, Variant::SerdeOnly)?;
    // Build the dependencies once: the timed builds compile only the crate.
    for krate in [&annotated, &serde_only] {
        let status = step(
            &format!("cargo build ({}, dependencies)", krate.display()),
            cargo(krate).arg("build").arg("--quiet"),
        )?;
        if !status.success() {
            return Ok(ExitCode::FAILURE);
        }
    }
    let mut times = [Vec::new(), Vec::new()];
    for _ in 0..runs {
        for (slot, (krate, name)) in [(&annotated, "annotated"), (&serde_only, "serde_only")]
            .into_iter()
            .enumerate()
        {
            let clean = cargo(krate)
                .args(["clean", "--quiet", "-p", &format!("macro-cost-{name}")])
                .status()?;
            if !clean.success() {
                return Err(format!("cargo clean -p macro-cost-{name} failed").into());
            }
            let started = Instant::now();
            let status = cargo(krate)
                .args(["build", "--quiet"])
                .stdout(Stdio::null())
                .status()?;
            if !status.success() {
                return Err(format!("building {} failed", krate.display()).into());
            }
            times[slot].push(started.elapsed().as_secs_f64());
        }
    }
    let [annotated_times, serde_times] = times.map(|mut t| {
        t.sort_by(f64::total_cmp);
        t
    });
    let median = |t: &[f64]| t[t.len() / 2];
    let mut report = String::new();
    writeln!(report, "examples/orders, expanded: {lines} lines")?;
    writeln!(
        report,
        "{STRUCTS} structs, crate alone (debug, dependencies built), median of {runs}:"
    )?;
    writeln!(
        report,
        "  #[dynamo_lambda] + serde: {:.1} s  (runs {})",
        median(&annotated_times),
        list(&annotated_times)
    )?;
    writeln!(
        report,
        "  serde only:               {:.1} s  (runs {})",
        median(&serde_times),
        list(&serde_times)
    )?;
    writeln!(
        report,
        "  ratio: {:.2}×",
        median(&annotated_times) / median(&serde_times)
    )?;
    print!("{report}");
    Ok(ExitCode::SUCCESS)
}

fn list(times: &[f64]) -> String {
    times
        .iter()
        .map(|t| format!("{t:.1}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Lines of `examples/orders`'s library after macro expansion, unformatted.
fn expanded_lines(root: &Path) -> Result<usize> {
    let output = cargo(root)
        .args(["rustc", "--quiet", "-p", "orders-example", "--lib", "--"])
        .arg("-Zunpretty=expanded")
        .env("RUSTC_BOOTSTRAP", "1")
        .stderr(Stdio::inherit())
        .output()?;
    if !output.status.success() {
        return Err("expanding examples/orders failed".into());
    }
    Ok(String::from_utf8_lossy(&output.stdout).lines().count())
}

#[derive(Clone, Copy)]
enum Variant {
    Annotated,
    SerdeOnly,
}

/// Writes the crate (its own workspace, building into this one's target
/// directory) and returns its directory.
fn write_crate(root: &Path, dir: &Path, variant: Variant) -> Result<PathBuf> {
    let name = match variant {
        Variant::Annotated => "annotated",
        Variant::SerdeOnly => "serde_only",
    };
    let krate = dir.join(name);
    std::fs::create_dir_all(krate.join("src"))?;
    std::fs::create_dir_all(krate.join(".cargo"))?;
    let runtime = root.join("runtime");
    std::fs::write(
        krate.join("Cargo.toml"),
        format!(
            "[package]\nname = \"macro-cost-{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\ndynamo-lambda = {{ path = {runtime:?} }}\nserde = {{ version = \"1\", features = [\"derive\"] }}\n\n\
             [workspace]\n"
        ),
    )?;
    std::fs::write(
        krate.join(".cargo/config.toml"),
        format!(
            "[build]\ntarget-dir = {:?}\n",
            dir.join("target").display().to_string()
        ),
    )?;
    let mut source = String::from(
        "//! Generated by `cargo xtask macro-cost`.\n#![allow(dead_code)]\n\nuse serde::{Deserialize, Serialize};\n",
    );
    for i in 0..STRUCTS {
        source.push_str(&item(i, variant));
    }
    std::fs::write(krate.join("src/lib.rs"), source)?;
    Ok(krate)
}

/// One struct: eight fields of the common types, every other one with a
/// sort key, every third versioned, every fifth with a time to live.
fn item(i: usize, variant: Variant) -> String {
    let sort = i.is_multiple_of(2);
    let version = i.is_multiple_of(3);
    let ttl = i.is_multiple_of(5);
    let mut out = String::new();
    if let Variant::Annotated = variant {
        let sort_key = if sort {
            ", sort_key = \"created_at\""
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "\n#[dynamo_lambda::dynamo_lambda(table = \"Table{i}\", partition_key = \"id\"{sort_key})]"
        );
    }
    let _ = writeln!(
        out,
        "#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]\npub struct Item{i} {{"
    );
    out.push_str("    pub id: String,\n");
    if sort {
        out.push_str("    pub created_at: u64,\n");
    }
    out.push_str(
        "    pub name: String,\n    pub count: u32,\n    pub score: f64,\n    pub active: bool,\n    pub note: Option<String>,\n    pub tags: Vec<String>,\n",
    );
    let annotated = matches!(variant, Variant::Annotated);
    if version {
        if annotated {
            out.push_str("    #[dynamo(version)]\n");
        }
        out.push_str("    pub version: u64,\n");
    }
    if ttl {
        if annotated {
            out.push_str("    #[dynamo(ttl)]\n");
        }
        out.push_str("    pub expires_at: Option<i64>,\n");
    }
    out.push_str("}\n");
    out
}
