//! Request paths → keys of the in-memory `Output`.
//!
//! Takes the raw path of a request (`/sales/x/?q=1`) and says which output
//! file answers it, or that it is a redirect, missing or malformed. It only
//! ever names keys of the `Output` map: nothing here touches the disk, so no
//! request can reach a file outside the output. Malformed or suspicious paths
//! (`..`, encoded separators, backslashes, NUL, drive letters, `//`) are
//! refused outright rather than normalised. `check` uses the same rules to
//! decide whether a link works.

use crate::output::Output;

/// What answers a request path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// This output key (`sales/x/index.html`).
    File(String),
    /// A folder asked for without its slash: redirect to this location.
    Redirect(String),
    NotFound,
    /// The path is malformed or tries to leave the output; the reason.
    BadRequest(&'static str),
}

/// Resolves a raw request target (path and optional query) against `output`.
pub fn resolve(raw: &str, output: &Output) -> Target {
    let raw = raw.split_once('#').map_or(raw, |(p, _)| p);
    let (path, query) = match raw.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (raw, None),
    };
    let decoded = match decode_path(path) {
        Ok(d) => d,
        Err(reason) => return Target::BadRequest(reason),
    };
    match find(&decoded, output) {
        Some(Found::File(key)) => Target::File(key),
        Some(Found::Folder) => {
            let query = query.map_or(String::new(), |q| format!("?{q}"));
            Target::Redirect(format!("{path}/{query}"))
        }
        None => Target::NotFound,
    }
}

/// How a decoded path matched the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// This key.
    File(String),
    /// A folder with an `index.html`, named without its trailing slash.
    Folder,
}

/// Finds a decoded path (`sales/x/`, `css/site.css`, `` for the root) in
/// the output: `dir/` means `dir/index.html`.
pub fn find(decoded: &str, output: &Output) -> Option<Found> {
    if decoded.is_empty() || decoded.ends_with('/') {
        let key = format!("{decoded}index.html");
        return output.files.contains_key(&key).then_some(Found::File(key));
    }
    if output.files.contains_key(decoded) {
        return Some(Found::File(decoded.to_string()));
    }
    let index = format!("{decoded}/index.html");
    output.files.contains_key(&index).then_some(Found::Folder)
}

/// Percent-decodes a path that starts with `/` into an output-relative path
/// (`/a%20b/c/` → `a b/c/`), refusing anything that could name a file
/// outside the output or that a file system would read differently.
pub fn decode_path(path: &str) -> Result<String, &'static str> {
    let Some(rest) = path.strip_prefix('/') else {
        return Err("the path must start with /");
    };
    if path.contains('\\') {
        return Err("backslashes are not allowed in paths");
    }
    let segments: Vec<&str> = rest.split('/').collect();
    let last = segments.len() - 1;
    let mut out = Vec::with_capacity(segments.len());
    for (i, raw) in segments.iter().enumerate() {
        if raw.is_empty() {
            if i == last {
                out.push(String::new());
                continue;
            }
            return Err("empty path segment (`//`)");
        }
        let bytes = percent_decode(raw).ok_or("malformed percent-encoding")?;
        if bytes.iter().any(|&b| b == b'/' || b == b'\\') {
            return Err("encoded path separator inside a segment");
        }
        if bytes.iter().any(|&b| b < 0x20 || b == 0x7f) {
            return Err("control character (or NUL) in the path");
        }
        let segment = String::from_utf8(bytes).map_err(|_| "the path is not UTF-8")?;
        if segment == "." || segment == ".." {
            return Err("`.` and `..` segments are not allowed");
        }
        if segment.contains(':') {
            return Err("`:` is not allowed in paths (drive letters, streams)");
        }
        out.push(segment);
    }
    Ok(out.join("/"))
}

/// `%41` → `A`; `None` for a `%` not followed by two hex digits.
pub fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn output() -> Output {
        let mut o = Output::default();
        for key in [
            "index.html",
            "sales/index.html",
            "sales/x/index.html",
            "css/site.css",
            "a b.txt",
        ] {
            o.files
                .insert(key.to_string(), bytes::Bytes::from_static(b"x"));
        }
        o
    }

    #[test]
    fn folders_map_to_their_index() {
        let o = output();
        assert_eq!(resolve("/", &o), Target::File("index.html".into()));
        assert_eq!(
            resolve("/sales/x/", &o),
            Target::File("sales/x/index.html".into())
        );
        assert_eq!(
            resolve("/css/site.css?v=2", &o),
            Target::File("css/site.css".into())
        );
        assert_eq!(resolve("/a%20b.txt", &o), Target::File("a b.txt".into()));
    }

    #[test]
    fn folder_without_slash_redirects_keeping_the_query() {
        let o = output();
        assert_eq!(
            resolve("/sales?x=1", &o),
            Target::Redirect("/sales/?x=1".into())
        );
        assert_eq!(resolve("/nope", &o), Target::NotFound);
        assert_eq!(resolve("/css/site.css/", &o), Target::NotFound);
    }

    #[test]
    fn traversal_and_odd_paths_are_refused() {
        let o = output();
        for bad in [
            "/../Cargo.toml",
            "/%2e%2e/site.toml",
            "/%2E%2E/site.toml",
            "/..%2fsite.toml",
            "/%2e%2e%2f%2e%2e%2fetc/passwd",
            "/sales/../../etc/passwd",
            "//etc/passwd",
            "/C:/x",
            "/c%3A/x",
            "/a\\b",
            "/a%5cb",
            "/a%00b",
            "/bad%zz",
            "/%ff",
            "/./index.html",
            "relative",
            "http://example.com/",
        ] {
            assert!(
                matches!(resolve(bad, &o), Target::BadRequest(_)),
                "{bad} was not refused: {:?}",
                resolve(bad, &o)
            );
        }
    }

    #[test]
    fn decoding_keeps_the_trailing_slash() {
        assert_eq!(decode_path("/a/b/").as_deref(), Ok("a/b/"));
        assert_eq!(decode_path("/").as_deref(), Ok(""));
        assert_eq!(decode_path("/caf%C3%A9").as_deref(), Ok("café"));
    }
}
