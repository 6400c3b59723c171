//! Audiences (DESIGN.md §5): who an output is for, the views each one
//! builds, and the leak guard that checks a partner's output afterwards.

use std::fmt;
use std::str::FromStr;

use crate::data::partner::Partner;
use crate::diagnostic::Diagnostic;
use crate::output::Output;
use crate::render::View;
use crate::site::Site;

/// The `--audience` of a build.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Audience {
    /// Everything: all pages, every partner report, the dashboard.
    #[default]
    Internal,
    /// Only `audience = "public"` pages; no partner data at all.
    Public,
    /// What one partner may see.
    Partner(String),
    /// Every partner's view, each in `<out>/<slug>/`.
    Partners,
}

impl FromStr for Audience {
    type Err = String;

    fn from_str(s: &str) -> Result<Audience, String> {
        match s {
            "internal" => Ok(Audience::Internal),
            "public" => Ok(Audience::Public),
            "partners" => Ok(Audience::Partners),
            _ => match s.strip_prefix("partner:") {
                Some(slug) if !slug.is_empty() => Ok(Audience::Partner(slug.to_string())),
                _ => Err(format!(
                    "unknown audience `{s}`: use internal, public, partner:<slug> or partners"
                )),
            },
        }
    }
}

impl fmt::Display for Audience {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Audience::Internal => f.write_str("internal"),
            Audience::Public => f.write_str("public"),
            Audience::Partner(slug) => write!(f, "partner:{slug}"),
            Audience::Partners => f.write_str("partners"),
        }
    }
}

/// One output to render: the view, and the folder (under the output root)
/// it goes to (`""` for the root itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub view: View,
    pub folder: String,
}

/// The views an audience builds, or a usage error naming the known partners.
pub fn targets(audience: &Audience, site: &Site) -> Result<Vec<Target>, String> {
    let partner_view = |p: &Partner| View::Partner {
        slug: p.slug.clone(),
        tier: p.tier,
    };
    Ok(match audience {
        Audience::Internal => vec![Target {
            view: View::Internal,
            folder: String::new(),
        }],
        Audience::Public => vec![Target {
            view: View::Public,
            folder: String::new(),
        }],
        Audience::Partner(slug) => {
            let p = site
                .data
                .partner(slug)
                .ok_or_else(|| unknown_partner(slug, site))?;
            vec![Target {
                view: partner_view(p),
                folder: String::new(),
            }]
        }
        Audience::Partners => site
            .data
            .partners
            .iter()
            .map(|p| Target {
                view: partner_view(p),
                folder: p.slug.clone(),
            })
            .collect(),
    })
}

fn unknown_partner(slug: &str, site: &Site) -> String {
    let known: Vec<&str> = site.data.partners.iter().map(|p| p.slug.as_str()).collect();
    if known.is_empty() {
        format!("unknown partner `{slug}`: this site has no partners in data/partners/")
    } else {
        format!(
            "unknown partner `{slug}`; known partners: {}",
            known.join(", ")
        )
    }
}

/// Checks a partner's rendered output for anything of another partner
/// (name, slug, logo file) or of an internal page (its title). This is
/// defence in depth: the view is already built from filtered data.
pub fn leak_guard(site: &Site, slug: &str, output: &Output, folder: &str) -> Vec<Diagnostic> {
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
        .filter(|d| d.meta.audience == crate::content::Audience::Internal)
    {
        let title = &doc.meta.title;
        needles.push((
            title.clone(),
            format!(
                "the title of internal page {}",
                crate::diagnostic::display_path(&doc.file)
            ),
            false,
        ));
        // Escaped forms are what HTML holds.
        let escaped = crate::highlight::escape_attr(title);
        if escaped != *title {
            needles.push((
                escaped,
                format!(
                    "the title of internal page {}",
                    crate::diagnostic::display_path(&doc.file)
                ),
                false,
            ));
        }
    }
    for p in site.data.partners.iter().filter(|p| p.slug != slug) {
        let escaped = crate::highlight::escape_attr(&p.name);
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
    fn parses_every_audience() {
        assert_eq!("internal".parse(), Ok(Audience::Internal));
        assert_eq!("public".parse(), Ok(Audience::Public));
        assert_eq!("partners".parse(), Ok(Audience::Partners));
        assert_eq!("partner:acme".parse(), Ok(Audience::Partner("acme".into())));
        assert!("partner:".parse::<Audience>().is_err());
        assert!("everyone".parse::<Audience>().is_err());
    }

    #[test]
    fn slugs_match_as_whole_words() {
        assert!(contains_word("see /partners/acme/ now", "acme"));
        assert!(!contains_word("acme-labs", "acme"));
        assert!(!contains_word("the acmeish", "acme"));
    }
}
