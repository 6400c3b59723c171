//! Machine-readable files: `sitemap.xml`, `atom.xml`, the Atom feed of
//! each section with `generate_feed` (`/<section>/atom.xml`, its pages and
//! those of its subsections that the view holds) and `robots.txt`. Dates
//! come from the pages, never from the clock, so the bytes are stable.

use std::collections::BTreeMap;
use std::fmt::Write;

use time::Date;

use super::context::Summary;
use super::renderer::Sink;
use super::select::Selected;
use crate::config::Config;
use crate::isolation::View;
use crate::values::date::rfc3339;
use crate::values::escape::xml;

/// Adds `sitemap.xml` (of every path the sink collected), `atom.xml` and
/// `robots.txt` to the sink.
pub(crate) fn render(
    config: &Config,
    view: &View,
    summaries: &[Summary],
    selected: &Selected<'_>,
    sink: &mut Sink,
) {
    let mut paths = std::mem::take(&mut sink.sitemap);
    paths.sort();
    paths.dedup();
    let dates: BTreeMap<&str, Option<Date>> = summaries
        .iter()
        .map(|s| (s.path.as_str(), s.changed()))
        .collect();
    let site_feed = Feed {
        title: &config.title,
        subtitle: &config.description,
        path: "/atom.xml",
        home: "/",
    };
    let files = [
        ("sitemap.xml".to_string(), sitemap(config, &paths, &dates)),
        (
            "atom.xml".to_string(),
            atom(config, &site_feed, summaries.iter()),
        ),
        ("robots.txt".to_string(), robots(config, view)),
    ];
    for (file, text) in files {
        sink.file(selected, file, text.into_bytes());
    }
    // The home page's feed is the site's, `/atom.xml`.
    for (section, _) in selected.sections.values() {
        if !section.doc.meta.generate_feed || section.key.is_empty() {
            continue;
        }
        let key = section.key.as_str();
        let within = |s: &str| key.is_empty() || s == key || s.starts_with(&format!("{key}/"));
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
        let text = atom(config, &feed, pages);
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
pub fn sitemap(config: &Config, paths: &[String], dates: &BTreeMap<&str, Option<Date>>) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in paths {
        let _ = write!(
            out,
            "  <url>\n    <loc>{}</loc>\n",
            xml(&config.permalink(path))
        );
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
    let mut out = String::new();
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n  <title>{title}</title>\n  <subtitle>{sub}</subtitle>\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"{feed}\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{home}\"/>\n  <id>{home}</id>\n  <updated>{newest}</updated>\n",
        lang = xml(&config.language),
        title = xml(feed.title),
        sub = xml(feed.subtitle),
        feed = xml(&config.permalink(feed.path)),
        home = xml(&config.permalink(feed.home)),
    );
    for s in entries {
        let updated = s.changed().map(rfc3339).unwrap_or_default();
        let _ = write!(
            out,
            "  <entry>\n    <title>{title}</title>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{link}\"/>\n    <id>{link}</id>\n",
            title = xml(&s.title),
            link = xml(&s.permalink),
        );
        if let Some(date) = s.date {
            let _ = writeln!(out, "    <published>{}</published>", rfc3339(date));
        }
        let _ = write!(
            out,
            "    <updated>{updated}</updated>\n    <author><name>{}</name></author>\n    <summary>{}</summary>\n  </entry>\n",
            xml(&config.title),
            xml(&s.description),
        );
    }
    out.push_str("</feed>\n");
    out
}

/// Only the public audience may be indexed; internal and partner outputs
/// hold confidential material.
pub fn robots(config: &Config, view: &View) -> String {
    match view {
        View::Public => format!(
            "User-agent: *\nAllow: /\nSitemap: {}\n",
            config.permalink("/sitemap.xml")
        ),
        _ => "User-agent: *\nDisallow: /\n".to_string(),
    }
}
