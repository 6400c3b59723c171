//! A partner's numbers at a quarter: its KPIs and their status, its
//! progress to the next tier, its engagement phase clock, its overdue
//! actions and the history its charts draw.

use time::Date;

use super::kpi::{Kpi, KpiMap, Kpis};
use super::status::{Status, status};
use crate::data::partner::{Certifications, Phase};
use crate::data::{Partner, Program, QuarterData};
use crate::values::{Quarter, Tier};

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

/// deals_registered ÷ deals_total of one quarter.
pub fn deal_registration_rate(d: &QuarterData) -> Option<f64> {
    ratio(count(d.deals_registered), count(d.deals_total))
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
    Kpi::ALL
        .into_iter()
        .map(|k| {
            let v = match k {
                Kpi::InfluencedRevenue => influenced,
                Kpi::SourcedRevenue => field(|d| d.sourced_revenue),
                Kpi::TtmRevenue => ttm,
                Kpi::YoyGrowth => ratio(influenced, last_year).map(|r| r - 1.0),
                Kpi::DealRegistrationRate => d.and_then(deal_registration_rate),
                Kpi::WinRate => ratio(
                    field(|d| count(d.competitive_wins)),
                    field(|d| count(d.competitive_deals)),
                ),
                Kpi::CertifiedStaffShare => ratio(
                    field(|d| count(d.certified_staff)),
                    field(|d| count(d.staff)),
                ),
                Kpi::CertificationHours => d.and_then(certification_hours),
                Kpi::Satisfaction => field(|d| d.satisfaction),
                Kpi::JointCsat => field(|d| d.joint_csat),
                Kpi::IntegrationAdoption => ratio(
                    field(|d| count(d.customers_with_integration)),
                    field(|d| count(d.customers)),
                ),
                Kpi::MdfUtilization => ratio(field(|d| d.mdf_spent), field(|d| d.mdf_approved)),
                Kpi::PartnerShare if active => ratio(ttm, share_total),
                Kpi::PartnerShare => None,
            };
            (k, v)
        })
        .collect()
}

/// Status of every partner KPI that has a target.
pub fn partner_status(program: &Program, kpis: &Kpis) -> KpiMap<Kpi, Status> {
    Kpi::ALL
        .into_iter()
        .filter_map(|k| {
            let (_, better) = k.goal()?;
            let s = status(kpis.get(k), k.target(&program.targets), better);
            Some((k, Some(s)))
        })
        .collect()
}

/// What it takes to reach the tier above, criterion by criterion.
#[derive(Debug, Clone, PartialEq)]
pub struct TierProgress {
    pub tier: Tier,
    pub criteria: Vec<Criterion>,
}

/// The criteria of a tier rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CriterionKind {
    TtmRevenue,
    CertifiedStaff,
}

/// One criterion of the tier above: where the partner is and what it needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Criterion {
    pub kind: CriterionKind,
    /// `None` without data (never a zero).
    pub current: Option<f64>,
    pub required: f64,
    pub met: bool,
    /// 0–100; `None` without data.
    pub progress: Option<u32>,
}

fn criterion(kind: CriterionKind, current: Option<f64>, required: f64) -> Criterion {
    Criterion {
        kind,
        current,
        required,
        met: current.is_some_and(|c| c >= required),
        progress: match current {
            None => None,
            Some(_) if required <= 0.0 => Some(100),
            Some(c) => Some(((c / required) * 100.0).clamp(0.0, 100.0) as u32),
        },
    }
}

/// Progress to the tier above `p`'s, if there is one with a rule.
pub fn tier_progress(
    p: &Partner,
    program: &Program,
    kpis: &Kpis,
    q: Quarter,
) -> Option<TierProgress> {
    let tier = p.tier.above()?;
    let rule = program.tiers.get(&tier)?;
    let certified = p.quarter(q).and_then(|d| count(d.certified_staff));
    Some(TierProgress {
        tier,
        criteria: vec![
            criterion(
                CriterionKind::TtmRevenue,
                kpis.get(Kpi::TtmRevenue),
                rule.min_ttm_revenue,
            ),
            criterion(
                CriterionKind::CertifiedStaff,
                certified,
                rule.min_certified_staff as f64,
            ),
        ],
    })
}

/// How long a partner has been in its engagement phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhaseClock {
    pub phase: Phase,
    pub started: Date,
    /// Days from `started` to the report's `as_of` (never negative).
    pub days: i64,
    /// Days allowed in the phase (none for `strategic`).
    pub limit: Option<i64>,
    pub overdue: bool,
}

/// The phase clock at `as_of`, if the partner file names a phase and its start.
pub fn phase_clock(p: &Partner, as_of: Date) -> Option<PhaseClock> {
    let phase = p.phase?;
    let started = p.phase_started?;
    let days = (as_of - started).whole_days().max(0);
    let limit = phase.limit_days();
    Some(PhaseClock {
        phase,
        started,
        days,
        limit,
        overdue: limit.is_some_and(|l| days > l),
    })
}

/// Whether each action of the plan is overdue at `as_of`: not done and
/// due before it.
pub fn overdue_actions(p: &Partner, as_of: Date) -> Vec<bool> {
    p.actions
        .iter()
        .map(|a| !a.done && a.due.is_some_and(|d| d < as_of))
        .collect()
}

/// A partner's quarters with data up to the report quarter, and the
/// series its charts draw (one value per quarter, `None` without data).
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    pub quarters: Vec<Quarter>,
    pub influenced_revenue: Vec<Option<f64>>,
    pub sourced_revenue: Vec<Option<f64>>,
    pub satisfaction: Vec<Option<f64>>,
    pub deal_registration_rate: Vec<Option<f64>>,
    /// Certifications held per track (a track missing from a quarter's
    /// table counts 0; a quarter without a table has none).
    pub certifications: [Vec<Option<f64>>; 3],
}

/// The history of `p` up to `q`.
pub fn history(p: &Partner, q: Quarter) -> History {
    let data: Vec<&QuarterData> = p.quarters.iter().filter(|d| d.quarter <= q).collect();
    let col = |f: &dyn Fn(&QuarterData) -> Option<f64>| data.iter().map(|d| f(d)).collect();
    let track = |f: fn(&Certifications) -> Option<u64>| {
        col(&|d| d.certifications.map(|c| f(&c).unwrap_or(0) as f64))
    };
    History {
        quarters: data.iter().map(|d| d.quarter).collect(),
        influenced_revenue: col(&|d| d.influenced_revenue),
        sourced_revenue: col(&|d| d.sourced_revenue),
        satisfaction: col(&|d| d.satisfaction),
        deal_registration_rate: col(&deal_registration_rate),
        certifications: [
            track(|c| c.technical),
            track(|c| c.sales),
            track(|c| c.marketing),
        ],
    }
}

/// One partner's report at the report quarter.
#[derive(Debug, Clone, PartialEq)]
pub struct PartnerReport {
    pub slug: String,
    pub kpis: Kpis,
    /// The same KPIs one quarter earlier, for "change vs previous quarter".
    pub previous: Kpis,
    pub status: KpiMap<Kpi, Status>,
    /// The status of each KPI one quarter earlier (what's new compares them).
    pub previous_status: KpiMap<Kpi, Status>,
    pub on_track: usize,
    pub active: bool,
    pub tier_progress: Option<TierProgress>,
    pub phase: Option<PhaseClock>,
    /// For each action of the plan, whether it is overdue.
    pub overdue_actions: Vec<bool>,
    pub history: History,
    /// The report as it stood at each earlier quarter with data, newest
    /// first (their own `earlier` is empty): see `PartnerReport::earlier`.
    pub earlier: Vec<EarlierReport>,
}

/// A partner's report at an earlier quarter, as it stood at that quarter's end.
#[derive(Debug, Clone, PartialEq)]
pub struct EarlierReport {
    pub quarter: Quarter,
    /// The quarter's end: day counts and overdue actions are measured there.
    pub as_of: Date,
    pub report: PartnerReport,
}

impl PartnerReport {
    /// The report of `p` at `q`; the totals are `active_ttm_total` at `q`
    /// and at the quarter before.
    pub fn new(
        p: &Partner,
        program: &Program,
        q: Quarter,
        as_of: Date,
        totals: (Option<f64>, Option<f64>),
    ) -> PartnerReport {
        let kpis = partner_kpis(p, q, totals.0);
        let status = partner_status(program, &kpis);
        let previous = partner_kpis(p, q.minus(1), totals.1);
        PartnerReport {
            slug: p.slug.clone(),
            previous_status: partner_status(program, &previous),
            previous,
            on_track: status
                .present()
                .filter(|(_, s)| *s == Status::OnTrack)
                .count(),
            status,
            tier_progress: tier_progress(p, program, &kpis, q),
            kpis,
            active: p.active_at(q.end_date()),
            phase: phase_clock(p, as_of),
            overdue_actions: overdue_actions(p, as_of),
            history: history(p, q),
            earlier: Vec::new(),
        }
    }

    /// The reports of `p` at each quarter before `q` that its file has
    /// data for, newest first, each at that quarter's end; `totals` gives
    /// `active_ttm_total` at a quarter. A phase that started after a
    /// quarter's end is not shown there (the file holds only the current
    /// phase); the action plan is today's, measured at that date.
    pub fn earlier(
        p: &Partner,
        program: &Program,
        q: Quarter,
        totals: impl Fn(Quarter) -> Option<f64>,
    ) -> Vec<EarlierReport> {
        (p.quarters.iter().rev())
            .map(|d| d.quarter)
            .filter(|&e| e < q)
            .map(|e| {
                let as_of = e.end_date();
                let mut report =
                    PartnerReport::new(p, program, e, as_of, (totals(e), totals(e.minus(1))));
                report.phase = report.phase.filter(|c| c.started <= as_of);
                EarlierReport {
                    quarter: e,
                    as_of,
                    report,
                }
            })
            .collect()
    }

    /// The report as a partner's own view may hold it: without the KPIs
    /// only the internal audience may see (`Kpi::internal_only`), and with
    /// its count of on-track KPIs made without them.
    pub fn for_partner_view(&self) -> PartnerReport {
        let mut r = self.clone();
        for k in Kpi::ALL.into_iter().filter(|k| k.internal_only()) {
            r.kpis.hide(k);
            r.previous.hide(k);
            r.status.hide(k);
            r.previous_status.hide(k);
        }
        r.on_track = r
            .status
            .present()
            .filter(|(_, s)| *s == Status::OnTrack)
            .count();
        for e in &mut r.earlier {
            e.report = e.report.for_partner_view();
        }
        r
    }

    /// How many actions of the plan are overdue.
    pub fn overdue_count(&self) -> usize {
        self.overdue_actions.iter().filter(|o| **o).count()
    }
}
