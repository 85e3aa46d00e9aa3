//! Running child commands as timed, announced steps.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, ExitStatus};
use std::time::Instant;

use crate::Result;

/// A `cargo` command (the one running xtask, from `$CARGO`) run in `root`.
pub fn cargo(root: &Path) -> Command {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    let mut cmd = Command::new(cargo);
    cmd.current_dir(root);
    cmd
}

/// Runs `cmd` to completion under a `==> title` header, then reports how
/// long it took on stderr.
pub fn step(title: &str, cmd: &mut Command) -> Result<ExitStatus> {
    println!("==> {title}");
    let started = Instant::now();
    let status = cmd
        .status()
        .map_err(|e| format!("cannot run `{title}`: {e}"))?;
    let verdict = if status.success() { "ok" } else { "FAILED" };
    eprintln!(
        "<== {title}: {verdict} in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(status)
}

/// The exit code to pass on for a child's status: its own code, or
/// 128 + the signal that ended it.
pub fn exit_code(status: ExitStatus) -> ExitCode {
    if let Some(code) = status.code() {
        return ExitCode::from(u8::try_from(code).unwrap_or(1));
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return ExitCode::from(u8::try_from(128 + signal).unwrap_or(1));
        }
    }
    ExitCode::FAILURE
}

/// `$CARGO_TARGET_DIR` (relative to the current directory) or `<root>/target`.
pub fn target_dir(root: &Path) -> Result<PathBuf> {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => Ok(std::env::current_dir()?.join(dir)),
        _ => Ok(root.join("target")),
    }
}
