//! Limits (issue 8): huge, long and deeply nested inputs build in bounded
//! time and memory without a stack overflow, or are refused with a clear
//! error naming the file.
//!
//! Each test runs the real binary, so a stack overflow shows as a crash (a
//! signal and "has overflowed its stack") instead of aborting the harness.
//! A run is killed after `TIME_LIMIT`, and its peak memory (VmHWM, polled
//! from /proc on Linux) must stay under `MEMORY_LIMIT_MIB`: generous bounds
//! that catch a hang or a blow-up, not benchmarks. Inputs are generated in
//! a temporary folder.

mod support;

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::SiteTest;

/// Hang guard: far above what any of these builds takes in a debug build.
const TIME_LIMIT: Duration = Duration::from_secs(120);
/// Memory guard for a build of one of these sites.
const MEMORY_LIMIT_MIB: u64 = 1536;

/// What a bounded run did.
struct Bounded {
    status: Option<i32>,
    stderr: String,
    peak_mib: Option<u64>,
}

impl Bounded {
    /// Exit status `code`, no panic, no stack overflow, memory under the limit.
    fn expect(self, code: i32) -> Bounded {
        assert!(
            !self.stderr.contains("overflowed its stack"),
            "stack overflow\n{}",
            self.stderr
        );
        assert!(!self.stderr.contains("panicked"), "panic\n{}", self.stderr);
        assert_eq!(self.status, Some(code), "exit status\n{}", self.stderr);
        if let Some(peak) = self.peak_mib {
            assert!(peak < MEMORY_LIMIT_MIB, "peak memory {peak} MiB");
        }
        self
    }

    fn stderr_contains(self, needle: &str) -> Bounded {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}\n{}",
            self.stderr
        );
        self
    }
}

/// `partnersite build` of `site` into its `public/`, bounded.
fn build(site: &SiteTest) -> Bounded {
    let root = site.root().display().to_string();
    let out = site.path("public").display().to_string();
    run_bounded(&["build", "--root", &root, "--out", &out], site.root())
}

fn run_bounded(args: &[&str], cwd: &Path) -> Bounded {
    let logs = tempfile::tempdir().unwrap();
    let (out_path, err_path) = (logs.path().join("stdout"), logs.path().join("stderr"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_partnersite"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .stdout(Stdio::from(std::fs::File::create(&out_path).unwrap()))
        .stderr(Stdio::from(std::fs::File::create(&err_path).unwrap()))
        .spawn()
        .expect("run partnersite");
    let status_file = format!("/proc/{}/status", child.id());
    let start = Instant::now();
    let mut peak_kib = None;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if let Some(kib) = std::fs::read_to_string(&status_file)
            .ok()
            .as_deref()
            .and_then(vm_hwm_kib)
        {
            peak_kib = Some(kib);
        }
        if start.elapsed() > TIME_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("partnersite {args:?} did not finish within {TIME_LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    std::fs::File::open(&err_path)
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    Bounded {
        status: status.code(),
        stderr,
        peak_mib: peak_kib.map(|k| k / 1024),
    }
}

/// `VmHWM:  123456 kB` of /proc/<pid>/status.
fn vm_hwm_kib(status: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The `minimal` fixture with one more page holding `body`.
fn with_page(name: &str, body: &str) -> SiteTest {
    SiteTest::fixture("minimal").file(
        &format!("content/guides/{name}.md"),
        format!("+++\ntitle = \"{name}\"\n+++\n{body}"),
    )
}

// --------------------------------------------------------------- size

#[test]
fn a_50_mb_page_is_refused_with_a_clear_error() {
    let para =
        "Partner revenue grows when the joint plan is reviewed every quarter. ".repeat(10) + "\n\n";
    let body = para.repeat(50_000_000 / para.len());
    let site = with_page("huge", &body);
    build(&site).expect(1).stderr_contains(
        "error: content/guides/huge.md: the page is 47.7 MiB, over the limit of 10 MiB: split it",
    );
    assert!(!site.exists("public"));
}

#[test]
fn a_big_page_under_the_limit_builds() {
    let para =
        "Partner revenue grows when the joint plan is reviewed every quarter. ".repeat(10) + "\n\n";
    let body = para.repeat(4_000_000 / para.len());
    let site = with_page("big", &body);
    build(&site).expect(0);
    assert!(
        std::fs::metadata(site.path("public/guides/big/index.html"))
            .unwrap()
            .len()
            > 4_000_000
    );
}

// ------------------------------------------------------------- nesting

#[test]
fn lists_and_block_quotes_10000_deep() {
    let site = SiteTest::fixture("minimal")
        .file(
            "content/guides/lists.md",
            format!("+++\ntitle = \"Lists\"\n+++\n{}deep\n", "- ".repeat(10_000)),
        )
        .file(
            "content/guides/quotes.md",
            format!(
                "+++\ntitle = \"Quotes\"\n+++\n{} deep\n",
                ">".repeat(10_000)
            ),
        )
        .file(
            "content/guides/mixed.md",
            format!(
                "+++\ntitle = \"Mixed\"\n+++\n{}deep\n",
                "> - 1. ".repeat(3_400)
            ),
        )
        .file(
            "content/guides/emphasis.md",
            format!(
                "+++\ntitle = \"Emphasis\"\n+++\n{}x{}\n",
                "*_".repeat(5_000),
                "_*".repeat(5_000)
            ),
        )
        .file(
            "content/guides/links.md",
            format!(
                "+++\ntitle = \"Links\"\n+++\n{}x{}\n",
                "[".repeat(10_000),
                "](y)".repeat(10_000)
            ),
        );
    build(&site).expect(0);
    let lists = site.read("public/guides/lists/index.html");
    assert!(
        lists.matches("<ul>").count() >= 10_000,
        "not nested 10,000 deep"
    );
    assert!(
        site.read("public/guides/quotes/index.html")
            .matches("<blockquote>")
            .count()
            >= 10_000
    );
}

#[test]
fn front_matter_nested_100000_deep_is_refused() {
    let deep =
        |open: &str, close: &str| format!("{}{}", open.repeat(100_000), close.repeat(100_000));
    let site = SiteTest::fixture("minimal")
        .file(
            "content/guides/toml.md",
            format!("+++\ntitle = \"T\"\n[extra]\nx = {}\n+++\n", deep("[", "]")),
        )
        .file(
            "content/guides/yaml.md",
            format!("---\ntitle: T\nextra:\n  x: {}\n---\n", deep("[", "]")),
        )
        .file(
            "content/guides/yaml-maps.md",
            format!("---\ntitle: T\nextra:\n  x: {}\n---\n", deep("{a: ", "}")),
        );
    build(&site)
        .expect(1)
        .stderr_contains("error: content/guides/toml.md:4:")
        .stderr_contains("error: content/guides/yaml.md:4:")
        .stderr_contains("more than 1000 levels deep: flatten it")
        .stderr_contains("error: content/guides/yaml-maps.md:4:");
}

#[test]
fn partner_data_nested_100000_deep_is_refused() {
    let site = SiteTest::fixture("partners").file(
        "data/partners/deep.toml",
        format!(
            "name = \"Deep\"\ntier = 1\njoined = 2024-01-01\nsegment = {}{}\n",
            "[".repeat(100_000),
            "]".repeat(100_000)
        ),
    );
    build(&site)
        .expect(1)
        .stderr_contains("error: data/partners/deep.toml:4:");
}

#[test]
fn ten_thousand_headings_of_the_same_text() {
    // Each duplicate once tried every earlier suffix: quadratic, minutes.
    let site = with_page("headings", &"## Same\n\n### Same\n\n".repeat(5_000));
    build(&site).expect(0);
    let html = site.read("public/guides/headings/index.html");
    assert!(html.contains("id=\"same-9999\""), "ids are not unique");
}

// --------------------------------------------------------------- lines

#[test]
fn lines_of_100000_characters() {
    let words = "partner ".repeat(12_500);
    let unit = |u: &str| u.repeat(100_000 / u.len());
    let mut site = SiteTest::fixture("minimal")
        .file(
            "content/guides/paragraph.md",
            format!("+++\ntitle = \"P\"\n+++\n{words}\n"),
        )
        .file(
            "content/guides/heading.md",
            format!("+++\ntitle = \"H\"\n+++\n## {words}\n"),
        )
        .file(
            "content/guides/table.md",
            format!(
                "+++\ntitle = \"T\"\n+++\n|{}\n|{}\n",
                unit(" c |"),
                unit("---|")
            ),
        )
        .file(
            "content/guides/link.md",
            format!("+++\ntitle = \"L\"\n+++\n[x]({})\n", unit("a")),
        )
        .file(
            "content/guides/inline.md",
            format!(
                "+++\ntitle = \"I\"\n+++\n{}\n",
                unit("`a` *b* _c_ [d] <e> &f; ")
            ),
        )
        .file(
            "content/guides/title.md",
            format!(
                "+++\ntitle = \"{}\"\ndescription = \"{}\"\n+++\nbody\n",
                unit("t"),
                unit("d ")
            ),
        );
    for (lang, u) in [
        ("rust", "let a = b + c; "),
        ("python", "f(x)+"),
        ("bash", "$(a)|"),
        ("css", ".a{b:c}"),
        ("html", "<a x='1'>"),
        ("json", "{\"a\":[1,"),
        ("", "plain "),
    ] {
        site = site.file(
            &format!(
                "content/guides/code-{}.md",
                if lang.is_empty() { "none" } else { lang }
            ),
            format!("+++\ntitle = \"C\"\n+++\n```{lang}\n{}\n```\n", unit(u)),
        );
    }
    build(&site).expect(0);
    assert!(site.read("public/guides/paragraph/index.html").len() > 100_000);
    // Too big to highlight (over 32 KiB): shown as plain, escaped code.
    let code = site.read("public/guides/code-python/index.html");
    assert!(code.contains("f(x)+f(x)+") && !code.contains("hl-"));
}

// --------------------------------------------------------------- files

/// 10,000 pages in one section.
#[test]
fn ten_thousand_files_in_one_section() {
    let site = SiteTest::fixture("minimal").file(
        "site.toml",
        "title = \"Big\"\nbase_url = \"https://big.example\"\nsearch = false\n",
    );
    std::fs::create_dir_all(site.path("content/big")).unwrap();
    for i in 0..10_000 {
        std::fs::write(
            site.path(&format!("content/big/p{i:05}.md")),
            format!("+++\ntitle = \"Page {i}\"\n+++\nBody {i}.\n"),
        )
        .unwrap();
    }
    build(&site).expect(0);
    assert!(site.read("public/big/index.html").contains("Page 9999"));
    assert!(site.exists("public/big/p09999/index.html"));
}

/// 2,000 pages in one section, each a bundle with an image: loading and
/// copying stay linear (both used to compare every page with every other).
#[test]
fn page_bundles_with_assets_in_one_section() {
    let site = SiteTest::fixture("minimal").file(
        "site.toml",
        "title = \"Big\"\nbase_url = \"https://big.example\"\nsearch = false\n",
    );
    for i in 0..2_000 {
        let dir = site.path(&format!("content/big/p{i:05}"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("index.md"),
            format!("+++\ntitle = \"Page {i}\"\n+++\n![pic](pic.png)\n"),
        )
        .unwrap();
        std::fs::write(dir.join("pic.png"), b"not really a png").unwrap();
    }
    build(&site).expect(0);
    assert!(site.exists("public/big/p01999/pic.png"));
}

// ------------------------------------------------------------ symlinks

#[cfg(unix)]
#[test]
fn symlink_loops_in_content() {
    use std::os::unix::fs::symlink;
    let site = SiteTest::fixture("minimal");
    symlink("..", site.path("content/guides/up")).unwrap();
    symlink(".", site.path("content/guides/here")).unwrap();
    symlink("b", site.path("content/a")).unwrap();
    symlink("a", site.path("content/b")).unwrap();
    // Folders reached through links are not followed: the loops end there.
    build(&site).expect(0);
    assert!(!site.exists("public/guides/up"));
    // A page that is a link (to itself, here) is never read: a warning.
    symlink("self.md", site.path("content/guides/self.md")).unwrap();
    build(&site)
        .expect(0)
        .stderr_contains("warning: content/guides/self.md: skipped a symbolic link");
}
