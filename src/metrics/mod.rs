//! The compute stage: pure functions from partner data and a quarter to
//! every number the outputs show (DESIGN.md §4): KPIs and their status,
//! progress to the next tier, phase clocks, overdue actions, chart series,
//! the program's KPIs and the ranking of partners. No I/O, no formatting:
//! render only formats what is computed here.
//!
//! A value is `None` ("no data") when an input is missing or a denominator
//! is zero — never zero.

mod changes;
mod kpi;
mod partner;
mod program;
mod status;

pub use changes::{DUE_SOON_DAYS, DueAction, StatusChange, due_actions, status_changes};
pub use kpi::{Kpi, KpiMap, Kpis, ProgramKpi};
pub use partner::{
    Criterion, CriterionKind, EarlierReport, History, PartnerReport, PhaseClock, TierProgress,
    active_ttm_total, certification_hours, deal_registration_rate, partner_kpis, partner_status,
    ratio, ttm_revenue,
};
pub use program::{NpsSplit, ProgramReport, program_report, ranking, roi, roi_target};
pub use status::{Better, Status, status};

use std::collections::BTreeMap;

use time::Date;

use crate::data::{Data, Program};
use crate::values::Quarter;

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

impl Reports {
    /// The date "what's new" counts from: the end of the quarter before
    /// the report quarter (status changes compare that quarter with this).
    pub fn whats_new_since(&self) -> Date {
        self.quarter.minus(1).end_date()
    }

    /// The report of the partner `slug`.
    pub fn partner(&self, slug: &str) -> Option<&PartnerReport> {
        let i = self
            .partners
            .binary_search_by(|r| r.slug.as_str().cmp(slug))
            .ok()?;
        Some(&self.partners[i])
    }
}

/// Computes every report at quarter `q`.
pub fn compute(data: &Data, program: &Program, q: Quarter) -> Reports {
    let as_of = program.as_of.unwrap_or_else(|| q.end_date());
    // Σ TTM revenue of the active partners at each quarter a report needs:
    // the report quarter, every earlier quarter with data, and the one
    // before each (for "change vs previous quarter").
    let mut needed = vec![q, q.minus(1)];
    for d in data.partners.iter().flat_map(|p| &p.quarters) {
        if d.quarter < q {
            needed.extend([d.quarter, d.quarter.minus(1)]);
        }
    }
    needed.sort_unstable();
    needed.dedup();
    let totals: BTreeMap<Quarter, Option<f64>> = needed
        .into_iter()
        .map(|t| (t, active_ttm_total(&data.partners, t, t.end_date())))
        .collect();
    let total = |t: Quarter| totals.get(&t).copied().flatten();
    let partners: Vec<PartnerReport> = data
        .partners
        .iter()
        .map(|p| {
            let mut report =
                PartnerReport::new(p, program, q, as_of, (total(q), total(q.minus(1))));
            report.earlier = PartnerReport::earlier(p, program, q, total);
            report
        })
        .collect();
    let program_report = program_report(data, program, q, &partners);
    Reports {
        quarter: q,
        as_of,
        partners,
        program: program_report,
    }
}

/// The reports of a site's data at its report quarter (`--quarter`, else
/// `report_quarter`, else the latest quarter), if it has partner data.
pub fn compute_site(data: &Data, quarter: Option<Quarter>) -> Option<Reports> {
    let program = data.program.as_ref()?;
    let q = data.report_quarter(quarter)?;
    Some(compute(data, program, q))
}

#[cfg(test)]
mod tests;
