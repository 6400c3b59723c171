//! Redirects, pagination, summaries, feeds and scheduling (DESIGN.md §2),
//! one fixture folder each: `aliases`, `pagination`, `summaries`, `feeds`,
//! `scheduling`; and one test per error, asserting its `path:line:col`.

mod support;

use std::process::Command;

use support::{Run, SiteTest};

fn built(fixture: &str, extra: &[&str]) -> SiteTest {
    let site = SiteTest::fixture(fixture);
    site.build(extra);
    site
}

// ------------------------------------------------------------------ aliases

#[test]
fn aliases_become_redirect_pages_and_a_redirects_file() {
    let site = built("aliases", &[]);
    let page = site.read("public/sales/register-a-deal/index.html");
    assert!(
        page.contains(
            "<meta http-equiv=\"refresh\" content=\"0; url=/guides/deal-registration/\">"
        ),
        "{page}"
    );
    assert!(page.contains("<link rel=\"canonical\" href=\"https://partners.example.com/guides/deal-registration/\">"), "{page}");
    assert!(
        page.contains("<meta name=\"robots\" content=\"noindex\">"),
        "{page}"
    );
    assert!(
        page.contains("<a href=\"/guides/deal-registration/\">Deal registration</a>"),
        "{page}"
    );
    // An alias ending in .html is that file; a section may have aliases.
    assert!(
        site.read("public/old/deal-reg.html")
            .contains("url=/guides/deal-registration/")
    );
    assert!(
        site.read("public/handbooks/index.html")
            .contains("url=/guides/")
    );
    assert_eq!(
        site.read("public/_redirects"),
        "/handbooks/ /guides/ 301\n/old/deal-reg.html /guides/deal-registration/ 301\n/pricing-2025/ /partners-only/pricing/ 301\n/sales/register-a-deal/ /guides/deal-registration/ 301\n"
    );
    // Redirect pages are in no sitemap.
    assert!(!site.read("public/sitemap.xml").contains("register-a-deal"));
}

#[test]
fn an_output_holds_only_the_aliases_of_its_own_pages() {
    let site = built("aliases", &["--audience", "public"]);
    let redirects = site.read("public/_redirects");
    assert!(!redirects.contains("pricing"), "{redirects}");
    assert!(!site.exists("public/pricing-2025/index.html"));
    assert!(redirects.contains("/sales/register-a-deal/ /guides/deal-registration/ 301"));
}

/// The `aliases` fixture with `content/guides/<name>` holding `source`.
fn bad_page(name: &str, source: &str) -> Run {
    support::fails_after_breaking("aliases", |site| {
        site.file(&format!("content/guides/{name}"), source)
    })
}

#[test]
fn an_alias_that_is_another_pages_url_names_both_files() {
    bad_page(
        "new.md",
        "+++\ntitle = \"New\"\naliases = [\"/guides/deal-registration/\"]\n+++\n",
    )
    .error_at(
        "content/guides/new.md:3:1",
        "alias `/guides/deal-registration/` is the URL of content/guides/deal-registration.md",
    );
}

#[test]
fn the_same_alias_twice_names_both_files() {
    bad_page(
        "new.md",
        "+++\ntitle = \"New\"\naliases = [\"/sales/register-a-deal\"]\n+++\n",
    )
    .error_at(
        "content/guides/new.md:3:1",
        "alias `/sales/register-a-deal/` is also an alias of content/guides/deal-registration.md",
    );
}

#[test]
fn an_alias_outside_the_site_is_refused() {
    bad_page(
        "new.md",
        "+++\ntitle = \"New\"\naliases = [\"../../etc/passwd\"]\n+++\n",
    )
    .error_at(
        "content/guides/new.md:3:1",
        "alias `../../etc/passwd` must name a path inside the site",
    );
    bad_page(
        "new.md",
        "+++\ntitle = \"New\"\naliases = [\"https://evil.example/\"]\n+++\n",
    )
    .error_at("content/guides/new.md:3:1", "must be a path of this site");
}

#[test]
fn an_alias_in_place_of_a_generated_file_is_an_error() {
    bad_page(
        "new.md",
        "+++\ntitle = \"New\"\naliases = [\"/404.html\"]\n+++\n",
    )
    .error_at(
        "content/guides/new.md:3:1",
        "alias `/404.html` would replace 404.html",
    );
}

// --------------------------------------------------------------- pagination

#[test]
fn paginate_by_2_over_5_pages_gives_page_2_and_page_3() {
    let site = built("pagination", &[]);
    let cards = |html: &str| html.matches("<article class=\"card\">").count();
    let first = site.read("public/playbooks/index.html");
    let second = site.read("public/playbooks/page/2/index.html");
    let third = site.read("public/playbooks/page/3/index.html");
    assert!(!site.exists("public/playbooks/page/4/index.html"));
    assert_eq!((cards(&first), cards(&second), cards(&third)), (2, 2, 1));
    assert!(
        first.contains("Playbook 1")
            && first.contains("Playbook 2")
            && !first.contains("Playbook 3")
    );
    assert!(third.contains("Playbook 5"));
    // The pager: previous and next with rel, the current page marked.
    assert!(
        second.contains("<nav class=\"pager\" aria-label=\"Pages of Playbooks\""),
        "{second}"
    );
    assert!(
        second.contains("<a href=\"/playbooks/\" rel=\"prev\">"),
        "{second}"
    );
    assert!(
        second.contains("<a href=\"/playbooks/page/3/\" rel=\"next\">"),
        "{second}"
    );
    assert!(second.contains("<a href=\"/playbooks/page/2/\" aria-current=\"page\"><span class=\"visually-hidden\">Page </span>2</a>"), "{second}");
    assert!(second.contains(
        "<link rel=\"canonical\" href=\"https://partners.example.com/playbooks/page/2/\">"
    ));
    assert!(!third.contains("rel=\"next\""));
    let sitemap = site.read("public/sitemap.xml");
    assert!(sitemap.contains("/playbooks/page/3/</loc>"), "{sitemap}");
}

#[test]
fn tag_pages_paginate_with_taxonomies_paginate_by() {
    let site = built("pagination", &[]);
    let first = site.read("public/tags/first-three/index.html");
    let second = site.read("public/tags/first-three/page/2/index.html");
    assert_eq!(first.matches("<article class=\"card\">").count(), 2);
    assert_eq!(second.matches("<article class=\"card\">").count(), 1);
    assert!(second.contains("3 pages; this is page 2 of 2."), "{second}");
    assert!(!site.exists("public/tags/last-two/page/2/index.html"));
}

#[test]
fn paginate_by_0_or_in_a_page_is_an_error() {
    support::fails_after_breaking("pagination", |site| {
        site.file(
            "content/playbooks/_index.md",
            "+++\ntitle = \"Playbooks\"\npaginate_by = 0\n+++\n",
        )
    })
    .error_at(
        "content/playbooks/_index.md:3:1",
        "`paginate_by` is how many pages each page of the list shows: at least 1, not 0",
    );
    support::fails_after_breaking("pagination", |site| {
        site.file(
            "content/playbooks/play-9.md",
            "+++\ntitle = \"P\"\n\ngenerate_feed = true\n+++\n",
        )
    })
    .error_at(
        "content/playbooks/play-9.md:4:1",
        "`generate_feed` is for sections",
    );
    support::fails_after_breaking("pagination", |site| {
        let config = site
            .read("site.toml")
            .replace("paginate_by = 2", "paginate_by = 0");
        site.file("site.toml", config)
    })
    .error_at("site.toml:6:1", "`paginate_by` of [taxonomies]");
}

// ---------------------------------------------------------------- summaries

#[test]
fn a_more_line_ends_the_summary_and_listings_show_it() {
    let site = built("summaries", &[]);
    let list = site.read("public/news/index.html");
    assert!(
        list.contains(
            "<div class=\"card-desc\"><p>The <strong>partner portal</strong> is live.</p></div>"
        ),
        "{list}"
    );
    assert!(!list.contains("Wombatcheese"));
    // A description wins.
    assert!(list.contains("<p class=\"card-desc\">A description wins over the summary.</p>"));
    assert!(!list.contains("Pelicanjam"));
    // The page itself has it all.
    assert!(
        site.read("public/news/launch/index.html")
            .contains("Wombatcheese")
    );
}

// -------------------------------------------------------------------- feeds

#[test]
fn a_section_with_generate_feed_has_its_own_atom_feed() {
    let site = built("feeds", &[]);
    let feed = site.read("public/news/atom.xml");
    assert!(
        feed.contains("<title>News · Feed Test Center</title>"),
        "{feed}"
    );
    assert!(feed.contains("<link rel=\"self\" type=\"application/atom+xml\" href=\"https://partners.example.com/news/atom.xml\"/>"));
    // Its pages and its subsections' pages, newest first; nothing else.
    let titles: Vec<&str> = feed
        .split("<entry>\n    <title>")
        .skip(1)
        .map(|e| &e[..e.find('<').unwrap()])
        .collect();
    assert_eq!(titles, ["Tier 1 briefing", "EMEA roadshow", "Q2 update"]);
    assert!(!site.exists("public/guides/atom.xml"));
    let section = site.read("public/news/index.html");
    assert!(section.contains("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"News · Feed Test Center\" href=\"/news/atom.xml\">"), "{section}");
    // A view's feed holds only the pages of the view.
    let public = built("feeds", &["--audience", "public"]);
    assert!(
        !public.exists("public/news/atom.xml"),
        "the news section is not public"
    );
}

// --------------------------------------------------------------- scheduling

#[test]
fn pages_before_publish_or_from_expires_on_are_not_built() {
    let page = "public/promos/summer-spiff/index.html";
    let before = built("scheduling", &["--date", "2026-05-31"]);
    assert!(!before.exists(page));
    let during = built("scheduling", &["--date", "2026-06-01"]);
    assert!(during.exists(page));
    assert!(
        during
            .read("public/promos/index.html")
            .contains("Summer SPIFF")
    );
    let last_day = built("scheduling", &["--date", "2026-08-31"]);
    assert!(last_day.exists(page));
    let after = built("scheduling", &["--date", "2026-09-01"]);
    assert!(!after.exists(page));
    assert!(!after.read("public/sitemap.xml").contains("summer-spiff"));
    assert!(!after.exists("public/promos/next-year/index.html"));
    // --drafts shows them, as it shows drafts.
    let drafts = built("scheduling", &["--date", "2026-09-01", "--drafts"]);
    assert!(drafts.exists(page) && drafts.exists("public/promos/next-year/index.html"));
}

/// Runs `partnersite build` on `site` with `SOURCE_DATE_EPOCH` set.
fn build_with_epoch(site: &SiteTest, epoch: &str, extra: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_partnersite"))
        .args(["build", "--root"])
        .arg(site.root())
        .arg("--out")
        .arg(site.path("public"))
        .args(extra)
        .env("SOURCE_DATE_EPOCH", epoch)
        .env("NO_COLOR", "1")
        .output()
        .expect("run partnersite");
    Run {
        status: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn the_build_date_is_the_flag_else_source_date_epoch_and_the_summary_prints_it() {
    let site = SiteTest::fixture("scheduling");
    // 2026-07-15T12:00:00Z
    let run = build_with_epoch(&site, "1784116800", &[]).expect_exit(0);
    assert!(run.stderr.contains(", build date 2026-07-15 → "), "{run}");
    assert!(site.exists("public/promos/summer-spiff/index.html"));
    let run = build_with_epoch(&site, "1784116800", &["--date", "2026-10-01"]).expect_exit(0);
    assert!(run.stderr.contains("build date 2026-10-01"), "{run}");
    assert!(!site.exists("public/promos/summer-spiff/index.html"));
}

#[test]
fn a_bad_date_or_source_date_epoch_is_bad_usage() {
    let site = SiteTest::fixture("scheduling");
    site.run(&["build", "--date", "2026-02-30"])
        .expect_exit(2)
        .stderr_contains("`2026-02-30` is not a date: write it as YYYY-MM-DD");
    build_with_epoch(&site, "last tuesday", &[])
        .expect_exit(2)
        .stderr_contains("SOURCE_DATE_EPOCH is `last tuesday`, not a number of seconds");
    assert!(!site.exists("public"));
}

#[test]
fn check_warns_about_pages_expiring_within_14_days_and_the_dashboard_lists_them() {
    let site = SiteTest::fixture("scheduling");
    let run = site
        .run(&[
            "check",
            "--root",
            &site.root().display().to_string(),
            "--date",
            "2026-08-20",
        ])
        .expect_exit(0);
    assert!(
        run.stderr.contains(
            "warning: content/promos/summer-spiff.md:4:1: page expires on 2026-09-01, in 12 days"
        ),
        "{run}"
    );
    let quiet = site
        .run(&[
            "check",
            "--root",
            &site.root().display().to_string(),
            "--date",
            "2026-08-01",
        ])
        .expect_exit(0);
    assert!(!quiet.stderr.contains("expires on"), "{quiet}");
    site.build(&["--date", "2026-08-20"]);
    let dashboard = site.read("public/reports/index.html");
    assert!(
        dashboard.contains("<a href=\"/promos/summer-spiff/\">Summer SPIFF</a> — expires <time datetime=\"2026-09-01\">2026-09-01</time>, in 12 days"),
        "{dashboard}"
    );
}

#[test]
fn expires_before_publish_is_an_error() {
    support::fails_after_breaking("scheduling", |site| {
        site.file(
            "content/promos/backwards.md",
            "+++\ntitle = \"Backwards\"\npublish = 2026-07-01\nexpires = 2026-06-01\n+++\n",
        )
    })
    .error_at(
        "content/promos/backwards.md:4:1",
        "`expires` (2026-06-01) is not after `publish` (2026-07-01)",
    );
    support::fails_after_breaking("scheduling", |site| {
        site.file(
            "content/promos/bad.md",
            "+++\ntitle = \"Bad\"\npublish = \"soon\"\n+++\n",
        )
    })
    .error_at("content/promos/bad.md:3:1", "`publish` is not a date");
}
