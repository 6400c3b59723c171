//! Where a key is set in a TOML or YAML text, found by reading lines: used
//! to point a diagnostic at a key after its value was parsed.

use std::ops::Range;

/// Byte span of the name of top-level `key` where a line sets it (`key =`
/// or `key:`); `0..0` if no line does.
pub fn key_span(source: &str, key: &str) -> Range<usize> {
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix(key) {
            let rest = rest.trim_start();
            if rest.starts_with('=') || rest.starts_with(':') {
                let start = offset + (line.len() - trimmed.len());
                return start..start + key.len();
            }
        }
        offset += line.len();
    }
    0..0
}

/// The key of the `key = value` line holding byte `at`, if there is one (in
/// an inline table, `{ technical = 6 }`, the nearest key).
pub fn key_before(source: &str, at: usize) -> Option<&str> {
    let mut at = at.min(source.len());
    while !source.is_char_boundary(at) {
        at -= 1;
    }
    let line_start = source[..at].rfind('\n').map_or(0, |i| i + 1);
    let before = &source[line_start..at];
    let key = before.rsplit_once('=')?.0.rsplit(['{', ',']).next()?.trim();
    let is_key = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    is_key.then_some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_span_finds_yaml_and_toml_keys() {
        assert_eq!(key_span("a = 1\n  slug: x\n", "slug"), 8..12);
        assert_eq!(key_span("slugs = 1\n", "slug"), 0..0);
    }

    #[test]
    fn key_before_names_the_key_of_a_value() {
        let src = "tier = \"x\"\ncertifications = { technical = -1 }\n";
        assert_eq!(key_before(src, 8), Some("tier"));
        assert_eq!(key_before(src, src.find("-1").unwrap()), Some("technical"));
        assert_eq!(key_before("[[quarters]]", 3), None);
    }
}
