//! Which folders partnersite may write: `--out` resolved (`..` and links),
//! refused if it is the site, above it, or at or inside one of its source
//! folders (whether or not that folder exists yet), and, once the lock is
//! held, refused unless it is missing, empty or holds partnersite's
//! manifest. Nothing here changes the disk.

use std::io;
use std::path::{Component, Path, PathBuf};

use super::error::WriteError;
use super::manifest::Manifest;

/// The site's own source folders: the output may never be at or inside
/// one of them.
pub const SOURCES: [&str; 6] = ["content", "data", "templates", "static", "themes", ".git"];

/// `path` made absolute, with `..` resolved and every symbolic link along
/// it followed: each part that exists is resolved on the disk (which also
/// gives its real letter case), what does not exist yet is appended as
/// written, so `x/../site/static` through a missing `x` is `site/static`.
/// `Err` with the link when `path` itself is a symbolic link.
pub fn resolve(path: &Path) -> Result<PathBuf, Resolve> {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().map_err(Resolve::Io)?.join(path)
    };
    let mut resolved = PathBuf::new();
    // The last part named, if it is a symbolic link.
    let mut last_link = None;
    for part in absolute.components() {
        match part {
            Component::Prefix(_) | Component::RootDir => resolved.push(part),
            Component::CurDir => {}
            Component::ParentDir => {
                resolved.pop();
                last_link = None;
            }
            Component::Normal(name) => {
                resolved.push(name);
                last_link = None;
                let Ok(meta) = std::fs::symlink_metadata(&resolved) else {
                    continue;
                };
                if meta.file_type().is_symlink() {
                    last_link = Some(resolved.clone());
                }
                resolved = std::fs::canonicalize(&resolved).map_err(|e| match &last_link {
                    Some(link) => Resolve::Dangling(link.clone(), e),
                    None => Resolve::Io(e),
                })?;
            }
        }
    }
    match last_link {
        Some(_) => Err(Resolve::Link(resolved)),
        None => Ok(resolved),
    }
}

/// Why `resolve` gave no folder.
#[derive(Debug)]
pub enum Resolve {
    /// The path is a symbolic link to this.
    Link(PathBuf),
    /// A symbolic link along the path leads nowhere.
    Dangling(PathBuf, io::Error),
    Io(io::Error),
}

/// Resolves `out` and refuses the site root, a folder above it and its
/// source folders. Returns the resolved output folder.
pub fn check(out: &Path, root: &Path) -> Result<PathBuf, WriteError> {
    let unsafe_because = |why: String| WriteError::Unsafe {
        out: out.to_path_buf(),
        why,
    };
    let resolved = match resolve(out) {
        Ok(r) => r,
        Err(Resolve::Link(target)) => {
            return Err(WriteError::Symlink {
                out: out.to_path_buf(),
                target,
            });
        }
        Err(Resolve::Dangling(link, e)) => {
            return Err(unsafe_because(format!(
                "{} on the way is a symbolic link that cannot be followed ({e})",
                link.display()
            )));
        }
        Err(Resolve::Io(e)) => return Err(unsafe_because(format!("it cannot be resolved ({e})"))),
    };
    let root = match resolve(root) {
        Ok(r) | Err(Resolve::Link(r)) => r,
        Err(_) => root.to_path_buf(),
    };
    let shown = |p: &Path| {
        if p == out {
            String::new()
        } else {
            format!(" ({})", p.display())
        }
    };
    if resolved == root {
        return Err(unsafe_because(format!(
            "it is the site's root folder{}",
            shown(&resolved)
        )));
    }
    if root.starts_with(&resolved) {
        return Err(unsafe_because(format!(
            "it holds the site's root folder {}",
            root.display()
        )));
    }
    if let Ok(below) = resolved.strip_prefix(&root) {
        let first = below
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned());
        // In any letter case: on a case-insensitive disk `Static/` is
        // `static/`, and no output needs such a name.
        if let Some(source) =
            first.and_then(|f| SOURCES.iter().find(|s| s.eq_ignore_ascii_case(&f)))
        {
            let place = if below.components().count() == 1 {
                "the site's"
            } else {
                "inside the site's"
            };
            return Err(unsafe_because(format!(
                "it is {place} {source}/ folder{}, which partnersite reads (whether or not it exists yet)",
                shown(&resolved)
            )));
        }
    }
    Ok(resolved)
}

/// What is at the output path, once the lock is held.
#[derive(Debug)]
pub enum Folder {
    /// Nothing: a new output folder is written.
    Missing,
    /// A folder partnersite may update: it holds this manifest (the default
    /// one for an empty folder) and whether the manifest is on disk.
    Owned { manifest: Manifest, on_disk: bool },
}

/// What is at `out` (resolved); refuses anything partnersite did not write.
/// `shown` is the path as the user gave it, for messages.
pub fn classify(out: &Path, shown: &Path) -> Result<Folder, WriteError> {
    let meta = match std::fs::symlink_metadata(out) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Folder::Missing),
        Err(e) => return Err(super::error::io_err(out)(e)),
        Ok(m) => m,
    };
    if meta.file_type().is_symlink() {
        let target = std::fs::read_link(out).unwrap_or_default();
        return Err(WriteError::Symlink {
            out: shown.to_path_buf(),
            target,
        });
    }
    if !meta.is_dir() {
        return Err(WriteError::NotAFolder(shown.to_path_buf()));
    }
    if let Some(manifest) = Manifest::read(out)? {
        return Ok(Folder::Owned {
            manifest,
            on_disk: true,
        });
    }
    let mut names: Vec<String> = std::fs::read_dir(out)
        .map_err(super::error::io_err(out))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    if names.is_empty() {
        return Ok(Folder::Owned {
            manifest: Manifest::default(),
            on_disk: false,
        });
    }
    names.sort();
    Err(WriteError::Foreign {
        out: shown.to_path_buf(),
        sample: sample(&names),
    })
}

/// A few names of a list, for a message: `a, b, c and 4 more`.
pub fn sample(names: &[String]) -> String {
    const SHOWN: usize = 3;
    let mut text = names
        .iter()
        .take(SHOWN)
        .map(|n| n.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        text.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("site/content")).unwrap();
        tmp
    }

    #[test]
    fn missing_parts_are_resolved_as_written() {
        let tmp = site();
        let base = std::fs::canonicalize(tmp.path()).unwrap();
        let through_missing = tmp.path().join("x/../site/templates/out");
        assert_eq!(
            resolve(&through_missing).unwrap(),
            base.join("site/templates/out")
        );
    }

    #[cfg(unix)]
    #[test]
    fn links_on_the_way_are_followed_and_a_link_at_the_end_is_refused() {
        let tmp = site();
        let base = std::fs::canonicalize(tmp.path()).unwrap();
        std::os::unix::fs::symlink(base.join("site"), base.join("link")).unwrap();
        assert_eq!(
            resolve(&base.join("link/static/x")).unwrap(),
            base.join("site/static/x")
        );
        assert!(
            matches!(resolve(&base.join("link")), Err(Resolve::Link(t)) if t == base.join("site"))
        );
    }

    #[test]
    fn source_folders_are_refused_whether_or_not_they_exist() {
        let tmp = site();
        let root = tmp.path().join("site");
        for out in [
            "site",
            ".",
            "site/content",
            "site/static/preview",
            "site/Static/preview",
            "site/data/x",
            "x/../site/templates/out",
            "site/.git",
            "site/themes/cafe/public",
        ] {
            let r = check(&tmp.path().join(out), &root);
            assert!(matches!(r, Err(WriteError::Unsafe { .. })), "{out}: {r:?}");
        }
        for out in ["site/public", "public", "site/content-out/x"] {
            assert!(check(&tmp.path().join(out), &root).is_ok(), "{out}");
        }
    }

    #[test]
    fn only_missing_empty_and_own_folders_may_be_written() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        assert!(matches!(classify(&out, &out), Ok(Folder::Missing)));
        std::fs::create_dir(&out).unwrap();
        assert!(matches!(
            classify(&out, &out),
            Ok(Folder::Owned { on_disk: false, .. })
        ));
        std::fs::create_dir(out.join(".ssh")).unwrap();
        let r = classify(&out, &out);
        assert!(
            matches!(r, Err(WriteError::Foreign { ref sample, .. }) if sample == ".ssh"),
            "{r:?}"
        );
        std::fs::write(out.join(super::super::names::MANIFEST), "garbage").unwrap();
        assert!(matches!(
            classify(&out, &out),
            Err(WriteError::BadManifest { .. })
        ));
        std::fs::write(
            out.join(super::super::names::MANIFEST),
            Manifest::default().to_bytes(),
        )
        .unwrap();
        assert!(matches!(
            classify(&out, &out),
            Ok(Folder::Owned { on_disk: true, .. })
        ));
        let file = tmp.path().join("file");
        std::fs::write(&file, "x").unwrap();
        assert!(matches!(
            classify(&file, &file),
            Err(WriteError::NotAFolder(_))
        ));
    }
}
