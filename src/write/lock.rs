//! The lock that keeps two builds into one output from mixing: a file
//! beside the output (`.<name>.partnersite-lock`, since the output itself
//! may not exist yet), locked with the operating system's file lock and
//! holding the holder's process id. A second build waits for the first:
//! the system releases the lock when its holder ends, however it ends, so
//! a crashed build never leaves a lock that blocks forever.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};

use super::error::WriteError;

/// A held lock; released (and its file removed) when dropped.
#[derive(Debug)]
pub struct Lock {
    file: File,
    path: PathBuf,
}

/// Takes the lock at `path` for the output `shown`, waiting (with a line on
/// stderr naming the holder) while another partnersite holds it.
pub fn acquire(path: &Path, shown: &Path) -> Result<Lock, WriteError> {
    let err = |source: io::Error| WriteError::Lock {
        path: path.to_path_buf(),
        source,
    };
    let mut announced = false;
    loop {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(err)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                if !announced {
                    eprintln!(
                        "waiting for {}, which is writing {}…",
                        holder(&file),
                        shown.display()
                    );
                    announced = true;
                }
                file.lock().map_err(err)?;
            }
            Err(TryLockError::Error(e)) => return Err(err(e)),
        }
        // The holder removes the file as it finishes: a lock taken on a
        // file no longer at `path` guards nothing, so start again.
        if is_at(&file, path) {
            let mut lock = Lock {
                file,
                path: path.to_path_buf(),
            };
            lock.record_holder().map_err(err)?;
            return Ok(lock);
        }
    }
}

impl Lock {
    fn record_holder(&mut self) -> io::Result<()> {
        self.file.set_len(0)?;
        self.file.rewind()?;
        writeln!(self.file, "partnersite pid {}", std::process::id())
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed while still locked (the file closes, and so unlocks,
        // after this); a waiter that then gets the old file sees it gone
        // and starts again. Where the file's identity cannot be checked,
        // it stays.
        if cfg!(unix) {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Who holds the lock, from the file: `partnersite (pid N)`.
fn holder(file: &File) -> String {
    for attempt in 0..3 {
        let mut text = String::new();
        let mut reader = file;
        let read = reader
            .rewind()
            .and_then(|()| reader.read_to_string(&mut text));
        let pid = text
            .trim()
            .strip_prefix("partnersite pid ")
            .and_then(|p| p.parse::<u32>().ok());
        match (read, pid) {
            (Ok(_), Some(pid)) => return format!("partnersite (pid {pid})"),
            // The holder may have locked the file and not yet written its id.
            _ if attempt < 2 => std::thread::sleep(std::time::Duration::from_millis(50)),
            _ => {}
        }
    }
    "another partnersite".to_string()
}

/// Whether `file` is still the file at `path`.
#[cfg(unix)]
fn is_at(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Elsewhere the file is never removed, so it is always the one at `path`.
#[cfg(not(unix))]
fn is_at(_file: &File, _path: &Path) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_names_its_holder_and_is_removed_when_released() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join(".public.partnersite-lock");
        let lock = acquire(&path, Path::new("public")).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text, format!("partnersite pid {}\n", std::process::id()));
        let other = File::open(&path).unwrap();
        assert!(matches!(other.try_lock(), Err(TryLockError::WouldBlock)));
        assert_eq!(
            holder(&other),
            format!("partnersite (pid {})", std::process::id())
        );
        drop(other);
        drop(lock);
        #[cfg(unix)]
        assert!(!path.exists());
        acquire(&path, Path::new("public")).unwrap();
    }

    #[test]
    fn a_second_holder_waits_for_the_first() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join(".public.partnersite-lock");
        let first = acquire(&path, Path::new("public")).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let waiter = {
            let path = path.clone();
            std::thread::spawn(move || {
                let lock = acquire(&path, Path::new("public")).unwrap();
                tx.send(()).unwrap();
                drop(lock);
            })
        };
        std::thread::sleep(std::time::Duration::from_millis(200));
        assert!(rx.try_recv().is_err(), "the second took a held lock");
        drop(first);
        rx.recv_timeout(std::time::Duration::from_secs(10)).unwrap();
        waiter.join().unwrap();
    }
}
