//! Partner reports, the directory and the program dashboard (DESIGN.md §4
//! and §6), built from `tests/fixtures/partners/`: five partners of tiers
//! 1–3, among them one who left (`driftwood`), one younger than a year with
//! zero denominators (`cobalt-labs`), one with missing survey fields
//! (`beacon-systems`) and two tied on KPIs on track (`alpha-ai`,
//! `ember-works`); three investment years but two ROI targets.

mod support;

use std::collections::BTreeSet;

use serde_json::Value;
use support::{SiteTest, assert_same_tree};

const FIXTURE: &str = "partners";

/// The fixture's partner slugs, as in `data/partners/`.
const SLUGS: &[&str] = &[
    "alpha-ai",
    "beacon-systems",
    "cobalt-labs",
    "driftwood",
    "ember-works",
];

/// The 13 partner KPIs of DESIGN.md §4.
const PARTNER_KPIS: &[&str] = &[
    "influenced_revenue",
    "sourced_revenue",
    "ttm_revenue",
    "yoy_growth",
    "deal_registration_rate",
    "win_rate",
    "certified_staff_share",
    "certification_hours",
    "satisfaction",
    "joint_csat",
    "integration_adoption",
    "mdf_utilization",
    "partner_share",
];

/// The 8 partner KPIs that have a target.
const PARTNER_STATUS: &[&str] = &[
    "yoy_growth",
    "deal_registration_rate",
    "win_rate",
    "certified_staff_share",
    "satisfaction",
    "joint_csat",
    "integration_adoption",
    "partner_share",
];

/// The program KPIs of DESIGN.md §6.
const PROGRAM_KPIS: &[&str] = &[
    "influenced_share",
    "sourced_share",
    "strategic_partner_revenue",
    "lead_share",
    "nps",
    "retention",
    "roi",
];

/// The program KPIs with a target: all but `nps`.
const PROGRAM_STATUS: &[&str] = &[
    "influenced_share",
    "sourced_share",
    "strategic_partner_revenue",
    "lead_share",
    "retention",
    "roi",
];

/// The fixture, built into `public/` (plus `extra` flags).
fn built(extra: &[&str]) -> SiteTest {
    let site = SiteTest::fixture(FIXTURE);
    site.build(extra);
    site
}

fn json(site: &SiteTest, rel: &str) -> Value {
    serde_json::from_str(&site.read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn report(site: &SiteTest, slug: &str) -> Value {
    json(site, &format!("public/partners/{slug}/report.json"))
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object()
        .unwrap_or_else(|| panic!("not an object: {v}"))
        .keys()
        .cloned()
        .collect()
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| s.to_string()).collect()
}

/// The tier written in a fixture partner file.
fn tier_of(site: &SiteTest, slug: &str) -> i64 {
    let source = site.read(&format!("data/partners/{slug}.toml"));
    let doc: toml::Table = toml::from_str(&source).expect("the fixture is valid TOML");
    doc["tier"].as_integer().expect("tier is an integer")
}

/// The name written in a fixture partner file.
fn name_of(site: &SiteTest, slug: &str) -> String {
    let source = site.read(&format!("data/partners/{slug}.toml"));
    let doc: toml::Table = toml::from_str(&source).expect("the fixture is valid TOML");
    doc["name"].as_str().expect("name is text").to_string()
}

/// The `<tr id="kpi-<key>">…</tr>` row of a scorecard.
fn scorecard_row<'a>(html: &'a str, key: &str) -> &'a str {
    let open = format!("<tr id=\"kpi-{key}\">");
    let start = html
        .find(&open)
        .unwrap_or_else(|| panic!("no scorecard row {key}"));
    let end = start + html[start..].find("</tr>").expect("the row is closed");
    &html[start..end]
}

/// The first `<td …>…</td>` cell of a row: the value.
fn value_cell(row: &str) -> &str {
    let start = row.find("<td").expect("a value cell");
    let end = start + row[start..].find("</td>").expect("the cell is closed");
    &row[start..end]
}

/// Money shown as zero: `$0` not followed by a digit or a decimal point.
fn shows_zero_money(text: &str) -> bool {
    text.match_indices("$0").any(|(i, _)| {
        !text[i + 2..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || c == '.')
    })
}

/// A rate shown as zero: `0%` (or `0.0%`) not preceded by a digit.
fn shows_zero_rate(text: &str) -> bool {
    ["0%", "0.0%"].iter().any(|needle| {
        text.match_indices(needle).any(|(i, _)| {
            !text[..i]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_digit() || c == '.')
        })
    })
}

/// The `<section id="tier-<n>" …>…</section>` of the partner directory.
fn tier_group(html: &str, tier: i64) -> &str {
    let open = format!("<section id=\"tier-{tier}\"");
    let start = html
        .find(&open)
        .unwrap_or_else(|| panic!("no group for tier {tier}"));
    let end = start + html[start..].find("</section>").expect("closed");
    &html[start..end]
}

// ------------------------------------------------------------------- files

#[test]
fn every_partner_gets_a_report_page_json_csv_and_two_charts() {
    let site = built(&[]);
    for slug in SLUGS {
        let dir = format!("public/partners/{slug}");
        for file in ["index.html", "report.json", "metrics.csv"] {
            assert!(site.exists(&format!("{dir}/{file}")), "{dir}/{file}");
        }
        let charts: Vec<(String, Vec<u8>)> = site
            .tree(&dir)
            .into_iter()
            .filter(|(p, _)| !p.contains('/') && p.ends_with(".svg"))
            .collect();
        assert!(charts.len() >= 2, "{slug}: only {} charts", charts.len());
        let page = site.read(&format!("{dir}/index.html"));
        for (file, bytes) in &charts {
            let svg = String::from_utf8_lossy(bytes);
            assert!(svg.contains("<title"), "{dir}/{file} has no <title>");
            assert!(svg.contains("<desc"), "{dir}/{file} has no <desc>");
            assert!(
                page.contains(file.as_str()),
                "{dir}: page does not show {file}"
            );
        }
    }
}

#[test]
fn report_page_is_stamped_with_the_quarter() {
    let site = built(&[]);
    for slug in SLUGS {
        let html = site.read(&format!("public/partners/{slug}/index.html"));
        assert!(
            html.contains("Data as of <strong>2026-Q2</strong>"),
            "{slug}"
        );
        assert!(html.contains(&name_of(&site, slug)), "{slug}");
    }
}

#[test]
fn dashboard_program_json_and_its_charts_exist() {
    let site = built(&[]);
    assert!(site.exists("public/reports/index.html"));
    assert!(site.exists("public/reports/program.json"));
    let charts: Vec<(String, Vec<u8>)> = site
        .tree("public/reports")
        .into_iter()
        .filter(|(p, _)| p.ends_with(".svg"))
        .collect();
    assert!(!charts.is_empty(), "the dashboard has no charts");
    for (file, bytes) in charts {
        let svg = String::from_utf8_lossy(&bytes);
        assert!(
            svg.contains("<title") && svg.contains("<desc"),
            "reports/{file}"
        );
    }
}

#[test]
fn directory_lists_every_partner_under_its_tier() {
    let site = built(&[]);
    let html = site.read("public/partners/index.html");
    for slug in SLUGS {
        let tier = tier_of(&site, slug);
        let link = format!("href=\"/partners/{slug}/\"");
        assert!(
            tier_group(&html, tier).contains(&link),
            "{slug} is not listed under tier {tier}"
        );
        for other in (1..=3).filter(|t| *t != tier) {
            assert!(
                !tier_group(&html, other).contains(&link),
                "{slug} is also listed under tier {other}"
            );
        }
    }
}

// ------------------------------------------------------------ JSON and CSV

#[test]
fn report_json_has_exactly_the_keys_of_the_contract() {
    let site = built(&[]);
    for slug in SLUGS {
        let r = report(&site, slug);
        assert_eq!(
            keys(&r),
            set(&["partner", "name", "tier", "quarter", "kpis", "status"]),
            "{slug}"
        );
        assert_eq!(keys(&r["kpis"]), set(PARTNER_KPIS), "{slug}: kpis");
        assert_eq!(keys(&r["status"]), set(PARTNER_STATUS), "{slug}: status");
        assert_eq!(r["partner"], *slug);
        assert_eq!(r["name"], name_of(&site, slug).as_str());
        assert_eq!(r["tier"], tier_of(&site, slug));
        assert_eq!(r["quarter"], "2026-Q2");
        for (key, v) in r["kpis"].as_object().unwrap() {
            assert!(v.is_number() || v.is_null(), "{slug}: {key} = {v}");
        }
        for (key, v) in r["status"].as_object().unwrap() {
            let s = v.as_str().unwrap_or_default();
            assert!(
                ["on_track", "at_risk", "off_track", "no_data"].contains(&s),
                "{slug}: status {key} = {v}"
            );
        }
    }
}

#[test]
fn program_json_has_exactly_the_keys_of_the_contract() {
    let site = built(&[]);
    let p = json(&site, "public/reports/program.json");
    assert_eq!(
        keys(&p),
        set(&[
            "quarter",
            "kpis",
            "status",
            "over_concentrated",
            "partner_of_the_quarter"
        ])
    );
    assert_eq!(keys(&p["kpis"]), set(PROGRAM_KPIS));
    assert_eq!(keys(&p["status"]), set(PROGRAM_STATUS));
    assert_eq!(p["quarter"], "2026-Q2");
    assert!(p["over_concentrated"].is_array(), "{p}");
    assert!(p["partner_of_the_quarter"].is_string(), "{p}");
}

/// The cells of a CSV line, honouring double quotes.
fn csv_cells(line: &str) -> Vec<String> {
    let mut cells = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                cells.last_mut().unwrap().push('"');
            }
            '"' => quoted = !quoted,
            ',' if !quoted => cells.push(String::new()),
            c => cells.last_mut().unwrap().push(c),
        }
    }
    cells
}

#[test]
fn metrics_csv_has_a_header_and_one_row_per_quarter() {
    let site = built(&[]);
    for slug in SLUGS {
        let source = site.read(&format!("data/partners/{slug}.toml"));
        let doc: toml::Table = toml::from_str(&source).unwrap();
        let quarters: Vec<String> = doc["quarters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| q["quarter"].as_str().unwrap().to_string())
            .collect();
        let csv = site.read(&format!("public/partners/{slug}/metrics.csv"));
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), quarters.len() + 1, "{slug}:\n{csv}");
        let header = csv_cells(lines[0]);
        assert_eq!(header[0], "quarter", "{slug}");
        for field in [
            "influenced_revenue",
            "sourced_revenue",
            "deals_total",
            "mdf_spent",
        ] {
            assert!(
                header.iter().any(|h| h == field),
                "{slug}: no {field} column"
            );
        }
        for (line, quarter) in lines[1..].iter().zip(&quarters) {
            let cells = csv_cells(line);
            assert_eq!(cells.len(), header.len(), "{slug}: {line}");
            assert_eq!(&cells[0], quarter, "{slug}");
        }
    }
    // A missing field is an empty cell, never 0.
    let csv = site.read("public/partners/beacon-systems/metrics.csv");
    let header = csv_cells(csv.lines().next().unwrap());
    let row = csv_cells(csv.lines().find(|l| l.starts_with("2026-Q2")).unwrap());
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(row[col("satisfaction")], "", "{csv}");
    assert_eq!(row[col("influenced_revenue")], "540000", "{csv}");
}

// -------------------------------------------------------------- the numbers

#[test]
fn missing_values_show_as_no_data_on_the_report_page() {
    let site = built(&[]);
    let mut nulls = 0;
    for slug in SLUGS {
        let r = report(&site, slug);
        let html = site.read(&format!("public/partners/{slug}/index.html"));
        for (key, v) in r["kpis"].as_object().unwrap() {
            if !v.is_null() {
                continue;
            }
            nulls += 1;
            let cell = value_cell(scorecard_row(&html, key));
            assert!(cell.contains("no data"), "{slug}: {key} shows {cell}");
            assert!(
                !shows_zero_money(cell) && !shows_zero_rate(cell),
                "{slug}: {key} shows {cell}"
            );
        }
    }
    // driftwood (left, no 2026-Q2), beacon (no survey), cobalt (zero
    // denominators, no year-ago quarter) all have nulls.
    assert!(nulls >= 13 + 2 + 5, "only {nulls} null KPIs");
    let beacon = report(&site, "beacon-systems");
    assert!(beacon["kpis"]["satisfaction"].is_null());
    assert!(beacon["kpis"]["joint_csat"].is_null());
    assert_eq!(beacon["status"]["satisfaction"], "no_data");
}

#[test]
fn zero_denominators_give_null_not_zero() {
    let site = built(&[]);
    let r = report(&site, "cobalt-labs");
    for key in [
        "deal_registration_rate",
        "win_rate",
        "certified_staff_share",
        "integration_adoption",
        "mdf_utilization",
        // joined 2025-09-15: no 2025-Q2 to grow from
        "yoy_growth",
        // no certifications table in 2026-Q2
        "certification_hours",
    ] {
        assert!(r["kpis"][key].is_null(), "{key}: {}", r["kpis"][key]);
    }
    assert_eq!(r["status"]["win_rate"], "no_data");
    assert_eq!(r["kpis"]["influenced_revenue"], 95000.0);
}

#[test]
fn a_partner_without_data_shows_no_zero_anywhere_on_its_page() {
    // driftwood has no 2026-Q2 (and no certified_staff); at 2030-Q1 no
    // partner has any data at all.
    let site = built(&[]);
    site.build(&["--quarter", "2030-Q1", "--out", "later"]);
    for (rel, what) in [
        (
            "public/partners/driftwood/index.html",
            "driftwood at 2026-Q2",
        ),
        ("later/partners/alpha-ai/index.html", "alpha-ai at 2030-Q1"),
        (
            "later/partners/ember-works/index.html",
            "ember-works at 2030-Q1",
        ),
    ] {
        let html = site.read(rel);
        let zero = html
            .lines()
            .find(|l| shows_zero_money(l) || shows_zero_rate(l));
        assert!(
            zero.is_none(),
            "{what} shows a zero for missing data: {zero:?}"
        );
    }
}

#[test]
fn partner_who_left_has_no_share_and_lowers_retention() {
    let site = built(&[]);
    let r = report(&site, "driftwood");
    assert!(r["kpis"]["partner_share"].is_null(), "{r}");
    assert_eq!(r["status"]["partner_share"], "no_data");
    // ttm still counts its 2025-Q3 and 2025-Q4.
    assert_eq!(r["kpis"]["ttm_revenue"], 590000.0);
    let p = json(&site, "public/reports/program.json");
    // active at the end of 2025-Q2: alpha, beacon, driftwood, ember; 3 remain.
    assert_eq!(p["kpis"]["retention"], 0.75);
    assert_eq!(p["status"]["retention"], "off_track");
}

#[test]
fn partner_of_the_quarter_tie_goes_to_higher_influenced_revenue() {
    let site = built(&[]);
    let on_track = |slug: &str| {
        report(&site, slug)["status"]
            .as_object()
            .unwrap()
            .values()
            .filter(|s| *s == "on_track")
            .count()
    };
    assert_eq!(on_track("alpha-ai"), on_track("ember-works"));
    for slug in ["beacon-systems", "cobalt-labs", "driftwood"] {
        assert!(on_track(slug) < on_track("alpha-ai"), "{slug}");
    }
    let p = json(&site, "public/reports/program.json");
    // ember-works: $1.95M in 2026-Q2 against alpha-ai's $1.87M.
    assert_eq!(p["partner_of_the_quarter"], "ember-works");
    assert_eq!(
        p["over_concentrated"],
        serde_json::json!(["alpha-ai", "ember-works"])
    );
}

#[test]
fn roi_past_the_end_of_the_target_list_uses_its_last_target() {
    let site = built(&[]);
    let p = json(&site, "public/reports/program.json");
    let roi = p["kpis"]["roi"].as_f64().expect("roi is a number");
    // 2026-Q1 and Q2 of every partner: Σ influenced = $8,425,000,
    // Σ sourced = $2,160,000; investment 2026 = $2,200,000.
    let (influenced, sourced) = (8_425_000.0, 2_160_000.0);
    let expected = (sourced + 0.5 * (influenced - sourced)) / 2_200_000.0;
    assert!((roi - expected).abs() < 1e-9, "{roi} vs {expected}");
    // 2026 is program year 3; roi = [1.5, 2.5], so the target is 2.5 and
    // 2.41 is within 10 % of it.
    assert_eq!(p["status"]["roi"], "at_risk");
}

#[test]
fn quarter_flag_changes_the_quarter_of_every_report() {
    let site = built(&["--quarter", "2025-Q4"]);
    for slug in SLUGS {
        assert_eq!(report(&site, slug)["quarter"], "2025-Q4", "{slug}");
        let html = site.read(&format!("public/partners/{slug}/index.html"));
        assert!(
            html.contains("Data as of <strong>2025-Q4</strong>"),
            "{slug}"
        );
    }
    assert_eq!(
        report(&site, "alpha-ai")["kpis"]["influenced_revenue"],
        1_500_000.0
    );
    // driftwood was still active at the end of 2025-Q4.
    assert!(report(&site, "driftwood")["kpis"]["partner_share"].is_number());
    assert_eq!(
        json(&site, "public/reports/program.json")["quarter"],
        "2025-Q4"
    );
}

#[test]
fn a_quarter_without_any_data_still_builds() {
    let site = built(&["--quarter", "2030-Q1"]);
    for slug in SLUGS {
        let r = report(&site, slug);
        assert_eq!(r["quarter"], "2030-Q1");
        for key in PARTNER_KPIS {
            assert!(r["kpis"][key].is_null(), "{slug}: {key}");
        }
        for key in PARTNER_STATUS {
            assert_eq!(r["status"][key], "no_data", "{slug}: {key}");
        }
        assert!(site.exists(&format!("public/partners/{slug}/index.html")));
    }
    let p = json(&site, "public/reports/program.json");
    assert_eq!(p["quarter"], "2030-Q1");
    assert!(p["kpis"]["influenced_share"].is_null(), "{p}");
    assert!(site.read("public/reports/index.html").contains("no data"));
}

#[test]
fn two_builds_are_byte_identical() {
    let site = built(&[]);
    site.build(&["--out", "second"]);
    assert_same_tree(&site.tree("public"), &site.tree("second"));
}

// ------------------------------------------------------------------ display

// Money in thousands and millions ($1.87M, $540K): tests/snapshots.rs.

#[test]
fn dashboard_shows_the_herfindahl_hirschman_index() {
    let site = built(&[]);
    // HHI = Σ (share in %)² over the partners with a share.
    let hhi: f64 = SLUGS
        .iter()
        .filter_map(|s| report(&site, s)["kpis"]["partner_share"].as_f64())
        .map(|s| (s * 100.0).powi(2))
        .sum();
    let html = site.read("public/reports/index.html");
    let at = html
        .find("Herfindahl")
        .expect("the dashboard names the Herfindahl–Hirschman index");
    let near = &html[at..(at + 200).min(html.len())];
    let shown = [hhi.round(), hhi.floor(), hhi.ceil()]
        .iter()
        .any(|v| near.contains(&format!("{v:.0}")));
    assert!(shown, "HHI {hhi:.1} not shown in {near}");
}

#[test]
fn cobranded_copy_names_the_partner() {
    let site = built(&[]);
    for slug in ["alpha-ai", "ember-works"] {
        let html = site.read(&format!("public/partners/{slug}/joint-pitch/index.html"));
        let name = name_of(&site, slug);
        assert!(
            html.contains(&format!("prepared for <strong>{name}</strong>")),
            "{slug}"
        );
        assert!(!html.contains("{{"), "{slug}: raw Tera left");
        let report = site.read(&format!("public/partners/{slug}/index.html"));
        assert!(
            report.contains(&format!("href=\"/partners/{slug}/joint-pitch/\"")),
            "{slug}: the report does not link its co-branded copy"
        );
    }
    let generic = site.read("public/kits/joint-pitch/index.html");
    assert!(generic.contains("Your company"), "{generic}");
    assert!(!generic.contains("{{"), "{generic}");
    assert!(!generic.contains("Alpha AI</strong>"), "{generic}");
}

// The playbooks a report recommends: tests/snapshots.rs.

// ----------------------------------------------------------------- binary

/// Charts must not depend on fonts installed on the machine (DESIGN.md §6).
#[test]
fn binary_links_no_font_library() {
    let binary = env!("CARGO_BIN_EXE_partnersite");
    let output = match std::process::Command::new("ldd").arg(binary).output() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("note: ldd is not available ({e}); skipping");
            return;
        }
    };
    let libs = String::from_utf8_lossy(&output.stdout).to_lowercase();
    for lib in ["fontconfig", "freetype"] {
        assert!(!libs.contains(lib), "the binary links {lib}:\n{libs}");
    }
}
