//! End-to-end tests in a real headless Chromium (issue 6): the bundled site
//! is built into a temporary folder with the real binary, served on loopback
//! (by a tiny static server, or by `partnersite serve` for live reload) and
//! driven over WebDriver by Debian's `chromedriver`. Without Chromium each
//! test prints `skipped: chromium not installed` and passes; `.ci/run`
//! installs it, so CI always runs them. Screenshots go to
//! `test-artifacts/screenshots/` (gitignored).
//!
//! Also: axe-core (the pinned copy of `tests/validators/`) on every kind of
//! page in light and dark mode, failing on any violation; and printing
//! (DevTools' `Page.printToPDF`, as "Save as PDF" does) on A4 and Letter,
//! counting the PDF's pages: a report on two, none mostly blank, a
//! co-branded one-pager on one. The PDFs go to `test-artifacts/print/`.

#[path = "browser/harness.rs"]
mod harness;
#[path = "browser/static_server.rs"]
mod static_server;

#[path = "browser/axe.rs"]
mod axe;
#[path = "browser/print.rs"]
mod print;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::Locator;
use harness::{Browser, BuiltSite, Options, REPO, Viewport};
use serde_json::{Value, json};
use static_server::StaticServer;

const PLAYBOOK: &str = "/sales/playbooks/first-call-playbook/";
/// Its title, as in `content/sales/playbooks/first-call-playbook.md`.
const PLAYBOOK_TITLE: &str = "First-call playbook";
const REPORT: &str = "/partners/northwind-ai/";
const DASHBOARD: &str = "/reports/";
/// The co-branded copy of a kit, and its print one-pager.
pub const COBRAND: &str = "/partners/northwind-ai/co-branded-materials/";
pub const COBRAND_PRINT: &str = "/partners/northwind-ai/co-branded-materials/print/";
/// The pages a person sees most, by a short name: screenshots, layout checks.
const SHOWCASE: [(&str, &str); 4] = [
    ("home", "/"),
    ("playbook", PLAYBOOK),
    ("partner-report", REPORT),
    ("dashboard", DASHBOARD),
];

/// A browser on the bundled site built with `build_args`, or `None` when
/// Chromium is not installed.
fn open_site(options: Options, build_args: &[&str]) -> Option<(Browser, StaticServer, BuiltSite)> {
    let browser = Browser::start(options)?;
    let site = BuiltSite::build(build_args);
    let server = StaticServer::start(&site.out());
    Some((browser, server, site))
}

/// The console errors logged since the last call.
fn console_errors(browser: &Browser) -> Vec<String> {
    browser
        .take_logs()
        .into_iter()
        .filter(|e| e.level == "SEVERE")
        .map(|e| e.message)
        .collect()
}

/// Fails if the page logged a console error or asked any host but ours. A
/// missing `/favicon.ico` (which Chromium asks for by itself when a page
/// names no icon) is left to the home page's test, so that it fails once.
fn assert_clean(browser: &Browser, server: &StaticServer, page: &str) {
    let errors: Vec<String> = console_errors(browser)
        .into_iter()
        .filter(|e| !e.contains("/favicon.ico - "))
        .collect();
    assert!(errors.is_empty(), "console errors on {page}: {errors:#?}");
    let foreign = browser.eval_with(
        "return performance.getEntriesByType('resource').map(e => e.name)
             .filter(n => !n.startsWith(arguments[0] + '/'));",
        vec![json!(server.origin())],
    );
    assert_eq!(foreign, json!([]), "{page} asked other hosts");
}

#[test]
fn home_page_has_no_console_errors_a_heading_a_skip_link_and_landmarks() {
    let Some((browser, server, site)) = open_site(Options::DESKTOP, &[]) else {
        return;
    };
    browser.goto(&server.url("/"));
    // Chromium asks for /favicon.ico when a page names no icon, a moment
    // after `load`, and logs its 404 as a console error: checked here rather
    // than by waiting for that request.
    let icon = browser.eval("return !!document.querySelector('link[rel~=icon]');");
    assert!(
        icon == json!(true) || site.out().join("favicon.ico").is_file(),
        "the home page names no icon (<link rel=\"icon\">) and there is no /favicon.ico: \
         every page load logs a 404 console error for /favicon.ico"
    );
    let errors = console_errors(&browser);
    assert!(errors.is_empty(), "console errors on /: {errors:#?}");
    assert_clean(&browser, &server, "/");

    let page = browser.eval(
        "return {
            h1: [...document.querySelectorAll('h1')].map(h => h.textContent.trim()),
            main: document.querySelectorAll('main, [role=main]').length,
            banner: document.querySelectorAll('body > header, [role=banner]').length,
            nav: document.querySelectorAll('nav, [role=navigation]').length,
            footer: document.querySelectorAll('body > footer, [role=contentinfo]').length,
            lang: document.documentElement.lang,
        };",
    );
    assert_eq!(
        page["h1"].as_array().map(Vec::len),
        Some(1),
        "one h1: {page}"
    );
    assert_ne!(page["h1"][0], json!(""), "{page}");
    assert_eq!(page["main"], json!(1), "one main landmark: {page}");
    assert_eq!(page["banner"], json!(1), "a banner landmark: {page}");
    assert_eq!(page["footer"], json!(1), "a contentinfo landmark: {page}");
    assert!(
        page["nav"].as_u64() >= Some(1),
        "a navigation landmark: {page}"
    );
    assert_eq!(page["lang"], json!("en"), "{page}");

    // The first Tab lands on a visible skip link leading to <main>.
    browser.press_tab();
    let focused = browser.eval(
        "const a = document.activeElement, r = a.getBoundingClientRect();
         const target = document.querySelector(a.getAttribute('href') || 'none');
         return { tag: a.tagName, text: a.textContent.trim(), href: a.getAttribute('href'),
                  visible: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0,
                  leads_to_main: !!target && (target.tagName === 'MAIN' || target.getAttribute('role') === 'main') };",
    );
    assert_eq!(focused["tag"], json!("A"), "first focus: {focused}");
    assert!(
        focused["text"]
            .as_str()
            .unwrap_or("")
            .to_lowercase()
            .contains("skip"),
        "first focusable is not a skip link: {focused}"
    );
    assert_eq!(
        focused["visible"],
        json!(true),
        "skip link hidden when focused: {focused}"
    );
    assert_eq!(focused["leads_to_main"], json!(true), "{focused}");
    browser.eval("document.activeElement.click(); return null;");
    let main_focused = browser
        .eval("return document.activeElement.tagName === 'MAIN' || location.hash === '#main';");
    assert_eq!(main_focused, json!(true), "the skip link goes to main");

    let errors = console_errors(&browser);
    assert!(
        errors.is_empty(),
        "console errors on / after using it: {errors:#?}"
    );

    // The log capture itself works, so "no errors" above means something.
    browser.eval("console.error('partnersite-probe'); return null;");
    let logs = browser.take_logs();
    assert!(
        logs.iter().any(|e| e.message.contains("partnersite-probe")),
        "console errors are not captured: {logs:?}"
    );
}

/// One result the search UI shows (sub-results, a page's headings, too).
#[derive(Debug)]
struct Hit {
    title: String,
    path: String,
    /// The result's excerpt, as text.
    excerpt: String,
}

impl Hit {
    /// Whether the title, path or excerpt holds `word` (any case).
    fn mentions(&self, word: &str) -> bool {
        let word = word.to_lowercase();
        [&self.title, &self.path, &self.excerpt]
            .iter()
            .any(|s| s.to_lowercase().contains(&word))
    }
}

/// The search UI's state: its message, the results it shows, and how many
/// placeholders of results still loading it shows.
fn search_state(browser: &Browser) -> (String, Vec<Hit>, usize) {
    let state = browser.eval(
        "const m = document.querySelector('.pagefind-ui__message');
         return { message: m ? m.textContent.trim() : '',
                  loading: document.querySelectorAll('.pagefind-ui__loading').length,
                  hits: [...document.querySelectorAll('.pagefind-ui__result-link')].map(a => {
                      const r = a.closest('.pagefind-ui__result');
                      const e = r && r.querySelector('.pagefind-ui__result-excerpt');
                      return [a.textContent.trim(), new URL(a.href).pathname,
                              e ? e.textContent.trim() : ''];
                  }) };",
    );
    let text = |v: &Value| v.as_str().unwrap_or("").to_string();
    let hits = state["hits"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|h| Hit {
            title: text(&h[0]),
            path: text(&h[1]),
            excerpt: text(&h[2]),
        })
        .collect();
    let loading = state["loading"].as_u64().unwrap_or(0) as usize;
    (text(&state["message"]), hits, loading)
}

/// Waits until a search for `term` has answered, then returns its results.
fn wait_for_search(browser: &Browser, term: &str) -> Vec<Hit> {
    let start = Instant::now();
    loop {
        let (message, hits, loading) = search_state(browser);
        let answered = message.contains(term) && !message.to_lowercase().contains("searching");
        // With hits, wait for every one of them: their fragments load one by
        // one after the count, each shown as a placeholder until it has.
        if answered && (message.starts_with("No results") || (!hits.is_empty() && loading == 0)) {
            return hits;
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "search for {term:?} did not answer within 15 s; the UI says {message:?}, {hits:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Whether `out` has search: Pagefind's bundle and the search page.
fn has_search(out: &Path) -> bool {
    let files = [
        "pagefind/pagefind.js",
        "pagefind/pagefind-ui.js",
        "search/index.html",
    ];
    if files.iter().all(|f| out.join(f).is_file()) {
        return true;
    }
    println!("skipped: the output has no search (pagefind/ and search/ missing)");
    false
}

/// Types `term` into the Pagefind box of the search page.
fn search_on_page(browser: &Browser, term: &str) -> Vec<Hit> {
    browser.wait_true(
        "the search box",
        Duration::from_secs(10),
        "return !!document.querySelector('.pagefind-ui__search-input');",
    );
    browser.eval(
        "const i = document.querySelector('.pagefind-ui__search-input');
         i.value = ''; i.dispatchEvent(new Event('input', {bubbles: true})); return null;",
    );
    browser.type_into(Locator::Css(".pagefind-ui__search-input"), term);
    wait_for_search(browser, term)
}

#[test]
fn the_header_search_finds_a_playbook_by_its_title() {
    let Some((browser, server, site)) = open_site(Options::DESKTOP, &[]) else {
        return;
    };
    if !has_search(&site.out()) {
        return;
    }
    browser.goto(&server.url("/"));
    browser.type_into(
        Locator::Id("site-search-q"),
        &format!("{PLAYBOOK_TITLE}\u{E007}"),
    );
    let hits = wait_for_search(&browser, PLAYBOOK_TITLE);
    assert!(
        hits.iter()
            .any(|h| h.title == PLAYBOOK_TITLE && h.path == PLAYBOOK),
        "no {PLAYBOOK_TITLE:?} among the results: {hits:#?}"
    );
    // The filter panel fills in once Pagefind has loaded its filters.
    let filters = "return [...document.querySelectorAll('.pagefind-ui__filter-name')]
                       .map(f => f.textContent.trim().toLowerCase());";
    let all_there = harness::wait_for(Duration::from_secs(10), || {
        let names = browser.eval(filters);
        ["section", "track", "tier"].iter().all(|name| {
            names
                .as_array()
                .into_iter()
                .flatten()
                .any(|f| f.as_str().unwrap_or("").starts_with(name))
        })
    });
    assert!(
        all_there,
        "the search UI lacks a section, track or tier filter: {}",
        browser.eval(filters)
    );
    assert_clean(&browser, &server, "/search/");

    browser.click(Locator::LinkText(PLAYBOOK_TITLE));
    browser.wait_true(
        "the playbook page",
        Duration::from_secs(10),
        &format!("return location.pathname === '{PLAYBOOK}';"),
    );
    let h1 = browser.eval("return document.querySelector('h1').textContent.trim();");
    assert_eq!(h1, json!(PLAYBOOK_TITLE));

    // Internal pages are found in the internal output (what a partner's
    // search must not find, below).
    browser.goto(&server.url("/search/"));
    let hits = search_on_page(&browser, "Partner manager handbook");
    assert!(
        hits.iter()
            .any(|h| h.path == "/internal/partner-manager-handbook/"),
        "{hits:#?}"
    );
}

#[test]
fn a_partners_search_finds_only_that_partners_view() {
    let Some(browser) = Browser::start(Options::DESKTOP) else {
        return;
    };
    let site = BuiltSite::build(&["--audience", "partners"]);
    let view = site.out().join("vectorloom");
    if !has_search(&view) {
        return;
    }
    // Served at the root, as a partner's own host would.
    let server = StaticServer::start(&view);
    browser.goto(&server.url("/search/"));

    let hits = search_on_page(&browser, PLAYBOOK_TITLE);
    assert!(
        hits.iter()
            .any(|h| h.title == PLAYBOOK_TITLE && h.path == PLAYBOOK),
        "the partner's own view is not searchable: {hits:#?}"
    );
    // No other partner's name finds anything at all: search matches whole
    // words first and never falls back to a shorter word ("vector" for
    // "Vectorloom"), which would look like a leak though it is none.
    for (name, _) in partner_tiers().iter().filter(|(n, _)| *n != "Vectorloom") {
        let hits = search_on_page(&browser, name);
        assert!(
            hits.is_empty(),
            "{name:?} finds something in Vectorloom's view: {hits:#?}"
        );
    }
    // Internal pages are not in a partner's index.
    for title in ["Partner manager handbook", "Tier review process"] {
        let hits = search_on_page(&browser, title);
        let internal: Vec<&Hit> = hits
            .iter()
            .filter(|h| h.title == title || h.path.starts_with("/internal/"))
            .collect();
        assert!(
            internal.is_empty(),
            "{title:?} finds in Vectorloom's view: {internal:#?}"
        );
    }
    assert_clean(&browser, &server, "/search/ (Vectorloom)");
}

#[test]
fn search_matches_whole_words_first_and_never_a_shorter_word() {
    let Some(browser) = Browser::start(Options::DESKTOP) else {
        return;
    };
    let site = BuiltSite::build(&["--audience", "partners"]);
    let view = site.out().join("northwind-ai");
    if !has_search(&view) {
        return;
    }
    let server = StaticServer::start(&view);
    browser.goto(&server.url("/search/"));
    // The example: the index has "vector", not "vectorloom".
    let vector = search_on_page(&browser, "vector");
    assert!(
        vector.iter().any(|h| h.mentions("vector")),
        "the word itself is in the index: {vector:#?}"
    );
    let hits = search_on_page(&browser, "Vectorloom");
    assert!(hits.is_empty(), "another partner's name finds {hits:#?}");
    let hits = search_on_page(&browser, "joint Vectorloom");
    assert!(hits.is_empty(), "{hits:#?}");
    // A word being typed still finds the words it begins.
    let hits = search_on_page(&browser, "playb");
    assert!(
        hits.iter().any(|h| h.path == PLAYBOOK),
        "\"playb\" no longer finds the playbook: {hits:#?}"
    );
    // Whole words first: a title found as it is written.
    let hits = search_on_page(&browser, PLAYBOOK_TITLE);
    assert!(
        hits.iter().any(|h| h.path == PLAYBOOK),
        "{PLAYBOOK_TITLE:?}: {hits:#?}"
    );
    assert_clean(&browser, &server, "/search/ (Northwind AI)");
}

/// Asserts that every chart file beside `page` (its `*.svg`) is shown on it,
/// loaded (scrolled into view first: charts load lazily), with a non-zero
/// natural and rendered size and a text alternative.
fn assert_charts_rendered(browser: &Browser, site: &BuiltSite, page: &str) {
    let folder = site.out().join(page.trim_matches('/'));
    let expected: Vec<String> = std::fs::read_dir(&folder)
        .unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".svg"))
        .map(|name| format!("{page}{name}"))
        .collect();
    assert!(!expected.is_empty(), "no chart files beside {page}");
    for chart in &expected {
        browser.eval_with(
            "const img = [...document.images].find(i => new URL(i.src).pathname === arguments[0]);
             if (img) img.scrollIntoView({block: 'center'}); return null;",
            vec![json!(chart)],
        );
        let script = format!(
            "const img = [...document.images].find(i => new URL(i.src).pathname === '{chart}');
             return !!img && img.complete && img.naturalWidth > 0;"
        );
        let found = harness::wait_for(Duration::from_secs(10), || {
            browser.eval(&script) == json!(true)
        });
        let state = browser.eval_with(
            "const img = [...document.images].find(i => new URL(i.src).pathname === arguments[0]);
             if (!img) return null;
             const r = img.getBoundingClientRect();
             return { complete: img.complete, natural: [img.naturalWidth, img.naturalHeight],
                      shown: [r.width, r.height], alt: img.alt };",
            vec![json!(chart)],
        );
        assert!(found, "{chart} is not rendered on {page}: {state}");
        assert!(state["natural"][1].as_f64() > Some(0.0), "{chart}: {state}");
        assert!(
            state["shown"][0].as_f64() > Some(0.0),
            "{chart} takes no room: {state}"
        );
        assert!(
            state["shown"][1].as_f64() > Some(0.0),
            "{chart} takes no room: {state}"
        );
        assert_ne!(state["alt"], json!(""), "{chart} has no text alternative");
    }
}

#[test]
fn a_partner_report_and_the_dashboard_render_their_charts() {
    let Some((browser, server, site)) = open_site(Options::DESKTOP, &[]) else {
        return;
    };
    for page in [REPORT, DASHBOARD] {
        browser.goto(&server.url(page));
        assert_charts_rendered(&browser, &site, page);
        assert_clean(&browser, &server, page);
    }
}

/// Each partner's name → its tier, from `data/partners/*.toml`.
fn partner_tiers() -> BTreeMap<String, i64> {
    let dir = Path::new(REPO).join("data/partners");
    let mut tiers = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).expect("data/partners") {
        let path = entry.expect("a partner file").path();
        if path.extension().is_some_and(|e| e == "toml") {
            let text = std::fs::read_to_string(&path).expect("read a partner file");
            let table: toml::Table = text.parse().expect("a partner file parses");
            let name = table["name"].as_str().expect("name").to_string();
            tiers.insert(name, table["tier"].as_integer().expect("tier"));
        }
    }
    tiers
}

/// The directory's partner cards: (name, shown).
fn cards(browser: &Browser) -> Vec<(String, bool)> {
    let cards = browser.eval(
        "return [...document.querySelectorAll('.partner-card')].map(c => [
             c.querySelector('h3').textContent.trim(),
             c.offsetParent !== null && c.getClientRects().length > 0]);",
    );
    cards
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| (c[0].as_str().unwrap_or("").to_string(), c[1] == json!(true)))
        .collect()
}

#[test]
fn the_tier_filter_works_without_javascript() {
    let options = Options {
        javascript: false,
        ..Options::DESKTOP
    };
    let Some((browser, server, _site)) = open_site(options, &[]) else {
        return;
    };
    // Scripts really are off: the search page shows its <noscript> notice
    // as elements, which a browser running scripts never does.
    browser.goto(&server.url("/search/"));
    let noscript = browser.eval("return !!document.querySelector('noscript p');");
    assert_eq!(
        noscript,
        json!(true),
        "JavaScript is not off in this browser"
    );

    browser.goto(&server.url("/partners/"));
    let tiers = partner_tiers();
    let all = cards(&browser);
    assert!(
        all.len() >= 3 && all.iter().all(|(_, shown)| *shown),
        "{all:?}"
    );

    browser.click(Locator::XPath(
        "//nav[contains(@class,'tier-filter')]//a[starts-with(normalize-space(.), 'Tier 2')]",
    ));
    let hash = browser.eval("return location.hash;");
    assert_eq!(hash, json!("#tier-2"));
    let filtered = cards(&browser);
    for (name, shown) in &filtered {
        let tier = tiers
            .get(name)
            .unwrap_or_else(|| panic!("{name} is no partner of data/"));
        assert_eq!(
            *shown,
            *tier == 2,
            "{name} (tier {tier}) after Tier 2: {filtered:?}"
        );
    }
    assert!(filtered.iter().any(|(_, shown)| *shown), "{filtered:?}");

    browser.click(Locator::LinkText("All tiers"));
    let again = cards(&browser);
    assert!(
        again.iter().all(|(_, shown)| *shown),
        "All tiers: {again:?}"
    );
}

#[test]
fn pages_fit_a_375_px_phone_without_horizontal_scroll() {
    let options = Options {
        viewport: Viewport::Phone,
        ..Options::DESKTOP
    };
    let Some((browser, server, _site)) = open_site(options, &[]) else {
        return;
    };
    let more = [
        ("partners", "/partners/"),
        ("api-quickstart", "/technical/api-quickstart/"),
    ];
    let pages: Vec<(&str, &str)> = SHOWCASE.iter().chain(&more).copied().collect();
    let mut overflowing = Vec::new();
    for (name, page) in pages {
        phone_metrics(&browser, 812, 2.0);
        browser.goto(&server.url(page));
        let width = browser.eval(
            "const d = document.documentElement;
             return { inner: innerWidth, client: d.clientWidth, scroll: d.scrollWidth,
                      wide: [...document.querySelectorAll('body *')]
                          .filter(e => e.getBoundingClientRect().right > d.clientWidth + 0.5)
                          .filter(e => !e.parentElement.closest('pre, table, .table-wrap'))
                          .slice(0, 5)
                          .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')
                               + ' ' + Math.round(e.getBoundingClientRect().right) + 'px') };",
        );
        assert_eq!(
            width["inner"],
            json!(375),
            "the viewport is not 375 px: {width}"
        );
        phone_screenshot(&browser, &format!("{name}-375"));
        if width["scroll"].as_u64() > width["client"].as_u64() {
            overflowing.push(format!("{page}: {width}"));
        }
    }
    assert!(
        overflowing.is_empty(),
        "horizontal scroll at 375 px:\n{}",
        overflowing.join("\n")
    );
}

/// Emulates a 375 px wide phone screen `height` CSS pixels tall.
fn phone_metrics(browser: &Browser, height: u64, scale: f64) {
    browser.devtools(
        "Emulation.setDeviceMetricsOverride",
        json!({ "width": 375, "height": height, "deviceScaleFactor": scale, "mobile": true }),
    );
}

/// A full-page screenshot at 375 px (1× so that long pages stay small).
fn phone_screenshot(browser: &Browser, name: &str) {
    fit_to_page(browser, |height| {
        phone_metrics(browser, height.max(812), 1.0)
    });
    browser.screenshot(name);
}

/// Makes the viewport as tall as the page (at most 8000 px) with `resize`,
/// until the height settles: lazy images load once they are in view.
fn fit_to_page(browser: &Browser, resize: impl Fn(u64)) {
    let mut last = 0;
    for _ in 0..4 {
        let height = browser
            .eval("return document.documentElement.scrollHeight;")
            .as_u64()
            .unwrap_or(900)
            .min(8000);
        if height == last {
            break;
        }
        resize(height);
        browser.wait_true(
            "images to load",
            Duration::from_secs(10),
            "return [...document.images].every(i => i.complete);",
        );
        last = height;
    }
}

/// `partnersite serve` on a free port; killed when dropped.
struct Serve {
    child: Child,
    port: u16,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create a folder");
    for entry in std::fs::read_dir(from).expect("read a fixture folder") {
        let entry = entry.expect("a fixture entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a file type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy a fixture file");
        }
    }
}

#[test]
fn live_reload_shows_an_edit_without_a_manual_refresh() {
    let Some(browser) = Browser::start(Options::DESKTOP) else {
        return;
    };
    let site = tempfile::tempdir().expect("a temporary folder");
    copy_tree(&Path::new(REPO).join("tests/fixtures/minimal"), site.path());
    let port = harness::free_port();
    let serve = Serve {
        child: Command::new(env!("CARGO_BIN_EXE_partnersite"))
            .args(["serve", "--root"])
            .arg(site.path())
            .args(["--port", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start partnersite serve"),
        port,
    };
    let page = format!("http://127.0.0.1:{}/guides/toml-page/", serve.port);
    let up = harness::wait_for(Duration::from_secs(20), || {
        std::net::TcpStream::connect(("127.0.0.1", serve.port)).is_ok()
    });
    assert!(up, "partnersite serve did not listen within 20 s");
    browser.goto(&page);
    // The reload script has connected to the server's events.
    browser.wait_true(
        "the live-reload connection",
        Duration::from_secs(10),
        "return performance.getEntriesByType('resource').some(e => e.name.includes('/__partnersite/'));",
    );
    std::thread::sleep(Duration::from_millis(300));
    // A mark that a real reload wipes.
    browser.eval("window.__beforeEdit = true; return null;");

    let file = site.path().join("content/guides/toml-page.md");
    let text = std::fs::read_to_string(&file).expect("read the page");
    let edited = format!("{text}\nEdited while the browser watched.\n");
    std::fs::write(&file, &edited).expect("edit the page");
    let start = Instant::now();
    browser.wait_true(
        "the edited text after a reload",
        Duration::from_secs(10),
        "return window.__beforeEdit === undefined
             && document.body.innerText.includes('Edited while the browser watched.');",
    );
    println!("reloaded {:?} after the edit", start.elapsed());

    // A change that does not build shows its errors over the page; fixing it
    // reloads the page again.
    std::fs::write(&file, "+++\ntitle = \n+++\nbroken\n").expect("break the page");
    browser.wait_true(
        "the build error over the page",
        Duration::from_secs(10),
        "const box = document.getElementById('partnersite-build-error');
         return !!box && box.getAttribute('role') === 'alert' && box.innerText.includes('toml-page.md');",
    );
    browser.eval("window.__beforeFix = true; return null;");
    std::fs::write(&file, edited.replace("watched.", "watched, twice.")).expect("fix the page");
    browser.wait_true(
        "a reload after the fix",
        Duration::from_secs(10),
        "return window.__beforeFix === undefined
             && !document.getElementById('partnersite-build-error')
             && document.body.innerText.includes('Edited while the browser watched, twice.');",
    );
}

/// Makes the window as tall as the page for a full-page screenshot.
fn full_page(browser: &Browser) {
    fit_to_page(browser, |height| {
        browser.set_window_size(1280, height.max(600) as u32)
    });
}

#[test]
fn screenshots_of_home_playbook_report_and_dashboard() {
    let Some((browser, server, _site)) = open_site(Options::DESKTOP, &[]) else {
        return;
    };
    let pages = SHOWCASE;
    let mut saved = Vec::new();
    for scheme in ["light", "dark"] {
        browser.devtools(
            "Emulation.setEmulatedMedia",
            json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
        );
        for (name, page) in pages {
            browser.set_window_size(1280, 900);
            browser.goto(&server.url(page));
            full_page(&browser);
            let file = if scheme == "light" {
                name.to_string()
            } else {
                format!("{name}-dark")
            };
            saved.push(browser.screenshot(&file));
        }
    }
    // The report as printed (the QBR document).
    browser.devtools(
        "Emulation.setEmulatedMedia",
        json!({ "media": "print", "features": [{ "name": "prefers-color-scheme", "value": "light" }] }),
    );
    browser.set_window_size(1280, 900);
    browser.goto(&server.url(REPORT));
    full_page(&browser);
    saved.push(browser.screenshot("partner-report-print"));

    for path in &saved {
        let png = std::fs::read(path).expect("read a screenshot");
        assert!(
            png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 10_000,
            "{}",
            path.display()
        );
        println!("screenshot: {}", path.display());
    }
}

#[test]
fn on_a_phone_each_scorecard_value_is_labelled_and_search_does_not_shift() {
    let options = Options {
        viewport: Viewport::Phone,
        ..Options::DESKTOP
    };
    let Some((browser, server, _site)) = open_site(options, &[]) else {
        return;
    };
    // The tables become cards of "label: value" lines: each value cell
    // shows its column's name, as the (hidden) header row would.
    for page in [REPORT, DASHBOARD] {
        browser.goto(&server.url(page));
        let cells = browser.eval(
            "return [...document.querySelectorAll('table.scorecard, table.actions')].flatMap(t => {
                 const heads = [...t.querySelectorAll('thead th')].map(h => h.textContent.trim());
                 return [...t.querySelectorAll('tbody tr')].flatMap(tr => [...tr.children].map((c, i) => {
                     const before = getComputedStyle(c, '::before');
                     return { table: t.className, column: heads[i], tag: c.tagName,
                              label: c.dataset.label || null, shown: before.content !== 'none'
                                  && before.display !== 'none' && getComputedStyle(c).display === 'block' };
                 }));
             });",
        );
        let cells = cells.as_array().cloned().unwrap_or_default();
        assert!(cells.len() > 10, "{page}: no scorecard cells: {cells:?}");
        let unlabelled: Vec<&Value> = cells
            .iter()
            .filter(|c| c["tag"] == json!("TD"))
            .filter(|c| c["label"] != c["column"] || c["shown"] != json!(true))
            .collect();
        assert!(
            unlabelled.is_empty(),
            "{page} at 375 px: values shown without their column's name: {unlabelled:#?}"
        );
        phone_screenshot(
            &browser,
            &format!("{}-cards-375", page.trim_matches('/').replace('/', "-")),
        );
    }

    // The search UI takes its room before it loads: no layout shift, on a
    // slow phone network (Lighthouse's "slow 4G": the UI's script arrives
    // well after the page is first drawn).
    phone_metrics(&browser, 812, 2.0);
    browser.devtools("Network.enable", json!({}));
    browser.devtools(
        "Network.emulateNetworkConditions",
        json!({ "offline": false, "latency": 150, "downloadThroughput": 1_638_400 / 8,
                "uploadThroughput": 768_000 / 8 }),
    );
    browser.goto(&server.url("/search/"));
    browser.wait_true(
        "the search box",
        Duration::from_secs(10),
        "return !!document.querySelector('.pagefind-ui__search-input');",
    );
    std::thread::sleep(Duration::from_millis(1500));
    let shift = browser.eval_with(
        // (WebDriver waits for the promise; an empty buffer never calls back.)
        "return new Promise(resolve => {
             new PerformanceObserver((list, observer) => {
                 observer.disconnect();
                 resolve(list.getEntries().filter(e => !e.hadRecentInput).map(e => ({
                     value: e.value,
                     sources: (e.sources || []).map(s => s.node ? (s.node.className || s.node.nodeName) : '?') })));
             }).observe({ type: 'layout-shift', buffered: true });
             setTimeout(() => resolve([]), 1000);
         });",
        Vec::new(),
    );
    let total: f64 = shift
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["value"].as_f64())
        .sum();
    println!("/search/ at 375 px: CLS {total:.3} {shift}");
    assert!(
        total < 0.01,
        "/search/ at 375 px shifts its layout by {total:.3} (CLS; nothing should move): {shift}"
    );
}

/// The slugs of the bundled site's partners (`data/partners/*.toml`), sorted.
pub fn partner_slugs() -> Vec<String> {
    let mut slugs: Vec<String> = std::fs::read_dir(Path::new(REPO).join("data/partners"))
        .expect("data/partners")
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            name.strip_suffix(".toml").map(String::from)
        })
        .collect();
    slugs.sort();
    assert!(slugs.len() >= 3, "{slugs:?}");
    slugs
}
