//! The compute stage: pure functions from partner data and a quarter to
//! every KPI and status of DESIGN.md §4. No I/O, no formatting.
//!
//! A value is `None` ("no data") when an input is missing or a denominator
//! is zero — never zero.

mod program;
mod status;

pub use program::{NpsSplit, ProgramKpis, ProgramReport, program_report};
pub use status::{Better, Status, status};

use std::collections::BTreeMap;

use serde::Serialize;
use time::Date;

use crate::data::{Data, Partner, Program, Quarter, QuarterData};

/// How a KPI's number is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    Money,
    Rate,
    Score,
    Hours,
}

/// A partner KPI: its key, its target and what it means.
#[derive(Debug, Clone, Copy)]
pub struct KpiDef {
    pub key: &'static str,
    pub label: &'static str,
    pub unit: Unit,
    /// `(target key in [targets], which way is better)`.
    pub target: Option<(&'static str, Better)>,
    pub formula: &'static str,
}

const fn def(
    key: &'static str,
    label: &'static str,
    unit: Unit,
    target: Option<(&'static str, Better)>,
    formula: &'static str,
) -> KpiDef {
    KpiDef {
        key,
        label,
        unit,
        target,
        formula,
    }
}

/// Every partner KPI of DESIGN.md §4, in report order.
pub const PARTNER_KPIS: [KpiDef; 13] = [
    def(
        "influenced_revenue",
        "Influenced revenue",
        Unit::Money,
        None,
        "influenced_revenue of the quarter",
    ),
    def(
        "sourced_revenue",
        "Sourced revenue",
        Unit::Money,
        None,
        "sourced_revenue of the quarter",
    ),
    def(
        "ttm_revenue",
        "Trailing-12-month revenue",
        Unit::Money,
        None,
        "Σ influenced_revenue over the last 4 quarters",
    ),
    def(
        "yoy_growth",
        "Year-over-year growth",
        Unit::Rate,
        Some(("yoy_growth", Better::Higher)),
        "influenced(Q) ÷ influenced(Q−4) − 1",
    ),
    def(
        "deal_registration_rate",
        "Deal registration rate",
        Unit::Rate,
        Some(("deal_registration_rate", Better::Higher)),
        "deals_registered ÷ deals_total",
    ),
    def(
        "win_rate",
        "Competitive win rate",
        Unit::Rate,
        Some(("win_rate", Better::Higher)),
        "competitive_wins ÷ competitive_deals",
    ),
    def(
        "certified_staff_share",
        "Certified staff",
        Unit::Rate,
        Some(("certified_staff_share", Better::Higher)),
        "certified_staff ÷ staff",
    ),
    def(
        "certification_hours",
        "Certification hours",
        Unit::Hours,
        None,
        "40 × technical + 24 × sales + 16 × marketing",
    ),
    def(
        "satisfaction",
        "Partner satisfaction",
        Unit::Score,
        Some(("satisfaction", Better::Higher)),
        "survey score, 0–10",
    ),
    def(
        "joint_csat",
        "Joint customer satisfaction",
        Unit::Rate,
        Some(("joint_csat", Better::Higher)),
        "joint customer survey, 0–1",
    ),
    def(
        "integration_adoption",
        "Integration adoption",
        Unit::Rate,
        Some(("integration_adoption", Better::Higher)),
        "customers_with_integration ÷ customers",
    ),
    def(
        "mdf_utilization",
        "MDF utilization",
        Unit::Rate,
        None,
        "mdf_spent ÷ mdf_approved",
    ),
    def(
        "partner_share",
        "Share of partner revenue",
        Unit::Rate,
        Some(("max_partner_share", Better::Lower)),
        "ttm_revenue ÷ Σ ttm_revenue of active partners",
    ),
];

/// A partner's KPIs at one quarter, by key (every key of `PARTNER_KPIS`).
pub type Kpis = BTreeMap<&'static str, Option<f64>>;

/// `a ÷ b`, or `None` if either is missing or `b` is 0.
pub fn ratio(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) if b != 0.0 => Some(a / b),
        _ => None,
    }
}

fn count(v: Option<u64>) -> Option<f64> {
    v.map(|v| v as f64)
}

/// Σ influenced revenue over the four quarters ending at `q` (those present);
/// `None` when none of them has a value.
pub fn ttm_revenue(p: &Partner, q: Quarter) -> Option<f64> {
    let values: Vec<f64> = q
        .ttm()
        .iter()
        .filter_map(|&t| p.quarter(t).and_then(|d| d.influenced_revenue))
        .collect();
    (!values.is_empty()).then(|| values.iter().sum())
}

/// Certification hours: 40·technical + 24·sales + 16·marketing; a track
/// missing from the table counts 0; no table is `None`.
pub fn certification_hours(d: &QuarterData) -> Option<f64> {
    let c = d.certifications?;
    Some(
        40.0 * c.technical.unwrap_or(0) as f64
            + 24.0 * c.sales.unwrap_or(0) as f64
            + 16.0 * c.marketing.unwrap_or(0) as f64,
    )
}

/// Σ ttm_revenue of the partners active at `date` (a missing TTM counts 0);
/// `None` if no active partner has any revenue data.
pub fn active_ttm_total(partners: &[Partner], q: Quarter, date: Date) -> Option<f64> {
    let values: Vec<f64> = partners
        .iter()
        .filter(|p| p.active_at(date))
        .filter_map(|p| ttm_revenue(p, q))
        .collect();
    (!values.is_empty()).then(|| values.iter().sum())
}

/// Every partner KPI at `q`. `share_total` is `active_ttm_total` at `q`.
pub fn partner_kpis(p: &Partner, q: Quarter, share_total: Option<f64>) -> Kpis {
    let d = p.quarter(q);
    let field = |f: fn(&QuarterData) -> Option<f64>| d.and_then(f);
    let influenced = field(|d| d.influenced_revenue);
    let last_year = p.quarter(q.minus(4)).and_then(|d| d.influenced_revenue);
    let ttm = ttm_revenue(p, q);
    let active = p.active_at(q.end_date());
    let values = [
        influenced,
        field(|d| d.sourced_revenue),
        ttm,
        ratio(influenced, last_year).map(|r| r - 1.0),
        ratio(
            field(|d| count(d.deals_registered)),
            field(|d| count(d.deals_total)),
        ),
        ratio(
            field(|d| count(d.competitive_wins)),
            field(|d| count(d.competitive_deals)),
        ),
        ratio(
            field(|d| count(d.certified_staff)),
            field(|d| count(d.staff)),
        ),
        d.and_then(certification_hours),
        field(|d| d.satisfaction),
        field(|d| d.joint_csat),
        ratio(
            field(|d| count(d.customers_with_integration)),
            field(|d| count(d.customers)),
        ),
        ratio(field(|d| d.mdf_spent), field(|d| d.mdf_approved)),
        if active {
            ratio(ttm, share_total)
        } else {
            None
        },
    ];
    PARTNER_KPIS.iter().map(|k| k.key).zip(values).collect()
}

/// The target value of a target key.
pub fn target(program: &Program, key: &str) -> Option<f64> {
    let t = &program.targets;
    match key {
        "influenced_share" => t.influenced_share,
        "sourced_share" => t.sourced_share,
        "strategic_partner_revenue" => t.strategic_partner_revenue,
        "yoy_growth" => t.yoy_growth,
        "satisfaction" => t.satisfaction,
        "retention" => t.retention,
        "deal_registration_rate" => t.deal_registration_rate,
        "certified_staff_share" => t.certified_staff_share,
        "joint_csat" => t.joint_csat,
        "integration_adoption" => t.integration_adoption,
        "win_rate" => t.win_rate,
        "lead_share" => t.lead_share,
        "max_partner_share" => t.max_partner_share,
        _ => None,
    }
}

/// Status of every partner KPI that has a target.
pub fn partner_status(program: &Program, kpis: &Kpis) -> BTreeMap<&'static str, Status> {
    PARTNER_KPIS
        .iter()
        .filter_map(|k| {
            let (target_key, better) = k.target?;
            let value = kpis.get(k.key).copied().flatten();
            Some((k.key, status(value, target(program, target_key), better)))
        })
        .collect()
}

/// One partner's report at the report quarter.
#[derive(Debug, Clone, PartialEq)]
pub struct PartnerReport {
    pub slug: String,
    pub kpis: Kpis,
    /// The same KPIs one quarter earlier, for "change vs previous quarter".
    pub previous: Kpis,
    pub status: BTreeMap<&'static str, Status>,
    pub on_track: usize,
    pub active: bool,
}

/// Everything computed for one report quarter.
#[derive(Debug, Clone, PartialEq)]
pub struct Reports {
    pub quarter: Quarter,
    /// The date day counts and overdue flags are measured at.
    pub as_of: Date,
    /// In the order of `Data::partners` (by slug).
    pub partners: Vec<PartnerReport>,
    pub program: ProgramReport,
}

/// Computes every report at quarter `q`.
pub fn compute(data: &Data, program: &Program, q: Quarter) -> Reports {
    let total = active_ttm_total(&data.partners, q, q.end_date());
    let previous_total = active_ttm_total(&data.partners, q.minus(1), q.minus(1).end_date());
    let partners: Vec<PartnerReport> = data
        .partners
        .iter()
        .map(|p| {
            let kpis = partner_kpis(p, q, total);
            let status = partner_status(program, &kpis);
            PartnerReport {
                slug: p.slug.clone(),
                previous: partner_kpis(p, q.minus(1), previous_total),
                on_track: status.values().filter(|s| **s == Status::OnTrack).count(),
                status,
                kpis,
                active: p.active_at(q.end_date()),
            }
        })
        .collect();
    let program_report = program_report(data, program, q, &partners);
    Reports {
        quarter: q,
        as_of: program.as_of.unwrap_or_else(|| q.end_date()),
        partners,
        program: program_report,
    }
}

#[cfg(test)]
mod tests;
