//! The output's validators, pinned in `tests/validators/package.json` (and
//! its lock file): axe-core, run inside Chromium by tests/browser.rs, and
//! the Nu Html Checker (`vnu-jar`, run with Java) by tests/validators.rs.
//! `.ci/run` installs them with `npm ci`; a test that needs one and does not
//! find it fails, saying so, unless `PARTNERSITE_SKIP_VALIDATORS=1` is set
//! (then it prints a note and passes).

use std::path::{Path, PathBuf};

/// Set to `1` to skip the validator checks where the tools are missing.
pub const SKIP_VAR: &str = "PARTNERSITE_SKIP_VALIDATORS";

/// Where `npm ci` installs the validators.
pub fn node_modules() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/validators/node_modules")
}

/// Whether the validator checks are to be skipped (printing why).
pub fn skipped() -> bool {
    let skip = std::env::var(SKIP_VAR).is_ok_and(|v| v == "1");
    if skip {
        println!("skipped: {SKIP_VAR}=1 (the validators of tests/validators/ are not run)");
    }
    skip
}

/// `tests/validators/node_modules/<rel>`; panics, saying how to install it,
/// when it is missing.
pub fn installed(rel: &str) -> PathBuf {
    let path = node_modules().join(rel);
    assert!(
        path.is_file(),
        "{} is missing: install the pinned validators with `.ci/run`, or only them with \
         `npm ci --ignore-scripts --prefix tests/validators` (set {SKIP_VAR}=1 to skip these checks)",
        path.display()
    );
    path
}
