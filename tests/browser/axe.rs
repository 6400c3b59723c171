//! axe-core in the browser: every kind of page, and each partner's colours,
//! in light and dark mode, fail on any violation (DESIGN.md §6). axe-core
//! is the pinned copy of `tests/validators/`, run in the page by
//! [`Browser::axe`] with its default rules.

use super::harness::{self, Browser, BuiltSite, Options};
use super::print::report_print_problems;
use super::static_server::StaticServer;
use super::{
    COBRAND, COBRAND_PRINT, DASHBOARD, PLAYBOOK, REPORT, open_site, partner_slugs, wait_for_search,
};

/// One page of each kind the theme renders (each template, and the states
/// of a page that differ: the search page with results shown).
const EVERY_KIND: [(&str, &str); 20] = [
    ("home", "/"),
    ("section", "/sales/"),
    ("playbook", PLAYBOOK),
    ("callouts and a button", "/programs/deal-registration/"),
    ("only blocks, labelled", "/programs/tiers/"),
    ("a GitHub alert", "/programs/mdf/"),
    ("tag list", "/tags/"),
    ("tag", "/tags/campaign-kit/"),
    ("tag, second page of its pager", "/tags/playbook/page/2/"),
    ("track", "/tracks/marketing/"),
    ("search", "/search/?q=playbook"),
    ("partner directory", "/partners/"),
    ("partner report", REPORT),
    (
        "earlier quarter's report",
        "/partners/northwind-ai/2026-Q1/",
    ),
    ("what's new", "/partners/northwind-ai/whats-new/"),
    (
        "what's new email",
        "/partners/northwind-ai/whats-new-email.html",
    ),
    ("dashboard", DASHBOARD),
    ("co-branded page", COBRAND),
    ("co-branded print page", COBRAND_PRINT),
    ("404", "/no-such-page/"),
];

/// Runs axe-core on each of `pages` of the site `server` serves, in light
/// and dark mode, and returns its findings as text, one block per page and
/// rule.
fn axe_findings(browser: &Browser, server: &StaticServer, pages: &[(&str, &str)]) -> Vec<String> {
    let mut findings = Vec::new();
    for scheme in ["light", "dark"] {
        browser.color_scheme(scheme);
        for (kind, page) in pages {
            browser.goto(&server.url(page));
            if let Some(term) = page.split_once("?q=").map(|(_, q)| q) {
                // The results as a reader sees them, filters and all.
                wait_for_search(browser, term);
            }
            for violation in browser.axe() {
                findings.push(format!("{page} ({kind}, {scheme}): {violation}"));
            }
        }
    }
    findings
}

#[test]
fn every_kind_of_page_has_no_axe_violations_in_light_and_dark_mode() {
    let Some((browser, server, _site)) = open_site(Options::DESKTOP, &[]) else {
        return;
    };
    if harness::validators::skipped() {
        return;
    }
    let findings = axe_findings(&browser, &server, &EVERY_KIND);
    assert_no_axe_findings(&browser, &findings, EVERY_KIND.len());
}

/// Fails with `findings`, if any, of axe-core run on `pages` pages in two
/// colour schemes.
fn assert_no_axe_findings(browser: &Browser, findings: &[String], pages: usize) {
    let version = harness::axe_version(browser);
    assert!(
        findings.is_empty(),
        "axe-core {version} found {} violation(s):\n{}",
        findings.len(),
        findings.join("\n")
    );
    println!("axe-core {version}: no violation on {pages} pages, light and dark");
}

#[test]
fn every_partners_brand_colours_pass_axe_in_light_and_dark_mode() {
    let Some((browser, server, site)) = open_site(Options::DESKTOP, &[]) else {
        return;
    };
    if harness::validators::skipped() {
        return;
    }
    // The report, the what's new email and a co-branded copy of each
    // partner: their bands, links and logos take the partner's colours.
    let mut pages: Vec<(String, String)> = Vec::new();
    for slug in partner_slugs() {
        pages.push(("partner report".into(), format!("/partners/{slug}/")));
        pages.push((
            "what's new email".into(),
            format!("/partners/{slug}/whats-new-email.html"),
        ));
        let kit = format!("/partners/{slug}/co-branded-materials/");
        if site.out().join(kit.trim_matches('/')).is_dir() {
            pages.push(("co-branded page".into(), kit));
        }
    }
    let pages: Vec<(&str, &str)> = pages
        .iter()
        .map(|(k, p)| (k.as_str(), p.as_str()))
        .collect();
    let findings = axe_findings(&browser, &server, &pages);
    assert_no_axe_findings(&browser, &findings, pages.len());
}

#[test]
fn a_partners_own_output_passes_axe_and_prints_its_report_on_two_pages() {
    let Some(browser) = Browser::start(Options::DESKTOP) else {
        return;
    };
    let site = BuiltSite::build(&["--audience", "partners"]);
    // Served at the root, as a partner's own host would. What differs from
    // the internal output: the header's "prepared for", "Your report".
    let server = StaticServer::start(&site.out().join("vectorloom"));
    let pages = [
        ("home", "/"),
        ("playbook", PLAYBOOK),
        ("a tier's own paragraphs", "/programs/tiers/"),
        ("search", "/search/?q=playbook"),
        ("partner report", "/partners/vectorloom/"),
        ("earlier quarter's report", "/partners/vectorloom/2026-Q1/"),
        ("what's new", "/partners/vectorloom/whats-new/"),
        (
            "what's new email",
            "/partners/vectorloom/whats-new-email.html",
        ),
        (
            "co-branded page",
            "/partners/vectorloom/co-branded-materials/",
        ),
        (
            "co-branded print page",
            "/partners/vectorloom/co-branded-materials/print/",
        ),
        ("404", "/no-such-page/"),
    ];
    if !harness::validators::skipped() {
        let findings = axe_findings(&browser, &server, &pages);
        assert_no_axe_findings(&browser, &findings, pages.len());
    }
    // The report as the partner prints it.
    let problems = report_print_problems(
        &browser,
        &server,
        "/partners/vectorloom/",
        "partner-report-vectorloom-own-output",
    );
    assert!(
        problems.is_empty(),
        "printed report:\n{}",
        problems.join("\n")
    );
}
