//! CI is a user too: stable codes, GitHub annotations, JSON reports,
//! shards that add up to the full build, the partner diff of
//! `check --against`, and the commands of docs/ci.md.

mod support;

use std::collections::BTreeMap;
use std::path::Path;

use partnersite::diagnostic::Code;
use support::{SiteTest, run_binary, tree};

const REPO: &str = env!("CARGO_MANIFEST_DIR");
const MANIFEST: &str = ".partnersite-manifest";

/// `tests/codes.txt`: the registry, `id title` per line.
fn registry() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(Path::new(REPO).join("tests/codes.txt")).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (id, title) = l.split_once(' ').expect("`id title`");
            (id.to_string(), title.to_string())
        })
        .collect()
}

#[test]
fn codes_never_change_meaning_and_every_code_is_registered() {
    let registry = registry();
    let ids: Vec<&str> = registry.iter().map(|(id, _)| id.as_str()).collect();
    for code in Code::ALL {
        let Some((_, title)) = registry.iter().find(|(id, _)| id == code.id()) else {
            panic!(
                "{} ({:?}) is not in tests/codes.txt: append it",
                code.id(),
                code
            );
        };
        assert_eq!(
            title,
            code.title(),
            "{} changed meaning: a new kind of problem needs a new code",
            code.id()
        );
    }
    for id in &ids {
        assert!(
            Code::ALL.iter().any(|c| c.id() == *id),
            "{id} was removed or renamed: codes are never reused or dropped"
        );
    }
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "a code is registered twice");
}

#[test]
fn every_code_is_documented_with_an_example_and_a_fix() {
    let docs = std::fs::read_to_string(Path::new(REPO).join("docs/errors.md")).unwrap();
    for code in Code::ALL {
        let start = format!("| `{}` |", code.id());
        let row = docs
            .lines()
            .find(|l| l.starts_with(&start))
            .unwrap_or_else(|| panic!("docs/errors.md has no row {start}"));
        let cells: Vec<&str> = row.trim_matches('|').split(" | ").map(str::trim).collect();
        assert_eq!(cells.len(), 4, "code, meaning, example, fix: {row}");
        assert_eq!(cells[1], code.title(), "{row}");
        assert!(cells.iter().all(|c| !c.is_empty()), "an empty cell: {row}");
    }
}

/// A site inside a repository (a `.git` folder above it) at `site/`,
/// whose page has an unknown front-matter key on line 3 (with a `%`,
/// which workflow commands escape).
fn broken_site_in_a_repository() -> SiteTest {
    let repo = SiteTest::empty().file(".git/HEAD", "ref: refs/heads/main\n");
    support::copy_tree(
        &Path::new(REPO).join("tests/fixtures/minimal"),
        &repo.path("site"),
    );
    repo.file(
        "site/content/guides/broken.md",
        "+++\ntitle = \"Broken\"\n\"50%titel\" = \"typo\"\n+++\nBody.\n",
    )
}

#[test]
fn a_broken_page_is_an_error_annotation_on_its_line() {
    let repo = broken_site_in_a_repository();
    let run = repo
        .run(&[
            "build", "--root", "site", "--out", "public", "--format", "github",
        ])
        .expect_exit(1);
    insta::assert_snapshot!(run.stdout, @"::error file=site/content/guides/broken.md,line=3,col=1,title=E0107::unknown front-matter key `50%25titel`; known keys are `title`, `description`, `date`, `updated`, `review_by`, `draft`, `weight`, `slug`, `tags`, `track`, `audience`, `tiers`, `cobrand`, `teaser`, `template`, `aliases`, `paginate_by`, `generate_feed`, `publish`, `expires`, `extra`");
    assert!(run.stderr.starts_with("build failed: 1 error"), "{run}");
    assert!(!repo.exists("public"), "{run}");
}

#[test]
fn json_output_is_one_object_per_line_ending_with_the_summary() {
    let repo = broken_site_in_a_repository();
    let run = repo
        .run(&["check", "--root", "site", "--format", "json"])
        .expect_exit(1);
    let objects: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let (summary, diagnostics) = objects.split_last().expect("at least the summary");
    assert_eq!(diagnostics.len(), 1, "{run}");
    let d = &diagnostics[0];
    assert_eq!(d["severity"], "error");
    assert_eq!(d["code"], "E0107");
    assert_eq!(d["path"], "content/guides/broken.md");
    assert_eq!((d["line"].as_u64(), d["col"].as_u64()), (Some(3), Some(1)));
    assert!(d["message"].as_str().unwrap().contains("`50%titel`"));
    assert_eq!(summary["summary"]["status"], "failed");
    assert_eq!(summary["summary"]["errors"], 1);

    let fixed = repo.remove("site/content/guides/broken.md");
    let run = fixed
        .run(&[
            "build",
            "--root",
            "site",
            "--out",
            "public",
            "--format",
            "json",
            "--date",
            "2026-07-01",
        ])
        .expect_exit(0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "only the summary: {run}");
    let summary: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    let s = &summary["summary"];
    assert_eq!(s["status"], "built");
    assert_eq!(
        (s["pages"].as_u64(), s["sections"].as_u64()),
        (Some(2), Some(2))
    );
    for key in [
        "partners", "charts", "files", "bytes", "seconds", "audience", "output",
    ] {
        assert!(!s[key].is_null(), "{key}: {summary}");
    }
    assert_eq!(s["date"], "2026-07-01", "the build date: {summary}");
    assert_eq!(run.stderr, "", "nothing for people in json mode: {run}");
}

/// The partner folders of an output, without its root manifest.
fn folders(site: &SiteTest, out: &str) -> BTreeMap<String, Vec<u8>> {
    let mut files = site.tree(out);
    assert!(files.remove(MANIFEST).is_some(), "{out} has a manifest");
    files
}

#[test]
fn shards_add_up_to_the_full_build() {
    let site = SiteTest::fixture("partners");
    site.build(&["--audience", "partners", "--out", "full"]);
    let full = folders(&site, "full");
    let mut union = BTreeMap::new();
    let mut slugs = Vec::new();
    for k in 1..=3 {
        let out = format!("shard-{k}");
        site.build(&[
            "--audience",
            "partners",
            "--shard",
            &format!("{k}/3"),
            "--out",
            &out,
        ]);
        let part = folders(&site, &out);
        let mut mine: Vec<String> = part
            .keys()
            .map(|p| p.split('/').next().unwrap().to_string())
            .collect();
        mine.dedup();
        assert!(!mine.is_empty(), "shard {k} has partners");
        for (path, bytes) in part {
            assert!(
                union.insert(path.clone(), bytes).is_none(),
                "{path} in two shards"
            );
        }
        slugs.push(mine);
    }
    assert_eq!(
        union, full,
        "the shards' folders are the full build's, byte for byte"
    );
    // Slug order, K modulo N: the first partner is in shard 1, the second in 2.
    let mut all: Vec<String> = slugs.concat();
    all.sort();
    assert_eq!(slugs[0][0], all[0]);
    assert_eq!(slugs[1][0], all[1]);
}

#[test]
fn a_shard_needs_the_partners_audience_and_a_valid_k_of_n() {
    let site = SiteTest::fixture("partners");
    site.run(&["build", "--shard", "1/2"])
        .expect_exit(2)
        .stderr_contains("--shard splits `--audience partners`");
    for bad in ["0/2", "3/2", "1/0", "x"] {
        site.run(&["build", "--audience", "partners", "--shard", bad])
            .expect_exit(2)
            .stderr_contains("is not a shard");
    }
    assert!(!site.exists("public"));
}

#[test]
fn check_against_names_the_pages_a_partner_gains_when_tiers_change() {
    let site = SiteTest::fixture("audiences");
    site.build(&["--audience", "partners", "--out", "published"]);
    let manifest = site.read(&format!("published/{MANIFEST}"));
    assert!(
        manifest.contains("\"audience\": \"partners\""),
        "{manifest}"
    );
    assert!(
        manifest.contains("\"rule\": \"its own report\""),
        "{manifest}"
    );

    let page = site.read("content/guides/tier1-only.md");
    let site = site.file(
        "content/guides/tier1-only.md",
        page.replace("tiers = [1]", "tiers = [1, 2]"),
    );
    let run = site
        .run(&["check", "--against", "published"])
        .expect_exit(0);
    let gained = run
        .stdout
        .lines()
        .skip_while(|l| !l.starts_with("partner beta-works gains 1 page,"))
        .nth(1)
        .unwrap_or_else(|| panic!("beta-works gains a page\n{run}"));
    assert!(
        gained.starts_with("  + /beta-works/guides/tier1-only/  (a page for partners of tiers "),
        "{run}"
    );
    assert!(
        run.stdout.contains("partner alpha-labs gains 0 pages"),
        "alpha-labs had it: {run}"
    );
    assert!(
        !run.stdout.contains("gamma-co gains 1"),
        "gamma-co is tier 3: {run}"
    );

    // The other way round: it is lost, with the rule that put it there.
    site.build(&["--audience", "partners", "--out", "published"]);
    let site = site.file("content/guides/tier1-only.md", page);
    let json = site
        .run(&[
            "check",
            "--against",
            &format!("published/{MANIFEST}"),
            "--format",
            "json",
        ])
        .expect_exit(0);
    let diff: serde_json::Value = json
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|v| v["against"]["folder"] == "beta-works")
        .unwrap_or_else(|| panic!("a diff of beta-works\n{json}"));
    assert_eq!(
        diff["against"]["lost"][0]["url"],
        "/beta-works/guides/tier1-only/"
    );
    assert!(diff["against"]["gained"].as_array().unwrap().is_empty());
}

#[test]
fn check_against_what_is_not_a_manifest_is_an_error() {
    let site = SiteTest::fixture("audiences").file("old/.partnersite-manifest", "{\"files\": 3}");
    site.run(&["check", "--against", "old"])
        .expect_exit(1)
        .stderr_contains("cannot be compared")
        .stderr_contains("[E0906]");
    site.run(&["check", "--against", "nowhere"])
        .expect_exit(1)
        .stderr_contains("cannot read it");
}

/// Every `partnersite …` line of the YAML blocks of a document, in order.
fn commands_of(doc: &str) -> Vec<String> {
    let text = std::fs::read_to_string(Path::new(REPO).join(doc)).unwrap();
    let mut in_yaml = false;
    let mut commands = Vec::new();
    for line in text.lines() {
        if line.starts_with("```") {
            in_yaml = line == "```yaml";
            continue;
        }
        let command = line
            .trim()
            .trim_start_matches("- ")
            .trim_start_matches("run: ");
        if in_yaml && command.starts_with("partnersite ") {
            commands.push(command.to_string());
        }
    }
    commands
}

/// Runs one documented command with `sh` in `dir`, with the CI's variables.
fn run_documented(command: &str, dir: &Path, shard: usize, summary: &Path) -> support::Run {
    let binary = Path::new(env!("CARGO_BIN_EXE_partnersite"));
    let path = format!(
        "{}:{}",
        binary.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let command = command.replace("${{ matrix.shard }}", &shard.to_string());
    let output = std::process::Command::new("sh")
        .args(["-c", &command])
        .current_dir(dir)
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .env("CI_NODE_INDEX", shard.to_string())
        .env("CI_NODE_TOTAL", "4")
        .env("GITHUB_STEP_SUMMARY", summary)
        .output()
        .expect("run sh");
    support::Run {
        status: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

#[test]
fn the_commands_of_the_ci_workflows_work() {
    for doc in ["docs/ci.md", "docs/hosting.md"] {
        let commands = commands_of(doc);
        assert!(commands.len() >= 2, "{doc}: {commands:?}");
        // The pull request's base is the site; the head gives tier 2 a page.
        let work = SiteTest::empty();
        let (base, head) = (work.path("base"), work.path("head"));
        support::copy_tree(&Path::new(REPO).join("tests/fixtures/audiences"), &base);
        support::copy_tree(&base, &head);
        let page = head.join("content/guides/tier1-only.md");
        let text = std::fs::read_to_string(&page).unwrap();
        std::fs::write(&page, text.replace("tiers = [1]", "tiers = [1, 2]")).unwrap();
        let summary = work.path("step-summary.md");
        for command in &commands {
            let shards = if command.contains("--shard") {
                1..=4
            } else {
                1..=1
            };
            for k in shards {
                let run = run_documented(command, &head, k, &summary);
                assert_eq!(run.status, Some(0), "{doc}: {command} (shard {k})\n{run}");
            }
        }
        // The shards' folders are one full build's.
        let shards: Vec<_> = std::fs::read_dir(&head)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.starts_with("partners-"))
            .collect();
        assert_eq!(shards.len(), 4, "{doc}: {shards:?}");
        let mut union = BTreeMap::new();
        for shard in &shards {
            let mut files = tree(&head.join(shard));
            files.remove(MANIFEST);
            union.extend(files);
        }
        let full = run_binary(
            &["build", "--audience", "partners", "--out", "../full"].map(String::from),
            &head,
            &[],
        );
        assert_eq!(full.status, Some(0), "{full}");
        let mut expected = tree(&work.path("full"));
        expected.remove(MANIFEST);
        assert_eq!(union, expected, "{doc}");
        if doc == "docs/ci.md" {
            let diff = std::fs::read_to_string(&summary).unwrap_or_default();
            assert!(
                diff.contains("partner beta-works gains 1 page")
                    && diff.contains("+ /beta-works/guides/tier1-only/"),
                "the job summary names the page gained: {diff}"
            );
            assert!(head.join("check.jsonl").exists() && head.join("partner-diff.txt").exists());
        }
    }
}
