//! Snapshots of what users see, for small fixture sites: the HTML of each
//! kind of page (its `<main>`), a chart's SVG, and the JSON and CSV
//! exports. A change to any of them shows as a readable diff.
//!
//! Review and accept changes with `cargo insta review` (from the
//! `cargo-insta` crate), or without it:
//! `INSTA_UPDATE=always cargo test --test snapshots` then `git diff tests/snapshots/`.

mod support;

use support::SiteTest;

/// The `<main>` element of a page, one tag per line, so that a diff shows
/// what changed and not a single long line.
fn main_of(html: &str) -> String {
    let start = html.find("<main").expect("the page has a <main>");
    let end = html[start..].find("</main>").expect("<main> is closed") + start + 7;
    html[start..end].replace("><", ">\n<")
}

/// The fixture built once for the internal audience.
fn built(fixture: &str) -> SiteTest {
    let site = SiteTest::fixture(fixture);
    site.build(&[]);
    site
}

#[test]
fn content_pages_and_feeds() {
    let site = built("minimal");
    insta::assert_snapshot!("minimal_home", main_of(&site.read("public/index.html")));
    let guides = site.tree("public/guides");
    let page = guides
        .keys()
        .find(|k| k.ends_with("/index.html"))
        .expect("a guide page");
    let html = site.read(&format!("public/guides/{page}"));
    insta::assert_snapshot!("minimal_page", main_of(&html));
    insta::assert_snapshot!(
        "minimal_section",
        main_of(&site.read("public/guides/index.html"))
    );
    insta::assert_snapshot!("minimal_sitemap", site.read("public/sitemap.xml"));
    insta::assert_snapshot!("minimal_atom", site.read("public/atom.xml"));
}

#[test]
fn partner_report_and_its_exports() {
    let site = built("partners");
    let report = site.read("public/partners/alpha-ai/index.html");
    insta::assert_snapshot!("partners_report_alpha", main_of(&report));
    insta::assert_snapshot!(
        "partners_report_json_alpha",
        site.read("public/partners/alpha-ai/report.json")
    );
    insta::assert_snapshot!(
        "partners_metrics_csv_alpha",
        site.read("public/partners/alpha-ai/metrics.csv")
    );
    let svg = site.read("public/partners/alpha-ai/revenue.svg");
    insta::assert_snapshot!("partners_revenue_svg_alpha", svg.replace("><", ">\n<"));
}

#[test]
fn directory_dashboard_and_program_json() {
    let site = built("partners");
    insta::assert_snapshot!(
        "partners_directory",
        main_of(&site.read("public/partners/index.html"))
    );
    insta::assert_snapshot!(
        "partners_dashboard",
        main_of(&site.read("public/reports/index.html"))
    );
    insta::assert_snapshot!(
        "partners_program_json",
        site.read("public/reports/program.json")
    );
}

#[test]
fn cobranded_copy_and_its_generic_page() {
    let site = built("partners");
    let copy = site.read("public/partners/alpha-ai/joint-pitch/index.html");
    insta::assert_snapshot!("partners_cobrand_alpha", main_of(&copy));
    let generic = site.read("public/kits/joint-pitch/index.html");
    insta::assert_snapshot!("partners_cobrand_generic", main_of(&generic));
}

#[test]
fn a_partners_own_folder() {
    let site = SiteTest::fixture("partners");
    site.build(&["--audience", "partner:beacon-systems"]);
    insta::assert_snapshot!(
        "partner_view_beacon_home",
        main_of(&site.read("public/index.html"))
    );
    insta::assert_snapshot!(
        "partner_view_beacon_report_json",
        site.read("public/partners/beacon-systems/report.json")
    );
}

#[test]
fn whats_new_its_feed_and_email_and_an_earlier_quarter() {
    let site = SiteTest::fixture("whats-new");
    site.build(&["--audience", "partner:alder-works"]);
    let folder = "public/partners/alder-works";
    insta::assert_snapshot!(
        "whats_new_alder",
        main_of(&site.read(&format!("{folder}/whats-new/index.html")))
    );
    insta::assert_snapshot!(
        "whats_new_feed_alder",
        site.read(&format!("{folder}/whats-new.xml"))
    );
    insta::assert_snapshot!(
        "whats_new_email_alder",
        site.read(&format!("{folder}/whats-new-email.html"))
            .replace("><", ">\n<")
    );
    insta::assert_snapshot!(
        "earlier_report_json_alder",
        site.read(&format!("{folder}/2026-Q1/report.json"))
    );
    insta::assert_snapshot!("whats_new_sitemap_alder", site.read("public/sitemap.xml"));
}
