//! Tests of the search stage: what Pagefind is given, the index it makes
//! (pinned), and the index kept as pages change.

use super::*;

fn page(title: &str, section: &str, body: &str) -> Vec<u8> {
    format!(
        "<!doctype html><html lang=\"en\"><head><title>{title}</title></head><body>\
         <nav data-pagefind-ignore=\"all\">Menu of every page</nav>\
         <main data-pagefind-body><h1>{title}</h1>\
         <span data-pagefind-filter=\"section:{section}\"></span><p>{body}</p></main>\
         </body></html>"
    )
    .into_bytes()
}

fn output() -> Output {
    let mut o = Output::default();
    o.add("index.html", page("Home", "Home", "Welcome"))
        .unwrap();
    o.add(
        "sales/first-call/index.html",
        page("First call", "Sales", "Discovery questions"),
    )
    .unwrap();
    o.add("css/site.css", "body{}").unwrap();
    o
}

fn names(files: &[(String, Vec<u8>)]) -> Vec<&str> {
    files.iter().map(|(p, _)| p.as_str()).collect()
}

#[test]
fn page_urls_drop_index_html() {
    assert_eq!(page_url("index.html"), "/");
    assert_eq!(page_url("sales/x/index.html"), "/sales/x/");
    assert_eq!(page_url("404.html"), "/404.html");
}

#[test]
fn bundle_has_the_ui_the_index_and_one_fragment_per_page() {
    let files = index(&output()).unwrap();
    let names = names(&files);
    for needed in [
        "pagefind/pagefind.js",
        "pagefind/pagefind-worker.js",
        "pagefind/pagefind-ui.js",
        "pagefind/pagefind-ui.css",
        "pagefind/pagefind-entry.json",
        "pagefind/wasm.en.pagefind",
    ] {
        assert!(names.contains(&needed), "{needed} missing from {names:?}");
    }
    let fragments = names.iter().filter(|n| n.ends_with(".pf_fragment"));
    assert_eq!(fragments.count(), 2, "{names:?}");
    assert!(names.iter().all(|n| n.starts_with("pagefind/")));
    assert!(!names.iter().any(|n| n.contains("component-ui")));
}

#[test]
fn the_same_output_gives_the_same_files() {
    assert_eq!(index(&output()).unwrap(), index(&output()).unwrap());
}

/// The paths `pages_fed` gives Pagefind.
fn fed(o: &Output) -> Vec<&str> {
    pages_fed(o).into_iter().map(|(p, _)| p.as_str()).collect()
}

#[test]
fn pages_without_the_body_mark_are_not_given_to_pagefind_when_any_has_it() {
    let mut o = output();
    let unmarked = "<!doctype html><html><body><h1>List of 5,000 pages</h1></body></html>";
    o.add("partners/a/whats-new/index.html", unmarked).unwrap();
    // Written in capitals, or only in the text: still given.
    let capitals = "<html><body><MAIN DATA-PAGEFIND-BODY><h1>Caps</h1></MAIN></body></html>";
    o.add("caps/index.html", capitals).unwrap();
    let text = "<html><body><p>Mark content with data-pagefind-body.</p></body></html>";
    o.add("docs/search/index.html", text).unwrap();
    assert_eq!(
        fed(&o),
        [
            "caps/index.html",
            "docs/search/index.html",
            "index.html",
            "sales/first-call/index.html"
        ]
    );
    // What Pagefind finds is the same as if it had read them all: the
    // pages with the mark, one fragment each (the page that only
    // mentions it has none of its own to index).
    let files = index(&o).unwrap();
    let fragments = names(&files)
        .into_iter()
        .filter(|n| n.ends_with(".pf_fragment"))
        .count();
    assert_eq!(fragments, 3, "{:?}", names(&files));
    // No page marked: every page is given, whole.
    let mut plain = Output::default();
    plain.add("a/index.html", unmarked).unwrap();
    plain.add("b/index.html", unmarked).unwrap();
    assert_eq!(fed(&plain), ["a/index.html", "b/index.html"]);
}

/// What the index holds, decompressed, is pinned for pages with words
/// in headings and text, repeated and with diacritics (in the text and
/// in the title, both forms on one page): a change to how the vendored
/// Pagefind reads pages and keeps their words must not change the
/// index. The digest was taken with the vendored copy as it was before
/// words were packed as pages are read (the published 1.6.0 plus the
/// earlier additions of `vendor/pagefind/PARTNERSITE.md`, whose index
/// files earlier stops compared with 1.6.0's, decompressed).
#[test]
fn the_index_of_words_with_and_without_diacritics_is_pinned() {
    use sha2::{Digest, Sha256};
    use std::io::Read;
    let mut o = Output::default();
    let pages = [
        (
            "Café naïve résumé",
            "Sales",
            "The café serves crème brûlée, a naïve cafe résumé, resume, CAFÉ.",
        ),
        (
            "Über die Straße",
            "Support",
            "Über uber ÜBER straße strasse; façade facade; Zoë zoe zoe.",
        ),
        (
            "Plain page",
            "Sales",
            "Partner pipeline renewal partner partner quarter margin café.",
        ),
    ];
    for (i, (title, section, body)) in pages.into_iter().enumerate() {
        let body = format!("{body}</p><h2>Heading {title}</h2><p>{body}");
        o.add(format!("p{i}/index.html"), page(title, section, &body))
            .unwrap();
    }
    let mut hash = Sha256::new();
    for (name, bytes) in index(&o).unwrap() {
        let gzipped = [".pf_index", ".pf_fragment", ".pf_filter", ".pf_meta"];
        if !gzipped.iter().any(|ext| name.ends_with(ext)) {
            continue;
        }
        let mut plain = Vec::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_end(&mut plain)
            .unwrap();
        hash.update(name.as_bytes());
        hash.update((plain.len() as u64).to_le_bytes());
        hash.update(&plain);
    }
    assert_eq!(
        crate::write::hex(&hash.finalize()),
        "bac0d582f8881b8d2bb42094ed9648fc5618a5aa6bbe8c995bff1682cbd358ae",
    );
}

/// An index kept as pages change gives, after every change, the index
/// made afresh of the same output: pages edited (text and title),
/// added, removed, a site with no marked page left (Pagefind then
/// reads every page whole) and marked again, more pages than a batch.
#[test]
fn a_live_index_is_the_index_made_afresh_after_every_change() {
    let mut live = LiveIndex::new().unwrap();
    let mut o = output();
    for i in 0..BATCH + 10 {
        let body = format!("Partner pipeline {i} renewal");
        let section = ["Sales", "Support"][i % 2];
        o.add(
            format!("many/p{i:03}/index.html"),
            page(&format!("P{i}"), section, &body),
        )
        .unwrap();
    }
    let mut check = |o: &Output, step: &str| {
        let kept = live.update(o).unwrap();
        assert!(
            kept == index(o).unwrap(),
            "after {step}: not the index made afresh"
        );
    };
    check(&o, "the first update");
    check(&o, "no change");
    let edited = page("First call", "Sales", "Discovery questions and zeppelins");
    o.files
        .insert("sales/first-call/index.html".into(), edited.into());
    check(&o, "a page's text changed");
    let retitled = page(
        "The first call",
        "Support",
        "Discovery questions and zeppelins",
    );
    o.files
        .insert("sales/first-call/index.html".into(), retitled.into());
    check(&o, "a page's title and filter changed");
    o.add(
        "aa/new/index.html",
        page("Aardvark", "Sales", "Brand new page"),
    )
    .unwrap();
    check(&o, "a page added before the others");
    o.files.remove("many/p005/index.html");
    o.files.remove("index.html");
    check(&o, "pages removed");
    let unmarked: Output = {
        let mut u = Output::default();
        for (path, bytes) in &o.files {
            let text = String::from_utf8_lossy(bytes).replace(" data-pagefind-body", "");
            u.add(path.clone(), text).unwrap();
        }
        u
    };
    check(&unmarked, "no page marked any more");
    check(&o, "marked again");
}

/// The index of pages read in parallel batches is byte for byte the one
/// Pagefind builds reading them one at a time in path order: page
/// numbers follow the order pages are added, so a batch added in the
/// order its threads finished would differ. More pages than a batch, of
/// different sizes, so that threads finish out of order.
#[test]
fn batches_give_the_index_of_pages_added_one_by_one() {
    let mut o = Output::default();
    for i in 0..BATCH + 40 {
        let words = ["partner", "pipeline", "renewal", "quarter", "margin"];
        let body: Vec<&str> = (0..(i * 7919) % 400).map(|w| words[w % 5]).collect();
        let section = ["Sales", "Marketing", "Support"][i % 3];
        let title = format!("Page {i}");
        let path = format!("s/p{i:04}/index.html");
        o.add(path, page(&title, section, &body.join(" "))).unwrap();
    }
    let one_by_one = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(async {
            let mut pagefind = PagefindIndex::new(Some(options())).unwrap();
            for (path, bytes) in pages_fed(&o) {
                let html = String::from_utf8_lossy(bytes).into_owned();
                pagefind
                    .add_html_file(None, Some(page_url(path)), html)
                    .await
                    .unwrap();
            }
            bundle(pagefind.get_files().await.unwrap())
        });
    let batched = index(&o).unwrap();
    assert_eq!(names(&batched), names(&one_by_one));
    assert!(batched == one_by_one, "same names, different bytes");
}
