//! `partnersite check`: one fixture per problem it reports, each error
//! asserted with its file and line.

mod support;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

use support::SiteTest;

fn check(site: &SiteTest, extra: &[&str]) -> support::Run {
    let root = site.root().display().to_string();
    let mut args = vec!["check", "--root", root.as_str()];
    args.extend_from_slice(extra);
    site.run(&args)
}

#[test]
fn a_clean_site_passes_and_nothing_is_written() {
    let site = SiteTest::fixture("check-clean");
    let before = site.tree("");
    check(&site, &[])
        .expect_exit(0)
        .stderr_contains("check passed: 0 errors, 0 warnings")
        .stderr_lacks("error:");
    support::assert_same_tree(&before, &site.tree(""));
}

#[test]
fn a_broken_internal_link_is_located() {
    let site = SiteTest::fixture("check-broken-link");
    check(&site, &[])
        .expect_exit(1)
        .error_at(
            "content/docs/setup.md:9:5",
            "broken link `/docs/pricing/`: no page or file at /docs/pricing/",
        )
        .stderr_contains("See [the pricing page](/docs/pricing/) first.")
        .stderr_contains("check failed: 1 error, 0 warnings");
}

#[test]
fn a_broken_anchor_names_the_target_page() {
    let site = SiteTest::fixture("check-broken-anchor");
    check(&site, &[]).expect_exit(1).error_at(
        "content/docs/guide.md:8:1",
        "broken anchor #configuration in @/docs/setup.md",
    );
}

#[test]
fn a_missing_image_is_located() {
    let site = SiteTest::fixture("check-missing-image");
    check(&site, &[])
        .expect_exit(1)
        .error_at("content/docs/setup.md:7:1", "missing image `diagram.png`");
}

#[test]
fn stale_pages_are_warnings_only() {
    let site = SiteTest::fixture("check-stale");
    let run = check(&site, &[]).expect_exit(0);
    assert!(run.error_lines().is_empty(), "{run}");
    run.stderr_contains("warning: content/docs/review.md:4:1: stale page: its review was due on 2020-06-30")
        .stderr_contains("warning: content/docs/old.md:3:1: stale page: last updated 2001-02-03, more than 365 days ago")
        .stderr_contains("check passed: 0 errors, 2 warnings");
}

#[test]
fn stale_after_days_comes_from_site_toml() {
    let site = SiteTest::fixture("check-stale")
        .remove("content/docs/review.md")
        .file(
            "site.toml",
            "title = \"Check stale\"\nbase_url = \"https://x.example\"\nstale_after_days = 100000\n",
        );
    check(&site, &[])
        .expect_exit(0)
        .stderr_contains("check passed: 0 errors, 0 warnings");
}

#[test]
fn a_broken_link_in_a_template_is_reported_once() {
    let site = SiteTest::fixture("check-template-link");
    let run = check(&site, &[]).expect_exit(1).error_at(
        "templates",
        "broken link `/docs/retired-page/`: no page or file at /docs/retired-page/; the link comes from a template, on /docs/setup/",
    );
    assert_eq!(run.error_lines().len(), 1, "{run}");
}

#[test]
fn build_errors_are_check_errors() {
    let site = SiteTest::fixture("check-clean").file(
        "content/docs/typo.md",
        "+++\ntitle = \"T\"\ndarft = true\n+++\n",
    );
    check(&site, &[]).expect_exit(1).error_at(
        "content/docs/typo.md:3:1",
        "unknown front-matter key `darft`",
    );
}

#[test]
fn drafts_are_checked_only_with_the_flag() {
    let site = SiteTest::fixture("check-clean").file(
        "content/docs/wip.md",
        "+++\ntitle = \"WIP\"\ndraft = true\n+++\n[x](/nowhere/)\n",
    );
    check(&site, &[]).expect_exit(0);
    check(&site, &["--drafts"])
        .expect_exit(1)
        .error_at("content/docs/wip.md:5:1", "broken link `/nowhere/`");
}

/// A loopback server answering `count` requests: /ok → 200, else 404.
fn link_server(count: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let addr = listener.local_addr().expect("address");
    std::thread::spawn(move || {
        for stream in listener.incoming().take(count) {
            let Ok(mut stream) = stream else { continue };
            let mut line = String::new();
            let reader = stream.try_clone().expect("clone the stream");
            let _ = BufReader::new(reader).read_line(&mut line);
            let status = if line.contains(" /ok ") {
                "200 OK"
            } else {
                "404 Not Found"
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    });
    format!("http://{addr}")
}

#[test]
fn external_links_are_asked_only_with_the_flag() {
    // /ok: one HEAD; /gone: HEAD, then GET.
    let base = link_server(3);
    let site = SiteTest::fixture("check-clean").file(
        "content/docs/links.md",
        format!("+++\ntitle = \"Links\"\n+++\n\n[up]({base}/ok)\n[down]({base}/gone)\n"),
    );
    check(&site, &[]).expect_exit(0);
    check(&site, &["--external"])
        .expect_exit(1)
        .error_at(
            "content/docs/links.md:6:1",
            &format!("broken external link {base}/gone: HTTP 404"),
        )
        .stderr_lacks(&format!("{base}/ok"))
        .stderr_contains("2 external links");
}
