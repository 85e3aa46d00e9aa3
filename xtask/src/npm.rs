//! Project-local npm installs: a `package.json` and `package-lock.json`
//! checked in under xtask, installed with `npm ci` into a folder of the
//! workspace root.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::Result;

/// One tool's npm install.
#[derive(Debug, Clone, Copy)]
pub struct NpmInstall {
    /// What is installed, for messages.
    pub tool: &'static str,
    /// The directory under the workspace root holding `node_modules/`.
    pub dir: &'static str,
    /// The directory in xtask's holding `package.json` and `package-lock.json`.
    pub manifest: &'static str,
    /// A file under `node_modules` that must exist once installed.
    pub entry: &'static str,
}

const FILES: [&str; 2] = ["package.json", "package-lock.json"];

impl NpmInstall {
    /// Installs the locked packages into `<root>/<dir>` unless the install
    /// there was made from the same lock file, and returns the path of
    /// [`Self::entry`].
    pub fn ensure(&self, root: &Path) -> Result<PathBuf> {
        let manifest = crate::xtask_dir().join(self.manifest);
        let mut wanted = String::new();
        for file in FILES {
            let path = manifest.join(file);
            let text = fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            wanted.push_str(&text);
        }
        let dir = root.join(self.dir);
        let modules = dir.join("node_modules");
        let entry = modules.join(self.entry);
        let stamp = modules.join("xtask-lock.stamp");
        if fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str()) && entry.exists() {
            return Ok(entry);
        }

        eprintln!("Installing {} into {} ...", self.tool, modules.display());
        let started = Instant::now();
        fs::create_dir_all(&dir)?;
        for file in FILES {
            fs::copy(manifest.join(file), dir.join(file))
                .map_err(|e| format!("cannot copy {file} into {}: {e}", dir.display()))?;
        }
        let what = format!("npm ci in {} (needs Node with npm)", dir.display());
        // `npm ci` removes node_modules first and installs exactly the lock.
        // Optional dependencies and install scripts only serve LevelDB on
        // disk, which an in-memory server does not use.
        let status = Command::new("npm")
            .args([
                "ci",
                "--omit=optional",
                "--ignore-scripts",
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
            ])
            .current_dir(&dir)
            .stdin(Stdio::null())
            .status()
            .map_err(|e| format!("cannot run {what}: {e}"))?;
        if !status.success() {
            return Err(format!("{what} failed ({status})").into());
        }
        if !entry.exists() {
            return Err(format!("{what} did not install {}", entry.display()).into());
        }
        fs::write(&stamp, &wanted)?;
        eprintln!("Installed in {:.1} s.", started.elapsed().as_secs_f64());
        Ok(entry)
    }
}
