//! Reading the site's text files and finding things in them for error
//! messages: UTF-8 with a byte-order mark removed, the line where a key of a
//! TOML or YAML text is set, the value at a path of a TOML document.
//!
//! Below `config`, `content` and `data`, which all read text this way; it
//! knows nothing of what the files mean.

pub mod image;
mod keys;
mod toml_path;

use std::path::Path;

pub use keys::{key_before, key_span};
pub use toml_path::{Key, Locator, locate};

use crate::diagnostic::{Code, Diagnostic};

/// `d` located at the line where `key` is set in `source` (a file's front
/// matter or TOML), or as it is if `key` is not set there.
pub fn at_key(d: Diagnostic, source: &str, key: &str) -> Diagnostic {
    let span = key_span(source, key);
    if span.is_empty() {
        d
    } else {
        d.located(source, span)
    }
}

/// Whether `path` is a symbolic link (not following it).
pub fn is_link(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// The warning for a symbolic link found in the site: links are never
/// followed (a link could publish any file of the machine).
pub fn skipped_link(rel: &Path) -> Diagnostic {
    Diagnostic::new(
        Code::SymbolicLink,
        rel,
        "skipped a symbolic link: links in the site are never followed; put the file or folder itself here",
    )
}

/// Reads an image the site names (a logo), at `name` under `data/` or
/// `static/`: its path there and bytes, SVG rewritten by
/// `image::clean_svg`. `Err` says why it cannot be one: not found, a
/// symbolic link on the way, not an image.
pub fn read_image(root: &Path, name: &str) -> Result<(std::path::PathBuf, Vec<u8>), String> {
    if !crate::values::path::is_inner_path(name) {
        return Err(format!("`{name}` must be a path inside data/ or static/"));
    }
    let name = name.trim_start_matches('/');
    for dir in ["data", "static"] {
        let rel = Path::new(dir).join(name);
        let mut at = root.to_path_buf();
        for part in rel.components() {
            at.push(part);
            if is_link(&at) {
                return Err(format!(
                    "{} is reached through a symbolic link, and links are never followed; put the file itself there",
                    crate::values::path::display_path(&rel)
                ));
            }
        }
        if !std::fs::symlink_metadata(&at).is_ok_and(|m| m.is_file()) {
            continue;
        }
        let bytes =
            std::fs::read(&at).map_err(|e| format!("cannot read {}: {e}", rel.display()))?;
        return match image::sniff(&bytes) {
            Some(image::ImageKind::Svg) => {
                let text = String::from_utf8_lossy(&bytes);
                let clean = image::clean_svg(&text).map_err(|e| format!("`{name}` {e}"))?;
                Ok((rel, clean.into_bytes()))
            }
            Some(_) => Ok((rel, bytes)),
            None => Err(format!(
                "`{name}` is not an image (SVG, PNG, JPEG, WebP or GIF, told by its content): name an image file"
            )),
        };
    }
    Err(format!(
        "`{name}` not found: put the file under data/ or static/ and give its path relative to that folder"
    ))
}

/// Reads `root/rel` as UTF-8 text without its byte-order mark; `Ok(None)`
/// if the file does not exist. Errors name `rel`.
pub fn read_text(root: &Path, rel: &Path) -> Result<Option<String>, Diagnostic> {
    match std::fs::read(root.join(rel)) {
        Ok(bytes) => text(rel, bytes).map(Some),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Diagnostic::new(
            Code::CannotRead,
            rel,
            format!("cannot read: {e}"),
        )),
    }
}

/// The bytes of the file `rel` as text, without a byte-order mark.
pub fn text(rel: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    let text =
        String::from_utf8(bytes).map_err(|e| invalid_utf8(rel, e.as_bytes(), e.utf8_error()))?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    })
}

/// An error for a file that is not UTF-8, located at the first bad byte.
pub fn invalid_utf8(rel: &Path, bytes: &[u8], e: std::str::Utf8Error) -> Diagnostic {
    let at = e.valid_up_to();
    let valid = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
    // Show the line up to the bad byte (the rest is not text).
    let line_end = bytes[at..]
        .iter()
        .position(|b| *b == b'\n')
        .map_or(bytes.len(), |i| at + i);
    let shown = format!("{valid}{}", String::from_utf8_lossy(&bytes[at..line_end]));
    Diagnostic::new(
        Code::NotUtf8,
        rel,
        format!("not valid UTF-8 (byte {at}): save the file as UTF-8"),
    )
    .located(&shown, at..at + 1)
}

/// Byte offset of the first `[` or `{` of a YAML or TOML text nested
/// deeper than `max`, if any (checked before a parser recurses into it).
pub fn nested_deeper_than(yaml: &str, max: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, b) in yaml.bytes().enumerate() {
        match b {
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byte_order_mark_is_not_text() {
        let t = text(Path::new("a"), b"\xef\xbb\xbftitle".to_vec()).unwrap();
        assert_eq!(t, "title");
    }

    #[test]
    fn invalid_utf8_points_at_the_byte() {
        let d = text(Path::new("a.md"), b"ok\nab\xffc".to_vec()).unwrap_err();
        assert_eq!((d.line, d.column), (Some(2), Some(3)));
        assert!(d.message.contains("byte 5"), "{}", d.message);
    }
}
