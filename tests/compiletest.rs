//! UI tests: what the macros say about a wrong use (`tests/ui/<category>/`),
//! and that a full right use compiles and runs (`tests/ui/pass/`).
//! Regenerate the snapshots with
//! `TRYBUILD=overwrite cargo test -p dynamo-lambda-suite --test compiletest`.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*/*.rs");
    // Listed after the glob above, which also matches these: trybuild keeps
    // the later expectation for a path a glob has already added.
    t.pass("tests/ui/pass/*.rs");
}
