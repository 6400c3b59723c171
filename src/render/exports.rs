//! The machine-readable exports of the reports, exactly as DESIGN.md §6
//! says: `report.json` and `metrics.csv` of each partner, `program.json`
//! of the program.

use serde::Serialize;

use crate::data::Partner;
use crate::metrics::{Kpi, KpiMap, Kpis, PartnerReport, ProgramKpi, Reports, Status};
use crate::values::{Quarter, Tier};

#[derive(Serialize)]
struct ReportJson<'a> {
    partner: &'a str,
    name: &'a str,
    tier: Tier,
    quarter: String,
    kpis: &'a Kpis,
    status: &'a KpiMap<Kpi, Status>,
}

/// `report.json`: every KPI of the partner (null without data) and the
/// status of every KPI that has a target.
pub fn report_json(p: &Partner, report: &PartnerReport, q: Quarter) -> String {
    to_json(&ReportJson {
        partner: &p.slug,
        name: &p.name,
        tier: p.tier,
        quarter: q.to_string(),
        kpis: &report.kpis,
        status: &report.status,
    })
}

#[derive(Serialize)]
struct ProgramJson<'a> {
    quarter: String,
    kpis: &'a KpiMap<ProgramKpi, f64>,
    status: &'a KpiMap<ProgramKpi, Status>,
    over_concentrated: &'a [String],
    partner_of_the_quarter: Option<&'a str>,
}

/// `program.json`: the program KPIs and their status.
pub fn program_json(reports: &Reports) -> String {
    let p = &reports.program;
    to_json(&ProgramJson {
        quarter: reports.quarter.to_string(),
        kpis: &p.kpis,
        status: &p.status,
        over_concentrated: &p.over_concentrated,
        partner_of_the_quarter: p.partner_of_the_quarter(),
    })
}

/// Pretty JSON with `<` escaped, so it is safe even if inlined in HTML.
pub fn to_json<T: Serialize>(value: &T) -> String {
    let text = serde_json::to_string_pretty(value)
        .expect("report values are plain data and always serialize");
    text.replace('<', "\\u003c") + "\n"
}

/// `metrics.csv`: one row per quarter, one column per data field.
pub fn metrics_csv(p: &Partner) -> String {
    let header = [
        "quarter",
        "influenced_revenue",
        "sourced_revenue",
        "deals_total",
        "deals_registered",
        "competitive_deals",
        "competitive_wins",
        "staff",
        "certified_staff",
        "certifications_technical",
        "certifications_sales",
        "certifications_marketing",
        "satisfaction",
        "recommend",
        "joint_csat",
        "customers",
        "customers_with_integration",
        "leads",
        "mdf_approved",
        "mdf_spent",
        "comment",
    ];
    let mut csv = header.join(",") + "\n";
    let n = |v: Option<f64>| v.map(|v| format!("{v}")).unwrap_or_default();
    let c = |v: Option<u64>| v.map(|v| v.to_string()).unwrap_or_default();
    for d in &p.quarters {
        let certs = d.certifications.unwrap_or_default();
        let cells = [
            d.quarter.to_string(),
            n(d.influenced_revenue),
            n(d.sourced_revenue),
            c(d.deals_total),
            c(d.deals_registered),
            c(d.competitive_deals),
            c(d.competitive_wins),
            c(d.staff),
            c(d.certified_staff),
            if d.certifications.is_some() {
                c(Some(certs.technical.unwrap_or(0)))
            } else {
                String::new()
            },
            if d.certifications.is_some() {
                c(Some(certs.sales.unwrap_or(0)))
            } else {
                String::new()
            },
            if d.certifications.is_some() {
                c(Some(certs.marketing.unwrap_or(0)))
            } else {
                String::new()
            },
            n(d.satisfaction),
            n(d.recommend),
            n(d.joint_csat),
            c(d.customers),
            c(d.customers_with_integration),
            c(d.leads),
            n(d.mdf_approved),
            n(d.mdf_spent),
            csv_text(d.comment.as_deref().unwrap_or("")),
        ];
        csv.push_str(&cells.join(","));
        csv.push('\n');
    }
    csv
}

/// Quotes a CSV text cell and defuses spreadsheet formulas (`=`, `+`, `-`, `@`).
pub fn csv_text(s: &str) -> String {
    if s.is_empty() {
        return String::new();
    }
    let s = s.replace('\0', "\u{fffd}");
    let guarded = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    format!("\"{}\"", guarded.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_defuse_formulas_and_quote() {
        assert_eq!(csv_text("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_text("plain, text"), "\"plain, text\"");
        assert_eq!(csv_text(""), "");
    }

    #[test]
    fn json_escapes_angle_brackets() {
        assert_eq!(to_json(&"<script>"), "\"\\u003cscript>\"\n");
    }
}
