//! UI tests: what the macros say about a wrong use (`tests/ui/<category>/`),
//! and that a full right use compiles and runs (`tests/ui/pass/`).
//! Regenerate the snapshots with
//! `TRYBUILD=overwrite cargo test -p dynamo-lambda-suite --test compiletest`.

use std::path::Path;
use std::process::Command;

/// Where the macro reads `schema = "…"` paths from (a list, like `PATH`)
/// instead of `CARGO_MANIFEST_DIR`, which under trybuild is its own generated crate
/// under `target/` (trybuild#202).
const MANIFEST_DIR_OVERRIDE: &str = "DYNAMO_LAMBDA_MANIFEST_DIR";

#[test]
fn ui() {
    // Cases name schema files relative to this crate, e.g.
    // `schema = "tests/ui/schema/files/bad-syntax.yaml"`, or to the
    // workspace, e.g. `schema = "schemas/users.yaml"`. trybuild's cargo
    // inherits this process's environment, and setting a variable in it is
    // `unsafe`, which the workspace forbids: so the test runs itself again
    // with the variable set.
    let suite = Path::new(env!("CARGO_MANIFEST_DIR"));
    let workspace = suite
        .parent()
        .expect("the suite is a folder of the workspace");
    let bases = std::env::join_paths([suite, workspace]).expect("paths without separators");
    if std::env::var_os(MANIFEST_DIR_OVERRIDE).is_none_or(|dir| dir != bases) {
        let status = Command::new(std::env::current_exe().expect("path of this test binary"))
            .args(["ui", "--exact"])
            .env(MANIFEST_DIR_OVERRIDE, &bases)
            .status()
            .expect("run this test binary again");
        assert!(status.success(), "UI tests failed; see the output above");
        return;
    }
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*/*.rs");
    // Listed after the glob above, which also matches these: trybuild keeps
    // the later expectation for a path a glob has already added.
    t.pass("tests/ui/pass/*.rs");
}
