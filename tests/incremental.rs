//! `serve`'s incremental rebuilds give exactly what a full build gives.
//!
//! Each test copies the bundled site, builds it once through a `Rebuilder`
//! (as `serve` does), changes files, rebuilds, and compares the result,
//! file by file, with a fresh full render of the changed site. It also
//! checks that the narrow path was taken where it should be, so that a
//! planner that always rebuilds everything fails here too.

mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use partnersite::build;
use partnersite::highlight::Highlighter;
use partnersite::isolation::Audience;
use partnersite::output::Output;
use partnersite::serve::{Built, Changes, Rebuilder};
use partnersite::site::LoadOptions;
use support::{REPO, SiteTest, copy_tree};

/// A copy of the bundled site (search off unless `search`: indexing the
/// whole site twice per step would make these tests slow).
fn bundled(search: bool) -> SiteTest {
    let site = SiteTest::empty();
    for dir in ["content", "data", "themes"] {
        copy_tree(&Path::new(REPO).join(dir), &site.path(dir));
    }
    let config = std::fs::read_to_string(Path::new(REPO).join("site.toml")).expect("site.toml");
    let config = if search {
        config
    } else {
        config.replacen("theme = \"cafe\"", "theme = \"cafe\"\nsearch = false", 1)
    };
    site.file("site.toml", config)
}

/// The build date of these tests (the bundled site's pages are scheduled
/// relative to it, not to the day the tests run).
const DATE: time::Date = time::macros::date!(2026 - 09 - 01);

fn load(site: &SiteTest) -> LoadOptions {
    LoadOptions::new(site.root(), DATE)
}

/// What `build` would render now.
fn full_render(site: &SiteTest, audience: &Audience) -> Output {
    let load = load(site);
    let request = build::Request {
        load: &load,
        quarter: None,
        audience,
        shard: None,
    };
    build::render_audience(request, &Highlighter::new())
        .map(|rendered| rendered.output)
        .unwrap_or_else(|e| panic!("the site does not build: {e:?}"))
}

/// Rebuilds after `paths` changed, then adds the search index as `serve`
/// does once the edit is served.
fn rebuild(rebuilder: &mut Rebuilder, paths: &[&str]) -> (Built, Output) {
    let changes = Changes {
        paths: paths.iter().map(PathBuf::from).collect(),
    };
    let built = rebuilder
        .rebuild(&changes)
        .unwrap_or_else(|d| panic!("rebuild failed: {d:#?}"));
    let mut output = built.output.clone();
    if built.index_pending
        && let Some(index) = rebuilder.index()
    {
        output.files.extend(index.expect("index").files);
    }
    (built, output)
}

#[track_caller]
fn assert_same(incremental: &Output, full: &Output) {
    let a: BTreeSet<&String> = incremental.files.keys().collect();
    let b: BTreeSet<&String> = full.files.keys().collect();
    let extra: Vec<_> = a.difference(&b).collect();
    let missing: Vec<_> = b.difference(&a).collect();
    assert!(
        extra.is_empty() && missing.is_empty(),
        "files only in the incremental build: {extra:?}; only in the full build: {missing:?}"
    );
    let differ: Vec<&String> = full
        .files
        .iter()
        .filter(|(path, bytes)| incremental.files[*path] != **bytes)
        .map(|(path, _)| path)
        .collect();
    assert!(
        differ.is_empty(),
        "files that differ from a full build: {differ:?}"
    );
}

/// Puts `text` at the start of a page's body (after its front matter).
fn prepend_body(site: &SiteTest, rel: &str, text: &str) {
    let path = site.path(rel);
    let source = std::fs::read_to_string(&path).expect("read");
    let end = source[3..].find("+++\n").expect("front matter") + 3 + 4;
    let changed = format!("{}{text}{}", &source[..end], &source[end..]);
    std::fs::write(&path, changed).expect("write");
}

fn edit(site: &SiteTest, rel: &str, from: &str, to: &str) {
    let path = site.path(rel);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{rel} lacks {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
}

/// Builds once, then applies each step and compares after each.
struct Session {
    site: SiteTest,
    audience: Audience,
    rebuilder: Rebuilder,
}

impl Session {
    fn start(site: SiteTest, audience: Audience) -> Session {
        let mut rebuilder = Rebuilder::new(load(&site), None, audience.clone());
        let (_, output) = rebuild(&mut rebuilder, &[]);
        assert_same(&output, &full_render(&site, &audience));
        Session {
            site,
            audience,
            rebuilder,
        }
    }

    /// Rebuilds after `paths` changed; returns how it was built.
    #[track_caller]
    fn step(&mut self, paths: &[&str]) -> String {
        let (built, output) = rebuild(&mut self.rebuilder, paths);
        assert_same(&output, &full_render(&self.site, &self.audience));
        built.how
    }
}

/// `n` of `"n of m pages rendered"`, after checking that it is fewer.
#[track_caller]
fn assert_narrow(how: &str) -> usize {
    let numbers: Vec<usize> = how
        .strip_suffix(" pages rendered")
        .unwrap_or_else(|| panic!("not incremental: {how}"))
        .split(" of ")
        .map(|n| n.parse().expect("a count"))
        .collect();
    assert!(numbers[0] < numbers[1], "{how}");
    numbers[0]
}

const PLAYBOOK: &str = "content/sales/playbooks/first-call-playbook.md";
const PARTNER: &str = "data/partners/aurelian-inference.toml";

#[test]
fn page_and_section_body_edits_render_only_what_lists_them() {
    let mut s = Session::start(bundled(false), Audience::Internal);
    // A playbook's body: its page, listings, tag pages and the reports
    // that recommend it (its reading time shows there).
    let text = std::fs::read_to_string(s.site.path(PLAYBOOK)).unwrap();
    let longer = format!("{text}\n## Edited\n\n{}\n", "More words here. ".repeat(400));
    std::fs::write(s.site.path(PLAYBOOK), longer).unwrap();
    assert_narrow(&s.step(&[PLAYBOOK]));
    // A typo fix (the same number of words): that page alone, with
    // 404.html and the search page (always rendered).
    edit(&s.site, PLAYBOOK, "Edited", "Revised");
    assert_eq!(assert_narrow(&s.step(&[PLAYBOOK])), 3);
    // A co-branded page's body: its copies for every partner.
    prepend_body(
        &s.site,
        "content/marketing/co-branded-materials.md",
        "An added first paragraph.\n\n",
    );
    assert_narrow(&s.step(&["content/marketing/co-branded-materials.md"]));
    // A section's body.
    let index = "content/sales/_index.md";
    let text = std::fs::read_to_string(s.site.path(index)).unwrap();
    std::fs::write(s.site.path(index), format!("{text}\nAn added line.\n")).unwrap();
    // That section, and 404.html and the search page (always rendered).
    assert_eq!(assert_narrow(&s.step(&[index])), 3);
}

/// The word count of a page's body, as partnersite counts it.
fn body_words(site: &SiteTest, rel: &str) -> usize {
    let source = std::fs::read_to_string(site.path(rel)).expect("read");
    let end = source[3..].find("+++\n").expect("front matter") + 3 + 4;
    partnersite::markdown::word_count(&source[end..])
}

/// Adds `n` words at the end of a page's body.
fn append_words(site: &SiteTest, rel: &str, n: usize) {
    let path = site.path(rel);
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, format!("{text}\n{}\n", "word ".repeat(n))).expect("write");
}

#[test]
fn a_word_count_change_renders_the_listings_only_where_a_template_shows_it() {
    let mut s = Session::start(bundled(false), Audience::Internal);
    // The bundled theme shows each page's reading time (200 words a
    // minute), never its word count. Halfway through a minute first:
    let words = body_words(&s.site, PLAYBOOK);
    append_words(&s.site, PLAYBOOK, 200 + 100 - words % 200);
    assert_eq!(body_words(&s.site, PLAYBOOK) % 200, 100);
    assert!(assert_narrow(&s.step(&[PLAYBOOK])) > 3);
    // One more word, the same reading time: that page alone, with
    // 404.html and the search page (always rendered).
    append_words(&s.site, PLAYBOOK, 1);
    assert_eq!(assert_narrow(&s.step(&[PLAYBOOK])), 3);
    // A minute more: the page and everything that lists it.
    append_words(&s.site, PLAYBOOK, 150);
    let listed = assert_narrow(&s.step(&[PLAYBOOK]));
    assert!(listed > 3, "{listed}");
    // Once listings show the word count, one word shows there too: named,
    // or reached by a computed name (the `get` filter, a subscript by a
    // variable).
    let macros = "themes/cafe/templates/macros.html";
    let shown = [
        "{{ p.reading_time }} min read",
        "{{ p.word_count }} words",
        "{{ p | get(key=\"word\" ~ \"_count\") }} words",
        "{% set f = \"word\" ~ \"_count\" %}{{ p[f] }} words",
    ];
    for pair in shown.windows(2) {
        edit(&s.site, macros, pair[0], pair[1]);
        assert_narrow(&s.step(&[macros]));
        append_words(&s.site, PLAYBOOK, 1);
        assert_eq!(assert_narrow(&s.step(&[PLAYBOOK])), listed, "{}", pair[1]);
    }
}

#[test]
fn front_matter_new_and_removed_pages_rebuild_everything() {
    let mut s = Session::start(bundled(false), Audience::Internal);
    edit(
        &s.site,
        PLAYBOOK,
        "title = \"First-call playbook\"",
        "title = \"First call\"",
    );
    assert!(s.step(&[PLAYBOOK]).starts_with("everything rendered"));
    let new = "content/sales/a-new-page.md";
    std::fs::write(
        s.site.path(new),
        "+++\ntitle = \"New\"\ntags = [\"playbook\"]\n+++\nHi.\n",
    )
    .unwrap();
    assert!(s.step(&[new]).starts_with("everything rendered"));
    std::fs::remove_file(s.site.path(new)).unwrap();
    assert!(s.step(&[new]).starts_with("everything rendered"));
    // After a full rebuild, a body edit is narrow again.
    prepend_body(&s.site, PLAYBOOK, "First words. ");
    assert_narrow(&s.step(&[PLAYBOOK]));
}

#[test]
fn partner_data_edits_render_that_partner_and_the_program_pages() {
    let mut s = Session::start(bundled(false), Audience::Internal);
    edit(
        &s.site,
        PARTNER,
        "influenced_revenue = 171000",
        "influenced_revenue = 191000",
    );
    assert_narrow(&s.step(&[PARTNER]));
    edit(&s.site, PARTNER, "done = false", "done = true");
    assert_narrow(&s.step(&[PARTNER]));
    // A new name shows on other pages: everything.
    edit(
        &s.site,
        PARTNER,
        "name = \"Aurelian Inference\"",
        "name = \"Aurelian AI\"",
    );
    assert!(s.step(&[PARTNER]).starts_with("everything rendered"));
    edit(&s.site, "data/program.toml", "\n", "\n# a comment\n");
    assert!(
        s.step(&["data/program.toml"])
            .starts_with("everything rendered")
    );
}

#[test]
fn template_and_static_edits_render_what_uses_them() {
    let mut s = Session::start(bundled(false), Audience::Internal);
    let partner = "themes/cafe/templates/partner.html";
    edit(
        &s.site,
        partner,
        "{% block main %}",
        "{% block main %}<!-- edited -->",
    );
    // The 12 partner reports, the 73 reports of their earlier quarters,
    // 404.html and the search page.
    assert_eq!(assert_narrow(&s.step(&[partner])), 87);
    let macros = "themes/cafe/templates/macros.html";
    edit(&s.site, macros, "min read", "minutes");
    assert_narrow(&s.step(&[macros]));
    let css = "themes/cafe/static/css/site.css";
    edit(&s.site, css, "\n", "\n/* edited */\n");
    assert_eq!(assert_narrow(&s.step(&[css])), 2);
}

#[test]
fn a_broken_edit_fails_and_the_fix_rebuilds_from_scratch() {
    let mut s = Session::start(bundled(false), Audience::Internal);
    edit(&s.site, PLAYBOOK, "title = ", "title = = ");
    let changes = Changes {
        paths: [PathBuf::from(PLAYBOOK)].into(),
    };
    let errors = s.rebuilder.rebuild(&changes).expect_err("a broken page");
    assert!(
        errors
            .iter()
            .any(|d| d.to_string().contains("first-call-playbook.md")),
        "{errors:#?}"
    );
    edit(&s.site, PLAYBOOK, "title = = ", "title = ");
    assert!(s.step(&[PLAYBOOK]).starts_with("everything rendered"));
}

#[test]
fn with_search_the_index_is_rebuilt_after_the_edit() {
    let mut s = Session::start(bundled(true), Audience::Internal);
    prepend_body(&s.site, PLAYBOOK, "Zanzibarquux opens this playbook. ");
    assert_narrow(&s.step(&[PLAYBOOK]));
}

#[test]
fn a_partners_view_and_the_public_view_are_incremental_too() {
    let mut s = Session::start(
        bundled(false),
        Audience::Partner("aurelian-inference".into()),
    );
    prepend_body(&s.site, PLAYBOOK, "First words. ");
    assert_narrow(&s.step(&[PLAYBOOK]));
    edit(
        &s.site,
        PARTNER,
        "influenced_revenue = 171000",
        "influenced_revenue = 191000",
    );
    assert!(s.step(&[PARTNER]).starts_with("everything rendered"));
    let mut s = Session::start(bundled(false), Audience::Public);
    let public = "content/_index.md";
    let text = std::fs::read_to_string(s.site.path(public)).unwrap();
    std::fs::write(s.site.path(public), format!("{text}\nWelcome.\n")).unwrap();
    assert_narrow(&s.step(&[public]));
}

#[test]
fn a_partner_logo_under_static_is_copied_fresh() {
    let site = bundled(false);
    let logo = "logos/aurelian-inference.svg";
    let bytes = std::fs::read(site.path(&format!("data/{logo}"))).unwrap();
    std::fs::remove_file(site.path(&format!("data/{logo}"))).unwrap();
    let site = site.file(&format!("static/{logo}"), &bytes);
    let mut s = Session::start(site, Audience::Internal);
    let svg = String::from_utf8(bytes).unwrap();
    let changed = svg.replacen("<svg", "<svg data-edited=\"yes\"", 1);
    std::fs::write(s.site.path(&format!("static/{logo}")), changed).unwrap();
    assert!(
        s.step(&[&format!("static/{logo}")])
            .starts_with("everything rendered")
    );
}

const TIERS: &str = "content/programs/tiers.md";

#[test]
fn an_edit_inside_an_only_block_renders_the_page_and_its_listings_for_each_view() {
    for audience in [
        Audience::Internal,
        Audience::Partner("brackenford-integrators".into()),
        Audience::Partner("aurelian-inference".into()),
    ] {
        let mut s = Session::start(bundled(false), audience);
        // Tier 2 and tier 1 partners: the block is cut for one, shown to
        // the other; the page is rendered narrowly either way.
        edit(
            &s.site,
            TIERS,
            "Your partner solutions architect",
            "Your named partner solutions architect",
        );
        assert_narrow(&s.step(&[TIERS]));
        edit(
            &s.site,
            TIERS,
            "Your 15 certification vouchers",
            "Your fifteen certification vouchers, and more words here,",
        );
        assert_narrow(&s.step(&[TIERS]));
    }
}

#[test]
fn adding_an_alias_and_editing_a_shortcode_template_rebuild_everything() {
    let mut s = Session::start(bundled(false), Audience::Internal);
    edit(
        &s.site,
        TIERS,
        "weight = 10",
        "weight = 10\naliases = [\"/programs/levels/\"]",
    );
    assert!(s.step(&[TIERS]).starts_with("everything rendered"));
    let callout = "themes/cafe/templates/shortcodes/callout.html";
    edit(
        &s.site,
        callout,
        "<p class=\"callout-title\">",
        "<p class=\"callout-title edited\">",
    );
    assert!(s.step(&[callout]).starts_with("everything rendered"));
    // The redirect page's own template: only the redirect pages.
    let redirect = "themes/cafe/templates/redirect.html";
    edit(&s.site, redirect, "This page has moved", "This page moved");
    assert_narrow(&s.step(&[redirect]));
}

#[test]
fn a_page_crosses_its_publish_and_expiry_dates_when_the_build_date_changes() {
    let site = bundled(false);
    let audience = Audience::Internal;
    let mut rebuilder = Rebuilder::new(load(&site), None, audience.clone());
    let at = |date: time::Date| {
        let options = LoadOptions::new(site.root(), date);
        let request = build::Request {
            load: &options,
            quarter: None,
            audience: &audience,
            shard: None,
        };
        build::render_audience(request, &Highlighter::new())
            .expect("the site builds")
            .output
    };
    let page = "programs/whats-changed/index.html";
    let (_, output) = rebuild(&mut rebuilder, &[]);
    assert!(output.files.contains_key(page));
    for (date, shown) in [
        (time::macros::date!(2026 - 08 - 31), false),
        (time::macros::date!(2026 - 09 - 01), true),
        (time::macros::date!(2027 - 03 - 01), false),
    ] {
        rebuilder.set_date(date);
        let (built, output) = rebuild(&mut rebuilder, &[]);
        assert!(
            built.how.starts_with("everything rendered: the build date"),
            "{}",
            built.how
        );
        assert_eq!(output.files.contains_key(page), shown, "{date}");
        assert_same(&output, &at(date));
    }
}
