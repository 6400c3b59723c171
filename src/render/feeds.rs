//! Machine-readable files: `sitemap.xml`, `atom.xml`, the Atom feed of
//! each section with `generate_feed` (`/<section>/atom.xml`, its pages and
//! those of its subsections that the view holds) and `robots.txt`. Dates
//! come from the pages, never from the clock, so the bytes are stable.
//!
//! Every `<loc>` of a sitemap and every Atom id and link is absolute
//! (DESIGN.md §6). An output knows its pages' absolute URLs only when its
//! base URL is absolute (`base_url`, or for a partner's output
//! `partner_base_url`); without one it writes no sitemap, its Atom ids are
//! `tag:` URIs (RFC 4151) and its entries have no links, only their text.

use std::collections::BTreeMap;
use std::fmt::Write;

use time::Date;

use super::context::Summary;
use super::renderer::Sink;
use super::select::Selected;
use crate::config::{Config, is_absolute};
use crate::isolation::{View, partner_base_url};
use crate::site::Site;
use crate::values::date::rfc3339;
use crate::values::escape::xml;

/// How one output's feeds name its pages: by absolute URL where its base
/// is known, else by `tag:` URI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Naming {
    /// The output's absolute base URL (no trailing `/`), if known.
    base: Option<String>,
    /// `tag:<authority>,<date>:` and, in a partner's output, `<slug>`:
    /// a path is appended to make an id.
    tag: String,
}

impl Naming {
    /// The naming of the output `view` is rendered into (its config's
    /// base URL, which a partner's view has from `partner_base_url`).
    pub fn of_output(site: &Site, view: &View) -> Naming {
        Naming::new(site, site.config.absolute_base(), view.partner_slug())
    }

    /// The naming of partner `slug`'s own output, in any view: what the
    /// partner reads (its what's new feed and email) names its own pages.
    pub fn of_partner(site: &Site, slug: &str) -> Naming {
        let base = partner_base_url(&site.config, slug).filter(|b| is_absolute(b));
        Naming::new(site, base.as_deref(), Some(slug))
    }

    fn new(site: &Site, base: Option<&str>, slug: Option<&str>) -> Naming {
        let config = &site.config;
        Naming {
            base: base.map(|b| b.trim_end_matches('/').to_string()),
            tag: format!(
                "tag:{},{}:{}",
                config.tag_authority,
                tag_date(site),
                slug.unwrap_or("")
            ),
        }
    }

    /// The absolute URL of a site path (`/sales/`), if the base is known.
    pub fn link(&self, path: &str) -> Option<String> {
        self.base.as_ref().map(|b| format!("{b}{path}"))
    }

    /// The Atom id of a site path (a `#fragment` may follow it): its
    /// absolute URL, else its `tag:` URI.
    pub fn id(&self, path: &str) -> String {
        self.link(path)
            .unwrap_or_else(|| format!("{}{path}", self.tag))
    }
}

/// The date of the site's `tag:` URIs: the home page's `date`, else the
/// earliest `date` of any page or section, else 2000-01-01. It is part of
/// every id, so it must not move: no build date, no partner's data.
fn tag_date(site: &Site) -> Date {
    let content = &site.content;
    let home = content.sections.get("").and_then(|s| s.doc.meta.date);
    let pages = content.pages.iter().map(|p| &p.doc);
    let earliest = (pages.chain(content.sections.values().map(|s| &s.doc)))
        .filter_map(|d| d.meta.date)
        .min();
    home.or(earliest)
        .unwrap_or_else(|| Date::from_calendar_date(2000, time::Month::January, 1).expect("a date"))
}

/// Adds `sitemap.xml` (of every path the sink collected, when the output's
/// base URL is known), `atom.xml`, the sections' feeds and `robots.txt` to
/// the sink.
pub(crate) fn render(
    site: &Site,
    view: &View,
    summaries: &[Summary],
    selected: &Selected<'_>,
    sink: &mut Sink,
) {
    let config = &site.config;
    let naming = Naming::of_output(site, view);
    let mut paths = std::mem::take(&mut sink.sitemap);
    paths.sort();
    paths.dedup();
    let dates: BTreeMap<&str, Option<Date>> = summaries
        .iter()
        .map(|s| (s.path.as_str(), s.changed()))
        .collect();
    if naming.base.is_some() {
        let text = sitemap(&naming, &paths, &dates);
        sink.file(selected, "sitemap.xml".to_string(), text.into_bytes());
    }
    let site_feed = Feed {
        title: &config.title,
        subtitle: &config.description,
        path: "/atom.xml",
        home: "/",
    };
    let files = [
        (
            "atom.xml",
            atom(config, &naming, &site_feed, summaries.iter()),
        ),
        ("robots.txt", robots(&naming, view)),
    ];
    for (file, text) in files {
        sink.file(selected, file.to_string(), text.into_bytes());
    }
    // The home page's feed is the site's, `/atom.xml`.
    for (section, _) in selected.sections.values() {
        if !section.doc.meta.generate_feed || section.key.is_empty() {
            continue;
        }
        let key = section.key.as_str();
        let within = |s: &str| s == key || s.starts_with(&format!("{key}/"));
        let pages = (selected.pages.iter().zip(summaries))
            .filter(|((p, _), _)| within(&p.section))
            .map(|(_, s)| s);
        let path = format!("{}atom.xml", section.doc.path);
        let title = format!("{} · {}", section.doc.meta.title, config.title);
        let feed = Feed {
            title: &title,
            subtitle: &section.doc.meta.description,
            path: &path,
            home: &section.doc.path,
        };
        let text = atom(config, &naming, &feed, pages);
        sink.file(
            selected,
            path.trim_start_matches('/').to_string(),
            text.into_bytes(),
        );
    }
    sink.sitemap = paths;
}

/// What an Atom feed is of: its title, and the URL paths of the feed and
/// of the page it is the feed of.
pub struct Feed<'a> {
    pub title: &'a str,
    pub subtitle: &'a str,
    pub path: &'a str,
    pub home: &'a str,
}

/// Every HTML page of the build, sorted, with the date it last changed.
pub fn sitemap(naming: &Naming, paths: &[String], dates: &BTreeMap<&str, Option<Date>>) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in paths {
        let _ = write!(out, "  <url>\n    <loc>{}</loc>\n", xml(&naming.id(path)));
        if let Some(Some(date)) = dates.get(path.as_str()) {
            let _ = writeln!(out, "    <lastmod>{date}</lastmod>");
        }
        out.push_str("  </url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// The 20 most recently changed of `summaries` (by `updated`, else `date`).
pub fn atom<'a>(
    config: &Config,
    naming: &Naming,
    feed: &Feed<'_>,
    summaries: impl Iterator<Item = &'a Summary>,
) -> String {
    let mut entries: Vec<&Summary> = summaries.filter(|s| s.changed().is_some()).collect();
    entries.sort_by(|a, b| {
        b.changed()
            .cmp(&a.changed())
            .then_with(|| a.path.cmp(&b.path))
    });
    entries.truncate(20);
    let newest = entries
        .first()
        .and_then(|s| s.changed())
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), rfc3339);
    let mut out = feed_head(&FeedHead {
        language: &config.language,
        title: feed.title,
        subtitle: feed.subtitle,
        feed: naming.link(feed.path),
        alternate: naming.link(feed.home),
        id: naming.id(feed.home),
        updated: &newest,
    });
    for s in entries {
        let entry = Entry {
            title: &s.title,
            link: naming.link(&s.path),
            id: naming.id(&s.path),
            published: s.date.map(rfc3339),
            updated: s.changed().map(rfc3339).unwrap_or_default(),
            author: &config.title,
            text: &s.description,
        };
        entry.write(&mut out);
    }
    out.push_str("</feed>\n");
    out
}

/// The head of an Atom feed, up to its first entry.
pub struct FeedHead<'a> {
    pub language: &'a str,
    pub title: &'a str,
    pub subtitle: &'a str,
    /// The feed's own absolute URL, if known.
    pub feed: Option<String>,
    /// The page it is the feed of, if its URL is known.
    pub alternate: Option<String>,
    pub id: String,
    pub updated: &'a str,
}

/// `<?xml …?><feed …>` with the feed's title, links, id and date.
pub fn feed_head(h: &FeedHead<'_>) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{}</title>\n",
        xml(h.language),
        xml(h.title)
    );
    let _ = writeln!(out, "  <subtitle>{}</subtitle>", xml(h.subtitle));
    if let Some(feed) = &h.feed {
        let _ = writeln!(
            out,
            "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
            xml(feed)
        );
    }
    if let Some(page) = &h.alternate {
        let _ = writeln!(
            out,
            "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            xml(page)
        );
    }
    let _ = write!(
        out,
        "  <id>{}</id>\n  <updated>{}</updated>\n",
        xml(&h.id),
        h.updated
    );
    out
}

/// One Atom entry.
pub struct Entry<'a> {
    pub title: &'a str,
    /// The page it is about, if its absolute URL is known.
    pub link: Option<String>,
    pub id: String,
    pub published: Option<String>,
    pub updated: String,
    pub author: &'a str,
    /// Its text: the summary beside a link, else its content (an entry
    /// without a link must have content, RFC 4287 §4.1.2; the title if
    /// it has no other text).
    pub text: &'a str,
}

impl Entry<'_> {
    pub fn write(&self, out: &mut String) {
        let _ = writeln!(out, "  <entry>\n    <title>{}</title>", xml(self.title));
        if let Some(link) = &self.link {
            let _ = writeln!(
                out,
                "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
                xml(link)
            );
        }
        let _ = writeln!(out, "    <id>{}</id>", xml(&self.id));
        if let Some(published) = &self.published {
            let _ = writeln!(out, "    <published>{published}</published>");
        }
        let _ = write!(
            out,
            "    <updated>{}</updated>\n    <author><name>{}</name></author>\n",
            self.updated,
            xml(self.author)
        );
        if self.link.is_some() {
            let _ = writeln!(out, "    <summary>{}</summary>", xml(self.text));
        } else {
            let text = if self.text.is_empty() {
                self.title
            } else {
                self.text
            };
            let _ = writeln!(out, "    <content type=\"text\">{}</content>", xml(text));
        }
        out.push_str("  </entry>\n");
    }
}

/// Only the public audience may be indexed; internal and partner outputs
/// hold confidential material. Its sitemap is named when it has one.
pub fn robots(naming: &Naming, view: &View) -> String {
    match (view, naming.link("/sitemap.xml")) {
        (View::Public, Some(sitemap)) => format!("User-agent: *\nAllow: /\nSitemap: {sitemap}\n"),
        (View::Public, None) => "User-agent: *\nAllow: /\n".to_string(),
        _ => "User-agent: *\nDisallow: /\n".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naming(base: Option<&str>, tag: &str) -> Naming {
        Naming {
            base: base.map(str::to_string),
            tag: tag.to_string(),
        }
    }

    #[test]
    fn ids_are_urls_where_the_base_is_known_else_tag_uris() {
        let known = naming(Some("https://p.example/docs"), "tag:p.example,2026-01-12:");
        assert_eq!(known.id("/sales/"), "https://p.example/docs/sales/");
        assert_eq!(known.link("/"), Some("https://p.example/docs/".into()));
        let partner = naming(None, "tag:p.example,2026-01-12:acme");
        assert_eq!(
            partner.id("/sales/"),
            "tag:p.example,2026-01-12:acme/sales/"
        );
        assert_eq!(partner.link("/sales/"), None);
    }

    #[test]
    fn an_entry_without_a_link_has_content() {
        let mut out = String::new();
        Entry {
            title: "T",
            link: None,
            id: "tag:x,2026-01-01:/t/".into(),
            published: None,
            updated: "2026-01-01T00:00:00Z".into(),
            author: "A",
            text: "Words & more",
        }
        .write(&mut out);
        assert!(out.contains("<content type=\"text\">Words &amp; more</content>"));
        assert!(!out.contains("<link"), "{out}");
    }

    #[test]
    fn robots_names_only_an_absolute_sitemap() {
        let known = naming(Some("https://p.example"), "tag:p.example,2026-01-12:");
        let unknown = naming(None, "tag:p,2026-01-12:");
        assert!(robots(&known, &View::Public).contains("Sitemap: https://p.example/sitemap.xml"));
        assert!(!robots(&unknown, &View::Public).contains("Sitemap"));
        assert!(robots(&known, &View::Internal).contains("Disallow: /"));
    }
}
