//! The program dashboard (`/reports/`, `dashboard.html`), its charts and
//! `program.json`: the program report of `metrics`, formatted.

use std::collections::BTreeMap;

use serde::Serialize;

use super::charts::{self, Chart, Meta, Series};
use super::context::{NamedLink, PartnerContext};
use super::exports::program_json;
use super::renderer::{Renderer, Sink, Var};
use super::select::Selected;
use crate::content::schedule::expiring;
use crate::content::stale::{Stale, stale};
use crate::data::{Partner, Program};
use crate::metrics::{Kpi, ProgramKpi, Reports, Status};
use crate::site::Site;
use crate::values::Unit;
use crate::values::number::{NO_DATA, value};

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
struct ExpiringPage {
    title: String,
    url: String,
    expires: String,
    days: i64,
}

#[derive(Serialize)]
struct NpsCounts {
    promoters: usize,
    passives: usize,
    detractors: usize,
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
    /// Pages that expire within 14 days of the build date.
    expiring: Vec<ExpiringPage>,
    build_date: String,
    json_url: String,
}

/// Renders the dashboard, its charts and `program.json` into `sink`.
pub(crate) fn render(
    r: &Renderer<'_>,
    selected: &Selected<'_>,
    reports: &Reports,
    program: &Program,
    partners: &[&Partner],
    sink: &mut Sink,
) {
    let site = r.site;
    let pr = &reports.program;
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
    let leaderboard = (pr.ranking.iter().enumerate())
        .filter_map(|(i, slug)| {
            let x = reports.partner(slug)?;
            let kpi = |k: Kpi| value(x.kpis.get(k), k.unit());
            Some(LeaderRow {
                rank: i + 1,
                partner: contexts.get(slug.as_str())?,
                on_track: x.on_track,
                influenced_revenue: kpi(Kpi::InfluencedRevenue),
                ttm_revenue: kpi(Kpi::TtmRevenue),
                share: kpi(Kpi::PartnerShare),
                url: site.config.url(&format!("/partners/{slug}/")),
            })
        })
        .collect();
    let ctx = ProgramContext {
        name: &program.name,
        quarter: reports.quarter.to_string(),
        as_of: reports.as_of.to_string(),
        kpis: program_rows(pr),
        nps: value(pr.kpis.get(ProgramKpi::Nps), Unit::Points),
        nps_split: NpsCounts {
            promoters: pr.nps_split.promoters,
            passives: pr.nps_split.passives,
            detractors: pr.nps_split.detractors,
        },
        hhi: pr.hhi.map_or(NO_DATA.into(), |h| format!("{h:.0}")),
        over_concentrated: pr.over_concentrated.iter().map(|s| link(s)).collect(),
        partner_of_the_quarter: pr.partner_of_the_quarter().map(link),
        leaderboard,
        charts: program_charts(site, reports, program),
        stale: stale_pages(site, reports.as_of),
        expiring: expiring_pages(site),
        build_date: site.date.to_string(),
        json_url: site.config.url("/reports/program.json"),
    };
    for c in &ctx.charts {
        sink.file(
            selected,
            format!("reports/{}", c.file),
            c.svg.clone().into_bytes(),
        );
    }
    let json = program_json(reports).into_bytes();
    sink.file(selected, "reports/program.json".into(), json);
    sink.in_sitemap(["/reports/".to_string()]);
    let html = r.render_plain("dashboard.html", "/reports/", Var("program", ctx));
    sink.page(selected, "/reports/", html);
}

/// The program KPIs, formatted, with their targets and status.
fn program_rows(pr: &crate::metrics::ProgramReport) -> Vec<ProgramRow> {
    ProgramKpi::ALL
        .into_iter()
        .map(|k| {
            let status = pr.status.get(k);
            ProgramRow {
                key: k.key(),
                label: k.label(),
                value: value(pr.kpis.get(k), k.unit()),
                target: k.has_target().then(|| match pr.targets.get(k) {
                    Some(t) => format!("≥ {}", value(Some(t), k.unit())),
                    None => "not set".into(),
                }),
                status: status.map(Status::key),
                status_label: status.map(Status::label),
            }
        })
        .collect()
}

fn program_charts(site: &Site, reports: &Reports, program: &Program) -> Vec<Chart> {
    let q = reports.quarter;
    let pr = &reports.program;
    let cats: Vec<String> = pr.chart_quarters.iter().map(|q| q.to_string()).collect();
    let by_tier: Vec<Series> = (pr.revenue_by_tier.iter())
        .map(|(tier, values)| Series {
            name: format!("Tier {tier}"),
            values: values.clone(),
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
            let share = x.kpis.get(Kpi::PartnerShare)?;
            Some((site.data.partner(&x.slug)?.name.clone(), share))
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
                value(program.targets.max_partner_share, Unit::Rate)
            ),
        },
        &names,
        &values,
        program.targets.max_partner_share,
        Unit::Rate,
        "Share",
    );
    let split = pr.nps_split;
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
        Unit::Count,
        "Partners",
    );
    vec![revenue, share, nps]
}

/// Pages that expire soon after the build date (the rule of `check`),
/// soonest first.
fn expiring_pages(site: &Site) -> Vec<ExpiringPage> {
    let mut list: Vec<ExpiringPage> = (site.content.pages.iter())
        .filter_map(|p| {
            let expires = expiring(&p.doc, site.date)?;
            Some(ExpiringPage {
                title: p.doc.meta.title.clone(),
                url: site.config.url(&p.doc.path),
                expires: expires.to_string(),
                days: (expires - site.date).whole_days(),
            })
        })
        .collect();
    list.sort_by(|a, b| a.expires.cmp(&b.expires).then_with(|| a.url.cmp(&b.url)));
    list
}

/// Pages past `review_by`, or not updated within `stale_after_days`: the
/// rule of `check`, worded for the dashboard.
fn stale_pages(site: &Site, as_of: time::Date) -> Vec<StalePage> {
    let mut list: Vec<StalePage> = site
        .content
        .pages
        .iter()
        .filter_map(|p| {
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
