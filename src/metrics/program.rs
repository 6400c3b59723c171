//! Program-level KPIs at a quarter (DESIGN.md §4, "Program level").

use std::collections::BTreeMap;

use super::{Better, PartnerReport, Status, ratio, status, target, ttm_revenue};
use crate::data::{Data, Program, Quarter};

/// The program KPIs, each `None` without data.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ProgramKpis {
    pub influenced_share: Option<f64>,
    pub sourced_share: Option<f64>,
    pub strategic_partner_revenue: Option<f64>,
    pub lead_share: Option<f64>,
    pub nps: Option<f64>,
    pub retention: Option<f64>,
    pub roi: Option<f64>,
}

impl ProgramKpis {
    /// (key, value) in the order of `program.json`.
    pub fn entries(&self) -> [(&'static str, Option<f64>); 7] {
        [
            ("influenced_share", self.influenced_share),
            ("sourced_share", self.sourced_share),
            ("strategic_partner_revenue", self.strategic_partner_revenue),
            ("lead_share", self.lead_share),
            ("nps", self.nps),
            ("retention", self.retention),
            ("roi", self.roi),
        ]
    }
}

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
    pub kpis: ProgramKpis,
    /// Status of every program KPI with a target (all but `nps`).
    pub status: BTreeMap<&'static str, Status>,
    /// Targets used, by KPI key (ROI's is the one for Q's program year).
    pub targets: BTreeMap<&'static str, Option<f64>>,
    pub over_concentrated: Vec<String>,
    pub partner_of_the_quarter: Option<String>,
    pub nps_split: NpsSplit,
    /// Herfindahl–Hirschman index of partner shares, 0–10,000.
    pub hhi: Option<f64>,
}

/// Sums a partner field at `q` over every partner with a value; `None` if none has one.
fn sum_at(
    data: &Data,
    q: Quarter,
    f: impl Fn(&crate::data::QuarterData) -> Option<f64>,
) -> Option<f64> {
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

/// Computes the program report from the partner reports at `q`.
pub fn program_report(
    data: &Data,
    program: &Program,
    q: Quarter,
    partners: &[PartnerReport],
) -> ProgramReport {
    let end = q.end_date();
    let company = program.company(q);
    let influenced_share = ratio(
        sum_at(data, q, |d| d.influenced_revenue),
        company.and_then(|c| c.revenue),
    );
    let sourced_share = ratio(
        sum_at(data, q, |d| d.sourced_revenue),
        company.and_then(|c| c.revenue),
    );
    let lead_share = ratio(
        sum_at(data, q, |d| d.leads.map(|l| l as f64)),
        company.and_then(|c| c.leads),
    );

    let tier1: Vec<f64> = data
        .partners
        .iter()
        .filter(|p| p.tier == 1 && p.active_at(end))
        .filter_map(|p| ttm_revenue(p, q))
        .collect();
    let strategic_partner_revenue =
        (!tier1.is_empty()).then(|| tier1.iter().sum::<f64>() / tier1.len() as f64);

    let mut nps_split = NpsSplit::default();
    for p in data.partners.iter().filter(|p| p.active_at(end)) {
        match p.quarter(q).and_then(|d| d.recommend) {
            Some(r) if r >= 9.0 => nps_split.promoters += 1,
            Some(r) if r <= 6.0 => nps_split.detractors += 1,
            Some(_) => nps_split.passives += 1,
            None => {}
        }
    }

    let year_ago = q.minus(4).end_date();
    let base: Vec<_> = data
        .partners
        .iter()
        .filter(|p| p.active_at(year_ago))
        .collect();
    let kept = base.iter().filter(|p| p.active_at(end)).count();
    let retention = (!base.is_empty()).then(|| kept as f64 / base.len() as f64);

    let kpis = ProgramKpis {
        influenced_share,
        sourced_share,
        strategic_partner_revenue,
        lead_share,
        nps: nps_split.score(),
        retention,
        roi: roi(data, program, q),
    };
    let mut targets = BTreeMap::new();
    let mut statuses = BTreeMap::new();
    for (key, value) in kpis.entries() {
        let t = match key {
            "nps" => continue,
            "roi" => roi_target(program, q.year()),
            _ => target(program, key),
        };
        targets.insert(key, t);
        statuses.insert(key, status(value, t, Better::Higher));
    }

    let limit = program.targets.max_partner_share;
    let mut over_concentrated: Vec<String> = partners
        .iter()
        .filter(
            |r| match (r.kpis.get("partner_share").copied().flatten(), limit) {
                (Some(share), Some(limit)) => share > limit,
                _ => false,
            },
        )
        .map(|r| r.slug.clone())
        .collect();
    over_concentrated.sort();

    let shares: Vec<f64> = partners
        .iter()
        .filter_map(|r| r.kpis.get("partner_share").copied().flatten())
        .collect();
    let hhi = (!shares.is_empty()).then(|| shares.iter().map(|s| (s * 100.0).powi(2)).sum());

    ProgramReport {
        kpis,
        status: statuses,
        targets,
        over_concentrated,
        partner_of_the_quarter: partner_of_the_quarter(partners),
        nps_split,
        hhi,
    }
}

/// The active partner with the most `on_track` KPIs; ties go to higher
/// influenced revenue at Q (no data ranks lowest), then to the smaller slug.
pub fn partner_of_the_quarter(partners: &[PartnerReport]) -> Option<String> {
    let influenced = |r: &PartnerReport| r.kpis.get("influenced_revenue").copied().flatten();
    partners
        .iter()
        .filter(|r| r.active)
        .min_by(|a, b| {
            b.on_track
                .cmp(&a.on_track)
                .then_with(|| {
                    let (x, y) = (influenced(a), influenced(b));
                    match (x, y) {
                        (Some(x), Some(y)) => y.total_cmp(&x),
                        (Some(_), None) => std::cmp::Ordering::Less,
                        (None, Some(_)) => std::cmp::Ordering::Greater,
                        (None, None) => std::cmp::Ordering::Equal,
                    }
                })
                .then_with(|| a.slug.cmp(&b.slug))
        })
        .map(|r| r.slug.clone())
}
