//! The write stage: an `Output` onto the disk, atomically.
//!
//! `write` replaces the output folder only after everything was rendered
//! and validated: an existing output is updated in place through a commit
//! journal (`update`), a new one is written as a staging folder beside it
//! and swapped in. A failed build, or a failure while writing, leaves the
//! previous output exactly as it was. This is the only stage that writes.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use crate::output::Output;
use crate::values::path::is_inner_path;

mod error;
mod update;

pub use error::WriteError;
use error::io_err;

/// Writes `output` to `out`, replacing whatever was there. An existing
/// output folder is updated in place (only changed files are written, see
/// `update`); otherwise a staging folder is written and moved into place.
pub fn write(out: &Path, root: &Path, output: &Output) -> Result<(), WriteError> {
    check_safe(out, root)?;
    // Whatever produced them, no path may leave the output folder.
    let outside = |p: &&String| !is_inner_path(p) || p.starts_with('/');
    if let Some(bad) = output.files.keys().find(outside) {
        return Err(WriteError::Outside(bad.clone()));
    }
    if std::fs::metadata(out).is_ok_and(|m| !m.is_dir()) {
        return Err(WriteError::NotAFolder(out.to_path_buf()));
    }
    clear_leftovers(out)?;
    if out.is_dir() && update::update(out, output)?.is_some() {
        return Ok(());
    }
    replace(out, output)
}

/// The folder holding `out`, and the staging and old folders that
/// `replace` keeps beside it.
fn siblings(out: &Path) -> (&Path, PathBuf, PathBuf) {
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = out
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    let staging = parent.join(format!(".{name}.partnersite-new"));
    let old = parent.join(format!(".{name}.partnersite-old"));
    (parent, staging, old)
}

/// Whether an earlier run was interrupted while writing `out`: it left a
/// staging or old folder beside it, or a commit journal in it.
pub fn interrupted(out: &Path) -> bool {
    let (_, staging, old) = siblings(out);
    staging.exists() || old.exists() || out.join(update::JOURNAL).exists()
}

/// Cleans up after a run interrupted while replacing `out`: a previous
/// output already moved aside is put back, and the staging folder (never a
/// complete output until swapped in) is removed.
fn clear_leftovers(out: &Path) -> Result<(), WriteError> {
    let (_, staging, old) = siblings(out);
    if !out.exists() && old.is_dir() {
        std::fs::rename(&old, out).map_err(io_err(out))?;
    }
    remove_if_exists(&staging)?;
    remove_if_exists(&old)
}

/// Writes a staging folder beside `out` and swaps it in.
fn replace(out: &Path, output: &Output) -> Result<(), WriteError> {
    let (parent, staging, old) = siblings(out);
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
    })?;
    if let Err(e) = write_tree(&staging, output) {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    swap(out, &staging, &old)
}

/// Removes a leftover folder (or a file or link of that name).
fn remove_if_exists(path: &Path) -> Result<(), WriteError> {
    let removed = match std::fs::symlink_metadata(path) {
        Err(_) => return Ok(()),
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
    };
    match removed {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(io_err(path)(e)),
        _ => Ok(()),
    }
}

/// Writes every file under `dir` (a new folder), several at a time:
/// creating 10,000 folders and files one after the other waits on the disk
/// each time.
fn write_tree(dir: &Path, output: &Output) -> Result<(), WriteError> {
    use rayon::prelude::*;
    std::fs::create_dir_all(dir).map_err(io_err(dir))?;
    // Folders level by level, so that each one's parent exists.
    let mut levels: BTreeMap<usize, std::collections::BTreeSet<&str>> = BTreeMap::new();
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
            std::fs::create_dir(&path).map_err(io_err(&path))
        })?;
    }
    output.files.par_iter().try_for_each(|(rel, bytes)| {
        let path = dir.join(rel);
        std::fs::write(&path, bytes).map_err(io_err(&path))
    })
}

/// Puts `staging` in place of `out`, keeping `out` if anything fails.
fn swap(out: &Path, staging: &Path, old: &Path) -> Result<(), WriteError> {
    let had_old = out.exists();
    if had_old {
        std::fs::rename(out, old).map_err(|e| {
            let _ = std::fs::remove_dir_all(staging);
            io_err(out)(e)
        })?;
    }
    if let Err(e) = std::fs::rename(staging, out) {
        if had_old {
            let _ = std::fs::rename(old, out);
        }
        let _ = std::fs::remove_dir_all(staging);
        return Err(io_err(out)(e));
    }
    if had_old {
        let _ = std::fs::remove_dir_all(old);
    }
    Ok(())
}

/// The site's own source folders: the output may never be one of them.
const SOURCES: [&str; 6] = ["content", "data", "templates", "static", "themes", ".git"];

/// Refuses to replace the site root, a folder above it, one of its source
/// folders (or a folder inside one), or a folder that looks like a site: a
/// typo in `--out` must never delete the content.
fn check_safe(out: &Path, root: &Path) -> Result<(), WriteError> {
    let canon = |p: &Path| {
        // The output may not exist yet: resolve its parent instead.
        std::fs::canonicalize(p).unwrap_or_else(|_| match (p.parent(), p.file_name()) {
            (Some(parent), Some(name)) => std::fs::canonicalize(if parent.as_os_str().is_empty() {
                Path::new(".")
            } else {
                parent
            })
            .map(|c| c.join(name))
            .unwrap_or_else(|_| p.to_path_buf()),
            _ => p.to_path_buf(),
        })
    };
    let out_c = canon(out);
    let root_c = canon(root);
    let in_sources = SOURCES.iter().any(|s| out_c.starts_with(root_c.join(s)));
    if root_c.starts_with(&out_c)
        || in_sources
        || out.join("site.toml").exists()
        || out.join("content").is_dir()
        || out.join(".git").exists()
    {
        return Err(WriteError::Unsafe(out.to_path_buf()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn output(files: &[(&str, &str)]) -> Output {
        Output::of_text(files)
    }

    #[test]
    fn write_replaces_the_whole_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        write(
            &out,
            tmp.path().join("site").as_path(),
            &output(&[("a/index.html", "A"), ("stale.txt", "x")]),
        )
        .unwrap();
        write(
            &out,
            tmp.path().join("site").as_path(),
            &output(&[("a/index.html", "B")]),
        )
        .unwrap();
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
        for out in ["content", "content/public", "static", "data/x"] {
            let r = write(&tmp.path().join(out), tmp.path(), &output(&[]));
            assert!(matches!(r, Err(WriteError::Unsafe(_))), "{out}");
        }
        assert!(tmp.path().join("content/a.md").exists());
    }

    #[test]
    fn refuses_to_replace_the_site_root() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("site.toml"), "").unwrap();
        let r = write(tmp.path(), tmp.path(), &output(&[]));
        assert!(matches!(r, Err(WriteError::Unsafe(_))));
        assert!(tmp.path().join("site.toml").exists());
    }
}
