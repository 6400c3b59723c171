//! The section tree of loaded content: bundle files attached to their
//! pages, pages of draft sections left out, each section's pages and
//! subsections in display order, and URLs that two documents would share.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::document::{Content, Document};
use crate::diagnostic::{Code, Diagnostic, display_path};
use crate::source::at_key;

/// Moves the files of each bundle from `files` to its page's assets.
pub(super) fn attach_bundle_assets(content: &mut Content, bundles: &[usize]) {
    // By folder, so that 10,000 bundles take linear time, not quadratic.
    let dirs: std::collections::HashMap<PathBuf, usize> = bundles
        .iter()
        .map(|&i| {
            let file = &content.pages[i].doc.file;
            (file.parent().map(Path::to_path_buf).unwrap_or_default(), i)
        })
        .collect();
    for file in std::mem::take(&mut content.files) {
        match file.ancestors().skip(1).find_map(|a| dirs.get(a)) {
            Some(&i) => Arc::make_mut(&mut content.pages[i]).assets.push(file),
            None => content.files.push(file),
        }
    }
}

/// Removes the pages and subsections of draft (absent) sections.
pub(super) fn drop_hidden(content: &mut Content, drafts: bool) {
    if drafts {
        return;
    }
    let present: Vec<String> = content.sections.keys().cloned().collect();
    let visible = |key: &str| {
        let mut k = key;
        loop {
            if !present.iter().any(|p| p == k) {
                return false;
            }
            match k.rfind('/') {
                Some(i) => k = &k[..i],
                None if k.is_empty() => return true,
                None => k = "",
            }
        }
    };
    content.pages.retain(|p| visible(&p.section));
    let keys: Vec<String> = content
        .sections
        .keys()
        .filter(|k| !visible(k))
        .cloned()
        .collect();
    for k in keys {
        content.sections.remove(&k);
    }
}

/// Fills `Section::pages` and `Section::subsections`, sorted.
pub(super) fn link_tree(content: &mut Content) {
    let mut pages: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, p) in content.pages.iter().enumerate() {
        pages.entry(p.section.clone()).or_default().push(i);
    }
    for (key, mut list) in pages {
        list.sort_by(|&a, &b| order(&content.pages[a].doc, &content.pages[b].doc));
        if let Some(s) = content.sections.get_mut(&key) {
            s.pages = list;
        }
    }
    let keys: Vec<String> = content.sections.keys().cloned().collect();
    for key in keys.iter().filter(|k| !k.is_empty()) {
        let parent = key.rfind('/').map_or("", |i| &key[..i]).to_string();
        if let Some(p) = content.sections.get_mut(&parent) {
            p.subsections.push(key.clone());
        }
    }
    let docs: BTreeMap<String, Document> = content
        .sections
        .iter()
        .map(|(k, s)| (k.clone(), s.doc.clone()))
        .collect();
    for s in content.sections.values_mut() {
        s.subsections.sort_by(|a, b| order(&docs[a], &docs[b]));
    }
}

/// Display order: weight (unweighted last), newest date first, then title.
pub fn order(a: &Document, b: &Document) -> std::cmp::Ordering {
    let weight = |d: &Document| d.meta.weight.unwrap_or(i64::MAX);
    weight(a)
        .cmp(&weight(b))
        .then_with(|| b.meta.date.cmp(&a.meta.date))
        .then_with(|| a.meta.title.cmp(&b.meta.title))
        .then_with(|| a.file.cmp(&b.file))
}

pub(super) fn check_unique_paths(content: &Content, diagnostics: &mut Vec<Diagnostic>) {
    let docs: Vec<&Document> = content
        .sections
        .values()
        .map(|s| &s.doc)
        .chain(content.pages.iter().map(|p| &p.doc))
        .collect();
    let mut seen: BTreeMap<&str, &Document> = BTreeMap::new();
    for doc in docs {
        let Some(other) = seen.insert(&doc.path, doc) else {
            continue;
        };
        // Blame the file whose `slug` made the clash, if only one has one.
        let (culprit, innocent) = if other.meta.slug.is_some() && doc.meta.slug.is_none() {
            (other, doc)
        } else {
            (doc, other)
        };
        let d = Diagnostic::new(
            Code::SameUrl,
            &culprit.file,
            format!(
                "URL {} is also produced by {}; change one `slug`",
                doc.path,
                display_path(&innocent.file)
            ),
        );
        diagnostics.push(at_key(d, &culprit.source(), "slug"));
    }
}

/// Aliases that equal the URL of a document or another alias: each is an
/// error at the `aliases` key of the file that has it, naming the other.
pub(super) fn check_aliases(content: &Content, diagnostics: &mut Vec<Diagnostic>) {
    let docs: Vec<&Document> = content
        .sections
        .values()
        .map(|s| &s.doc)
        .chain(content.pages.iter().map(|p| &p.doc))
        .collect();
    let urls: BTreeMap<&str, &Document> = docs.iter().map(|d| (d.path.as_str(), *d)).collect();
    let mut aliases: BTreeMap<&str, &Document> = BTreeMap::new();
    for doc in docs.iter().filter(|d| !d.meta.aliases.is_empty()) {
        for alias in &doc.meta.aliases {
            let message = if let Some(other) = urls.get(alias.as_str()) {
                let whose = if std::ptr::eq(*other, *doc) {
                    "this page's own URL".to_string()
                } else {
                    format!("the URL of {}", display_path(&other.file))
                };
                format!(
                    "alias `{alias}` is {whose}: a redirect there would replace that page; remove the alias"
                )
            } else if let Some(other) = aliases.insert(alias, doc) {
                let whose = if std::ptr::eq(other, *doc) {
                    "this page".to_string()
                } else {
                    display_path(&other.file)
                };
                format!(
                    "alias `{alias}` is also an alias of {whose}: one old URL can redirect to one page only; keep one"
                )
            } else {
                continue;
            };
            let d = Diagnostic::new(Code::AliasClash, &doc.file, message);
            diagnostics.push(at_key(d, &doc.source(), "aliases"));
        }
    }
}
