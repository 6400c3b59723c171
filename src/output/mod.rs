//! The rendered site in memory: output paths and their bytes, the rules of
//! which paths may stand together, and how a URL path finds its file
//! (`url`), the one rule that `serve` answers requests by and `check`
//! checks links by.
//!
//! Render produces an `Output`; search adds its index to it; write puts it
//! on disk. Nothing here touches the disk.

pub mod url;

use std::collections::{BTreeMap, HashMap};

use bytes::Bytes;

/// Files to write: relative output path (`sales/x/index.html`) → bytes.
/// The bytes are shared: cloning an `Output` (as `serve` does to patch the
/// last build) copies no file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    pub files: BTreeMap<String, Bytes>,
}

/// Two output paths that cannot both be written as they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conflict {
    /// The file `file` is in the way of the folder holding `inner`.
    FileIsFolder { file: String, inner: String },
    /// The paths differ only in letter case: one replaces the other on a
    /// case-insensitive host.
    Case { first: String, second: String },
}

impl Output {
    /// Adds a file. Two producers of one path is a problem of the site (a
    /// page whose URL is also a generated page): `Err` gives the path back
    /// for the caller to report, and the first file stays.
    pub fn add(
        &mut self,
        path: impl Into<String>,
        bytes: impl Into<Vec<u8>>,
    ) -> Result<(), String> {
        let path = path.into();
        if self.files.contains_key(&path) {
            return Err(path);
        }
        self.files.insert(path, compact(bytes.into()));
        Ok(())
    }

    /// Moves every file of `other` under `prefix/`.
    pub fn nest(&mut self, prefix: &str, other: Output) {
        for (path, bytes) in other.files {
            self.files.insert(format!("{prefix}/{path}"), bytes);
        }
    }

    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(|b| &b[..])
    }

    pub fn total_bytes(&self) -> usize {
        self.files.values().map(Bytes::len).sum()
    }

    /// Every pair of paths that cannot stand together on a host: a file
    /// where another path needs a folder, and paths equal but for case.
    pub fn conflicts(&self) -> Vec<Conflict> {
        let mut found = Vec::new();
        let mut by_case: HashMap<String, &str> = HashMap::new();
        for key in self.files.keys() {
            if let Some(first) = by_case.insert(key.to_lowercase(), key) {
                found.push(Conflict::Case {
                    first: first.to_string(),
                    second: key.clone(),
                });
            }
            let folder = format!("{key}/");
            if let Some((inner, _)) = self.files.range(folder.clone()..).next()
                && inner.starts_with(&folder)
            {
                found.push(Conflict::FileIsFolder {
                    file: key.clone(),
                    inner: inner.clone(),
                });
            }
        }
        found
    }

    /// An `Output` of text files, for tests.
    #[cfg(test)]
    pub(crate) fn of_text(files: &[(&str, &str)]) -> Output {
        let mut o = Output::default();
        for (p, b) in files {
            o.files.insert(p.to_string(), Bytes::from(b.to_string()));
        }
        o
    }
}

/// The bytes without the spare capacity a growing `String` leaves (up to
/// half of it): a large site's output is held in memory until written.
pub fn compact(mut bytes: Vec<u8>) -> Bytes {
    bytes.shrink_to_fit();
    Bytes::from(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_paths_are_refused() {
        let mut o = Output::of_text(&[("a.html", "1")]);
        assert_eq!(o.add("a.html", "2"), Err("a.html".to_string()));
        assert_eq!(o.get("a.html"), Some(&b"1"[..]));
    }

    #[test]
    fn case_and_file_folder_conflicts_are_found() {
        let o = Output::of_text(&[
            ("Logo.svg", ""),
            ("logo.svg", ""),
            ("kit", ""),
            ("kit/index.html", ""),
            ("kits/a", ""),
        ]);
        let found = o.conflicts();
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found.contains(&Conflict::FileIsFolder {
            file: "kit".into(),
            inner: "kit/index.html".into()
        }));
        assert!(found.iter().any(|c| matches!(c, Conflict::Case { .. })));
    }
}
