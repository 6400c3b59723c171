//! Heading ids (unique within a page) and the nested table of contents.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::HeadingLevel;

use super::rendered::TocEntry;

pub(super) fn heading_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// The heading ids of a page so far, and for each base id the next suffix
/// to try: 10,000 headings of the same text take linear time, not quadratic.
#[derive(Default)]
pub(super) struct Ids {
    used: HashSet<String>,
    next: HashMap<String, usize>,
}

/// An id for a heading: the explicit `{#id}` or a slug of its text, made
/// unique within the page with `-1`, `-2`, ….
pub(super) fn unique_id(explicit: Option<&str>, text: &str, ids: &mut Ids) -> String {
    let base = match explicit {
        Some(id) => id.to_string(),
        None => {
            let s = slug::slugify(text);
            if s.is_empty() {
                "section".to_string()
            } else {
                s
            }
        }
    };
    if ids.used.insert(base.clone()) {
        return base;
    }
    let n = ids.next.entry(base.clone()).or_insert(1);
    loop {
        let id = format!("{base}-{n}");
        *n += 1;
        if ids.used.insert(id.clone()) {
            return id;
        }
    }
}

/// Builds the nested table of contents from headings in document order.
pub(super) fn nest(headings: &[(u8, String, String)]) -> Vec<TocEntry> {
    fn take(headings: &[(u8, String, String)], i: &mut usize, parent: u8) -> Vec<TocEntry> {
        let mut entries = Vec::new();
        while let Some((level, id, title)) = headings.get(*i) {
            if *level <= parent {
                break;
            }
            *i += 1;
            let children = take(headings, i, *level);
            entries.push(TocEntry {
                level: *level,
                id: id.clone(),
                title: title.clone(),
                children,
            });
        }
        entries
    }
    let mut i = 0;
    let mut all = Vec::new();
    while i < headings.len() {
        all.extend(take(headings, &mut i, 0));
    }
    all
}
