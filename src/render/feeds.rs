//! Machine-readable files: `sitemap.xml`, `atom.xml` and `robots.txt`.
//! Dates come from the pages, never from the clock, so the bytes are stable.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::View;
use super::context::Summary;
use crate::config::Config;

/// Escapes text for XML content and attributes.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\r' | '\t') => {}
            c => out.push(c),
        }
    }
    out
}

/// Every HTML page of the build, sorted, with the date it last changed.
pub fn sitemap(
    config: &Config,
    paths: &[String],
    dates: &BTreeMap<&str, Option<String>>,
) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in paths {
        let _ = write!(
            xml,
            "  <url>\n    <loc>{}</loc>\n",
            xml_escape(&config.permalink(path))
        );
        if let Some(Some(date)) = dates.get(path.as_str()) {
            let _ = writeln!(xml, "    <lastmod>{date}</lastmod>");
        }
        xml.push_str("  </url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// The 20 most recently changed pages (by `updated`, else `date`).
pub fn atom(config: &Config, summaries: &[Summary]) -> String {
    let changed = |s: &Summary| s.updated.clone().or_else(|| s.date.clone());
    let mut entries: Vec<&Summary> = summaries.iter().filter(|s| changed(s).is_some()).collect();
    entries.sort_by(|a, b| {
        changed(b)
            .cmp(&changed(a))
            .then_with(|| a.path.cmp(&b.path))
    });
    entries.truncate(20);
    let stamp = |d: &str| format!("{d}T00:00:00Z");
    let newest = entries
        .first()
        .and_then(|s| changed(s))
        .unwrap_or_else(|| "1970-01-01".into());
    let mut xml = String::new();
    let _ = write!(
        xml,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n  <title>{title}</title>\n  <subtitle>{sub}</subtitle>\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"{feed}\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{home}\"/>\n  <id>{home}</id>\n  <updated>{updated}</updated>\n",
        lang = xml_escape(&config.language),
        title = xml_escape(&config.title),
        sub = xml_escape(&config.description),
        feed = xml_escape(&config.permalink("/atom.xml")),
        home = xml_escape(&config.permalink("/")),
        updated = stamp(&newest),
    );
    for s in entries {
        let updated = changed(s).unwrap_or_default();
        let _ = write!(
            xml,
            "  <entry>\n    <title>{title}</title>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{link}\"/>\n    <id>{link}</id>\n",
            title = xml_escape(&s.title),
            link = xml_escape(&s.permalink),
        );
        if let Some(date) = &s.date {
            let _ = writeln!(xml, "    <published>{}</published>", stamp(date));
        }
        let _ = write!(
            xml,
            "    <updated>{}</updated>\n    <author><name>{}</name></author>\n    <summary>{}</summary>\n  </entry>\n",
            stamp(&updated),
            xml_escape(&config.title),
            xml_escape(&s.description),
        );
    }
    xml.push_str("</feed>\n");
    xml
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escape_handles_markup_and_controls() {
        assert_eq!(xml_escape("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
    }
}
