//! A chained helper for integration tests, after mdBook's `BookTest` and
//! just's `Test`: copy a fixture site (or start empty) into a temporary
//! folder, change files, run the real binary there, assert on what it printed
//! and on the files it wrote.
//!
//! ```ignore
//! let site = SiteTest::fixture("minimal").file("content/x.md", "+++\ntitle = \"X\"\n+++\n");
//! site.run(&["build"]).expect_exit(0).stdout_contains("built ");
//! assert!(site.read("public/x/index.html").contains("<h1>X</h1>"));
//! ```

#![allow(dead_code)] // each test crate uses a different part of this module

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

pub mod validators;

/// The repository root (the bundled Server Café site).
pub const REPO: &str = env!("CARGO_MANIFEST_DIR");

/// A site in a temporary folder; the folder is deleted when this is dropped.
pub struct SiteTest {
    dir: TempDir,
}

/// What one run of the binary did. Output has the site path redacted to `[ROOT]`.
#[derive(Debug)]
pub struct Run {
    /// Exit status; `None` if the process was killed by a signal.
    pub status: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl SiteTest {
    /// A copy of `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> SiteTest {
        let site = SiteTest::empty();
        let from = Path::new(REPO).join("tests/fixtures").join(name);
        assert!(from.is_dir(), "no fixture {}", from.display());
        copy_tree(&from, site.root());
        site
    }

    /// An empty site folder.
    pub fn empty() -> SiteTest {
        SiteTest {
            dir: tempfile::Builder::new()
                .prefix("partnersite-test-")
                .tempdir()
                .expect("create a temporary folder"),
        }
    }

    /// The site root.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// `path` below the site root.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    /// Writes a file (text or bytes), creating its folders.
    pub fn file(self, rel: &str, contents: impl AsRef<[u8]>) -> SiteTest {
        let path = self.path(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create folders");
        }
        std::fs::write(&path, contents).unwrap_or_else(|e| panic!("write {rel}: {e}"));
        self
    }

    /// Removes a file or a folder.
    pub fn remove(self, rel: &str) -> SiteTest {
        let path = self.path(rel);
        let result = if path.is_dir() {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        };
        result.unwrap_or_else(|e| panic!("remove {rel}: {e}"));
        self
    }

    /// Runs `partnersite <args>` with the site root as the current folder.
    /// For `build`, `--root <site>` and `--out <site>/public` are appended
    /// unless `args` already has them.
    pub fn run(&self, args: &[&str]) -> Run {
        let mut all: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        if args.first() == Some(&"build") {
            let has = |flag: &str| args.iter().any(|a| a.starts_with(flag));
            if !has("--root") {
                all.extend(["--root".into(), self.root().display().to_string()]);
            }
            if !has("--out") {
                all.extend(["--out".into(), self.path("public").display().to_string()]);
            }
        }
        run_binary(&all, self.root(), &[self.root()])
    }

    /// `build` (plus `extra` flags), which must succeed.
    pub fn build(&self, extra: &[&str]) -> Run {
        let mut args = vec!["build"];
        args.extend_from_slice(extra);
        self.run(&args).expect_exit(0)
    }

    /// A file of the site (or its output) as text.
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    /// Whether a file or folder exists below the root.
    pub fn exists(&self, rel: &str) -> bool {
        self.path(rel).exists()
    }

    /// Every file below `rel`, by path relative to it, with its bytes.
    pub fn tree(&self, rel: &str) -> BTreeMap<String, Vec<u8>> {
        tree(&self.path(rel))
    }
}

impl Run {
    /// Asserts the exit status, showing the output when it differs.
    pub fn expect_exit(self, code: i32) -> Run {
        assert_eq!(self.status, Some(code), "unexpected exit status\n{self}");
        self.no_panic()
    }

    pub fn stdout_contains(self, needle: &str) -> Run {
        assert!(
            self.stdout.contains(needle),
            "stdout lacks {needle:?}\n{self}"
        );
        self
    }

    pub fn stderr_contains(self, needle: &str) -> Run {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}\n{self}"
        );
        self
    }

    pub fn stderr_lacks(self, needle: &str) -> Run {
        assert!(
            !self.stderr.contains(needle),
            "stderr has {needle:?}\n{self}"
        );
        self
    }

    /// No Rust panic message, whatever the outcome.
    pub fn no_panic(self) -> Run {
        self.stderr_lacks("panicked")
    }

    /// Asserts an error line `error: <location>: …` that contains `needle`;
    /// `location` is `path:line:col` (or only `path` when no line is known).
    pub fn error_at(self, location: &str, needle: &str) -> Run {
        let head = format!("error: {location}: ");
        assert!(
            self.error_lines()
                .iter()
                .any(|l| l.starts_with(&head) && l.contains(needle)),
            "no line starting {head:?} with {needle:?}\n{self}"
        );
        self
    }

    /// The `error: ` lines of stderr.
    pub fn error_lines(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| l.starts_with("error: "))
            .collect()
    }
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "--- status: {:?}\n--- stdout:\n{}--- stderr:\n{}",
            self.status, self.stdout, self.stderr
        )
    }
}

/// Runs the binary in `cwd`, redacting each of `redact` (and its canonical
/// form) to `[ROOT]` in what it printed.
pub fn run_binary(args: &[String], cwd: &Path, redact: &[&Path]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_partnersite"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("run partnersite");
    let clean = |bytes: &[u8]| {
        let mut text = String::from_utf8_lossy(bytes).into_owned();
        for path in redact {
            let canon = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
            for p in [canon.as_path(), path] {
                text = text.replace(&p.display().to_string(), "[ROOT]");
            }
        }
        text
    };
    let run = Run {
        status: output.status.code(),
        stdout: clean(&output.stdout),
        stderr: clean(&output.stderr),
    };
    let human = !args.iter().any(|a| a.starts_with("--format"));
    let reads_site = matches!(args.first().map(String::as_str), Some("build" | "check"));
    if human && reads_site && run.status != Some(2) {
        assert_every_diagnostic_has_a_code(&run);
    }
    run
}

/// Every `error: ` and `warning: ` of a build or check ends its message
/// (its first line, or a line before the excerpt) with a code like
/// `[E0107]`: checked on every run of the test suite.
fn assert_every_diagnostic_has_a_code(run: &Run) {
    let lines: Vec<&str> = run.stderr.lines().collect();
    let coded = |l: &str| {
        let l = l.trim_end();
        l.len() >= 7
            && l.ends_with(']')
            && matches!(&l[l.len() - 7..l.len() - 5], "[E" | "[W")
            && l[l.len() - 5..l.len() - 1]
                .bytes()
                .all(|b| b.is_ascii_digit())
    };
    for (i, line) in lines.iter().enumerate() {
        if !(line.starts_with("error: ") || line.starts_with("warning: ")) {
            continue;
        }
        let message = lines[i..]
            .iter()
            .take_while(|l| !l.is_empty() && !l.trim_start().starts_with('|'));
        assert!(
            message.clone().any(|l| coded(l)),
            "a diagnostic without a code: {line:?}\n{run}"
        );
    }
}

/// Every file below `dir`, by `/`-separated relative path, with its bytes.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries {
            let path = entry.expect("read a folder entry").path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                let rel = path.strip_prefix(base).expect("below base");
                let rel = rel.to_string_lossy().replace('\\', "/");
                out.insert(rel, std::fs::read(&path).expect("read a file"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// Asserts that two trees hold the same files with the same bytes, naming
/// the first difference.
pub fn assert_same_tree(before: &BTreeMap<String, Vec<u8>>, after: &BTreeMap<String, Vec<u8>>) {
    let names = |t: &BTreeMap<String, Vec<u8>>| t.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(before), names(after), "the file lists differ");
    for (path, bytes) in before {
        assert!(after[path] == *bytes, "{path} differs");
    }
}

pub fn copy_tree(from: &Path, to: &Path) {
    for (rel, bytes) in tree(from) {
        let path = to.join(rel);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("create folders");
        std::fs::write(path, bytes).expect("copy a fixture file");
    }
}

/// Builds the fixture `name`, applies `break_it` and builds again; the
/// second build must exit 1 without touching the output of the first or
/// leaving staging folders behind.
pub fn fails_after_breaking(name: &str, break_it: impl FnOnce(SiteTest) -> SiteTest) -> Run {
    let site = SiteTest::fixture(name);
    site.build(&[]);
    let before = site.tree("public");
    let site = break_it(site);
    let run = site.run(&["build"]).expect_exit(1);
    assert_same_tree(&before, &site.tree("public"));
    let leftovers: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("partnersite-"))
        .collect();
    assert!(leftovers.is_empty(), "staging folders left: {leftovers:?}");
    run
}
