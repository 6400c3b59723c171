//! The compute stage: pure functions from partner data and a quarter to
//! every number the outputs show (DESIGN.md §4): KPIs and their status,
//! progress to the next tier, phase clocks, overdue actions, chart series,
//! the program's KPIs and the ranking of partners. No I/O, no formatting:
//! render only formats what is computed here.
//!
//! A value is `None` ("no data") when an input is missing or a denominator
//! is zero — never zero.

mod kpi;
mod partner;
mod program;
mod status;

pub use kpi::{Kpi, KpiMap, Kpis, ProgramKpi};
pub use partner::{
    Criterion, CriterionKind, History, PartnerReport, PhaseClock, TierProgress, active_ttm_total,
    certification_hours, deal_registration_rate, partner_kpis, partner_status, ratio, ttm_revenue,
};
pub use program::{NpsSplit, ProgramReport, program_report, ranking, roi, roi_target};
pub use status::{Better, Status, status};

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
    let totals = (
        active_ttm_total(&data.partners, q, q.end_date()),
        active_ttm_total(&data.partners, q.minus(1), q.minus(1).end_date()),
    );
    let partners: Vec<PartnerReport> = data
        .partners
        .iter()
        .map(|p| PartnerReport::new(p, program, q, as_of, totals))
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
