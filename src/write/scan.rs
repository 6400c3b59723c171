//! What an output folder holds now, as an update sees it: the regular
//! files (with size and time), the folders on the way to a listed or a new
//! file, and everything else (links, special files, folders no file of
//! partnersite's is in, which are not looked into). Temporary files left by
//! a run that failed before its commit are removed on the way.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::SystemTime;

use walkdir::WalkDir;

use super::error::{WriteError, io_err};
use super::manifest::{Entry, Manifest};
use super::names::{JOURNAL, MANIFEST, is_temp};
use crate::output::Output;

/// A regular file on disk.
#[derive(Debug, Clone, Copy)]
pub struct Meta {
    pub len: u64,
    pub modified: Option<SystemTime>,
}

impl Meta {
    /// Whether the file may be taken to hold what `entry` describes
    /// without reading it: it has the entry's size, and nothing wrote it
    /// after the manifest (written at `manifest_time`) was.
    pub fn vouches_for(&self, entry: &Entry, manifest_time: Option<SystemTime>) -> bool {
        let since_manifest = match (self.modified, manifest_time) {
            (Some(file), Some(manifest)) => file <= manifest,
            _ => true,
        };
        self.len == entry.bytes && since_manifest
    }
}

/// What an output folder holds now (temporary files left by a failed run
/// are removed on the way).
#[derive(Debug, Default)]
pub struct Disk {
    /// Regular files, but for partnersite's own (manifest, journal).
    pub files: BTreeMap<String, Meta>,
    /// Folders looked into: those on the way to a listed or a new file.
    pub dirs: BTreeSet<String>,
    /// What else is there: links, special files, and folders no listed or
    /// new file is in (not looked into), with what each is.
    pub other: BTreeMap<String, &'static str>,
    /// When the manifest was last written.
    pub manifest_time: Option<SystemTime>,
    pub temps_removed: usize,
}

/// The folders on the way to each path: `a/b/c` → `a`, `a/b`.
pub fn folders_of<'a>(paths: impl Iterator<Item = &'a String>) -> BTreeSet<&'a str> {
    let mut folders = BTreeSet::new();
    for rel in paths {
        for (i, _) in rel.match_indices('/') {
            folders.insert(&rel[..i]);
        }
    }
    folders
}

/// Scans `out`, looking into the folders of `old`'s and `output`'s files.
pub fn scan(out: &Path, old: &Manifest, output: &Output) -> Result<Disk, WriteError> {
    let wanted = folders_of(old.files.keys().chain(output.files.keys()));
    let mut disk = Disk::default();
    let mut walk = WalkDir::new(out).min_depth(1).into_iter();
    while let Some(entry) = walk.next() {
        let entry = entry.map_err(|e| io_err(out)(e.into()))?;
        let rel = entry.path().strip_prefix(out).unwrap_or(entry.path());
        let rel = rel.to_string_lossy().replace('\\', "/");
        let kind = entry.file_type();
        if kind.is_dir() {
            if wanted.contains(rel.as_str()) {
                disk.dirs.insert(rel);
            } else {
                // Nothing of partnersite's can be in there.
                disk.other.insert(rel, "a folder");
                walk.skip_current_dir();
            }
        } else if kind.is_file() {
            let name = entry.file_name().to_string_lossy();
            if is_temp(&name) {
                // Left by a run that failed before its commit.
                std::fs::remove_file(entry.path()).map_err(io_err(entry.path()))?;
                disk.temps_removed += 1;
                continue;
            }
            let meta = entry
                .metadata()
                .map_err(|e| io_err(entry.path())(e.into()))?;
            let modified = meta.modified().ok();
            if rel == MANIFEST {
                disk.manifest_time = modified;
            } else if rel != JOURNAL {
                let len = meta.len();
                disk.files.insert(rel, Meta { len, modified });
            }
        } else if kind.is_symlink() {
            disk.other.insert(rel, "a symbolic link");
        } else {
            disk.other.insert(rel, "a special file");
        }
    }
    Ok(disk)
}
