//! Content loading: walks `content/` and turns every markdown file into a
//! `Page` or a `Section`, with validated front matter and its URL.
//!
//! Reads the disk (and only `content/`); renders nothing. Errors from every
//! file are collected and returned together.

mod document;
pub mod front_matter;
pub mod schedule;
pub mod stale;
mod tree;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use time::Date;
use walkdir::WalkDir;

pub use document::{Content, DIR, Document, Page, Section, next_rev};
pub use front_matter::{FrontMatter, PageAudience, Track};
pub use tree::order;

use crate::diagnostic::{Code, Diagnostic};
use crate::values::slug::check_slug;
use document::content_path_of;
use tree::{attach_bundle_assets, check_aliases, check_unique_paths, drop_hidden, link_tree};

/// A markdown file found by the walk, before parsing.
struct Found {
    rel: PathBuf,
    kind: Kind,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    SectionIndex,
    Page,
    BundleIndex,
}

/// What the walk of `content/` found, before any file is parsed.
#[derive(Default)]
struct Walk {
    markdown: Vec<Found>,
    /// Other files, copied as they are.
    others: Vec<PathBuf>,
    /// Every folder that is a section (relative to the root).
    section_dirs: Vec<PathBuf>,
    diagnostics: Vec<Diagnostic>,
    /// Symbolic links skipped.
    warnings: Vec<Diagnostic>,
}

/// Loads every file under `<root>/content`. `drafts` keeps draft pages,
/// and pages not published on `date` (before `publish`, from `expires`
/// on). Warnings (symbolic links skipped) are added to `warnings`.
pub fn load(
    root: &Path,
    drafts: bool,
    date: Date,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Content, Vec<Diagnostic>> {
    if crate::source::is_link(&root.join(DIR)) {
        warnings.push(crate::source::skipped_link(Path::new(DIR)));
    }
    let mut walk = walk(root);
    warnings.append(&mut walk.warnings);
    let mut diagnostics = walk.diagnostics;
    if !root.join(DIR).is_dir() || crate::source::is_link(&root.join(DIR)) {
        diagnostics.push(Diagnostic::new(
            Code::NoContentFolder,
            DIR,
            "no content folder: create `content/_index.md` for the home page",
        ));
        return Err(diagnostics);
    }
    let parsed: Vec<Result<(Kind, Document), Vec<Diagnostic>>> = walk
        .markdown
        .par_iter()
        .map(|f| read_document(root, &f.rel).map(|d| (f.kind, d)))
        .collect();
    let mut content = assemble(
        parsed,
        walk.others,
        &walk.section_dirs,
        |doc: &Document| !drafts && schedule::hidden(&doc.meta, date),
        &mut diagnostics,
    );
    for p in content.pages.iter().filter(|p| p.slug.is_empty()) {
        diagnostics.push(Diagnostic::new(
            Code::NoSlugInName,
            &p.doc.file,
            "the file name has no letters or digits to make a URL from: rename the file, or set `slug` in its front matter",
        ));
    }
    drop_hidden(&mut content, drafts);
    link_tree(&mut content);
    check_unique_paths(&content, &mut diagnostics);
    check_aliases(&content, &mut diagnostics);
    if diagnostics.is_empty() {
        Ok(content)
    } else {
        // Every markdown file found counts as a link target, loaded or not.
        let known = walk
            .markdown
            .iter()
            .map(|f| content_path_of(&f.rel))
            .collect();
        diagnostics.extend(broken_links(&content, &known));
        Err(diagnostics)
    }
}

/// Walks `content/` in name order: markdown files, other files, section
/// folders. Hidden files and folders are left out; a folder holding
/// `index.md` is a page bundle.
fn walk(root: &Path) -> Walk {
    let mut out = Walk {
        section_dirs: vec![PathBuf::from(DIR)],
        ..Walk::default()
    };
    let mut walker = WalkDir::new(root.join(DIR))
        .sort_by_file_name()
        .follow_links(false)
        .into_iter();
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map_or_else(|| PathBuf::from(DIR), |p| relative(root, p));
                out.diagnostics.push(Diagnostic::new(
                    Code::CannotRead,
                    path,
                    format!("cannot read: {e}"),
                ));
                continue;
            }
        };
        let name = entry.file_name().to_string_lossy();
        if entry.depth() > 0 && name.starts_with('.') {
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        let rel = relative(root, entry.path());
        if entry.path_is_symlink() {
            out.warnings.push(crate::source::skipped_link(&rel));
            continue;
        }
        if entry.file_type().is_dir() {
            if entry.depth() == 0 {
                continue;
            }
            if is_plain_file(&entry.path().join("index.md")) {
                if is_plain_file(&entry.path().join("_index.md")) {
                    out.diagnostics.push(Diagnostic::new(
                        Code::SectionAndBundle,
                        &rel,
                        "a folder holds either `_index.md` (a section) or `index.md` (a page bundle), not both",
                    ));
                }
                // A page bundle: its index is the page, the rest are assets.
                collect_bundle(root, entry.path(), &mut out);
                walker.skip_current_dir();
                continue;
            }
            if let Err(m) = check_slug(&name) {
                out.diagnostics.push(Diagnostic::new(
                    Code::BadFolderName,
                    &rel,
                    format!("section folder name {m}; folder names become URLs"),
                ));
            }
            out.section_dirs.push(rel);
        } else if name.ends_with(".md") {
            let kind = if name == "_index.md" {
                Kind::SectionIndex
            } else {
                Kind::Page
            };
            out.markdown.push(Found { rel, kind });
        } else if entry.file_type().is_file() {
            out.others.push(rel);
        }
    }
    out
}

/// The content made of the parsed documents: pages and sections (every
/// section folder is one, with or without `_index.md`), those `hidden`
/// left out, bundle files attached to their pages.
fn assemble(
    parsed: Vec<Result<(Kind, Document), Vec<Diagnostic>>>,
    files: Vec<PathBuf>,
    section_dirs: &[PathBuf],
    hidden: impl Fn(&Document) -> bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Content {
    let mut content = Content {
        files,
        ..Content::default()
    };
    let mut bundles = Vec::new();
    let mut draft_sections = Vec::new();
    for result in parsed {
        match result {
            Err(mut d) => diagnostics.append(&mut d),
            Ok((kind, doc)) if kind != Kind::SectionIndex && section_only(&doc, diagnostics) => {}
            Ok((kind, doc)) if hidden(&doc) => {
                if kind == Kind::SectionIndex {
                    draft_sections.push(section_key(&doc.file));
                }
            }
            Ok((Kind::SectionIndex, doc)) => {
                let key = section_key(&doc.file);
                content.sections.insert(key.clone(), section(key, doc));
            }
            Ok((kind, doc)) => {
                if kind == Kind::BundleIndex {
                    bundles.push(content.pages.len());
                }
                content.pages.push(Arc::new(page(doc, kind)));
            }
        }
    }
    for dir in section_dirs {
        let key = section_key(&dir.join("_index.md"));
        if draft_sections.contains(&key) {
            continue;
        }
        content
            .sections
            .entry(key.clone())
            .or_insert_with(|| section(key.clone(), implicit_section_doc(dir, &key)));
    }
    attach_bundle_assets(&mut content, &bundles);
    content
}

/// The `@/` links of the loaded documents that name none of `known` (paths
/// inside `content/`), reported as rendering would report them. Loading
/// calls this when it fails (rendering never runs then), so that one run
/// still reports every error. Co-branded pages are left to rendering: their
/// body is a template.
pub fn broken_links(
    content: &Content,
    known: &std::collections::HashSet<String>,
) -> Vec<Diagnostic> {
    let docs = content.pages.iter().map(|p| &p.doc);
    let docs: Vec<&Document> = docs
        .chain(content.sections.values().map(|s| &s.doc))
        .filter(|d| !d.meta.cobrand && d.body().contains("@/"))
        .collect();
    docs.par_iter()
        .flat_map_iter(|doc| {
            crate::markdown::broken_links(&doc.body(), &|target| known.contains(target))
                .into_iter()
                .map(|p| {
                    let span = doc.body_offset + p.span.start..doc.body_offset + p.span.end;
                    Diagnostic::at(p.code, &doc.file, &doc.source(), span, p.message)
                })
        })
        .collect()
}

/// Reports the keys of a page that only a section may have; `true` if it
/// has one.
fn section_only(doc: &Document, diagnostics: &mut Vec<Diagnostic>) -> bool {
    let meta = &doc.meta;
    let keys = [
        ("paginate_by", meta.paginate_by.is_some()),
        ("generate_feed", meta.generate_feed),
    ];
    let mut found = false;
    for (key, set) in keys.into_iter().filter(|(_, set)| *set) {
        found |= set;
        let message = format!(
            "`{key}` is for sections: put it in the front matter of a section's `_index.md`"
        );
        let d = Diagnostic::new(Code::SectionOnlyKey, &doc.file, message);
        diagnostics.push(crate::source::at_key(d, &doc.source(), key));
    }
    found
}

fn collect_bundle(root: &Path, dir: &Path, out: &mut Walk) {
    for entry in WalkDir::new(dir).sort_by_file_name().follow_links(false) {
        let Ok(entry) = entry else { continue };
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let rel = relative(root, entry.path());
        if entry.path_is_symlink() {
            out.warnings.push(crate::source::skipped_link(&rel));
        } else if entry.file_type().is_file() {
            if entry.path() == dir.join("index.md") {
                out.markdown.push(Found {
                    rel,
                    kind: Kind::BundleIndex,
                });
            } else {
                out.others.push(rel);
            }
        }
    }
}

/// A file that is not a symbolic link.
fn is_plain_file(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file())
}

fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// The largest markdown file a site may hold. A bigger page is almost
/// certainly a mistake (a data dump, a log), and would take minutes and
/// gigabytes to render and index.
pub const MAX_PAGE_BYTES: u64 = 10 * 1024 * 1024;

/// Reads and parses one markdown file.
fn read_document(root: &Path, rel: &Path) -> Result<Document, Vec<Diagnostic>> {
    let size = std::fs::metadata(root.join(rel)).map_or(0, |m| m.len());
    if size > MAX_PAGE_BYTES {
        return Err(vec![Diagnostic::new(
            Code::PageTooLarge,
            rel,
            format!(
                "the page is {:.1} MiB, over the limit of {} MiB: split it into several pages, or put the data in a file under content/ and link to it",
                size as f64 / (1024.0 * 1024.0),
                MAX_PAGE_BYTES / (1024 * 1024)
            ),
        )]);
    }
    let bytes = std::fs::read(root.join(rel)).map_err(|e| {
        vec![Diagnostic::new(
            Code::CannotRead,
            rel,
            format!("cannot read: {e}"),
        )]
    })?;
    let source = crate::source::text(rel, bytes).map_err(|d| vec![d])?;
    let split = front_matter::split(&source)
        .map_err(|p| vec![Diagnostic::at(p.code, rel, &source, p.span, p.message)])?;
    let body_offset = split.body_offset;
    let meta = front_matter::parse(&split).map_err(|problems| {
        problems
            .into_iter()
            .map(|p| Diagnostic::at(p.code, rel, &source, p.span, p.message))
            .collect::<Vec<_>>()
    })?;
    Ok(Document {
        file: rel.to_path_buf(),
        text: source.into(),
        body_offset,
        meta,
        path: String::new(),
        rev: next_rev(),
    })
}

/// Reads a document again after its file changed. The result keeps the URL
/// path of `old`: it is only right while the front matter is unchanged,
/// which the caller checks.
pub fn reread(root: &Path, old: &Document) -> Result<Document, Vec<Diagnostic>> {
    let mut doc = read_document(root, &old.file)?;
    doc.path.clone_from(&old.path);
    Ok(doc)
}

/// `content/sales/_index.md` → `sales`; `content/_index.md` → ``.
fn section_key(index_file: &Path) -> String {
    let parent = index_file.parent().unwrap_or(Path::new(""));
    let rel = parent.strip_prefix(DIR).unwrap_or(parent);
    rel.to_string_lossy().replace('\\', "/")
}

fn section(key: String, mut doc: Document) -> Section {
    doc.path = if key.is_empty() {
        "/".to_string()
    } else {
        format!("/{key}/")
    };
    Section {
        key,
        doc,
        pages: Vec::new(),
        subsections: Vec::new(),
    }
}

/// A section folder without `_index.md` gets a title from its name (the
/// home page's is filled in from `site.toml` by the caller).
fn implicit_section_doc(dir: &Path, key: &str) -> Document {
    let name = key.rsplit('/').next().unwrap_or("");
    let mut title = name.replace('-', " ");
    if let Some(first) = title.get(..1) {
        title = first.to_uppercase() + &title[1..];
    }
    Document {
        file: dir.join("_index.md"),
        text: String::new().into(),
        body_offset: 0,
        rev: 0,
        meta: FrontMatter::titled(title),
        path: String::new(),
    }
}

fn page(mut doc: Document, kind: Kind) -> Page {
    let (section, file_slug) = if kind == Kind::BundleIndex {
        let dir = doc.file.parent().unwrap_or(Path::new(""));
        let name = dir.file_name().map(|n| n.to_string_lossy().to_string());
        (section_key(dir), name.unwrap_or_default())
    } else {
        let stem = doc
            .file
            .file_stem()
            .map(|n| n.to_string_lossy().to_string());
        (section_key(&doc.file), stem.unwrap_or_default())
    };
    let slug = doc
        .meta
        .slug
        .clone()
        .unwrap_or_else(|| slug::slugify(&file_slug));
    doc.path = if section.is_empty() {
        format!("/{slug}/")
    } else {
        format!("/{section}/{slug}/")
    };
    Page {
        doc,
        slug,
        section,
        assets: Vec::new(),
    }
}
