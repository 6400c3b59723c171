//! Running a template: the globals every template gets, errors that name
//! the template and the page, and the sink that gathers rendered files and
//! the problems found while rendering them.

use serde::Serialize;

use super::context::{Globals, SiteContext, Summary};
use super::incremental::Only;
use super::select::Selected;
use crate::content::Document;
use crate::diagnostic::{Code, Diagnostic, display_path};
use crate::highlight::Highlighter;
use crate::isolation::View;
use crate::output::Output;
use crate::site::Site;
use crate::source::key_span;

/// Renders templates with the globals filled in.
pub(crate) struct Renderer<'a> {
    pub site: &'a Site,
    pub tera: &'a tera::Tera,
    pub site_ctx: &'a SiteContext,
}

impl Renderer<'_> {
    /// Renders `template` for a document; errors name the template and file.
    pub fn render<T: Serialize>(
        &self,
        template: &str,
        path: &str,
        doc: &Document,
        own: T,
    ) -> Result<String, Diagnostic> {
        let page = display_path(&doc.file);
        self.render_named(template, path, own, &page).map_err(|d| {
            // A template named in the front matter: point at that line.
            let span = key_span(&doc.source(), "template");
            if d.line.is_none()
                && doc.meta.template.as_deref() == Some(template)
                && !span.is_empty()
            {
                Diagnostic::new(d.code, &doc.file, d.message).located(&doc.source(), span)
            } else {
                d
            }
        })
    }

    /// Renders a template that belongs to no markdown file.
    pub fn render_plain<T: Serialize>(
        &self,
        template: &str,
        path: &str,
        own: T,
    ) -> Result<String, Diagnostic> {
        self.render_named(template, path, own, path)
    }

    fn render_named<T: Serialize>(
        &self,
        template: &str,
        path: &str,
        own: T,
        what: &str,
    ) -> Result<String, Diagnostic> {
        let globals = Globals {
            config: &self.site.config,
            site: self.site_ctx,
            current_path: path,
            current_url: self.site.config.url(path),
            own,
        };
        let ctx = tera::Context::from_serialize(&globals).map_err(|e| {
            Diagnostic::new(
                Code::TemplateRender,
                what,
                format!("cannot build the template context: {e}"),
            )
        })?;
        if !self.site.theme.templates.contains_key(template) {
            return Err(Diagnostic::new(
                Code::TemplateMissing,
                what,
                format!("template `{template}` does not exist in the theme or templates/"),
            ));
        }
        let mut html = crate::theme::sandbox::render(self.tera, template, &ctx)
            .map_err(|e| self.site.theme.template_error(&e, Some(what)))?;
        // Data may hold U+0000 (TOML allows `\u0000`); HTML may not.
        if html.contains('\0') {
            html = html.replace('\0', "\u{fffd}");
        }
        // Held until the whole site is rendered: no spare capacity.
        html.shrink_to_fit();
        Ok(html)
    }
}

/// What every kind of output of one view is rendered from, once the
/// markdown and the summaries are made.
pub(crate) struct Inputs<'a, 's> {
    pub r: &'a Renderer<'a>,
    pub selected: &'a Selected<'s>,
    pub summaries: &'a [Summary],
    pub view: &'a View,
    pub highlighter: &'a Highlighter,
    /// Render only these outputs (`serve`), or everything.
    pub only: Option<&'a Only>,
}

/// One template variable: `Var("page", ctx)` serializes as `{page: ctx}`.
pub(crate) struct Var<T>(pub &'static str, pub T);

impl<T: Serialize> Serialize for Var<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(1))?;
        map.serialize_entry(self.0, &self.1)?;
        map.end()
    }
}

/// No template-specific variables.
pub(crate) struct Nothing;

impl Serialize for Nothing {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serde::ser::SerializeMap::end(s.serialize_map(Some(0))?)
    }
}

/// Gathers what a render makes: the files, every problem, the URL paths of
/// its HTML pages (for the sitemap) and how many charts it drew.
pub(crate) struct Sink<'a> {
    /// Every file made; with a `stream`, only their paths (empty bytes),
    /// so that clashes and conflicts are still found.
    pub output: Output,
    /// Where each file goes as soon as it is made (`Options::stream`).
    stream: Option<&'a Stream<'a>>,
    pub diagnostics: Vec<Diagnostic>,
    /// The URL paths of the pages made or kept, when the sitemap is made
    /// (`in_sitemap`): a narrow render keeps the last one.
    pub sitemap: Vec<String>,
    sitemap_wanted: bool,
    pub charts: usize,
    /// Why the view holds each page, by output file (not for the internal
    /// view, which holds everything): what the manifest records.
    pub rules: std::collections::BTreeMap<String, String>,
}

/// A page of a listing kind (a section, a taxonomy page) to make. Such
/// pages list many pages each, and a few of them take most of a narrow
/// rebuild: they are made together, on every core (`make_listings`).
pub(crate) struct Listing<'a> {
    /// Its URL path.
    pub path: String,
    /// How many pages it lists, about: the largest are begun first.
    pub size: usize,
    pub make: Box<dyn Fn() -> Result<String, Diagnostic> + Sync + Send + 'a>,
}

/// Makes `listings` and adds them to `sink` in their order: on every core,
/// the largest first, so that the one that takes longest does not start
/// last; one at a time when the files stream (a build), where the context
/// of a listing of thousands of pages is the largest thing made at the
/// time (at 50,000 pages: 55 MiB less at the peak, for 0.4 s).
pub(crate) fn make_listings(selected: &Selected<'_>, listings: Vec<Listing<'_>>, sink: &mut Sink) {
    use rayon::prelude::*;
    if sink.stream.is_some() {
        for listing in listings {
            let html = (listing.make)();
            sink.page(selected, &listing.path, html);
        }
        return;
    }
    let mut order: Vec<usize> = (0..listings.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(listings[i].size));
    let mut made: Vec<(usize, Result<String, Diagnostic>)> = order
        .into_par_iter()
        .with_max_len(1)
        .map(|i| (i, (listings[i].make)()))
        .collect();
    made.sort_by_key(|(i, _)| *i);
    for ((_, html), listing) in made.into_iter().zip(listings) {
        sink.page(selected, &listing.path, html);
    }
}

/// Where a render hands each file as soon as it is made, with its path
/// in the output, instead of keeping it: a new output's only view is
/// written and indexed while the rest of it is still being rendered.
pub type Stream<'a> = dyn Fn(&str, bytes::Bytes) + Sync + 'a;

impl<'a> Sink<'a> {
    /// A sink for a render that makes the sitemap, or not (`in_sitemap`).
    pub fn new(stream: Option<&'a Stream<'a>>, sitemap: bool) -> Sink<'a> {
        Sink {
            output: Output::default(),
            stream,
            diagnostics: Vec::new(),
            sitemap: Vec::new(),
            sitemap_wanted: sitemap,
            charts: 0,
            rules: std::collections::BTreeMap::new(),
        }
    }

    /// Adds URL paths to the sitemap, if this render makes one (the paths
    /// are not even made otherwise).
    pub fn in_sitemap(&mut self, paths: impl IntoIterator<Item = String>) {
        if self.sitemap_wanted {
            self.sitemap.extend(paths);
        }
    }

    /// Adds the page at URL path `path` (as `path/index.html`), or the
    /// problem that kept it from rendering.
    pub fn page(&mut self, selected: &Selected<'_>, path: &str, html: Result<String, Diagnostic>) {
        match html {
            Ok(html) => {
                let file = format!("{}index.html", path.trim_start_matches('/'));
                self.file(selected, file, html.into_bytes());
            }
            Err(d) => self.diagnostics.push(d),
        }
    }

    /// How many items (pages, partners) to make at once: `n` when the
    /// files stream, so that no more than that many items' files are held
    /// at a time, else all of them.
    pub fn at_once(&self, n: usize) -> usize {
        match self.stream {
            Some(_) => n,
            None => usize::MAX,
        }
    }

    /// Adds a generated file; a content page at the same path is an error.
    pub fn file(&mut self, selected: &Selected<'_>, file: String, bytes: Vec<u8>) {
        self.charts += usize::from(file.ends_with(".svg"));
        if let Err(file) = self.add(file, bytes) {
            self.diagnostics.push(clash(selected, &file));
        }
    }

    /// Adds a file, or gives its path back if the output has one there:
    /// kept, or handed to the stream with only its path kept.
    pub fn add(&mut self, file: String, bytes: Vec<u8>) -> Result<(), String> {
        let Some(stream) = self.stream else {
            return self.output.add(file, bytes);
        };
        self.output.add(file.clone(), Vec::new())?;
        // Not compacted: a streamed file lives only until it is written
        // and read, and compacting would copy it.
        stream(&file, bytes::Bytes::from(bytes));
        Ok(())
    }

    /// Records why the view holds the page at URL path `path` (for the
    /// manifest); the internal view holds everything and records nothing.
    pub fn rule(&mut self, view: &View, path: &str, why: impl FnOnce() -> String) {
        if *view != View::Internal {
            let file = format!("{}index.html", path.trim_start_matches('/'));
            self.rules.insert(file, why());
        }
    }

    /// `make` of each item, on every core, added in order: all at once, or
    /// `n` at a time when the files stream (`at_once`).
    pub fn extend_each<T: Sync>(
        &mut self,
        selected: &Selected<'_>,
        items: &[T],
        n: usize,
        make: impl Fn(&T) -> Result<Vec<(String, Vec<u8>)>, Vec<Diagnostic>> + Sync,
    ) {
        use rayon::prelude::*;
        for few in items.chunks(self.at_once(n).max(1)) {
            let results: Vec<_> = few.par_iter().map(&make).collect();
            self.extend(selected, results);
        }
    }

    /// Adds every result, files or problems.
    pub fn extend<I>(&mut self, selected: &Selected<'_>, results: I)
    where
        I: IntoIterator<Item = Result<Vec<(String, Vec<u8>)>, Vec<Diagnostic>>>,
    {
        for result in results {
            match result {
                Ok(files) => {
                    for (file, bytes) in files {
                        self.file(selected, file, bytes);
                    }
                }
                Err(mut d) => self.diagnostics.append(&mut d),
            }
        }
    }
}

/// The error for a generated file whose path a content page also takes:
/// content pages are added first, so the page there is the culprit.
pub(crate) fn clash(selected: &Selected<'_>, file: &str) -> Diagnostic {
    let doc = selected
        .documents()
        .find(|d| format!("{}index.html", d.path.trim_start_matches('/')) == file);
    let message = format!(
        "{file} is generated by partnersite (a partner report, the partner directory, the dashboard, a tag or track list, a co-branded copy, the search page, a section's feed or a page of a paginated list); move this page or set another `slug`"
    );
    match doc {
        Some(d) => Diagnostic::new(Code::GeneratedUrl, &d.file, message),
        None => Diagnostic::new(Code::GeneratedUrl, "content", message),
    }
}
