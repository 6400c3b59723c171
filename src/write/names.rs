//! The names partnersite gives its own files, inside the output folder and
//! beside it. No output file may take one of them (`is_reserved`).

use std::path::{Path, PathBuf};

/// What partnersite wrote into an output folder, at its root.
pub const MANIFEST: &str = ".partnersite-manifest";
/// The journal of a commit in progress, at the output's root.
pub const JOURNAL: &str = ".partnersite-commit";
/// Suffix of the temporary file written beside each changed file.
pub const TMP: &str = ".partnersite-tmp";

/// `.<name>.partnersite-tmp`, beside `path`.
pub fn temp_of(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}{TMP}"))
}

/// Whether a file name is one of partnersite's temporary files.
pub fn is_temp(name: &str) -> bool {
    name.starts_with('.') && name.ends_with(TMP)
}

/// Whether an output path would take a name partnersite keeps for itself.
pub fn is_reserved(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    rel == MANIFEST || rel == JOURNAL || name.ends_with(TMP)
}

/// The files partnersite keeps beside an output folder `<parent>/<name>`.
#[derive(Debug, Clone)]
pub struct Beside {
    /// The folder holding the output.
    pub parent: PathBuf,
    /// A new output is written here, then moved into place.
    pub staging: PathBuf,
    /// An output being replaced as a whole is moved here first.
    pub old: PathBuf,
    /// Held while writing, so that two builds never mix.
    pub lock: PathBuf,
}

/// The names beside `out` (a resolved path, so it has a parent and a name).
pub fn beside(out: &Path) -> Beside {
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let name = out
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    Beside {
        staging: parent.join(format!(".{name}.partnersite-new")),
        old: parent.join(format!(".{name}.partnersite-old")),
        lock: parent.join(format!(".{name}.partnersite-lock")),
        parent,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partnersites_own_names_are_reserved() {
        assert!(is_reserved(MANIFEST));
        assert!(is_reserved(JOURNAL));
        assert!(is_reserved("a/.index.html.partnersite-tmp"));
        assert!(!is_reserved("a/.partnersite-manifest"));
        assert!(!is_reserved("index.html"));
    }

    #[test]
    fn temporary_files_sit_beside_their_file() {
        assert_eq!(
            temp_of(Path::new("out/a/index.html")),
            Path::new("out/a/.index.html.partnersite-tmp")
        );
        assert!(is_temp(".index.html.partnersite-tmp"));
        assert!(!is_temp("index.html"));
    }
}
