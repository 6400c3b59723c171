//! Watching the site's sources and batching their changes.
//!
//! `Watcher` follows `content/`, `data/`, `themes/`, `templates/`,
//! `static/` (recursively) and the root itself (for `site.toml`, and for
//! those folders when they appear later). `next_changes` blocks until a
//! change arrives, then waits for a short quiet spell so that one save,
//! which an editor may turn into several events, gives one rebuild; the
//! spell is shorter once every changed file is known to be finished
//! (closed after writing, or renamed into place).

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};

use super::rebuild::Changes;

/// The folders whose files make the site.
pub const WATCHED: [&str; 5] = ["content", "data", "themes", "templates", "static"];
/// A batch ends after this long without a new event…
const QUIET: Duration = Duration::from_millis(15);
/// …or this long, once every changed file was last closed after writing
/// or renamed into place (a save is done, though another may follow at
/// once, as "save all" does)…
const QUIET_FINISHED: Duration = Duration::from_millis(3);
/// …or this long after its first event, whichever comes first.
const MAX_WAIT: Duration = Duration::from_millis(300);

/// The site's sources, watched.
pub struct Watcher {
    inner: RecommendedWatcher,
    events: Receiver<notify::Result<notify::Event>>,
    root: PathBuf,
}

impl Watcher {
    /// Starts watching the site at `root`.
    pub fn new(root: &Path) -> notify::Result<Watcher> {
        let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let (tx, events) = mpsc::channel();
        let mut inner = notify::recommended_watcher(move |e| {
            let _ = tx.send(e);
        })?;
        inner.watch(&root, RecursiveMode::NonRecursive)?;
        let mut watcher = Watcher {
            inner,
            events,
            root,
        };
        for dir in WATCHED {
            watcher.watch_folder(dir)?;
        }
        Ok(watcher)
    }

    fn watch_folder(&mut self, dir: &str) -> notify::Result<()> {
        let path = self.root.join(dir);
        if path.is_dir() {
            self.inner.watch(&path, RecursiveMode::Recursive)?;
        }
        Ok(())
    }

    /// Blocks until some source files changed and the changes settled;
    /// `None` when watching stopped.
    pub fn next_changes(&mut self) -> Option<Changes> {
        let mut changes = Changes::default();
        // Whether each changed path's writer is done (see `finished`).
        let mut done = BTreeMap::new();
        while changes.paths.is_empty() {
            let event = self.events.recv().ok()?;
            self.take(event, &mut changes, &mut done);
        }
        let deadline = Instant::now() + MAX_WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            let quiet = match done.values().all(|d| *d) {
                true => QUIET_FINISHED,
                false => QUIET,
            };
            match self.events.recv_timeout(quiet.min(left)) {
                Ok(event) => self.take(event, &mut changes, &mut done),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return None,
            }
        }
        Some(changes)
    }

    /// Adds the relevant paths of one event to `changes`, and notes in
    /// `done` whether each path's writer is done with it.
    fn take(
        &mut self,
        event: notify::Result<notify::Event>,
        changes: &mut Changes,
        done: &mut BTreeMap<PathBuf, bool>,
    ) {
        let event = match event {
            Ok(e) => e,
            Err(e) => {
                eprintln!("warning: watching files: {e}");
                return;
            }
        };
        let count = event.paths.len();
        for (i, path) in event.paths.iter().enumerate() {
            let Some(rel) = relevant(&self.root, path) else {
                continue;
            };
            // Opening and reading files (the build does) is no change;
            // closing one after writing it finishes its change.
            if let EventKind::Access(_) = event.kind {
                if let Some(d) = done.get_mut(&rel) {
                    *d |= finished(event.kind, i, count);
                }
                continue;
            }
            done.insert(rel.clone(), finished(event.kind, i, count));
            // A watched folder that appears (or is replaced) is watched anew.
            if let (EventKind::Create(_) | EventKind::Modify(_), Some(dir)) =
                (event.kind, rel.to_str().filter(|r| WATCHED.contains(r)))
                && let Err(e) = self.watch_folder(dir)
            {
                eprintln!("warning: cannot watch {dir}/: {e}");
            }
            changes.paths.insert(rel);
        }
    }
}

/// Whether the `i`th of the `count` paths of an event of `kind` is a file
/// its writer is done with: closed after writing, or renamed into place
/// (the target of a rename). Anything else (written to, created, removed,
/// renamed away) may be followed at once by more of the same save.
fn finished(kind: EventKind, i: usize, count: usize) -> bool {
    use notify::event::{AccessKind, AccessMode, ModifyKind, RenameMode};
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Modify(ModifyKind::Name(RenameMode::To)) => true,
        EventKind::Modify(ModifyKind::Name(RenameMode::Both)) => i + 1 == count,
        _ => false,
    }
}

/// The path relative to the root if it is a source of the site: under a
/// watched folder, or `site.toml`; hidden and editor backup files are not.
pub fn relevant(root: &Path, path: &Path) -> Option<PathBuf> {
    let rel = path.strip_prefix(root).ok()?;
    let mut parts = rel.components();
    let first = match parts.next()? {
        Component::Normal(c) => c.to_str()?,
        _ => return None,
    };
    if !(WATCHED.contains(&first) || (first == crate::config::FILE && parts.next().is_none())) {
        return None;
    }
    let ignored = rel.components().any(|c| {
        let name = c.as_os_str().to_string_lossy();
        name.starts_with('.') || name.starts_with('#') || name.ends_with('~') || name == "4913"
    });
    (!ignored).then(|| rel.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_finished_once_closed_after_writing_or_renamed_into_place() {
        use notify::event::{
            AccessKind, AccessMode, CreateKind, DataChange, ModifyKind, RemoveKind, RenameMode,
        };
        let written = EventKind::Modify(ModifyKind::Data(DataChange::Any));
        let closed = EventKind::Access(AccessKind::Close(AccessMode::Write));
        let read = EventKind::Access(AccessKind::Close(AccessMode::Read));
        let renamed = |mode| EventKind::Modify(ModifyKind::Name(mode));
        assert!(finished(closed, 0, 1));
        assert!(finished(renamed(RenameMode::To), 0, 1));
        // A rename in one event: its target is in place, its source gone.
        assert!(finished(renamed(RenameMode::Both), 1, 2));
        assert!(!finished(renamed(RenameMode::Both), 0, 2));
        // Vim renames the file away, then writes a new one.
        assert!(!finished(renamed(RenameMode::From), 0, 1));
        for kind in [
            written,
            read,
            EventKind::Create(CreateKind::File),
            EventKind::Remove(RemoveKind::File),
        ] {
            assert!(!finished(kind, 0, 1), "{kind:?}");
        }
    }

    #[test]
    fn only_sources_are_relevant() {
        let root = Path::new("/site");
        let rel = |p: &str| relevant(root, Path::new(p));
        assert_eq!(
            rel("/site/content/a.md"),
            Some(PathBuf::from("content/a.md"))
        );
        assert_eq!(rel("/site/site.toml"), Some(PathBuf::from("site.toml")));
        assert_eq!(rel("/site/static"), Some(PathBuf::from("static")));
        for ignored in [
            "/site/public/index.html",
            "/site/target/debug/x",
            "/site/content/.a.md.swp",
            "/site/content/a.md~",
            "/site/content/4913",
            "/site/README.md",
            "/elsewhere/content/a.md",
        ] {
            assert_eq!(rel(ignored), None, "{ignored}");
        }
    }
}
