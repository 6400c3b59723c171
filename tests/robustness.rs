//! Robustness (issue 8): the errors of docs/errors.md that tests/errors.rs
//! and tests/data_errors.rs do not already cover, failure injection while
//! writing the output, data edge cases (empty data, BOM, CRLF, non-ASCII,
//! HTML in every string field), and regression tests for every crash that
//! fuzzing or probing found.
//!
//! Error tests follow tests/errors.rs: build a good site, break it, build
//! again; exit status 1, an `error: <path>:<line>:…` line, no panic, and
//! the first build's output left byte for byte as it was.

mod support;

use std::path::Path;

use support::{Run, SiteTest, assert_same_tree, copy_tree, tree};

// ------------------------------------------------------------------ helpers

/// Builds `fixture`, applies `break_it`, builds again: the second build
/// must fail without touching the output or leaving anything beside it.
fn fails_after(fixture: &str, break_it: impl FnOnce(SiteTest) -> SiteTest) -> Run {
    let site = SiteTest::fixture(fixture);
    site.build(&[]);
    let before = site.tree("public");
    let site = break_it(site);
    let run = site.run(&["build"]).expect_exit(1);
    assert_same_tree(&before, &site.tree("public"));
    assert_no_leftovers(&site);
    run.stderr_contains("build failed: ")
}

/// Replaces the first `from` in `rel` with `to`; returns the site and the
/// 1-based line where `to` starts.
fn edit(site: SiteTest, rel: &str, from: &str, to: &str) -> (SiteTest, usize) {
    let text = site.read(rel);
    let at = text
        .find(from)
        .unwrap_or_else(|| panic!("{rel} has no {from:?}"));
    let line = text[..at].matches('\n').count() + 1;
    let new = format!("{}{to}{}", &text[..at], &text[at + from.len()..]);
    (site.file(rel, new), line)
}

/// Breaks one file of the `partners` fixture by replacing `from` with `to`
/// and asserts an error on the line of `to` that contains `needle`.
fn bad_data(rel: &str, from: &str, to: &str, needle: &str) -> Run {
    let mut line = 0;
    let run = fails_after("partners", |site| {
        let (site, l) = edit(site, rel, from, to);
        line = l;
        site
    });
    error_on_line(run, rel, line, needle)
}

/// Asserts an `error: <rel>:<line>:` line containing `needle`.
fn error_on_line(run: Run, rel: &str, line: usize, needle: &str) -> Run {
    let head = format!("error: {rel}:{line}:");
    assert!(
        run.error_lines()
            .iter()
            .any(|l| l.starts_with(&head) && l.contains(needle)),
        "no line starting {head:?} with {needle:?}\n{run}"
    );
    run
}

/// No staging, old or temporary file of partnersite anywhere in the site.
fn assert_no_leftovers(site: &SiteTest) {
    let left: Vec<String> = walk(site.root())
        .into_iter()
        .filter(|p| p.contains(".partnersite-") && !p.ends_with("/.partnersite-manifest"))
        .collect();
    assert!(left.is_empty(), "leftovers: {left:?}");
}

/// Every file and folder below `dir`, relative, `/`-separated.
fn walk(dir: &Path) -> Vec<String> {
    let mut all = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let path = entry.unwrap().path();
            let rel = path
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if path.is_dir() && !path.is_symlink() {
                stack.push(path.clone());
            }
            all.push(rel);
        }
    }
    all.sort();
    all
}

const PROGRAM: &str = "data/program.toml";
const ALPHA: &str = "data/partners/alpha-ai.toml";
const DRIFTWOOD: &str = "data/partners/driftwood.toml";

// ------------------------------------------------------- data/program.toml

#[test]
fn program_report_quarter_that_is_not_a_quarter() {
    bad_data(
        PROGRAM,
        "report_quarter = \"2026-Q2\"",
        "report_quarter = \"2026/2\"",
        "write it as YYYY-Qn",
    );
}

#[test]
fn program_as_of_that_is_not_a_date() {
    bad_data(
        PROGRAM,
        "influenced_attribution = 0.5",
        "as_of = \"end of June\"\ninfluenced_attribution = 0.5",
        "`as_of` is not a date",
    );
}

#[test]
fn program_influenced_attribution_above_1() {
    bad_data(
        PROGRAM,
        "influenced_attribution = 0.5",
        "influenced_attribution = 50",
        "share from 0 to 1",
    );
}

#[test]
fn program_target_rate_written_as_a_percentage() {
    bad_data(
        PROGRAM,
        "influenced_share = 0.40",
        "influenced_share = 40",
        "write 0.4, not 40",
    );
}

#[test]
fn program_target_satisfaction_above_10() {
    bad_data(
        PROGRAM,
        "satisfaction = 8.5",
        "satisfaction = 85",
        "score from 0 to 10",
    );
}

#[test]
fn program_negative_revenue_target() {
    bad_data(
        PROGRAM,
        "strategic_partner_revenue = 500000",
        "strategic_partner_revenue = -500000",
        "target `strategic_partner_revenue` must be from 0 to 10^15, not -500000",
    );
}

#[test]
fn program_negative_roi_target() {
    bad_data(
        PROGRAM,
        "roi = [1.5, 2.5]",
        "roi = [1.5, -2.5]",
        "ROI targets cannot be negative",
    );
}

#[test]
fn program_company_quarter_that_is_not_a_quarter() {
    bad_data(
        PROGRAM,
        "quarter = \"2025-Q1\"",
        "quarter = \"Q1 2025\"",
        "is not a quarter",
    );
}

#[test]
fn program_company_quarter_twice() {
    bad_data(
        PROGRAM,
        "quarter = \"2025-Q2\"",
        "quarter = \"2025-Q1\"",
        "appears twice in [[company]]",
    );
}

#[test]
fn program_negative_company_revenue() {
    bad_data(
        PROGRAM,
        "revenue = 6000000",
        "revenue = -6000000",
        "company `revenue` must be a number from 0 to 10^15",
    );
}

#[test]
fn program_negative_investment() {
    bad_data(
        PROGRAM,
        "marketing = 50000",
        "marketing = -50000",
        "investment `marketing` must be an amount in USD from 0 to 10^15",
    );
}

#[test]
fn program_investment_year_that_is_not_a_year() {
    bad_data(
        PROGRAM,
        "year = 2024",
        "year = 24000",
        "calendar year like 2026",
    );
}

#[test]
fn program_investment_year_twice() {
    bad_data(
        PROGRAM,
        "year = 2025",
        "year = 2024",
        "investment year 2024 appears twice",
    );
}

#[test]
fn program_tier_4_rule() {
    bad_data(PROGRAM, "[tiers.3]", "[tiers.4]", "tier 4 does not exist");
}

#[test]
fn program_negative_tier_threshold() {
    bad_data(
        PROGRAM,
        "min_ttm_revenue = 150000",
        "min_ttm_revenue = -150000",
        "tier thresholds are from 0 to 10^15: fix `min_ttm_revenue`",
    );
}

#[test]
fn program_toml_syntax_error() {
    bad_data(
        PROGRAM,
        "name = \"Fixture Partner Program\"",
        "name = \"Fixture Partner Program",
        "",
    );
}

#[test]
fn program_unknown_key() {
    bad_data(
        PROGRAM,
        "influenced_attribution = 0.5",
        "influenced_atribution = 0.5",
        "unknown key `influenced_atribution`",
    );
}

#[test]
fn program_without_a_name() {
    let run = fails_after("partners", |site| {
        edit(site, PROGRAM, "name = \"Fixture Partner Program\"", "").0
    });
    error_on_line(run, PROGRAM, 1, "missing key `name`: add it");
}

#[test]
fn program_that_is_not_utf8() {
    let run = fails_after("partners", |site| {
        site.file(PROGRAM, b"# The program\nname = \"Caf\xe9\"\n")
    });
    error_on_line(
        run,
        PROGRAM,
        2,
        "not valid UTF-8 (byte 25): save the file as UTF-8",
    );
}

// ------------------------------------------------------------ partner files

#[test]
fn partner_left_before_joined() {
    bad_data(
        DRIFTWOOD,
        "left = 2026-02-01",
        "left = 2020-02-01",
        "`left` must be after `joined`",
    );
}

#[test]
fn partner_website_without_a_scheme() {
    bad_data(
        ALPHA,
        "website = \"https://alpha-ai.example\"",
        "website = \"alpha-ai.example\"",
        "must start with https://",
    );
}

#[test]
fn partner_website_with_a_script_url() {
    bad_data(
        ALPHA,
        "website = \"https://alpha-ai.example\"",
        "website = \"javascript:alert(1)\"",
        "`website`",
    );
}

#[test]
fn partner_action_due_that_is_not_a_date() {
    bad_data(
        ALPHA,
        "due = 2026-05-15",
        "due = \"mid May\"",
        "`due` is not a date",
    );
}

#[test]
fn partner_phase_started_that_is_not_a_date() {
    bad_data(
        ALPHA,
        "phase_started = 2025-01-01",
        "phase_started = \"January\"",
        "`phase_started` is not a date",
    );
}

#[test]
fn partner_negative_certifications() {
    bad_data(
        ALPHA,
        "certifications = { technical = 6,",
        "certifications = { technical = -6,",
        "certifications `technical`",
    );
}

#[test]
fn partner_infinite_revenue() {
    bad_data(
        ALPHA,
        "influenced_revenue = 1100000",
        "influenced_revenue = inf",
        "must be an amount in USD up to 10^15, not inf",
    );
}

#[test]
fn partner_revenue_too_large_to_add_up() {
    // 1e308 twice is infinity: the build used to hang drawing its chart.
    bad_data(
        ALPHA,
        "influenced_revenue = 1100000",
        "influenced_revenue = 1e308",
        "`influenced_revenue` must be an amount in USD up to 10^15, not 100000000",
    );
}

#[test]
fn the_largest_amounts_and_counts_build() {
    let site = SiteTest::fixture("partners");
    let mut text = site.read(ALPHA);
    for key in [
        "influenced_revenue",
        "sourced_revenue",
        "mdf_approved",
        "mdf_spent",
    ] {
        text = replace_values(&text, key, "1e15");
    }
    for key in [
        "deals_total",
        "deals_registered",
        "leads",
        "customers",
        "customers_with_integration",
    ] {
        text = replace_values(&text, key, "9223372036854775807");
    }
    let site = site.file(ALPHA, text);
    site.build(&[]);
    assert_no_nan_or_inf(&site);
}

/// Sets every `key = …` line of `text` to `key = value`.
fn replace_values(text: &str, key: &str, value: &str) -> String {
    let prefix = format!("{key} = ");
    text.lines()
        .map(|l| {
            if l.starts_with(&prefix) {
                format!("{prefix}{value}")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

#[test]
fn partner_not_a_number_score() {
    bad_data(
        ALPHA,
        "satisfaction = 8.8",
        "satisfaction = nan",
        "score from 0 to 10",
    );
}

#[test]
fn partner_duplicate_key() {
    let run = fails_after("partners", |site| {
        edit(site, ALPHA, "tier = 1", "tier = 1\ntier = 2").0
    });
    error_on_line(run, ALPHA, 4, "`tier` appears twice; keep one");
}

#[test]
fn partner_toml_syntax_error() {
    bad_data(
        ALPHA,
        "segment = \"Foundation model vendor\"",
        "segment = Foundation model vendor",
        "segment",
    );
}

#[test]
fn partner_without_required_keys() {
    let run = fails_after("partners", |site| {
        site.file("data/partners/empty.toml", "# nothing yet\n")
    });
    error_on_line(
        run,
        "data/partners/empty.toml",
        1,
        "missing key `name`: add it",
    );
}

#[test]
fn partner_file_name_that_is_not_a_slug() {
    let text = std::fs::read_to_string(
        Path::new(support::REPO)
            .join("tests/fixtures/partners")
            .join(DRIFTWOOD),
    )
    .unwrap();
    fails_after("partners", |site| {
        site.remove(DRIFTWOOD)
            .file("data/partners/Drift Wood.toml", text)
    })
    .error_at("data/partners/Drift Wood.toml", "rename the file");
}

#[test]
fn partner_file_that_is_not_utf8() {
    fails_after("partners", |site| {
        site.file(DRIFTWOOD, b"name = \"Drift\xffwood\"\n")
    })
    .error_at(&format!("{DRIFTWOOD}:1:14"), "not valid UTF-8 (byte 13)");
}

// ------------------------------------------------------------ content files

#[test]
fn page_file_name_without_letters_or_digits() {
    fails_after("minimal", |site| {
        site.file(
            "content/guides/!!!.md",
            "+++\ntitle = \"Bang\"\n+++\nBody\n",
        )
    })
    .error_at(
        "content/guides/!!!.md",
        "no letters or digits to make a URL",
    );
}

#[test]
fn page_bundle_folder_without_letters_or_digits() {
    fails_after("minimal", |site| {
        site.file(
            "content/guides/___/index.md",
            "+++\ntitle = \"Bundle\"\n+++\nBody\n",
        )
    })
    .error_at(
        "content/guides/___/index.md",
        "no letters or digits to make a URL",
    );
}

#[test]
fn page_file_name_without_letters_is_fine_with_a_slug() {
    let site = SiteTest::fixture("minimal").file(
        "content/guides/!!!.md",
        "+++\ntitle = \"Bang\"\nslug = \"bang\"\n+++\nBody\n",
    );
    site.build(&[]);
    assert!(site.read("public/guides/bang/index.html").contains("Bang"));
}

#[test]
fn page_slug_with_a_path_is_refused() {
    fails_after("minimal", |site| {
        site.file(
            "content/guides/evil.md",
            "+++\ntitle = \"Evil\"\nslug = \"../../../etc\"\n+++\nBody\n",
        )
    })
    .error_at(
        "content/guides/evil.md:3:1",
        "`slug` `../../../etc` may only hold",
    );
}

#[test]
fn page_that_is_a_symlink_loop_is_skipped_with_a_warning() {
    if !cfg!(unix) {
        return;
    }
    let site = SiteTest::fixture("minimal");
    symlink(Path::new("loop.md"), &site.path("content/guides/loop.md"));
    site.build(&[])
        .stderr_contains("warning: content/guides/loop.md: skipped a symbolic link");
}

#[test]
fn opening_fence_with_text_after_it() {
    fails_after("minimal", |site| {
        site.file(
            "content/guides/bad.md",
            "+++ toml\ntitle = \"Bad\"\n+++\nBody\n",
        )
    })
    .error_at(
        "content/guides/bad.md:1:1",
        "the opening `+++` must be alone on its line",
    );
}

#[test]
fn front_matter_value_of_the_wrong_type() {
    fails_after("minimal", |site| {
        site.file(
            "content/guides/bad.md",
            "+++\ntitle = \"Bad\"\nweight = \"high\"\n+++\nBody\n",
        )
    })
    .error_at(
        "content/guides/bad.md:3:10",
        "`weight`: invalid type: string \"high\", expected i64",
    );
}

#[test]
fn theme_outside_the_themes_folder() {
    fails_after("minimal", |site| {
        site.file("site.toml", "title = \"X\"\ntheme = \"../../etc\"\n")
    })
    .error_at(
        "site.toml:2:1",
        "theme `../../etc` must be the name of a folder in themes/",
    );
}

#[test]
fn empty_site_toml() {
    fails_after("minimal", |site| site.file("site.toml", ""))
        .error_at("site.toml:1:1", "missing key `title`: add it");
}

#[test]
fn yaml_syntax_error_in_front_matter() {
    fails_after("minimal", |site| {
        site.file(
            "content/guides/bad.md",
            "---\ntitle: Bad\ntags: [a, b\n---\nBody\n",
        )
    })
    .error_at(
        "content/guides/bad.md:4:1",
        "did not find expected ',' or ']'",
    );
}

#[test]
fn yaml_aliases_that_expand_too_much() {
    let mut yaml =
        String::from("---\ntitle: T\nextra:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        yaml.push_str(&format!(
            "  a{i}: &a{i} [{}]\n",
            vec![format!("*a{}", i - 1); 10].join(", ")
        ));
    }
    yaml.push_str("---\nBody\n");
    fails_after("minimal", |site| site.file("content/guides/bad.md", yaml)).error_at(
        "content/guides/bad.md:1:1",
        "YAML aliases (`*name`) expand to too much",
    );
}

#[test]
fn content_section_with_the_url_of_the_dashboard() {
    fails_after("partners", |site| {
        site.file(
            "content/reports/_index.md",
            "+++\ntitle = \"Our reports\"\n+++\n",
        )
    })
    .error_at(
        "content/reports/_index.md",
        "reports/index.html is generated by partnersite",
    );
}

#[test]
fn content_sections_with_the_url_of_generated_pages() {
    fails_after("minimal", |site| {
        site.file("content/search/_index.md", "+++\ntitle = \"Search\"\n+++\n")
            .file(
                "content/guides/tagged.md",
                "+++\ntitle = \"T\"\ntags = [\"x\"]\n+++\n",
            )
            .file("content/tags/_index.md", "+++\ntitle = \"Tags\"\n+++\n")
    })
    .error_at(
        "content/search/_index.md",
        "search/index.html is generated by partnersite",
    )
    .error_at(
        "content/tags/_index.md",
        "tags/index.html is generated by partnersite",
    );
}

#[test]
fn content_file_in_the_way_of_a_page_folder() {
    // Failed only while writing, naming a staging path instead of the file.
    fails_after("minimal", |site| {
        site.file("content/guides/toml-page", "data")
    })
    .error_at(
        "content/guides/toml-page",
        "the file guides/toml-page is in the way of the folder",
    );
}

#[test]
fn check_reports_urls_that_differ_only_in_case() {
    let site = SiteTest::fixture("minimal")
        .file("content/guides/Report.txt", "A")
        .file("content/guides/report.txt", "a");
    site.run(&["check"])
        .expect_exit(1)
        .stderr_contains("differ only in letter case");
}

#[test]
fn content_page_with_the_url_of_a_partner_report() {
    fails_after("partners", |site| {
        site.file(
            "content/partners/_index.md",
            "+++\ntitle = \"Partners\"\n+++\n",
        )
        .file(
            "content/partners/alpha-ai.md",
            "+++\ntitle = \"Alpha\"\n+++\n",
        )
    })
    .error_at(
        "content/partners/_index.md",
        "partners/index.html is generated",
    )
    .error_at(
        "content/partners/alpha-ai.md",
        "partners/alpha-ai/index.html is generated",
    );
}

// ---------------------------------------------------------------- templates

#[test]
fn template_that_includes_itself() {
    fails_after("minimal", |site| {
        site.file("templates/page.html", "{% include \"page.html\" %}\n")
    })
    .no_panic()
    .error_at(
        "templates/page.html",
        "`page.html` includes itself (page.html → page.html)",
    );
}

#[test]
fn templates_that_include_each_other() {
    fails_after("minimal", |site| {
        site.file("templates/page.html", "{% include \"a.html\" %}\n")
            .file("templates/a.html", "<p>{% include \"page.html\" %}</p>\n")
    })
    .error_at("templates/a.html", "includes itself");
}

#[test]
fn template_macro_that_calls_itself_forever() {
    fails_after("minimal", |site| {
        site.file(
            "templates/loop.html",
            "{% macro f(n) %}{{ self::f(n=n+1) }}{% endmacro f %}\n",
        )
        .file(
            "templates/page.html",
            "{% import \"loop.html\" as l %}{{ l::f(n=1) }}\n",
        )
    })
    .error_at("templates/loop.html", "macro `f` calls itself");
}

#[test]
fn cobranded_page_macro_that_calls_itself_forever() {
    fails_after("partners", |site| {
        site.file(
            "content/kits/loop.md",
            "+++\ntitle = \"Loop\"\ncobrand = true\n+++\n{% macro f() %}{{ self::f() }}{% endmacro f %}{{ self::f() }}\n",
        )
    })
    .error_at("content/kits/loop.md", "macro `f` calls itself");
}

#[test]
fn recursive_macro_under_a_condition_still_works() {
    let site = SiteTest::fixture("minimal")
        .file(
            "templates/count.html",
            "{% macro down(n) %}{{ n }}{% if n > 0 %} {{ self::down(n=n-1) }}{% endif %}{% endmacro down %}\n",
        )
        .file("templates/page.html", "{% import \"count.html\" as c %}<p>{{ c::down(n=3) }}</p>\n");
    site.build(&[]);
    assert!(
        site.read("public/guides/toml-page/index.html")
            .contains("3 2 1 0")
    );
}

#[test]
fn template_that_is_not_utf8() {
    fails_after("minimal", |site| {
        site.file("templates/page.html", b"<p>\xff</p>\n")
    })
    .error_at("templates/page.html", "not valid UTF-8");
}

// -------------------------------------------------------------- usage (2)

#[test]
fn bad_quarter_flag_is_bad_usage() {
    let site = SiteTest::fixture("partners");
    site.run(&["build", "--quarter", "2026-Q5"])
        .expect_exit(2)
        .stderr_contains("`2026-Q5` is not a quarter: write it as YYYY-Qn");
    assert!(!site.exists("public"));
}

#[test]
fn bad_audience_flag_is_bad_usage() {
    SiteTest::fixture("partners")
        .run(&["build", "--audience", "everyone"])
        .expect_exit(2)
        .stderr_contains("everyone");
}

#[test]
fn check_with_a_bad_quarter_is_bad_usage() {
    SiteTest::fixture("partners")
        .run(&["check", "--quarter", "26-Q1"])
        .expect_exit(2)
        .stderr_contains("is not a quarter");
}

#[test]
fn serve_on_a_port_in_use() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    SiteTest::fixture("minimal")
        .run(&["serve", "--root", ".", "--port", &port])
        .expect_exit(1)
        .stderr_contains("error: cannot listen on 127.0.0.1:")
        .stderr_contains("try --port");
}

// ------------------------------------------------------- failure injection

/// `--out` below a regular file: no folder can be made there.
#[test]
fn output_folder_that_cannot_be_created() {
    let site = SiteTest::fixture("minimal").file("blocker", "not a folder");
    site.build(&[]);
    let before = site.tree("public");
    let out = site.path("blocker/public");
    let run = site
        .run(&["build", "--out", &out.display().to_string()])
        .expect_exit(1)
        .stderr_contains(
            "error: cannot write [ROOT]/blocker: [ROOT]/blocker is a file, not a folder",
        )
        .stderr_contains("the previous output is unchanged");
    assert_eq!(run.error_lines().len(), 1, "{run}");
    assert_eq!(site.read("blocker"), "not a folder");
    assert_same_tree(&before, &site.tree("public"));
    assert_no_leftovers(&site);
}

/// `logo = "../../x"` once copied a file from outside the site to outside
/// the output folder.
#[test]
fn site_logo_outside_the_site_is_refused() {
    let site = SiteTest::fixture("minimal").file("secret.txt", "secret");
    site.build(&[]);
    let before = site.tree(".");
    let site = site.file("site.toml", "title = \"X\"\nlogo = \"../secret.txt\"\n");
    let out = site.path("out/public").display().to_string();
    site.run(&["build", "--out", &out]).expect_exit(1).error_at(
        "site.toml:2:1",
        "logo `../secret.txt` must be a path inside data/ or static/",
    );
    let mut after = site.tree(".");
    after.insert("site.toml".into(), before["site.toml"].clone());
    assert_same_tree(&before, &after);
}

/// The write stage refuses any path that leaves the output folder, whatever
/// produced it.
#[test]
fn the_write_stage_never_leaves_the_output_folder() {
    let tmp = tempfile::tempdir().unwrap();
    for bad in [
        "../escape.txt",
        "a/../../escape.txt",
        "/etc/escape.txt",
        "./a",
    ] {
        let mut output = partnersite::output::Output::default();
        output.add("index.html", "ok").unwrap();
        output.add(bad, "escaped").unwrap();
        let out = tmp.path().join("site/public");
        let result = partnersite::write::write(&out, &tmp.path().join("site"), &output);
        assert!(
            matches!(result, Err(partnersite::write::WriteError::Outside(ref p)) if p == bad),
            "{bad}: {result:?}"
        );
        assert!(!out.exists(), "{bad}");
    }
    assert!(walk(tmp.path()).is_empty());
}

/// `--out` naming a regular file: never replaced by a folder.
#[test]
fn output_path_that_is_a_file_is_refused() {
    let site = SiteTest::fixture("minimal").file("notes.txt", "my notes");
    site.run(&[
        "build",
        "--out",
        &site.path("notes.txt").display().to_string(),
    ])
    .expect_exit(1)
    .stderr_contains("refusing to replace")
    .stderr_contains("it is a file");
    assert_eq!(site.read("notes.txt"), "my notes");
    assert_no_leftovers(&site);
}

/// One write of an update fails (a folder sits where its temporary file
/// goes): nothing of the update is visible, and the next run, once the
/// obstacle is gone, writes everything and leaves no temporary file.
#[test]
fn a_write_that_fails_part_way_changes_nothing() {
    let site = SiteTest::fixture("minimal");
    site.build(&[]);
    let before = site.tree("public");
    let obstacle = "public/guides/toml-page/.index.html.partnersite-tmp";
    std::fs::create_dir(site.path(obstacle)).unwrap();
    std::fs::write(site.path(&format!("{obstacle}/x")), "x").unwrap();
    let (site, _) = edit(
        site,
        "content/guides/toml-page.md",
        "+++\n\n",
        "+++\n\nChanged body. ",
    );
    let site = site.file(
        "content/guides/new-page.md",
        "+++\ntitle = \"New\"\n+++\nNew page.\n",
    );
    site.run(&["build"])
        .expect_exit(1)
        .stderr_contains("error: cannot write [ROOT]/public/guides/toml-page/index.html")
        .stderr_contains("the previous output is unchanged");
    std::fs::remove_dir_all(site.path(obstacle)).unwrap();
    assert_same_tree(&before, &site.tree("public"));
    assert!(
        !site.exists("public/guides/new-page"),
        "a folder of the failed update is left"
    );
    assert_no_leftovers(&site);

    site.build(&[]);
    assert!(
        site.read("public/guides/toml-page/index.html")
            .contains("Changed body.")
    );
    assert!(site.exists("public/guides/new-page/index.html"));
    assert_no_leftovers(&site);
    assert_same_as_fresh_build(&site);
}

/// A build interrupted while writing a fresh output left its staging folder
/// (and a build interrupted mid-swap its old folder) beside the output.
/// The staging folder is removed; an old folder without a manifest (as an
/// older partnersite left it) may hold files partnersite did not write, so
/// it is kept and named; one with a manifest goes as far as it lists.
#[test]
fn an_interrupted_fresh_build_is_cleaned_up_by_the_next() {
    let site = SiteTest::fixture("minimal");
    site.build(&[]);
    let site = site
        .file(".public.partnersite-new/index.html", "half written")
        .file(".public.partnersite-old/index.html", "an old copy");
    // A failing build touches nothing, leftovers included.
    let (site, _) = edit(site, "content/guides/toml-page.md", "title = ", "titel = ");
    let before = site.tree("public");
    site.run(&["build"]).expect_exit(1);
    assert_same_tree(&before, &site.tree("public"));
    assert!(site.exists(".public.partnersite-new"));

    let (site, _) = edit(site, "content/guides/toml-page.md", "titel = ", "title = ");
    site.build(&[])
        .stderr_contains("note: an earlier build of")
        .stderr_contains("its half-written new output [ROOT]/.public.partnersite-new was removed")
        .stderr_contains("at [ROOT]/.public.partnersite-old, which holds files partnersite did not write (or has no manifest), so it is kept");
    assert!(!site.exists(".public.partnersite-new"));
    assert_eq!(
        site.read(".public.partnersite-old/index.html"),
        "an old copy"
    );
    let site = site.remove(".public.partnersite-old");
    assert_no_leftovers(&site);
    assert_same_as_fresh_build(&site);

    // An old folder this partnersite moved aside has its manifest.
    copy_tree(&site.path("public"), &site.path(".public.partnersite-old"));
    site.build(&[]).stderr_contains(
        "the previous output it had replaced, left at [ROOT]/.public.partnersite-old, was removed",
    );
    assert_no_leftovers(&site);
}

/// Interrupted mid-swap: the output was moved aside and the new one not yet
/// moved in. The next build puts the previous output back before anything.
#[test]
fn an_interrupted_swap_gets_the_previous_output_back() {
    let site = SiteTest::fixture("minimal");
    site.build(&[]);
    std::fs::rename(site.path("public"), site.path(".public.partnersite-old")).unwrap();
    let site = site.file(".public.partnersite-new/index.html", "half written");
    site.build(&[]).stderr_contains("note: an earlier build of");
    assert_no_leftovers(&site);
    assert_same_as_fresh_build(&site);
}

/// Interrupted after the commit journal of an update was written: the next
/// run finishes the commit, then updates as usual. Whatever the journal
/// says, it never reaches outside the output and never deletes a file that
/// the manifest does not list.
#[test]
fn an_interrupted_commit_is_finished_by_the_next_build() {
    let site = SiteTest::fixture("minimal").file("static/stale.txt", "written by partnersite");
    site.build(&[]);
    assert!(site.exists("public/stale.txt"));
    let site = site
        .remove("static/stale.txt")
        .file(
            "public/guides/toml-page/.index.html.partnersite-tmp",
            "from the interrupted run",
        )
        .file("public/notes.txt", "not partnersite's")
        .file(
            "public/guides/.index.html.partnersite-tmp",
            "not in the journal",
        )
        .file(
            "public/.partnersite-commit",
            "partnersite commit 1\nW guides/toml-page/index.html\nD stale.txt\nD notes.txt\nD ../outside.txt\nW ../../escape\n",
        )
        .file("outside.txt", "outside the output");
    site.build(&[])
        .stderr_contains("note: an earlier build of")
        .stderr_contains("its update was finished (1 more file replaced, 1 file deleted)");
    assert_eq!(site.read("outside.txt"), "outside the output");
    assert!(!site.exists("public/stale.txt"));
    assert_eq!(site.read("public/notes.txt"), "not partnersite's");
    assert!(!site.exists("public/.partnersite-commit"));
    assert_no_leftovers(&site);
    let site = site.remove("public/notes.txt");
    assert_same_as_fresh_build(&site);
}

/// The output equals what a build into a new folder writes.
fn assert_same_as_fresh_build(site: &SiteTest) {
    let fresh = tempfile::tempdir().unwrap();
    let out = fresh.path().join("out");
    site.run(&["build", "--out", &out.display().to_string()])
        .expect_exit(0);
    assert_same_tree(&tree(&out), &site.tree("public"));
}

// ------------------------------------------------------- data edge cases

/// The fixture with one more partner file.
fn with_partner(slug: &str, text: &str) -> SiteTest {
    SiteTest::fixture("partners").file(&format!("data/partners/{slug}.toml"), text)
}

const NEWCOMER: &str = "name = \"Newcomer\"\ntier = 3\njoined = 2026-05-01\n";

#[test]
fn partner_with_no_quarters() {
    let site = with_partner("newcomer", NEWCOMER);
    site.build(&[]);
    let page = site.read("public/partners/newcomer/index.html");
    assert!(page.contains("Newcomer"));
    assert!(
        page.contains("no data"),
        "a partner without data shows `no data`"
    );
    assert_no_nan_or_inf(&site);
    let json: serde_json::Value =
        serde_json::from_str(&site.read("public/partners/newcomer/report.json")).unwrap();
    assert_eq!(
        json["kpis"]["influenced_revenue"],
        serde_json::Value::Null,
        "{json:#}"
    );
    let csv = site.read("public/partners/newcomer/metrics.csv");
    assert_eq!(csv.lines().count(), 1, "only the header: {csv}");
}

#[test]
fn program_with_no_company_rows() {
    let site = SiteTest::fixture("partners");
    let text = site.read(PROGRAM);
    let start = text.find("[[company]]").unwrap();
    let end = text.find("[[investment]]").unwrap();
    let site = site.file(PROGRAM, format!("{}{}", &text[..start], &text[end..]));
    site.build(&[]);
    assert!(site.read("public/reports/index.html").contains("no data"));
    assert_no_nan_or_inf(&site);
}

#[test]
fn report_quarter_with_no_data_at_all() {
    let site = SiteTest::fixture("partners");
    site.build(&["--quarter", "2019-Q1"]);
    assert!(site.read("public/reports/index.html").contains("2019-Q1"));
    assert!(
        site.read("public/partners/alpha-ai/index.html")
            .contains("no data")
    );
    assert_no_nan_or_inf(&site);
}

#[test]
fn report_quarter_at_the_ends_of_the_calendar() {
    // 9999-Q4 once panicked: its end date was computed from 10000-Q1.
    for quarter in ["9999-Q4", "0001-Q1"] {
        let site = SiteTest::fixture("partners");
        let (site, _) = edit(
            site,
            ALPHA,
            "quarter = \"2026-Q2\"",
            &format!("quarter = \"{quarter}\""),
        );
        site.build(&["--quarter", quarter]);
        assert!(site.read("public/reports/index.html").contains(quarter));
    }
}

/// No `NaN` or `inf` in any text output: missing values show as no data.
fn assert_no_nan_or_inf(site: &SiteTest) {
    for (path, bytes) in site.tree("public") {
        if path.starts_with("pagefind/") {
            continue;
        }
        let text = String::from_utf8_lossy(&bytes);
        for bad in ["NaN", ">inf<", "\"inf\"", "∞", ",inf,"] {
            assert!(!text.contains(bad), "{path} contains {bad}");
        }
    }
}

#[test]
fn partner_file_with_bom_and_crlf_line_endings() {
    let site = SiteTest::fixture("partners");
    site.build(&[]);
    let lf = site.tree("public");
    let text = site.read(ALPHA);
    let crlf = format!("\u{feff}{}", text.replace('\n', "\r\n"));
    let program = format!("\u{feff}{}", site.read(PROGRAM).replace('\n', "\r\n"));
    let site = site.file(ALPHA, &crlf).file(PROGRAM, program);
    site.build(&[]);
    assert_same_tree(&lf, &site.tree("public"));
}

#[test]
fn errors_in_a_crlf_file_point_at_the_right_line() {
    let site = SiteTest::fixture("partners");
    let text = site
        .read(ALPHA)
        .replace("joint_csat = 0.92", "joint_csat = 92");
    let line = text[..text.find("joint_csat = 92").unwrap()]
        .matches('\n')
        .count()
        + 1;
    let site = site.file(ALPHA, format!("\u{feff}{}", text.replace('\n', "\r\n")));
    let run = site.run(&["build"]).expect_exit(1).stderr_lacks("\r");
    error_on_line(run, ALPHA, line, "write 0.92, not 92");
}

#[test]
fn page_with_bom_and_crlf_line_endings() {
    let site = SiteTest::fixture("minimal").file(
        "content/guides/crlf.md",
        "\u{feff}+++\r\ntitle = \"Windows page\"\r\n+++\r\n\r\n## A heading\r\n\r\nBody text.\r\n",
    );
    site.build(&[]);
    let html = site.read("public/guides/crlf/index.html");
    assert!(
        html.contains("Windows page")
            && html.contains("id=\"a-heading\"")
            && html.contains("Body text.")
    );
    assert!(!html.contains('\u{feff}'));
}

#[test]
fn site_toml_with_bom_and_crlf_line_endings() {
    let site = SiteTest::fixture("minimal");
    site.build(&[]);
    let before = site.tree("public");
    let text = format!("\u{feff}{}", site.read("site.toml").replace('\n', "\r\n"));
    let site = site.file("site.toml", text);
    site.build(&[]);
    assert_same_tree(&before, &site.tree("public"));
}

#[test]
fn site_toml_that_is_not_utf8() {
    fails_after("minimal", |site| {
        site.file("site.toml", b"title = \"Caf\xe9\"\n")
    })
    .error_at(
        "site.toml:1:13",
        "not valid UTF-8 (byte 12): save the file as UTF-8",
    );
}

/// Names in scripts that are not Latin, and right to left.
const NAMES: [(&str, &str); 4] = [
    ("accents", "Crème Brûlée Société Ørsted"),
    ("cjk", "北京数据科技 株式会社データ"),
    ("arabic", "شركة البيانات العربية"),
    ("hebrew", "חברת הנתונים"),
];

#[test]
fn non_ascii_partner_names_are_shown_as_written() {
    let mut site = SiteTest::fixture("partners");
    for (slug, name) in NAMES {
        site = site.file(
            &format!("data/partners/{slug}.toml"),
            format!("name = \"{name}\"\ntier = 2\nsegment = \"{name}\"\njoined = 2024-01-01\n\n[[quarters]]\nquarter = \"2026-Q2\"\ninfluenced_revenue = 1000\ncomment = \"{name}\"\n"),
        );
    }
    site.build(&[]);
    let directory = site.read("public/partners/index.html");
    for (slug, name) in NAMES {
        assert!(
            directory.contains(name),
            "{slug} missing from the directory"
        );
        // Isolated, so that a right-to-left name does not reorder the text
        // around it.
        assert!(
            directory.contains(&format!("<bdi>{name}</bdi>")),
            "{slug}: not isolated in the directory"
        );
        let page = site.read(&format!("public/partners/{slug}/index.html"));
        assert!(page.contains(name), "{slug}: page");
        assert!(
            page.contains(&format!("<h1><bdi>{name}</bdi></h1>")),
            "{slug}: heading not isolated"
        );
        assert!(
            page.contains("<meta charset=\"utf-8\">") || page.contains("charset=utf-8"),
            "{slug}: no charset"
        );
        let json: serde_json::Value =
            serde_json::from_str(&site.read(&format!("public/partners/{slug}/report.json")))
                .unwrap();
        assert_eq!(json["name"], name, "{slug}: report.json");
        assert!(
            site.read(&format!("public/partners/{slug}/metrics.csv"))
                .contains(name),
            "{slug}: csv comment"
        );
        let svg = site.read(&format!("public/partners/{slug}/revenue.svg"));
        assert!(svg.contains(name), "{slug}: chart title");
        // A co-branded copy shows the name in its body.
        let kit = site.read(&format!("public/partners/{slug}/joint-pitch/index.html"));
        assert!(kit.contains(name), "{slug}: co-branded copy");
    }
}

const XSS: &str = "<script>alert(1)</script>";

/// HTML in every string field of the data and the front matter: escaped in
/// every output, never markup; CSV cells are defused against formulas.
#[test]
fn html_in_every_string_field_is_escaped_everywhere() {
    let site = SiteTest::fixture("partners");
    let edits = [
        (
            "name = \"Alpha AI\"",
            format!("name = \"Alpha {XSS} [x](javascript:alert(1)) AI\""),
        ),
        (
            "segment = \"Foundation model vendor\"",
            format!("segment = \"{XSS}\""),
        ),
        (
            "website = \"https://alpha-ai.example\"",
            "website = \"https://alpha-ai.example/\\\"><script>alert(1)</script>\"".to_string(),
        ),
        (
            "title = \"Joint healthcare webinar\"",
            format!("title = \"=cmd|' /C calc'!A0 {XSS}\""),
        ),
        ("owner = \"Alpha AI\"", format!("owner = \"{XSS}\"")),
        (
            "quarter = \"2026-Q2\"",
            format!(
                "quarter = \"2026-Q2\"\ncomment = \"=HYPERLINK(\\\"http://x\\\") {XSS} <img src=x onerror=alert(1)>\""
            ),
        ),
    ];
    let mut text = site.read(ALPHA);
    for (from, to) in edits {
        text = text.replacen(from, &to, 1);
    }
    let text = drop_existing_comment(&text, "2026-Q2");
    let site = site.file(ALPHA, text).file(
        "content/kits/xss.md",
        format!(
            "+++\ntitle = \"Kit {XSS}\"\ndescription = \"Desc {XSS}\"\ntags = [\"tag {XSS}\"]\ndate = 2026-03-01\ncobrand = true\n+++\n\nFor {{{{ partner.name }}}} ({{{{ partner.segment }}}}, {{{{ partner.website }}}}).\n\n| partner |\n|---|\n| {{{{ partner.name }}}} |\n\n<div class=\"x\">{{{{ partner.name }}}}</div>\n"
        ),
    );
    site.build(&[]);
    let out = site.tree("public");
    let mut checked = 0;
    for (path, bytes) in &out {
        if path.starts_with("pagefind/") || path.ends_with(".csv") {
            continue;
        }
        let text = String::from_utf8_lossy(bytes);
        for bad in ["<script>alert", "href=\"javascript:", "<img src=x"] {
            assert!(!text.contains(bad), "{path} holds `{bad}` unescaped");
        }
        checked += 1;
    }
    assert!(checked > 50, "only {checked} files checked");
    // Shown as text where it belongs.
    let report = site.read("public/partners/alpha-ai/index.html");
    assert!(
        report.contains("Alpha &lt;script&gt;alert(1)&lt;&#x2F;script&gt;"),
        "name not shown escaped"
    );
    let kit = site.read("public/partners/alpha-ai/xss/index.html");
    assert!(
        kit.contains("Alpha &lt;script&gt;alert(1)&lt;/script&gt; [x](javascript:alert(1)) AI"),
        "{kit}"
    );
    assert!(
        site.read("public/partners/alpha-ai/report.json")
            .contains("\\u003cscript>")
    );
    assert!(site.read("public/atom.xml").contains("Kit &lt;script&gt;"));
    let svg = site.read("public/partners/alpha-ai/revenue.svg");
    assert!(svg.contains("&lt;script&gt;"), "chart title not escaped");
    // CSV: formulas defused, cells quoted.
    let csv = site.read("public/partners/alpha-ai/metrics.csv");
    assert!(csv.contains("\"'=HYPERLINK(\"\"http://x\"\")"), "{csv}");
    assert!(!csv.lines().any(|l| l.contains(",=")), "{csv}");
}

/// Removes a `comment = …` line already present in `quarter`'s entry.
fn drop_existing_comment(text: &str, quarter: &str) -> String {
    let start = text.find(&format!("quarter = \"{quarter}\"")).unwrap();
    let rest = &text[start..];
    let first = rest.find("comment = ").unwrap();
    let Some(second) = rest[first + 1..].find("comment = ").map(|i| first + 1 + i) else {
        return text.to_string();
    };
    let end = rest[second..]
        .find('\n')
        .map_or(rest.len(), |i| second + i + 1);
    format!("{}{}{}", &text[..start], &rest[..second], &rest[end..])
}

// ------------------------------------------------------------- regressions

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) {
    std::os::unix::fs::symlink(target, link).unwrap();
}

#[cfg(not(unix))]
fn symlink(_target: &Path, _link: &Path) {}
