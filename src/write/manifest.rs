//! `.partnersite-manifest`: the list of files partnersite wrote into an
//! output folder, at its root. It is what makes a folder partnersite's own
//! (only such a folder is ever updated), the only list of files an update
//! may delete, and, with each file's size and hash, what lets an update
//! skip files that did not change without reading them.
//!
//! The format is JSON, one object per file so that it can grow (a later
//! version may say which rule put each file there), with sorted keys, so
//! that two builds of the same input write the same bytes:
//! `{"version": 1, "files": {"a/index.html": {"bytes": 123, "sha256": "…"}}}`.

use std::collections::BTreeMap;
use std::io;
use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::error::{WriteError, io_err};
use super::names::{MANIFEST, is_reserved};
use crate::output::Output;
use crate::values::path::is_inner_path;

/// The version this partnersite writes and reads.
pub const VERSION: u32 = 1;

/// What partnersite wrote into one output folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Who the output is for (`partners`, `partner:alpha`, …), so that
    /// `check --against` can render the same audience again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<String>,
    /// What each partner folder of `--audience partners` was made from
    /// (`build::keep`), by folder: a later build into this output whose
    /// inputs for that folder give the same digest keeps the folder as it
    /// is, without rendering it.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub folders: BTreeMap<String, FolderRecord>,
    /// What each search index of the output was made from
    /// (`search::inputs_digest`), by the folder holding it (`""` for the
    /// output's root, a partner's slug for `--audience partners`): a later
    /// build whose pages give the same digest keeps that index.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub search: BTreeMap<String, String>,
    /// The `--shard K/N` of the build, if it made only part of the partners.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<String>,
    pub version: u32,
    /// Every file written, by `/`-separated path relative to the output.
    pub files: BTreeMap<String, Entry>,
}

/// One file partnersite wrote. Fields are in sorted order (they are
/// written in this order); unknown fields are ignored when read, so a
/// newer partnersite may add some.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Its size.
    pub bytes: u64,
    /// Why the output holds this page (the isolation rule: its audience
    /// and tiers, a co-branded copy, the partner's own report); pages of
    /// partner and public outputs only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// SHA-256 of its bytes, in lowercase hex.
    pub sha256: String,
}

/// What one folder was made from, and what it holds (for the summary of
/// a build that keeps it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FolderRecord {
    pub charts: usize,
    /// The digest of its inputs.
    pub inputs: String,
    pub pages: usize,
    pub sections: usize,
}

/// What a manifest records beyond the files themselves.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record {
    /// The audience of the build.
    pub audience: Option<String>,
    /// Its `--shard`, if any.
    pub shard: Option<String>,
    /// The digest of each search index's pages, by folder.
    pub search: BTreeMap<String, String>,
    /// Why each page is in the output, by output path.
    pub rules: BTreeMap<String, String>,
    /// What each partner folder was made from, by folder.
    pub folders: BTreeMap<String, FolderRecord>,
    /// Files of the earlier output kept as they are (the folders whose
    /// inputs did not change), by output path, as its manifest lists them;
    /// they are in the output without being in the `Output`.
    pub kept: BTreeMap<String, Entry>,
}

impl Default for Manifest {
    fn default() -> Manifest {
        Manifest {
            audience: None,
            folders: BTreeMap::new(),
            search: BTreeMap::new(),
            shard: None,
            version: VERSION,
            files: BTreeMap::new(),
        }
    }
}

impl Entry {
    /// The entry of a file holding `bytes`.
    pub fn of(bytes: &[u8]) -> Entry {
        Entry {
            bytes: bytes.len() as u64,
            rule: None,
            sha256: sha256_hex(bytes),
        }
    }
}

/// SHA-256 in lowercase hex. SHA-256 rather than a faster non-cryptographic
/// hash: the manifest decides which files count as unchanged, and a hash
/// that anyone can collide on purpose would let a crafted file pass as
/// another; hardware SHA extensions make it cheap where they exist.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Bytes in lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut hex = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        // Writing to a String cannot fail.
        let _ = write!(hex, "{b:02x}");
    }
    hex
}

impl Manifest {
    /// The manifest of `output`, hashing its files several at a time.
    pub fn of(output: &Output, record: &Record) -> Manifest {
        let files = output
            .files
            .par_iter()
            .map(|(rel, bytes)| {
                let mut entry = Entry::of(bytes);
                entry.rule = record.rules.get(rel).cloned();
                (rel.clone(), entry)
            })
            .collect::<Vec<_>>()
            .into_iter()
            .chain(record.kept.iter().map(|(p, e)| (p.clone(), e.clone())))
            .collect();
        Manifest {
            audience: record.audience.clone(),
            folders: record.folders.clone(),
            search: record.search.clone(),
            shard: record.shard.clone(),
            version: VERSION,
            files,
        }
    }

    /// The manifest as written to disk: pretty JSON, keys sorted, a final
    /// newline.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes =
            serde_json::to_vec_pretty(self).expect("a map of strings and numbers serializes");
        bytes.push(b'\n');
        bytes
    }

    /// Reads a manifest, checking its version and that every path stays
    /// inside the output folder; the reason it cannot be used otherwise.
    pub fn parse(bytes: &[u8]) -> Result<Manifest, String> {
        #[derive(Deserialize)]
        struct Version {
            version: u32,
        }
        let version = serde_json::from_slice::<Version>(bytes)
            .map_err(|e| format!("it is not a partnersite manifest ({e})"))?
            .version;
        if version != VERSION {
            return Err(format!(
                "it is of version {version}, which this partnersite does not know (it writes version {VERSION}); use the partnersite that wrote it"
            ));
        }
        let manifest: Manifest = serde_json::from_slice(bytes)
            .map_err(|e| format!("it is not a partnersite manifest ({e})"))?;
        if let Some(bad) = manifest
            .files
            .keys()
            .find(|p| !is_inner_path(p) || p.starts_with('/') || is_reserved(p))
        {
            return Err(format!("it lists `{bad}`, a path partnersite never writes"));
        }
        Ok(manifest)
    }

    /// The manifest of the output folder `out`; `None` if it has none.
    pub fn read(out: &Path) -> Result<Option<Manifest>, WriteError> {
        let path = out.join(MANIFEST);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io_err(&path)(e)),
        };
        Manifest::parse(&bytes)
            .map(Some)
            .map_err(|why| WriteError::BadManifest { path, why })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_manifest_is_sorted_json_with_an_object_per_file() {
        let output = Output::of_text(&[("b.txt", "B"), ("a/index.html", "A")]);
        let text = String::from_utf8(Manifest::of(&output, &Record::default()).to_bytes()).unwrap();
        let a = sha256_hex(b"A");
        assert_eq!(
            text,
            format!(
                "{{\n  \"version\": 1,\n  \"files\": {{\n    \"a/index.html\": {{\n      \"bytes\": 1,\n      \"sha256\": \"{a}\"\n    }},\n    \"b.txt\": {{\n      \"bytes\": 1,\n      \"sha256\": \"{}\"\n    }}\n  }}\n}}\n",
                sha256_hex(b"B")
            )
        );
        assert_eq!(
            Manifest::parse(text.as_bytes()).unwrap(),
            Manifest::of(&output, &Record::default())
        );
    }

    #[test]
    fn sha256_is_the_standard_one() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn a_manifest_with_a_path_outside_the_output_is_refused() {
        for bad in ["../x", "/etc/passwd", "a/../../x", ".partnersite-commit"] {
            let text =
                format!(r#"{{"version":1,"files":{{"{bad}":{{"bytes":1,"sha256":"00"}}}}}}"#);
            assert!(Manifest::parse(text.as_bytes()).is_err(), "{bad}");
        }
    }

    #[test]
    fn unknown_versions_are_refused_and_new_fields_are_read() {
        let newer = br#"{"version":2,"files":{}}"#;
        assert!(Manifest::parse(newer).unwrap_err().contains("version 2"));
        let grown = br#"{"version":1,"files":{"a":{"bytes":1,"rule":"x","sha256":"00"}}}"#;
        assert_eq!(Manifest::parse(grown).unwrap().files["a"].bytes, 1);
        assert!(Manifest::parse(b"not json").is_err());
    }
}
