//! Deciding what a change affects.
//!
//! `plan` compares the changed files with the last good build's `Site` and
//! answers either `Plan::Full` (load and render everything again; the
//! markdown memo still spares unchanged pages) or `Plan::Only`: the site
//! patched with the changed files and the outputs to render. It takes the
//! narrow path only where every dependency is known:
//!
//! - a page whose front matter is unchanged and whose word count and
//!   reading time are unchanged, or changed where no template may show
//!   them (`Theme::may_show`): the page and its co-branded copies;
//! - a page whose front matter is unchanged: the page, its section, the home
//!   page, its tag and track pages, its co-branded copies and the reports
//!   that list it (its reading time shows there);
//! - a section whose front matter is unchanged: that section's page;
//! - partner files whose names, tiers, logos and colours are unchanged: the
//!   reports that changed, their co-branded copies, the directory and the
//!   dashboard;
//! - templates (none added or removed): every output made with a template
//!   that is, or extends, includes or imports, a changed one;
//! - static files (none added or removed): the copied files.
//!
//! Anything else (a file added or removed, front matter, `site.toml`,
//! `program.toml`, logos, content files, shortcode templates, templates
//! that look pages up with `get_page` or `get_section` while a page's
//! summary changes) is `Full`, and so is a new build date (`Rebuilder::
//! set_date`). A page whose body has shortcodes or a `<!-- more -->` line
//! counts as one whose summary changed.

use std::collections::BTreeSet;
use std::path::{Component, Path};
use std::sync::Arc;

use crate::content;
use crate::data::Partner;
use crate::diagnostic::Diagnostic;
use crate::isolation::View;
use crate::metrics::{self, Reports};
use crate::render::{Memo, Only};
use crate::site::{Site, fill_home_title};
use crate::theme::Theme;
use crate::values::Quarter;

/// The last good build, as `plan` needs it.
pub struct Last<'a> {
    /// The whole site, before scoping to the view.
    pub site: &'a Site,
    pub reports: Option<&'a Arc<Reports>>,
    pub view: &'a View,
    /// The markdown it rendered.
    pub memo: &'a Memo,
}

/// What a rebuild does.
#[derive(Debug)]
pub enum Plan {
    /// Load and render everything; the reason, for the terminal.
    Full(&'static str),
    /// Render `only`, with the site and reports patched.
    Only(Box<Patched>),
}

/// The site and reports after a narrow change, and what to render.
#[derive(Debug)]
pub struct Patched {
    pub site: Site,
    /// Shared with the last build's when the change leaves them as they are.
    pub reports: Option<Arc<Reports>>,
    pub only: Only,
}

/// The kind of file a changed path is.
enum Kind {
    Markdown,
    Partner,
    Template,
    Static,
    Other,
}

fn kind(path: &Path) -> Kind {
    let parts: Vec<&str> = path
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => s.to_str(),
            _ => None,
        })
        .collect();
    let md = path.extension().is_some_and(|e| e == "md");
    match parts.as_slice() {
        ["content", .., _] if md => Kind::Markdown,
        ["data", "partners", _] if path.extension().is_some_and(|e| e == "toml") => Kind::Partner,
        ["templates", _, ..] | ["themes", _, "templates", _, ..] => Kind::Template,
        ["static", _, ..] | ["themes", _, "static", _, ..] => Kind::Static,
        _ => Kind::Other,
    }
}

/// Plans the rebuild after `changed` (paths relative to the root). Errors
/// are those of the changed files themselves (a page that no longer
/// parses), as a full build would report them.
pub fn plan(
    last: &Last<'_>,
    changed: &BTreeSet<std::path::PathBuf>,
    quarter: Option<Quarter>,
) -> Result<Plan, Vec<Diagnostic>> {
    let root = last.site.root.clone();
    let mut site = last.site.clone();
    let mut only = Only::default();
    let (mut markdown, mut partners, mut theme) = (Vec::new(), false, false);
    for path in changed {
        match kind(path) {
            Kind::Markdown => markdown.push(path.as_path()),
            Kind::Partner => partners = true,
            Kind::Template | Kind::Static => theme = true,
            Kind::Other => return Ok(Plan::Full("a file that pages depend on changed")),
        }
        if !root.join(path).is_file() {
            return Ok(Plan::Full("a file was added or removed"));
        }
    }
    if theme {
        match theme_change(&site, &root)? {
            Ok((new, templates)) => {
                site.theme = Arc::new(new);
                only.templates = templates;
            }
            Err(why) => return Ok(Plan::Full(why)),
        }
    }
    if !markdown.is_empty() {
        match markdown_change(&mut site, last, &markdown)? {
            Ok(dirty) => only.merge(dirty),
            Err(why) => return Ok(Plan::Full(why)),
        }
    }
    let mut reports = last.reports.cloned();
    if partners {
        if *last.view != View::Internal {
            return Ok(Plan::Full(
                "partner data changed in a partner's or the public view",
            ));
        }
        match partner_change(&mut site, last.reports.map(|r| &**r), quarter)? {
            Ok((new, dirty)) => {
                reports = new.map(Arc::new);
                only.merge(dirty);
            }
            Err(why) => return Ok(Plan::Full(why)),
        }
    }
    Ok(Plan::Only(Box::new(Patched {
        site,
        reports,
        only,
    })))
}

/// The outcome of planning one kind of change: what to render, or why
/// everything must be.
type Narrow<T> = Result<T, &'static str>;

fn markdown_change(
    site: &mut Site,
    last: &Last<'_>,
    files: &[&Path],
) -> Result<Narrow<Only>, Vec<Diagnostic>> {
    let mut only = Only::default();
    let mut diagnostics = Vec::new();
    let mut content = (*site.content).clone();
    for file in files {
        if let Some(i) = content.pages.iter().position(|p| p.doc.file == *file) {
            let old = &content.pages[i];
            let doc = match content::reread(&site.root, &old.doc) {
                Ok(doc) => doc,
                Err(mut d) => {
                    diagnostics.append(&mut d);
                    continue;
                }
            };
            if doc.meta != old.doc.meta {
                return Ok(Err("a page's front matter changed"));
            }
            if summary_unchanged(site, last, &old.doc, &doc) {
                // Its summary, as templates show it, is unchanged: only its
                // own page (and its co-branded copies) show the change.
                only.page(site, last.view, old);
            } else if site.theme.mentions("get_page") || site.theme.mentions("get_section") {
                // Their summaries show wherever those templates are used.
                return Ok(Err("templates look pages up with get_page or get_section"));
            } else {
                only.page_and_listings(site, last.view, old);
            }
            let page = Arc::make_mut(&mut content.pages[i]);
            page.doc = doc;
        } else if let Some(section) = content.sections.values_mut().find(|s| s.doc.file == *file) {
            let mut doc = match content::reread(&site.root, &section.doc) {
                Ok(doc) => doc,
                Err(mut d) => {
                    diagnostics.append(&mut d);
                    continue;
                }
            };
            if section.key.is_empty() {
                fill_home_title(&mut doc, &site.config);
            }
            if doc.meta != section.doc.meta {
                return Ok(Err("a section's front matter changed"));
            }
            only.paths.insert(section.doc.path.clone());
            section.doc = doc;
        } else {
            // A draft, or a file the last build did not have.
            return Ok(Err("a page was added, removed or is a draft"));
        }
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    site.content = Arc::new(content);
    Ok(Ok(only))
}

/// Whether the part of a page's summary that its body makes (its word
/// count and reading time, and the HTML before `<!-- more -->`) shows the
/// same in `new` as when `old` was rendered: the word count, or the reading
/// time, may change where no template may show it (`Theme::may_show`). A
/// body with shortcodes is rendered for its reader (an `only` block counts
/// for some views only), and one with a summary line shows its text in
/// listings: both count as changed.
fn summary_unchanged(
    site: &Site,
    last: &Last<'_>,
    old: &content::Document,
    new: &content::Document,
) -> bool {
    let plain = |d: &content::Document| {
        !crate::shortcode::present(&d.body()) && !crate::markdown::has_summary_line(&d.body())
    };
    let Some(before) = last
        .memo
        .word_count(old)
        .filter(|_| plain(old) && plain(new))
    else {
        return false;
    };
    let after = crate::markdown::word_count(&new.body());
    let shown = |field: &str, changed: bool| changed && site.theme.may_show(field);
    let minutes = |words| crate::render::context::reading_time(words);
    !shown("word_count", before != after)
        && !shown("reading_time", minutes(before) != minutes(after))
}

/// Partner files changed: reload the data, recompute, and render the
/// partners whose data or report changed.
fn partner_change(
    site: &mut Site,
    last: Option<&Reports>,
    quarter: Option<Quarter>,
) -> Result<Narrow<(Option<Reports>, Only)>, Vec<Diagnostic>> {
    let mut warnings = Vec::new();
    let data = crate::data::load(&site.root, &mut warnings)?;
    if !warnings.is_empty() {
        return Ok(Err("a symbolic link in the site changed"));
    }
    if site.theme.mentions("get_partner") {
        return Ok(Err("templates look partners up with get_partner"));
    }
    let (old, new) = (&site.data.partners, &data.partners);
    let same_identity = |a: &Partner, b: &Partner| {
        a.slug == b.slug
            && a.name == b.name
            && a.tier == b.tier
            && a.left == b.left
            && a.brand == b.brand
    };
    if old.len() != new.len() || old.iter().zip(new).any(|(a, b)| !same_identity(a, b)) {
        return Ok(Err(
            "a partner was added or removed, or its name, tier or brand changed",
        ));
    }
    let mut only = Only {
        program: true,
        ..Only::default()
    };
    for (a, b) in old.iter().zip(new) {
        if a != b {
            only.partners.insert(b.slug.clone());
        }
    }
    site.data = data;
    let reports = metrics::compute_site(&site.data, quarter);
    if let (Some(before), Some(after)) = (last, &reports) {
        for (a, b) in before.partners.iter().zip(&after.partners) {
            if a != b {
                only.partners.insert(b.slug.clone());
            }
        }
    }
    Ok(Ok((reports, only)))
}

/// Templates or static files changed: the theme again, and every template
/// whose output may change (a changed one, or one that uses it).
fn theme_change(
    site: &Site,
    root: &Path,
) -> Result<Narrow<(Theme, BTreeSet<String>)>, Vec<Diagnostic>> {
    let mut warnings = Vec::new();
    let new = crate::theme::load(root, &site.config, &mut warnings)?;
    if !warnings.is_empty() {
        return Ok(Err("a symbolic link in the site changed"));
    }
    let old = &site.theme;
    let same_keys = old.templates.keys().eq(new.templates.keys())
        && old.static_files.keys().eq(new.static_files.keys());
    if !same_keys {
        return Ok(Err("a template or static file was added or removed"));
    }
    // A partner's logo kept under static/ is copied from `Site::logos`.
    let logo_changed = new
        .static_files
        .iter()
        .any(|(path, bytes)| old.static_files[path] != *bytes && site.logos.contains_key(path));
    if logo_changed {
        return Ok(Err("a partner's logo changed"));
    }
    let mut affected: BTreeSet<String> = new
        .templates
        .iter()
        .filter(|(name, t)| old.templates[*name].source != t.source)
        .map(|(name, _)| name.clone())
        .collect();
    // What a shortcode gives is part of the markdown of every page using it.
    if affected.iter().any(|name| name.starts_with("shortcodes/")) {
        return Ok(Err("a shortcode template changed"));
    }
    // Whoever names an affected template (extends, include, import) is
    // affected too: by its quoted name, which may over-count, never under.
    loop {
        let users: Vec<String> = new
            .templates
            .iter()
            .filter(|(name, _)| !affected.contains(*name))
            .filter(|(_, t)| {
                affected.iter().any(|a| {
                    t.source.contains(&format!("\"{a}\"")) || t.source.contains(&format!("'{a}'"))
                })
            })
            .map(|(name, _)| name.clone())
            .collect();
        if users.is_empty() {
            break;
        }
        affected.extend(users);
    }
    Ok(Ok((new, affected)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_of_changed_files() {
        let k = |p: &str| match kind(Path::new(p)) {
            Kind::Markdown => "md",
            Kind::Partner => "partner",
            Kind::Template => "template",
            Kind::Static => "static",
            Kind::Other => "other",
        };
        assert_eq!(k("content/sales/x.md"), "md");
        assert_eq!(k("content/_index.md"), "md");
        assert_eq!(k("content/sales/x.png"), "other");
        assert_eq!(k("data/partners/acme.toml"), "partner");
        assert_eq!(k("data/program.toml"), "other");
        assert_eq!(k("data/logos/acme.svg"), "other");
        assert_eq!(k("templates/page.html"), "template");
        assert_eq!(k("themes/cafe/templates/partials/nav.html"), "template");
        assert_eq!(k("static/css/site.css"), "static");
        assert_eq!(k("themes/cafe/static/js/x.js"), "static");
        assert_eq!(k("site.toml"), "other");
    }
}
