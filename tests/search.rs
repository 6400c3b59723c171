//! The static search index (src/search.rs, DESIGN.md §5–6): built per
//! audience output from that output's pages only, filterable by section,
//! track and tier, the same bytes for the same input, and found under the
//! base path. Pagefind's files are gzipped; these tests read them back
//! (fragments are JSON, word indexes CBOR with the words as plain UTF-8), so
//! no browser is needed.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;

use serde::Deserialize;
use support::{SiteTest, assert_same_tree};

/// One indexed page, as Pagefind stores it.
#[derive(Debug, Deserialize)]
struct Fragment {
    url: String,
    content: String,
    filters: BTreeMap<String, Vec<String>>,
    meta: BTreeMap<String, String>,
}

/// A search bundle read back: its fragments by URL and its words.
struct Index {
    fragments: BTreeMap<String, Fragment>,
    /// Every word index chunk, decompressed and concatenated.
    words: Vec<u8>,
}

impl Index {
    /// Reads the bundle below `<site>/<out>/pagefind/`.
    fn read(site: &SiteTest, out: &str) -> Index {
        let files = site.tree(&format!("{out}/pagefind"));
        assert!(!files.is_empty(), "no search bundle in {out}/pagefind");
        let mut fragments = BTreeMap::new();
        let mut words = Vec::new();
        for (path, bytes) in &files {
            if path.ends_with(".pf_fragment") {
                let f: Fragment = serde_json::from_slice(&decode(bytes)).expect("fragment JSON");
                assert!(fragments.insert(f.url.clone(), f).is_none(), "{path}");
            } else if path.ends_with(".pf_index") {
                words.extend(decode(bytes));
            }
        }
        Index { fragments, words }
    }

    fn urls(&self) -> BTreeSet<&str> {
        self.fragments.keys().map(String::as_str).collect()
    }

    fn page(&self, url: &str) -> &Fragment {
        self.fragments
            .get(url)
            .unwrap_or_else(|| panic!("{url} not indexed; indexed: {:?}", self.urls()))
    }

    /// Whether `word` (lower case, already its own stem) is searchable.
    fn has_word(&self, word: &str) -> bool {
        self.words.windows(word.len()).any(|w| w == word.as_bytes())
    }
}

/// A Pagefind file: gzip, then a signature, then the payload.
fn decode(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .expect("a gzipped Pagefind file");
    out.strip_prefix(b"pagefind_dcd")
        .expect("Pagefind's signature")
        .to_vec()
}

/// URLs of the HTML pages of `<out>` that the theme marks for search.
fn marked_pages(site: &SiteTest, out: &str) -> BTreeSet<String> {
    site.tree(out)
        .into_iter()
        .filter(|(p, b)| {
            p.ends_with(".html")
                && !p.starts_with("pagefind/")
                && String::from_utf8_lossy(b).contains("data-pagefind-body")
        })
        .map(|(p, _)| format!("/{}", p.strip_suffix("index.html").unwrap_or(&p)))
        .collect()
}

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| v.to_string()).collect()
}

fn built(fixture: &str, extra: &[&str]) -> SiteTest {
    let site = SiteTest::fixture(fixture);
    site.build(extra);
    site
}

#[test]
fn search_page_and_bundle_are_written() {
    let site = built("minimal", &[]);
    let page = site.read("public/search/index.html");
    assert!(page.contains("src=\"/pagefind/pagefind-ui.js\""), "{page}");
    assert!(page.contains("<noscript>"), "{page}");
    for file in [
        "pagefind.js",
        "pagefind-worker.js",
        "pagefind-ui.js",
        "pagefind-ui.css",
        "pagefind-entry.json",
        "wasm.en.pagefind",
    ] {
        assert!(site.exists(&format!("public/pagefind/{file}")), "{file}");
    }
    // The UIs the theme does not load are left out.
    assert!(!site.exists("public/pagefind/pagefind-component-ui.js"));
    // Every page has the search form, which works without JavaScript.
    let home = site.read("public/index.html");
    assert!(home.contains("action=\"/search/\""), "{home}");
}

#[test]
fn index_holds_one_fragment_per_marked_page() {
    let site = built("search", &[]);
    let index = Index::read(&site, "public");
    let marked = marked_pages(&site, "public");
    let urls: BTreeSet<String> = index.urls().into_iter().map(String::from).collect();
    assert_eq!(urls, marked);
    for url in [
        "/playbooks/",
        "/playbooks/open-guide/",
        "/playbooks/first-calls/discovery/",
        "/internal/handbook/",
        "/partners/zephyrcorp/",
    ] {
        assert!(urls.contains(url), "{url} not indexed: {urls:?}");
    }
    // Not results: listings, the search page, and (in the internal view,
    // where the generic kit links them all) partners' co-branded copies.
    for url in [
        "/",
        "/search/",
        "/404.html",
        "/tracks/",
        "/partners/",
        "/partners/zephyrcorp/joint-kit/",
    ] {
        assert!(!urls.contains(url), "{url} indexed");
    }
}

#[test]
fn pages_are_searchable_by_their_words_and_filterable() {
    let site = built("search", &[]);
    let index = Index::read(&site, "public");
    let discovery = index.page("/playbooks/first-calls/discovery/");
    assert!(discovery.content.contains("wombat budget"), "{discovery:?}");
    assert_eq!(discovery.meta["title"], "Discovery questions");
    assert_eq!(discovery.filters["section"], strings(&["Playbooks"]));
    assert_eq!(discovery.filters["track"], strings(&["Sales"]));
    assert_eq!(
        discovery.filters["tier"],
        strings(&["Tier 1", "Tier 2", "Tier 3"])
    );
    // The site's navigation is not part of a page's text.
    assert!(
        !discovery.content.contains("Skip to content"),
        "{discovery:?}"
    );
    assert!(!discovery.content.contains("Atom feed"), "{discovery:?}");

    let strategic = index.page("/playbooks/strategic/");
    assert_eq!(strategic.filters["tier"], strings(&["Tier 1"]));
    assert_eq!(strategic.filters["track"], strings(&["Technical"]));
    let handbook = index.page("/internal/handbook/");
    assert_eq!(handbook.filters["tier"], strings(&["Internal only"]));
    assert_eq!(handbook.filters["section"], strings(&["Staff Area"]));
    for word in [
        "wombat",
        "pangolin",
        "quokka",
        "narwhal",
        "axolotl",
        "zephyrcorp",
    ] {
        assert!(index.has_word(word), "{word} is not searchable");
    }
}

#[test]
fn a_draft_is_not_indexed() {
    let site = built("drafts", &[]);
    let index = Index::read(&site, "public");
    assert!(index.fragments.contains_key("/news/published/"));
    assert!(!index.fragments.contains_key("/news/secret/"));
    for f in index.fragments.values() {
        assert!(!f.content.contains("Secret draft story"), "{f:?}");
    }
}

/// What a partner's index must never hold: words only other partners' or
/// internal pages have.
fn assert_partner_index(index: &Index, own: (&str, &str), other: (&str, &str)) {
    let (own_slug, own_word) = own;
    let (other_slug, other_word) = other;
    for word in ["pangolin", "wombat", "ocelot", own_word, own_slug] {
        assert!(index.has_word(word), "{own_slug}: {word} not searchable");
    }
    for word in ["axolotl", other_word, other_slug] {
        assert!(!index.has_word(word), "{own_slug}: {word} is searchable");
    }
    for (url, f) in &index.fragments {
        assert!(!url.starts_with("/internal/"), "{own_slug}: {url}");
        assert!(!url.contains(other_slug), "{own_slug}: {url}");
        assert!(!f.content.to_lowercase().contains(other_slug), "{url}");
    }
    assert!(
        index
            .fragments
            .contains_key(&format!("/partners/{own_slug}/"))
    );
    // The partner's own co-branded copy is a result; its print layout is not.
    let kit = format!("/partners/{own_slug}/joint-kit/");
    let name = index.page(&format!("/partners/{own_slug}/")).meta["title"].clone();
    assert_eq!(
        index.page(&kit).meta["title"],
        format!("Joint Campaign Kit — {name}")
    );
    assert_eq!(
        index.page(&kit).filters["section"],
        strings(&["Co-branded materials"])
    );
    assert!(!index.fragments.contains_key(&format!("{kit}print/")));
}

#[test]
fn a_partners_index_holds_only_its_own_view() {
    let site = built("search", &["--audience", "partner:zephyrcorp"]);
    let index = Index::read(&site, "public");
    assert_eq!(index.urls().len(), marked_pages(&site, "public").len());
    assert_partner_index(&index, ("zephyrcorp", "quokka"), ("quillon", "narwhal"));
}

#[test]
fn every_partner_folder_has_its_own_index() {
    let site = built("search", &["--audience", "partners"]);
    let zephyr = Index::read(&site, "public/zephyrcorp");
    assert_partner_index(&zephyr, ("zephyrcorp", "quokka"), ("quillon", "narwhal"));
    let quillon = Index::read(&site, "public/quillon");
    assert_partner_index(&quillon, ("quillon", "narwhal"), ("zephyrcorp", "quokka"));
    assert!(!site.exists("public/pagefind"));
}

#[test]
fn two_builds_give_identical_search_files() {
    for audience in ["internal", "partners"] {
        let site = built("search", &["--audience", audience]);
        site.build(&["--audience", audience, "--out", "second"]);
        assert_same_tree(&site.tree("public"), &site.tree("second"));
    }
}

#[test]
fn search_assets_follow_the_base_path() {
    let site = built("search", &["--base-url", "https://search.example/docs"]);
    let page = site.read("public/search/index.html");
    for needle in [
        "href=\"/docs/pagefind/pagefind-ui.css\"",
        "src=\"/docs/pagefind/pagefind-ui.js\"",
        "src=\"/docs/js/search.js\"",
        "data-bundle=\"/docs/pagefind/\"",
        "data-base=\"/docs/\"",
    ] {
        assert!(page.contains(needle), "{needle} missing in\n{page}");
    }
    let home = site.read("public/index.html");
    assert!(home.contains("action=\"/docs/search/\""), "{home}");
    // Result URLs are relative to the output's root: Pagefind's script puts
    // the base path (`data-base`) in front of them.
    let index = Index::read(&site, "public");
    assert!(index.fragments.contains_key("/playbooks/open-guide/"));
    assert!(index.urls().iter().all(|u| !u.starts_with("/docs/")));
}

/// `search_indexes` of a build's JSON summary: (built, kept).
fn indexes(site: &SiteTest, args: &[&str]) -> (u64, u64) {
    let mut all = vec!["build", "--format", "json"];
    all.extend_from_slice(args);
    let run = site.run(&all).expect_exit(0);
    let summary: serde_json::Value = serde_json::from_str(run.stdout.trim()).unwrap();
    let counts = &summary["summary"]["search_indexes"];
    (
        counts["built"].as_u64().unwrap(),
        counts["kept"].as_u64().unwrap(),
    )
}

#[test]
fn an_index_is_kept_only_while_its_pages_are_unchanged_and_equals_a_new_one() {
    let site = SiteTest::fixture("search");
    assert_eq!(indexes(&site, &[]), (1, 0), "a new output is indexed");
    assert_eq!(
        indexes(&site, &[]),
        (0, 1),
        "nothing changed: the index is kept"
    );
    site.build(&["--out", "fresh"]);
    assert_same_tree(&site.tree("fresh"), &site.tree("public"));

    let page = site.read("content/playbooks/integrators.md");
    let site = site.file(
        "content/playbooks/integrators.md",
        format!("{page}\nA new paragraph about zeppelins.\n"),
    );
    assert_eq!(indexes(&site, &[]), (1, 0), "a page changed: indexed again");
    let site = site.remove("fresh");
    site.build(&["--out", "fresh"]);
    assert_same_tree(&site.tree("fresh"), &site.tree("public"));
    assert!(Index::read(&site, "public").has_word("zeppelin"));

    // A file of the kept index that is not what the manifest says: made again.
    let fragment = site
        .tree("public/pagefind")
        .into_keys()
        .find(|p| p.ends_with(".pf_fragment"))
        .unwrap();
    let site = site.file(&format!("public/pagefind/{fragment}"), "tampered");
    assert_eq!(indexes(&site, &[]), (1, 0));
    assert_same_tree(&site.tree("fresh"), &site.tree("public"));
}

#[test]
fn over_its_output_unchanged_files_stay_on_disk_and_the_index_reads_them_back() {
    // Over an earlier output only the files that changed are held; when the
    // index must be made again, the unchanged pages are read back from it.
    let site = SiteTest::fixture("search");
    site.build(&[]);
    let page = site.read("content/playbooks/integrators.md");
    let site = site.file(
        "content/playbooks/integrators.md",
        format!("{page}\nA new paragraph about zeppelins.\n"),
    );
    assert_eq!(indexes(&site, &[]), (1, 0), "a page changed: indexed again");
    site.build(&["--out", "fresh"]);
    assert_same_tree(&site.tree("fresh"), &site.tree("public"));
    assert!(Index::read(&site, "public").has_word("zeppelin"));

    // An unchanged page edited by hand behind its time stamp (same size,
    // old modification time): the disk vouches for it, its bytes do not.
    // The index is then made from the view rendered whole, as a build
    // before streaming did, and still finds the new word.
    let rel = "public/playbooks/strategic/index.html";
    let before = std::fs::metadata(site.path(rel))
        .unwrap()
        .modified()
        .unwrap();
    let text = site.read(rel);
    let forged = text.replacen("<h1", "<h2", 1).replacen("</h1", "</h2", 1);
    assert_eq!(forged.len(), text.len());
    std::fs::write(site.path(rel), &forged).unwrap();
    std::fs::File::options()
        .write(true)
        .open(site.path(rel))
        .unwrap()
        .set_modified(before)
        .unwrap();
    let site = site.file(
        "content/playbooks/integrators.md",
        format!("{page}\nA new paragraph about dirigibles.\n"),
    );
    assert_eq!(indexes(&site, &[]), (1, 0));
    let index = Index::read(&site, "public");
    assert!(index.has_word("dirig") || index.has_word("dirigibles"));
    assert!(!index.has_word("zeppelin"));
    // Made from what render made, not from the edited file.
    let site = site.remove("fresh");
    site.build(&["--out", "fresh"]);
    let search = |out: &str| {
        let mut tree = site.tree(out);
        tree.retain(|path, _| path.starts_with("pagefind/"));
        tree
    };
    assert_same_tree(&search("fresh"), &search("public"));
}

#[test]
fn a_partner_whose_pages_did_not_change_keeps_its_index() {
    let site = SiteTest::fixture("audiences");
    let partners = ["--audience", "partners", "--out", "partners"];
    assert_eq!(indexes(&site, &partners), (3, 0));
    let data = site.read("data/partners/alpha-labs.toml");
    let site = site.file(
        "data/partners/alpha-labs.toml",
        data.replace("influenced_revenue = 123457", "influenced_revenue = 223457"),
    );
    assert_eq!(
        indexes(&site, &partners),
        (1, 2),
        "only alpha-labs' report changed"
    );
    site.build(&["--audience", "partners", "--out", "fresh"]);
    assert_same_tree(&site.tree("fresh"), &site.tree("partners"));
}

/// A file of the site where Pagefind writes (`static/pagefind/…`) is an
/// error, whether the output is a new folder (whose other files are
/// written while the index is made) or an earlier output, and leaves
/// nothing behind.
#[test]
fn a_site_file_where_the_index_goes_is_an_error_and_nothing_is_written() {
    let site = SiteTest::fixture("minimal").file("static/pagefind/pagefind.js", "// mine");
    let failed = |site: &SiteTest| {
        site.run(&["build"])
            .expect_exit(1)
            .no_panic()
            .stderr_contains(
                "the site has a file pagefind/pagefind.js, where the search index goes",
            );
    };
    failed(&site);
    assert!(!site.exists("public"), "a new output was left behind");
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("partnersite"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let site = site.remove("static/pagefind/pagefind.js");
    site.build(&[]);
    let before = site.tree("public");
    let site = site.file("static/pagefind/pagefind.js", "// mine");
    failed(&site);
    assert_same_tree(&before, &site.tree("public"));
}
