//! Finds where a value sits in a TOML file, so that problems found after
//! deserializing (a rate of 92, a duplicate quarter) point at a line. The
//! document is parsed once per file, however many problems it has.

use std::ops::Range;

use toml::de::{DeTable, DeValue};

/// One step of a path into a TOML document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key<'a> {
    Name(&'a str),
    Index(usize),
}

/// The parsed shape of one TOML text, for locating values in it.
pub struct Locator<'a> {
    source: &'a str,
    root: Option<toml::Spanned<DeTable<'a>>>,
}

impl<'a> Locator<'a> {
    pub fn new(source: &'a str) -> Locator<'a> {
        Locator {
            source,
            root: DeTable::parse(source).ok(),
        }
    }

    /// Byte span of the value at `path`; the span of the deepest part of
    /// the path that exists, or `None` if not even the first does.
    pub fn span(&self, path: &[Key<'_>]) -> Option<Range<usize>> {
        let root = self.root.as_ref()?;
        let Some((Key::Name(first), rest)) = path.split_first() else {
            return None;
        };
        let mut current = root.get_ref().get(*first)?;
        for key in rest {
            let next = match key {
                Key::Name(name) => current.get_ref().get(*name),
                Key::Index(i) => current.get_ref().get(*i),
            };
            match next {
                Some(n) => current = n,
                None => break,
            }
        }
        let span = current.span();
        // Tables of arrays span their whole body: point at their first line.
        if matches!(current.get_ref(), DeValue::Table(_)) {
            let end = self.source[span.start..]
                .find('\n')
                .map_or(span.end, |i| span.start + i);
            return Some(span.start..end.min(span.end));
        }
        Some(span)
    }
}

/// Byte span of the value at `path` in `source` (parses `source`; use a
/// `Locator` for many paths of one file).
pub fn locate(source: &str, path: &[Key<'_>]) -> Option<Range<usize>> {
    Locator::new(source).span(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_values() {
        let src = "name = \"A\"\n[[quarters]]\nquarter = \"2026-Q1\"\n[[quarters]]\nquarter = \"2026-Q2\"\njoint_csat = 92\n";
        let span = locate(
            src,
            &[
                Key::Name("quarters"),
                Key::Index(1),
                Key::Name("joint_csat"),
            ],
        )
        .unwrap();
        assert_eq!(&src[span], "92");
        let span = locate(src, &[Key::Name("name")]).unwrap();
        assert_eq!(&src[span], "\"A\"");
    }

    #[test]
    fn falls_back_to_the_deepest_existing_part() {
        let src = "[[quarters]]\nquarter = \"2026-Q1\"\n";
        let span = locate(
            src,
            &[Key::Name("quarters"), Key::Index(0), Key::Name("missing")],
        )
        .unwrap();
        assert!(
            src[span.start..].starts_with("quarter") || src[span.start..].starts_with("[["),
            "{span:?}"
        );
        assert_eq!(locate(src, &[Key::Name("nothing")]), None);
    }
}
