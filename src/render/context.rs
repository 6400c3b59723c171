//! Typed contexts handed to templates (see docs/templates.md).
//!
//! Everything here is computed in Rust and borrowed by the contexts; templates
//! only lay out finished values.

use serde::Serialize;

use crate::config::Config;
use crate::content::{Audience, Document};
use crate::markdown::{Rendered, TocEntry};

/// A link with a label: tags, tracks, breadcrumbs, menu entries.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct NamedLink {
    pub name: String,
    pub url: String,
}

/// A breadcrumb or menu entry.
#[derive(Debug, Clone, Serialize)]
pub struct TitledLink {
    pub title: String,
    pub url: String,
}

/// A page as listings show it: no body.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub title: String,
    pub description: String,
    pub url: String,
    pub permalink: String,
    pub path: String,
    pub date: Option<String>,
    pub updated: Option<String>,
    pub tags: Vec<NamedLink>,
    pub track: Option<NamedLink>,
    pub tiers: Vec<u8>,
    pub audience: Audience,
    pub reading_time: usize,
    pub word_count: usize,
}

impl Summary {
    pub fn new(config: &Config, doc: &Document, rendered: &Rendered) -> Summary {
        let meta = &doc.meta;
        Summary {
            title: meta.title.clone(),
            description: meta.description.clone(),
            url: config.url(&doc.path),
            permalink: config.permalink(&doc.path),
            path: doc.path.clone(),
            date: meta.date.map(|d| d.to_string()),
            updated: meta.updated.map(|d| d.to_string()),
            tags: meta
                .tags
                .iter()
                .map(|t| NamedLink {
                    name: t.clone(),
                    url: config.url(&taxonomy_path("tags", t)),
                })
                .collect(),
            track: meta.track.map(|t| NamedLink {
                name: t.name().to_string(),
                url: config.url(&taxonomy_path("tracks", t.name())),
            }),
            tiers: meta.tiers.clone(),
            audience: meta.audience,
            reading_time: rendered.word_count.div_ceil(200).max(1),
            word_count: rendered.word_count,
        }
    }
}

/// The URL path of a taxonomy term.
pub fn taxonomy_path(kind: &str, name: &str) -> String {
    format!("/{kind}/{}/", slugify(name))
}

/// `slug::slugify`, remembered per thread: a site has a few dozen tags and
/// 10,000 pages that carry them.
pub fn slugify(name: &str) -> String {
    use std::cell::RefCell;
    use std::collections::HashMap;
    thread_local! {
        static SLUGS: RefCell<HashMap<String, String>> = RefCell::new(HashMap::new());
    }
    SLUGS.with(|slugs| {
        if let Some(slug) = slugs.borrow().get(name) {
            return slug.clone();
        }
        let slug = slug::slugify(name);
        let mut slugs = slugs.borrow_mut();
        if slugs.len() > 10_000 {
            slugs.clear();
        }
        slugs.insert(name.to_string(), slug.clone());
        slug
    })
}

/// `page` in `page.html`.
#[derive(Debug, Serialize)]
pub struct PageContext<'a> {
    #[serde(flatten)]
    pub summary: &'a Summary,
    pub content: &'a str,
    pub slug: &'a str,
    pub review_by: Option<String>,
    pub toc: &'a [TocEntry],
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
    pub cobrand: bool,
    pub ancestors: Vec<TitledLink>,
    pub cobrand_copies: Vec<NamedLink>,
}

/// An entry of `section.subsections`.
#[derive(Debug, Serialize)]
pub struct SubsectionContext<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub url: String,
    pub pages_count: usize,
}

/// `section` in `section.html` and `index.html`.
#[derive(Debug, Serialize)]
pub struct SectionContext<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub content: &'a str,
    pub url: String,
    pub permalink: String,
    pub path: &'a str,
    pub toc: &'a [TocEntry],
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
    pub ancestors: Vec<TitledLink>,
    pub pages: Vec<&'a Summary>,
    pub subsections: Vec<SubsectionContext<'a>>,
}

/// `site` in every template.
#[derive(Debug, Clone, Serialize)]
pub struct SiteContext {
    pub menu: Vec<TitledLink>,
    pub logo_url: Option<String>,
    pub audience: &'static str,
    pub has_tags: bool,
    pub has_tracks: bool,
    pub has_partners: bool,
    pub has_dashboard: bool,
    /// The partner a partner view is for (its report is in the output).
    pub viewer: Option<crate::cobrand::PartnerContext>,
}

/// The variables every template gets, plus the template's own.
#[derive(Serialize)]
pub struct Globals<'a, T: Serialize> {
    pub config: &'a Config,
    pub site: &'a SiteContext,
    pub current_path: &'a str,
    pub current_url: String,
    #[serde(flatten)]
    pub own: T,
}
