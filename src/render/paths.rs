//! The URL paths of generated pages, where render and `serve` both need
//! them: taxonomy terms, partner report folders and the pages in them.
//! (Co-branded copies are the isolation module's: `isolation::cobrand_path`.)

use crate::values::Quarter;
use crate::values::slug::slugify;

/// The URL path of a taxonomy term (`/tags/deal-registration/`).
pub fn taxonomy_path(kind: &str, name: &str) -> String {
    format!("/{kind}/{}/", slugify(name))
}

/// The folder of a partner's report files in the output (`partners/<slug>/`).
pub fn report_folder(slug: &str) -> String {
    format!("partners/{slug}/")
}

/// The folder of a partner's report at an earlier quarter
/// (`partners/<slug>/2026-Q1/`).
pub fn earlier_report_folder(slug: &str, quarter: Quarter) -> String {
    format!("partners/{slug}/{quarter}/")
}

/// The folder of a partner's what's new page (`partners/<slug>/whats-new/`);
/// its feed and email are `whats-new.xml` and `whats-new-email.html` beside
/// it, in the report's folder.
pub fn whats_new_folder(slug: &str) -> String {
    format!("partners/{slug}/whats-new/")
}
