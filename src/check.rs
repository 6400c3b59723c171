//! `check`: everything `build` validates, then what only the rendered site
//! shows.
//!
//! Runs the same stages as `build` (load, compute, render, in memory) and
//! then checks the `Output`: internal links and `#anchors`, images, URLs
//! that would collide on a host, stale pages (warnings) and, only when
//! asked, outbound links. It writes nothing. Every problem is a
//! `Diagnostic`; the caller derives the exit status from them.

mod against;
mod external;
mod html;
mod links;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;

use time::Date;

pub use against::{Against, FolderDiff, against};
pub use external::Limits;

use crate::content::{schedule, stale};
use crate::diagnostic::{self, Code, Diagnostic};
use crate::highlight::Highlighter;
use crate::isolation::View;
use crate::metrics;
use crate::output::{Conflict, Output};
use crate::render::{self, Authored};
use crate::site::{LoadOptions, Site};
use crate::values::Quarter;
use external::Outcome;
use links::Dest;

/// Everything `check` needs to know.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    pub load: LoadOptions,
    pub quarter: Option<Quarter>,
    /// Also ask every outbound `http(s)` link over the network.
    pub external: bool,
    pub limits: Limits,
    /// Pages are stale, and expire soon, relative to this day (the build
    /// date).
    pub today: Date,
}

/// What `check` found.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Sorted: errors first, then by file and line.
    pub diagnostics: Vec<Diagnostic>,
    /// HTML pages of the output.
    pub pages: usize,
    /// Internal links and images checked.
    pub links: usize,
    /// Distinct outbound URLs asked (0 without `--external`).
    pub external: usize,
}

impl Report {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }

    /// The closing line: `check failed: 2 errors, 1 warning (…)`.
    pub fn summary(&self) -> String {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        let verdict = if self.errors() > 0 {
            "check failed"
        } else {
            "check passed"
        };
        let mut scope = format!(
            "{}, {} checked",
            plural(self.pages, "page"),
            plural(self.links, "internal link")
        );
        if self.external > 0 {
            scope.push_str(&format!(", {}", plural(self.external, "external link")));
        }
        format!(
            "{verdict}: {}, {} ({scope})",
            plural(self.errors(), "error"),
            plural(self.warnings(), "warning")
        )
    }
}

/// Checks the site.
pub fn check(options: &CheckOptions, highlighter: &Highlighter) -> Report {
    let site = match Site::load(&options.load) {
        Ok(site) => site,
        Err(d) => return Report::failed(d),
    };
    let reports = metrics::compute_site(&site.data, options.quarter);
    let render_options = render::Options {
        keep_documents: true,
        ..render::Options::new(highlighter)
    };
    let rendered = render::render(&site, reports.as_ref(), &View::Internal, render_options);
    let (output, docs) = match rendered {
        Ok(rendered) => match crate::build::with_index(&site, rendered.output) {
            // What `build` writes, search index included.
            Ok(output) => (output, rendered.documents),
            Err(d) => return Report::failed(d),
        },
        Err(d) => return Report::failed(d),
    };
    let pages = links::Pages::new(&output);
    let (mut diagnostics, checked) = links::check(&site.config, &output, &pages, &docs);
    diagnostics.extend(site.warnings.iter().cloned());
    diagnostics.extend(collisions(&output));
    let page_docs = site.content.pages.iter().map(|p| &p.doc);
    diagnostics.extend(stale::check(
        page_docs.clone(),
        options.today,
        site.config.stale_after_days,
    ));
    diagnostics.extend(schedule::check(page_docs, options.today));
    let mut external = 0;
    if options.external {
        let (mut found, asked) = outbound(&site, &pages, &docs, options.limits);
        diagnostics.append(&mut found);
        external = asked;
    }
    diagnostic::sort(&mut diagnostics);
    Report {
        diagnostics,
        pages: pages.scans.len(),
        links: checked,
        external,
    }
}

impl Report {
    fn failed(mut diagnostics: Vec<Diagnostic>) -> Report {
        diagnostic::sort(&mut diagnostics);
        Report {
            diagnostics,
            ..Report::default()
        }
    }
}

/// Output paths that a host would mix up: equal but for letter case, or a
/// file that is also a folder (the rule of `Output::conflicts`).
fn collisions(output: &Output) -> Vec<Diagnostic> {
    (output.conflicts().into_iter())
        .map(|c| {
            let (code, message) = match c {
                Conflict::Case { first, second } => (Code::CaseCollision, format!(
                    "duplicate URL: /{first} and /{second} differ only in letter case; one replaces the other on case-insensitive hosts (rename one)"
                )),
                Conflict::FileIsFolder { file, inner } => (Code::FileInTheWay, format!(
                    "duplicate URL: /{file} is a file, but /{inner} needs it to be a folder (rename one)"
                )),
            };
            Diagnostic::new(code, "content", message)
        })
        .collect()
}

/// Where an outbound link was found.
enum Origin {
    Authored { doc: usize, span: Range<usize> },
    Template { page: String },
}

/// Asks every outbound link; returns the diagnostics and how many distinct
/// URLs were asked.
fn outbound(
    site: &Site,
    pages: &links::Pages<'_>,
    docs: &[Authored<'_>],
    limits: Limits,
) -> (Vec<Diagnostic>, usize) {
    let mut found: BTreeMap<String, Vec<Origin>> = BTreeMap::new();
    let mut own: HashMap<String, HashSet<&str>> = HashMap::new();
    for (i, a) in docs.iter().enumerate() {
        let key = format!("{}index.html", a.doc.path.trim_start_matches('/'));
        let links = a.rendered.external_links.iter().chain(&a.rendered.images);
        for link in links {
            if let Dest::External(url) = links::classify(&link.url, &a.doc.path, &site.config) {
                own.entry(key.clone()).or_default().insert(&link.url);
                found.entry(url).or_default().push(Origin::Authored {
                    doc: i,
                    span: link.span.clone(),
                });
            }
        }
    }
    for (key, scan) in &pages.scans {
        let page = links::page_url(key);
        for attr in &scan.links {
            if own
                .get(*key)
                .is_some_and(|o| o.contains(attr.value.as_str()))
            {
                continue;
            }
            if let Dest::External(url) = links::classify(&attr.value, &page, &site.config) {
                found
                    .entry(url)
                    .or_default()
                    .push(Origin::Template { page: page.clone() });
            }
        }
    }
    let urls: Vec<String> = found.keys().cloned().collect();
    let outcomes = external::check_all(&urls, limits);
    let mut diagnostics = Vec::new();
    for ((url, origins), outcome) in found.iter().zip(outcomes) {
        let (message, code) = match outcome {
            Outcome::Ok => continue,
            Outcome::Broken(why) => (
                format!("broken external link {url}: {why}"),
                Code::BrokenExternalLink,
            ),
            Outcome::Unverified(why) => (
                format!("could not verify external link {url}: {why}"),
                Code::UnverifiedExternalLink,
            ),
        };
        let mut template_pages = Vec::new();
        for origin in origins {
            match origin {
                Origin::Authored { doc, span } => {
                    diagnostics.push(docs[*doc].error_at(code, span.clone(), message.clone()));
                }
                Origin::Template { page } => template_pages.push(page.as_str()),
            }
        }
        if let Some(first) = template_pages.first() {
            let more = template_pages.len() - 1;
            let text = if more == 0 {
                format!("{message}; the link comes from a template, on {first}")
            } else {
                format!(
                    "{message}; the link comes from a template, on {first} and {more} other pages"
                )
            };
            diagnostics.push(Diagnostic::new(code, "templates", text));
        }
    }
    (diagnostics, urls.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_counts_errors_and_warnings() {
        let r = Report {
            diagnostics: vec![Diagnostic::new(Code::StalePage, "a", "x")],
            pages: 3,
            links: 1,
            external: 0,
        };
        assert_eq!(
            r.summary(),
            "check passed: 0 errors, 1 warning (3 pages, 1 internal link checked)"
        );
    }
}
