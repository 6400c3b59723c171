//! `partnersite init` and `partnersite new`: what they create builds, and
//! they never overwrite anything.

mod support;

use support::SiteTest;

/// An empty folder with a fresh site in `site/`.
fn initialised() -> SiteTest {
    let tmp = SiteTest::empty();
    tmp.run(&["init", "site"])
        .expect_exit(0)
        .stdout_contains("created a new site in site");
    tmp
}

fn build(tmp: &SiteTest, extra: &[&str]) -> support::Run {
    let mut args = vec!["build", "--root", "site", "--out", "out"];
    args.extend_from_slice(extra);
    tmp.run(&args)
}

#[test]
fn init_makes_a_site_that_builds_and_checks_clean() {
    let tmp = initialised();
    for file in [
        "site/site.toml",
        "site/content/_index.md",
        "site/content/guides/_index.md",
        "site/content/guides/getting-started.md",
        "site/data/program.toml",
        "site/data/partners/example-partner.toml",
        "site/data/logos/example-partner.svg",
    ] {
        assert!(tmp.exists(file), "{file} missing");
    }
    assert!(
        !tmp.exists("site/themes"),
        "the built-in theme needs no copy"
    );
    build(&tmp, &[])
        .expect_exit(0)
        .stderr_contains("1 partners");
    assert!(
        tmp.read("out/guides/getting-started/index.html")
            .contains("Getting started")
    );
    assert!(tmp.exists("out/partners/example-partner/index.html"));
    assert!(tmp.exists("out/reports/index.html"));
    tmp.run(&["check", "--root", "site"])
        .expect_exit(0)
        .stderr_contains("check passed: 0 errors, 0 warnings");
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let tmp = SiteTest::empty().file("site/notes.txt", "mine");
    tmp.run(&["init", "site"])
        .expect_exit(1)
        .stderr_contains("is not empty");
    assert_eq!(tmp.read("site/notes.txt"), "mine");
    assert!(!tmp.exists("site/site.toml"));
}

#[test]
fn new_page_creates_a_draft_and_refuses_to_overwrite() {
    let tmp = initialised();
    tmp.run(&["new", "page", "guides/deal-registration", "--root", "site"])
        .expect_exit(0)
        .stdout_contains("created content/guides/deal-registration.md");
    let text = tmp.read("site/content/guides/deal-registration.md");
    for line in [
        "title = \"Deal registration\"",
        "description = \"\"",
        "draft = true",
        "tags = []",
    ] {
        assert!(text.contains(line), "{line} missing in\n{text}");
    }
    build(&tmp, &[]).expect_exit(0);
    assert!(
        !tmp.exists("out/guides/deal-registration/index.html"),
        "drafts stay hidden"
    );
    build(&tmp, &["--drafts"]).expect_exit(0);
    assert!(tmp.exists("out/guides/deal-registration/index.html"));

    std::fs::write(
        tmp.path("site/content/guides/deal-registration.md"),
        "edited",
    )
    .expect("write");
    tmp.run(&["new", "page", "guides/deal-registration", "--root", "site"])
        .expect_exit(1)
        .stderr_contains("content/guides/deal-registration.md already exists");
    assert_eq!(
        tmp.read("site/content/guides/deal-registration.md"),
        "edited"
    );
}

#[test]
fn new_page_may_start_a_section() {
    let tmp = initialised();
    tmp.run(&["new", "page", "playbooks/first-call", "--root", "site"])
        .expect_exit(0);
    build(&tmp, &["--drafts"]).expect_exit(0);
    assert!(tmp.exists("out/playbooks/first-call/index.html"));
}

#[test]
fn new_page_validates_section_and_slug() {
    let tmp = initialised();
    for bad in [
        "Sales/x",
        "sales/Deal Registration",
        "../outside",
        "sales/_index",
    ] {
        tmp.run(&["new", "page", bad, "--root", "site"])
            .expect_exit(2)
            .stderr_contains("error: invalid");
    }
    assert!(!tmp.exists("outside.md") && !tmp.exists("site/outside.md"));
}

#[test]
fn new_partner_creates_a_loadable_file_with_every_field() {
    let tmp = initialised();
    tmp.run(&["new", "partner", "acme-corp", "--root", "site"])
        .expect_exit(0)
        .stdout_contains("created data/partners/acme-corp.toml");
    let text = tmp.read("site/data/partners/acme-corp.toml");
    for field in [
        "name = \"Acme Corp\"",
        "tier = 3",
        "joined = ",
        "# segment",
        "# left",
        "# phase",
        "# phase_started",
        "# website",
        "# [brand]",
        "# logo",
        "# primary",
        "# accent",
        "# [[quarters]]",
        "# influenced_revenue",
        "# sourced_revenue",
        "# deals_total",
        "# deals_registered",
        "# competitive_deals",
        "# competitive_wins",
        "# staff",
        "# certified_staff",
        "# certifications",
        "# satisfaction",
        "# recommend",
        "# joint_csat",
        "# customers",
        "# customers_with_integration",
        "# leads",
        "# mdf_approved",
        "# mdf_spent",
        "# comment",
        "# [[actions]]",
        "# title",
        "# owner",
        "# due",
        "# done",
    ] {
        assert!(text.contains(field), "{field} missing in\n{text}");
    }
    build(&tmp, &[])
        .expect_exit(0)
        .stderr_contains("2 partners");
    assert!(tmp.exists("out/partners/acme-corp/index.html"));

    tmp.run(&["new", "partner", "acme-corp", "--root", "site"])
        .expect_exit(1)
        .stderr_contains("already exists");
    tmp.run(&["new", "partner", "Acme Corp", "--root", "site"])
        .expect_exit(2)
        .stderr_contains("invalid partner slug");
}

#[test]
fn new_partner_with_every_line_uncommented_still_loads() {
    let tmp = initialised();
    tmp.run(&["new", "partner", "acme", "--root", "site"])
        .expect_exit(0);
    let text = tmp.read("site/data/partners/acme.toml");
    let open: String = text
        .lines()
        .map(|l| match l.strip_prefix("# ") {
            // Uncomment settings, keep the prose comments.
            Some(rest) if rest.contains(" = ") || rest.starts_with('[') => rest.to_string(),
            _ => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    // `left` would end the partnership on the day it started.
    let open = open.replace("left = ", "# left = ");
    std::fs::write(tmp.path("site/data/partners/acme.toml"), open).expect("write");
    std::fs::create_dir_all(tmp.path("site/data/logos")).expect("mkdir");
    std::fs::write(
        tmp.path("site/data/logos/acme.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .expect("write");
    build(&tmp, &[]).expect_exit(0);
}

#[test]
fn new_needs_a_site() {
    let tmp = SiteTest::empty();
    tmp.run(&["new", "page", "guides/x"])
        .expect_exit(1)
        .stderr_contains("holds no site.toml");
}
