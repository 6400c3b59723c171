//! The commit journal (`.partnersite-commit`): the renames and deletions of
//! an update, written before the first of them, so that a commit that
//! stops part way (a failed rename, a crash) is finished by the next run.
//!
//! ```text
//! partnersite commit 1
//! W a/index.html          rename a/.index.html.partnersite-tmp to a/index.html
//! D old/index.html        delete old/index.html
//! W .partnersite-manifest the new manifest, last
//! ```
//!
//! Finishing a journal only ever touches paths inside the output, renames
//! only partnersite's temporary files, never follows a symbolic link, and
//! deletes only regular files that the output's manifest lists, whatever
//! the journal says.

use std::collections::BTreeSet;
use std::io;
use std::path::{Component, Path, PathBuf};

use super::disk::create_new;
use super::error::{WriteError, io_err};
use super::manifest::Manifest;
use super::names::{JOURNAL, MANIFEST, temp_of};

/// The first line of a journal this version writes.
const HEADER: &str = "partnersite commit 1";

/// One step of a commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Move the temporary file of this path into place.
    Rename(String),
    /// Delete this path (a file of the previous output).
    Delete(String),
}

/// Writes the journal of `steps` into `out`, whole or not at all (it is
/// written beside and renamed into place).
pub fn write(out: &Path, steps: &[Step]) -> Result<(), WriteError> {
    let mut text = format!("{HEADER}\n");
    for step in steps {
        let (kind, rel) = match step {
            Step::Rename(rel) => ('W', rel),
            Step::Delete(rel) => ('D', rel),
        };
        text.push(kind);
        text.push(' ');
        text.push_str(rel);
        text.push('\n');
    }
    let path = out.join(JOURNAL);
    let tmp = temp_of(&path);
    let written = create_new(&tmp, text.as_bytes()).and_then(|()| std::fs::rename(&tmp, &path));
    written.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        io_err(&path)(e)
    })
}

/// The steps of the journal in `out`; `None` if there is none. Lines that
/// name a path outside the output are dropped.
pub fn read(out: &Path) -> Result<Option<Vec<Step>>, WriteError> {
    let path = out.join(JOURNAL);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_err(&path)(e)),
    };
    let inside = |rel: &str| {
        !rel.is_empty()
            && Path::new(rel)
                .components()
                .all(|c| matches!(c, Component::Normal(_)))
    };
    let steps = text
        .lines()
        .filter_map(|line| match line.split_once(' ') {
            Some(("W", rel)) if inside(rel) => Some(Step::Rename(rel.to_string())),
            Some(("D", rel)) if inside(rel) => Some(Step::Delete(rel.to_string())),
            _ => None,
        })
        .collect();
    Ok(Some(steps))
}

/// How far a commit got.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Progress {
    /// Renames in the journal, those found done (by an earlier run), and
    /// those done by this call.
    pub renames: usize,
    pub already: usize,
    pub renamed: usize,
    /// Deletions in the journal (of files the manifest lists), and those
    /// done by this call.
    pub deletions: usize,
    pub deleted: usize,
    /// The paths renamed into place by this call.
    pub paths: BTreeSet<String>,
}

impl Progress {
    /// `3 of 8 changed files were replaced` (and the deletions, if begun).
    pub fn describe(&self) -> String {
        let files = |n: usize| if n == 1 { "file" } else { "files" };
        let replaced = self.already + self.renamed;
        let mut text = format!(
            "{replaced} of {} changed {} {} replaced",
            self.renames,
            files(self.renames),
            if replaced == 1 { "was" } else { "were" }
        );
        if self.deleted > 0 || (replaced == self.renames && self.deletions > 0) {
            text.push_str(&format!(
                " and {} of {} old {} deleted",
                self.deleted,
                self.deletions,
                files(self.deletions)
            ));
        }
        text
    }
}

/// Why a commit stopped: how far it got, and the step that failed.
#[derive(Debug)]
pub struct Stopped {
    pub progress: Progress,
    pub step: String,
}

/// Carries out `steps` in `out`, in order; each is skipped if already done,
/// so an interrupted commit can be run again. Deletions are limited to
/// regular files `manifest` lists. The journal is removed at the end.
pub fn commit(out: &Path, steps: &[Step], manifest: &Manifest) -> Result<Progress, Stopped> {
    // The manifest is renamed too, but is not one of the site's files.
    let is_file = |rel: &String| rel != MANIFEST;
    let mut progress = Progress {
        renames: steps
            .iter()
            .filter(|s| matches!(s, Step::Rename(rel) if is_file(rel)))
            .count(),
        deletions: steps
            .iter()
            .filter(|s| matches!(s, Step::Delete(rel) if manifest.files.contains_key(rel)))
            .count(),
        ..Progress::default()
    };
    for step in steps {
        let done = match step {
            Step::Rename(rel) => rename_into_place(out, rel),
            Step::Delete(rel) if manifest.files.contains_key(rel) => delete(out, rel),
            Step::Delete(_) => Ok(false),
        };
        match (done, step) {
            (Ok(true), Step::Rename(rel)) if is_file(rel) => {
                progress.renamed += 1;
                progress.paths.insert(rel.clone());
            }
            (Ok(false), Step::Rename(rel)) if is_file(rel) => progress.already += 1,
            (Ok(true), Step::Delete(_)) => progress.deleted += 1,
            (Ok(_), _) => {}
            (Err(step), _) => return Err(Stopped { progress, step }),
        }
    }
    let journal = out.join(JOURNAL);
    match std::fs::remove_file(&journal) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(Stopped {
            progress,
            step: format!("cannot remove {}: {e}", journal.display()),
        }),
        _ => Ok(progress),
    }
}

/// Renames the temporary file of `rel` into place; `false` if there is
/// none (already renamed).
fn rename_into_place(out: &Path, rel: &str) -> Result<bool, String> {
    let path = real_path(out, rel)?;
    let tmp = temp_of(&path);
    match std::fs::symlink_metadata(&tmp) {
        Ok(m) if m.is_file() => {}
        _ => return Ok(false),
    }
    std::fs::rename(&tmp, &path)
        .map(|()| true)
        .map_err(|e| format!("cannot replace {}: {e}", path.display()))
}

/// Deletes `rel` if it is a regular file; `false` if there is none.
fn delete(out: &Path, rel: &str) -> Result<bool, String> {
    let path = real_path(out, rel)?;
    match std::fs::symlink_metadata(&path) {
        Ok(m) if m.is_file() => {}
        _ => return Ok(false),
    }
    match std::fs::remove_file(&path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(format!("cannot delete {}: {e}", path.display())),
    }
}

/// `out/rel`, if every folder on the way is a real folder (not a symbolic
/// link, which would lead out of the output).
fn real_path(out: &Path, rel: &str) -> Result<PathBuf, String> {
    let mut path = out.to_path_buf();
    let parts: Vec<&str> = rel.split('/').collect();
    for (i, part) in parts.iter().enumerate() {
        path.push(part);
        if i + 1 < parts.len()
            && std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink())
        {
            return Err(format!(
                "{} is a symbolic link, which partnersite never writes through",
                path.display()
            ));
        }
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::manifest::Entry;

    fn manifest(paths: &[&str]) -> Manifest {
        let mut m = Manifest::default();
        for p in paths {
            m.files.insert(p.to_string(), Entry::of(b""));
        }
        m
    }

    #[test]
    fn a_journal_is_read_back_without_paths_outside_the_output() {
        let tmp = tempfile::tempdir().unwrap();
        let steps = vec![
            Step::Rename("a/index.html".into()),
            Step::Delete("b".into()),
        ];
        write(tmp.path(), &steps).unwrap();
        assert_eq!(read(tmp.path()).unwrap().unwrap(), steps);
        std::fs::write(
            tmp.path().join(JOURNAL),
            "W ../x\nD /etc/passwd\nD a/../../b\nD ok\n",
        )
        .unwrap();
        assert_eq!(
            read(tmp.path()).unwrap().unwrap(),
            vec![Step::Delete("ok".into())]
        );
    }

    #[test]
    fn a_commit_deletes_only_what_the_manifest_lists() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path();
        std::fs::write(out.join("listed"), "x").unwrap();
        std::fs::write(out.join("notes.txt"), "mine").unwrap();
        std::fs::write(out.join(".a.partnersite-tmp"), "new").unwrap();
        let steps = vec![
            Step::Rename("a".into()),
            Step::Delete("listed".into()),
            Step::Delete("notes.txt".into()),
        ];
        write(out, &steps).unwrap();
        let done = commit(out, &steps, &manifest(&["listed"])).unwrap();
        assert_eq!((done.renamed, done.deleted), (1, 1));
        assert_eq!(std::fs::read_to_string(out.join("a")).unwrap(), "new");
        assert!(!out.join("listed").exists());
        assert_eq!(
            std::fs::read_to_string(out.join("notes.txt")).unwrap(),
            "mine"
        );
        assert!(!out.join(JOURNAL).exists());
        // Run again: every step is already done.
        assert_eq!(
            commit(out, &steps, &manifest(&["listed"])).unwrap().renamed,
            0
        );
    }

    #[test]
    fn a_rename_that_fails_stops_the_commit_and_says_how_far_it_got() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path();
        for name in ["a", "b", "c"] {
            std::fs::write(out.join(format!(".{name}.partnersite-tmp")), "new").unwrap();
        }
        // A folder holding a file where `b` goes: no rename can replace it.
        std::fs::create_dir_all(out.join("b/inside")).unwrap();
        let steps: Vec<Step> = ["a", "b", "c"]
            .iter()
            .map(|n| Step::Rename(n.to_string()))
            .collect();
        write(out, &steps).unwrap();
        let stopped = commit(out, &steps, &Manifest::default()).unwrap_err();
        assert_eq!(
            stopped.progress.describe(),
            "1 of 3 changed files was replaced"
        );
        assert!(
            stopped.step.starts_with("cannot replace "),
            "{}",
            stopped.step
        );
        assert!(out.join(JOURNAL).exists());
    }

    #[cfg(unix)]
    #[test]
    fn a_commit_never_writes_through_a_symbolic_link() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let elsewhere = tmp.path().join("elsewhere");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::create_dir_all(&elsewhere).unwrap();
        std::fs::write(elsewhere.join("x"), "keep").unwrap();
        std::os::unix::fs::symlink(&elsewhere, out.join("d")).unwrap();
        let steps = vec![Step::Delete("d/x".into())];
        let stopped = commit(&out, &steps, &manifest(&["d/x"])).unwrap_err();
        assert!(stopped.step.contains("symbolic link"), "{}", stopped.step);
        assert_eq!(
            std::fs::read_to_string(elsewhere.join("x")).unwrap(),
            "keep"
        );
    }
}
