//! Partner reports, the partner directory and the program dashboard:
//! HTML pages, SVG charts, `report.json`, `metrics.csv` and `program.json`.
//!
//! Everything shown is computed and formatted here; templates lay it out.

use std::collections::BTreeMap;

use serde::Serialize;

use super::context::{NamedLink, Summary};
use super::incremental::Only;
use super::{Renderer, Selected, Var, View};
use crate::charts::{self, Chart, Meta, Series};
use crate::cobrand::PartnerContext;
use crate::data::partner::Partner;
use crate::data::{Program, Quarter};
use crate::diagnostic::Diagnostic;
use crate::format;
use crate::metrics::{PARTNER_KPIS, PartnerReport, Reports, Status, Unit};
use crate::output::Output;
use crate::site::Site;

/// Output files: (relative path, bytes).
type Files = Vec<(String, Vec<u8>)>;

/// One row of a partner's scorecard.
#[derive(Debug, Serialize)]
pub struct ScoreRow {
    pub key: &'static str,
    pub label: &'static str,
    pub value: String,
    /// The exact value (to the cent for money), for a tooltip or print.
    pub exact: String,
    pub target: Option<String>,
    pub status: Option<&'static str>,
    pub status_label: Option<&'static str>,
    pub change: String,
    pub formula: &'static str,
    /// The formula with this quarter's numbers, e.g. `17 ÷ 30`.
    pub inputs: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Criterion {
    pub label: &'static str,
    pub current: String,
    pub required: String,
    pub met: bool,
    /// 0–100; `None` without data.
    pub progress: Option<u32>,
}

#[derive(Debug, Serialize)]
pub struct NextTier {
    pub tier: u8,
    pub criteria: Vec<Criterion>,
}

#[derive(Debug, Serialize)]
pub struct PhaseInfo {
    pub name: &'static str,
    pub started: String,
    pub days: i64,
    pub limit: Option<i64>,
    pub overdue: bool,
}

#[derive(Debug, Serialize)]
pub struct ActionRow {
    pub title: String,
    pub owner: String,
    pub due: Option<String>,
    pub done: bool,
    pub overdue: bool,
}

/// `report` in `partner.html`.
#[derive(Debug, Serialize)]
pub struct ReportContext<'a> {
    pub quarter: String,
    pub quarter_end: String,
    pub as_of: String,
    pub has_data: bool,
    pub scorecard: Vec<ScoreRow>,
    pub on_track: usize,
    pub charts: Vec<Chart>,
    pub next_tier: Option<NextTier>,
    pub phase: Option<PhaseInfo>,
    pub comment: Option<String>,
    pub actions: Vec<ActionRow>,
    pub overdue_actions: usize,
    pub playbooks: Vec<&'a Summary>,
    /// Pages limited to some tiers, including this partner's.
    pub tier_resources: Vec<&'a Summary>,
    pub cobrand: Vec<NamedLink>,
    pub json_url: String,
    pub csv_url: String,
}

/// Which partners a view shows reports for.
pub(crate) fn partners_in_view<'s>(site: &'s Site, view: &View) -> Vec<&'s Partner> {
    match view {
        View::Internal => site.data.partners.iter().collect(),
        View::Public => Vec::new(),
        View::Partner { slug, .. } => site.data.partner(slug).into_iter().collect(),
    }
}

/// A co-branded page may be copied for a partner whose tier it allows.
pub(crate) fn cobrand_allows(page: &crate::content::Page, partner: &Partner) -> bool {
    let meta = &page.doc.meta;
    // A partner that has left the program gets no new co-branded material.
    meta.cobrand
        && partner.left.is_none()
        && meta.audience != crate::content::Audience::Internal
        && (meta.tiers.is_empty() || meta.tiers.contains(&partner.tier))
}

/// URL path of a partner's co-branded copy of a page.
pub(crate) fn cobrand_path(partner: &Partner, page: &crate::content::Page) -> String {
    format!("/partners/{}/{}/", partner.slug, page.slug)
}

/// The URL paths of the report pages of the view (whether rendered now or
/// kept from the last build), for the sitemap.
pub(crate) fn sitemap_paths(site: &Site, view: &View) -> Vec<String> {
    if site.data.program.is_none() {
        return Vec::new();
    }
    let mut paths: Vec<String> = partners_in_view(site, view)
        .iter()
        .map(|p| format!("/partners/{}/", p.slug))
        .collect();
    if *view == View::Internal {
        paths.push("/partners/".into());
        paths.push("/reports/".into());
    }
    paths
}

/// Renders every partner report of the view (and the directory and
/// dashboard for the internal view) into `output`.
pub(crate) fn render(
    r: &Renderer<'_>,
    selected: &Selected<'_>,
    summaries: &[Summary],
    reports: &Reports,
    view: &View,
    only: Option<&Only>,
    output: &mut Output,
) -> Result<usize, Vec<Diagnostic>> {
    let site = r.site;
    let Some(program) = site.data.program.as_ref() else {
        return Ok(0);
    };
    let mut diagnostics = Vec::new();
    let mut charts = 0;
    let partners = partners_in_view(site, view);
    let results: Vec<Result<(String, Files), Diagnostic>> = {
        use rayon::prelude::*;
        partners
            .par_iter()
            .filter(|p| {
                only.is_none_or(|o| {
                    o.partners.contains(&p.slug)
                        || o.wants(&format!("/partners/{}/", p.slug), "partner.html")
                })
            })
            .map(|p| partner_files(r, selected, summaries, reports, program, p))
            .collect()
    };
    for result in results {
        match result {
            Ok((_, files)) => {
                for (file, bytes) in files {
                    charts += usize::from(file.ends_with(".svg"));
                    if output.add(file.clone(), bytes).is_err() {
                        diagnostics.push(clash(selected, &file));
                    }
                }
            }
            Err(d) => diagnostics.push(d),
        }
    }
    let program_wants =
        |path: &str, template: &str| only.is_none_or(|o| o.program || o.wants(path, template));
    if *view == View::Internal && program_wants("/partners/", "partners.html") {
        match directory(r, reports, &partners) {
            Ok(html) => {
                if output.add("partners/index.html", html).is_err() {
                    diagnostics.push(clash(selected, "partners/index.html"));
                }
            }
            Err(d) => diagnostics.push(d),
        }
    }
    if *view == View::Internal && program_wants("/reports/", "dashboard.html") {
        match dashboard(r, reports, program, &partners) {
            Ok(files) => {
                for (file, bytes) in files {
                    charts += usize::from(file.ends_with(".svg"));
                    if output.add(file.clone(), bytes).is_err() {
                        diagnostics.push(clash(selected, &file));
                    }
                }
            }
            Err(d) => diagnostics.push(d),
        }
    }
    if diagnostics.is_empty() {
        Ok(charts)
    } else {
        Err(diagnostics)
    }
}

/// A page of the content whose output file is also a generated file (a
/// report, the directory, the dashboard, a taxonomy list, a co-branded copy).
pub(crate) fn clash(selected: &Selected<'_>, file: &str) -> Diagnostic {
    let doc = selected
        .pages
        .iter()
        .map(|(p, _)| &p.doc)
        .chain(selected.sections.values().map(|(s, _)| &s.doc))
        .find(|d| format!("{}index.html", d.path.trim_start_matches('/')) == file);
    let message = format!(
        "{file} is generated by partnersite (a partner report, the partner directory, the dashboard, a tag or track list, a co-branded copy or the search page); move this page or set another `slug`"
    );
    match doc {
        Some(d) => Diagnostic::error(&d.file, message),
        None => Diagnostic::error("content", message),
    }
}

fn quarters_up_to(p: &Partner, q: Quarter) -> Vec<Quarter> {
    p.quarters
        .iter()
        .map(|d| d.quarter)
        .filter(|x| *x <= q)
        .collect()
}

fn partner_charts(p: &Partner, program: &Program, q: Quarter) -> Vec<Chart> {
    let quarters = quarters_up_to(p, q);
    let cats: Vec<String> = quarters.iter().map(|q| q.to_string()).collect();
    let col = |f: &dyn Fn(&crate::data::QuarterData) -> Option<f64>| -> Vec<Option<f64>> {
        quarters.iter().map(|x| p.quarter(*x).and_then(f)).collect()
    };
    let name = &p.name;
    let revenue = charts::bars(
        Meta {
            file: "revenue.svg",
            title: &format!("{name}: influenced and sourced revenue"),
            desc: &format!(
                "Quarterly partner-influenced and partner-sourced revenue of {name} in USD, {} quarters up to {q}.",
                cats.len()
            ),
        },
        &cats,
        &[
            Series {
                name: "Influenced".into(),
                values: col(&|d| d.influenced_revenue),
            },
            Series {
                name: "Sourced".into(),
                values: col(&|d| d.sourced_revenue),
            },
        ],
        Unit::Money,
        false,
    );
    let satisfaction = charts::lines_with_target(
        Meta {
            file: "satisfaction.svg",
            title: &format!("{name}: partner satisfaction"),
            desc: &format!(
                "Partner satisfaction survey score (0–10) of {name} per quarter against the program target."
            ),
        },
        &cats,
        &[Series {
            name: "Satisfaction".into(),
            values: col(&|d| d.satisfaction),
        }],
        program.targets.satisfaction,
        Unit::Score,
    );
    let registration = charts::lines_with_target(
        Meta {
            file: "deal-registration.svg",
            title: &format!("{name}: deal registration rate"),
            desc: &format!(
                "Share of {name}'s deals registered through deal registration per quarter against the program target."
            ),
        },
        &cats,
        &[Series {
            name: "Registration rate".into(),
            values: col(&|d| {
                crate::metrics::ratio(
                    d.deals_registered.map(|v| v as f64),
                    d.deals_total.map(|v| v as f64),
                )
            }),
        }],
        program.targets.deal_registration_rate,
        Unit::Rate,
    );
    let track = |f: fn(&crate::data::partner::Certifications) -> Option<u64>| {
        col(&|d| d.certifications.map(|c| f(&c).unwrap_or(0) as f64))
    };
    let certifications = charts::bars(
        Meta {
            file: "certifications.svg",
            title: &format!("{name}: certifications by track"),
            desc: &format!(
                "Number of Server Café certifications held by {name} staff per quarter, by track (technical 40 h, sales 24 h, marketing 16 h)."
            ),
        },
        &cats,
        &[
            Series {
                name: "Technical".into(),
                values: track(|c| c.technical),
            },
            Series {
                name: "Sales".into(),
                values: track(|c| c.sales),
            },
            Series {
                name: "Marketing".into(),
                values: track(|c| c.marketing),
            },
        ],
        Unit::Hours,
        true,
    );
    let mut certifications = certifications;
    // Counts, not hours: the table says so.
    for row in &mut certifications.table.rows {
        for cell in row.iter_mut().skip(1) {
            *cell = cell.trim_end_matches(" h").to_string();
        }
    }
    vec![revenue, satisfaction, registration, certifications]
}

fn scorecard(p: &Partner, report: &PartnerReport, program: &Program, q: Quarter) -> Vec<ScoreRow> {
    PARTNER_KPIS
        .iter()
        .map(|k| {
            let value = report.kpis.get(k.key).copied().flatten();
            let status = report.status.get(k.key).copied();
            let target = k
                .target
                .map(|(t, _)| match crate::metrics::target(program, t) {
                    Some(v) => {
                        let shown = format::value(Some(v), k.unit);
                        if t == "max_partner_share" {
                            format!("≤ {shown}")
                        } else {
                            format!("≥ {shown}")
                        }
                    }
                    None => "not set".to_string(),
                });
            ScoreRow {
                key: k.key,
                label: k.label,
                value: format::value(value, k.unit),
                exact: match (value, k.unit) {
                    (Some(v), Unit::Money) => format::money_exact(v),
                    (Some(v), _) => format!("{v}"),
                    (None, _) => format::NO_DATA.into(),
                },
                target,
                status: status.map(Status::key),
                status_label: status.map(Status::label),
                change: format::change(
                    value,
                    report.previous.get(k.key).copied().flatten(),
                    k.unit,
                ),
                formula: k.formula,
                inputs: inputs(p, q, k.key),
            }
        })
        .collect()
}

/// The formula with the quarter's numbers, for ratios.
fn inputs(p: &Partner, q: Quarter, key: &str) -> Option<String> {
    let d = p.quarter(q)?;
    let pair = |a: Option<u64>, b: Option<u64>| Some(format!("{} ÷ {}", a?, b?));
    match key {
        "deal_registration_rate" => pair(d.deals_registered, d.deals_total),
        "win_rate" => pair(d.competitive_wins, d.competitive_deals),
        "certified_staff_share" => pair(d.certified_staff, d.staff),
        "integration_adoption" => pair(d.customers_with_integration, d.customers),
        "mdf_utilization" => Some(format!(
            "{} ÷ {}",
            format::money_exact(d.mdf_spent?),
            format::money_exact(d.mdf_approved?)
        )),
        "yoy_growth" => Some(format!(
            "{} ÷ {} − 1",
            format::money_exact(d.influenced_revenue?),
            format::money_exact(p.quarter(q.minus(4))?.influenced_revenue?)
        )),
        "certification_hours" => {
            let c = d.certifications?;
            Some(format!(
                "40 × {} + 24 × {} + 16 × {}",
                c.technical.unwrap_or(0),
                c.sales.unwrap_or(0),
                c.marketing.unwrap_or(0)
            ))
        }
        _ => None,
    }
}

fn next_tier(
    p: &Partner,
    program: &Program,
    report: &PartnerReport,
    q: Quarter,
) -> Option<NextTier> {
    let tier = p.tier.checked_sub(1).filter(|t| *t >= 1)?;
    let rule = program.tiers.get(&tier)?;
    let ttm = report.kpis.get("ttm_revenue").copied().flatten();
    let certified = p
        .quarter(q)
        .and_then(|d| d.certified_staff)
        .map(|c| c as f64);
    // Missing data is "no data" with an empty meter, never a zero.
    let criterion = |label, current: Option<f64>, required: f64, unit| {
        let shown = |v: f64| match unit {
            Unit::Money => format::money(v),
            _ => format!("{v}"),
        };
        Criterion {
            label,
            current: current.map_or_else(|| format::NO_DATA.to_string(), shown),
            required: shown(required),
            met: current.is_some_and(|c| c >= required),
            progress: match current {
                None => None,
                Some(_) if required <= 0.0 => Some(100),
                Some(c) => Some(((c / required) * 100.0).clamp(0.0, 100.0) as u32),
            },
        }
    };
    Some(NextTier {
        tier,
        criteria: vec![
            criterion(
                "Trailing-12-month revenue",
                ttm,
                rule.min_ttm_revenue,
                Unit::Money,
            ),
            criterion(
                "Certified staff",
                certified,
                rule.min_certified_staff as f64,
                Unit::Hours,
            ),
        ],
    })
}

fn phase(p: &Partner, as_of: time::Date) -> Option<PhaseInfo> {
    let phase = p.phase?;
    let started = p.phase_started?;
    let days = (as_of - started).whole_days().max(0);
    let limit = phase.limit_days();
    Some(PhaseInfo {
        name: phase.name(),
        started: started.to_string(),
        days,
        limit,
        overdue: limit.is_some_and(|l| days > l),
    })
}

#[derive(Serialize)]
struct PartnerOwn<'a> {
    partner: &'a PartnerContext,
    report: ReportContext<'a>,
}

/// One partner's page, charts, JSON and CSV: (URL path, files).
fn partner_files(
    r: &Renderer<'_>,
    selected: &Selected<'_>,
    summaries: &[Summary],
    reports: &Reports,
    program: &Program,
    p: &Partner,
) -> Result<(String, Files), Diagnostic> {
    let site = r.site;
    let q = reports.quarter;
    let report = reports
        .partners
        .iter()
        .find(|x| x.slug == p.slug)
        .expect("compute makes one report per partner");
    let dir = format!("partners/{}", p.slug);
    let path = format!("/{dir}/");
    let partner = PartnerContext::new(site, p);
    let charts = partner_charts(p, program, q);
    let playbooks = selected
        .pages
        .iter()
        .zip(summaries)
        .filter(|((page, _), _)| {
            let m = &page.doc.meta;
            m.tags.iter().any(|t| t == "playbook")
                && (m.tiers.is_empty() || m.tiers.contains(&p.tier))
        })
        .map(|(_, s)| s)
        .collect();
    let tier_resources = selected
        .pages
        .iter()
        .zip(summaries)
        .filter(|((page, _), _)| page.doc.meta.tiers.contains(&p.tier))
        .map(|(_, s)| s)
        .collect();
    let cobrand = selected
        .pages
        .iter()
        .filter(|(page, _)| cobrand_allows(page, p))
        .map(|(page, _)| NamedLink {
            name: page.doc.meta.title.clone(),
            url: site.config.url(&cobrand_path(p, page)),
        })
        .collect();
    let comment = p.quarter(q).and_then(|d| d.comment.as_deref()).map(|c| {
        let no_links = |_: &str| {
            Err("links to pages are not available in comments".to_string())
                as Result<Option<String>, String>
        };
        crate::markdown::render(
            &crate::highlight::escape_text(c),
            &no_links,
            &crate::highlight::Highlighter::new(),
        )
        .0
        .html
    });
    let actions: Vec<ActionRow> = p
        .actions
        .iter()
        .map(|a| ActionRow {
            title: a.title.clone(),
            owner: a.owner.clone(),
            due: a.due.map(|d| d.to_string()),
            done: a.done,
            overdue: !a.done && a.due.is_some_and(|d| d < reports.as_of),
        })
        .collect();
    let ctx = ReportContext {
        quarter: q.to_string(),
        quarter_end: q.end_date().to_string(),
        as_of: reports.as_of.to_string(),
        has_data: p.quarter(q).is_some(),
        scorecard: scorecard(p, report, program, q),
        on_track: report.on_track,
        next_tier: next_tier(p, program, report, q),
        phase: phase(p, reports.as_of),
        comment,
        overdue_actions: actions.iter().filter(|a| a.overdue).count(),
        actions,
        playbooks,
        tier_resources,
        cobrand,
        json_url: site.config.url(&format!("{path}report.json")),
        csv_url: site.config.url(&format!("{path}metrics.csv")),
        charts,
    };
    let mut files = Vec::new();
    for chart in &ctx.charts {
        files.push((
            format!("{dir}/{}", chart.file),
            chart.svg.clone().into_bytes(),
        ));
    }
    files.push((
        format!("{dir}/report.json"),
        report_json(p, report, q).into_bytes(),
    ));
    files.push((format!("{dir}/metrics.csv"), metrics_csv(p).into_bytes()));
    let html = r.render_plain(
        "partner.html",
        &path,
        PartnerOwn {
            partner: &partner,
            report: ctx,
        },
    )?;
    files.push((format!("{dir}/index.html"), html.into_bytes()));
    Ok((path, files))
}

#[derive(Serialize)]
struct ReportJson<'a> {
    partner: &'a str,
    name: &'a str,
    tier: u8,
    quarter: String,
    kpis: &'a BTreeMap<&'static str, Option<f64>>,
    status: &'a BTreeMap<&'static str, Status>,
}

/// `report.json` exactly as DESIGN.md §6 says.
pub fn report_json(p: &Partner, report: &PartnerReport, q: Quarter) -> String {
    let json = ReportJson {
        partner: &p.slug,
        name: &p.name,
        tier: p.tier,
        quarter: q.to_string(),
        kpis: &report.kpis,
        status: &report.status,
    };
    to_json(&json)
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
    let guarded = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    format!("\"{}\"", guarded.replace('"', "\"\""))
}

#[derive(Serialize)]
struct DirectoryEntry<'a> {
    partner: &'a PartnerContext,
    ttm_revenue: String,
    share: String,
    on_track: usize,
    active: bool,
    url: String,
}

#[derive(Serialize)]
struct TierGroup<'a> {
    tier: u8,
    name: &'static str,
    id: String,
    partners: Vec<DirectoryEntry<'a>>,
}

/// Tier names as the program calls them.
pub fn tier_name(tier: u8) -> &'static str {
    match tier {
        1 => "Strategic AI vendors",
        2 => "System integrators",
        _ => "Technology ecosystem",
    }
}

fn directory(
    r: &Renderer<'_>,
    reports: &Reports,
    partners: &[&Partner],
) -> Result<String, Diagnostic> {
    let contexts: Vec<PartnerContext> = partners
        .iter()
        .map(|p| PartnerContext::new(r.site, p))
        .collect();
    let mut groups: Vec<TierGroup> = (1..=3)
        .map(|tier| TierGroup {
            tier,
            name: tier_name(tier),
            id: format!("tier-{tier}"),
            partners: Vec::new(),
        })
        .collect();
    for (p, ctx) in partners.iter().zip(&contexts) {
        let report = reports.partners.iter().find(|x| x.slug == p.slug);
        let kpi = |k: &str| report.and_then(|r| r.kpis.get(k).copied().flatten());
        groups[usize::from(p.tier - 1)]
            .partners
            .push(DirectoryEntry {
                partner: ctx,
                ttm_revenue: format::value(kpi("ttm_revenue"), Unit::Money),
                share: format::value(kpi("partner_share"), Unit::Rate),
                on_track: report.map_or(0, |r| r.on_track),
                active: report.is_some_and(|r| r.active),
                url: r.site.config.url(&format!("/partners/{}/", p.slug)),
            });
    }
    #[derive(Serialize)]
    struct Own<'a> {
        tiers: Vec<TierGroup<'a>>,
        partners_count: usize,
        quarter: String,
    }
    r.render_plain(
        "partners.html",
        "/partners/",
        Own {
            tiers: groups,
            partners_count: partners.len(),
            quarter: reports.quarter.to_string(),
        },
    )
}

#[derive(Serialize)]
struct ProgramRow {
    key: &'static str,
    label: &'static str,
    value: String,
    target: Option<String>,
    status: Option<&'static str>,
    status_label: Option<&'static str>,
}

#[derive(Serialize)]
struct LeaderRow<'a> {
    rank: usize,
    partner: &'a PartnerContext,
    on_track: usize,
    influenced_revenue: String,
    ttm_revenue: String,
    share: String,
    url: String,
}

#[derive(Serialize)]
struct StalePage {
    title: String,
    url: String,
    reason: String,
}

#[derive(Serialize)]
struct ProgramContext<'a> {
    name: &'a str,
    quarter: String,
    as_of: String,
    kpis: Vec<ProgramRow>,
    nps: String,
    nps_split: NpsCounts,
    hhi: String,
    over_concentrated: Vec<NamedLink>,
    partner_of_the_quarter: Option<NamedLink>,
    leaderboard: Vec<LeaderRow<'a>>,
    charts: Vec<Chart>,
    stale: Vec<StalePage>,
    json_url: String,
}

#[derive(Serialize)]
struct NpsCounts {
    promoters: usize,
    passives: usize,
    detractors: usize,
}

#[derive(Serialize)]
struct ProgramJson<'a> {
    quarter: String,
    kpis: BTreeMap<&'static str, Option<f64>>,
    status: &'a BTreeMap<&'static str, Status>,
    over_concentrated: &'a [String],
    partner_of_the_quarter: Option<&'a str>,
}

/// `program.json` exactly as DESIGN.md §6 says.
pub fn program_json(reports: &Reports) -> String {
    let p = &reports.program;
    to_json(&ProgramJson {
        quarter: reports.quarter.to_string(),
        kpis: p.kpis.entries().into_iter().collect(),
        status: &p.status,
        over_concentrated: &p.over_concentrated,
        partner_of_the_quarter: p.partner_of_the_quarter.as_deref(),
    })
}

fn dashboard(
    r: &Renderer<'_>,
    reports: &Reports,
    program: &Program,
    partners: &[&Partner],
) -> Result<Files, Diagnostic> {
    let site = r.site;
    let q = reports.quarter;
    let pr = &reports.program;
    let labels = [
        (
            "influenced_share",
            "Partner-influenced share of revenue",
            Unit::Rate,
        ),
        (
            "sourced_share",
            "Partner-sourced share of revenue",
            Unit::Rate,
        ),
        (
            "strategic_partner_revenue",
            "Average TTM revenue per strategic partner",
            Unit::Money,
        ),
        ("lead_share", "Share of leads from partners", Unit::Rate),
        ("nps", "Partner NPS", Unit::Score),
        (
            "retention",
            "Partner retention (year over year)",
            Unit::Rate,
        ),
        ("roi", "Program ROI (year to date)", Unit::Score),
    ];
    let kpis = pr.kpis.entries();
    let rows = labels
        .iter()
        .zip(kpis)
        .map(|((key, label, unit), (_, value))| {
            let shown = |v: Option<f64>| match *key {
                "roi" => v.map_or(format::NO_DATA.into(), |v| format!("{v:.1}×")),
                "nps" => v.map_or(format::NO_DATA.into(), |v| format!("{v:+.0}")),
                _ => format::value(v, *unit),
            };
            let status = pr.status.get(key).copied();
            ProgramRow {
                key,
                label,
                value: shown(value),
                target: pr.targets.get(key).map(|t| match t {
                    Some(t) => format!("≥ {}", shown(Some(*t))),
                    None => "not set".into(),
                }),
                status: status.map(Status::key),
                status_label: status.map(Status::label),
            }
        })
        .collect();
    let contexts: BTreeMap<&str, PartnerContext> = partners
        .iter()
        .map(|p| (p.slug.as_str(), PartnerContext::new(site, p)))
        .collect();
    let link = |slug: &str| NamedLink {
        name: site
            .data
            .partner(slug)
            .map_or_else(|| slug.to_string(), |p| p.name.clone()),
        url: site.config.url(&format!("/partners/{slug}/")),
    };
    let mut active: Vec<&PartnerReport> = reports.partners.iter().filter(|x| x.active).collect();
    let kpi = |x: &PartnerReport, k: &str| x.kpis.get(k).copied().flatten();
    active.sort_by(|a, b| {
        b.on_track
            .cmp(&a.on_track)
            .then_with(|| {
                kpi(b, "influenced_revenue")
                    .unwrap_or(-1.0)
                    .total_cmp(&kpi(a, "influenced_revenue").unwrap_or(-1.0))
            })
            .then_with(|| a.slug.cmp(&b.slug))
    });
    let leaderboard = active
        .iter()
        .enumerate()
        .filter_map(|(i, x)| {
            Some(LeaderRow {
                rank: i + 1,
                partner: contexts.get(x.slug.as_str())?,
                on_track: x.on_track,
                influenced_revenue: format::value(kpi(x, "influenced_revenue"), Unit::Money),
                ttm_revenue: format::value(kpi(x, "ttm_revenue"), Unit::Money),
                share: format::value(kpi(x, "partner_share"), Unit::Rate),
                url: site.config.url(&format!("/partners/{}/", x.slug)),
            })
        })
        .collect();
    let charts = program_charts(site, reports, program, q);
    let ctx = ProgramContext {
        name: &program.name,
        quarter: q.to_string(),
        as_of: reports.as_of.to_string(),
        kpis: rows,
        nps: pr
            .kpis
            .nps
            .map_or(format::NO_DATA.into(), |v| format!("{v:+.0}")),
        nps_split: NpsCounts {
            promoters: pr.nps_split.promoters,
            passives: pr.nps_split.passives,
            detractors: pr.nps_split.detractors,
        },
        hhi: pr.hhi.map_or(format::NO_DATA.into(), |h| format!("{h:.0}")),
        over_concentrated: pr.over_concentrated.iter().map(|s| link(s)).collect(),
        partner_of_the_quarter: pr.partner_of_the_quarter.as_deref().map(link),
        leaderboard,
        charts,
        stale: stale_pages(site, reports.as_of),
        json_url: site.config.url("/reports/program.json"),
    };
    let mut files: Files = ctx
        .charts
        .iter()
        .map(|c| (format!("reports/{}", c.file), c.svg.clone().into_bytes()))
        .collect();
    files.push((
        "reports/program.json".into(),
        program_json(reports).into_bytes(),
    ));
    let html = r.render_plain("dashboard.html", "/reports/", Var("program", ctx))?;
    files.push(("reports/index.html".into(), html.into_bytes()));
    Ok(files)
}

fn program_charts(site: &Site, reports: &Reports, program: &Program, q: Quarter) -> Vec<Chart> {
    let first = site
        .data
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
    let cats: Vec<String> = quarters.iter().map(|q| q.to_string()).collect();
    let by_tier: Vec<Series> = (1..=3u8)
        .map(|tier| Series {
            name: format!("Tier {tier}"),
            values: quarters
                .iter()
                .map(|x| {
                    let v: Vec<f64> = site
                        .data
                        .partners
                        .iter()
                        .filter(|p| p.tier == tier)
                        .filter_map(|p| p.quarter(*x).and_then(|d| d.influenced_revenue))
                        .collect();
                    (!v.is_empty()).then(|| v.iter().sum())
                })
                .collect(),
        })
        .collect();
    let revenue = charts::bars(
        Meta {
            file: "revenue-by-tier.svg",
            title: "Partner-influenced revenue by tier",
            desc: &format!(
                "Quarterly partner-influenced revenue in USD, stacked by partner tier, up to {q}."
            ),
        },
        &cats,
        &by_tier,
        Unit::Money,
        true,
    );
    let mut shares: Vec<(String, f64)> = reports
        .partners
        .iter()
        .filter_map(|x| {
            Some((
                site.data.partner(&x.slug)?.name.clone(),
                x.kpis.get("partner_share").copied().flatten()?,
            ))
        })
        .collect();
    shares.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let (names, values): (Vec<String>, Vec<f64>) = shares.into_iter().unzip();
    let share = charts::horizontal_bars(
        Meta {
            file: "partner-share.svg",
            title: "Each partner's share of TTM partner revenue",
            desc: &format!(
                "Share of trailing-12-month partner-influenced revenue per active partner at {q}, against the concentration limit of {}.",
                format::value(program.targets.max_partner_share, Unit::Rate)
            ),
        },
        &names,
        &values,
        program.targets.max_partner_share,
        Unit::Rate,
        "Share",
    );
    let split = reports.program.nps_split;
    let nps = charts::horizontal_bars(
        Meta {
            file: "nps.svg",
            title: "Partner NPS: promoters, passives and detractors",
            desc: &format!(
                "Active partners at {q} by their answer to 'would you recommend us': {} promoters (9–10), {} passives (7–8), {} detractors (0–6).",
                split.promoters, split.passives, split.detractors
            ),
        },
        &["Promoters".into(), "Passives".into(), "Detractors".into()],
        &[
            split.promoters as f64,
            split.passives as f64,
            split.detractors as f64,
        ],
        None,
        Unit::Score,
        "Partners",
    );
    vec![revenue, share, nps]
}

/// Pages past `review_by`, or not updated within `stale_after_days`.
fn stale_pages(site: &Site, as_of: time::Date) -> Vec<StalePage> {
    use crate::check::stale::{Stale, stale};
    let mut list: Vec<StalePage> = site
        .content
        .pages
        .iter()
        .filter_map(|p| {
            // The rule of `check`, worded for the dashboard.
            let reason = match stale(&p.doc, as_of, site.config.stale_after_days)? {
                Stale::ReviewDue(r) => format!("review was due {r}"),
                Stale::NotUpdated { on, .. } => format!("not updated since {on}"),
            };
            Some(StalePage {
                title: p.doc.meta.title.clone(),
                url: site.config.url(&p.doc.path),
                reason,
            })
        })
        .collect();
    list.sort_by(|a, b| a.url.cmp(&b.url));
    list
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
