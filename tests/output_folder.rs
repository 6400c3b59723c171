//! The output folder (DESIGN.md §7, issue 12): partnersite writes only a
//! folder it wrote itself (its manifest says so), never the site or its
//! sources however `--out` is spelled, never deletes or overwrites a file
//! it did not write, never mixes two builds into one output, and says the
//! truth when a write fails part way. Every test runs the real binary.

mod support;

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use support::{REPO, Run, SiteTest, assert_same_tree, copy_tree, tree};

/// The `minimal` fixture in `<tmp>/site`, so that `--out` can name folders
/// beside it and above it.
fn nested_site() -> SiteTest {
    let site = SiteTest::empty();
    copy_tree(
        &Path::new(REPO).join("tests/fixtures/minimal"),
        &site.path("site"),
    );
    site
}

/// Every path below `dir` (files, folders, links), `/`-separated, with each
/// file's bytes; links are not followed.
fn everything(dir: &Path) -> BTreeMap<String, Option<Vec<u8>>> {
    let mut all = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            let rel = path
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let meta = std::fs::symlink_metadata(&path).unwrap();
            if meta.is_dir() {
                stack.push(path.clone());
                all.insert(rel, None);
            } else if meta.is_file() {
                all.insert(rel, Some(std::fs::read(&path).unwrap()));
            } else {
                all.insert(rel, Some(b"<link>".to_vec()));
            }
        }
    }
    all
}

/// Temporary, staging, lock and journal files of partnersite below `dir`
/// (its manifest is no leftover).
fn leftovers(dir: &Path) -> Vec<String> {
    everything(dir)
        .into_keys()
        .filter(|p| p.contains(".partnersite-") && !p.ends_with(".partnersite-manifest"))
        .collect()
}

/// What a build of `site` writes into a new folder.
fn fresh_build(site: &SiteTest) -> BTreeMap<String, Vec<u8>> {
    let fresh = tempfile::tempdir().unwrap();
    let out = fresh.path().join("out");
    site.run(&["build", "--out", &out.display().to_string()])
        .expect_exit(0);
    tree(&out)
}

/// The site with another title in site.toml.
fn retitled(site: SiteTest, title: &str) -> SiteTest {
    let toml: Vec<String> = site
        .read("site.toml")
        .lines()
        .map(|l| match l.starts_with("title = ") {
            true => format!("title = \"{title}\""),
            false => l.to_string(),
        })
        .collect();
    site.file("site.toml", toml.join("\n") + "\n")
}

// ------------------------------------------------------------ the manifest

#[test]
fn every_build_writes_a_manifest_of_its_files() {
    let site = SiteTest::fixture("minimal");
    site.build(&[]);
    let text = site.read("public/.partnersite-manifest");
    let manifest: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(manifest["version"], 1);
    let files = manifest["files"].as_object().unwrap();
    let mut written = site.tree("public");
    written.remove(".partnersite-manifest");
    assert_eq!(
        files.keys().collect::<Vec<_>>(),
        written.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &written {
        assert_eq!(files[path]["bytes"], bytes.len(), "{path}");
        assert_eq!(files[path]["sha256"].as_str().unwrap().len(), 64, "{path}");
    }
    // Deterministic: the same input writes the same manifest.
    assert_eq!(fresh_build(&site)[".partnersite-manifest"], text.as_bytes());
}

// ------------------------------------------------- folders that are refused

#[test]
fn out_a_folder_partnersite_did_not_write_is_refused_and_untouched() {
    let site = SiteTest::fixture("minimal")
        .file("home/.ssh/id_ed25519", "private key")
        .file("home/.ssh/known_hosts", "hosts")
        .file("home/Documents/taxes.pdf", "taxes");
    let before = everything(&site.path("home"));
    site.run(&["build", "--out", "home"])
        .expect_exit(1)
        .stderr_contains(
            "error: refusing to replace home: it is not empty and partnersite did not write it",
        )
        .stderr_contains("it holds .ssh, Documents");
    assert_eq!(everything(&site.path("home")), before);
    assert!(
        leftovers(site.root()).is_empty(),
        "{:?}",
        leftovers(site.root())
    );
}

#[cfg(unix)]
#[test]
fn out_that_is_a_symlink_is_refused_and_its_target_untouched() {
    let site = SiteTest::fixture("minimal").file("target/keep.txt", "keep");
    std::os::unix::fs::symlink(site.path("target"), site.path("public")).unwrap();
    // Even a target partnersite wrote: the link is never written through.
    let built = site.path("built").display().to_string();
    site.run(&["build", "--out", &built]).expect_exit(0);
    std::os::unix::fs::symlink(site.path("built"), site.path("built-link")).unwrap();
    let before = everything(site.root());
    for out in ["public", "built-link"] {
        site.run(&["build", "--out", out])
            .expect_exit(1)
            .stderr_contains(&format!(
                "error: refusing to replace {out}: it is a symbolic link"
            ));
    }
    assert_eq!(everything(site.root()), before);
}

#[test]
fn out_in_a_source_folder_that_does_not_exist_yet_is_refused() {
    let site = nested_site();
    let before = everything(site.root());
    site.run(&["build", "--root", "site", "--out", "site/static/preview"])
        .expect_exit(1)
        .stderr_contains("error: refusing to replace site/static/preview: it is inside the site's static/ folder");
    assert!(!site.exists("site/static"));
    assert_eq!(everything(site.root()), before);
    // The next `--audience public` build would have published it.
    site.run(&[
        "build",
        "--root",
        "site",
        "--out",
        "public",
        "--audience",
        "public",
    ])
    .expect_exit(0);
    assert!(!site.exists("public/preview"));
}

#[test]
fn out_through_a_missing_folder_and_dotdot_into_templates_is_refused() {
    let site = nested_site();
    let before = everything(site.root());
    site.run(&["build", "--root", "site", "--out", "x/../site/templates/out"])
        .expect_exit(1)
        .stderr_contains("error: refusing to replace x/../site/templates/out: it is inside the site's templates/ folder");
    assert!(!site.exists("x"));
    assert!(!site.exists("site/templates"));
    assert_eq!(everything(site.root()), before);
}

#[test]
fn out_at_the_root_through_a_missing_folder_is_refused() {
    let site = nested_site();
    let before = everything(site.root());
    for out in ["site", "site/x/..", "site/x/../"] {
        site.run(&["build", "--root", "site", "--out", out])
            .expect_exit(1)
            .stderr_contains(&format!(
                "error: refusing to replace {out}: it is the site's root folder"
            ));
    }
    assert_eq!(everything(site.root()), before);
}

#[test]
fn out_above_the_root_through_a_missing_folder_is_refused() {
    let site = nested_site().file("keep.txt", "keep");
    let before = everything(site.root());
    for out in [".", "site/..", "site/x/../..", "x/.."] {
        site.run(&["build", "--root", "site", "--out", out])
            .expect_exit(1)
            .stderr_contains(&format!(
                "error: refusing to replace {out}: it holds the site's root folder"
            ));
    }
    assert_eq!(everything(site.root()), before);
}

// ------------------------------ files in the output partnersite did not write

#[test]
fn a_file_dropped_into_the_output_is_never_deleted() {
    let site = SiteTest::fixture("minimal").file("static/old.txt", "ours");
    site.build(&[]);
    let site = site
        .remove("static/old.txt")
        .file("public/notes.txt", "my notes")
        .file("public/CNAME", "docs.example.com")
        .file("public/guides/draft.md", "a draft of mine")
        .file("public/.git/HEAD", "ref: refs/heads/main");
    site.build(&[]);
    assert!(
        !site.exists("public/old.txt"),
        "a file partnersite wrote stays"
    );
    assert_eq!(site.read("public/notes.txt"), "my notes");
    assert_eq!(site.read("public/CNAME"), "docs.example.com");
    assert_eq!(site.read("public/guides/draft.md"), "a draft of mine");
    assert_eq!(site.read("public/.git/HEAD"), "ref: refs/heads/main");
    let manifest = site.read("public/.partnersite-manifest");
    assert!(!manifest.contains("notes.txt"), "{manifest}");
}

#[test]
fn a_new_file_where_a_dropped_file_is_stops_the_build() {
    let site = SiteTest::fixture("minimal");
    site.build(&[]);
    let site = site.file("public/notes.txt", "my notes");
    let before = everything(&site.path("public"));
    let site = site.file("static/notes.txt", "the site's notes");
    site.run(&["build"])
        .expect_exit(1)
        .stderr_contains("error: refusing to overwrite [ROOT]/public/notes.txt: it is a file that partnersite did not write, and the new output puts `notes.txt` there; nothing was changed");
    assert_eq!(everything(&site.path("public")), before);
    assert!(
        leftovers(site.root()).is_empty(),
        "{:?}",
        leftovers(site.root())
    );
}

#[test]
fn a_file_turning_into_a_folder_never_loses_a_dropped_file() {
    let site = SiteTest::fixture("minimal").file("static/downloads", "one file");
    site.build(&[]);
    let site = site
        .remove("static/downloads")
        .file("static/downloads/kit.zip", "now a folder")
        .file("public/notes.txt", "my notes");
    let before = everything(&site.path("public"));
    site.run(&["build"])
        .expect_exit(1)
        .stderr_contains("error: cannot update [ROOT]/public in place (`downloads` turns from a file into a folder or back), and replacing the folder as a whole would lose what partnersite did not write there: notes.txt; nothing was changed");
    assert_eq!(everything(&site.path("public")), before);
    // Once the file is moved out, the folder is replaced as a whole.
    let site = site.remove("public/notes.txt");
    site.build(&[]);
    assert_eq!(site.read("public/downloads/kit.zip"), "now a folder");
    assert_same_tree(&fresh_build(&site), &site.tree("public"));
    assert!(
        leftovers(site.root()).is_empty(),
        "{:?}",
        leftovers(site.root())
    );
}

#[cfg(unix)]
#[test]
fn a_folder_in_the_output_that_is_a_symlink_is_never_written_through() {
    let site = SiteTest::fixture("minimal").file("elsewhere/index.html", "not the site's");
    site.build(&[]);
    std::fs::remove_dir_all(site.path("public/guides")).unwrap();
    std::os::unix::fs::symlink(site.path("elsewhere"), site.path("public/guides")).unwrap();
    let before = everything(site.root());
    site.run(&["build"])
        .expect_exit(1)
        .stderr_contains("error: refusing to overwrite [ROOT]/public/guides: it is a symbolic link that partnersite did not write");
    assert_eq!(everything(site.root()), before);
}

// -------------------------------------------------------------------- lock

/// Holds the lock beside `public` as another partnersite would, and waits
/// until the build says it waits for it.
#[test]
fn a_second_build_waits_for_the_first_and_names_it() {
    let site = SiteTest::fixture("minimal");
    let lock_path = site.path(".public.partnersite-lock");
    let mut held = File::create(&lock_path).unwrap();
    held.lock().unwrap();
    writeln!(held, "partnersite pid 4242").unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_partnersite"))
        .args(["build", "--out", "public"])
        .current_dir(site.root())
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let _ = tx.send(line.unwrap());
        }
    });
    let line = rx
        .recv_timeout(Duration::from_secs(120))
        .expect("the build says it waits");
    assert_eq!(
        line,
        "waiting for partnersite (pid 4242), which is writing public…"
    );
    std::thread::sleep(Duration::from_millis(300));
    assert!(!site.exists("public"), "wrote while the lock was held");
    drop(held);
    let status = child.wait().unwrap();
    reader.join().unwrap();
    assert!(status.success());
    assert!(site.exists("public/index.html"));
    assert!(!lock_path.exists(), "the lock file is left");
}

/// Two builds of different sites into one output at once, several times:
/// both succeed, and the output is exactly one of them.
#[test]
fn two_builds_into_one_output_at_once_never_mix() {
    let with_files = |title: &str| {
        let mut site = retitled(SiteTest::fixture("minimal"), title);
        for i in 0..400 {
            site = site.file(
                &format!("static/files/{i:03}.txt"),
                format!("{title} {i}\n"),
            );
        }
        site
    };
    let one = with_files("One");
    let two = with_files("Two");
    let (one_tree, two_tree) = (fresh_build(&one), fresh_build(&two));
    let shared = tempfile::tempdir().unwrap();
    let out = shared.path().join("public");
    for round in 0..4 {
        let spawn = |site: &SiteTest| {
            Command::new(env!("CARGO_BIN_EXE_partnersite"))
                .args(["build", "--out", &out.display().to_string()])
                .current_dir(site.root())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let children = [spawn(&one), spawn(&two)];
        for child in children {
            let done = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&done.stderr);
            assert!(done.status.success(), "round {round}: {stderr}");
        }
        let now = tree(&out);
        assert!(
            now == one_tree || now == two_tree,
            "round {round}: the output mixes the two builds"
        );
        assert!(
            leftovers(shared.path()).is_empty(),
            "{:?}",
            leftovers(shared.path())
        );
    }
}

// -------------------------------------------------- a failure while writing

/// `chattr +i` on a file, undone when dropped (even if the test fails).
struct Immutable(PathBuf);

impl Immutable {
    /// `None` where the file system or the user cannot make files immutable.
    fn set(path: &Path) -> Option<Immutable> {
        let ok = Command::new("chattr")
            .arg("+i")
            .arg(path)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        // Root ignores permissions, not this: check that it holds.
        let holds = ok && std::fs::OpenOptions::new().append(true).open(path).is_err();
        let guard = Immutable(path.to_path_buf());
        holds.then_some(guard)
    }
}

impl Drop for Immutable {
    fn drop(&mut self) {
        let _ = Command::new("chattr").arg("-i").arg(&self.0).status();
    }
}

/// A rename fails in the middle of a commit (one output file is immutable,
/// which stops root too): the message says how many files were replaced,
/// and that number is true; the journal is kept; a run while the cause
/// lasts says so again; the run after it is fixed finishes the update and
/// says so.
#[test]
fn a_rename_that_fails_mid_commit_is_reported_truthfully_and_finished_next_time() {
    let site = SiteTest::fixture("minimal");
    site.build(&[]);
    let old = site.tree("public");
    // A new title changes every page.
    let site = retitled(site, "Renamed");
    let new = fresh_build(&site);
    let Some(_immutable) = Immutable::set(&site.path("public/guides/index.html")) else {
        eprintln!("skipped: chattr +i does not hold here");
        return;
    };
    let run = site.run(&["build"]).expect_exit(1);
    let run = run
        .stderr_contains("error: could not finish updating [ROOT]/public: ")
        .stderr_contains("before it failed: cannot replace [ROOT]/public/guides/index.html: ")
        .stderr_contains("the journal [ROOT]/public/.partnersite-commit is kept")
        .stderr_lacks("unchanged");
    // "N of M changed files were replaced": check N and M.
    let counts = run.stderr.split("[ROOT]/public: ").nth(1).unwrap();
    let mut words = counts.split(' ');
    let replaced: usize = words.next().unwrap().parse().unwrap();
    let total: usize = words.nth(1).unwrap().parse().unwrap();
    let now = site.tree("public");
    let changed: Vec<&String> = new
        .keys()
        .filter(|p| *p != ".partnersite-manifest" && old.get(*p) != Some(&new[*p]))
        .collect();
    assert_eq!(total, changed.len(), "{run}");
    let in_place = changed
        .iter()
        .filter(|p| now.get(**p) == Some(&new[**p]))
        .count();
    assert_eq!(replaced, in_place, "{run}");
    assert!(replaced > 0 && replaced < total, "{run}");

    site.run(&["build"])
        .expect_exit(1)
        .stderr_contains("error: could not finish the update of [ROOT]/public that an earlier build left part done: ")
        .stderr_contains(&format!("{replaced} of {total} changed files were replaced before it failed again"));

    drop(_immutable);
    site.build(&[])
        .stderr_contains("note: an earlier build of [ROOT]/public was interrupted while writing it; before writing, its update was finished (")
        .stderr_contains(&format!("{} more files replaced", total - replaced));
    assert_same_tree(&new, &site.tree("public"));
    assert!(
        leftovers(site.root()).is_empty(),
        "{:?}",
        leftovers(site.root())
    );
}

/// `--audience partners` into `partners` as on `date`: the JSON summary's
/// count of partner folders kept as the earlier build left them.
fn folders_kept_on(site: &SiteTest, date: &str) -> u64 {
    let args = [
        "build",
        "--audience",
        "partners",
        "--out",
        "partners",
        "--format",
        "json",
        "--date",
        date,
    ];
    let run = site.run(&args).expect_exit(0);
    let summary: serde_json::Value = serde_json::from_str(run.stdout.trim()).unwrap();
    summary["summary"]["folders_kept"].as_u64().unwrap()
}

fn folders_kept(site: &SiteTest) -> u64 {
    folders_kept_on(site, "2026-12-04")
}

/// What a fresh build of the same inputs writes.
fn fresh_partners(site: &SiteTest) -> BTreeMap<String, Vec<u8>> {
    let fresh = site.path("fresh");
    let _ = std::fs::remove_dir_all(&fresh);
    site.build(&[
        "--audience",
        "partners",
        "--out",
        "fresh",
        "--date",
        "2026-12-04",
    ]);
    site.tree("fresh")
}

#[test]
fn a_partner_folder_whose_inputs_did_not_change_is_kept_and_equals_a_new_one() {
    let site = SiteTest::fixture("audiences");
    assert_eq!(folders_kept(&site), 0, "a new output renders all");
    assert_eq!(folders_kept(&site), 3, "nothing changed");
    // The summary line says so, and counts the kept folders' pages.
    let human = site.build(&[
        "--audience",
        "partners",
        "--out",
        "partners",
        "--date",
        "2026-12-04",
    ]);
    let fresh_line = site.build(&[
        "--audience",
        "partners",
        "--out",
        "other",
        "--date",
        "2026-12-04",
    ]);
    let counts = |line: &str| line.split(" in ").next().unwrap().to_string();
    assert!(
        human.stderr.contains("3 partner folders unchanged"),
        "{human:?}"
    );
    assert_eq!(counts(&human.stderr), counts(&fresh_line.stderr));

    let data = site.read("data/partners/alpha-labs.toml");
    let site = site.file(
        "data/partners/alpha-labs.toml",
        data.replace("influenced_revenue = 123457", "influenced_revenue = 223457"),
    );
    assert_eq!(folders_kept(&site), 2, "only alpha-labs changed");
    assert!(
        site.read("partners/alpha-labs/partners/alpha-labs/index.html")
            .contains("223,457")
    );
    assert_same_tree(&fresh_partners(&site), &site.tree("partners"));

    // Touched but not changed: still kept.
    let beta = site.read("data/partners/beta-works.toml");
    let site = site.file("data/partners/beta-works.toml", beta);
    assert_eq!(folders_kept(&site), 3);
}

#[test]
fn a_page_the_build_date_or_another_partners_name_renders_every_folder_again() {
    let site = SiteTest::fixture("audiences");
    assert_eq!(folders_kept(&site), 0);
    let page = site.read("content/guides/public-page.md");
    let site = site.file(
        "content/guides/public-page.md",
        format!("{page}\nOne more line for everyone.\n"),
    );
    assert_eq!(folders_kept(&site), 0, "a page every partner sees");
    assert_eq!(folders_kept_on(&site, "2026-12-05"), 0, "the date");
    assert_eq!(folders_kept(&site), 0, "the date back");
    // The leak guard checks every folder against every partner's name.
    let data = site.read("data/partners/gamma-co.toml");
    let site = site.file(
        "data/partners/gamma-co.toml",
        data.replace("name = \"Gamma Co\"", "name = \"Gamma Company\""),
    );
    assert_eq!(folders_kept(&site), 0, "a partner's name");
    assert_same_tree(&fresh_partners(&site), &site.tree("partners"));
}

#[test]
fn a_kept_folder_whose_files_changed_on_disk_is_rendered_again() {
    let site = SiteTest::fixture("audiences");
    assert_eq!(folders_kept(&site), 0);
    let fresh = fresh_partners(&site);
    let report = "partners/beta-works/partners/beta-works/index.html";
    // Edited by hand (later than the manifest), removed, or made a link to
    // a file elsewhere: that folder is made again, the others kept.
    std::thread::sleep(Duration::from_millis(20));
    let site = site.file(report, "edited by hand");
    assert_eq!(folders_kept(&site), 2);
    assert_same_tree(&fresh, &site.tree("partners"));
    std::fs::remove_file(site.path(report)).unwrap();
    assert_eq!(folders_kept(&site), 2);
    assert_same_tree(&fresh, &site.tree("partners"));
    // A link is never taken for the file: the folder is made again, and
    // the build refuses to write through the link.
    let original = site.read(report);
    let site = site.file("elsewhere.html", &original);
    std::fs::remove_file(site.path(report)).unwrap();
    std::os::unix::fs::symlink(site.path("elsewhere.html"), site.path(report)).unwrap();
    let args = ["build", "--audience", "partners", "--out", "partners"];
    site.run(&args)
        .expect_exit(1)
        .stderr_contains("a symbolic link that partnersite did not write");
    assert_eq!(site.read("elsewhere.html"), original);
}

#[test]
fn a_new_partners_output_that_fails_part_way_leaves_nothing_behind() {
    // Each partner folder of a new output is written as soon as it is
    // finished; alpha-labs' and beta-works' name gamma-co, gamma-co's own
    // folder is fine and may be written before the others fail.
    let site = SiteTest::fixture("audiences").file(
        "content/guides/partner-page.md",
        "+++\ntitle = \"Partner Guide\"\n+++\nAsk Gamma Co how they did it.\n",
    );
    site.run(&["build", "--audience", "partners", "--out", "out/partners"])
        .expect_exit(1)
        .stderr_contains("leak guard: the output for partner alpha-labs");
    // Nor the folder made to hold it.
    assert!(!site.exists("out"), "{:?}", everything(&site.path("out")));
}

#[test]
fn a_new_single_view_output_that_fails_part_way_leaves_nothing_behind() {
    // A new output's only view is written while it is rendered: the pages
    // before the one that fails (and every chart and report of the
    // internal view) are on disk when the failure comes.
    let page = |i: usize, text: &str| {
        format!("+++\ntitle = \"Open guide {i}\"\naudience = \"public\"\n+++\n{text}\n")
    };
    let mut site = SiteTest::fixture("audiences");
    for i in 0..300 {
        site = site.file(
            &format!("content/guides/open-{i:03}.md"),
            page(i, "How to plan a launch."),
        );
    }
    let leak = page(299, "Ask Gamma Co how they did it.");
    let site = site.file("content/guides/open-299.md", &leak);
    site.run(&["build", "--audience", "public", "--out", "out/public"])
        .expect_exit(1)
        .stderr_contains("leak guard: the public output contains the name of partner gamma-co");
    assert!(!site.exists("out"), "{:?}", everything(&site.path("out")));

    // A template that fails on the dashboard, made after every page.
    let site = site
        .file("content/guides/open-299.md", page(299, "Plan it."))
        .file("templates/dashboard.html", "{{ no_such_variable }}");
    site.run(&["build", "--out", "out/internal"])
        .expect_exit(1)
        .stderr_contains("no_such_variable");
    assert!(!site.exists("out"), "{:?}", everything(&site.path("out")));

    // Over an earlier output, a failed build leaves it as it was.
    let site = site.remove("templates/dashboard.html");
    site.build(&["--audience", "public", "--out", "out/public"]);
    let before = tree(&site.path("out"));
    let site = site.file("content/guides/open-299.md", &leak);
    site.run(&["build", "--audience", "public", "--out", "out/public"])
        .expect_exit(1);
    assert_eq!(tree(&site.path("out")), before);
}

#[test]
fn the_summary_counts_each_file_once_into_a_new_folder_and_over_it() {
    // A new folder is written while it is rendered and indexed; the
    // summary still counts what the output holds.
    let site = SiteTest::fixture("search");
    let counts = |run: Run| run.stderr.split(" in ").next().unwrap().to_string();
    let new = counts(site.build(&[]));
    let over = counts(site.build(&[]));
    assert_eq!(new, over);
    let files = tree(&site.path("public")).len() - 1; // and the manifest
    assert!(
        new.contains(&format!("({files} files, ")),
        "{new} ({files} files)"
    );
}

#[test]
fn a_new_partner_named_in_an_unchanged_folder_is_still_caught_by_the_leak_guard() {
    // The page names a company that is not a partner yet: no leak.
    let site = SiteTest::fixture("audiences").file(
        "content/guides/partner-page.md",
        "+++\ntitle = \"Partner Guide\"\n+++\nAsk Delta Dynamics how they did it.\n",
    );
    assert_eq!(folders_kept(&site), 0);
    // It becomes one: every other partner's folder, otherwise unchanged,
    // now holds another partner's name, and must not be kept unchecked.
    let gamma = site.read("data/partners/gamma-co.toml");
    let delta = gamma
        .replace("name = \"Gamma Co\"", "name = \"Delta Dynamics\"")
        .replace("logo = \"logos/gamma-co.svg\"\n", "");
    let site = site.file("data/partners/delta-dynamics.toml", delta);
    let before = site.tree("partners");
    site.run(&[
        "build",
        "--audience",
        "partners",
        "--out",
        "partners",
        "--date",
        "2026-12-04",
    ])
    .expect_exit(1)
    .stderr_contains(
        "leak guard: the output for partner alpha-labs contains the name of partner delta-dynamics",
    );
    assert_same_tree(&before, &site.tree("partners"));
}
