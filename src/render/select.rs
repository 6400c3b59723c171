//! The documents a view shows (as the isolation module selects them) with
//! their markdown rendered, once per document and in parallel; what `serve`
//! memoized is taken from the memo instead.

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;

use super::context::PartnerContext;
use super::expand;
use super::incremental::Memo;
use super::shortcodes::{For, Shortcodes};
use crate::content::{Document, Page, Section};
use crate::diagnostic::Diagnostic;
use crate::highlight::Highlighter;
use crate::isolation::{self, Reader, Selection, View};
use crate::markdown::{self, Rendered};
use crate::site::Site;

/// The documents of the site that a view shows, with their rendered markdown.
pub(crate) struct Selected<'s> {
    pub pages: Vec<(&'s Page, Arc<Rendered>)>,
    pub sections: BTreeMap<&'s str, (&'s Section, Arc<Rendered>)>,
    /// What the view shows, and the URLs links may use.
    pub selection: Selection,
    /// The body each co-branded document was rendered from (its Tera
    /// expanded for the generic version), by URL path: spans of its
    /// markdown refer to this text.
    pub expanded: BTreeMap<String, String>,
    /// Pages from this one on (in `pages`) hold only the word count and
    /// summary of their markdown, which is rendered again when their page
    /// is made (see `HELD_MARKDOWN`); `pages.len()` when every page holds
    /// all of it.
    pub held: usize,
}

/// Bytes of page bodies whose rendered markdown a streamed build holds
/// from the markdown stage until each page is made: past them a large
/// site's pages keep only their word count and summary, and their markdown
/// is rendered a second time, a few pages at a time, with their pages.
/// Memory then stops growing with the site's HTML (about 1.7 bytes held
/// per byte of markdown), for some CPU: 10,000 pages of the benchmark
/// (86 MB of markdown) are all held.
pub const HELD_MARKDOWN: usize = 128 << 20;

impl<'s> Selected<'s> {
    /// Resolves an `@/` link target for this output.
    pub fn resolve(&self, target: &str) -> Result<Option<String>, String> {
        (self.selection.links.get(target).cloned()).ok_or_else(|| markdown::missing_target(target))
    }

    /// Every page shown, in order.
    pub fn documents_of_pages(&self) -> impl Iterator<Item = &'s Document> + '_ {
        self.pages.iter().map(|(p, _)| &p.doc)
    }

    /// Lets go of the bodies of the pages that hold their rendered markdown
    /// (`held`), except co-branded ones (their copies are rendered later):
    /// nothing renders them again.
    pub fn let_go_of_held_bodies(&self) {
        for (page, _) in &self.pages[..self.held] {
            rendered_for_the_last_time(&page.doc);
        }
    }

    /// Every page and section shown.
    pub fn documents(&self) -> impl Iterator<Item = &'s Document> + '_ {
        let pages = self.pages.iter().map(|(p, _)| &p.doc);
        pages.chain(self.sections.values().map(|(s, _)| &s.doc))
    }
}

/// Chooses what the view shows and renders its markdown, in parallel
/// (shortcodes with the templates of `tera`).
pub(crate) fn select<'s>(
    site: &'s Site,
    view: &View,
    tera: &tera::Tera,
    highlighter: &Highlighter,
    memo: Option<&Memo>,
    same_structure: bool,
    hold: Option<usize>,
) -> Result<Selected<'s>, Vec<Diagnostic>> {
    let content = &site.content;
    let known = memo.filter(|_| same_structure).and_then(Memo::selection);
    let selection = match known {
        Some(s) if s.pages.iter().all(|&i| i < content.pages.len()) => s,
        _ => isolation::selection(site, view),
    };
    let pages: Vec<&Page> = selection
        .pages
        .iter()
        .map(|&i| &*content.pages[i])
        .collect();
    let sections: Vec<&Section> = selection
        .sections
        .iter()
        .filter_map(|k| content.sections.get(k))
        .collect();
    let mut selected = Selected {
        pages: Vec::new(),
        sections: BTreeMap::new(),
        selection,
        expanded: BTreeMap::new(),
        held: held(&pages, hold),
    };
    let reading = super::incremental::reading(site, view);
    let memo = memo.and_then(|m| m.valid_for(&selected.selection.links, reading));
    let lookup = &selected;
    let placeholder = PartnerContext::placeholder(site);
    let render_doc = |doc: &Document| match memo.and_then(|m| m.get(doc)) {
        Some(done) => Ok((done, None)),
        None => view_markdown(site, tera, view, &placeholder, lookup, highlighter, doc),
    };
    let held = selected.held;
    let page_results: Vec<_> = (pages.par_iter().enumerate())
        .map(|(i, p)| match render_doc(&p.doc) {
            Ok((r, body)) if i >= held => Ok((Arc::new(only_counted(&r)), body)),
            result => result,
        })
        .collect();
    let section_results: Vec<_> = sections.par_iter().map(|s| render_doc(&s.doc)).collect();
    let mut diagnostics = Vec::new();
    let mut expanded = BTreeMap::new();
    let mut done_pages = Vec::with_capacity(pages.len());
    let mut done_sections = BTreeMap::new();
    for (page, result) in pages.into_iter().zip(page_results) {
        match result {
            Ok((r, body)) => {
                if let Some(body) = body {
                    expanded.insert(page.doc.path.clone(), body);
                }
                done_pages.push((page, r));
            }
            Err(mut d) => diagnostics.append(&mut d),
        }
    }
    for (section, result) in sections.into_iter().zip(section_results) {
        match result {
            Ok((r, _)) => {
                done_sections.insert(section.key.as_str(), (section, r));
            }
            Err(mut d) => diagnostics.append(&mut d),
        }
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    selected.pages = done_pages;
    selected.sections = done_sections;
    selected.expanded = expanded;
    Ok(selected)
}

/// Renders the markdown of a page not held (see `Selected::held`) again,
/// exactly as `select` rendered it: with the templates as they were then
/// (before render registers its functions) and the same placeholder
/// partner and links.
pub(crate) struct Again<'a> {
    pub tera: tera::Tera,
    pub highlighter: &'a Highlighter,
    pub placeholder: PartnerContext,
    /// Let go of the body of each page (not co-branded) once rendered
    /// again (`Options::last_reader`).
    pub let_go: bool,
}

impl Again<'_> {
    pub fn markdown(
        &self,
        site: &Site,
        view: &View,
        selected: &Selected<'_>,
        doc: &Document,
    ) -> Result<Arc<Rendered>, Vec<Diagnostic>> {
        let (rendered, _) = view_markdown(
            site,
            &self.tera,
            view,
            &self.placeholder,
            selected,
            self.highlighter,
            doc,
        )?;
        if self.let_go {
            rendered_for_the_last_time(doc);
        }
        Ok(rendered)
    }
}

/// Lets go of the body of a page whose markdown nothing renders again in
/// this build, unless it is co-branded: its copies are rendered later.
fn rendered_for_the_last_time(doc: &Document) {
    if !doc.meta.cobrand {
        doc.let_go_of_body();
    }
}

/// The rendered markdown of `doc` for the readers of `view` (shortcodes
/// with the placeholder partner, `@/` links as `selected` resolves them),
/// and the text it was rendered from if it is co-branded.
fn view_markdown(
    site: &Site,
    tera: &tera::Tera,
    view: &View,
    placeholder: &PartnerContext,
    selected: &Selected<'_>,
    highlighter: &Highlighter,
    doc: &Document,
) -> Result<(Arc<Rendered>, Option<String>), Vec<Diagnostic>> {
    let codes = Shortcodes {
        site,
        tera,
        links: &selected.selection.links,
    };
    let who = For {
        reader: Reader::View(view),
        partner: placeholder,
        report: None,
    };
    let resolve = |target: &str| selected.resolve(target);
    markdown_for(&codes, doc, &who, &resolve, highlighter, None)
}

/// How many pages, from the first, hold their rendered markdown when
/// `hold` bytes of bodies may be held: every page without a limit.
fn held(pages: &[&Page], hold: Option<usize>) -> usize {
    let Some(mut left) = hold else {
        return pages.len();
    };
    (pages.iter())
        .take_while(|p| match left.checked_sub(p.doc.body().len()) {
            Some(l) => {
                left = l;
                true
            }
            None => false,
        })
        .count()
}

/// What a page not held keeps of its rendered markdown: what its summary
/// reads.
fn only_counted(rendered: &Rendered) -> Rendered {
    Rendered {
        word_count: rendered.word_count,
        summary: rendered.summary.clone(),
        ..Rendered::default()
    }
}

/// The rendered markdown of `doc` for `who`, and for a co-branded page
/// the text it was rendered from (shortcodes and Tera expanded): its
/// shortcodes first (an `only` block cut for a reader that may not see
/// it), then its Tera, then markdown. Problems found in the markdown are
/// located in the file (for a co-branded page, in the text rendered), with
/// `copy` (the slug of a co-branded copy's partner) in their message.
pub(crate) fn markdown_for(
    codes: &Shortcodes<'_>,
    doc: &Document,
    who: &For<'_>,
    resolve: &markdown::Resolver<'_>,
    highlighter: &Highlighter,
    copy: Option<&str>,
) -> Result<(Arc<Rendered>, Option<String>), Vec<Diagnostic>> {
    let body = doc.body();
    let done = codes.expand(doc, &body, who)?;
    let tera = match doc.meta.cobrand {
        true => Some(expand::expand(
            codes.site,
            doc,
            who.partner,
            &done.expanded.text,
        )?),
        false => None,
    };
    let input = markdown::Input {
        text: tera.as_deref().unwrap_or(&done.expanded.text),
        fragments: &done.expanded.fragments,
        alerts: done.alerts.as_ref(),
    };
    let (mut rendered, problems) = markdown::render_input(&input, resolve, highlighter);
    let map = &done.expanded.map;
    if tera.is_none() {
        // Spans of the expanded text, back to the body's.
        let links = (rendered.internal_links.iter_mut())
            .chain(rendered.external_links.iter_mut())
            .chain(rendered.images.iter_mut());
        for link in links {
            link.span = map.span(link.span.clone());
        }
        rendered.internal_links.extend(done.links);
    }
    if problems.is_empty() {
        return Ok((Arc::new(rendered), tera));
    }
    Err(problems
        .into_iter()
        .map(|p| {
            let message = match copy {
                Some(slug) => format!("in the co-branded copy for {slug}: {}", p.message),
                None => p.message,
            };
            match &tera {
                Some(body) => expand::error_in_expanded(p.code, doc, body, p.span, message),
                None => {
                    let span = map.span(p.span);
                    let span = doc.body_offset + span.start..doc.body_offset + span.end;
                    Diagnostic::at(p.code, &doc.file, &doc.source(), span, message)
                }
            }
        })
        .collect())
}
