//! Why writing the output failed.

use std::io;
use std::path::{Path, PathBuf};

/// Why the output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("refusing to replace {0}: it holds the site's own files (pick another --out)")]
    Unsafe(PathBuf),
    #[error("refusing to replace {0}: it is a file, not an output folder (pick another --out)")]
    NotAFolder(PathBuf),
    #[error("refusing to write {0}: the path leads outside the output folder")]
    Outside(String),
    #[error("cannot write {path}: {source}; the previous output is unchanged")]
    Io { path: PathBuf, source: io::Error },
}

pub(crate) fn io_err(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    }
}
