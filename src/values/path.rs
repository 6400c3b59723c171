//! Relative paths that stay inside the folder they are joined to, and the
//! URL paths of aliases (old URLs that redirect to a page).

use std::path::{Component, Path};

/// A relative path of plain names (a leading `/` is allowed): no `..`, no
/// drive or root, so it stays inside the folder it is joined to.
pub fn is_inner_path(path: &str) -> bool {
    let path = Path::new(path.trim_start_matches('/'));
    path.components().next().is_some()
        && path.components().all(|c| matches!(c, Component::Normal(_)))
}

/// Paths in messages and URLs always use `/`, whatever the platform.
pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// An alias as the URL path it redirects from: `/a/b/` for a folder (the
/// redirect page is `a/b/index.html`), `/a/b.html` for a file. `Err` says
/// why it is not a safe path of the site.
pub fn alias_path(alias: &str) -> Result<String, String> {
    let inner = alias.trim_start_matches('/');
    if alias.contains("://") || alias.starts_with("//") || inner.contains(':') {
        return Err("must be a path of this site, like \"/old/url/\", not a URL".into());
    }
    if let Some(bad) = inner
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "-_./~%".contains(*c)))
    {
        return Err(format!(
            "may hold only letters, digits and `-_./~%`, not `{}`",
            bad.escape_default()
        ));
    }
    let parts: Vec<&str> = inner.trim_end_matches('/').split('/').collect();
    if inner.is_empty()
        || parts
            .iter()
            .any(|p| p.is_empty() || *p == "." || *p == "..")
    {
        return Err(
            "must name a path inside the site, like \"/old/url/\" (no `..`, `.` or empty parts)"
                .into(),
        );
    }
    let file = !inner.ends_with('/') && parts.last().is_some_and(|p| p.ends_with(".html"));
    Ok(if file {
        format!("/{inner}")
    } else {
        format!("/{}/", inner.trim_end_matches('/'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inner_paths_never_leave_their_folder() {
        assert!(is_inner_path("logos/a.svg"));
        assert!(is_inner_path("/logos/a.svg"));
        assert!(!is_inner_path("../a.svg"));
        assert!(!is_inner_path("logos/../../a"));
        assert!(!is_inner_path(""));
    }
}
