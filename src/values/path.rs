//! Relative paths that stay inside the folder they are joined to.

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
