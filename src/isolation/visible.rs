//! What a view shows: its pages and sections (and the URLs its links may
//! use), the partners whose reports it holds, the co-branded copies it
//! holds, and which pages a partner's report lists.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use super::view::View;
use crate::content::{Document, Page, PageAudience};
use crate::data::Partner;
use crate::site::Site;
use crate::values::Tier;

/// Which documents a view shows, and the URLs links may use: decided by the
/// site's structure alone (the same after a change that keeps every file,
/// URL and front matter).
#[derive(Debug, Clone)]
pub struct Selection {
    /// Indices into `Content::pages`, in order.
    pub pages: Vec<usize>,
    /// Section keys, in order.
    pub sections: Vec<String>,
    /// Every document by its `content/` path: its URL if it is in this
    /// output, `None` if it exists but is not.
    pub links: Arc<BTreeMap<String, Option<String>>>,
    /// Every document by its `content/` path: its URL, in the output or not.
    pub urls: Arc<BTreeMap<String, String>>,
}

/// The documents of `site` that `view` shows: a page or section is shown if
/// the view shows it and every section above it.
pub fn selection(site: &Site, view: &View) -> Selection {
    let content = &site.content;
    let shown_sections = shown_sections(site, view);
    let page_shown = |p: &Page| view.shows(&p.doc) && shown_sections.contains(p.section.as_str());
    // Every document's URL (for `get_url`), and for `@/` links only those
    // of documents in this view.
    let mut urls = BTreeMap::new();
    let mut links = BTreeMap::new();
    let docs = content.pages.iter().map(|p| (&p.doc, page_shown(p))).chain(
        content
            .sections
            .values()
            .map(|s| (&s.doc, shown_sections.contains(s.key.as_str()))),
    );
    for (doc, shown) in docs.filter(|(d, _)| d.is_linkable()) {
        let path = doc.content_path();
        let url = site.config.url(&doc.path);
        links.insert(path.clone(), shown.then(|| url.clone()));
        urls.insert(path, url);
    }
    Selection {
        pages: (0..content.pages.len())
            .filter(|&i| page_shown(&content.pages[i]))
            .collect(),
        sections: content
            .sections
            .keys()
            .filter(|k| shown_sections.contains(k.as_str()))
            .cloned()
            .collect(),
        links: Arc::new(links),
        urls: Arc::new(urls),
    }
}

/// The pages of `site` that `view` shows (as `selection` chooses them), by
/// index into `Content::pages`, in order.
pub fn pages_shown(site: &Site, view: &View) -> Vec<usize> {
    let shown_sections = shown_sections(site, view);
    (site.content.pages.iter().enumerate())
        .filter(|(_, p)| view.shows(&p.doc) && shown_sections.contains(p.section.as_str()))
        .map(|(i, _)| i)
        .collect()
}

/// The keys of the sections `view` shows: the view shows the section and
/// every section above it.
fn shown_sections<'s>(site: &'s Site, view: &View) -> HashSet<&'s str> {
    let content = &site.content;
    let shown_section = |key: &str| {
        key.is_empty()
            || (content
                .sections
                .get(key)
                .is_some_and(|s| view.shows(&s.doc))
                && content
                    .ancestors(key)
                    .iter()
                    .all(|a| a.key.is_empty() || view.shows(&a.doc)))
    };
    content
        .sections
        .keys()
        .map(String::as_str)
        .filter(|k| shown_section(k))
        .collect()
}

/// The partners whose reports (and co-branded copies) a view holds.
pub fn partners_in_view<'s>(site: &'s Site, view: &View) -> Vec<&'s Partner> {
    match view {
        View::Internal => site.data.partners.iter().collect(),
        View::Public => Vec::new(),
        View::Partner { slug, .. } => site.data.partner(slug).into_iter().collect(),
    }
}

/// Whether a page gets a co-branded copy for `partner`: it is co-branded,
/// not internal, allows the partner's tier, and the partner has not left
/// (a partner that left gets no new co-branded material).
pub fn cobrand_allows(page: &Page, partner: &Partner) -> bool {
    cobrand_allows_at(page, partner, partner.tier)
}

/// Whether a page would get a co-branded copy for `partner` if it were in
/// `tier`.
pub(super) fn cobrand_allows_at(page: &Page, partner: &Partner, tier: Tier) -> bool {
    let meta = &page.doc.meta;
    meta.cobrand
        && partner.left.is_none()
        && meta.audience != PageAudience::Internal
        && (meta.tiers.is_empty() || meta.tiers.contains(&tier))
}

/// URL path of a partner's co-branded copy of a page.
pub fn cobrand_path(partner: &Partner, page: &Page) -> String {
    format!("/partners/{}/{}/", partner.slug, page.slug)
}

fn allows_tier(doc: &Document, tier: Tier) -> bool {
    doc.meta.tiers.is_empty() || doc.meta.tiers.contains(&tier)
}

/// How a partner's report lists a page of its view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Listed {
    /// A playbook (tagged `playbook`) for the partner's tier.
    pub playbook: bool,
    /// A page limited to some tiers, the partner's among them.
    pub tier_resource: bool,
}

impl Listed {
    pub fn any(self) -> bool {
        self.playbook || self.tier_resource
    }
}

/// How the report of a partner in `tier` lists `doc`, a page of the view
/// being rendered (it depends on the partner's tier alone).
pub fn recommended_for(doc: &Document, tier: Tier) -> Listed {
    let meta = &doc.meta;
    Listed {
        playbook: meta.tags.iter().any(|t| t == "playbook") && allows_tier(doc, tier),
        tier_resource: meta.tiers.contains(&tier),
    }
}

/// Why `view` holds `doc`, in words for a reviewer (the manifest of a
/// partner's or the public output says it of every page).
pub fn why_shown(view: &View, doc: &Document) -> String {
    let meta = &doc.meta;
    let tiers = |tiers: &[crate::values::Tier]| {
        let list: Vec<String> = tiers.iter().map(|t| t.to_string()).collect();
        list.join(", ")
    };
    match (view, meta.audience) {
        (View::Internal, _) => "the internal view holds every page".into(),
        (_, PageAudience::Public) if meta.tiers.is_empty() => "a public page".into(),
        (View::Public, _) => "a public page".into(),
        (View::Partner { tier, .. }, audience) => {
            let what = match audience {
                PageAudience::Public => "a public page",
                _ => "a page for partners",
            };
            if meta.tiers.is_empty() {
                format!("{what}, every tier")
            } else {
                format!(
                    "{what} of tiers {}, this partner's tier {tier} among them",
                    tiers(&meta.tiers)
                )
            }
        }
    }
}
