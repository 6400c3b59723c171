//! One test per error `partnersite build` can report. Each builds a good
//! site first, then breaks it and builds again, asserting exit status 1, an
//! `error: <path>:<line>:<col>: …` line (path relative to the site root), no
//! panic, and that the previous output is left byte for byte as it was.

mod support;

use support::{Run, SiteTest, assert_same_tree};

/// Builds the `minimal` fixture, applies `break_it` and builds again; the
/// second build must fail without touching the output of the first.
fn fails_after(break_it: impl FnOnce(SiteTest) -> SiteTest) -> Run {
    support::fails_after_breaking("minimal", break_it).stderr_contains("build failed: ")
}

/// The `minimal` fixture with one more page, `content/guides/bad.md`.
fn bad_page(source: impl AsRef<[u8]>) -> Run {
    fails_after(|site| site.file("content/guides/bad.md", source))
}

const BAD: &str = "content/guides/bad.md";

// ------------------------------------------------------------- front matter

#[test]
fn unknown_toml_front_matter_key() {
    bad_page("+++\ntitle = \"Bad\"\ntitel = \"x\"\n+++\nBody\n")
        .error_at(&format!("{BAD}:3:1"), "unknown front-matter key `titel`")
        .stderr_contains("3 | titel = \"x\"")
        .stderr_contains("^^^^^");
}

#[test]
fn unknown_yaml_front_matter_key() {
    bad_page("---\ntitle: Bad\ntagz: [a]\n---\nBody\n")
        .error_at(&format!("{BAD}:3:1"), "unknown front-matter key `tagz`")
        .stderr_contains("3 | tagz: [a]");
}

#[test]
fn unknown_key_in_a_section_index() {
    fails_after(|site| {
        site.file(
            "content/guides/_index.md",
            "+++\ntitle = \"Guides\"\n\nsort_by = \"date\"\n+++\n",
        )
    })
    .error_at("content/guides/_index.md:4:1", "`sort_by`");
}

#[test]
fn missing_title() {
    bad_page("+++\ndescription = \"no title\"\n+++\nBody\n")
        .error_at(&format!("{BAD}:1:1"), "missing `title`");
}

#[test]
fn missing_title_in_yaml() {
    bad_page("---\ndescription: no title\n---\nBody\n")
        .error_at(&format!("{BAD}:1:1"), "missing `title`");
}

#[test]
fn bad_slug() {
    bad_page("+++\ntitle = \"Bad\"\nslug = \"Bad Slug\"\n+++\nBody\n")
        .error_at(&format!("{BAD}:3:1"), "`slug` `Bad Slug`")
        .stderr_contains("try `bad-slug`");
}

#[test]
fn bad_date_text() {
    bad_page("+++\ntitle = \"Bad\"\n\ndate = \"May 1st\"\n+++\nBody\n")
        .error_at(&format!("{BAD}:4:1"), "`date` is not a date");
}

#[test]
fn bad_toml_date_value() {
    bad_page("+++\ntitle = \"Bad\"\ndate = 2026-13-01\n+++\nBody\n")
        .error_at(&format!("{BAD}:3:8"), "month");
}

#[test]
fn bad_yaml_date() {
    bad_page("---\ntitle: Bad\nupdated: 2026-02-30\n---\nBody\n")
        .error_at(&format!("{BAD}:3:1"), "`updated` is not a date");
}

#[test]
fn bad_track() {
    bad_page("+++\ntitle = \"Bad\"\ntrack = \"ops\"\n+++\nBody\n")
        .error_at(&format!("{BAD}:3:1"), "unknown track `ops`");
}

#[test]
fn bad_audience() {
    bad_page("---\ntitle: Bad\naudience: everyone\n---\nBody\n")
        .error_at(&format!("{BAD}:3:1"), "unknown audience `everyone`");
}

#[test]
fn tier_4() {
    bad_page("+++\ntitle = \"Bad\"\ntiers = [1, 4]\n+++\nBody\n")
        .error_at(&format!("{BAD}:3:1"), "tier 4 does not exist");
}

#[test]
fn unclosed_toml_front_matter() {
    bad_page("+++\ntitle = \"Bad\"\n\nBody\n").error_at(&format!("{BAD}:1:1"), "not closed");
}

#[test]
fn unclosed_yaml_front_matter() {
    bad_page("---\ntitle: Bad\n\nBody\n").error_at(&format!("{BAD}:1:1"), "not closed");
}

#[test]
fn no_front_matter() {
    bad_page("# Just a heading\n\nBody\n").error_at(&format!("{BAD}:1:1"), "missing front matter");
}

#[test]
fn invalid_toml_in_front_matter() {
    bad_page("+++\ntitle = \"Bad\"\ntags = [\"a\",\n+++\nBody\n")
        .error_at(&format!("{BAD}:3:13"), "unclosed array");
}

#[test]
fn tag_without_letters_or_digits() {
    bad_page("+++\ntitle = \"Bad\"\ntags = [\"ok\", \"!!!\"]\n+++\n")
        .error_at(&format!("{BAD}:3:1"), "tag `!!!`");
}

#[test]
fn section_folder_with_a_bad_name() {
    fails_after(|site| site.file("content/My Guides/_index.md", "+++\ntitle = \"X\"\n+++\n"))
        .error_at("content/My Guides", "try `my-guides`");
}

#[test]
fn folder_with_both_index_files() {
    fails_after(|site| {
        site.file("content/guides/b/index.md", "+++\ntitle = \"B\"\n+++\n")
            .file("content/guides/b/_index.md", "+++\ntitle = \"B\"\n+++\n")
    })
    .error_at("content/guides/b", "not both");
}

// ---------------------------------------------------------------- the body

#[test]
fn broken_internal_link_points_at_the_link() {
    bad_page("+++\ntitle = \"Bad\"\n+++\n\nFirst paragraph.\n\nSee [the missing page](@/guides/nope.md) for more.\n")
        .error_at(&format!("{BAD}:7:5"), "broken internal link `@/guides/nope.md`")
        .stderr_contains("content/guides/nope.md");
}

#[test]
fn invalid_utf8_page_is_located() {
    bad_page(b"+++\ntitle = \"Bad\"\n+++\nline one\ncaf\xe9 au lait\n")
        .error_at(&format!("{BAD}:5:4"), "not valid UTF-8");
}

#[test]
fn unknown_variable_in_a_cobranded_page_body() {
    bad_page("+++\ntitle = \"Bad\"\ncobrand = true\n+++\n\nHello {{ partner.name }}.\n\nAnd {{ partner.nme }}.\n")
        .error_at(&format!("{BAD}:8:8"), "partner.nme");
}

// --------------------------------------------------------------------- URLs

#[test]
fn duplicate_url_from_two_slugs() {
    fails_after(|site| {
        site.file(
            "content/guides/a.md",
            "+++\ntitle = \"A\"\nslug = \"same\"\n+++\n",
        )
        .file(
            "content/guides/b.md",
            "+++\ntitle = \"B\"\nslug = \"same\"\n+++\n",
        )
    })
    .error_at("content/guides/b.md:3:1", "URL /guides/same/")
    .stderr_contains("content/guides/a.md");
}

#[test]
fn page_with_the_url_of_a_section() {
    fails_after(|site| site.file("content/guides.md", "+++\ntitle = \"Clash\"\n+++\n"))
        .error_at("content/guides.md", "URL /guides/")
        .stderr_contains("content/guides/_index.md");
}

#[test]
fn content_file_clashing_with_a_generated_file() {
    fails_after(|site| {
        site.file("content/guides/index.html", "STRAY")
            .file("content/sitemap.xml", "STRAY")
    })
    .error_at("content/guides/index.html", "guides/index.html")
    .error_at("content/sitemap.xml", "sitemap.xml");
}

#[test]
fn duplicate_url_from_a_slug_and_a_file_name_names_both_files() {
    bad_page("+++\ntitle = \"Bad\"\nslug = \"toml-page\"\n+++\nBody\n")
        .stderr_contains("URL /guides/toml-page/")
        .stderr_contains(BAD)
        .stderr_contains("content/guides/toml-page.md");
}

#[test]
fn duplicate_url_from_a_slug_points_at_the_slug() {
    bad_page("+++\ntitle = \"Bad\"\nslug = \"toml-page\"\n+++\nBody\n")
        .error_at(&format!("{BAD}:3:1"), "URL /guides/toml-page/");
}

// ---------------------------------------------------------------- site.toml

#[test]
fn unknown_theme() {
    fails_after(|site| site.file("site.toml", "title = \"Minimal Site\"\ntheme = \"nope\"\n"))
        .error_at("site.toml:2:1", "theme `nope` not found");
}

#[test]
fn malformed_site_toml() {
    fails_after(|site| {
        site.file(
            "site.toml",
            "title = \"Minimal Site\"\nbase_url = \"https://x.example\n",
        )
    })
    .error_at("site.toml:2:30", "");
}

#[test]
fn unknown_key_in_site_toml() {
    fails_after(|site| {
        site.file(
            "site.toml",
            "title = \"Minimal Site\"\nbase_url = \"https://x.example\"\nthem = \"cafe\"\n",
        )
    })
    .error_at("site.toml:3:1", "`them`");
}

#[test]
fn bad_base_url_in_site_toml() {
    fails_after(|site| site.file("site.toml", "title = \"X\"\nbase_url = \"ftp://x\"\n"))
        .error_at("site.toml:2:1", "base_url");
}

#[test]
fn missing_logo_in_site_toml() {
    fails_after(|site| site.file("site.toml", "title = \"X\"\nlogo = \"logos/none.svg\"\n"))
        .error_at("site.toml:2:1", "logo `logos/none.svg` not found");
}

#[test]
fn missing_site_toml() {
    fails_after(|site| site.remove("site.toml")).error_at("site.toml", "");
}

#[test]
fn empty_folder_is_not_a_site() {
    let site = SiteTest::empty();
    site.run(&["build"])
        .expect_exit(1)
        .error_at("site.toml", "")
        .error_at("content", "");
    assert!(!site.exists("public"));
}

// ---------------------------------------------------------------- templates

const OVERRIDE: &str = "templates/page.html";

#[test]
fn template_syntax_error_in_a_site_override() {
    let run = fails_after(|site| site.file(OVERRIDE, "<html>\n<body>\n{{ page.title \n</body>\n"));
    let located = run.error_lines().iter().any(|l| {
        l.strip_prefix("error: templates/page.html:")
            .and_then(|rest| rest.split_once(": "))
            .is_some_and(|(at, _)| {
                let (line, col) = at.split_once(':').unwrap_or(("", ""));
                (3..=4).contains(&line.parse().unwrap_or(0)) && col.parse::<usize>().is_ok()
            })
    });
    assert!(located, "no templates/page.html:<3 or 4>:<col>\n{run}");
}

#[test]
fn template_unknown_variable_names_template_and_page() {
    fails_after(|site| {
        site.file(
            OVERRIDE,
            "<html>\n<body>\n<h1>{{ page.title }}</h1>\n<p>{{ page.subtitle }}</p>\n</body>\n",
        )
    })
    .error_at(&format!("{OVERRIDE}:4:7"), "page.subtitle")
    .error_at(&format!("{OVERRIDE}:4:7"), "content/guides/toml-page.md")
    .error_at(&format!("{OVERRIDE}:4:7"), "content/guides/yaml-page.md");
}

#[test]
fn template_unknown_variable_is_located() {
    fails_after(|site| {
        site.file(
            OVERRIDE,
            "<html>\n<body>\n<h1>{{ page.title }}</h1>\n<p>{{ page.subtitle }}</p>\n</body>\n",
        )
    })
    .stderr_contains("error: templates/page.html:4:");
}

#[test]
fn template_calls_get_page_with_an_unknown_path() {
    fails_after(|site| site.file(OVERRIDE, "{{ get_page(path=\"nope.md\") }}"))
        .error_at(OVERRIDE, "content/nope.md")
        .error_at(OVERRIDE, "content/guides/toml-page.md");
}

#[test]
fn front_matter_missing_template_is_located() {
    bad_page("+++\ntitle = \"Bad\"\ntemplate = \"nope.html\"\n+++\nBody\n")
        .error_at(&format!("{BAD}:3:1"), "`nope.html`");
}

// ------------------------------------------------------------- all at once

#[test]
fn errors_in_several_files_are_all_reported() {
    let run = fails_after(|site| {
        site.file(
            "content/guides/a.md",
            "+++\ntitle = \"A\"\ntitel = \"x\"\n+++\n",
        )
        .file("content/b.md", "---\ntitle: B\ntrack: ops\n---\n")
        .file("content/guides/c.md", "+++\ndescription = \"none\"\n+++\n")
        .file("site.toml", "title = \"M\"\nthem = 1\n")
    })
    .error_at("content/guides/a.md:3:1", "`titel`")
    .error_at("content/b.md:3:1", "unknown track `ops`")
    .error_at("content/guides/c.md:1:1", "missing `title`")
    .error_at("site.toml:2:1", "`them`")
    .stderr_contains("build failed: 4 errors");
    assert_eq!(run.error_lines().len(), 4, "{run}");
}

#[test]
fn several_errors_in_one_file_are_all_reported() {
    bad_page("+++\ntitle = \"Bad\"\nslug = \"Bad Slug\"\ntrack = \"ops\"\naudience = \"all\"\ntiers = [4]\n+++\n")
        .error_at(&format!("{BAD}:3:1"), "`slug`")
        .error_at(&format!("{BAD}:4:1"), "track")
        .error_at(&format!("{BAD}:5:1"), "audience")
        .error_at(&format!("{BAD}:6:1"), "tier 4")
        .stderr_contains("build failed: 4 errors");
}

#[test]
fn errors_of_loading_and_rendering_are_reported_together() {
    fails_after(|site| {
        site.file(
            "content/guides/a.md",
            "+++\ntitle = \"A\"\ntitel = 1\n+++\n",
        )
        .file(
            "content/guides/b.md",
            "+++\ntitle = \"B\"\n+++\n[x](@/guides/nope.md)\n",
        )
    })
    .error_at("content/guides/a.md:3:1", "`titel`")
    .error_at("content/guides/b.md:4:1", "broken internal link");
}

#[test]
fn a_broken_link_is_reported_with_a_data_error_and_a_link_to_a_broken_page_is_not() {
    fails_after(|site| {
        site.file("data/program.toml", "this is = not toml").file(
            "content/guides/b.md",
            "+++\ntitle = \"B\"\n+++\n[x](@/guides/nope.md)\n",
        )
    })
    .stderr_contains("error: data/program.toml:")
    .error_at("content/guides/b.md:4:1", "broken internal link");
    // A link to a page that failed to load is not called broken.
    let run = fails_after(|site| {
        site.file(
            "content/guides/a.md",
            "+++\ntitle = \"A\"\ntitel = 1\n+++\n",
        )
        .file(
            "content/guides/b.md",
            "+++\ntitle = \"B\"\n+++\n[x](@/guides/a.md)\n",
        )
    });
    assert!(!run.stderr.contains("broken internal link"), "{run}");
}

// ---------------------------------------------------------------- --out

#[test]
fn out_at_the_site_root_is_refused() {
    let site = SiteTest::fixture("minimal");
    site.build(&[]);
    let before = site.tree(".");
    let root = site.root().display().to_string();
    for out in [".", "./", root.as_str()] {
        site.run(&["build", "--out", out])
            .expect_exit(1)
            .stderr_contains("refusing to replace");
        assert_same_tree(&before, &site.tree("."));
    }
}

#[test]
fn out_above_the_site_root_is_refused() {
    let site = SiteTest::empty()
        .file("site/site.toml", "title = \"Nested\"\n")
        .file("site/content/_index.md", "+++\ntitle = \"Home\"\n+++\n")
        .file("keep.txt", "keep");
    let before = site.tree(".");
    site.run(&["build", "--root", "site", "--out", "."])
        .expect_exit(1)
        .stderr_contains("refusing to replace");
    assert_same_tree(&before, &site.tree("."));
}

#[test]
fn out_inside_the_sites_sources_is_refused() {
    let site = SiteTest::fixture("minimal");
    let before = site.tree(".");
    let run = site.run(&["build", "--out", "content"]);
    assert_same_tree(&before, &site.tree("."));
    run.expect_exit(1).stderr_contains("refusing to replace");
}

// ------------------------------------------------------------------ usage

#[test]
fn unknown_flag_is_bad_usage() {
    let site = SiteTest::fixture("minimal");
    site.run(&["build", "--bogus"])
        .expect_exit(2)
        .stderr_contains("--bogus");
    assert!(!site.exists("public"));
}

#[test]
fn unknown_command_and_no_command_are_bad_usage() {
    let site = SiteTest::empty();
    site.run(&["frobnicate"]).expect_exit(2);
    site.run(&[]).expect_exit(2).stderr_contains("Usage");
}

#[test]
fn flag_without_its_value_is_bad_usage() {
    SiteTest::empty()
        .run(&["build", "--base-url"])
        .expect_exit(2);
}
