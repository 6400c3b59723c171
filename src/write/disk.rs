//! The file-system operations every part of the write stage does the same
//! way: a file is only ever created where nothing is (so a symbolic link or
//! a file partnersite did not write is never written through or over).

use std::io::{self, Write};
use std::path::Path;

/// Creates `path`, which must not exist (not even as a link), holding
/// `bytes`; removes it again if writing fails.
pub fn create_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(bytes).inspect_err(|_| {
        let _ = std::fs::remove_file(path);
    })
}

/// Removes a file, or a folder with all it holds (never following a link);
/// nothing if `path` does not exist.
pub fn remove_if_exists(path: &Path) -> io::Result<()> {
    let removed = match std::fs::symlink_metadata(path) {
        Err(_) => return Ok(()),
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(path),
        Ok(_) => std::fs::remove_file(path),
    };
    match removed {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Sets `path`'s modification time 5 s after `than`, as an edit by hand
/// after the manifest would leave it.
#[cfg(test)]
pub(crate) fn set_later(path: &Path, than: std::time::SystemTime) {
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(than + std::time::Duration::from_secs(5))
        .unwrap();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_new_file_is_never_written_through_a_link() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("target");
        std::fs::write(&target, "keep").unwrap();
        std::os::unix::fs::symlink(&target, tmp.path().join("link")).unwrap();
        assert!(create_new(&tmp.path().join("link"), b"x").is_err());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");
        create_new(&tmp.path().join("new"), b"x").unwrap();
        assert!(create_new(&tmp.path().join("new"), b"y").is_err());
    }
}
