//! `partnersite build` on small fixture sites (tests/fixtures/<case>/), each
//! built with the theme compiled into the binary, asserting on the output.

mod support;

use std::path::Path;

use support::{REPO, SiteTest, assert_same_tree, run_binary, tree};

/// Every fixture folder, so that the checks that hold for any site run on all.
const FIXTURES: &[&str] = &[
    "minimal",
    "bundle",
    "ordering",
    "taxonomies",
    "drafts",
    "overrides",
];

/// A fixture, built into `public/`.
fn built(fixture: &str, extra: &[&str]) -> SiteTest {
    let site = SiteTest::fixture(fixture);
    site.build(extra);
    site
}

/// Asserts that each of `needles` occurs in `haystack`, in this order.
fn assert_in_order(haystack: &str, needles: &[&str]) {
    let mut from = 0;
    for needle in needles {
        match haystack[from..].find(needle) {
            Some(i) => from += i + needle.len(),
            None => {
                panic!("{needle:?} missing or out of order (wanted {needles:?}) in\n{haystack}")
            }
        }
    }
}

/// The `<entry>` blocks of an Atom feed.
fn atom_entries(xml: &str) -> Vec<&str> {
    xml.split("<entry>").skip(1).collect()
}

/// The text of the first `<tag>…</tag>` in `xml`.
fn element<'a>(xml: &'a str, tag: &str) -> &'a str {
    let open = format!("<{tag}>");
    let start = xml.find(&open).unwrap_or_else(|| panic!("no <{tag}>")) + open.len();
    let end = start + xml[start..].find(&format!("</{tag}>")).expect("closed");
    &xml[start..end]
}

/// Root-relative `href` and `src` targets of an HTML file, without fragments.
fn local_links(html: &str) -> Vec<String> {
    let mut links = Vec::new();
    for attr in ["href=\"/", "src=\"/"] {
        for (i, _) in html.match_indices(attr) {
            let rest = &html[i + attr.len() - 1..];
            let url = &rest[..rest.find('"').expect("closed attribute")];
            let url = url.split('#').next().unwrap_or(url);
            links.push(url.to_string());
        }
    }
    links
}

/// Asserts that every root-relative link of every HTML file in `out` names
/// a file of `out` (a folder URL names its `index.html`).
fn assert_local_links_resolve(out: &Path) {
    let files = tree(out);
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        for url in local_links(&String::from_utf8_lossy(bytes)) {
            let mut target = url.trim_start_matches('/').to_string();
            if target.is_empty() || target.ends_with('/') {
                target.push_str("index.html");
            }
            assert!(
                files.contains_key(&target),
                "{path} links to {url}, which the build did not write"
            );
        }
    }
}

// ---------------------------------------------------------------- every site

#[test]
fn every_fixture_gets_the_standard_files() {
    for fixture in FIXTURES {
        let site = built(fixture, &[]);
        for file in [
            "index.html",
            "404.html",
            "sitemap.xml",
            "atom.xml",
            "robots.txt",
        ] {
            assert!(site.exists(&format!("public/{file}")), "{fixture}: {file}");
        }
        let sitemap = site.read("public/sitemap.xml");
        assert!(sitemap.starts_with("<?xml"), "{fixture}: {sitemap}");
        assert!(sitemap.contains("<urlset"), "{fixture}: {sitemap}");
        assert!(site.read("public/atom.xml").contains("<feed"), "{fixture}");
        // The internal audience must never be indexed.
        assert!(
            site.read("public/robots.txt").contains("Disallow: /"),
            "{fixture}"
        );
    }
}

#[test]
fn two_builds_of_a_fixture_are_byte_identical() {
    for fixture in FIXTURES {
        let site = built(fixture, &[]);
        site.build(&["--out", "second"]);
        assert_same_tree(&site.tree("public"), &site.tree("second"));
    }
}

#[test]
fn links_between_pages_of_every_fixture_resolve() {
    for fixture in FIXTURES {
        let site = built(fixture, &[]);
        assert_local_links_resolve(&site.path("public"));
    }
}

#[test]
fn summary_line_is_printed_to_stderr_and_stdout_stays_empty() {
    let site = SiteTest::fixture("minimal");
    let run = site.build(&[]);
    assert_eq!(run.stdout, "", "{run}");
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{run}");
    assert!(
        lines[0].starts_with("built 2 pages, 2 sections, 0 partners, 0 charts ("),
        "{run}"
    );
    assert!(lines[0].contains(" files, "), "{run}");
    assert!(lines[0].ends_with("→ [ROOT]/public"), "{run}");
}

#[test]
fn a_build_replaces_the_previous_output() {
    let site = built("minimal", &[]).remove("content/guides/yaml-page.md");
    // The other page links to the removed one: point it elsewhere.
    let toml = site
        .read("content/guides/toml-page.md")
        .replace("@/guides/yaml-page.md", "@/guides/_index.md");
    let site = site.file("content/guides/toml-page.md", toml);
    site.build(&[]);
    assert!(!site.exists("public/guides/yaml-page/index.html"));
    assert!(site.exists("public/guides/toml-page/index.html"));
    // No staging folder is left beside the output.
    let names: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names.iter().any(|n| n.contains("partnersite-")),
        "{names:?}"
    );
}

// ------------------------------------------------------------------- minimal

#[test]
fn pages_get_pretty_urls_and_the_home_page_its_content() {
    let site = built("minimal", &[]);
    assert!(
        site.read("public/index.html")
            .contains("<strong>minimal</strong>")
    );
    let section = site.read("public/guides/index.html");
    assert!(section.contains("All the guides."), "{section}");
    assert!(section.contains("href=\"/guides/toml-page/\""), "{section}");
    assert!(section.contains("href=\"/guides/yaml-page/\""), "{section}");
}

#[test]
fn home_page_without_index_md_is_titled_after_the_site() {
    let site = SiteTest::fixture("minimal").remove("content/_index.md");
    site.build(&[]);
    let html = site.read("public/index.html");
    assert!(!html.contains("<title></title>"), "{html}");
    assert!(html.contains("<title>Minimal Site"), "{html}");
}

#[test]
fn toml_front_matter_page_renders() {
    let html = built("minimal", &[]).read("public/guides/toml-page/index.html");
    assert!(html.contains("<h1>TOML page</h1>"), "{html}");
    assert!(html.contains("A page with TOML front matter."), "{html}");
    assert!(html.contains("2026-03-01"), "{html}");
}

#[test]
fn yaml_front_matter_page_renders() {
    let html = built("minimal", &[]).read("public/guides/yaml-page/index.html");
    assert!(html.contains("<title>YAML page"), "{html}");
    assert!(html.contains("<h1>YAML page</h1>"), "{html}");
    assert!(html.contains("A page with YAML front matter."), "{html}");
    assert!(html.contains("2026-02-01"), "{html}");
    assert!(
        !html.contains("---"),
        "front matter leaked into the page: {html}"
    );
}

#[test]
fn byte_order_mark_and_crlf_line_endings_are_accepted() {
    let site = SiteTest::fixture("minimal").file(
        "content/guides/windows.md",
        "\u{feff}+++\r\ntitle = \"Windows\"\r\n+++\r\n\r\n## Saved on Windows\r\n\r\nBody.\r\n",
    );
    site.build(&[]);
    let html = site.read("public/guides/windows/index.html");
    assert!(html.contains("<h1>Windows</h1>"), "{html}");
    assert!(html.contains("id=\"saved-on-windows\""), "{html}");
}

#[test]
fn markdown_extensions_are_rendered() {
    let site = SiteTest::fixture("minimal").file(
        "content/guides/extensions.md",
        "+++\ntitle = \"Extensions\"\n+++\n\n~~old~~ \"quoted\"\n\n- [x] done\n\nNote[^1].\n\n[^1]: The footnote.\n\n### Custom {#my-id}\n",
    );
    site.build(&[]);
    let html = site.read("public/guides/extensions/index.html");
    for needle in [
        "<del>old</del>",
        "\u{201c}quoted\u{201d}",
        "type=\"checkbox\"",
        "The footnote.",
        "id=\"my-id\"",
    ] {
        assert!(html.contains(needle), "{needle}: {html}");
    }
}

#[test]
fn markdown_table_renders_as_html_table() {
    let html = built("minimal", &[]).read("public/guides/toml-page/index.html");
    assert_in_order(
        &html,
        &["<table>", "<th>Plan</th>", "<td>Starter</td>", "</table>"],
    );
    assert!(!html.contains("| Plan |"), "{html}");
}

#[test]
fn internal_links_resolve_to_page_urls() {
    let site = built("minimal", &[]);
    let toml = site.read("public/guides/toml-page/index.html");
    assert!(
        toml.contains("<a href=\"/guides/yaml-page/\">YAML page</a>"),
        "{toml}"
    );
    let yaml = site.read("public/guides/yaml-page/index.html");
    assert!(
        yaml.contains("<a href=\"/guides/toml-page/#getting-started\">TOML page</a>"),
        "{yaml}"
    );
    assert!(!toml.contains("@/") && !yaml.contains("@/"));
}

#[test]
fn headings_get_unique_ids_anchors_and_a_toc() {
    let html = built("minimal", &[]).read("public/guides/toml-page/index.html");
    assert!(html.contains("<h2 id=\"getting-started\">"), "{html}");
    assert!(html.contains("<h2 id=\"getting-started-1\">"), "{html}");
    assert!(html.contains("href=\"#getting-started\""), "{html}");
    assert!(html.contains("href=\"#getting-started-1\""), "{html}");
    assert!(html.contains("class=\"anchor\""), "{html}");
}

#[test]
fn fenced_code_is_highlighted_with_classes() {
    let site = built("minimal", &[]);
    let html = site.read("public/guides/toml-page/index.html");
    assert!(html.contains("data-lang=\"rust\""), "{html}");
    assert!(html.contains("class=\"hl-"), "{html}");
    assert!(!html.contains("style=\"color"), "inline colours: {html}");
    assert!(site.read("public/syntax.css").contains(".hl-"));
}

#[test]
fn syntax_css_is_linked_only_where_there_is_highlighted_code() {
    let site = built("minimal", &[]);
    let pages: Vec<(String, bool)> = site
        .tree("public")
        .into_iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(path, bytes)| {
            let html = String::from_utf8(bytes).expect("UTF-8 HTML");
            let links = html.contains("/syntax.css\"");
            assert_eq!(
                links,
                html.contains("class=\"hl-"),
                "{path}: syntax.css linked {links}, yet highlighted code {}",
                !links
            );
            (path, links)
        })
        .collect();
    assert!(pages.iter().any(|(_, links)| *links), "{pages:?}");
    assert!(pages.iter().any(|(_, links)| !*links), "{pages:?}");
}

#[test]
fn sitemap_lists_every_page_with_permalinks() {
    let sitemap = built("minimal", &[]).read("public/sitemap.xml");
    for loc in [
        "https://minimal.example/",
        "https://minimal.example/guides/",
        "https://minimal.example/guides/toml-page/",
        "https://minimal.example/guides/yaml-page/",
    ] {
        assert!(sitemap.contains(&format!("<loc>{loc}</loc>")), "{sitemap}");
    }
    assert!(
        sitemap.contains("<lastmod>2026-03-01</lastmod>"),
        "{sitemap}"
    );
    assert!(!sitemap.contains("404"), "{sitemap}");
}

#[test]
fn base_url_flag_changes_permalinks_and_urls() {
    let site = built("minimal", &["--base-url", "https://preview.example/pr-7/"]);
    let sitemap = site.read("public/sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://preview.example/pr-7/guides/toml-page/</loc>"),
        "{sitemap}"
    );
    assert!(!sitemap.contains("minimal.example"), "{sitemap}");
    let atom = site.read("public/atom.xml");
    assert!(
        atom.contains("href=\"https://preview.example/pr-7/guides/toml-page/\""),
        "{atom}"
    );
    let page = site.read("public/guides/toml-page/index.html");
    assert!(page.contains("href=\"/pr-7/guides/yaml-page/\""), "{page}");
}

#[test]
fn not_found_page_is_written() {
    let html = built("minimal", &[]).read("public/404.html");
    assert!(html.contains("<html"), "{html}");
    assert!(html.contains("Minimal Site"), "{html}");
}

#[test]
fn built_in_theme_matches_themes_cafe_on_disk() {
    // The fixture has no themes/ folder, so the copy compiled into the binary
    // is used; it must hold the same static files as the theme's folder.
    let site = built("minimal", &[]);
    let theme_static = Path::new(REPO).join("themes/cafe/static");
    for (path, bytes) in tree(&theme_static) {
        let out = format!("public/{path}");
        assert!(
            site.exists(&out),
            "{path} of the built-in theme was not written"
        );
        assert!(
            std::fs::read(site.path(&out)).unwrap() == bytes,
            "{path} differs"
        );
    }
}

// ------------------------------------------------------------------- feeds

#[test]
fn atom_feed_has_the_20_newest_pages_newest_first() {
    let mut site = SiteTest::fixture("minimal");
    for day in 1..=25 {
        site = site.file(
            &format!("content/news/item-{day:02}.md"),
            format!("+++\ntitle = \"Item {day}\"\ndate = 2025-01-{day:02}\n+++\nNews.\n"),
        );
    }
    // An old page updated recently counts by its `updated` date.
    let site = site.file(
        "content/news/revised.md",
        "+++\ntitle = \"Revised\"\ndate = 2020-01-01\nupdated = 2027-01-01\n+++\nNew.\n",
    );
    site.build(&[]);
    let atom = site.read("public/atom.xml");
    let entries = atom_entries(&atom);
    assert_eq!(entries.len(), 20, "{atom}");
    assert!(entries[0].contains("<title>Revised</title>"), "{atom}");
    let updated: Vec<&str> = entries.iter().map(|e| element(e, "updated")).collect();
    let mut sorted = updated.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(updated, sorted, "entries are not newest first");
    // The fixture's own pages (2026) come next; the oldest news items drop out.
    assert!(atom.contains("<title>TOML page</title>"));
    assert!(atom.contains("<title>Item 25</title>"));
    assert!(!atom.contains("<title>Item 1</title>"), "{atom}");
    assert!(
        element(&atom, "updated").starts_with("2027-01-01"),
        "{atom}"
    );
}

// -------------------------------------------------------------------- bundle

#[test]
fn bundle_page_gets_its_url_and_asset_beside_it() {
    let site = built("bundle", &[]);
    let html = site.read("public/docs/guide/index.html");
    assert!(html.contains("<h1>Guide</h1>"), "{html}");
    assert!(html.contains("src=\"diagram.svg\""), "{html}");
    assert_eq!(
        site.read("public/docs/guide/diagram.svg"),
        site.read("content/docs/guide/diagram.svg")
    );
    assert!(!site.exists("public/docs/guide/index.md"));
}

#[test]
fn bundle_with_slug_moves_its_assets_with_it() {
    let site = built("bundle", &[]);
    assert!(site.exists("public/docs/installation/index.html"));
    assert_eq!(
        site.read("public/docs/installation/setup-checklist.txt"),
        "Step 1: install.\n"
    );
    assert!(!site.exists("public/docs/setup"));
}

#[test]
fn other_content_files_are_copied_as_they_are() {
    let site = built("bundle", &[]);
    assert_eq!(
        site.read("public/docs/notes.txt"),
        "Shared notes for every doc.\n"
    );
}

#[test]
fn bundle_assets_in_subfolders_are_copied() {
    let site = built("bundle", &[]);
    assert!(
        site.read("public/docs/guide/index.html")
            .contains("src=\"img/nested.svg\"")
    );
    assert_eq!(
        site.read("public/docs/guide/img/nested.svg"),
        site.read("content/docs/guide/img/nested.svg")
    );
}

// ------------------------------------------------------------------ ordering

#[test]
fn section_lists_pages_by_weight_then_newest_date_then_title() {
    let html = built("ordering", &[]).read("public/playbooks/index.html");
    assert_in_order(
        &html,
        &[
            "href=\"/playbooks/zulu/\"",
            "href=\"/playbooks/alpha/\"",
            "href=\"/playbooks/mike/\"",
            "href=\"/playbooks/bravo/\"",
            "href=\"/playbooks/charlie/\"",
            "href=\"/playbooks/delta/\"",
        ],
    );
}

#[test]
fn home_page_lists_recent_pages_newest_first() {
    let html = built("ordering", &[]).read("public/index.html");
    assert_in_order(
        &html,
        &[
            "href=\"/playbooks/mike/\"",
            "href=\"/playbooks/alpha/\"",
            "href=\"/playbooks/bravo/\"",
            "href=\"/playbooks/zulu/\"",
        ],
    );
    assert!(
        !html.contains("href=\"/playbooks/charlie/\""),
        "undated: {html}"
    );
}

// ---------------------------------------------------------------- taxonomies

#[test]
fn tag_pages_list_the_pages_with_that_tag() {
    let site = built("taxonomies", &[]);
    let api = site.read("public/tags/api/index.html");
    assert!(api.contains("href=\"/resources/api-quickstart/\""), "{api}");
    assert!(api.contains("href=\"/resources/sandbox/\""), "{api}");
    assert!(!api.contains("href=\"/resources/pitch-deck/\""), "{api}");
    assert!(!api.contains("href=\"/resources/untagged/\""), "{api}");
    // A tag with capitals and spaces gets a slug URL.
    let started = site.read("public/tags/getting-started/index.html");
    assert!(started.contains("Getting Started"), "{started}");
    assert!(
        started.contains("href=\"/resources/api-quickstart/\""),
        "{started}"
    );
    assert!(
        !started.contains("href=\"/resources/sandbox/\""),
        "{started}"
    );
    let list = site.read("public/tags/index.html");
    for url in [
        "/tags/api/",
        "/tags/getting-started/",
        "/tags/sales-enablement/",
    ] {
        assert!(list.contains(&format!("href=\"{url}\"")), "{list}");
    }
}

#[test]
fn track_pages_list_the_pages_of_that_track() {
    let site = built("taxonomies", &[]);
    let technical = site.read("public/tracks/technical/index.html");
    assert!(technical.contains("href=\"/resources/api-quickstart/\""));
    assert!(technical.contains("href=\"/resources/sandbox/\""));
    assert!(!technical.contains("href=\"/resources/pitch-deck/\""));
    let sales = site.read("public/tracks/sales/index.html");
    assert!(sales.contains("href=\"/resources/pitch-deck/\""), "{sales}");
    assert!(!sales.contains("href=\"/resources/sandbox/\""), "{sales}");
    assert!(!site.exists("public/tracks/marketing/index.html"));
    let list = site.read("public/tracks/index.html");
    assert!(list.contains("href=\"/tracks/technical/\""), "{list}");
    assert!(list.contains("href=\"/tracks/sales/\""), "{list}");
}

#[test]
fn pages_link_to_their_tags_and_track() {
    let html = built("taxonomies", &[]).read("public/resources/api-quickstart/index.html");
    assert!(html.contains("href=\"/tags/api/\""), "{html}");
    assert!(html.contains("href=\"/tags/getting-started/\""), "{html}");
    assert!(html.contains("href=\"/tracks/technical/\""), "{html}");
}

#[test]
fn site_without_tags_has_no_tag_pages() {
    let site = built("minimal", &[]);
    assert!(!site.exists("public/tags"));
    assert!(!site.exists("public/tracks"));
}

// -------------------------------------------------------------------- drafts

#[test]
fn draft_pages_are_hidden_without_drafts_flag() {
    let site = built("drafts", &[]);
    assert!(site.exists("public/news/published/index.html"));
    assert!(!site.exists("public/news/secret"));
    assert!(!site.exists("public/tags/secret-tag"));
    // Nowhere in the output: listings, tags, feeds, sitemap.
    for (path, bytes) in site.tree("public") {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("Secret draft story"), "in {path}");
        assert!(!text.contains("/news/secret/"), "in {path}");
    }
    let launch = site.read("public/tags/launch/index.html");
    assert!(launch.contains("href=\"/news/published/\""), "{launch}");
}

#[test]
fn draft_pages_are_built_with_drafts_flag() {
    let site = built("drafts", &["--drafts"]);
    assert!(
        site.read("public/news/secret/index.html")
            .contains("Secret draft story")
    );
    assert!(
        site.read("public/news/index.html")
            .contains("href=\"/news/secret/\"")
    );
    assert!(site.read("public/sitemap.xml").contains("/news/secret/"));
    assert!(site.read("public/atom.xml").contains("Secret draft story"));
    assert!(site.exists("public/tags/secret-tag/index.html"));
}

#[test]
fn draft_section_is_built_with_drafts_flag() {
    let site = built("drafts", &["--drafts"]);
    assert!(
        site.read("public/wip/index.html")
            .contains("Work in progress")
    );
    assert!(site.exists("public/wip/inside/index.html"));
}

#[test]
fn draft_section_and_its_pages_are_hidden_without_drafts_flag() {
    let site = built("drafts", &[]);
    assert!(
        !site.exists("public/wip"),
        "the draft section was published"
    );
    assert!(!site.read("public/sitemap.xml").contains("/wip/"));
    assert!(!site.read("public/index.html").contains("href=\"/wip/\""));
}

// ----------------------------------------------------------------- overrides

#[test]
fn site_template_overrides_the_themes() {
    let site = built("overrides", &[]);
    let page = site.read("public/docs/page-one/index.html");
    assert!(page.contains("data-template=\"site-page\""), "{page}");
    assert!(page.contains("The body of the overridden page."), "{page}");
    assert!(!page.contains("class=\"site-header\""), "{page}");
    // Templates that are not overridden still come from the theme.
    let section = site.read("public/docs/index.html");
    assert!(section.contains("class=\"site-header\""), "{section}");
    assert!(!section.contains("data-template"), "{section}");
}

#[test]
fn front_matter_template_is_used_and_may_extend_the_themes() {
    let html = built("overrides", &[]).read("public/docs/kit/index.html");
    assert!(
        html.contains("<div data-template=\"kit\">Kit page: "),
        "{html}"
    );
    assert!(html.contains("A page with its own template."), "{html}");
    assert!(html.contains("class=\"site-header\""), "base.html: {html}");
}

#[test]
fn site_static_file_overrides_the_themes() {
    let site = built("overrides", &[]);
    assert_eq!(
        site.read("public/css/site.css"),
        site.read("static/css/site.css")
    );
}

// ------------------------------------------------------------ bundled site

#[test]
fn bundled_site_builds_with_at_least_25_pages() {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let args = [
        "build".to_string(),
        "--root".into(),
        REPO.into(),
        "--out".into(),
        public.display().to_string(),
    ];
    let run = run_binary(&args, out.path(), &[out.path()]).expect_exit(0);
    assert!(!run.stderr.contains("error"), "{run}");
    let pages: usize = run
        .stderr
        .strip_prefix("built ")
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no page count in {run}"));
    assert!(pages >= 25, "{run}");
    let files = tree(&public);
    let html = files.keys().filter(|p| p.ends_with("index.html")).count();
    assert!(html >= 25, "{html} pages written");
    assert_local_links_resolve(&public);

    // A second build of the same input gives the same bytes.
    let again = out.path().join("again");
    let args = [&args[..4], &[again.display().to_string()]].concat();
    run_binary(&args, out.path(), &[out.path()]).expect_exit(0);
    assert_same_tree(&files, &tree(&again));
}

// ------------------------------------------------------------- command line

#[test]
fn help_lists_the_commands_and_options() {
    let site = SiteTest::empty();
    let run = site.run(&["--help"]).expect_exit(0);
    for needle in ["build", "--help", "--version", "Exit status"] {
        assert!(run.stdout.contains(needle), "{needle}: {run}");
    }
}

#[test]
fn build_help_lists_every_build_flag() {
    let site = SiteTest::empty();
    for args in [&["build", "--help"][..], &["help", "build"][..]] {
        let run = site.run(args).expect_exit(0);
        for flag in ["--root", "--out", "--drafts", "--base-url", "--help"] {
            assert!(run.stdout.contains(flag), "{flag}: {run}");
        }
    }
}

#[test]
fn build_and_check_help_list_the_flags_of_design_section_7() {
    let run = SiteTest::empty().run(&["build", "--help"]).expect_exit(0);
    for flag in [
        "--audience",
        "--quarter",
        "--format",
        "--shard",
        "human",
        "github",
        "json",
    ] {
        assert!(run.stdout.contains(flag), "{flag}: {run}");
    }
    let run = SiteTest::empty().run(&["check", "--help"]).expect_exit(0);
    for flag in [
        "--quarter",
        "--format",
        "--against",
        "--external",
        "--drafts",
    ] {
        assert!(run.stdout.contains(flag), "{flag}: {run}");
    }
}

#[test]
fn version_is_printed() {
    let run = SiteTest::empty().run(&["--version"]).expect_exit(0);
    assert!(
        run.stdout
            .starts_with(&format!("partnersite {}", env!("CARGO_PKG_VERSION"))),
        "{run}"
    );
}

#[test]
fn progress_is_shown_at_a_terminal_only_and_cleared_before_the_summary() {
    let site = SiteTest::fixture("minimal");
    let command = format!(
        "{} build --root {} --out {}",
        env!("CARGO_BIN_EXE_partnersite"),
        site.root().display(),
        site.path("public").display()
    );
    // `script` gives the build a terminal (util-linux, in every Debian).
    let output = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .output()
        .expect("run script");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{text}");
    let cleared = text
        .rfind("\r\x1b[2K")
        .expect("a progress line, then cleared");
    assert!(text[..cleared].contains("rendering"), "{text:?}");
    assert!(text[cleared..].contains("built 2 pages"), "{text:?}");
    // Without a terminal (every other test): no progress, no escapes.
    let run = site.build(&[]);
    assert!(!run.stderr.contains('\x1b'), "{run}");
}
