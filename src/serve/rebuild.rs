//! Rebuilding the site in memory when its files change.
//!
//! `Rebuilder::rebuild` takes the set of changed files and returns a new
//! `Output` (or every diagnostic). Today it re-runs the whole pipeline
//! (`build::render_audience`), which is what `build` does, minus the write; the
//! `Changes` it receives are there so that it can become incremental without
//! changing its callers. The one `Highlighter` is kept across rebuilds: its
//! cache means unchanged code blocks are not highlighted again.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::audience::Audience;
use crate::build::{self, Failure};
use crate::data::Quarter;
use crate::diagnostic::{self, Diagnostic};
use crate::highlight::Highlighter;
use crate::output::Output;
use crate::render::Stats;
use crate::site::LoadOptions;

/// Files that changed since the last build, relative to the site root.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    pub paths: BTreeSet<PathBuf>,
}

impl Changes {
    /// A short description for the terminal: one path, or a count.
    pub fn describe(&self) -> String {
        match self.paths.len() {
            0 => "start".to_string(),
            1 => self
                .paths
                .iter()
                .map(|p| diagnostic::display_path(p))
                .collect(),
            n => format!("{n} files"),
        }
    }
}

/// A good build, ready to be served.
#[derive(Debug)]
pub struct Built {
    pub output: Output,
    pub stats: Stats,
    pub elapsed: Duration,
}

/// Builds the site again and again, keeping what can be kept.
pub struct Rebuilder {
    load: LoadOptions,
    quarter: Option<Quarter>,
    audience: Audience,
    highlighter: Highlighter,
}

impl Rebuilder {
    pub fn new(load: LoadOptions, quarter: Option<Quarter>, audience: Audience) -> Self {
        Rebuilder {
            load,
            quarter,
            audience,
            highlighter: Highlighter::new(),
        }
    }

    pub fn root(&self) -> &Path {
        &self.load.root
    }

    /// Rebuilds after `changes`. Every change leads to a full rebuild for
    /// now; the diagnostics come sorted, as `build` prints them.
    pub fn rebuild(&self, changes: &Changes) -> Result<Built, Vec<Diagnostic>> {
        let _ = changes; // the hook for incremental rebuilds
        let start = Instant::now();
        let built =
            build::render_audience(&self.load, self.quarter, &self.audience, &self.highlighter);
        match built {
            Ok((output, stats)) => Ok(Built {
                output,
                stats,
                elapsed: start.elapsed(),
            }),
            Err(Failure::Site(mut d)) => {
                diagnostic::sort(&mut d);
                Err(d)
            }
            // A partner that does not exist (yet): the site may gain it.
            Err(Failure::Usage(message)) => Err(vec![Diagnostic::error("data/partners", message)]),
            Err(Failure::Write(e)) => Err(vec![Diagnostic::error(".", e.to_string())]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_describe_one_path_or_a_count() {
        let mut c = Changes::default();
        assert_eq!(c.describe(), "start");
        c.paths.insert(PathBuf::from("content/a.md"));
        assert_eq!(c.describe(), "content/a.md");
        c.paths.insert(PathBuf::from("site.toml"));
        assert_eq!(c.describe(), "2 files");
    }
}
