//! Writing an output folder whole: a new one as a staging folder beside it,
//! moved into place; an existing one replaced as a whole (only when an
//! update in place cannot be done and nothing partnersite did not write
//! would be lost); and cleaning up what an interrupted run of either left
//! beside the output.

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::Path;

use rayon::prelude::*;

use super::disk::{create_new, remove_if_exists};
use super::error::{WriteError, io_err};
use super::manifest::{Entry, Manifest};
use super::names::{Beside, MANIFEST};
use super::outcome::Recovery;
use crate::output::Output;

/// Writes `output` as the new folder `out` (which does not exist), through
/// the staging folder, which exists (and may hold files already).
pub fn write_new(
    out: &Path,
    beside: &Beside,
    output: &Output,
    manifest: &Manifest,
) -> Result<(), WriteError> {
    fill_staging(beside, output, None, manifest)?;
    std::fs::rename(&beside.staging, out).map_err(|e| {
        let _ = std::fs::remove_dir_all(&beside.staging);
        io_err(out)(e)
    })
}

/// Replaces `out` as a whole by `output` and the files `kept` of `out` as
/// they are (copied, and checked against their entries): the caller has
/// checked that it holds only what its manifest `old` lists. The old folder is moved
/// aside, the new one moved in, and the old one removed (only its listed
/// files, and the folders they leave empty).
pub fn swap(
    out: &Path,
    beside: &Beside,
    output: &Output,
    kept: &BTreeMap<String, Entry>,
    manifest: &Manifest,
    old: &Manifest,
) -> Result<(), WriteError> {
    let staging = &beside.staging;
    std::fs::create_dir(staging).map_err(io_err(staging))?;
    fill_staging(beside, output, Some((out, kept)), manifest)?;
    if let Err(e) = std::fs::rename(out, &beside.old) {
        let _ = std::fs::remove_dir_all(&beside.staging);
        return Err(io_err(out)(e));
    }
    if let Err(e) = std::fs::rename(&beside.staging, out) {
        let _ = std::fs::remove_dir_all(&beside.staging);
        return match std::fs::rename(&beside.old, out) {
            Ok(()) => Err(io_err(out)(e)),
            Err(_) => Err(WriteError::Swap {
                out: out.to_path_buf(),
                old: beside.old.clone(),
                source: e,
            }),
        };
    }
    // The new output is in place; what cannot be removed of the old one is
    // dealt with by the next run.
    let _ = remove_owned(&beside.old, old);
    Ok(())
}

/// Cleans up what a run interrupted while writing `out` left beside it: a
/// previous output already moved aside is put back (or, if the new one is
/// in place, removed as far as partnersite wrote it), and the staging
/// folder (never a complete output until moved in, and only ever written
/// by partnersite) is removed.
pub fn clear_beside(out: &Path, beside: &Beside) -> Result<Vec<Recovery>, WriteError> {
    let mut done = Vec::new();
    let exists = |p: &Path| std::fs::symlink_metadata(p).is_ok();
    if exists(&beside.old) && !exists(out) {
        std::fs::rename(&beside.old, out).map_err(io_err(out))?;
        done.push(Recovery::PreviousRestored(out.to_path_buf()));
    }
    if exists(&beside.staging) {
        remove_if_exists(&beside.staging).map_err(io_err(&beside.staging))?;
        done.push(Recovery::StagingRemoved(beside.staging.clone()));
    }
    if exists(&beside.old) {
        let manifest = Manifest::read(&beside.old).ok().flatten();
        let removed = manifest.is_some_and(|m| remove_owned(&beside.old, &m).is_ok());
        done.push(if removed {
            Recovery::OldRemoved(beside.old.clone())
        } else {
            Recovery::OldKept(beside.old.clone())
        });
    }
    Ok(done)
}

/// Removes the folder `dir` as far as `manifest` lists it: its listed
/// regular files, the manifest, then every folder left empty. `Err` if
/// anything else is left (it stays).
fn remove_owned(dir: &Path, manifest: &Manifest) -> io::Result<()> {
    for rel in manifest.files.keys() {
        let path = dir.join(rel);
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
            std::fs::remove_file(&path)?;
        }
    }
    match std::fs::remove_file(dir.join(MANIFEST)) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    // Deepest first; a folder holding anything else stays.
    for entry in walkdir::WalkDir::new(dir).contents_first(true) {
        let entry = entry?;
        if entry.file_type().is_dir() {
            let _ = std::fs::remove_dir(entry.path());
        }
    }
    if dir.exists() {
        return Err(io::Error::other("it holds files partnersite did not write"));
    }
    Ok(())
}

/// Writes `output`, the files `kept` of the folder `from`, and the
/// manifest into the staging folder; removes it if anything fails.
fn fill_staging(
    beside: &Beside,
    output: &Output,
    kept: Option<(&Path, &BTreeMap<String, Entry>)>,
    manifest: &Manifest,
) -> Result<(), WriteError> {
    let staging = &beside.staging;
    // Only a replace with kept files needs an output of its own.
    let mut all = std::borrow::Cow::Borrowed(output);
    if let Some((from, kept)) = kept.filter(|(_, k)| !k.is_empty()) {
        for (rel, entry) in kept {
            let path = from.join(rel);
            // Read and checked: whatever is there now (a link, an edit),
            // only the bytes the earlier build wrote are copied.
            let bytes = std::fs::read(&path)
                .ok()
                .filter(|b| Entry::of(b).sha256 == entry.sha256);
            let Some(bytes) = bytes else {
                let _ = std::fs::remove_dir_all(staging);
                return Err(WriteError::KeptChanged { path });
            };
            all.to_mut().files.insert(rel.clone(), bytes.into());
        }
    }
    let written = write_tree(staging, &all).and_then(|()| {
        let path = staging.join(MANIFEST);
        create_new(&path, &manifest.to_bytes()).map_err(io_err(&path))
    });
    written.inspect_err(|_| {
        let _ = std::fs::remove_dir_all(staging);
    })
}

/// Writes every file under `dir` (a folder of partnersite's staging
/// folder), several at a time: creating 10,000 folders and files one after
/// the other waits on the disk each time. A folder already there (made for
/// files written before) is used; a file already there is an error.
pub fn write_tree(dir: &Path, output: &Output) -> Result<(), WriteError> {
    // Folders level by level, so that each one's parent exists.
    let mut levels: BTreeMap<usize, BTreeSet<&str>> = BTreeMap::new();
    for rel in output.files.keys() {
        let mut folder = rel.as_str();
        while let Some((parent, _)) = folder.rsplit_once('/') {
            let depth = parent.matches('/').count();
            if !levels.entry(depth).or_default().insert(parent) {
                break;
            }
            folder = parent;
        }
    }
    for folders in levels.values() {
        folders.par_iter().try_for_each(|folder| {
            let path = dir.join(folder);
            match std::fs::create_dir(&path) {
                Err(e)
                    if e.kind() == io::ErrorKind::AlreadyExists
                        && std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) =>
                {
                    Ok(())
                }
                other => other.map_err(io_err(&path)),
            }
        })?;
    }
    output.files.par_iter().try_for_each(|(rel, bytes)| {
        let path = dir.join(rel);
        create_new(&path, bytes).map_err(io_err(&path))
    })
}
