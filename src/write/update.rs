//! Updating an existing output folder in place, atomically.
//!
//! Recreating thousands of folders is the slowest part of writing a large
//! site, and most files are the same as last time. So, when the output
//! folder exists, only changed files are written, each first to a temporary
//! sibling. Nothing visible changes until every temporary file is written;
//! then a journal listing the renames and deletions is written, and the
//! renames and deletions are done. A failure before the journal leaves the
//! old output exactly as it was (temporary files and new folders are
//! removed); an interruption after it is rolled forward by the next run.

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use super::error::{WriteError, io_err};
use crate::output::Output;

/// The journal of a commit in progress, at the output's root.
pub const JOURNAL: &str = ".partnersite-commit";
/// Suffix of the temporary file written beside each changed file.
const TMP: &str = ".partnersite-tmp";

/// What an update did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Updated {
    pub written: usize,
    pub deleted: usize,
    pub unchanged: usize,
}

fn temp_of(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}{TMP}"))
}

/// Finishes a commit that an earlier run began but did not end.
pub fn recover(out: &Path) -> Result<(), WriteError> {
    let journal = out.join(JOURNAL);
    let text = match std::fs::read_to_string(&journal) {
        Ok(t) => t,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io_err(&journal)(e)),
    };
    for line in text.lines() {
        // Only ever paths inside `out`, whatever the journal says.
        let inside = |rel: &str| {
            !rel.is_empty()
                && Path::new(rel)
                    .components()
                    .all(|c| matches!(c, std::path::Component::Normal(_)))
        };
        if !line.get(2..).is_some_and(inside) {
            continue;
        }
        if let Some(rel) = line.strip_prefix("W ") {
            let path = out.join(rel);
            let tmp = temp_of(&path);
            if tmp.exists() {
                std::fs::rename(&tmp, &path).map_err(io_err(&path))?;
            }
        } else if let Some(rel) = line.strip_prefix("D ") {
            match std::fs::remove_file(out.join(rel)) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => {
                    return Err(io_err(&out.join(rel))(e));
                }
                _ => {}
            }
        }
    }
    std::fs::remove_file(&journal).map_err(io_err(&journal))
}

/// What an output folder holds now (temporary files left by a failed run
/// are removed on the way).
struct Existing {
    files: BTreeSet<String>,
    dirs: BTreeSet<String>,
}

fn existing(out: &Path) -> Result<Existing, WriteError> {
    let mut files = BTreeSet::new();
    let mut dirs = BTreeSet::new();
    for entry in WalkDir::new(out).min_depth(1) {
        let entry = entry.map_err(|e| io_err(out)(e.into()))?;
        let rel = entry.path().strip_prefix(out).unwrap_or(entry.path());
        let rel = rel.to_string_lossy().replace('\\', "/");
        if entry.file_type().is_dir() {
            dirs.insert(rel);
        } else if rel.ends_with(TMP) {
            // Left by a run that failed before its commit.
            std::fs::remove_file(entry.path()).map_err(io_err(entry.path()))?;
        } else {
            files.insert(rel);
        }
    }
    Ok(Existing { files, dirs })
}

/// Updates `out` in place to hold exactly `output`. `Ok(None)` when that is
/// not possible (a file became a folder or the other way round): the caller
/// then replaces the whole folder instead.
pub fn update(out: &Path, output: &Output) -> Result<Option<Updated>, WriteError> {
    recover(out)?;
    let Existing { files, dirs } = existing(out)?;
    for path in output.files.keys() {
        let ancestor_is_file = path
            .match_indices('/')
            .any(|(i, _)| files.contains(&path[..i]));
        if dirs.contains(path) || ancestor_is_file {
            return Ok(None);
        }
    }
    let changed: Vec<&String> = output
        .files
        .par_iter()
        .filter(|(rel, bytes)| {
            !files.contains(*rel)
                || std::fs::read(out.join(rel)).ok().as_deref() != Some(&bytes[..])
        })
        .map(|(rel, _)| rel)
        .collect();
    let stale: Vec<&String> = files
        .iter()
        .filter(|f| !output.files.contains_key(*f))
        .collect();
    let unchanged = output.files.len() - changed.len();
    if changed.is_empty() && stale.is_empty() {
        return Ok(Some(Updated {
            unchanged,
            ..Updated::default()
        }));
    }
    let created = create_folders(out, &dirs, &changed)?;
    let written = write_temps(out, output, &changed).inspect_err(|_| undo(&[], &created))?;
    if let Err(e) = write_journal(out, &changed, &stale) {
        undo(&written, &created);
        return Err(e);
    }
    // The commit: from here on, the next run rolls forward if interrupted.
    recover(out)?;
    remove_empty_dirs(out, &stale, output);
    Ok(Some(Updated {
        written: changed.len(),
        deleted: stale.len(),
        unchanged,
    }))
}

/// Creates the folders the changed files need; returns them, for `undo`.
fn create_folders(
    out: &Path,
    dirs: &BTreeSet<String>,
    changed: &[&String],
) -> Result<Vec<PathBuf>, WriteError> {
    let mut created: Vec<PathBuf> = Vec::new();
    let mut known: BTreeSet<String> = dirs.clone();
    for rel in changed {
        for (i, _) in rel.match_indices('/') {
            let folder = &rel[..i];
            if known.insert(folder.to_string()) {
                let dir = out.join(folder);
                if let Err(e) = std::fs::create_dir(&dir) {
                    undo(&[], &created);
                    return Err(io_err(&dir)(e));
                }
                created.push(dir);
            }
        }
    }
    Ok(created)
}

/// Writes each changed file to its temporary sibling; nothing visible
/// changes. On failure, every temporary file written is removed.
fn write_temps(
    out: &Path,
    output: &Output,
    changed: &[&String],
) -> Result<Vec<PathBuf>, WriteError> {
    let results: Vec<Result<PathBuf, WriteError>> = changed
        .par_iter()
        .map(|rel| {
            let tmp = temp_of(&out.join(rel));
            std::fs::write(&tmp, &output.files[*rel])
                .map(|()| tmp.clone())
                .map_err(|e| {
                    let _ = std::fs::remove_file(&tmp);
                    io_err(&out.join(rel))(e)
                })
        })
        .collect();
    let written: Vec<PathBuf> = results
        .iter()
        .filter_map(|r| r.as_ref().ok().cloned())
        .collect();
    match results.into_iter().find_map(Result::err) {
        Some(first) => {
            undo(&written, &[]);
            Err(first)
        }
        None => Ok(written),
    }
}

/// Writes the journal of the renames and deletions to come.
fn write_journal(out: &Path, changed: &[&String], stale: &[&String]) -> Result<(), WriteError> {
    let mut journal = String::new();
    for rel in changed {
        journal.push_str("W ");
        journal.push_str(rel);
        journal.push('\n');
    }
    for rel in stale {
        journal.push_str("D ");
        journal.push_str(rel);
        journal.push('\n');
    }
    let journal_path = out.join(JOURNAL);
    if let Err(e) = std::fs::write(&journal_path, journal) {
        let _ = std::fs::remove_file(&journal_path);
        return Err(io_err(&journal_path)(e));
    }
    Ok(())
}

fn undo(temps: &[PathBuf], created: &[PathBuf]) {
    for t in temps {
        let _ = std::fs::remove_file(t);
    }
    for d in created.iter().rev() {
        let _ = std::fs::remove_dir(d);
    }
}

/// Removes the folders that held only deleted files.
fn remove_empty_dirs(out: &Path, stale: &[&String], output: &Output) {
    let mut keep: BTreeMap<&str, ()> = BTreeMap::new();
    for rel in output.files.keys() {
        for (i, _) in rel.match_indices('/') {
            keep.insert(&rel[..i], ());
        }
    }
    let mut candidates: BTreeSet<&str> = BTreeSet::new();
    for rel in stale {
        for (i, _) in rel.match_indices('/') {
            if !keep.contains_key(&rel[..i]) {
                candidates.insert(&rel[..i]);
            }
        }
    }
    // Deepest first, so parents are empty by the time they are reached.
    let mut list: Vec<&str> = candidates.into_iter().collect();
    list.sort_by_key(|d| std::cmp::Reverse(d.matches('/').count()));
    for dir in list {
        let _ = std::fs::remove_dir(out.join(dir));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn output(files: &[(&str, &str)]) -> Output {
        Output::of_text(files)
    }

    fn read(dir: &Path, rel: &str) -> String {
        std::fs::read_to_string(dir.join(rel)).unwrap()
    }

    fn listing(dir: &Path) -> Vec<String> {
        let mut all: Vec<String> = WalkDir::new(dir)
            .min_depth(1)
            .into_iter()
            .map(|e| {
                e.unwrap()
                    .path()
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
        assert_eq!(update(out, &first).unwrap().unwrap().written, 3);
        let second = output(&[
            ("a/index.html", "A"),
            ("b/index.html", "B2"),
            ("c/d/index.html", "C"),
        ]);
        let done = update(out, &second).unwrap().unwrap();
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
                "a",
                "a/index.html",
                "b",
                "b/index.html",
                "c",
                "c/d",
                "c/d/index.html"
            ]
        );
    }

    #[test]
    fn a_failed_write_leaves_the_old_output_exactly() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path();
        update(
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
        assert!(update(out, &next).is_err());
        std::fs::remove_dir(out.join("b/.index.html.partnersite-tmp")).unwrap();
        assert_eq!(listing(out), before);
        assert_eq!(read(out, "a/index.html"), "A");
        assert_eq!(read(out, "b/index.html"), "B");
    }

    #[test]
    fn an_interrupted_commit_is_rolled_forward() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path();
        update(out, &output(&[("a/index.html", "A"), ("gone.txt", "G")])).unwrap();
        // As if a run wrote its temporary files and journal, then died.
        std::fs::write(out.join("a/.index.html.partnersite-tmp"), "A2").unwrap();
        std::fs::write(out.join(JOURNAL), "W a/index.html\nD gone.txt\n").unwrap();
        recover(out).unwrap();
        assert_eq!(read(out, "a/index.html"), "A2");
        assert!(!out.join("gone.txt").exists());
        assert!(!out.join(JOURNAL).exists());
    }

    #[test]
    fn stray_temporary_files_are_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path();
        update(out, &output(&[("a/index.html", "A")])).unwrap();
        std::fs::write(out.join("a/.index.html.partnersite-tmp"), "half").unwrap();
        update(out, &output(&[("a/index.html", "A")])).unwrap();
        assert_eq!(listing(out), vec!["a", "a/index.html"]);
    }

    #[test]
    fn a_file_becoming_a_folder_needs_a_full_replace() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path();
        update(out, &output(&[("x", "file")])).unwrap();
        assert_eq!(update(out, &output(&[("x/y", "nested")])).unwrap(), None);
    }
}
