//! Each formula of DESIGN.md §4 against hand-computed values.

use std::collections::BTreeMap;

use super::*;
use crate::data::partner::{Brand, Certifications};
use crate::data::program::{CompanyQuarter, Targets};
use crate::data::{Partner, QuarterData};
use crate::values::Tier;

fn q(s: &str) -> Quarter {
    s.parse().unwrap()
}

fn date(s: &str) -> Date {
    crate::values::date::parse_date(s).unwrap()
}

fn quarter(qs: &str, influenced: f64, sourced: f64) -> QuarterData {
    QuarterData {
        quarter: q(qs),
        influenced_revenue: Some(influenced),
        sourced_revenue: Some(sourced),
        deals_total: Some(30),
        deals_registered: Some(17),
        competitive_deals: Some(10),
        competitive_wins: Some(6),
        staff: Some(25),
        certified_staff: Some(21),
        certifications: Some(Certifications {
            technical: Some(6),
            sales: Some(9),
            marketing: Some(6),
        }),
        satisfaction: Some(8.9),
        recommend: Some(9.0),
        joint_csat: Some(0.93),
        customers: Some(40),
        customers_with_integration: Some(27),
        leads: Some(120),
        mdf_approved: Some(40000.0),
        mdf_spent: Some(31000.0),
        comment: None,
    }
}

fn partner(slug: &str, tier: i64, joined: &str, quarters: Vec<QuarterData>) -> Partner {
    Partner {
        slug: slug.into(),
        name: slug.to_uppercase(),
        tier: Tier::new(tier).unwrap(),
        segment: String::new(),
        joined: date(joined),
        left: None,
        phase: None,
        phase_started: None,
        website: None,
        public: false,
        brand: Brand::default(),
        quarters,
        actions: Vec::new(),
    }
}

fn program() -> Program {
    Program {
        name: "P".into(),
        report_quarter: None,
        as_of: None,
        influenced_attribution: 0.5,
        targets: Targets {
            influenced_share: Some(0.40),
            sourced_share: Some(0.25),
            strategic_partner_revenue: Some(500000.0),
            yoy_growth: Some(0.5),
            satisfaction: Some(8.5),
            retention: Some(0.95),
            deal_registration_rate: Some(0.5),
            certified_staff_share: Some(0.8),
            joint_csat: Some(0.9),
            integration_adoption: Some(0.6),
            win_rate: Some(0.6),
            lead_share: Some(0.15),
            max_partner_share: Some(0.2),
            roi: vec![3.0, 5.0, 8.0, 10.0],
        },
        company: vec![CompanyQuarter {
            quarter: q("2026-Q2"),
            revenue: Some(2400000.0),
            leads: Some(900.0),
        }],
        investment: [(2026, 500000.0)].into_iter().collect(),
        tiers: Default::default(),
    }
}

fn kpi(k: &Kpis, key: &str) -> Option<f64> {
    k.get(Kpi::from_key(key).expect("a KPI key"))
}

fn program_kpi(r: &ProgramReport, k: ProgramKpi) -> Option<f64> {
    r.kpis.get(k)
}

fn close(a: Option<f64>, b: f64) {
    let a = a.expect("a value, not no data");
    assert!((a - b).abs() <= 1e-9 * b.abs().max(1.0), "{a} != {b}");
}

#[test]
fn design_example_quarter() {
    let p = partner(
        "a",
        1,
        "2024-03-01",
        vec![
            quarter("2025-Q2", 200000.0, 50000.0),
            quarter("2026-Q2", 410000.0, 150000.0),
        ],
    );
    let k = partner_kpis(&p, q("2026-Q2"), Some(820000.0));
    close(kpi(&k, "influenced_revenue"), 410000.0);
    close(kpi(&k, "sourced_revenue"), 150000.0);
    close(kpi(&k, "ttm_revenue"), 410000.0);
    close(kpi(&k, "yoy_growth"), 410000.0 / 200000.0 - 1.0);
    close(kpi(&k, "deal_registration_rate"), 17.0 / 30.0);
    close(kpi(&k, "win_rate"), 0.6);
    close(kpi(&k, "certified_staff_share"), 21.0 / 25.0);
    close(
        kpi(&k, "certification_hours"),
        40.0 * 6.0 + 24.0 * 9.0 + 16.0 * 6.0,
    );
    close(kpi(&k, "satisfaction"), 8.9);
    close(kpi(&k, "joint_csat"), 0.93);
    close(kpi(&k, "integration_adoption"), 27.0 / 40.0);
    close(kpi(&k, "mdf_utilization"), 31000.0 / 40000.0);
    close(kpi(&k, "partner_share"), 0.5);
    assert_eq!(k.iter().count(), Kpi::ALL.len());
}

#[test]
fn ttm_sums_the_quarters_present() {
    let p = partner(
        "a",
        1,
        "2024-01-01",
        vec![
            quarter("2025-Q2", 1.0, 0.0),
            quarter("2025-Q3", 10.0, 0.0),
            quarter("2026-Q1", 100.0, 0.0),
            quarter("2026-Q2", 1000.0, 0.0),
        ],
    );
    assert_eq!(ttm_revenue(&p, q("2026-Q2")), Some(1110.0));
    assert_eq!(ttm_revenue(&p, q("2027-Q3")), None);
}

#[test]
fn yoy_growth_is_null_without_last_year() {
    let young = partner(
        "y",
        3,
        "2026-01-10",
        vec![quarter("2026-Q1", 10.0, 1.0), quarter("2026-Q2", 20.0, 2.0)],
    );
    let k = partner_kpis(&young, q("2026-Q2"), Some(30.0));
    assert_eq!(kpi(&k, "yoy_growth"), None);
    close(kpi(&k, "ttm_revenue"), 30.0);
}

#[test]
fn zero_denominators_are_null_not_zero() {
    let mut d = quarter("2026-Q2", 0.0, 0.0);
    d.deals_total = Some(0);
    d.deals_registered = Some(0);
    d.staff = Some(0);
    d.certified_staff = Some(0);
    let mut last_year = quarter("2025-Q2", 0.0, 0.0);
    last_year.influenced_revenue = Some(0.0);
    let p = partner("z", 2, "2024-01-01", vec![last_year, d]);
    let k = partner_kpis(&p, q("2026-Q2"), Some(0.0));
    assert_eq!(kpi(&k, "deal_registration_rate"), None);
    assert_eq!(kpi(&k, "certified_staff_share"), None);
    assert_eq!(kpi(&k, "yoy_growth"), None);
    assert_eq!(kpi(&k, "partner_share"), None);
}

#[test]
fn missing_survey_fields_are_null() {
    let mut d = quarter("2026-Q2", 10.0, 1.0);
    d.satisfaction = None;
    d.joint_csat = None;
    d.recommend = None;
    d.certifications = None;
    let p = partner("m", 2, "2024-01-01", vec![d]);
    let k = partner_kpis(&p, q("2026-Q2"), Some(10.0));
    assert_eq!(kpi(&k, "satisfaction"), None);
    assert_eq!(kpi(&k, "joint_csat"), None);
    assert_eq!(kpi(&k, "certification_hours"), None);
    let st = partner_status(&program(), &k);
    assert_eq!(st.get(Kpi::Satisfaction), Some(Status::NoData));
    assert_eq!(st.present().count(), 8);
}

#[test]
fn missing_track_counts_zero_hours() {
    let mut d = quarter("2026-Q2", 10.0, 1.0);
    d.certifications = Some(Certifications {
        technical: Some(2),
        sales: None,
        marketing: None,
    });
    assert_eq!(certification_hours(&d), Some(80.0));
}

#[test]
fn partner_who_left_has_no_share_and_is_not_retained() {
    let mut gone = partner(
        "gone",
        2,
        "2024-01-01",
        vec![
            quarter("2025-Q2", 100.0, 10.0),
            quarter("2025-Q4", 100.0, 10.0),
        ],
    );
    gone.left = Some(date("2026-02-01"));
    let stay = partner(
        "stay",
        1,
        "2024-01-01",
        vec![
            quarter("2025-Q2", 300.0, 30.0),
            quarter("2026-Q2", 300.0, 30.0),
        ],
    );
    let data = Data {
        program: Some(program()),
        partners: vec![gone.clone(), stay],
    };
    let r = compute(&data, &program(), q("2026-Q2"));
    // The leaver's TTM (100, 2025-Q4) does not count in the active total.
    close(kpi(&r.partners[1].kpis, "partner_share"), 1.0);
    assert_eq!(kpi(&r.partners[0].kpis, "partner_share"), None);
    close(program_kpi(&r.program, ProgramKpi::Retention), 0.5);
    assert!(!r.partners[0].active);
    assert!(gone.active_at(date("2026-01-31")));
    assert!(!gone.active_at(date("2026-02-01")));
}

#[test]
fn partner_younger_than_a_year_is_not_in_the_retention_base() {
    let old = partner("old", 1, "2024-01-01", vec![quarter("2026-Q2", 10.0, 1.0)]);
    let young = partner(
        "young",
        3,
        "2026-03-01",
        vec![quarter("2026-Q2", 10.0, 1.0)],
    );
    let data = Data {
        program: Some(program()),
        partners: vec![old, young],
    };
    let r = compute(&data, &program(), q("2026-Q2"));
    close(program_kpi(&r.program, ProgramKpi::Retention), 1.0);
}

#[test]
fn program_shares_nps_and_strategic_revenue() {
    let mut a = quarter("2026-Q2", 600000.0, 200000.0);
    a.recommend = Some(10.0);
    a.leads = Some(90);
    let mut b = quarter("2026-Q2", 300000.0, 100000.0);
    b.recommend = Some(6.0);
    b.leads = Some(45);
    let mut c = quarter("2026-Q2", 100000.0, 50000.0);
    c.recommend = Some(8.0);
    c.leads = Some(0);
    let data = Data {
        program: Some(program()),
        partners: vec![
            partner("a", 1, "2024-01-01", vec![a]),
            partner("b", 1, "2024-01-01", vec![b]),
            partner("c", 2, "2024-01-01", vec![c]),
        ],
    };
    let r = compute(&data, &program(), q("2026-Q2"));
    let k = |kpi| program_kpi(&r.program, kpi);
    close(k(ProgramKpi::InfluencedShare), 1000000.0 / 2400000.0);
    close(k(ProgramKpi::SourcedShare), 350000.0 / 2400000.0);
    close(k(ProgramKpi::LeadShare), 135.0 / 900.0);
    close(k(ProgramKpi::StrategicPartnerRevenue), 450000.0);
    close(k(ProgramKpi::Nps), 0.0); // one promoter, one passive, one detractor
    assert_eq!(
        r.program.nps_split,
        NpsSplit {
            promoters: 1,
            passives: 1,
            detractors: 1
        }
    );
    // ROI: (350000 + 0.5 × 650000) / 500000
    close(k(ProgramKpi::Roi), 675000.0 / 500000.0);
    assert_eq!(r.program.targets.get(ProgramKpi::Roi), Some(3.0));
    // shares 0.6, 0.3, 0.1: HHI 3600 + 900 + 100
    close(r.program.hhi, 4600.0);
    assert_eq!(r.program.over_concentrated, vec!["a", "b"]);
    assert_eq!(
        r.program.status.get(ProgramKpi::InfluencedShare),
        Some(Status::OnTrack)
    );
    assert_eq!(r.program.status.get(ProgramKpi::Nps), None);
}

#[test]
fn roi_target_past_the_end_of_the_list_is_the_last() {
    let mut p = program();
    p.investment = [(2020, 1.0), (2026, 1.0)].into_iter().collect();
    assert_eq!(roi_target_for(&p, 2020), Some(3.0));
    assert_eq!(roi_target_for(&p, 2021), Some(5.0));
    assert_eq!(roi_target_for(&p, 2023), Some(10.0));
    assert_eq!(roi_target_for(&p, 2026), Some(10.0));
    assert_eq!(roi_target_for(&p, 2019), None);
}

fn roi_target_for(p: &Program, year: i32) -> Option<f64> {
    roi_target(p, year)
}

#[test]
fn roi_counts_the_year_to_date_only() {
    let data = Data {
        program: Some(program()),
        partners: vec![partner(
            "a",
            1,
            "2024-01-01",
            vec![
                quarter("2025-Q4", 1e9, 1e9),
                quarter("2026-Q1", 100.0, 40.0),
                quarter("2026-Q2", 100.0, 40.0),
                quarter("2026-Q3", 1e9, 1e9),
            ],
        )],
    };
    let r = roi(&data, &program(), q("2026-Q2"));
    close(r, (80.0 + 0.5 * 120.0) / 500000.0);
}

#[test]
fn ties_for_partner_of_the_quarter_go_to_revenue_then_slug() {
    let r = |slug: &str, on_track, influenced: Option<f64>, active| {
        let p = partner(slug, 2, "2024-01-01", Vec::new());
        let mut report = PartnerReport::new(
            &p,
            &program(),
            q("2026-Q2"),
            date("2026-06-30"),
            (None, None),
        );
        report.kpis.set(Kpi::InfluencedRevenue, influenced);
        report.on_track = on_track;
        report.active = active;
        report
    };
    let first = |list: &[PartnerReport]| ranking(list).first().cloned();
    let list = [
        r("b", 3, Some(10.0), true),
        r("a", 3, Some(10.0), true),
        r("c", 3, Some(20.0), true),
        r("z", 9, Some(99.0), false),
    ];
    assert_eq!(first(&list).as_deref(), Some("c"));
    assert_eq!(ranking(&list), vec!["c", "a", "b"]);
    let list = [r("b", 3, Some(10.0), true), r("a", 3, Some(10.0), true)];
    assert_eq!(first(&list).as_deref(), Some("a"));
    let list = [
        r("b", 3, None, true),
        r("c", 2, Some(50.0), true),
        r("d", 3, Some(1.0), true),
    ];
    assert_eq!(first(&list).as_deref(), Some("d"));
    assert_eq!(first(&[]), None);
}

#[test]
fn the_next_tier_shows_each_criterion_and_no_data_as_none() {
    let mut p = partner(
        "a",
        2,
        "2024-01-01",
        vec![quarter("2026-Q2", 100000.0, 10000.0)],
    );
    let mut prog = program();
    prog.tiers.insert(
        Tier::ALL[0],
        crate::data::program::TierRule {
            min_ttm_revenue: 500000.0,
            min_certified_staff: 20,
        },
    );
    let t = tier_progress_of(&p, &prog).expect("tier 1 has a rule");
    assert_eq!(t.tier, Tier::ALL[0]);
    assert_eq!(t.criteria[0].progress, Some(20));
    assert!(!t.criteria[0].met);
    assert!(t.criteria[1].met, "21 certified of 20 needed");
    p.quarters[0].certified_staff = None;
    let t = tier_progress_of(&p, &prog).unwrap();
    assert_eq!(
        (t.criteria[1].current, t.criteria[1].progress),
        (None, None)
    );
    p.tier = Tier::ALL[0];
    assert_eq!(tier_progress_of(&p, &prog), None, "tier 1 is the top");
}

fn tier_progress_of(p: &Partner, prog: &Program) -> Option<TierProgress> {
    PartnerReport::new(p, prog, q("2026-Q2"), date("2026-06-30"), (None, None)).tier_progress
}

#[test]
fn phases_and_actions_are_overdue_past_their_limits() {
    use crate::data::partner::{Action, Phase};
    let mut p = partner("a", 2, "2024-01-01", Vec::new());
    p.phase = Some(Phase::Pilot);
    p.phase_started = Some(date("2026-04-01"));
    p.actions = vec![
        Action {
            title: "late".into(),
            owner: String::new(),
            due: Some(date("2026-06-01")),
            done: false,
        },
        Action {
            title: "done".into(),
            owner: String::new(),
            due: Some(date("2026-06-01")),
            done: true,
        },
        Action {
            title: "soon".into(),
            owner: String::new(),
            due: Some(date("2026-07-15")),
            done: false,
        },
    ];
    let r = PartnerReport::new(
        &p,
        &program(),
        q("2026-Q2"),
        date("2026-06-30"),
        (None, None),
    );
    let clock = r.phase.unwrap();
    assert_eq!(
        (clock.days, clock.limit, clock.overdue),
        (90, Some(60), true)
    );
    assert_eq!(r.overdue_actions, vec![true, false, false]);
    assert_eq!(r.overdue_count(), 1);
}

#[test]
fn revenue_by_tier_sums_each_tier_per_quarter() {
    let data = Data {
        program: Some(program()),
        partners: vec![
            partner(
                "a",
                1,
                "2024-01-01",
                vec![quarter("2026-Q1", 10.0, 1.0), quarter("2026-Q2", 20.0, 1.0)],
            ),
            partner("b", 1, "2024-01-01", vec![quarter("2026-Q2", 5.0, 1.0)]),
            partner("c", 3, "2024-01-01", vec![quarter("2026-Q2", 7.0, 1.0)]),
        ],
    };
    let r = compute(&data, &program(), q("2026-Q2"));
    assert_eq!(r.program.chart_quarters, vec![q("2026-Q1"), q("2026-Q2")]);
    let by_tier: BTreeMap<u8, Vec<Option<f64>>> = r
        .program
        .revenue_by_tier
        .iter()
        .map(|(t, v)| (t.number(), v.clone()))
        .collect();
    assert_eq!(by_tier[&1], vec![Some(10.0), Some(25.0)]);
    assert_eq!(by_tier[&2], vec![None, None]);
    assert_eq!(by_tier[&3], vec![None, Some(7.0)]);
}

#[test]
fn status_of_partner_share_is_lower_is_better() {
    let mut k = Kpis::default();
    k.set(Kpi::PartnerShare, Some(0.21));
    assert_eq!(
        partner_status(&program(), &k).get(Kpi::PartnerShare),
        Some(Status::AtRisk)
    );
}

#[test]
fn earlier_reports_stand_at_each_earlier_quarter_with_data() {
    use crate::data::partner::Phase;
    let mut a = partner(
        "a",
        2,
        "2024-01-01",
        vec![
            quarter("2025-Q4", 100.0, 10.0),
            quarter("2026-Q1", 200.0, 20.0),
            quarter("2026-Q2", 300.0, 30.0),
            quarter("2026-Q3", 400.0, 40.0),
        ],
    );
    a.phase = Some(Phase::Launch);
    a.phase_started = Some(date("2026-02-15"));
    let b = partner("b", 1, "2024-01-01", vec![quarter("2026-Q1", 200.0, 0.0)]);
    let data = Data {
        program: Some(program()),
        partners: vec![a, b],
    };
    // The report quarter is 2026-Q2: 2026-Q3 is later, not earlier.
    let r = compute(&data, &program(), q("2026-Q2"));
    let earlier: Vec<Quarter> = r.partners[0].earlier.iter().map(|e| e.quarter).collect();
    assert_eq!(earlier, [q("2026-Q1"), q("2025-Q4")]);
    let q1 = &r.partners[0].earlier[0];
    assert_eq!(q1.as_of, date("2026-03-31"));
    close(kpi(&q1.report.kpis, "influenced_revenue"), 200.0);
    // Shares at that quarter, among the partners active then: 300 / 500.
    close(kpi(&q1.report.kpis, "partner_share"), 300.0 / 500.0);
    assert_eq!(q1.report.phase.map(|c| c.days), Some(44));
    // Before the phase started, the file says nothing of the phase.
    assert_eq!(r.partners[0].earlier[1].report.phase, None);
    assert!(q1.report.earlier.is_empty());
    // A partner's own view hides internal-only KPIs in every quarter.
    let own = r.partners[0].for_partner_view();
    assert!(!own.earlier[0].report.kpis.shows(Kpi::PartnerShare));
    assert!(!own.previous_status.shows(Kpi::PartnerShare));
}

#[test]
fn status_changes_compare_the_quarter_with_the_one_before() {
    let mut before = quarter("2026-Q1", 100.0, 10.0);
    before.deals_registered = Some(10); // 10 / 30: off track
    before.satisfaction = None;
    let now = quarter("2026-Q2", 100.0, 10.0); // 17 / 30: on track
    let p = partner("a", 2, "2024-01-01", vec![before, now]);
    let r = PartnerReport::new(
        &p,
        &program(),
        q("2026-Q2"),
        date("2026-06-30"),
        (None, None),
    );
    let changes = status_changes(&r);
    let shown: Vec<(&str, Status, Status)> = changes
        .iter()
        .map(|c| (c.kpi.key(), c.before, c.after))
        .collect();
    assert_eq!(
        shown,
        [
            ("deal_registration_rate", Status::OffTrack, Status::OnTrack),
            ("satisfaction", Status::NoData, Status::OnTrack),
        ]
    );
    assert_eq!(changes[0].improved(), Some(true));
    assert_eq!(changes[1].improved(), None);
}
