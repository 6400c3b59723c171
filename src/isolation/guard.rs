//! The leak guard: after a view is rendered, every file of its output is
//! read as a reader would read it (`reader`) and checked against the whole
//! site. A partner's output may hold nothing of another partner — its
//! name, its slug in a URL, its logo — and no internal page's title; the
//! public output holds no partner at all. Defence in depth: the view was
//! already built from inputs scoped to it (`scope`).
//!
//! Matching (DESIGN.md §5): names and titles match as whole words of the
//! read text, and a name inside the viewing partner's own name is no hit
//! (`Nova` in Nova Labs' own output); a slug matches only as the URL or
//! path segment after `partners/`; a logo matches by its path and by its
//! bytes, in any file. A partner with `public = true` may be named, and
//! its logo shown, anywhere.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use rayon::prelude::*;

use super::reader::{self, Reading};
use super::view::View;
use crate::content::{Document, PageAudience};
use crate::diagnostic::{Code, Diagnostic, display_path};
use crate::output::Output;
use crate::site::Site;

/// What one needle stands for.
#[derive(Debug, Clone)]
struct Needle {
    /// What is looked for.
    pattern: String,
    /// As the message shows it.
    shown: String,
    /// `the name of partner beta`, `the title of internal page …`.
    what: String,
    /// The viewer's own name: masks, never a hit.
    own: bool,
}

/// The needles of one view and the automata that find them.
struct Needles {
    /// Names and titles, as read text (normalized).
    words: Vec<Needle>,
    words_ac: AhoCorasick,
    /// Slugs after `partners/` and logo paths, in read text and in paths.
    paths: Vec<Needle>,
    paths_ac: AhoCorasick,
    /// Logo files, by content: whole, and (for those long enough not to
    /// occur by chance) inside another file, as they are or base64.
    logos: Vec<(Needle, Vec<u8>)>,
    /// Patterns of the logos found inside files, and whose logo each is.
    logos_ac: AhoCorasick,
    logo_of: Vec<usize>,
}

/// Checks the rendered output of `view` (in `folder` of the audience's
/// output) against the whole site; every leak is an error naming the file.
pub fn leak_guard(site: &Site, view: &View, output: &Output, folder: &str) -> Vec<Diagnostic> {
    let guard = LeakGuard::new(site, view, folder);
    if guard.needles.is_none() {
        return Vec::new();
    }
    let mut found: Vec<Diagnostic> = output
        .files
        .par_iter()
        .flat_map_iter(|(path, bytes)| guard.file(path, bytes))
        .collect();
    LeakGuard::sorted(&mut found);
    found
}

/// The leak guard of one view, for its files one at a time (as a new
/// output's files stream to disk): `leak_guard` is this over every file.
pub struct LeakGuard {
    /// `None` for the internal view, which may hold everything.
    needles: Option<Needles>,
    /// `the output for partner beta`, `the public output`.
    who: String,
    folder: String,
}

impl LeakGuard {
    pub fn new(site: &Site, view: &View, folder: &str) -> LeakGuard {
        let who = match view.partner_slug() {
            Some(slug) => format!("the output for partner {slug}"),
            None => "the public output".to_string(),
        };
        LeakGuard {
            needles: needles(site, view),
            who,
            folder: folder.to_string(),
        }
    }

    /// Every leak in one file of the view's output, at `path` in it.
    pub fn file(&self, path: &str, bytes: &[u8]) -> Vec<Diagnostic> {
        let Some(needles) = &self.needles else {
            return Vec::new();
        };
        let shown = match self.folder.as_str() {
            "" => path.to_string(),
            folder => format!("{folder}/{path}"),
        };
        (hits(needles, path, bytes).into_iter())
            .map(|n| {
                Diagnostic::new(
                    Code::Leak,
                    &shown,
                    format!(
                        "leak guard: {} contains {} (`{}`); remove it from the pages this audience can see",
                        self.who, n.what, n.shown
                    ),
                )
            })
            .collect()
    }

    /// Leaks found file by file, in the order they are reported.
    pub fn sorted(found: &mut Vec<Diagnostic>) {
        crate::diagnostic::sort(found);
        found.dedup();
    }
}

/// What a view must not hold; `None` for the internal view (it holds all).
fn needles(site: &Site, view: &View) -> Option<Needles> {
    let viewer = match view {
        View::Internal => return None,
        View::Public => None,
        View::Partner { slug, .. } => Some(slug.as_str()),
    };
    let mut words = Vec::new();
    let mut paths = Vec::new();
    let mut logos = Vec::new();
    for p in &site.data.partners {
        let own = Some(p.slug.as_str()) == viewer;
        let named = |what: &str| Needle {
            pattern: String::new(),
            shown: p.name.clone(),
            what: format!("the {what} of partner {}", p.slug),
            own,
        };
        if own || !p.public {
            words.push(Needle {
                pattern: reader::normalize(&p.name),
                ..named("name")
            });
        }
        if own {
            continue;
        }
        paths.push(Needle {
            pattern: format!("partners/{}", p.slug),
            shown: p.slug.clone(),
            ..named("slug")
        });
        if let (Some(logo), false) = (&p.brand.logo, p.public) {
            let path = logo.trim_start_matches('/').to_ascii_lowercase();
            paths.push(Needle {
                shown: path.clone(),
                pattern: path,
                ..named("logo")
            });
            if let Some(bytes) = site.logos.get(logo) {
                logos.push((named("logo file"), bytes.clone()));
            }
        }
    }
    let shown_titles: std::collections::HashSet<String> = documents(site)
        .filter(|d| view.shows(d))
        .map(|d| reader::normalize(&d.meta.title))
        .collect();
    for doc in documents(site).filter(|d| d.meta.audience == PageAudience::Internal) {
        let title = reader::normalize(&doc.meta.title);
        // A title that a page of the view also has reveals nothing.
        if title.is_empty() || shown_titles.contains(&title) {
            continue;
        }
        words.push(Needle {
            pattern: title,
            shown: doc.meta.title.clone(),
            what: format!("the title of internal page {}", display_path(&doc.file)),
            own: false,
        });
    }
    let automaton = |needles: &[Needle], ascii_case: bool| {
        AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(ascii_case)
            .build(needles.iter().map(|n| n.pattern.as_str()))
            .expect("a few hundred short needles always make an automaton")
    };
    let mut patterns: Vec<Vec<u8>> = Vec::new();
    let mut logo_of = Vec::new();
    for (i, (_, bytes)) in logos.iter().enumerate() {
        // Short logos are matched whole only: a few bytes occur anywhere.
        if bytes.len() >= 64 {
            patterns.push(bytes.clone());
            patterns.push(base64(&bytes[..bytes.len().min(96)]).into_bytes());
            logo_of.extend([i, i]);
        }
    }
    let logos_ac = AhoCorasick::new(&patterns).expect("logo patterns make an automaton");
    Some(Needles {
        words_ac: automaton(&words, false),
        paths_ac: automaton(&paths, true),
        words,
        paths,
        logos,
        logos_ac,
        logo_of,
    })
}

fn documents(site: &Site) -> impl Iterator<Item = &Document> {
    let pages = site.content.pages.iter().map(|p| &p.doc);
    pages.chain(site.content.sections.values().map(|s| &s.doc))
}

/// The needles that one file of the output holds.
fn hits<'n>(needles: &'n Needles, path: &str, bytes: &[u8]) -> Vec<&'n Needle> {
    let mut found = Vec::new();
    let mut add = |n: &'n Needle| {
        if !found.iter().any(|f: &&Needle| std::ptr::eq(*f, n)) {
            found.push(n);
        }
    };
    for i in path_hits(needles, &path.to_ascii_lowercase()) {
        add(&needles.paths[i]);
    }
    for (needle, logo) in &needles.logos {
        if bytes == logo.as_slice() {
            add(needle);
        }
    }
    for m in needles.logos_ac.find_overlapping_iter(bytes) {
        add(&needles.logos[needles.logo_of[m.pattern().as_usize()]].0);
    }
    if let Some(Reading { joined, spaced }) = reader::read(path, bytes) {
        for text in [&joined, &spaced] {
            for i in word_hits(needles, text) {
                add(&needles.words[i]);
            }
            for i in path_hits(needles, text) {
                add(&needles.paths[i]);
            }
        }
    }
    found
}

/// Names and titles in `text` as whole words, outside the viewer's own name.
fn word_hits(needles: &Needles, text: &str) -> Vec<usize> {
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let mut own = Vec::new();
    let mut others = Vec::new();
    for m in needles.words_ac.find_overlapping_iter(text) {
        let whole =
            !word(text[..m.start()].chars().next_back()) && !word(text[m.end()..].chars().next());
        if !whole {
            continue;
        }
        let i = m.pattern().as_usize();
        if needles.words[i].own {
            own.push(m.start()..m.end());
        } else {
            others.push((i, m.start()..m.end()));
        }
    }
    // A hit made of the viewer's own name (once, or written twice in a row:
    // "Halcyon Halcyon") is no leak: each of its letters lies in it.
    let inside_own = |span: &std::ops::Range<usize>| {
        text[span.clone()].char_indices().all(|(i, c)| {
            let at = span.start + i;
            !c.is_alphanumeric() || own.iter().any(|o| o.start <= at && at < o.end)
        })
    };
    others
        .into_iter()
        .filter(|(_, span)| !inside_own(span))
        .map(|(i, _)| i)
        .collect()
}

/// Slugs and logo paths in `text` where they form whole path segments.
fn path_hits(needles: &Needles, text: &str) -> Vec<usize> {
    let segment =
        |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
    needles
        .paths_ac
        .find_overlapping_iter(text)
        .filter(|m| {
            !segment(text[..m.start()].chars().next_back())
                && !segment(text[m.end()..].chars().next())
        })
        .map(|m| m.pattern().as_usize())
        .collect()
}

/// Standard base64 of `bytes` (a logo's first bytes, to find it inlined as
/// a `data:` URL).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    // Whole groups of three only: the start of any encoding of the file.
    let whole = bytes.len() / 3 * 3;
    let mut out = String::with_capacity(whole / 3 * 4);
    for chunk in bytes[..whole].chunks(3) {
        let n = (u32::from(chunk[0]) << 16) | (u32::from(chunk[1]) << 8) | u32::from(chunk[2]);
        for shift in [18, 12, 6, 0] {
            out.push(ALPHABET[((n >> shift) & 63) as usize] as char);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_is_standard() {
        assert_eq!(base64(b"Man"), "TWFu");
        assert_eq!(base64(b"Many hands"), "TWFueSBoYW5k");
    }
}
