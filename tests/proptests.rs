//! Property tests (issue 8): quarter arithmetic, partner shares, KPI
//! statuses and money formatting hold for every input, not only the
//! examples of the unit tests. Then a small fuzz harness: arbitrary text
//! through the parsers that read authors' files (front matter, markdown
//! with `@/` links, partner and program TOML, quarters), which must return
//! a value or problems and never panic. The long fuzzing runs use
//! cargo-fuzz (fuzz/README.md); this keeps a quick version of them in
//! `cargo test`.

use partnersite::content::front_matter;
use partnersite::data::partner::{Brand, Partner, QuarterData};
use partnersite::data::program::{Program, Targets};
use partnersite::data::{Data, Problems};
use partnersite::diagnostic::Diagnostic;
use partnersite::highlight::Highlighter;
use partnersite::metrics::{self, Better, Status, status};
use partnersite::values::number::money_exact;
use partnersite::values::{Quarter, Tier};
use proptest::prelude::*;
use time::{Date, Month};

// ------------------------------------------------------------- quarters

/// Any quarter from 0001-Q1 to 9999-Q4.
fn quarter() -> impl Strategy<Value = Quarter> {
    (1..=9999i32, 1..=4u8).prop_map(|(y, q)| Quarter::new(y, q).expect("in range"))
}

/// The quarter's index from 0001-Q1, to keep arithmetic inside 1–9999.
fn index(q: Quarter) -> i64 {
    (q.year() as i64 - 1) * 4 + q.number() as i64 - 1
}

proptest! {
    #[test]
    fn plus_and_minus_are_inverse(q in quarter(), n in 0..40_000u32) {
        prop_assert_eq!(q.plus(n).minus(n), q);
        prop_assert_eq!(q.minus(n).plus(n), q);
        prop_assert_eq!(index(q.plus(n)), index(q) + n as i64);
    }

    #[test]
    fn minus_4_is_the_same_quarter_a_year_earlier(q in quarter()) {
        let earlier = q.minus(4);
        prop_assert_eq!((earlier.year(), earlier.number()), (q.year() - 1, q.number()));
        prop_assert!(earlier < q);
    }

    #[test]
    fn ttm_is_the_four_quarters_ending_at_q(q in quarter()) {
        let ttm = q.ttm();
        prop_assert_eq!(ttm[3], q);
        for pair in ttm.windows(2) {
            prop_assert_eq!(pair[0].plus(1), pair[1]);
        }
    }

    #[test]
    fn end_date_is_the_last_day_of_the_quarter(q in quarter()) {
        let end = q.end_date();
        prop_assert_eq!(Quarter::of_date(end), q);
        prop_assert_eq!(u8::from(end.month()), q.number() * 3);
        prop_assert!(q.start_date() < end);
        match end.next_day() {
            // The next day starts the next quarter.
            Some(next) if index(q) + 1 < 4 * 9999 => {
                prop_assert_eq!(next, q.plus(1).start_date());
                prop_assert_eq!(Quarter::of_date(next), q.plus(1));
            }
            Some(_) => {}
            None => prop_assert_eq!(end, Date::from_calendar_date(9999, Month::December, 31).unwrap()),
        }
    }

    #[test]
    fn quarters_print_and_parse_back(q in quarter()) {
        prop_assert_eq!(q.to_string().parse::<Quarter>(), Ok(q));
    }
}

// ------------------------------------------------------ partner shares

/// One partner: joined, maybe left, and influenced revenue (or none) in
/// some of the quarters around the report quarter 2026-Q2.
fn partner(i: usize) -> impl Strategy<Value = Partner> {
    let revenue = prop_oneof![
        2 => Just(None),
        1 => Just(Some(0.0)),
        6 => (0.0..5e7f64).prop_map(Some),
    ];
    (
        0..1500i32,
        prop::option::of(1..1500i32),
        prop::collection::vec((0..12u32, revenue), 0..8),
    )
        .prop_map(move |(joined, left, quarters)| {
            let start = Date::from_calendar_date(2023, Month::January, 1).unwrap();
            let joined = start + time::Duration::days(joined.into());
            let left = left.map(|d| joined + time::Duration::days(d.into()));
            let mut data: Vec<QuarterData> = Vec::new();
            for (back, influenced) in quarters {
                let quarter = Quarter::new(2026, 2).unwrap().minus(back);
                if data.iter().all(|d| d.quarter != quarter) {
                    data.push(quarter_data(quarter, influenced));
                }
            }
            data.sort_by_key(|d| d.quarter);
            Partner {
                slug: format!("p{i}"),
                name: format!("Partner {i}"),
                tier: Tier::ALL[0],
                segment: String::new(),
                joined,
                left,
                phase: None,
                phase_started: None,
                website: None,
                public: false,
                brand: Brand::default(),
                quarters: data,
                actions: Vec::new(),
            }
        })
}

fn quarter_data(quarter: Quarter, influenced_revenue: Option<f64>) -> QuarterData {
    QuarterData {
        quarter,
        influenced_revenue,
        sourced_revenue: None,
        deals_total: None,
        deals_registered: None,
        competitive_deals: None,
        competitive_wins: None,
        staff: None,
        certified_staff: None,
        certifications: None,
        satisfaction: None,
        recommend: None,
        joint_csat: None,
        customers: None,
        customers_with_integration: None,
        leads: None,
        mdf_approved: None,
        mdf_spent: None,
        comment: None,
    }
}

fn program() -> Program {
    Program {
        name: "P".into(),
        report_quarter: None,
        as_of: None,
        influenced_attribution: 0.5,
        targets: Targets {
            max_partner_share: Some(0.2),
            ..Targets::default()
        },
        company: Vec::new(),
        investment: Default::default(),
        tiers: Default::default(),
    }
}

fn partners() -> impl Strategy<Value = Vec<Partner>> {
    (0..12usize).prop_flat_map(|n| (0..n).map(partner).collect::<Vec<_>>())
}

proptest! {
    #[test]
    fn shares_of_active_partners_sum_to_1(partners in partners(), back in 0..6u32) {
        let q = Quarter::new(2026, 2).unwrap().minus(back);
        let data = Data { program: Some(program()), partners };
        let reports = metrics::compute(&data, data.program.as_ref().unwrap(), q);
        let shares: Vec<f64> = reports
            .partners
            .iter()
            .filter(|r| r.active)
            .filter_map(|r| r.kpis.get(metrics::Kpi::PartnerShare))
            .collect();
        if !shares.is_empty() {
            let sum: f64 = shares.iter().sum();
            prop_assert!((sum - 1.0).abs() < 1e-9, "shares {:?} sum to {}", shares, sum);
            prop_assert!(shares.iter().all(|s| (0.0..=1.0 + 1e-12).contains(s)));
        }
        // A partner who is not active has no share.
        for r in reports.partners.iter().filter(|r| !r.active) {
            prop_assert_eq!(r.kpis.get(metrics::Kpi::PartnerShare), None);
        }
    }
}

// ------------------------------------------------------------- statuses

/// How good a status is: lower is better; `NoData` is not ranked.
fn rank(s: Status) -> u8 {
    match s {
        Status::OnTrack => 0,
        Status::AtRisk => 1,
        Status::OffTrack => 2,
        Status::NoData => panic!("a value and a target give a status"),
    }
}

proptest! {
    #[test]
    fn higher_is_better_never_worsens_with_a_higher_value(
        a in -1e7..1e7f64, b in -1e7..1e7f64, target in 0.0..1e7f64,
    ) {
        let (low, high) = if a <= b { (a, b) } else { (b, a) };
        let s = |v| rank(status(Some(v), Some(target), Better::Higher));
        prop_assert!(s(high) <= s(low), "{} at {}, {} at {}", s(low), low, s(high), high);
    }

    #[test]
    fn lower_is_better_never_worsens_with_a_lower_value(
        a in -1e7..1e7f64, b in -1e7..1e7f64, target in 0.0..1e7f64,
    ) {
        let (low, high) = if a <= b { (a, b) } else { (b, a) };
        let s = |v| rank(status(Some(v), Some(target), Better::Lower));
        prop_assert!(s(low) <= s(high));
    }

    #[test]
    fn a_missing_value_or_target_is_no_data(v in prop::option::of(-1e7..1e7f64), t in prop::option::of(0.0..1e7f64)) {
        prop_assume!(v.is_none() || t.is_none());
        prop_assert_eq!(status(v, t, Better::Higher), Status::NoData);
        prop_assert_eq!(status(v, t, Better::Lower), Status::NoData);
    }
}

// ---------------------------------------------------------------- money

/// Reads `$1,234.50` or `−$20` back.
fn parse_money(s: &str) -> f64 {
    let (sign, rest) = match s.strip_prefix('−') {
        Some(rest) => (-1.0, rest),
        None => (1.0, s),
    };
    let digits = rest
        .strip_prefix('$')
        .expect("starts with $")
        .replace(',', "");
    sign * digits.parse::<f64>().expect("a number")
}

proptest! {
    #[test]
    fn money_exact_round_trips_to_the_cent(cents in -100_000_000_000_000i64..100_000_000_000_000) {
        let v = cents as f64 / 100.0;
        let shown = money_exact(v);
        prop_assert_eq!((parse_money(&shown) * 100.0).round() as i64, cents, "{}", shown);
    }

    #[test]
    fn money_exact_of_any_amount_is_within_half_a_cent(v in -1e12..1e12f64) {
        let shown = money_exact(v);
        // Half a cent, plus the float error of reading the digits back.
        let tolerance = 0.005 + v.abs() * 1e-15;
        prop_assert!((parse_money(&shown) - v).abs() <= tolerance, "{} for {}", shown, v);
        // Groups of three digits, and a zero is never negative.
        let whole = shown.trim_start_matches('−').trim_start_matches('$');
        let whole = whole.split('.').next().unwrap();
        prop_assert!(whole.split(',').skip(1).all(|g| g.len() == 3), "{}", shown);
        prop_assert!(whole.split(',').next().is_some_and(|g| (1..=3).contains(&g.len())), "{}", shown);
        prop_assert!(shown != "−$0", "{} for {}", shown, v);
    }
}

// ------------------------------------------------------- fuzz harness

/// Text that looks a little like the files authors write: lines of keys,
/// values, fences and markup, with arbitrary text mixed in.
fn texty(pieces: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![3 => prop::sample::select(pieces).prop_map(str::to_string), 1 => ".{0,12}"],
        0..40,
    )
    .prop_map(|parts| parts.concat())
}

const FRONT_MATTER: &[&str] = &[
    "+++\n",
    "---\n",
    "title = \"T\"\n",
    "title: T\n",
    "date = 2026-05-01\n",
    "date: 2026-02-30\n",
    "slug = \"a-b\"\n",
    "tags = [\"x\", \"\"]\n",
    "tiers = [1, 4]\n",
    "[extra]\n",
    "extra:\n  a: [1, {b: 2}]\n",
    "review_by = \"2026-01-01T10:00:00Z\"\n",
    "updated = 1979-05-27T07:32:00-08:00\n",
    "track: ops\n",
    "audience = \"public\"\n",
    "\u{feff}",
    "\r\n",
    "+++",
    "---",
    " ",
    "\n",
    "é",
    "\"",
    "'",
    "[",
    "{",
    "=",
    ":",
];

const MARKDOWN: &[&str] = &[
    "[x](@/sales/x.md)",
    "[y](@/internal/y.md#a)",
    "[z](@/nope.md)",
    "![i](@/sales/x.md)",
    "# H {#id}\n",
    "## Same\n",
    "```rust\nfn x() {}\n```\n",
    "```\n",
    "> ",
    "- ",
    "1. ",
    "| a | b |\n|---|---|\n",
    "[^1]\n\n[^1]: n\n",
    "<div>",
    "</div>",
    "&amp;",
    "`",
    "*",
    "_",
    "~~",
    "\n",
    "\n\n",
    "    code\n",
    "[",
    "]",
    "(",
    ")",
    "@/",
];

const PARTNER: &[&str] = &[
    "name = \"A\"\n",
    "tier = 1\n",
    "tier = 4\n",
    "joined = 2024-01-01\n",
    "left = 2023-01-01\n",
    "phase = \"pilot\"\n",
    "website = \"https://x\"\n",
    "[brand]\nlogo = \"logos/a.svg\"\nprimary = \"#abc\"\n",
    "[[quarters]]\nquarter = \"2026-Q2\"\n",
    "quarter = \"9999-Q4\"\n",
    "influenced_revenue = 1e308\n",
    "sourced_revenue = -1\n",
    "joint_csat = 92\n",
    "satisfaction = nan\n",
    "deals_total = 3\n",
    "deals_registered = 9\n",
    "certifications = { technical = -1 }\n",
    "[[actions]]\ntitle = \"x\"\ndue = \"soon\"\n",
    "comment = \"<b>\"\n",
    "\n",
    "=",
    "\"",
    "[",
    "]",
    "{",
    "}",
];

const PROGRAM: &[&str] = &[
    "name = \"P\"\n",
    "report_quarter = \"2026-Q2\"\n",
    "as_of = 2026-06-30\n",
    "influenced_attribution = 2\n",
    "[targets]\n",
    "roi = [1.0, -2]\n",
    "influenced_share = 40\n",
    "satisfaction = 11\n",
    "[[company]]\nquarter = \"2026-Q2\"\nrevenue = 1\n",
    "[[investment]]\nyear = 0\n",
    "marketing = -1\n",
    "[tiers.1]\nmin_ttm_revenue = 1\n",
    "[tiers.9]\n",
    "min_certified_staff = -3\n",
    "\n",
    "=",
    "\"",
    "[",
    "]",
];

fn highlighter() -> &'static Highlighter {
    static H: std::sync::OnceLock<Highlighter> = std::sync::OnceLock::new();
    H.get_or_init(Highlighter::new)
}

/// Every diagnostic prints (spans inside the text, excerpts on char boundaries).
fn print_all(list: &[Diagnostic]) {
    for d in list {
        let _ = d.to_string();
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn front_matter_never_panics(source in prop_oneof![texty(FRONT_MATTER), any::<String>()]) {
        let problems = match front_matter::split(&source) {
            Err(p) => vec![p],
            Ok(split) => {
                prop_assert_eq!(&source[split.body_offset..], split.body);
                front_matter::parse(&split).err().unwrap_or_default()
            }
        };
        let located: Vec<Diagnostic> = problems
            .into_iter()
            .map(|p| Diagnostic::at(p.code, "content/x.md", &source, p.span, p.message))
            .collect();
        print_all(&located);
    }

    #[test]
    fn markdown_never_panics(body in prop_oneof![texty(MARKDOWN), any::<String>()]) {
        let resolve = |p: &str| match p {
            "sales/x.md" => Ok(Some("/sales/x/".to_string())),
            "internal/y.md" => Ok(None),
            other => Err(format!("no page `content/{other}`")),
        };
        let (rendered, problems) = partnersite::markdown::render(&body, &resolve, highlighter());
        let unique: std::collections::HashSet<&String> = rendered.anchors.iter().collect();
        prop_assert_eq!(unique.len(), rendered.anchors.len());
        for p in problems {
            prop_assert!(p.span.end <= body.len());
            print_all(&[Diagnostic::at(p.code, "content/x.md", &body, p.span, p.message)]);
        }
    }

    #[test]
    fn partner_files_never_panic(source in prop_oneof![texty(PARTNER), any::<String>()]) {
        let mut problems = Problems::new("data/partners/x.toml", &source);
        let partner = partnersite::data::partner::parse("x", &source, &|l| if l == "logos/a.svg" { Ok(()) } else { Err("not found".into()) }, &mut problems);
        if problems.list.is_empty() {
            let p = partner.expect("no problems, so a partner");
            prop_assert!(p.quarters.windows(2).all(|w| w[0].quarter < w[1].quarter));
        }
        print_all(&problems.list);
    }

    #[test]
    fn program_files_never_panic(source in prop_oneof![texty(PROGRAM), any::<String>()]) {
        let mut problems = Problems::new("data/program.toml", &source);
        let program = partnersite::data::program::parse(&source, &mut problems);
        prop_assert!(program.is_some() || !problems.list.is_empty());
        print_all(&problems.list);
    }

    #[test]
    fn quarters_parse_or_explain(text in prop_oneof!["[0-9]{4}-Q[0-9]", "[0-9+-]{0,6}-?Q?[0-9]{0,2}", any::<String>()]) {
        match text.parse::<Quarter>() {
            Ok(q) => {
                prop_assert_eq!(q.to_string(), text);
                let _ = (q.end_date(), q.start_date(), q.ttm(), q.minus(4).end_date());
            }
            Err(e) => prop_assert!(e.to_string().contains("write it as YYYY-Qn")),
        }
    }
}

proptest! {
    #[test]
    fn any_span_of_any_text_can_be_located(source in any::<String>(), a in 0..400usize, b in 0..400usize) {
        let d = Diagnostic::at(partnersite::diagnostic::Code::BadDate, "f", &source, a.min(b)..a.max(b), "m");
        let line = d.line.expect("located");
        prop_assert!(line >= 1 && line <= source.matches('\n').count() + 1);
        let _ = d.to_string();
    }

    #[test]
    fn any_bytes_that_are_not_utf8_are_located(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        if let Err(e) = std::str::from_utf8(&bytes) {
            let d = partnersite::source::invalid_utf8(std::path::Path::new("f"), &bytes, e);
            prop_assert!(d.message.contains("not valid UTF-8"));
            let _ = d.to_string();
        }
    }
}

// ------------------------------------------------ regressions, by example

#[test]
fn less_than_half_a_cent_below_zero_is_not_negative() {
    assert_eq!(money_exact(-0.001), "$0");
    assert_eq!(partnersite::values::number::money(-0.001), "$0");
    assert_eq!(money_exact(-0.005), "−$0.01");
}

#[test]
fn the_last_quarter_of_year_9999_has_an_end_date() {
    let q: Quarter = "9999-Q4".parse().unwrap();
    assert_eq!(
        q.end_date(),
        Date::from_calendar_date(9999, Month::December, 31).unwrap()
    );
}
