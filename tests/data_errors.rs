//! One test per validation rule of partner data (DESIGN.md §3). Each builds
//! the `partners` fixture, breaks one partner or program file, builds again
//! and asserts exit status 1, an `error: data/…toml:<line>:<col>: …` line
//! naming the file and the field, no panic, and that the output of the first
//! build is left byte for byte as it was.
//!
//! A template names a partner with `get_partner(slug=…)`; an unknown slug
//! is the last rule's test.

mod support;

use support::{Run, SiteTest};

/// Builds the `partners` fixture, applies `break_it` and builds again; the
/// second build must fail without touching the output of the first.
fn fails_after(break_it: impl FnOnce(SiteTest) -> SiteTest) -> Run {
    support::fails_after_breaking("partners", break_it)
}

fn partner_file(slug: &str) -> String {
    format!("data/partners/{slug}.toml")
}

/// The fixture's text of a file.
fn fixture_text(rel: &str) -> String {
    let path = std::path::Path::new(support::REPO)
        .join("tests/fixtures/partners")
        .join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Sets `field = value` in the `[[quarters]]` entry of `quarter` (replacing
/// the field's line, or adding it after `quarter = …`). Returns the new text
/// and the 1-based line of the field.
fn set_in_quarter(source: &str, quarter: &str, field: &str, value: &str) -> (String, usize) {
    let mut lines: Vec<String> = source.lines().map(str::to_string).collect();
    let start = lines
        .iter()
        .position(|l| l.trim() == format!("quarter = \"{quarter}\""))
        .unwrap_or_else(|| panic!("no quarter {quarter}"));
    let end = lines[start..]
        .iter()
        .position(|l| l.starts_with("[["))
        .map_or(lines.len(), |i| start + i);
    let new = format!("{field} = {value}");
    let at = match lines[start..end]
        .iter()
        .position(|l| l.starts_with(&format!("{field} = ")))
    {
        Some(i) => {
            lines[start + i] = new;
            start + i
        }
        None => {
            lines.insert(start + 1, new);
            start + 1
        }
    };
    (lines.join("\n") + "\n", at + 1)
}

/// Replaces the unique line starting with `prefix` (`None` = append a line).
/// Returns the new text and the 1-based line of the new line.
fn set_line(source: &str, prefix: Option<&str>, new: &str) -> (String, usize) {
    let mut lines: Vec<String> = source.lines().map(str::to_string).collect();
    let at = match prefix {
        Some(p) => {
            let found: Vec<usize> = (0..lines.len())
                .filter(|i| lines[*i].starts_with(p))
                .collect();
            assert_eq!(found.len(), 1, "{p:?} is not a unique line start");
            lines[found[0]] = new.to_string();
            found[0]
        }
        None => {
            lines.push(new.to_string());
            lines.len() - 1
        }
    };
    (lines.join("\n") + "\n", at + 1)
}

/// The 1-based column of the value in a `key = value` line.
fn value_col(key: &str) -> usize {
    key.len() + 4
}

/// Breaks `field` of a quarter of a partner, expecting an error at the
/// value whose message contains `needle` and names the field.
fn bad_quarter_value(slug: &str, quarter: &str, field: &str, value: &str, needle: &str) -> Run {
    let rel = partner_file(slug);
    let (text, line) = set_in_quarter(&fixture_text(&rel), quarter, field, value);
    fails_after(|site| site.file(&rel, text))
        .error_at(&format!("{rel}:{line}:{}", value_col(field)), needle)
        // The message names the field (`quarter` errors name it in prose).
        .error_at(&format!("{rel}:{line}:{}", value_col(field)), field)
}

/// Replaces a top-level line of a partner file, expecting an error at `col`.
fn bad_line(slug: &str, prefix: Option<&str>, new: &str, col: usize, needle: &str) -> Run {
    let rel = partner_file(slug);
    let (text, line) = set_line(&fixture_text(&rel), prefix, new);
    fails_after(|site| site.file(&rel, text)).error_at(&format!("{rel}:{line}:{col}"), needle)
}

// ---------------------------------------------------------------- unknown keys

#[test]
fn unknown_key_at_the_top_of_a_partner_file() {
    bad_line(
        "alpha-ai",
        Some("segment = "),
        "segmant = \"Foundation model vendor\"",
        1,
        "unknown key `segmant`",
    );
}

#[test]
fn unknown_key_in_brand() {
    bad_line(
        "beacon-systems",
        Some("primary = "),
        "primary_colour = \"#116644\"",
        1,
        "unknown key `primary_colour`",
    );
}

#[test]
fn unknown_key_in_a_quarter() {
    let rel = partner_file("alpha-ai");
    let (text, line) = set_in_quarter(&fixture_text(&rel), "2026-Q1", "revenue", "5");
    fails_after(|site| site.file(&rel, text))
        .error_at(&format!("{rel}:{line}:1"), "unknown key `revenue`");
}

#[test]
fn unknown_key_in_program_targets() {
    let rel = "data/program.toml";
    let (text, line) = set_line(&fixture_text(rel), Some("lead_share = "), "nps = 30");
    fails_after(|site| site.file(rel, text))
        .error_at(&format!("{rel}:{line}:1"), "unknown key `nps`");
}

// -------------------------------------------------------------- quarters

#[test]
fn quarter_without_a_dash() {
    bad_quarter_value(
        "alpha-ai",
        "2025-Q3",
        "quarter",
        "\"2025Q3\"",
        "`2025Q3` is not a quarter",
    );
}

#[test]
fn quarter_5() {
    bad_quarter_value(
        "ember-works",
        "2025-Q3",
        "quarter",
        "\"2026-Q5\"",
        "`2026-Q5` is not a quarter",
    );
}

#[test]
fn duplicate_quarter() {
    // The second 2026-Q1 is reported, at its own `quarter` value.
    bad_quarter_value(
        "alpha-ai",
        "2026-Q2",
        "quarter",
        "\"2026-Q1\"",
        "appears twice",
    );
}

// ------------------------------------------------------------ ranges

#[test]
fn negative_money() {
    bad_quarter_value(
        "alpha-ai",
        "2026-Q2",
        "influenced_revenue",
        "-1870000",
        "cannot be negative",
    );
}

#[test]
fn negative_mdf() {
    bad_quarter_value(
        "ember-works",
        "2025-Q1",
        "mdf_approved",
        "-5",
        "cannot be negative",
    );
}

#[test]
fn negative_count() {
    bad_quarter_value(
        "beacon-systems",
        "2026-Q2",
        "leads",
        "-80",
        "cannot be negative",
    );
}

#[test]
fn joint_csat_written_as_a_percentage() {
    bad_quarter_value(
        "alpha-ai",
        "2026-Q2",
        "joint_csat",
        "92",
        "write 0.92, not 92",
    );
}

#[test]
fn satisfaction_above_10() {
    bad_quarter_value("alpha-ai", "2026-Q2", "satisfaction", "11.5", "0 to 10");
}

#[test]
fn recommend_below_0() {
    bad_quarter_value("ember-works", "2026-Q2", "recommend", "-1", "0 to 10");
}

// ---------------------------------------------------------- part of whole

#[test]
fn sourced_above_influenced() {
    bad_quarter_value(
        "alpha-ai",
        "2026-Q2",
        "sourced_revenue",
        "1900000",
        "`influenced_revenue`",
    );
}

#[test]
fn deals_registered_above_deals_total() {
    bad_quarter_value(
        "alpha-ai",
        "2026-Q2",
        "deals_registered",
        "31",
        "`deals_total`",
    );
}

#[test]
fn competitive_wins_above_competitive_deals() {
    bad_quarter_value(
        "ember-works",
        "2025-Q4",
        "competitive_wins",
        "11",
        "`competitive_deals`",
    );
}

#[test]
fn certified_staff_above_staff() {
    bad_quarter_value(
        "beacon-systems",
        "2026-Q1",
        "certified_staff",
        "13",
        "`staff`",
    );
}

#[test]
fn customers_with_integration_above_customers() {
    bad_quarter_value(
        "alpha-ai",
        "2025-Q1",
        "customers_with_integration",
        "35",
        "`customers`",
    );
}

#[test]
fn mdf_spent_above_mdf_approved() {
    bad_quarter_value(
        "driftwood",
        "2025-Q2",
        "mdf_spent",
        "10001",
        "`mdf_approved`",
    );
}

// ------------------------------------------------------------ the partner

#[test]
fn tier_4() {
    bad_line(
        "cobalt-labs",
        Some("tier = "),
        "tier = 4",
        value_col("tier"),
        "tier 4 does not exist",
    );
}

#[test]
fn logo_file_missing() {
    let rel = partner_file("ember-works");
    let line = fixture_text(&rel)
        .lines()
        .position(|l| l.starts_with("logo = "))
        .expect("a logo line")
        + 1;
    fails_after(|site| site.remove("data/logos/ember-works.svg")).error_at(
        &format!("{rel}:{line}:{}", value_col("logo")),
        "logo `logos/ember-works.svg` not found",
    );
}

#[test]
fn date_that_does_not_exist() {
    // 2025-02-30 is a TOML date literal the TOML parser rejects itself.
    let rel = partner_file("cobalt-labs");
    let (text, line) = set_line(
        &fixture_text(&rel),
        Some("joined = "),
        "joined = 2025-02-30",
    );
    let run = fails_after(|site| site.file(&rel, text));
    let head = format!("error: {rel}:{line}:");
    assert!(
        run.error_lines().iter().any(|l| l.starts_with(&head)),
        "no error on line {line}\n{run}"
    );
}

#[test]
fn date_written_as_text() {
    bad_line(
        "cobalt-labs",
        Some("joined = "),
        "joined = \"September 2025\"",
        value_col("joined"),
        "`joined` is not a date",
    );
}

#[test]
fn unknown_phase() {
    bad_line(
        "beacon-systems",
        Some("phase = "),
        "phase = \"scaling\"",
        value_col("phase"),
        "unknown phase `scaling`",
    );
}

#[test]
fn brand_colour_that_is_not_hex() {
    // A CSS injection attempt: the value would close the declaration.
    bad_line(
        "alpha-ai",
        Some("primary = "),
        "primary = \"red; } body { display: none\"",
        value_col("primary"),
        "`primary` must be a hex colour",
    );
}

#[test]
fn accent_colour_that_is_not_hex() {
    bad_line(
        "cobalt-labs",
        Some("accent = "),
        "accent = \"red; }\"",
        value_col("accent"),
        "`accent` must be a hex colour",
    );
}

// ------------------------------------------------------------ whole site

#[test]
fn errors_in_two_partner_files_are_reported_together() {
    let a = partner_file("alpha-ai");
    let b = partner_file("driftwood");
    let (text_a, line_a) = set_in_quarter(&fixture_text(&a), "2026-Q2", "joint_csat", "93");
    let (text_b, line_b) = set_line(&fixture_text(&b), Some("tier = "), "tier = 0");
    fails_after(|site| site.file(&a, text_a).file(&b, text_b))
        .error_at(
            &format!("{a}:{line_a}:{}", value_col("joint_csat")),
            "write 0.93, not 93",
        )
        .error_at(
            &format!("{b}:{line_b}:{}", value_col("tier")),
            "tier 0 does not exist",
        );
}

#[test]
fn partner_files_without_program_toml() {
    fails_after(|site| site.remove("data/program.toml"))
        .error_at("data/program.toml", "partner files need data/program.toml");
}

#[test]
fn parser_errors_name_the_field() {
    let rel = partner_file("cobalt-labs");
    let (text, line) = set_line(
        &fixture_text(&rel),
        Some("joined = "),
        "joined = 2025-02-30",
    );
    fails_after(|site| site.file(&rel, text))
        .error_at(&format!("{rel}:{line}:{}", value_col("joined")), "joined");
    let (text, line) = set_line(&fixture_text(&rel), Some("tier = "), "tier = \"three\"");
    fails_after(|site| site.file(&rel, text))
        .error_at(&format!("{rel}:{line}:{}", value_col("tier")), "tier");
}

#[test]
fn template_naming_an_unknown_partner() {
    let template = "{% extends \"base.html\" %}{% block main %}{% set p = get_partner(slug=\"zeta-corp\") %}{{ p.name }}{% endblock main %}";
    fails_after(|site| site.file("templates/404.html", template))
        .stderr_contains("templates/404.html")
        .stderr_contains("unknown partner `zeta-corp`: there is no data/partners/zeta-corp.toml");
}

#[test]
fn template_naming_a_known_partner_builds() {
    let template = "{% extends \"base.html\" %}{% block main %}{% set p = get_partner(slug=\"alpha-ai\") %}<p id=\"who\">{{ p.name }}</p>{% endblock main %}";
    let site = SiteTest::fixture("partners").file("templates/404.html", template);
    site.build(&[]);
    assert!(site.read("public/404.html").contains("<p id=\"who\">"));
}
