//! Project-local Python virtualenvs holding the tools the tests and the demo
//! run: moto's DynamoDB server and cargo-lambda, each pinned in a
//! requirements file of xtask.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::Result;

/// One tool's virtualenv.
#[derive(Debug, Clone, Copy)]
pub struct Venv {
    /// What is installed, for messages.
    pub tool: &'static str,
    /// The directory under the workspace root holding `venv/`.
    pub dir: &'static str,
    /// The requirements file, in xtask's directory.
    pub requirements: &'static str,
    /// An executable in `venv/bin` that must exist once installed.
    pub executable: &'static str,
}

impl Venv {
    /// Creates or updates `<root>/<dir>/venv` from the pinned requirements and
    /// returns its path. A stamp holding the installed requirements makes
    /// this a no-op when nothing changed.
    pub fn ensure(&self, root: &Path) -> Result<PathBuf> {
        let requirements_file = crate::xtask_dir().join(self.requirements);
        let requirements = fs::read_to_string(&requirements_file)
            .map_err(|e| format!("cannot read {}: {e}", requirements_file.display()))?;
        let dir = root.join(self.dir);
        let venv = dir.join("venv");
        let stamp = venv.join("xtask-requirements.stamp");
        let installed = fs::read_to_string(&stamp).ok();
        if installed.as_deref() == Some(requirements.as_str())
            && venv.join("bin/python").exists()
            && venv.join("bin").join(self.executable).exists()
        {
            return Ok(venv);
        }

        eprintln!("Installing {} into {} ...", self.tool, venv.display());
        let started = Instant::now();
        if venv.exists() {
            fs::remove_dir_all(&venv)
                .map_err(|e| format!("cannot remove {}: {e}", venv.display()))?;
        }
        fs::create_dir_all(&dir)?;
        run_installer(
            Command::new("python3").arg("-m").arg("venv").arg(&venv),
            "python3 -m venv (needs python3 with the venv module, e.g. Debian's python3-venv)",
        )?;
        run_installer(
            Command::new(venv.join("bin/pip"))
                .args(["install", "--disable-pip-version-check", "-q", "-r"])
                .arg(&requirements_file)
                .env("PIP_NO_INPUT", "1"),
            &format!("pip install -r xtask/{}", self.requirements),
        )?;
        fs::write(&stamp, &requirements)?;
        eprintln!("Installed in {:.1} s.", started.elapsed().as_secs_f64());
        Ok(venv)
    }
}

/// Runs one installation step, failing with `what` in the message.
fn run_installer(cmd: &mut Command, what: &str) -> Result<()> {
    let status = cmd
        .env_remove("PYTHONHOME")
        .env_remove("PYTHONPATH")
        .stdin(Stdio::null())
        .status()
        .map_err(|e| format!("cannot run {what}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})").into())
    }
}
