//! The write stage: an `Output` onto the disk, atomically, and only into a
//! folder partnersite may write. This is the only stage that writes.
//!
//! `write` takes the finished output (rendered and validated) and:
//! 1. refuses an `--out` that is, after resolving `..` and links, the site,
//!    above it, or at or inside one of its source folders (`place`);
//! 2. takes the lock beside the output, so that two builds never mix
//!    (`lock`); everything below happens while it is held;
//! 3. finishes or undoes what an interrupted run left (`replace`,
//!    `journal`), and says so in what it returns;
//! 4. refuses a folder partnersite did not write: only a missing folder, an
//!    empty one, or one holding partnersite's manifest (`manifest`) is
//!    written;
//! 5. writes a new folder as a staging folder beside it and moves it in,
//!    and updates an existing one in place through a commit journal
//!    (`update`), touching only the files its manifest lists.
//!
//! It never deletes or overwrites a file partnersite did not write, and
//! never writes through a symbolic link.

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::Path;

use crate::output::Output;
use crate::values::path::is_inner_path;

mod disk;
mod error;
mod journal;
mod lock;
mod manifest;
mod names;
mod outcome;
mod place;
mod previous;
mod replace;
mod scan;
mod update;

pub use error::WriteError;
pub use manifest::{Entry, FolderRecord, Manifest, Record, hex};
pub use names::{JOURNAL, MANIFEST};
pub use outcome::{Recovery, Updated, Written};
pub use previous::{KeptFolder, Previous};

use error::io_err;
use place::Folder;

/// Writes `output` to `out`, which must be missing, empty, or an output
/// partnersite wrote: a new folder is written beside and moved in, an
/// existing one is updated in place (only changed files are written, and
/// only files partnersite wrote are replaced or deleted).
pub fn write(out: &Path, root: &Path, output: &Output) -> Result<Written, WriteError> {
    write_recorded(out, root, output, &Record::default())
}

/// `write`, with what the manifest records besides the files.
pub fn write_recorded(
    out: &Path,
    root: &Path,
    output: &Output,
    record: &Record,
) -> Result<Written, WriteError> {
    open(out, root)?.finish(output, record)
}

/// An output folder opened for writing: checked, locked, cleared of what
/// an interrupted run left, and found missing (a new folder: its staging
/// folder is made, and files may be put into it while the rest of the
/// output is still being rendered) or partnersite's own (updated in
/// place at the end). Dropped without `finish`, it removes the staging
/// folder it made and changes nothing else.
#[derive(Debug)]
pub struct Opened {
    /// As the user gave it, for messages.
    shown: std::path::PathBuf,
    resolved: std::path::PathBuf,
    beside: names::Beside,
    recovered: Vec<Recovery>,
    folder: Option<Folder>,
    /// For a new folder: the files put into its staging folder so far.
    staged: Option<std::sync::Mutex<BTreeMap<String, Entry>>>,
    /// The staging folder `open` made is still there (not moved in).
    staging_made: bool,
    /// Held until dropped.
    _lock: lock::Lock,
}

/// Opens `out` for writing: refuses a folder partnersite may not write,
/// takes the lock beside it and deals with what an interrupted run left.
pub fn open(out: &Path, root: &Path) -> Result<Opened, WriteError> {
    let resolved = place::check(out, root)?;
    let beside = names::beside(&resolved);
    create_parent(&beside.parent)?;
    let lock = lock::acquire(&beside.lock, out)?;
    let recovered = replace::clear_beside(&resolved, &beside)?;
    let folder = place::classify(&resolved, out)?;
    let staged = match folder {
        Folder::Missing => {
            std::fs::create_dir(&beside.staging).map_err(io_err(&beside.staging))?;
            Some(Default::default())
        }
        Folder::Owned { .. } => None,
    };
    Ok(Opened {
        shown: out.to_path_buf(),
        resolved,
        beside,
        recovered,
        folder: Some(folder),
        staging_made: staged.is_some(),
        staged,
        _lock: lock,
    })
}

impl Opened {
    /// Whether the output is a new folder, into which `put` writes.
    pub fn is_new(&self) -> bool {
        self.staged.is_some()
    }

    /// Writes `output` now, as the folder `folder` of a new output (see
    /// `is_new`); `rules` says why each page is there, by path in
    /// `output`. Only its files' entries are kept for the manifest.
    pub fn put(
        &self,
        folder: &str,
        output: &Output,
        rules: &BTreeMap<String, String>,
    ) -> Result<(), WriteError> {
        let Some(staged) = &self.staged else {
            return Err(WriteError::Outside(folder.to_string()));
        };
        if folder.contains('/') || !is_inner_path(folder) || names::is_reserved(folder) {
            return Err(WriteError::Outside(folder.to_string()));
        }
        check_paths(output, &[])?;
        let dir = self.beside.staging.join(folder);
        std::fs::create_dir(&dir).map_err(io_err(&dir))?;
        replace::write_tree(&dir, output)?;
        let record = Record {
            rules: rules.clone(),
            ..Record::default()
        };
        let entries = Manifest::of(output, &record).files;
        let mut staged = staged.lock().unwrap_or_else(|e| e.into_inner());
        staged.extend(
            entries
                .into_iter()
                .map(|(p, e)| (format!("{folder}/{p}"), e)),
        );
        Ok(())
    }

    /// The files put so far: how many, and their bytes.
    pub fn staged(&self) -> (usize, u64) {
        let Some(staged) = &self.staged else {
            return (0, 0);
        };
        let staged = staged.lock().unwrap_or_else(|e| e.into_inner());
        (staged.len(), staged.values().map(|e| e.bytes).sum())
    }

    /// Writes `output` (beside what `put` wrote) and its manifest: a new
    /// folder is moved into place, an existing one updated in place.
    pub fn finish(mut self, output: &Output, record: &Record) -> Result<Written, WriteError> {
        let staged = match self.staged.take() {
            Some(s) => s.into_inner().unwrap_or_else(|e| e.into_inner()),
            None => BTreeMap::new(),
        };
        let mut recovered = std::mem::take(&mut self.recovered);
        let folder = self.folder.take().expect("finished once");
        let resolved = self.resolved.clone();
        let (beside, out) = (&self.beside, self.shown.as_path());
        check_paths(output, &[&record.kept, &staged])?;
        let (old, on_disk) = match folder {
            Folder::Missing => {
                if let Some(kept) = record.kept.keys().next() {
                    return Err(WriteError::KeptChanged {
                        path: resolved.join(kept),
                    });
                }
                let mut manifest = Manifest::of(output, record);
                manifest.files.extend(staged);
                replace::write_new(&resolved, beside, output, &manifest)?;
                self.staging_made = false;
                return Ok(Written {
                    recovered,
                    updated: None,
                });
            }
            Folder::Owned { manifest, on_disk } => (manifest, on_disk),
        };
        let manifest = Manifest::of(output, record);
        let (old, distrust) = finish_commit(&resolved, old, &mut recovered)?;
        let done = update::update(
            &resolved,
            output,
            &record.kept,
            &old,
            &manifest,
            on_disk,
            &distrust,
        )?;
        let updated = match done {
            update::Done::Updated(updated, temps) => {
                if temps > 0 {
                    recovered.push(Recovery::TempsRemoved(temps));
                }
                Some(updated)
            }
            update::Done::Replace { foreign, .. } if foreign.is_empty() => {
                replace::swap(&resolved, beside, output, &record.kept, &manifest, &old)?;
                None
            }
            update::Done::Replace { turned, foreign } => {
                return Err(WriteError::WouldLose {
                    out: out.to_path_buf(),
                    turned,
                    sample: place::sample(&foreign),
                });
            }
        };
        Ok(Written { recovered, updated })
    }
}

impl Drop for Opened {
    fn drop(&mut self) {
        // Not finished (or finishing failed): the staging folder made by
        // `open` is partnersite's alone, and never a complete output.
        if self.staging_made {
            let _ = std::fs::remove_dir_all(&self.beside.staging);
        }
    }
}

/// Finishes the commit an interrupted run left in `out`, if any; the
/// manifest afterwards, and the files the commit moved (whose content the
/// manifest may not describe).
fn finish_commit(
    out: &Path,
    manifest: Manifest,
    recovered: &mut Vec<Recovery>,
) -> Result<(Manifest, BTreeSet<String>), WriteError> {
    let Some(steps) = journal::read(out)? else {
        return Ok((manifest, BTreeSet::new()));
    };
    let progress =
        journal::commit(out, &steps, &manifest).map_err(|stopped| WriteError::Recover {
            out: out.to_path_buf(),
            progress: stopped.progress.describe(),
            step: stopped.step,
        })?;
    recovered.push(Recovery::CommitFinished {
        replaced: progress.renamed,
        deleted: progress.deleted,
    });
    let manifest = Manifest::read(out)?.unwrap_or(manifest);
    Ok((manifest, progress.paths))
}

/// Whatever produced them, no path (of the output or kept from the
/// earlier one) may leave the output folder, take one of partnersite's own
/// names, or be a file and a folder at once.
fn check_paths(output: &Output, kept: &[&BTreeMap<String, Entry>]) -> Result<(), WriteError> {
    let paths = || {
        output
            .files
            .keys()
            .chain(kept.iter().flat_map(|k| k.keys()))
    };
    let outside = |p: &&String| !is_inner_path(p) || p.starts_with('/');
    if let Some(bad) = paths().find(outside) {
        return Err(WriteError::Outside(bad.clone()));
    }
    if let Some(bad) = paths().find(|p| names::is_reserved(p)) {
        return Err(WriteError::Reserved(bad.clone()));
    }
    let is_file = |f: &str| output.files.contains_key(f) || kept.iter().any(|k| k.contains_key(f));
    for rel in paths() {
        if let Some(folder) = rel
            .match_indices('/')
            .map(|(i, _)| &rel[..i])
            .find(|f| is_file(f))
        {
            let e = io::Error::other(format!(
                "{folder} is both a file and the folder of {rel} in the new output"
            ));
            return Err(io_err(Path::new(folder))(e));
        }
    }
    Ok(())
}

/// Creates the folder that holds the output.
fn create_parent(parent: &Path) -> Result<(), WriteError> {
    std::fs::create_dir_all(parent).map_err(|e| {
        // "File exists" does not say which file is in the way.
        let e = match parent.ancestors().find(|a| a.is_file()) {
            Some(file) => io::Error::new(
                e.kind(),
                format!("{} is a file, not a folder", file.display()),
            ),
            None => e,
        };
        io_err(parent)(e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn output(files: &[(&str, &str)]) -> Output {
        Output::of_text(files)
    }

    /// Every entry below `dir`, with each file's text.
    fn snapshot(dir: &Path) -> Vec<(String, Option<String>)> {
        let mut all: Vec<_> = walkdir::WalkDir::new(dir)
            .min_depth(1)
            .into_iter()
            .map(|e| {
                let e = e.unwrap();
                let rel = e
                    .path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                (rel, std::fs::read_to_string(e.path()).ok())
            })
            .collect();
        all.sort();
        all
    }

    #[test]
    fn write_replaces_the_whole_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let site = tmp.path().join("site");
        write(
            &out,
            &site,
            &output(&[("a/index.html", "A"), ("stale.txt", "x")]),
        )
        .unwrap();
        write(&out, &site, &output(&[("a/index.html", "B")])).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "B"
        );
        assert!(!out.join("stale.txt").exists());
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("public")]);
    }

    #[test]
    fn every_output_gets_a_manifest_of_what_was_written() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let site = output(&[("a/index.html", "A"), ("b.txt", "B")]);
        write(&out, tmp.path(), &site).unwrap();
        let manifest = Manifest::read(&out).unwrap().unwrap();
        assert_eq!(manifest, Manifest::of(&site, &Record::default()));
        assert_eq!(manifest.files["a/index.html"].bytes, 1);
        // Into an empty folder, in place: the same manifest.
        let empty = tmp.path().join("empty");
        std::fs::create_dir(&empty).unwrap();
        write(&empty, tmp.path(), &site).unwrap();
        assert_eq!(
            std::fs::read(empty.join(MANIFEST)).unwrap(),
            std::fs::read(out.join(MANIFEST)).unwrap()
        );
    }

    #[test]
    fn failed_write_keeps_previous_output() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let site = tmp.path().join("site");
        write(&out, &site, &output(&[("index.html", "old")])).unwrap();
        // A file and a folder of the same name cannot both be written.
        let bad = output(&[("x", "file"), ("x/y", "under a file")]);
        assert!(write(&out, &site, &bad).is_err());
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "old"
        );
        assert!(!tmp.path().join(".public.partnersite-new").exists());
    }

    #[test]
    fn refuses_the_sites_source_folders() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("content")).unwrap();
        std::fs::write(tmp.path().join("content/a.md"), "x").unwrap();
        for out in [
            "content",
            "content/public",
            "static",
            "data/x",
            "static/preview",
        ] {
            let r = write(&tmp.path().join(out), tmp.path(), &output(&[]));
            assert!(matches!(r, Err(WriteError::Unsafe { .. })), "{out}");
        }
        assert!(tmp.path().join("content/a.md").exists());
        assert!(!tmp.path().join("static").exists());
    }

    #[test]
    fn refuses_to_replace_the_site_root() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("site.toml"), "").unwrap();
        let r = write(tmp.path(), tmp.path(), &output(&[]));
        assert!(matches!(r, Err(WriteError::Unsafe { .. })));
        assert!(tmp.path().join("site.toml").exists());
    }

    #[test]
    fn a_folder_partnersite_did_not_write_is_left_alone() {
        let tmp = tempfile::tempdir().unwrap();
        let home = tmp.path().join("home");
        std::fs::create_dir_all(home.join(".ssh")).unwrap();
        std::fs::write(home.join(".ssh/id_ed25519"), "key").unwrap();
        std::fs::create_dir_all(home.join("Documents")).unwrap();
        let before = snapshot(&home);
        let r = write(
            &home,
            &tmp.path().join("site"),
            &output(&[("index.html", "x")]),
        );
        assert!(matches!(r, Err(WriteError::Foreign { .. })), "{r:?}");
        assert_eq!(snapshot(&home), before);
        assert_eq!(
            std::fs::read_dir(tmp.path()).unwrap().count(),
            1,
            "left something beside"
        );
    }

    #[cfg(unix)]
    #[test]
    fn an_out_that_is_a_link_is_refused_and_its_target_untouched() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("target");
        std::fs::create_dir_all(&target).unwrap();
        std::fs::write(target.join("keep.txt"), "keep").unwrap();
        let link = tmp.path().join("public");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let r = write(
            &link,
            &tmp.path().join("site"),
            &output(&[("index.html", "x")]),
        );
        assert!(matches!(r, Err(WriteError::Symlink { .. })), "{r:?}");
        assert_eq!(
            snapshot(&target),
            vec![("keep.txt".into(), Some("keep".into()))]
        );
    }

    #[test]
    fn a_file_turning_into_a_folder_replaces_the_output_unless_that_loses_files() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let site = tmp.path().join("site");
        write(&out, &site, &output(&[("x", "file"), ("a.html", "A")])).unwrap();
        write(&out, &site, &output(&[("x/y", "nested"), ("a.html", "A")])).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("x/y")).unwrap(), "nested");
        assert_eq!(Manifest::read(&out).unwrap().unwrap().files.len(), 2);
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
        // With a file partnersite did not write: refused, nothing changed.
        std::fs::write(out.join("notes.txt"), "mine").unwrap();
        let before = snapshot(&out);
        let r = write(&out, &site, &output(&[("x", "file again")]));
        assert!(
            matches!(&r, Err(WriteError::WouldLose { turned, sample, .. }) if turned == "x" && sample == "notes.txt"),
            "{r:?}"
        );
        assert_eq!(snapshot(&out), before);
    }

    #[test]
    fn an_output_file_may_not_take_partnersites_own_names() {
        let tmp = tempfile::tempdir().unwrap();
        for name in [MANIFEST, JOURNAL, "a/.x.partnersite-tmp"] {
            let r = write(&tmp.path().join("out"), tmp.path(), &output(&[(name, "x")]));
            assert!(matches!(r, Err(WriteError::Reserved(_))), "{name}: {r:?}");
        }
    }

    #[test]
    fn an_interrupted_commit_is_rolled_forward_and_reported() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let site = tmp.path().join("site");
        let first = output(&[("a/index.html", "A"), ("gone.txt", "G")]);
        write(&out, &site, &first).unwrap();
        // As if a run wrote its temporary files and journal, then died.
        std::fs::write(out.join("a/.index.html.partnersite-tmp"), "A2").unwrap();
        std::fs::write(out.join("notes.txt"), "mine").unwrap();
        std::fs::write(
            out.join(JOURNAL),
            "partnersite commit 1\nW a/index.html\nD gone.txt\nD notes.txt\n",
        )
        .unwrap();
        let written = write(&out, &site, &output(&[("a/index.html", "A3")])).unwrap();
        assert_eq!(
            written.recovered,
            vec![Recovery::CommitFinished {
                replaced: 1,
                deleted: 1
            }]
        );
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "A3"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("notes.txt")).unwrap(),
            "mine"
        );
        assert!(!out.join("gone.txt").exists());
        assert!(!out.join(JOURNAL).exists());
    }

    #[test]
    fn a_file_the_journal_moved_is_not_trusted_to_be_unchanged() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let site = output(&[("a.html", "AAAA")]);
        write(&out, tmp.path(), &site).unwrap();
        std::fs::write(out.join(".a.html.partnersite-tmp"), "ZZZZ").unwrap();
        std::fs::write(out.join(JOURNAL), "partnersite commit 1\nW a.html\n").unwrap();
        write(&out, tmp.path(), &site).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("a.html")).unwrap(), "AAAA");
    }

    /// The entries of `out`'s manifest under `folder/`.
    fn entries_under(out: &Path, folder: &str) -> BTreeMap<String, Entry> {
        let manifest = Manifest::read(out).unwrap().unwrap();
        let prefix = format!("{folder}/");
        (manifest.files.into_iter())
            .filter(|(p, _)| p.starts_with(&prefix))
            .collect()
    }

    #[test]
    fn kept_files_stay_as_they_are_and_must_not_have_changed() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let site = tmp.path().join("site");
        let first = output(&[
            ("a/index.html", "A"),
            ("b/index.html", "B"),
            ("gone.txt", "G"),
        ]);
        write(&out, &site, &first).unwrap();
        let kept = entries_under(&out, "a");
        let record = Record {
            kept: kept.clone(),
            ..Record::default()
        };
        write_recorded(&out, &site, &output(&[("b/index.html", "B2")]), &record).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "A"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("b/index.html")).unwrap(),
            "B2"
        );
        assert!(!out.join("gone.txt").exists());
        assert_eq!(entries_under(&out, "a"), kept);
        // Changed after the build decided to keep it: refused, untouched.
        std::fs::write(out.join("a/index.html"), "Z").unwrap();
        let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
        let file = std::fs::File::options()
            .write(true)
            .open(out.join("a/index.html"))
            .unwrap();
        file.set_modified(later).unwrap();
        drop(file);
        let before = snapshot(&out);
        let r = write_recorded(&out, &site, &output(&[("b/index.html", "B3")]), &record);
        assert!(matches!(r, Err(WriteError::KeptChanged { .. })), "{r:?}");
        assert_eq!(snapshot(&out), before);
        // A new folder has nothing to keep.
        let new = tmp.path().join("new");
        let r = write_recorded(&new, &site, &output(&[("b/index.html", "B")]), &record);
        assert!(matches!(r, Err(WriteError::KeptChanged { .. })), "{r:?}");
        assert!(!new.exists());
    }

    #[test]
    fn a_replace_as_a_whole_copies_the_kept_files_as_they_were_written() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let site = tmp.path().join("site");
        write(
            &out,
            &site,
            &output(&[("x", "file"), ("a/index.html", "A")]),
        )
        .unwrap();
        let record = Record {
            kept: entries_under(&out, "a"),
            ..Record::default()
        };
        write_recorded(&out, &site, &output(&[("x/y", "nested")]), &record).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "A"
        );
        assert_eq!(std::fs::read_to_string(out.join("x/y")).unwrap(), "nested");
        assert_eq!(entries_under(&out, "a"), record.kept);
        // Bytes that are not what the earlier build wrote are never copied.
        std::fs::write(out.join("a/index.html"), "Z").unwrap();
        let before = snapshot(&out);
        let r = write_recorded(&out, &site, &output(&[("x", "file again")]), &record);
        assert!(matches!(r, Err(WriteError::KeptChanged { .. })), "{r:?}");
        assert_eq!(snapshot(&out), before);
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
    }
}
