//! Audiences (DESIGN.md §5): every audience of one fixture with partners of
//! three tiers, internal pages, tier-limited pages and co-branded pages.
//! A partner's output must hold nothing of another partner.

mod support;

use std::collections::BTreeMap;

use support::SiteTest;

const PARTNERS: [(&str, &str, &str); 3] = [
    // slug, name, a figure only that partner's report shows
    ("alpha-labs", "Alpha Labs", "123,457"),
    ("beta-works", "Beta Works", "234,568"),
    ("gamma-co", "Gamma Co", "34,569"),
];

fn build(audience: &str) -> (SiteTest, BTreeMap<String, Vec<u8>>) {
    let site = SiteTest::fixture("audiences");
    site.build(&["--audience", audience]);
    let tree = site.tree("public");
    (site, tree)
}

fn text(tree: &BTreeMap<String, Vec<u8>>, prefix: &str) -> Vec<(String, String)> {
    tree.iter()
        .filter(|(p, _)| p.starts_with(prefix))
        .filter_map(|(p, b)| Some((p.clone(), String::from_utf8(b.clone()).ok()?)))
        .collect()
}

/// No file under `prefix` mentions `needle`.
fn absent(tree: &BTreeMap<String, Vec<u8>>, prefix: &str, needle: &str) {
    for (path, body) in text(tree, prefix) {
        assert!(!body.contains(needle), "{path} contains `{needle}`");
        assert!(
            !path.contains(needle),
            "a file is named after `{needle}`: {path}"
        );
    }
}

fn has(tree: &BTreeMap<String, Vec<u8>>, path: &str) -> bool {
    tree.contains_key(path)
}

#[test]
fn internal_has_everything() {
    let (_, tree) = build("internal");
    for page in [
        "guides/public-page/index.html",
        "guides/partner-page/index.html",
        "guides/tier1-only/index.html",
        "guides/tier23/index.html",
        "internal/handbook/index.html",
        "partners/index.html",
        "reports/index.html",
        "reports/program.json",
    ] {
        assert!(has(&tree, page), "{page} missing");
    }
    for (slug, name, _) in PARTNERS {
        assert!(has(&tree, &format!("partners/{slug}/index.html")));
        assert!(has(&tree, &format!("partners/{slug}/kit/index.html")));
        let kit =
            String::from_utf8(tree[&format!("partners/{slug}/kit/index.html")].clone()).unwrap();
        assert!(
            kit.contains(&format!("Server Café and {name}: better together")),
            "{kit}"
        );
    }
    // The tier-1 kit is copied for the tier-1 partner only.
    assert!(has(&tree, "partners/alpha-labs/kit-tier1/index.html"));
    assert!(!has(&tree, "partners/beta-works/kit-tier1/index.html"));
}

/// The part of a report page between two section headings' ids.
fn report_section<'a>(page: &'a str, from: &str, to: &str) -> &'a str {
    let start = page.find(from).unwrap_or_else(|| panic!("no {from}"));
    let end = page[start..].find(to).unwrap_or_else(|| panic!("no {to}"));
    &page[start..start + end]
}

/// In one build holding partners of all three tiers, each report lists the
/// playbooks and tier resources of its own partner's tier, not another's.
#[test]
fn each_report_recommends_its_own_tiers_pages() {
    let (_, tree) = build("internal");
    for (slug, tier_one) in [
        ("alpha-labs", true),
        ("beta-works", false),
        ("gamma-co", false),
    ] {
        let page = String::from_utf8(tree[&format!("partners/{slug}/index.html")].clone()).unwrap();
        let playbooks = report_section(&page, "playbooks-title", "tier-resources-title");
        assert!(playbooks.contains("Partner Guide"), "{slug}: {playbooks}");
        let resources = report_section(&page, "tier-resources-title", "cobrand-title");
        assert_eq!(
            resources.contains("Strategic Vendors Only"),
            tier_one,
            "{slug}: {resources}"
        );
        assert_eq!(
            resources.contains("Integrators And Ecosystem"),
            !tier_one,
            "{slug}: {resources}"
        );
    }
}

#[test]
fn public_has_public_pages_and_no_partner_data() {
    let (_, tree) = build("public");
    assert!(has(&tree, "index.html"));
    assert!(has(&tree, "guides/public-page/index.html"));
    for hidden in [
        "guides/partner-page/index.html",
        "guides/tier1-only/index.html",
        "internal/handbook/index.html",
    ] {
        assert!(!has(&tree, hidden), "{hidden} is public");
    }
    assert!(!tree.keys().any(|p| p.starts_with("partners/")
        || p.starts_with("reports/")
        || p.starts_with("logos/")));
    for (slug, name, figure) in PARTNERS {
        absent(&tree, "", slug);
        absent(&tree, "", name);
        absent(&tree, "", figure);
    }
    for title in [
        "Confidential Handbook",
        "Secret Team Area",
        "Partner Guide",
        "Strategic Vendors Only",
    ] {
        absent(&tree, "", title);
    }
    // A link to a page outside the output keeps its text and loses its href.
    let page = String::from_utf8(tree["guides/public-page/index.html"].clone()).unwrap();
    assert!(page.contains("read the partner guide."), "{page}");
    assert!(!page.contains("/guides/partner-page/"), "{page}");
    let robots = String::from_utf8(tree["robots.txt"].clone()).unwrap();
    assert!(robots.contains("Allow: /"), "{robots}");
}

#[test]
fn one_partner_sees_its_tier_and_its_own_report() {
    let (_, tree) = build("partner:beta-works");
    assert!(has(&tree, "guides/partner-page/index.html"));
    assert!(has(&tree, "guides/tier23/index.html"));
    assert!(!has(&tree, "guides/tier1-only/index.html"));
    assert!(!has(&tree, "internal/handbook/index.html"));
    assert!(has(&tree, "partners/beta-works/index.html"));
    assert!(has(&tree, "partners/beta-works/report.json"));
    assert!(has(&tree, "partners/beta-works/kit/index.html"));
    assert!(
        !has(&tree, "partners/index.html"),
        "the directory is internal"
    );
    assert!(
        !has(&tree, "reports/index.html"),
        "the dashboard is internal"
    );
    let report = String::from_utf8(tree["partners/beta-works/index.html"].clone()).unwrap();
    assert!(report.contains("Beta Works"));
    assert!(
        report.contains("$234,568") || report.contains("$235K"),
        "its own figures are shown"
    );
    for (slug, name, figure) in PARTNERS.iter().filter(|p| p.0 != "beta-works") {
        absent(&tree, "", slug);
        absent(&tree, "", name);
        absent(&tree, "", figure);
    }
    let robots = String::from_utf8(tree["robots.txt"].clone()).unwrap();
    assert!(robots.contains("Disallow: /"), "{robots}");
    let home = String::from_utf8(tree["index.html"].clone()).unwrap();
    assert!(home.contains("noindex"), "partner pages are not indexed");
}

#[test]
fn partners_writes_one_self_contained_folder_per_partner() {
    let (_, tree) = build("partners");
    let tiers = [("alpha-labs", 1), ("beta-works", 2), ("gamma-co", 3)];
    for (slug, tier) in tiers {
        let dir = format!("{slug}/");
        for file in [
            "index.html",
            "atom.xml",
            "robots.txt",
            "404.html",
            "css/site.css",
            "syntax.css",
        ] {
            assert!(has(&tree, &format!("{dir}{file}")), "{dir}{file} missing");
        }
        // The fixture says nowhere where partner outputs are hosted: no
        // page has an absolute URL there, so there is no sitemap (DESIGN.md §6).
        assert!(
            !has(&tree, &format!("{dir}sitemap.xml")),
            "{dir}sitemap.xml"
        );
        assert!(has(&tree, &format!("{dir}partners/{slug}/index.html")));
        assert!(has(&tree, &format!("{dir}partners/{slug}/kit/index.html")));
        assert_eq!(
            has(&tree, &format!("{dir}guides/tier1-only/index.html")),
            tier == 1,
            "{slug}"
        );
        assert_eq!(
            has(&tree, &format!("{dir}guides/tier23/index.html")),
            tier != 1,
            "{slug}"
        );
        assert!(!has(&tree, &format!("{dir}internal/handbook/index.html")));
        for (other, name, figure) in PARTNERS.iter().filter(|p| p.0 != slug) {
            absent(&tree, &dir, other);
            absent(&tree, &dir, name);
            absent(&tree, &dir, figure);
        }
        for title in ["Confidential Handbook", "Secret Team Area"] {
            absent(&tree, &dir, title);
        }
        // Links work when the folder is hosted at its own root.
        let home = String::from_utf8(tree[&format!("{dir}index.html")].clone()).unwrap();
        assert!(home.contains("href=\"/css/site.css\""), "{home}");
        assert!(!home.contains(&format!("/{slug}/css")), "{home}");
    }
    assert!(
        !has(&tree, "index.html"),
        "nothing outside the partner folders"
    );
}

#[test]
fn unknown_partner_is_bad_usage_listing_the_known_ones() {
    let site = SiteTest::fixture("audiences");
    site.run(&["build", "--audience", "partner:delta"])
        .expect_exit(2)
        .stderr_contains(
            "unknown partner `delta`; known partners: alpha-labs, beta-works, gamma-co",
        );
    site.run(&["build", "--audience", "everyone"])
        .expect_exit(2);
}

#[test]
fn leak_guard_stops_a_page_that_names_another_partner() {
    let site = SiteTest::fixture("audiences").file(
        "content/guides/partner-page.md",
        "+++\ntitle = \"Partner Guide\"\n+++\nAsk Gamma Co how they did it.\n",
    );
    site.build(&["--audience", "internal"]);
    let before = site.tree("public");
    site.run(&["build", "--audience", "partner:alpha-labs"])
        .expect_exit(1)
        .stderr_contains("guides/partner-page/index.html")
        .stderr_contains(
            "leak guard: the output for partner alpha-labs contains the name of partner gamma-co",
        );
    support::assert_same_tree(&before, &site.tree("public"));
}

#[test]
fn leak_guard_stops_an_internal_title_in_a_template() {
    let site = SiteTest::fixture("audiences").file(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block main %}Try the Confidential Handbook.{% endblock main %}",
    );
    site.run(&["build", "--audience", "partners"])
        .expect_exit(1)
        .stderr_contains("404.html")
        .stderr_contains("the title of internal page content/internal/handbook.md");
}
