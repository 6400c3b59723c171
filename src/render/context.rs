//! Typed contexts handed to templates (see docs/templates.md).
//!
//! Everything here is computed in Rust and borrowed by the contexts;
//! templates only lay out finished values.

use std::sync::Arc;

use serde::Serialize;
use time::Date;

use super::paths::taxonomy_path;
use crate::config::Config;
use crate::content::{Document, PageAudience};
use crate::data::Partner;
use crate::markdown::{Rendered, TocEntry};
use crate::site::Site;
use crate::theme::Theme;
use crate::values::colour::{contrast, text_on};
use crate::values::{Tier, date};

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

/// A page as listings show it: no body. Only the fields some template
/// may show are handed to templates (`Shown`).
#[derive(Debug, Clone)]
pub struct Summary {
    pub title: String,
    pub description: String,
    pub url: String,
    pub permalink: String,
    pub path: String,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    pub tags: Vec<NamedLink>,
    pub track: Option<NamedLink>,
    pub tiers: Vec<Tier>,
    pub audience: PageAudience,
    pub reading_time: usize,
    pub word_count: usize,
    /// The HTML before the page's `<!-- more -->` line, if it has one.
    pub summary: Option<String>,
    /// Which of the fields above templates are given.
    pub shown: Arc<Shown>,
}

/// The names of a summary's fields, as templates read them.
const FIELDS: [&str; 14] = [
    "title",
    "description",
    "url",
    "permalink",
    "path",
    "date",
    "updated",
    "tags",
    "track",
    "tiers",
    "audience",
    "reading_time",
    "word_count",
    "summary",
];

/// The fields of a page's summary that some template of the theme may show
/// (`Theme::may_show`: one names it, or one reaches fields by computed
/// names). The others are left out of every context: a listing of
/// thousands of pages is built, held and dropped for each of its pages,
/// and most themes show a few fields of each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown([bool; FIELDS.len()]);

impl Shown {
    pub fn of(theme: &Theme) -> Shown {
        Shown(FIELDS.map(|field| theme.may_show(field)))
    }
}

impl Serialize for Summary {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let on = &self.shown.0;
        let mut map = serializer.serialize_map(Some(on.iter().filter(|s| **s).count()))?;
        // The fields in the order of `FIELDS`.
        macro_rules! entries {
            ($($value:expr),* $(,)?) => {{
                let mut i = 0;
                $(
                    if on[i] {
                        map.serialize_entry(FIELDS[i], $value)?;
                    }
                    i += 1;
                )*
                debug_assert_eq!(i, FIELDS.len());
            }};
        }
        entries!(
            &self.title,
            &self.description,
            &self.url,
            &self.permalink,
            &self.path,
            &OptDate(self.date),
            &OptDate(self.updated),
            &self.tags,
            &self.track,
            &self.tiers,
            &self.audience,
            &self.reading_time,
            &self.word_count,
            &self.summary,
        );
        map.end()
    }
}

/// A date as templates see it (`date::serialize_opt`).
struct OptDate(Option<Date>);

impl Serialize for OptDate {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        date::serialize_opt(&self.0, serializer)
    }
}

/// Minutes a page of `words` words takes to read, at 200 words a minute.
pub fn reading_time(words: usize) -> usize {
    words.div_ceil(200).max(1)
}

impl Summary {
    pub fn new(
        config: &Config,
        shown: &Arc<Shown>,
        doc: &Document,
        rendered: &Rendered,
    ) -> Summary {
        let meta = &doc.meta;
        Summary {
            title: meta.title.clone(),
            description: meta.description.clone(),
            url: config.url(&doc.path),
            permalink: config.permalink(&doc.path),
            path: doc.path.clone(),
            date: meta.date,
            updated: meta.updated,
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
            reading_time: reading_time(rendered.word_count),
            word_count: rendered.word_count,
            summary: rendered.summary.clone(),
            shown: Arc::clone(shown),
        }
    }

    /// When the page last changed: `updated`, else `date`.
    pub fn changed(&self) -> Option<Date> {
        self.updated.or(self.date)
    }
}

/// `page` in `page.html`.
#[derive(Debug, Serialize)]
pub struct PageContext<'a> {
    #[serde(flatten)]
    pub summary: &'a Summary,
    pub content: &'a str,
    pub slug: &'a str,
    #[serde(serialize_with = "date::serialize_opt")]
    pub review_by: Option<Date>,
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
    /// The section's own Atom feed, if it has `generate_feed`.
    pub feed_url: Option<String>,
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
    pub viewer: Option<PartnerContext>,
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

/// The site's own colour, used where a partner's is missing or unreadable.
const FALLBACK_PRIMARY: &str = "#4a2c1d";
/// The lightest background of the cafe theme's dark mode (`--surface-2` of
/// its site.css), which partner links must be readable on.
const DARK_SURFACE: &str = "#2f231b";
/// The theme's own link colour in dark mode (`--accent`), used where neither
/// partner colour is readable there.
const FALLBACK_LINK_DARK: &str = "#6fd1c7";

/// A partner as templates and co-branded markdown see it (`partner`).
#[derive(Debug, Clone, Serialize)]
pub struct PartnerContext {
    pub slug: String,
    pub name: String,
    /// Null on the generic version of a co-branded page.
    pub tier: Option<Tier>,
    pub tier_name: String,
    pub segment: String,
    pub website: Option<String>,
    #[serde(serialize_with = "date::serialize_opt")]
    pub joined: Option<Date>,
    #[serde(serialize_with = "date::serialize_opt")]
    pub left: Option<Date>,
    pub phase: Option<&'static str>,
    pub logo_url: Option<String>,
    /// `#rrggbb`, safe to put in CSS.
    pub primary: String,
    pub accent: String,
    /// Black or white, whichever reads better on `primary`.
    pub text_on_primary: &'static str,
    /// `accent` if it is readable as text on white, else `primary` or the
    /// site colour.
    pub link_colour: String,
    /// The same for dark mode: `accent` or `primary` if readable as text on
    /// the theme's dark backgrounds, else the theme's dark link colour.
    pub link_colour_dark: String,
    pub url: Option<String>,
}

impl PartnerContext {
    pub fn new(site: &Site, p: &Partner) -> Self {
        let primary = p
            .brand
            .primary
            .clone()
            .unwrap_or_else(|| FALLBACK_PRIMARY.into());
        let accent = p.brand.accent.clone().unwrap_or_else(|| primary.clone());
        let readable = |c: &str| contrast(c, "#ffffff").is_some_and(|r| r >= 4.5);
        let link_colour = [&accent, &primary]
            .into_iter()
            .find(|c| readable(c))
            .cloned()
            .unwrap_or_else(|| FALLBACK_PRIMARY.into());
        let readable_dark = |c: &str| contrast(c, DARK_SURFACE).is_some_and(|r| r >= 4.5);
        let link_colour_dark = [&accent, &primary]
            .into_iter()
            .find(|c| readable_dark(c))
            .cloned()
            .unwrap_or_else(|| FALLBACK_LINK_DARK.into());
        PartnerContext {
            slug: p.slug.clone(),
            name: p.name.clone(),
            tier: Some(p.tier),
            tier_name: format!("Tier {} · {}", p.tier, p.tier.name()),
            segment: p.segment.clone(),
            website: p.website.clone(),
            joined: Some(p.joined),
            left: p.left,
            phase: p.phase.map(|x| x.name()),
            logo_url: p
                .brand
                .logo
                .as_ref()
                .map(|l| site.config.url(&format!("/{}", l.trim_start_matches('/')))),
            text_on_primary: text_on(&primary),
            primary,
            accent,
            link_colour,
            link_colour_dark,
            url: Some(site.config.url(&format!("/partners/{}/", p.slug))),
        }
    }

    /// The stand-in used on the generic version of a kit.
    pub fn placeholder(site: &Site) -> Self {
        PartnerContext {
            slug: String::new(),
            name: site.config.cobrand_placeholder.clone(),
            tier: None,
            tier_name: "your partner tier".into(),
            segment: String::new(),
            website: None,
            joined: None,
            left: None,
            phase: None,
            logo_url: None,
            primary: FALLBACK_PRIMARY.into(),
            accent: FALLBACK_PRIMARY.into(),
            text_on_primary: "#ffffff",
            link_colour: FALLBACK_PRIMARY.into(),
            link_colour_dark: FALLBACK_LINK_DARK.into(),
            url: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_are_given_only_the_fields_some_template_may_show() {
        let summary = |shown: Shown| Summary {
            title: "T".into(),
            description: String::new(),
            url: "/a/".into(),
            permalink: String::new(),
            path: String::new(),
            date: Some(time::macros::date!(2026 - 12 - 06)),
            updated: None,
            tags: Vec::new(),
            track: None,
            tiers: Vec::new(),
            audience: PageAudience::Public,
            reading_time: 1,
            word_count: 12,
            summary: None,
            shown: Arc::new(shown),
        };
        let some = Shown(FIELDS.map(|f| ["title", "date", "word_count"].contains(&f)));
        let value = serde_json::to_value(summary(some)).unwrap();
        let expected = serde_json::json!({"title": "T", "date": "2026-12-06", "word_count": 12});
        assert_eq!(value, expected);
        let every = serde_json::to_value(summary(Shown([true; FIELDS.len()]))).unwrap();
        let keys: Vec<&str> = every
            .as_object()
            .unwrap()
            .keys()
            .map(|k| k.as_str())
            .collect();
        let mut fields = FIELDS.to_vec();
        fields.sort();
        assert_eq!(keys, fields);
    }

    #[test]
    fn dark_mode_links_are_readable_on_the_dark_theme() {
        for colour in [FALLBACK_LINK_DARK, "#ffb000"] {
            assert!(contrast(colour, DARK_SURFACE).unwrap() >= 4.5, "{colour}");
        }
        // Northwind's blue, its primary, reads on white but not on dark.
        assert!(contrast("#0b5fff", DARK_SURFACE).unwrap() < 4.5);
    }
}
