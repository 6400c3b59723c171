//! Why writing the output failed. Every message names the folder or file,
//! and says what state the output was left in only where that is known.

use std::io;
use std::path::{Path, PathBuf};

/// Why the output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// `--out` is the site, above it, or in one of its source folders.
    #[error("refusing to replace {}: {why} (pick another --out)", out.display())]
    Unsafe { out: PathBuf, why: String },
    #[error("refusing to replace {0}: it is a file, not an output folder (pick another --out)")]
    NotAFolder(PathBuf),
    #[error(
        "refusing to replace {}: it is a symbolic link (to {}); give the folder itself as --out",
        out.display(),
        target.display()
    )]
    Symlink { out: PathBuf, target: PathBuf },
    /// A folder that partnersite did not write: it has files and no manifest.
    #[error(
        "refusing to replace {}: it is not empty and partnersite did not write it (it has no {manifest}; it holds {sample}); nothing was changed. Pick another --out, or, if it is the output of an older partnersite, delete it and build again",
        out.display(),
        manifest = super::names::MANIFEST
    )]
    Foreign { out: PathBuf, sample: String },
    #[error(
        "cannot read {}: {why}; partnersite cannot tell which files of this folder it wrote, so it changes none (delete the folder and build again)",
        path.display()
    )]
    BadManifest { path: PathBuf, why: String },
    /// A new output file would replace something partnersite did not write.
    #[error(
        "refusing to overwrite {}: it is {what} that partnersite did not write, and the new output puts `{file}` there; nothing was changed (move it out of the output folder, or rename what the site puts there)",
        path.display()
    )]
    InTheWay {
        path: PathBuf,
        what: &'static str,
        file: String,
    },
    /// An in-place update is impossible and a replace would lose files.
    #[error(
        "cannot update {} in place (`{turned}` turns from a file into a folder or back), and replacing the folder as a whole would lose what partnersite did not write there: {sample}; nothing was changed (move those out of the folder and build again)",
        out.display()
    )]
    WouldLose {
        out: PathBuf,
        turned: String,
        sample: String,
    },
    /// A file of a folder the build kept as the earlier build left it
    /// changed (or went) before the write.
    #[error(
        "cannot keep {} as the earlier build left it: it changed while this build ran (another build, or an edit); nothing was changed (build again)",
        path.display()
    )]
    KeptChanged { path: PathBuf },
    #[error("refusing to write {0}: the path leads outside the output folder")]
    Outside(String),
    #[error(
        "refusing to write {0}: partnersite keeps that name for its own files in the output folder (rename the file)"
    )]
    Reserved(String),
    /// Failed before anything visible changed.
    #[error("cannot write {}: {source}; {}", path.display(), unchanged(*leftovers))]
    Io {
        path: PathBuf,
        source: io::Error,
        /// Temporary files or new folders that could not be removed again.
        leftovers: usize,
    },
    /// The lock beside the output could not be taken.
    #[error("cannot lock {}: {source}; nothing was changed", path.display())]
    Lock { path: PathBuf, source: io::Error },
    /// A commit stopped part way: the journal is kept for the next run.
    #[error(
        "could not finish updating {}: {progress} before it failed: {step}; build again (once that is fixed) to finish: the journal {} is kept, and the next run completes this update first",
        out.display(),
        out.join(super::names::JOURNAL).display()
    )]
    Commit {
        out: PathBuf,
        progress: String,
        step: String,
    },
    /// The commit an earlier run left could not be finished.
    #[error(
        "could not finish the update of {} that an earlier build left part done: {progress} before it failed again: {step}; the folder holds part of that update. Fix the cause and build again (the journal {} is kept)",
        out.display(),
        out.join(super::names::JOURNAL).display()
    )]
    Recover {
        out: PathBuf,
        progress: String,
        step: String,
    },
    /// The new output could not be moved in, nor the previous one back.
    #[error(
        "cannot move the new output into {}: {source}; the previous output is at {} (the next build puts it back)",
        out.display(),
        old.display()
    )]
    Swap {
        out: PathBuf,
        old: PathBuf,
        source: io::Error,
    },
}

fn unchanged(leftovers: usize) -> String {
    match leftovers {
        0 => "the previous output is unchanged".to_string(),
        n => format!(
            "the previous output's files are unchanged, but {n} temporary file{} or new folder{} could not be removed (the next build removes them)",
            if n == 1 { "" } else { "s" },
            if n == 1 { "" } else { "s" }
        ),
    }
}

/// An `Io` error at `path`, before anything visible changed.
pub(crate) fn io_err(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
        leftovers: 0,
    }
}

impl WriteError {
    /// The same error, noting what could not be cleaned up after it.
    pub(crate) fn with_leftovers(self, n: usize) -> WriteError {
        match self {
            WriteError::Io { path, source, .. } if n > 0 => WriteError::Io {
                path,
                source,
                leftovers: n,
            },
            other => other,
        }
    }
}

impl WriteError {
    /// The stable code of the failure.
    pub fn code(&self) -> crate::diagnostic::Code {
        use crate::diagnostic::Code;
        match self {
            WriteError::Unsafe { .. }
            | WriteError::NotAFolder(_)
            | WriteError::Symlink { .. }
            | WriteError::Foreign { .. }
            | WriteError::BadManifest { .. } => Code::OutRefused,
            WriteError::InTheWay { .. } | WriteError::WouldLose { .. } => Code::InTheWayOfOutput,
            WriteError::Lock { .. } => Code::CannotLock,
            WriteError::Commit { .. } | WriteError::Recover { .. } => Code::CommitUnfinished,
            _ => Code::WriteFailed,
        }
    }
}
