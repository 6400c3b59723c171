//! Scheduling: a page is built from its `publish` day on and until the day
//! before its `expires` (outside that, it is a draft), on the build date
//! that the command line decides (`--date`, else `SOURCE_DATE_EPOCH`, else
//! today). Also the pages about to expire, for `check` and the dashboard.

use time::{Date, Duration};

use super::document::Document;
use super::front_matter::FrontMatter;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::at_key;

/// How many days ahead `check` and the dashboard look for pages that expire.
pub const EXPIRING_WITHIN_DAYS: i64 = 14;

/// Whether a page is left out of a build on `date` (unless `--drafts`):
/// a draft, not yet published, or expired.
pub fn hidden(meta: &FrontMatter, date: Date) -> bool {
    meta.draft || meta.publish.is_some_and(|p| date < p) || meta.expires.is_some_and(|e| e <= date)
}

/// The day `doc` expires, if that is after `date` and within
/// `EXPIRING_WITHIN_DAYS` of it.
pub fn expiring(doc: &Document, date: Date) -> Option<Date> {
    let expires = doc.meta.expires?;
    (expires > date && expires - date <= Duration::days(EXPIRING_WITHIN_DAYS)).then_some(expires)
}

/// A warning for every document that expires soon after `date`.
pub fn check<'a>(docs: impl IntoIterator<Item = &'a Document>, date: Date) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for doc in docs {
        let Some(expires) = expiring(doc, date) else {
            continue;
        };
        let days = (expires - date).whole_days();
        let message = format!(
            "page expires on {expires}, in {days} day{}: from then on it is not built; move `expires` if it should stay",
            if days == 1 { "" } else { "s" }
        );
        let d = Diagnostic::new(Code::ExpiringPage, &doc.file, message);
        out.push(at_key(d, &doc.source(), "expires"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn meta(front: &str) -> FrontMatter {
        let source = format!("+++\ntitle = \"T\"\n{front}+++\n");
        let split = super::super::front_matter::split(&source).expect("fences");
        super::super::front_matter::parse(&split).expect("valid")
    }

    #[test]
    fn a_page_is_built_from_publish_until_the_day_before_expires() {
        let m = meta("publish = 2026-06-01\nexpires = 2026-07-01\n");
        assert!(hidden(&m, date!(2026 - 05 - 31)));
        assert!(!hidden(&m, date!(2026 - 06 - 01)));
        assert!(!hidden(&m, date!(2026 - 06 - 30)));
        assert!(hidden(&m, date!(2026 - 07 - 01)));
        assert!(hidden(&meta("draft = true\n"), date!(2026 - 06 - 15)));
        assert!(!hidden(&meta(""), date!(2026 - 06 - 15)));
    }
}
