//! The URL paths of generated pages, where render and `serve` both need
//! them: taxonomy terms and partner report folders. (Co-branded copies are
//! the isolation module's: `isolation::cobrand_path`.)

use crate::values::slug::slugify;

/// The URL path of a taxonomy term (`/tags/deal-registration/`).
pub fn taxonomy_path(kind: &str, name: &str) -> String {
    format!("/{kind}/{}/", slugify(name))
}

/// The folder of a partner's report files in the output (`partners/<slug>/`).
pub fn report_folder(slug: &str) -> String {
    format!("partners/{slug}/")
}
