//! Program-level KPIs at a quarter (DESIGN.md §4, "Program level"), the
//! ranking of partners, and the program's revenue by tier.

use std::cmp::Ordering;

use super::kpi::{Kpi, KpiMap, ProgramKpi};
use super::partner::{PartnerReport, ratio, ttm_revenue};
use super::status::{Better, Status, status};
use crate::data::{Data, Program, QuarterData};
use crate::values::{Quarter, Tier};

/// Promoters (recommend ≥ 9), passives and detractors (≤ 6) among active
/// partners with a `recommend` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NpsSplit {
    pub promoters: usize,
    pub passives: usize,
    pub detractors: usize,
}

impl NpsSplit {
    pub fn total(&self) -> usize {
        self.promoters + self.passives + self.detractors
    }

    /// % promoters − % detractors, from −100 to 100.
    pub fn score(&self) -> Option<f64> {
        let n = self.total();
        (n > 0).then(|| 100.0 * (self.promoters as f64 - self.detractors as f64) / n as f64)
    }
}

/// The program's report at a quarter.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProgramReport {
    pub kpis: KpiMap<ProgramKpi, f64>,
    /// Status of every program KPI with a target (all but `nps`).
    pub status: KpiMap<ProgramKpi, Status>,
    /// Targets used (ROI's is the one for Q's program year).
    pub targets: KpiMap<ProgramKpi, f64>,
    pub over_concentrated: Vec<String>,
    /// Slugs of the partners active at the end of Q, best first: most
    /// `on_track` KPIs, then higher influenced revenue, then slug.
    pub ranking: Vec<String>,
    pub nps_split: NpsSplit,
    /// Herfindahl–Hirschman index of partner shares, 0–10,000.
    pub hhi: Option<f64>,
    /// The quarters the dashboard's charts show: up to eight, ending at Q.
    pub chart_quarters: Vec<Quarter>,
    /// Σ influenced revenue of each tier's partners per chart quarter
    /// (`None` where no partner of the tier has a value).
    pub revenue_by_tier: Vec<(Tier, Vec<Option<f64>>)>,
}

impl ProgramReport {
    /// The partner of the quarter: the first of the ranking.
    pub fn partner_of_the_quarter(&self) -> Option<&str> {
        self.ranking.first().map(String::as_str)
    }
}

/// Sums a partner field at `q` over every partner with a value; `None` if none has one.
fn sum_at(data: &Data, q: Quarter, f: impl Fn(&QuarterData) -> Option<f64>) -> Option<f64> {
    let values: Vec<f64> = data
        .partners
        .iter()
        .filter_map(|p| p.quarter(q).and_then(&f))
        .collect();
    (!values.is_empty()).then(|| values.iter().sum())
}

/// The ROI target for `year`: `roi[program year − 1]`, where program year 1
/// is the first `[[investment]]` year; past the list, its last value.
pub fn roi_target(program: &Program, year: i32) -> Option<f64> {
    let first = *program.investment.keys().next()?;
    let index = usize::try_from(year - first).ok()?;
    let list = &program.targets.roi;
    list.get(index).or(list.last()).copied()
}

/// ROI for `q`'s calendar year up to `q`.
pub fn roi(data: &Data, program: &Program, q: Quarter) -> Option<f64> {
    let mut sourced = 0.0;
    let mut extra = 0.0;
    let mut any = false;
    for p in &data.partners {
        for yq in q.year_to_date() {
            let Some(d) = p.quarter(yq) else { continue };
            if let Some(s) = d.sourced_revenue {
                sourced += s;
                any = true;
            }
            if let (Some(i), Some(s)) = (d.influenced_revenue, d.sourced_revenue) {
                extra += i - s;
            }
        }
    }
    let investment = program.investment.get(&q.year()).copied();
    if !any {
        return None;
    }
    ratio(
        Some(sourced + program.influenced_attribution * extra),
        investment,
    )
}

/// The NPS split of the partners active at the end of `q`.
fn nps_split(data: &Data, q: Quarter) -> NpsSplit {
    let mut split = NpsSplit::default();
    for p in data.partners.iter().filter(|p| p.active_at(q.end_date())) {
        match p.quarter(q).and_then(|d| d.recommend) {
            Some(r) if r >= 9.0 => split.promoters += 1,
            Some(r) if r <= 6.0 => split.detractors += 1,
            Some(_) => split.passives += 1,
            None => {}
        }
    }
    split
}

/// Of the partners active at the end of Q−4, the share still active at Q.
fn retention(data: &Data, q: Quarter) -> Option<f64> {
    let base: Vec<_> = data
        .partners
        .iter()
        .filter(|p| p.active_at(q.minus(4).end_date()))
        .collect();
    let kept = base.iter().filter(|p| p.active_at(q.end_date())).count();
    (!base.is_empty()).then(|| kept as f64 / base.len() as f64)
}

/// Mean TTM revenue of the tier-1 partners active at the end of `q`.
fn strategic_partner_revenue(data: &Data, q: Quarter) -> Option<f64> {
    let tier1: Vec<f64> = data
        .partners
        .iter()
        .filter(|p| p.tier == Tier::ALL[0] && p.active_at(q.end_date()))
        .filter_map(|p| ttm_revenue(p, q))
        .collect();
    (!tier1.is_empty()).then(|| tier1.iter().sum::<f64>() / tier1.len() as f64)
}

/// Computes the program report from the partner reports at `q`.
pub fn program_report(
    data: &Data,
    program: &Program,
    q: Quarter,
    partners: &[PartnerReport],
) -> ProgramReport {
    let company = program.company(q);
    let revenue = company.and_then(|c| c.revenue);
    let split = nps_split(data, q);
    let kpis: KpiMap<ProgramKpi, f64> = ProgramKpi::ALL
        .into_iter()
        .map(|k| {
            let v = match k {
                ProgramKpi::InfluencedShare => {
                    ratio(sum_at(data, q, |d| d.influenced_revenue), revenue)
                }
                ProgramKpi::SourcedShare => ratio(sum_at(data, q, |d| d.sourced_revenue), revenue),
                ProgramKpi::StrategicPartnerRevenue => strategic_partner_revenue(data, q),
                ProgramKpi::LeadShare => ratio(
                    sum_at(data, q, |d| d.leads.map(|l| l as f64)),
                    company.and_then(|c| c.leads),
                ),
                ProgramKpi::Nps => split.score(),
                ProgramKpi::Retention => retention(data, q),
                ProgramKpi::Roi => roi(data, program, q),
            };
            (k, v)
        })
        .collect();
    let mut targets = KpiMap::default();
    let mut statuses = KpiMap::default();
    for k in ProgramKpi::ALL.into_iter().filter(|k| k.has_target()) {
        let t = match k {
            ProgramKpi::Roi => roi_target(program, q.year()),
            _ => k.fixed_target(&program.targets),
        };
        targets.set(k, t);
        statuses.set(k, Some(status(kpis.get(k), t, Better::Higher)));
    }
    let limit = program.targets.max_partner_share;
    let shares: Vec<(&str, f64)> = partners
        .iter()
        .filter_map(|r| Some((r.slug.as_str(), r.kpis.get(Kpi::PartnerShare)?)))
        .collect();
    let mut over_concentrated: Vec<String> = shares
        .iter()
        .filter(|(_, share)| limit.is_some_and(|l| *share > l))
        .map(|(slug, _)| slug.to_string())
        .collect();
    over_concentrated.sort();
    let hhi = (!shares.is_empty()).then(|| shares.iter().map(|(_, s)| (s * 100.0).powi(2)).sum());
    let chart_quarters = chart_quarters(data, q);
    ProgramReport {
        revenue_by_tier: revenue_by_tier(data, &chart_quarters),
        chart_quarters,
        kpis,
        status: statuses,
        targets,
        over_concentrated,
        ranking: ranking(partners),
        nps_split: split,
        hhi,
    }
}

/// The active partners, best first: the most `on_track` KPIs; ties go to
/// higher influenced revenue at Q (no data ranks lowest), then to the
/// smaller slug. Its first is the partner of the quarter.
pub fn ranking(partners: &[PartnerReport]) -> Vec<String> {
    let influenced = |r: &PartnerReport| r.kpis.get(Kpi::InfluencedRevenue);
    let mut active: Vec<&PartnerReport> = partners.iter().filter(|r| r.active).collect();
    active.sort_by(|a, b| {
        b.on_track
            .cmp(&a.on_track)
            .then_with(|| match (influenced(a), influenced(b)) {
                (Some(x), Some(y)) => y.total_cmp(&x),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            })
            .then_with(|| a.slug.cmp(&b.slug))
    });
    active.into_iter().map(|r| r.slug.clone()).collect()
}

/// Up to eight quarters ending at `q`, from the first with any data.
fn chart_quarters(data: &Data, q: Quarter) -> Vec<Quarter> {
    let first = data
        .partners
        .iter()
        .flat_map(|p| p.quarters.first())
        .map(|d| d.quarter)
        .min()
        .unwrap_or(q);
    let mut quarters = Vec::new();
    let mut x = first.max(q.minus(7));
    while x <= q {
        quarters.push(x);
        x = x.plus(1);
    }
    quarters
}

/// Σ influenced revenue per tier at each quarter.
fn revenue_by_tier(data: &Data, quarters: &[Quarter]) -> Vec<(Tier, Vec<Option<f64>>)> {
    Tier::ALL
        .into_iter()
        .map(|tier| {
            let values = quarters
                .iter()
                .map(|&x| {
                    let v: Vec<f64> = data
                        .partners
                        .iter()
                        .filter(|p| p.tier == tier)
                        .filter_map(|p| p.quarter(x).and_then(|d| d.influenced_revenue))
                        .collect();
                    (!v.is_empty()).then(|| v.iter().sum())
                })
                .collect();
            (tier, values)
        })
        .collect()
}
