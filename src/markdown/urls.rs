//! Which link and image destinations a page may have: http, https, mailto
//! and tel links, http, https and `data:image/` images, and relative ones;
//! never `javascript:` and its like, however it is spelled.

/// The schemes a link may have (besides none: a relative link).
pub const LINK_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];
/// The schemes an image may have.
pub(super) const IMAGE_SCHEMES: &[&str] = &["http", "https", "data"];

/// The scheme of `url` if it has one that is not in `allowed`, read as a
/// browser reads it (ASCII whitespace and control characters inside it
/// ignored, any case): `java\tscript:` is `javascript`.
pub fn unsafe_scheme(url: &str, allowed: &[&str]) -> Option<String> {
    let cleaned: String = url
        .chars()
        .filter(|c| !(c.is_ascii_whitespace() || c.is_ascii_control()))
        .collect();
    let end = cleaned.find([':', '/', '?', '#'])?;
    if !cleaned[end..].starts_with(':') || end == 0 {
        return None;
    }
    let scheme = cleaned[..end].to_ascii_lowercase();
    let valid = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    if !valid {
        return None;
    }
    if allowed.contains(&scheme.as_str()) {
        // An image's `data:` must be an image.
        let image_data = scheme != "data"
            || cleaned[end + 1..]
                .to_ascii_lowercase()
                .starts_with("image/");
        return (!image_data).then_some(scheme);
    }
    Some(scheme)
}
