//! `data/program.toml`: program settings, targets, company totals,
//! investment and tier rules (DESIGN.md §3).

use std::collections::BTreeMap;

use serde::Deserialize;
use time::Date;

use super::checks::{MAX_AMOUNT, Problems};
use crate::diagnostic::Code;
use crate::source::Key;
use crate::values::date::{DateText, parse_date};
use crate::values::{Quarter, Tier};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProgram {
    name: String,
    report_quarter: Option<String>,
    as_of: Option<DateText>,
    #[serde(default = "half")]
    influenced_attribution: f64,
    #[serde(default)]
    targets: Targets,
    #[serde(default)]
    company: Vec<RawCompany>,
    #[serde(default)]
    investment: Vec<RawInvestment>,
    #[serde(default)]
    tiers: BTreeMap<String, RawTier>,
}

fn half() -> f64 {
    0.5
}

/// Program targets; a missing target leaves its KPI without a status.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Targets {
    pub influenced_share: Option<f64>,
    pub sourced_share: Option<f64>,
    pub strategic_partner_revenue: Option<f64>,
    pub yoy_growth: Option<f64>,
    pub satisfaction: Option<f64>,
    pub retention: Option<f64>,
    pub deal_registration_rate: Option<f64>,
    pub certified_staff_share: Option<f64>,
    pub joint_csat: Option<f64>,
    pub integration_adoption: Option<f64>,
    pub win_rate: Option<f64>,
    pub lead_share: Option<f64>,
    pub max_partner_share: Option<f64>,
    #[serde(default)]
    pub roi: Vec<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCompany {
    quarter: String,
    revenue: Option<f64>,
    leads: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawInvestment {
    year: i64,
    #[serde(default)]
    partner_development: f64,
    #[serde(default)]
    marketing: f64,
    #[serde(default)]
    technical_integration: f64,
    #[serde(default)]
    channel_support: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTier {
    #[serde(default)]
    min_ttm_revenue: f64,
    #[serde(default)]
    min_certified_staff: i64,
}

/// Company-wide totals for one quarter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CompanyQuarter {
    pub quarter: Quarter,
    pub revenue: Option<f64>,
    pub leads: Option<f64>,
}

/// What it takes to be in a tier.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TierRule {
    pub min_ttm_revenue: f64,
    pub min_certified_staff: u64,
}

/// The validated program file.
#[derive(Debug, Clone, PartialEq)]
pub struct Program {
    pub name: String,
    pub report_quarter: Option<Quarter>,
    /// The date reports count days and overdue items from; defaults to the
    /// end of the report quarter (never the clock, so builds are repeatable).
    pub as_of: Option<Date>,
    pub influenced_attribution: f64,
    pub targets: Targets,
    /// Sorted by quarter.
    pub company: Vec<CompanyQuarter>,
    /// Calendar year → total investment, sorted by year.
    pub investment: BTreeMap<i32, f64>,
    /// Tier number → rule.
    pub tiers: BTreeMap<Tier, TierRule>,
}

impl Program {
    pub fn company(&self, q: Quarter) -> Option<&CompanyQuarter> {
        self.company.iter().find(|c| c.quarter == q)
    }
}

/// Parses and validates `program.toml`.
pub fn parse(source: &str, problems: &mut Problems) -> Option<Program> {
    let raw: RawProgram = match toml::from_str(source) {
        Ok(r) => r,
        Err(e) => {
            problems.toml(&e);
            return None;
        }
    };
    let report_quarter = raw.report_quarter.as_deref().and_then(|q| match q.parse() {
        Ok(q) => Some(q),
        Err(e) => {
            problems.at(
                Code::BadProgramValue,
                &[Key::Name("report_quarter")],
                format!("{e}"),
            );
            None
        }
    });
    let as_of = raw.as_of.as_ref().and_then(|t| {
        let d = parse_date(&t.0);
        if d.is_none() {
            problems.at(
                Code::BadProgramValue,
                &[Key::Name("as_of")],
                "`as_of` is not a date: write YYYY-MM-DD",
            );
        }
        d
    });
    if !(0.0..=1.0).contains(&raw.influenced_attribution) {
        problems.at(
            Code::BadProgramValue,
            &[Key::Name("influenced_attribution")],
            format!(
                "`influenced_attribution` is a share from 0 to 1, not {}",
                raw.influenced_attribution
            ),
        );
    }
    check_targets(&raw.targets, problems);
    let company = company(&raw.company, problems);
    let investment = investment(&raw.investment, problems);
    let tiers = tiers(&raw.tiers, problems);
    Some(Program {
        name: raw.name,
        report_quarter,
        as_of,
        influenced_attribution: raw.influenced_attribution,
        targets: raw.targets,
        company,
        investment,
        tiers,
    })
}

/// The `[[company]]` totals, sorted by quarter.
fn company(raw: &[RawCompany], problems: &mut Problems) -> Vec<CompanyQuarter> {
    let mut company: Vec<CompanyQuarter> = Vec::new();
    for (i, c) in raw.iter().enumerate() {
        let at = |key| [Key::Name("company"), Key::Index(i), Key::Name(key)];
        let quarter = match c.quarter.parse::<Quarter>() {
            Ok(q) => q,
            Err(e) => {
                problems.at(Code::BadQuarter, &at("quarter"), e.to_string());
                continue;
            }
        };
        if company.iter().any(|x| x.quarter == quarter) {
            problems.at(
                Code::BadQuarter,
                &at("quarter"),
                format!("quarter {quarter} appears twice in [[company]]"),
            );
            continue;
        }
        for (key, v) in [("revenue", c.revenue), ("leads", c.leads)] {
            if let Some(v) = v.filter(|v| !(0.0..=MAX_AMOUNT).contains(v)) {
                problems.at(
                    Code::BadProgramValue,
                    &at(key),
                    format!("company `{key}` must be a number from 0 to 10^15, not {v}"),
                );
            }
        }
        company.push(CompanyQuarter {
            quarter,
            revenue: c.revenue.map(|v| v + 0.0),
            leads: c.leads.map(|v| v + 0.0),
        });
    }
    company.sort_by_key(|c| c.quarter);
    company
}

/// Calendar year → total investment.
fn investment(raw: &[RawInvestment], problems: &mut Problems) -> BTreeMap<i32, f64> {
    let mut investment = BTreeMap::new();
    for (i, inv) in raw.iter().enumerate() {
        let at = |key| [Key::Name("investment"), Key::Index(i), Key::Name(key)];
        let parts = [
            ("partner_development", inv.partner_development),
            ("marketing", inv.marketing),
            ("technical_integration", inv.technical_integration),
            ("channel_support", inv.channel_support),
        ];
        for (key, v) in parts {
            if !(0.0..=MAX_AMOUNT).contains(&v) {
                problems.at(
                    Code::BadProgramValue,
                    &at(key),
                    format!("investment `{key}` must be an amount in USD from 0 to 10^15, not {v}"),
                );
            }
        }
        let Ok(year) = i32::try_from(inv.year).map_err(|_| ()).and_then(|y| {
            if (1..=9999).contains(&y) {
                Ok(y)
            } else {
                Err(())
            }
        }) else {
            problems.at(
                Code::BadProgramValue,
                &at("year"),
                format!("`year` must be a calendar year like 2026, not {}", inv.year),
            );
            continue;
        };
        if investment
            .insert(year, parts.iter().map(|(_, v)| v).sum::<f64>())
            .is_some()
        {
            problems.at(
                Code::BadProgramValue,
                &at("year"),
                format!("investment year {year} appears twice"),
            );
        }
    }
    investment
}

/// Tier → what it takes to be in it.
fn tiers(raw: &BTreeMap<String, RawTier>, problems: &mut Problems) -> BTreeMap<Tier, TierRule> {
    let mut tiers = BTreeMap::new();
    for (key, rule) in raw {
        let tier = match key.as_str() {
            "1" => Tier::ALL[0],
            "2" => Tier::ALL[1],
            "3" => Tier::ALL[2],
            _ => {
                problems.at(
                    Code::BadProgramValue,
                    &[Key::Name("tiers"), Key::Name(key)],
                    format!("tier {key} does not exist: use [tiers.1], [tiers.2] or [tiers.3]"),
                );
                continue;
            }
        };
        let revenue_ok = (0.0..=MAX_AMOUNT).contains(&rule.min_ttm_revenue);
        if !revenue_ok || rule.min_certified_staff < 0 {
            let field = if revenue_ok {
                "min_certified_staff"
            } else {
                "min_ttm_revenue"
            };
            problems.at(
                Code::BadProgramValue,
                &[Key::Name("tiers"), Key::Name(key), Key::Name(field)],
                format!("tier thresholds are from 0 to 10^15: fix `{field}`"),
            );
            continue;
        }
        tiers.insert(
            tier,
            TierRule {
                min_ttm_revenue: rule.min_ttm_revenue,
                min_certified_staff: rule.min_certified_staff as u64,
            },
        );
    }
    tiers
}

fn check_targets(t: &Targets, problems: &mut Problems) {
    let rates = [
        ("influenced_share", t.influenced_share),
        ("sourced_share", t.sourced_share),
        ("retention", t.retention),
        ("deal_registration_rate", t.deal_registration_rate),
        ("certified_staff_share", t.certified_staff_share),
        ("joint_csat", t.joint_csat),
        ("integration_adoption", t.integration_adoption),
        ("win_rate", t.win_rate),
        ("lead_share", t.lead_share),
        ("max_partner_share", t.max_partner_share),
    ];
    for (key, v) in rates {
        if let Some(v) = v.filter(|v| !(0.0..=1.0).contains(v)) {
            let hint = if v > 1.0 && v <= 100.0 {
                format!(": write {}, not {v}", v / 100.0)
            } else {
                String::new()
            };
            problems.at(
                Code::BadProgramValue,
                &[Key::Name("targets"), Key::Name(key)],
                format!("target `{key}` is a rate from 0 to 1{hint}"),
            );
        }
    }
    if let Some(v) = t.satisfaction.filter(|v| !(0.0..=10.0).contains(v)) {
        problems.at(
            Code::BadProgramValue,
            &[Key::Name("targets"), Key::Name("satisfaction")],
            format!("target `satisfaction` is a score from 0 to 10, not {v}"),
        );
    }
    for (key, v) in [
        ("strategic_partner_revenue", t.strategic_partner_revenue),
        ("yoy_growth", t.yoy_growth),
    ] {
        if let Some(v) = v.filter(|v| !(0.0..=MAX_AMOUNT).contains(v)) {
            problems.at(
                Code::BadProgramValue,
                &[Key::Name("targets"), Key::Name(key)],
                format!("target `{key}` must be from 0 to 10^15, not {v}"),
            );
        }
    }
    if t.roi.iter().any(|v| !(0.0..=MAX_AMOUNT).contains(v)) {
        problems.at(Code::BadProgramValue,
            &[Key::Name("targets"), Key::Name("roi")],
            "ROI targets cannot be negative: write one multiple per program year, like roi = [3.0, 5.0]",
        );
    }
}
