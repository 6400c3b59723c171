//! Internal links, anchors and images of the rendered site.
//!
//! Links written in markdown come with their byte span
//! (`markdown::Rendered`), so their errors point at the line of the page
//! file. Links that templates add are read from the output HTML and
//! reported once per broken URL. A link is good when it names a file of the
//! `Output`, by the same rules the `serve` command uses to answer it, and
//! its `#anchor` is an `id` of the page it names.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::config::Config;
use crate::diagnostic::{Code, Diagnostic};
use crate::output::Output;
use crate::output::url::{self, Found};

use super::html::{self, Scan};
use crate::render::Authored;

/// Where a link leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dest {
    /// Not checked: `mailto:`, `tel:`, `data:`, an empty link….
    Skip,
    /// An `http(s)` link to another site.
    External(String),
    /// A path of this site (without the base path), raw (still
    /// percent-encoded), and an optional fragment.
    Local {
        path: String,
        fragment: Option<String>,
    },
}

/// Classifies `link`, found on the page at URL path `page` (`/sales/x/`).
pub fn classify(link: &str, page: &str, config: &Config) -> Dest {
    let link = link.trim();
    let (before, fragment) = match link.split_once('#') {
        Some((b, f)) => (b, Some(f.to_string())),
        None => (link, None),
    };
    let before = before.split_once('?').map_or(before, |(b, _)| b);
    if link.is_empty() {
        return Dest::Skip;
    }
    if before.is_empty() {
        return Dest::Local {
            path: page.to_string(),
            fragment,
        };
    }
    let absolute_base =
        config.base_url.starts_with("http://") || config.base_url.starts_with("https://");
    if absolute_base
        && let Some(rest) = before.strip_prefix(&config.base_url)
        && (rest.is_empty() || rest.starts_with('/'))
    {
        let path = if rest.is_empty() { "/" } else { rest };
        return Dest::Local {
            path: path.to_string(),
            fragment,
        };
    }
    if before.starts_with("http://") || before.starts_with("https://") {
        return Dest::External(link.to_string());
    }
    if let Some(rest) = before.strip_prefix("//") {
        return Dest::External(format!("https://{rest}"));
    }
    let scheme = before.split_once(':').map(|(s, _)| s);
    if scheme.is_some_and(|s| !s.contains('/')) {
        return Dest::Skip;
    }
    let path = if before.starts_with('/') {
        let base = config.base_path.as_str();
        match before.strip_prefix(base) {
            Some(rest) if !base.is_empty() && (rest.is_empty() || rest.starts_with('/')) => {
                if rest.is_empty() { "/" } else { rest }.to_string()
            }
            _ => before.to_string(),
        }
    } else {
        match join(page, before) {
            Some(p) => p,
            None => {
                return Dest::Local {
                    path: "/..".to_string(),
                    fragment,
                };
            }
        }
    };
    Dest::Local { path, fragment }
}

/// `/a/b/` + `../c` → `/a/c`; `None` when it climbs above the root.
fn join(page: &str, rel: &str) -> Option<String> {
    let dir = &page[..page.rfind('/').map_or(0, |i| i + 1)];
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let last = rel.rsplit('/').next().unwrap_or("");
    let trailing = rel.ends_with('/') || last == "." || last == "..";
    let mut path = format!("/{}", parts.join("/"));
    if trailing && path != "/" {
        path.push('/');
    }
    Some(path)
}

/// The output key a local path names, or why there is none.
pub fn lookup(path: &str, output: &Output) -> Result<String, String> {
    let decoded = url::decode_path(path).map_err(|reason| format!("invalid path: {reason}"))?;
    match url::find(&decoded, output) {
        Some(Found::File(key)) => Ok(key),
        Some(Found::Folder) => Ok(format!("{decoded}/index.html")),
        None => Err(format!("no page or file at {path}")),
    }
}

/// The URL path of the page an output key is (`sales/x/index.html` → `/sales/x/`).
pub fn page_url(key: &str) -> String {
    match key.rfind('/') {
        Some(i) => format!("/{}/", &key[..i]),
        None => "/".to_string(),
    }
}

/// The HTML files of the output, read once.
pub struct Pages<'a> {
    pub scans: BTreeMap<&'a str, Scan>,
}

impl<'a> Pages<'a> {
    pub fn new(output: &'a Output) -> Self {
        let scans = output
            .files
            .iter()
            .filter(|(k, _)| k.ends_with(".html"))
            .map(|(k, bytes)| (k.as_str(), html::scan(&String::from_utf8_lossy(bytes))))
            .collect();
        Pages { scans }
    }

    fn has_id(&self, key: &str, id: &str) -> bool {
        self.scans.get(key).is_some_and(|s| s.ids.contains(id))
    }
}

/// Checks every local link; returns the diagnostics and how many links
/// were checked.
pub fn check(
    config: &Config,
    output: &Output,
    pages: &Pages<'_>,
    docs: &[Authored<'_>],
) -> (Vec<Diagnostic>, usize) {
    let names: HashMap<String, String> = docs
        .iter()
        .map(|a| (page_key(&a.doc.path), format!("@/{}", a.doc.content_path())))
        .collect();
    let checker = Checker {
        config,
        output,
        pages,
        names,
    };
    let mut diagnostics = Vec::new();
    let mut checked = 0;
    let mut reported = HashSet::new();
    for authored in docs {
        let page = &authored.doc.path;
        let links = authored.rendered.internal_links.iter().map(|l| (l, false));
        let images = authored.rendered.images.iter().map(|l| (l, true));
        for (link, image) in links.chain(images) {
            let Dest::Local { path, fragment } = classify(&link.url, page, config) else {
                continue;
            };
            checked += 1;
            if let Err((code, message)) =
                checker.verify(page, &link.url, &path, fragment.as_deref(), image)
            {
                reported.insert(link.url.clone());
                diagnostics.push(authored.error_at(code, link.span.clone(), message));
            }
        }
    }
    let (mut from_templates, n) = checker.templates(docs, &reported);
    diagnostics.append(&mut from_templates);
    (diagnostics, checked + n)
}

fn page_key(path: &str) -> String {
    format!("{}index.html", path.trim_start_matches('/'))
}

struct Checker<'a> {
    config: &'a Config,
    output: &'a Output,
    pages: &'a Pages<'a>,
    /// Output key of a content page → `@/path.md`, for messages.
    names: HashMap<String, String>,
}

impl Checker<'_> {
    /// Whether a local link from `page` works; else the message.
    fn verify(
        &self,
        page: &str,
        written: &str,
        path: &str,
        fragment: Option<&str>,
        image: bool,
    ) -> Result<(), (Code, String)> {
        let key = lookup(path, self.output).map_err(|why| {
            let (code, what) = if image {
                (Code::CheckMissingImage, "missing image")
            } else {
                (Code::CheckBrokenLink, "broken link")
            };
            (code, format!("{what} `{written}`: {why}"))
        })?;
        let Some(fragment) = fragment.filter(|f| !f.is_empty() && *f != "top") else {
            return Ok(());
        };
        if !key.ends_with(".html") {
            return Ok(());
        }
        let id = url::percent_decode(fragment)
            .and_then(|b| String::from_utf8(b).ok())
            .unwrap_or_else(|| fragment.to_string());
        if self.pages.has_id(&key, &id) {
            return Ok(());
        }
        let same = path == page;
        let target = self
            .names
            .get(&key)
            .cloned()
            .unwrap_or_else(|| page_url(&key));
        Err((
            Code::CheckBrokenAnchor,
            if same {
                format!(
                    "broken anchor #{fragment}: this page has no heading or element with that id"
                )
            } else {
                format!(
                    "broken anchor #{fragment} in {target}: it has no heading or element with that id"
                )
            },
        ))
    }

    /// Links in the HTML that markdown did not write: from templates and
    /// generated pages. One diagnostic per broken URL.
    fn templates(
        &self,
        docs: &[Authored<'_>],
        reported: &HashSet<String>,
    ) -> (Vec<Diagnostic>, usize) {
        let authored: HashMap<String, HashSet<&str>> = docs
            .iter()
            .map(|a| {
                let urls = (a.rendered.internal_links.iter())
                    .chain(&a.rendered.images)
                    .map(|l| l.url.as_str())
                    .collect();
                (page_key(&a.doc.path), urls)
            })
            .collect();
        let mut broken: BTreeMap<(Code, String), Vec<String>> = BTreeMap::new();
        let mut checked = 0;
        for (key, scan) in &self.pages.scans {
            let page = page_url(key);
            let own = authored.get(*key);
            for attr in &scan.links {
                let value = attr.value.as_str();
                if own.is_some_and(|o| o.contains(value)) || reported.contains(value) {
                    continue;
                }
                let Dest::Local { path, fragment } = classify(value, &page, self.config) else {
                    continue;
                };
                checked += 1;
                let image = attr.name == "src";
                if let Err(message) = self.verify(&page, value, &path, fragment.as_deref(), image) {
                    broken.entry(message).or_default().push(page.clone());
                }
            }
        }
        let diagnostics = broken
            .into_iter()
            .map(|((code, message), on)| {
                let more = match on.len() {
                    1 => String::new(),
                    n => format!(" and {} other page{}", n - 1, if n == 2 { "" } else { "s" }),
                };
                Diagnostic::new(
                    code,
                    "templates",
                    format!(
                        "{message}; the link comes from a template, on {}{more}",
                        on[0]
                    ),
                )
            })
            .collect();
        (diagnostics, checked)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(base: &str) -> Config {
        Config::parse(&format!("title = \"T\"\nbase_url = \"{base}\"\n")).expect("valid")
    }

    #[test]
    fn links_are_classified_relative_to_the_page() {
        let c = config("https://x.example/docs");
        let local = |p: &str, f: Option<&str>| Dest::Local {
            path: p.into(),
            fragment: f.map(str::to_string),
        };
        let at = |l: &str| classify(l, "/sales/x/", &c);
        assert_eq!(at("#a"), local("/sales/x/", Some("a")));
        assert_eq!(at("../y/#b"), local("/sales/y/", Some("b")));
        assert_eq!(at("img.png"), local("/sales/x/img.png", None));
        assert_eq!(at("/docs/tags/"), local("/tags/", None));
        assert_eq!(at("https://x.example/docs/a/"), local("/a/", None));
        assert_eq!(
            at("https://other.example/"),
            Dest::External("https://other.example/".into())
        );
        assert_eq!(at("mailto:a@b.c"), Dest::Skip);
        assert_eq!(at("../../../x"), local("/..", None));
        assert_eq!(at("../"), local("/sales/", None));
        assert_eq!(at("./"), local("/sales/x/", None));
        assert_eq!(at(".."), local("/sales/", None));
    }

    #[test]
    fn lookup_follows_the_servers_rules() {
        let mut o = Output::default();
        o.files
            .insert("sales/index.html".to_string(), bytes::Bytes::new());
        o.files.insert("logo.svg".to_string(), bytes::Bytes::new());
        assert_eq!(lookup("/sales/", &o), Ok("sales/index.html".into()));
        assert_eq!(lookup("/sales", &o), Ok("sales/index.html".into()));
        assert_eq!(lookup("/logo.svg", &o), Ok("logo.svg".into()));
        assert!(lookup("/nope/", &o).is_err());
        assert!(lookup("/..", &o).is_err());
    }

    #[test]
    fn page_urls_come_from_keys() {
        assert_eq!(page_url("sales/x/index.html"), "/sales/x/");
        assert_eq!(page_url("404.html"), "/");
    }
}
