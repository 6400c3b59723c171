//! Who an output is for: the `--audience` of a build, and the views it is
//! made of (one per output folder).

use std::fmt;
use std::str::FromStr;

use crate::content::{Document, PageAudience};
use crate::data::Partner;
use crate::site::Site;
use crate::values::Tier;

/// The `--audience` of a build: who its output is for.
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

/// Who one output is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum View {
    Internal,
    Public,
    Partner { slug: String, tier: Tier },
}

impl View {
    /// The view of one partner.
    pub fn of(p: &Partner) -> View {
        View::Partner {
            slug: p.slug.clone(),
            tier: p.tier,
        }
    }

    /// Whether a page or section of this audience and tiers is in the view
    /// (its sections must be too: see `selection`).
    pub fn shows(&self, doc: &Document) -> bool {
        self.allows(doc.meta.audience, &doc.meta.tiers)
    }

    /// Whether something for `audience` and `tiers` (empty: all) is in the
    /// view: a page, a section, an `only` block.
    pub fn allows(&self, audience: PageAudience, tiers: &[Tier]) -> bool {
        match self {
            View::Internal => true,
            View::Public => audience == PageAudience::Public,
            View::Partner { tier, .. } => {
                audience != PageAudience::Internal && (tiers.is_empty() || tiers.contains(tier))
            }
        }
    }

    /// `internal`, `public` or `partner`, as templates see it.
    pub fn name(&self) -> &'static str {
        match self {
            View::Internal => "internal",
            View::Public => "public",
            View::Partner { .. } => "partner",
        }
    }

    /// Whether the view holds the partner directory and the dashboard.
    pub fn shows_program(&self) -> bool {
        *self == View::Internal
    }

    /// The partner the view is for, if it is a partner's.
    pub fn partner_slug(&self) -> Option<&str> {
        match self {
            View::Partner { slug, .. } => Some(slug),
            _ => None,
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
    let root = |view| {
        vec![Target {
            view,
            folder: String::new(),
        }]
    };
    Ok(match audience {
        Audience::Internal => root(View::Internal),
        Audience::Public => root(View::Public),
        Audience::Partner(slug) => {
            let p = site
                .data
                .partner(slug)
                .ok_or_else(|| unknown_partner(slug, site))?;
            root(View::of(p))
        }
        Audience::Partners => site
            .data
            .partners
            .iter()
            .map(|p| Target {
                view: View::of(p),
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
}
