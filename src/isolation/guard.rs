//! The leak guard: after a partner's view is rendered, every file of its
//! output is scanned for anything of another partner (name, slug, logo
//! file) or of an internal page (its title). Defence in depth: the view was
//! already built from data scoped to it (`scope`).

use super::view::View;
use crate::content::PageAudience;
use crate::diagnostic::{Diagnostic, display_path};
use crate::output::Output;
use crate::site::Site;

/// Checks the rendered output of `view` (in `folder` of the audience's
/// output) against the whole site: for a partner's view, anything of
/// another partner or of an internal page is a leak.
pub fn leak_guard(site: &Site, view: &View, output: &Output, folder: &str) -> Vec<Diagnostic> {
    let Some(slug) = view.partner_slug() else {
        return Vec::new();
    };
    let mut needles: Vec<(String, String, bool)> = Vec::new();
    for p in site.data.partners.iter().filter(|p| p.slug != slug) {
        needles.push((
            p.name.clone(),
            format!("the name of partner {}", p.slug),
            false,
        ));
        needles.push((
            p.slug.clone(),
            format!("the slug of partner {}", p.slug),
            true,
        ));
        if let Some(logo) = &p.brand.logo {
            let file = logo.rsplit('/').next().unwrap_or(logo).to_string();
            needles.push((file, format!("the logo of partner {}", p.slug), false));
        }
    }
    for doc in site
        .content
        .pages
        .iter()
        .map(|p| &p.doc)
        .chain(site.content.sections.values().map(|s| &s.doc))
        .filter(|d| d.meta.audience == PageAudience::Internal)
    {
        let title = &doc.meta.title;
        needles.push((
            title.clone(),
            format!("the title of internal page {}", display_path(&doc.file)),
            false,
        ));
        // Escaped forms are what HTML holds.
        let escaped = crate::values::escape::html_attr(title);
        if escaped != *title {
            needles.push((
                escaped,
                format!("the title of internal page {}", display_path(&doc.file)),
                false,
            ));
        }
    }
    for p in site.data.partners.iter().filter(|p| p.slug != slug) {
        let escaped = crate::values::escape::html_attr(&p.name);
        if escaped != p.name {
            needles.push((escaped, format!("the name of partner {}", p.slug), false));
        }
    }
    let mut found = Vec::new();
    for (path, bytes) in &output.files {
        let Ok(text) = std::str::from_utf8(bytes) else {
            continue;
        };
        for (needle, what, word) in &needles {
            if needle.is_empty() {
                continue;
            }
            let hit = if *word {
                contains_word(text, needle)
            } else {
                text.contains(needle.as_str())
            };
            if hit {
                let shown = if folder.is_empty() {
                    path.clone()
                } else {
                    format!("{folder}/{path}")
                };
                found.push(Diagnostic::error(
                    shown,
                    format!(
                        "leak guard: the output for partner {slug} contains {what} (`{needle}`); remove it from the pages this partner can see"
                    ),
                ));
            }
        }
    }
    found
}

/// `needle` in `text` with no letter, digit, `-` or `_` right before or after.
fn contains_word(text: &str, needle: &str) -> bool {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    text.match_indices(needle).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + needle.len()..].chars().next();
        !before.is_some_and(is_word) && !after.is_some_and(is_word)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_match_as_whole_words() {
        assert!(contains_word("see /partners/acme/ now", "acme"));
        assert!(!contains_word("acme-labs", "acme"));
        assert!(!contains_word("the acmeish", "acme"));
    }
}
