//! What the write stage did, for the summary and the note about an earlier
//! build that was interrupted.

use std::path::PathBuf;

/// What `write` did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    /// What was left by an earlier build, interrupted while writing this
    /// output, and what was done about it (before writing).
    pub recovered: Vec<Recovery>,
    /// For an update in place, what it changed.
    pub updated: Option<Updated>,
}

/// What an update in place did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Updated {
    pub written: usize,
    pub deleted: usize,
    pub unchanged: usize,
}

/// One thing an interrupted build left, and what this one did about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recovery {
    /// Its commit journal was carried out to the end.
    CommitFinished { replaced: usize, deleted: usize },
    /// Its temporary files (written before its commit began) were removed.
    TempsRemoved(usize),
    /// Its half-written new output folder was removed.
    StagingRemoved(PathBuf),
    /// The previous output, moved aside to be replaced, was put back.
    PreviousRestored(PathBuf),
    /// The previous output it had moved aside, and replaced, was removed.
    OldRemoved(PathBuf),
    /// That folder holds files partnersite did not write, so it is kept.
    OldKept(PathBuf),
}

impl std::fmt::Display for Recovery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let files = |n: usize| if n == 1 { "file" } else { "files" };
        match self {
            Recovery::CommitFinished { replaced, deleted } => write!(
                f,
                "its update was finished ({replaced} more {} replaced, {deleted} {} deleted)",
                files(*replaced),
                files(*deleted)
            ),
            Recovery::TempsRemoved(n) => write!(
                f,
                "{n} temporary {} it left {} removed",
                files(*n),
                if *n == 1 { "was" } else { "were" }
            ),
            Recovery::StagingRemoved(p) => {
                write!(f, "its half-written new output {} was removed", p.display())
            }
            Recovery::PreviousRestored(p) => write!(
                f,
                "the previous output, which it had moved aside, was put back in {}",
                p.display()
            ),
            Recovery::OldRemoved(p) => write!(
                f,
                "the previous output it had replaced, left at {}, was removed",
                p.display()
            ),
            Recovery::OldKept(p) => write!(
                f,
                "it left the previous output at {}, which holds files partnersite did not write (or has no manifest), so it is kept: look through it and delete it",
                p.display()
            ),
        }
    }
}
