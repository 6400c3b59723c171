//! Updating an output folder partnersite wrote, in place, atomically.
//!
//! Recreating thousands of folders is the slowest part of writing a large
//! site, and most files are the same as last time. So only changed files
//! are written, each first to a temporary sibling; a file counts as
//! unchanged, without being read, when the manifest recorded the hash of
//! its new bytes, and its size and time on disk show nobody touched it
//! since. Nothing visible changes until every temporary file is written;
//! then the journal of the renames and deletions is written and carried
//! out (`journal`). A failure before the journal leaves the old output
//! exactly as it was; after it, the next run finishes the commit.
//!
//! Only files the previous manifest lists are ever replaced or deleted: a
//! file, folder or link partnersite did not write where a new file must go
//! stops the update before anything changes, and anything else it did not
//! write is left alone.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::disk::create_new;
use super::error::{WriteError, io_err};
use super::journal::{self, Step};
use super::manifest::{Entry, Manifest};
use super::names::{MANIFEST, temp_of};
use super::outcome::Updated;
use super::scan::{Disk, folders_of, scan};
use crate::output::Output;

/// What an update came to.
#[derive(Debug)]
pub enum Done {
    /// Updated in place; the number of stray temporary files removed first.
    Updated(Updated, usize),
    /// Not possible in place: `turned` is a file that becomes a folder or
    /// the other way round. `foreign` lists what partnersite did not write
    /// in the folder (a replace must not lose it).
    Replace {
        turned: String,
        foreign: Vec<String>,
    },
}

/// Updates `out` in place to hold exactly `output` and the files `kept`
/// as they are, whose manifest is `new`; `old` is the folder's manifest (`on_disk` false for an empty
/// folder that has none yet). Files in `distrust` are rewritten even if the
/// manifest says they are unchanged (an interrupted commit moved them).
pub fn update(
    out: &Path,
    output: &Output,
    kept: &BTreeMap<String, Entry>,
    old: &Manifest,
    new: &Manifest,
    on_disk: bool,
    distrust: &BTreeSet<String>,
) -> Result<Done, WriteError> {
    let disk = scan(out, old, output)?;
    let plan = match plan(out, output, kept, old, new, &disk, distrust)? {
        Planned::InPlace(plan) => plan,
        Planned::Replace(turned) => {
            let mut foreign: Vec<String> = disk.other.keys().cloned().collect();
            foreign.extend(
                disk.files
                    .keys()
                    .filter(|f| !old.files.contains_key(*f))
                    .cloned(),
            );
            foreign.sort();
            return Ok(Done::Replace { turned, foreign });
        }
    };
    let unchanged = output.files.len() - plan.changed.len() + kept.len();
    let manifest_changed = !on_disk || old != new;
    if plan.changed.is_empty() && plan.stale.is_empty() && !manifest_changed {
        let updated = Updated {
            unchanged,
            ..Updated::default()
        };
        return Ok(Done::Updated(updated, disk.temps_removed));
    }
    let mut undo = Undo::default();
    prepare(out, output, new, on_disk, &plan, &mut undo)
        .map_err(|e| e.with_leftovers(undo.run()))?;
    let mut steps: Vec<Step> = plan
        .changed
        .iter()
        .map(|r| Step::Rename(r.clone()))
        .collect();
    steps.extend(plan.stale.iter().map(|r| Step::Delete(r.clone())));
    steps.push(Step::Rename(MANIFEST.to_string()));
    if let Err(e) = journal::write(out, &steps) {
        return Err(e.with_leftovers(undo.run()));
    }
    // The commit: from here on, a failure leaves the journal for the next run.
    journal::commit(out, &steps, old).map_err(|stopped| WriteError::Commit {
        out: out.to_path_buf(),
        progress: stopped.progress.describe(),
        step: stopped.step,
    })?;
    remove_empty_dirs(out, &plan.stale, output, kept);
    let updated = Updated {
        written: plan.changed.len(),
        deleted: plan.stale.len(),
        unchanged,
    };
    Ok(Done::Updated(updated, disk.temps_removed))
}

/// What an update in place will do.
#[derive(Debug, Default)]
struct Plan {
    /// Files to write (new or changed), in path order.
    changed: Vec<String>,
    /// Files of the previous output that are gone from the new one.
    stale: Vec<String>,
    /// Folders to create, parents first.
    new_folders: Vec<String>,
}

enum Planned {
    InPlace(Plan),
    /// This path turns from a file into a folder or back.
    Replace(String),
}

fn plan(
    out: &Path,
    output: &Output,
    kept: &BTreeMap<String, Entry>,
    old: &Manifest,
    new: &Manifest,
    disk: &Disk,
    distrust: &BTreeSet<String>,
) -> Result<Planned, WriteError> {
    let in_the_way = |path: &str, what: &'static str, file: &str| WriteError::InTheWay {
        path: out.join(path),
        what,
        file: file.to_string(),
    };
    let mut new_folders = BTreeSet::new();
    for rel in output.files.keys() {
        for (i, _) in rel.match_indices('/') {
            let folder = &rel[..i];
            if disk.files.contains_key(folder) {
                if !old.files.contains_key(folder) {
                    return Err(in_the_way(folder, "a file", rel));
                }
                return Ok(Planned::Replace(folder.to_string()));
            }
            if let Some(what) = disk.other.get(folder) {
                return Err(in_the_way(folder, what, rel));
            }
            if !disk.dirs.contains(folder) {
                new_folders.insert(folder.to_string());
            }
        }
        if disk.dirs.contains(rel) {
            return Ok(Planned::Replace(rel.clone()));
        }
        if let Some(what) = disk.other.get(rel) {
            return Err(in_the_way(rel, what, rel));
        }
        if disk.files.contains_key(rel) && !old.files.contains_key(rel) {
            return Err(in_the_way(rel, "a file", rel));
        }
    }
    let untouched = |rel: &String| {
        let Some(on_disk) = disk.files.get(rel) else {
            return false;
        };
        let entry = &new.files[rel];
        old.files.get(rel) == Some(entry)
            && on_disk.vouches_for(entry, disk.manifest_time)
            && !distrust.contains(rel)
    };
    // A kept file is not in `output`: it cannot be written again, only
    // found as the earlier build left it.
    if let Some(changed) = kept.keys().find(|rel| !untouched(rel)) {
        return Err(WriteError::KeptChanged {
            path: out.join(changed),
        });
    }
    let changed = output
        .files
        .keys()
        .filter(|r| !untouched(r))
        .cloned()
        .collect();
    let stale = old
        .files
        .keys()
        .filter(|f| {
            !output.files.contains_key(*f) && !kept.contains_key(*f) && disk.files.contains_key(*f)
        })
        .cloned()
        .collect();
    Ok(Planned::InPlace(Plan {
        changed,
        stale,
        new_folders: new_folders.into_iter().collect(),
    }))
}

/// What `prepare` made, to remove again if the update stops before its
/// commit.
#[derive(Debug, Default)]
struct Undo {
    files: Vec<PathBuf>,
    folders: Vec<PathBuf>,
}

impl Undo {
    /// Removes everything made; the number of things that could not be.
    fn run(&self) -> usize {
        let files = self
            .files
            .iter()
            .filter(|f| std::fs::remove_file(f).is_err());
        let failed = files.count();
        let folders = self
            .folders
            .iter()
            .rev()
            .filter(|d| std::fs::remove_dir(d).is_err());
        failed + folders.count()
    }
}

/// Everything before the commit: the folders the changed files need, each
/// changed file's temporary sibling, and the new manifest's. Nothing
/// visible changes (but for new, empty folders). An empty folder gets an
/// empty manifest first, so that it counts as partnersite's from then on.
fn prepare(
    out: &Path,
    output: &Output,
    new: &Manifest,
    on_disk: bool,
    plan: &Plan,
    undo: &mut Undo,
) -> Result<(), WriteError> {
    if !on_disk {
        let path = out.join(MANIFEST);
        create_new(&path, &Manifest::default().to_bytes()).map_err(io_err(&path))?;
        undo.files.push(path);
    }
    for folder in &plan.new_folders {
        let dir = out.join(folder);
        std::fs::create_dir(&dir).map_err(io_err(&dir))?;
        undo.folders.push(dir);
    }
    let results: Vec<(PathBuf, std::io::Result<()>)> = plan
        .changed
        .par_iter()
        .map(|rel| {
            let tmp = temp_of(&out.join(rel));
            let result = create_new(&tmp, &output.files[rel]);
            (tmp, result)
        })
        .collect();
    let mut first = None;
    for ((tmp, result), rel) in results.into_iter().zip(&plan.changed) {
        match result {
            Ok(()) => undo.files.push(tmp),
            Err(e) if first.is_none() => first = Some(io_err(&out.join(rel))(explain(e, &tmp))),
            Err(_) => {}
        }
    }
    if let Some(e) = first {
        return Err(e);
    }
    // Last, so that it is never older than the files it describes.
    let tmp = temp_of(&out.join(MANIFEST));
    create_new(&tmp, &new.to_bytes()).map_err(io_err(&out.join(MANIFEST)))?;
    undo.files.push(tmp);
    Ok(())
}

/// "File exists" does not say which file, nor that partnersite did not
/// write it.
fn explain(e: std::io::Error, tmp: &Path) -> std::io::Error {
    if e.kind() != std::io::ErrorKind::AlreadyExists {
        return e;
    }
    std::io::Error::new(
        e.kind(),
        format!(
            "its temporary file {} is taken by something partnersite did not write (move it away)",
            tmp.display()
        ),
    )
}

/// Removes the folders that held only deleted files.
fn remove_empty_dirs(
    out: &Path,
    stale: &[String],
    output: &Output,
    kept: &BTreeMap<String, Entry>,
) {
    let keep = folders_of(output.files.keys().chain(kept.keys()));
    let candidates = folders_of(stale.iter());
    // Deepest first, so parents are empty by the time they are reached.
    let mut list: Vec<&str> = candidates.difference(&keep).copied().collect();
    list.sort_by_key(|d| std::cmp::Reverse(d.matches('/').count()));
    for dir in list {
        let _ = std::fs::remove_dir(out.join(dir));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::manifest::Record;
    use walkdir::WalkDir;

    fn output(files: &[(&str, &str)]) -> Output {
        Output::of_text(files)
    }

    /// One update of `out` to `output`, as `write` runs it.
    fn run(out: &Path, output: &Output) -> Result<Done, WriteError> {
        let (old, on_disk) = match Manifest::read(out).unwrap() {
            Some(m) => (m, true),
            None => (Manifest::default(), false),
        };
        let new = Manifest::of(output, &Record::default());
        update(
            out,
            output,
            &BTreeMap::new(),
            &old,
            &new,
            on_disk,
            &BTreeSet::new(),
        )
    }

    fn updated(done: Done) -> Updated {
        match done {
            Done::Updated(u, _) => u,
            other => panic!("not updated: {other:?}"),
        }
    }

    fn read(dir: &Path, rel: &str) -> String {
        std::fs::read_to_string(dir.join(rel)).unwrap()
    }

    fn listing(dir: &Path) -> Vec<String> {
        let mut all: Vec<String> = WalkDir::new(dir)
            .min_depth(1)
            .into_iter()
            .map(|e| {
                let e = e.unwrap();
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        all.sort();
        all
    }

    #[test]
    fn writes_only_what_changed_and_deletes_what_is_gone() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path();
        let first = output(&[
            ("a/index.html", "A"),
            ("b/index.html", "B"),
            ("old/x/index.html", "X"),
        ]);
        assert_eq!(updated(run(out, &first).unwrap()).written, 3);
        let second = output(&[
            ("a/index.html", "A"),
            ("b/index.html", "B2"),
            ("c/d/index.html", "C"),
        ]);
        let done = updated(run(out, &second).unwrap());
        assert_eq!(
            done,
            Updated {
                written: 2,
                deleted: 1,
                unchanged: 1
            }
        );
        assert_eq!(read(out, "b/index.html"), "B2");
        assert_eq!(
            listing(out),
            vec![
                MANIFEST,
                "a",
                "a/index.html",
                "b",
                "b/index.html",
                "c",
                "c/d",
                "c/d/index.html"
            ]
        );
        assert_eq!(
            Manifest::read(out).unwrap().unwrap(),
            Manifest::of(&second, &Record::default())
        );
    }

    #[test]
    fn a_failed_write_leaves_the_old_output_exactly() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path();
        run(
            out,
            &output(&[("a/index.html", "A"), ("b/index.html", "B")]),
        )
        .unwrap();
        let before = listing(out);
        // A folder where b's temporary file must go makes that write fail.
        std::fs::create_dir(out.join("b/.index.html.partnersite-tmp")).unwrap();
        let next = output(&[
            ("a/index.html", "A2"),
            ("b/index.html", "B2"),
            ("new/index.html", "N"),
        ]);
        let e = run(out, &next).unwrap_err();
        assert!(
            e.to_string().contains("the previous output is unchanged"),
            "{e}"
        );
        assert!(
            e.to_string()
                .contains("is taken by something partnersite did not write"),
            "{e}"
        );
        std::fs::remove_dir(out.join("b/.index.html.partnersite-tmp")).unwrap();
        assert_eq!(listing(out), before);
        assert_eq!(read(out, "a/index.html"), "A");
        assert_eq!(read(out, "b/index.html"), "B");
    }

    #[test]
    fn stray_temporary_files_are_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path();
        run(out, &output(&[("a/index.html", "A")])).unwrap();
        std::fs::write(out.join("a/.index.html.partnersite-tmp"), "half").unwrap();
        match run(out, &output(&[("a/index.html", "A")])).unwrap() {
            Done::Updated(_, temps) => assert_eq!(temps, 1),
            other => panic!("{other:?}"),
        }
        assert_eq!(listing(out), vec![MANIFEST, "a", "a/index.html"]);
    }

    #[test]
    fn a_file_becoming_a_folder_needs_a_full_replace() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path();
        run(out, &output(&[("x", "file")])).unwrap();
        std::fs::write(out.join("notes.txt"), "mine").unwrap();
        match run(out, &output(&[("x/y", "nested")])).unwrap() {
            Done::Replace { turned, foreign } => {
                assert_eq!(turned, "x");
                assert_eq!(foreign, vec!["notes.txt"]);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn unchanged_files_are_not_read_or_written_again() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path();
        let site = output(&[("a.html", "A"), ("b.html", "B")]);
        run(out, &site).unwrap();
        // Unreadable, and so surely not read: still unchanged.
        let a = out.join("a.html");
        let before = std::fs::metadata(&a).unwrap().modified().unwrap();
        let done = updated(run(out, &output(&[("a.html", "A"), ("b.html", "B2")])).unwrap());
        assert_eq!((done.written, done.unchanged), (1, 1));
        assert_eq!(std::fs::metadata(&a).unwrap().modified().unwrap(), before);
    }

    #[test]
    fn a_file_changed_by_hand_is_written_again() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path();
        let site = output(&[("a.html", "AAAA"), ("b.html", "B")]);
        run(out, &site).unwrap();
        // Same size, later than the manifest: the hash cannot vouch for it.
        std::fs::write(out.join("a.html"), "ZZZZ").unwrap();
        let manifest = std::fs::metadata(out.join(MANIFEST)).unwrap();
        super::super::disk::set_later(&out.join("a.html"), manifest.modified().unwrap());
        let done = updated(run(out, &site).unwrap());
        assert_eq!((done.written, done.unchanged), (1, 1));
        assert_eq!(read(out, "a.html"), "AAAA");
    }

    #[test]
    fn files_partnersite_did_not_write_are_kept_or_stop_the_update() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path();
        run(
            out,
            &output(&[("a/index.html", "A"), ("gone/index.html", "G")]),
        )
        .unwrap();
        std::fs::write(out.join("notes.txt"), "mine").unwrap();
        std::fs::write(out.join("gone/mine.txt"), "mine too").unwrap();
        std::fs::create_dir_all(out.join(".git/objects")).unwrap();
        // The stale page goes; what the user put there stays.
        updated(run(out, &output(&[("a/index.html", "A2")])).unwrap());
        assert_eq!(read(out, "notes.txt"), "mine");
        assert_eq!(read(out, "gone/mine.txt"), "mine too");
        assert!(!out.join("gone/index.html").exists());
        assert!(out.join(".git/objects").is_dir());
        // A new file where the user's is: refused, nothing changed.
        let before = listing(out);
        let e = run(
            out,
            &output(&[("a/index.html", "A3"), ("notes.txt", "ours")]),
        )
        .unwrap_err();
        assert!(
            matches!(&e, WriteError::InTheWay { path, what: "a file", .. } if path.ends_with("notes.txt")),
            "{e}"
        );
        assert_eq!(listing(out), before);
        assert_eq!(read(out, "a/index.html"), "A2");
        let e = run(out, &output(&[(".git/objects", "x")])).unwrap_err();
        assert!(
            matches!(
                e,
                WriteError::InTheWay {
                    what: "a folder",
                    ..
                }
            ),
            "{e}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_folder_that_is_a_link_is_never_written_through() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let elsewhere = tmp.path().join("elsewhere");
        std::fs::create_dir_all(&elsewhere).unwrap();
        std::fs::write(elsewhere.join("index.html"), "keep").unwrap();
        run(&out_dir(&out), &output(&[("a/index.html", "A")])).unwrap();
        std::fs::remove_file(out.join("a/index.html")).unwrap();
        std::fs::remove_dir(out.join("a")).unwrap();
        std::os::unix::fs::symlink(&elsewhere, out.join("a")).unwrap();
        let e = run(&out, &output(&[("a/index.html", "A2")])).unwrap_err();
        assert!(
            matches!(
                e,
                WriteError::InTheWay {
                    what: "a symbolic link",
                    ..
                }
            ),
            "{e}"
        );
        assert_eq!(read(&elsewhere, "index.html"), "keep");
        assert_eq!(listing(&elsewhere), vec!["index.html"]);
    }

    fn out_dir(out: &Path) -> PathBuf {
        std::fs::create_dir_all(out).unwrap();
        out.to_path_buf()
    }
}
