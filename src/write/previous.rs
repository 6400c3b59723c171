//! What an earlier build left in the output folder that this one may keep
//! instead of making again: a search index whose pages have not changed,
//! and a partner folder whose inputs have not.
//!
//! Only files the folder's manifest lists are used, never through a
//! symbolic link. An index file is read, and kept only if its size and
//! SHA-256 are still what the manifest says. A kept folder's files are not
//! read: each must still be a regular file of the size the manifest says,
//! no newer than the manifest (as an update trusts a file it does not
//! write again), and the write stage checks that again under the lock.
//! Anything else means "make it again". `build` reads it with the
//! output's lock held (it opens the output first), so no other build
//! writes the folder meanwhile; an edit by hand in between makes a file
//! fail its check, never a mixed output.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::manifest::{Entry, FolderRecord, Manifest, sha256_hex};
use super::scan::Meta;

/// An earlier output and its manifest.
#[derive(Debug)]
pub struct Previous {
    out: PathBuf,
    manifest: Manifest,
    /// When its manifest was written.
    written: Option<SystemTime>,
}

/// A folder of the earlier output that a build keeps as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptFolder {
    /// Its files, by path in the output, as the manifest lists them.
    pub files: BTreeMap<String, Entry>,
    /// What it was made from and holds.
    pub record: FolderRecord,
    /// The digest of its search index's pages, if it has one.
    pub search: Option<String>,
}

impl Previous {
    /// The output at `out`, if it is a real folder holding a manifest
    /// partnersite can read.
    pub fn read(out: &Path) -> Option<Previous> {
        let meta = std::fs::symlink_metadata(out).ok()?;
        if !meta.is_dir() {
            return None;
        }
        let manifest = Manifest::read(out).ok()??;
        Some(Previous::of(out, manifest))
    }

    /// The output at `out`, whose manifest (already read) is `manifest`.
    pub fn of(out: &Path, manifest: Manifest) -> Previous {
        let written = std::fs::symlink_metadata(out.join(super::names::MANIFEST))
            .and_then(|m| m.modified())
            .ok();
        Previous {
            out: out.to_path_buf(),
            manifest,
            written,
        }
    }

    /// The partner folder `folder` as the earlier build left it, if that
    /// build made it from inputs of digest `inputs` and every file it
    /// wrote there is still as it left it.
    pub fn folder(&self, folder: &str, inputs: &str) -> Option<KeptFolder> {
        let record = self.manifest.folders.get(folder)?;
        if folder.is_empty() || record.inputs != inputs {
            return None;
        }
        let prefix = format!("{folder}/");
        let mut checked = BTreeSet::new();
        let mut files = BTreeMap::new();
        for (rel, entry) in self.manifest.files.range(prefix.clone()..) {
            if !rel.starts_with(&prefix) {
                break;
            }
            let meta = self.listed(rel, &mut checked)?;
            let on_disk = Meta {
                len: meta.len(),
                modified: meta.modified().ok(),
            };
            if !meta.is_file() || !on_disk.vouches_for(entry, self.written) {
                return None;
            }
            files.insert(rel.clone(), entry.clone());
        }
        (!files.is_empty()).then(|| KeptFolder {
            files,
            record: record.clone(),
            search: self.manifest.search.get(folder).cloned(),
        })
    }

    /// The files under `folder/sub/` (paths relative to `folder`) of the
    /// search index the earlier build made from pages with `digest`, if it
    /// recorded that digest for `folder` and every file is intact.
    pub fn index(&self, folder: &str, digest: &str, sub: &str) -> Option<Vec<(String, Vec<u8>)>> {
        if self.manifest.search.get(folder).map(String::as_str) != Some(digest) {
            return None;
        }
        let prefix = if folder.is_empty() {
            format!("{sub}/")
        } else {
            format!("{folder}/{sub}/")
        };
        let mut checked = BTreeSet::new();
        let mut files = Vec::new();
        for (rel, entry) in self.manifest.files.range(prefix.clone()..) {
            let Some(inner) = rel.strip_prefix(&prefix) else {
                break;
            };
            let bytes = self.read_listed(rel, &mut checked)?;
            if bytes.len() as u64 != entry.bytes || sha256_hex(&bytes) != entry.sha256 {
                return None;
            }
            files.push((format!("{sub}/{inner}"), bytes));
        }
        (!files.is_empty()).then_some(files)
    }

    /// The manifest's entry for `rel`, if it says the file has the SHA-256
    /// `sha256` and the file on disk vouches for it (as a kept folder's
    /// files must): this build made the same bytes, and the file may be
    /// kept as it is, unread. The write stage checks it again under the
    /// lock. `checked` holds the folders found to be no link so far.
    pub fn unchanged(
        &self,
        rel: &str,
        sha256: &str,
        checked: &mut BTreeSet<PathBuf>,
    ) -> Option<Entry> {
        let entry = self.manifest.files.get(rel)?;
        if entry.sha256 != sha256 {
            return None;
        }
        let meta = self.listed(rel, checked)?;
        let on_disk = Meta {
            len: meta.len(),
            modified: meta.modified().ok(),
        };
        (meta.is_file() && on_disk.vouches_for(entry, self.written)).then(|| entry.clone())
    }

    /// The bytes of a file `unchanged` kept, read back (to index them),
    /// if they are still those of `entry`.
    pub fn read_unchanged(&self, rel: &str, entry: &Entry) -> Option<Vec<u8>> {
        let bytes = self.read_listed(rel, &mut BTreeSet::new())?;
        (bytes.len() as u64 == entry.bytes && sha256_hex(&bytes) == entry.sha256).then_some(bytes)
    }

    /// Whether an interrupted run left a journal in the output: its
    /// manifest may not describe what is on disk until the commit is
    /// finished, so no file is kept on its word.
    pub fn has_journal(&self) -> bool {
        std::fs::symlink_metadata(self.out.join(super::names::JOURNAL)).is_ok()
    }

    /// The bytes of `rel`, if no folder on the way and not the file itself
    /// is a symbolic link.
    fn read_listed(&self, rel: &str, checked: &mut BTreeSet<PathBuf>) -> Option<Vec<u8>> {
        self.listed(rel, checked)?;
        std::fs::read(self.out.join(rel)).ok()
    }

    /// What is at the listed file `rel`, if no part of its path is a
    /// symbolic link.
    fn listed(&self, rel: &str, checked: &mut BTreeSet<PathBuf>) -> Option<std::fs::Metadata> {
        let mut path = self.out.clone();
        let mut meta = None;
        for part in rel.split('/') {
            path.push(part);
            if checked.contains(&path) {
                continue;
            }
            let m = std::fs::symlink_metadata(&path).ok()?;
            if m.file_type().is_symlink() {
                return None;
            }
            checked.insert(path.clone());
            meta = Some(m);
        }
        meta
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Output;
    use crate::write::{Record, write_recorded};

    fn written(dir: &Path) -> PathBuf {
        let out = dir.join("out");
        let output = Output::of_text(&[
            ("index.html", "home"),
            ("pagefind/a.pf_fragment", "A"),
            ("pagefind/b/c.pf_index", "C"),
            ("pagefinder/x", "not the index"),
        ]);
        let record = Record {
            search: [(String::new(), "d1".to_string())].into(),
            ..Record::default()
        };
        write_recorded(&out, &dir.join("site"), &output, &record).unwrap();
        out
    }

    #[test]
    fn an_intact_index_with_the_same_digest_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let out = written(dir.path());
        let previous = Previous::read(&out).unwrap();
        let files = previous.index("", "d1", "pagefind").unwrap();
        assert_eq!(
            files,
            vec![
                ("pagefind/a.pf_fragment".to_string(), b"A".to_vec()),
                ("pagefind/b/c.pf_index".to_string(), b"C".to_vec()),
            ]
        );
        assert!(
            previous.index("", "d2", "pagefind").is_none(),
            "other pages"
        );
        assert!(
            previous.index("alpha", "d1", "pagefind").is_none(),
            "other folder"
        );
    }

    #[test]
    fn a_changed_or_linked_file_means_indexing_again() {
        let dir = tempfile::tempdir().unwrap();
        let out = written(dir.path());
        std::fs::write(out.join("pagefind/a.pf_fragment"), "B").unwrap();
        assert!(
            Previous::read(&out)
                .unwrap()
                .index("", "d1", "pagefind")
                .is_none()
        );

        std::fs::write(out.join("pagefind/a.pf_fragment"), "A").unwrap();
        std::fs::remove_dir_all(out.join("pagefind/b")).unwrap();
        std::fs::create_dir(dir.path().join("elsewhere")).unwrap();
        std::fs::write(dir.path().join("elsewhere/c.pf_index"), "C").unwrap();
        std::os::unix::fs::symlink(dir.path().join("elsewhere"), out.join("pagefind/b")).unwrap();
        assert!(
            Previous::read(&out)
                .unwrap()
                .index("", "d1", "pagefind")
                .is_none()
        );
    }
}
