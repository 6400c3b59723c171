//! Opening an output folder for writing, before the views are rendered,
//! and finishing it after: `open` checks the folder, takes the lock and
//! clears what an interrupted run left; a new folder's files may then be
//! put into its staging folder as the views are finished (`put`), and
//! `finish` writes the rest and moves it in, or updates an existing output
//! in place.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::error::{WriteError, io_err};
use super::manifest::{Entry, Manifest, Record};
use super::outcome::{Recovery, Written};
use super::place::{self, Folder};
use super::previous::Previous;
use super::{journal, lock, names, replace, update};
use crate::output::Output;
use crate::values::path::is_inner_path;

/// An output folder opened for writing: checked, locked, cleared of what
/// an interrupted run left, and found missing (a new folder: its staging
/// folder is made, and files may be put into it while the rest of the
/// output is still being rendered) or partnersite's own (updated in
/// place at the end). Dropped without `finish`, it removes the staging
/// folder it made and changes nothing else.
#[derive(Debug)]
pub struct Opened {
    /// As the user gave it, for messages.
    shown: PathBuf,
    resolved: PathBuf,
    beside: names::Beside,
    recovered: Vec<Recovery>,
    folder: Option<Folder>,
    /// For a new folder: the files put into its staging folder so far.
    staged: Option<Mutex<BTreeMap<String, Entry>>>,
    /// The staging folder `open` made is still there (not moved in).
    staging_made: bool,
    /// The folders `open` made to hold the output, deepest first: removed
    /// again (if still empty) when no output was moved in.
    parents_made: Vec<PathBuf>,
    /// Held until dropped.
    lock: Option<lock::Lock>,
}

/// Opens `out` for writing: refuses a folder partnersite may not write,
/// takes the lock beside it and deals with what an interrupted run left.
pub fn open(out: &Path, root: &Path) -> Result<Opened, WriteError> {
    let resolved = place::check(out, root)?;
    let beside = names::beside(&resolved);
    let parents_made = (beside.parent.ancestors())
        .take_while(|a| std::fs::symlink_metadata(a).is_err())
        .map(Path::to_path_buf)
        .collect();
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
        parents_made,
        lock: Some(lock),
    })
}

impl Opened {
    /// The output as the earlier build left it, if it has a manifest: what
    /// a build may keep of it (its manifest as `open` read it, not read
    /// again).
    pub fn previous(&self) -> Option<Previous> {
        match &self.folder {
            Some(Folder::Owned {
                manifest,
                on_disk: true,
            }) => Some(Previous::of(&self.resolved, manifest.clone())),
            _ => None,
        }
    }

    /// Whether the output is a new folder, into which `put` writes.
    pub fn is_new(&self) -> bool {
        self.staged.is_some()
    }

    /// Writes `output` now, as the folder `folder` of a new output (`""`:
    /// its root; see `is_new`); `rules` says why each page is there, by
    /// path in `output`. Only its files' entries are kept for the manifest.
    pub fn put(
        &self,
        folder: &str,
        output: &Output,
        rules: &BTreeMap<String, String>,
    ) -> Result<(), WriteError> {
        let Some(staged) = &self.staged else {
            return Err(WriteError::Outside(folder.to_string()));
        };
        let bad = folder.contains('/') || !is_inner_path(folder) || names::is_reserved(folder);
        if !folder.is_empty() && bad {
            return Err(WriteError::Outside(folder.to_string()));
        }
        check_paths(output, &[])?;
        let dir = self.beside.staging.join(folder);
        if !folder.is_empty() {
            std::fs::create_dir(&dir).map_err(io_err(&dir))?;
        }
        replace::write_tree(&dir, output)?;
        let record = Record {
            rules: rules.clone(),
            ..Record::default()
        };
        let entries = Manifest::of(output, &record).files;
        let mut staged = staged.lock().unwrap_or_else(|e| e.into_inner());
        staged.extend(entries.into_iter().map(|(p, e)| match folder {
            "" => (p, e),
            _ => (format!("{folder}/{p}"), e),
        }));
        Ok(())
    }

    /// A writer of the files of a new output's only view, one at a time as
    /// they are made (see `is_new`).
    pub fn putting(&self) -> Result<Putting<'_>, WriteError> {
        let Some(staged) = &self.staged else {
            return Err(WriteError::Outside(String::new()));
        };
        Ok(Putting {
            dir: &self.beside.staging,
            staged,
            folders: HashSet::new(),
            entries: Vec::new(),
        })
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
                // What `put` wrote is not written again.
                let mut rest = output.clone();
                rest.files.retain(|p, _| !staged.contains_key(p));
                let mut manifest = Manifest::of(&rest, record);
                manifest.files.extend(staged);
                replace::write_new(&resolved, beside, &rest, &manifest)?;
                self.staging_made = false;
                self.parents_made.clear();
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

/// A new output's files, written into its staging folder one at a time
/// as they are made (`Opened::putting`); `done` records them for the
/// manifest. Paths are checked as `finish` checks them; that no path is
/// both a file and a folder is checked when writing (the file system
/// refuses it) and again by `finish`, over all of them.
pub struct Putting<'o> {
    dir: &'o Path,
    staged: &'o Mutex<BTreeMap<String, Entry>>,
    /// Folders made so far.
    folders: HashSet<String>,
    entries: Vec<(String, Entry)>,
}

impl Putting<'_> {
    /// Writes the file at `path` of the output; returns its manifest entry.
    pub fn file(&mut self, path: &str, bytes: &[u8]) -> Result<&Entry, WriteError> {
        check_path(path)?;
        // The folders holding it not made yet, shallowest first.
        let parents: Vec<&str> = (path.match_indices('/'))
            .map(|(i, _)| &path[..i])
            .filter(|&f| !self.folders.contains(f))
            .collect();
        for folder in parents {
            let at = self.dir.join(folder);
            match std::fs::create_dir(&at) {
                Err(e)
                    if e.kind() == io::ErrorKind::AlreadyExists
                        && std::fs::symlink_metadata(&at).is_ok_and(|m| m.is_dir()) => {}
                other => other.map_err(io_err(&at))?,
            }
            self.folders.insert(folder.to_string());
        }
        let at = self.dir.join(path);
        super::disk::create_new(&at, bytes).map_err(io_err(&at))?;
        self.entries.push((path.to_string(), Entry::of(bytes)));
        Ok(&self.entries.last().expect("just pushed").1)
    }

    /// Records the files written for the manifest, with why each page is
    /// there (`rules`, by path).
    pub fn done(self, rules: &BTreeMap<String, String>) {
        let mut staged = self.staged.lock().unwrap_or_else(|e| e.into_inner());
        for (path, mut entry) in self.entries {
            entry.rule = rules.get(&path).cloned();
            staged.insert(path, entry);
        }
    }
}

impl Drop for Opened {
    fn drop(&mut self) {
        // Not finished (or finishing failed): the staging folder made by
        // `open` is partnersite's alone, and never a complete output.
        if self.staging_made {
            let _ = std::fs::remove_dir_all(&self.beside.staging);
        }
        // The lock file is in the deepest of them.
        drop(self.lock.take());
        for folder in &self.parents_made {
            if std::fs::remove_dir(folder).is_err() {
                break;
            }
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
pub(super) fn check_paths(
    output: &Output,
    kept: &[&BTreeMap<String, Entry>],
) -> Result<(), WriteError> {
    let paths = || {
        output
            .files
            .keys()
            .chain(kept.iter().flat_map(|k| k.keys()))
    };
    paths().try_for_each(|p| check_path(p))?;
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

/// A path may not leave the output folder nor take one of partnersite's
/// own names.
fn check_path(path: &str) -> Result<(), WriteError> {
    if !is_inner_path(path) || path.starts_with('/') {
        return Err(WriteError::Outside(path.to_string()));
    }
    if names::is_reserved(path) {
        return Err(WriteError::Reserved(path.to_string()));
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
