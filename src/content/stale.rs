//! Stale pages: past their `review_by` date, or not updated for longer
//! than `stale_after_days` of `site.toml`. Warnings, located at the date.

use time::{Date, Duration};

use super::Document;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::at_key;

/// Why a page is stale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stale {
    /// `review_by` is before today.
    ReviewDue(Date),
    /// `updated` (or `date`) is older than the allowed age.
    NotUpdated { key: &'static str, on: Date },
}

/// Whether `doc` is stale on `today`, given the allowed age in days.
pub fn stale(doc: &Document, today: Date, max_days: u32) -> Option<Stale> {
    let meta = &doc.meta;
    if let Some(review_by) = meta.review_by.filter(|r| *r < today) {
        return Some(Stale::ReviewDue(review_by));
    }
    let (key, on) = match (meta.updated, meta.date) {
        (Some(u), _) => ("updated", u),
        (None, Some(d)) => ("date", d),
        (None, None) => return None,
    };
    (today - on > Duration::days(i64::from(max_days))).then_some(Stale::NotUpdated { key, on })
}

/// A warning for every stale document.
pub fn check<'a>(
    docs: impl IntoIterator<Item = &'a Document>,
    today: Date,
    max_days: u32,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for doc in docs {
        let Some(reason) = stale(doc, today, max_days) else {
            continue;
        };
        let (key, message) = match reason {
            Stale::ReviewDue(date) => (
                "review_by",
                format!(
                    "stale page: its review was due on {date} (`review_by`); review it and move the date"
                ),
            ),
            Stale::NotUpdated { key, on } => (
                key,
                format!(
                    "stale page: last updated {on}, more than {max_days} days ago (`stale_after_days` in site.toml); review it and set `updated`"
                ),
            ),
        };
        let d = Diagnostic::new(Code::StalePage, &doc.file, message);
        out.push(at_key(d, &doc.source(), key));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn doc(front: &str) -> Document {
        let source = format!("+++\ntitle = \"T\"\n{front}+++\nbody\n");
        let split = crate::content::front_matter::split(&source).expect("fences");
        let meta = crate::content::front_matter::parse(&split).expect("valid");
        Document {
            file: "content/a.md".into(),
            body_offset: split.body_offset,
            text: source.into(),
            meta,
            path: "/a/".into(),
            rev: 0,
        }
    }

    #[test]
    fn review_by_in_the_past_is_stale() {
        let d = doc("review_by = 2026-01-31\nupdated = 2026-01-01\n");
        let today = date!(2026 - 02 - 01);
        assert_eq!(
            stale(&d, today, 365),
            Some(Stale::ReviewDue(date!(2026 - 01 - 31)))
        );
        assert_eq!(stale(&d, date!(2026 - 01 - 31), 365), None);
    }

    #[test]
    fn old_updates_are_stale_after_the_configured_age() {
        let d = doc("date = 2024-01-01\n");
        assert_eq!(stale(&d, date!(2024 - 12 - 31), 365), None);
        assert!(matches!(
            stale(&d, date!(2025 - 01 - 02), 365),
            Some(Stale::NotUpdated { key: "date", .. })
        ));
        let w = check([&d], date!(2025 - 06 - 01), 365);
        assert_eq!(w.len(), 1);
        assert!(!w[0].is_error());
        assert_eq!(w[0].line, Some(3));
    }

    #[test]
    fn undated_pages_are_never_stale() {
        assert_eq!(stale(&doc(""), date!(2030 - 01 - 01), 1), None);
    }
}
