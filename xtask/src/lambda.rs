//! cargo-lambda, installed from PyPI into `.cargo-lambda/venv`.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::Result;
use crate::venv::Venv;

const VENV: Venv = Venv {
    tool: "cargo-lambda",
    dir: ".cargo-lambda",
    requirements: "lambda-requirements.txt",
    executable: "cargo-lambda",
};

/// An installed cargo-lambda.
#[derive(Debug)]
pub struct CargoLambda {
    bin: PathBuf,
}

impl CargoLambda {
    /// Installs cargo-lambda if needed.
    pub fn ensure(root: &Path) -> Result<Self> {
        let venv = VENV.ensure(root)?;
        Ok(CargoLambda {
            bin: venv.join("bin"),
        })
    }

    /// Makes `cargo lambda` available to `cmd`: its directory first on
    /// `PATH`, and `CARGO_LAMBDA` naming the executable.
    pub fn apply(&self, cmd: &mut Command) {
        let mut path = OsString::from(self.bin.as_os_str());
        if let Some(old) = std::env::var_os("PATH") {
            path.push(":");
            path.push(old);
        }
        cmd.env("PATH", path)
            .env("CARGO_LAMBDA", self.bin.join("cargo-lambda"));
    }
}
