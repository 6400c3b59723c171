//! Machine-readable files: `sitemap.xml`, `atom.xml` and `robots.txt`.
//! Dates come from the pages, never from the clock, so the bytes are stable.

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
    let files = [
        ("sitemap.xml", sitemap(config, &paths, &dates)),
        ("atom.xml", atom(config, summaries)),
        ("robots.txt", robots(config, view)),
    ];
    for (file, text) in files {
        sink.file(selected, file.to_string(), text.into_bytes());
    }
    sink.sitemap = paths;
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

/// The 20 most recently changed pages (by `updated`, else `date`).
pub fn atom(config: &Config, summaries: &[Summary]) -> String {
    let mut entries: Vec<&Summary> = summaries.iter().filter(|s| s.changed().is_some()).collect();
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
        title = xml(&config.title),
        sub = xml(&config.description),
        feed = xml(&config.permalink("/atom.xml")),
        home = xml(&config.permalink("/")),
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
