//! A partner's report page (`partner.html`) with its charts: the numbers
//! of `metrics::PartnerReport`, formatted, beside the pages and kits the
//! view holds for the partner. `report.json` and `metrics.csv` are in
//! `exports`.

use serde::Serialize;

use super::charts::{self, Chart, Meta, Series};
use super::context::{NamedLink, PartnerContext, Summary};
use super::exports;
use super::paths::report_folder as folder;
use super::renderer::{Inputs, Renderer, Sink};
use super::select::Selected;
use crate::data::{Partner, Program};
use crate::diagnostic::Diagnostic;
use crate::highlight::Highlighter;
use crate::isolation::{cobrand_allows, cobrand_path, partners_in_view, recommended_for};
use crate::metrics::{CriterionKind, History, Kpi, PartnerReport, Reports, Status, TierProgress};
use crate::values::escape::html_text;
use crate::values::number::{self, NO_DATA};
use crate::values::{Quarter, Tier, Unit};

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
pub struct CriterionRow {
    pub label: &'static str,
    pub current: String,
    pub required: String,
    pub met: bool,
    /// 0–100; `None` without data.
    pub progress: Option<u32>,
}

#[derive(Debug, Serialize)]
pub struct NextTier {
    pub tier: Tier,
    pub criteria: Vec<CriterionRow>,
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

#[derive(Serialize)]
struct PartnerOwn<'a> {
    partner: &'a PartnerContext,
    report: ReportContext<'a>,
}

/// Renders the report files of every partner in the view that `only` wants.
pub(crate) fn render(inputs: &Inputs<'_, '_>, reports: &Reports, sink: &mut Sink) {
    use rayon::prelude::*;
    let Inputs {
        r,
        selected,
        summaries,
        view,
        highlighter,
        only,
    } = *inputs;
    let Some(program) = r.site.data.program.as_ref() else {
        return;
    };
    let partners = partners_in_view(r.site, view);
    sink.sitemap
        .extend(partners.iter().map(|p| format!("/{}", folder(&p.slug))));
    let wanted = |p: &&&Partner| {
        only.is_none_or(|o| {
            o.partners.contains(&p.slug)
                || o.wants(&format!("/{}", folder(&p.slug)), "partner.html")
        })
    };
    let results: Vec<_> = partners
        .par_iter()
        .filter(wanted)
        .map(|p| {
            let report = reports
                .partner(&p.slug)
                .expect("compute makes one report per partner");
            let ctx = Report {
                r,
                selected,
                summaries,
                reports,
                program,
                highlighter,
            };
            ctx.files(p, report).map_err(|d| vec![d])
        })
        .collect();
    sink.extend(selected, results);
    for p in partners.iter().filter(|p| wanted(p)) {
        sink.rule(view, &format!("/{}", folder(&p.slug)), || {
            "its own report".into()
        });
    }
}

/// What one partner's report is made from.
struct Report<'a, 'r> {
    r: &'a Renderer<'r>,
    selected: &'a Selected<'a>,
    summaries: &'a [Summary],
    reports: &'a Reports,
    program: &'a Program,
    highlighter: &'a Highlighter,
}

impl Report<'_, '_> {
    /// The page, charts, JSON and CSV of `p`: (file, bytes).
    fn files(
        &self,
        p: &Partner,
        report: &PartnerReport,
    ) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
        let q = self.reports.quarter;
        let dir = folder(&p.slug);
        let ctx = self.context(p, report, &dir);
        let mut files: Vec<(String, Vec<u8>)> = (ctx.charts.iter())
            .map(|c| (format!("{dir}{}", c.file), c.svg.clone().into_bytes()))
            .collect();
        let json = exports::report_json(p, report, q);
        files.push((format!("{dir}report.json"), json.into_bytes()));
        files.push((
            format!("{dir}metrics.csv"),
            exports::metrics_csv(p).into_bytes(),
        ));
        let partner = PartnerContext::new(self.r.site, p);
        let own = PartnerOwn {
            partner: &partner,
            report: ctx,
        };
        let html = self
            .r
            .render_plain("partner.html", &format!("/{dir}"), own)?;
        files.push((format!("{dir}index.html"), html.into_bytes()));
        Ok(files)
    }

    /// `report` of `partner.html`.
    fn context(&self, p: &Partner, report: &PartnerReport, dir: &str) -> ReportContext<'_> {
        let site = self.r.site;
        let q = self.reports.quarter;
        let listed: Vec<(&Summary, _)> = (self.selected.pages.iter().zip(self.summaries))
            .map(|((page, _), s)| (s, recommended_for(&page.doc, p)))
            .collect();
        let listed_as = |playbook: bool| {
            (listed.iter())
                .filter(|(_, l)| {
                    if playbook {
                        l.playbook
                    } else {
                        l.tier_resource
                    }
                })
                .map(|(s, _)| *s)
                .collect()
        };
        ReportContext {
            quarter: q.to_string(),
            quarter_end: q.end_date().to_string(),
            as_of: self.reports.as_of.to_string(),
            has_data: p.quarter(q).is_some(),
            scorecard: scorecard(p, report, self.program, q),
            on_track: report.on_track,
            charts: partner_charts(p, &report.history, self.program, q),
            next_tier: report.tier_progress.as_ref().map(next_tier),
            phase: report.phase.map(|c| PhaseInfo {
                name: c.phase.name(),
                started: c.started.to_string(),
                days: c.days,
                limit: c.limit,
                overdue: c.overdue,
            }),
            comment: (p.quarter(q))
                .and_then(|d| d.comment.as_deref())
                .map(|c| self.comment(c)),
            actions: actions(p, report),
            overdue_actions: report.overdue_count(),
            playbooks: listed_as(true),
            tier_resources: listed_as(false),
            cobrand: (self.selected.pages.iter())
                .filter(|(page, _)| cobrand_allows(page, p))
                .map(|(page, _)| NamedLink {
                    name: page.doc.meta.title.clone(),
                    url: site.config.url(&cobrand_path(p, page)),
                })
                .collect(),
            json_url: site.config.url(&format!("/{dir}report.json")),
            csv_url: site.config.url(&format!("/{dir}metrics.csv")),
        }
    }

    /// A quarter's comment: markdown, but never raw HTML, and links to
    /// pages are not available.
    fn comment(&self, text: &str) -> String {
        let no_links = |_: &str| -> Result<Option<String>, String> {
            Err("links to pages are not available in comments".to_string())
        };
        crate::markdown::render(&html_text(text), &no_links, self.highlighter)
            .0
            .html
    }
}

fn actions(p: &Partner, report: &PartnerReport) -> Vec<ActionRow> {
    (p.actions.iter().zip(&report.overdue_actions))
        .map(|(a, overdue)| ActionRow {
            title: a.title.clone(),
            owner: a.owner.clone(),
            due: a.due.map(|d| d.to_string()),
            done: a.done,
            overdue: *overdue,
        })
        .collect()
}

fn scorecard(p: &Partner, report: &PartnerReport, program: &Program, q: Quarter) -> Vec<ScoreRow> {
    (report.kpis.iter())
        .map(|(k, _)| {
            let value = report.kpis.get(k);
            let status = report.status.get(k);
            let target = k
                .goal()
                .map(|(_, better)| match k.target(&program.targets) {
                    Some(t) => {
                        let shown = number::value(Some(t), k.unit());
                        match better {
                            crate::metrics::Better::Lower => format!("≤ {shown}"),
                            crate::metrics::Better::Higher => format!("≥ {shown}"),
                        }
                    }
                    None => "not set".to_string(),
                });
            ScoreRow {
                key: k.key(),
                label: k.label(),
                value: number::value(value, k.unit()),
                exact: match (value, k.unit()) {
                    (Some(v), Unit::Money) => number::money_exact(v),
                    (Some(v), _) => format!("{v}"),
                    (None, _) => NO_DATA.into(),
                },
                target,
                status: status.map(Status::key),
                status_label: status.map(Status::label),
                change: number::change(value, report.previous.get(k), k.unit()),
                formula: k.formula(),
                inputs: inputs(p, q, k),
            }
        })
        .collect()
}

/// The formula with the quarter's numbers, for ratios.
fn inputs(p: &Partner, q: Quarter, kpi: Kpi) -> Option<String> {
    let d = p.quarter(q)?;
    let pair = |a: Option<u64>, b: Option<u64>| Some(format!("{} ÷ {}", a?, b?));
    let money = number::money_exact;
    match kpi {
        Kpi::DealRegistrationRate => pair(d.deals_registered, d.deals_total),
        Kpi::WinRate => pair(d.competitive_wins, d.competitive_deals),
        Kpi::CertifiedStaffShare => pair(d.certified_staff, d.staff),
        Kpi::IntegrationAdoption => pair(d.customers_with_integration, d.customers),
        Kpi::MdfUtilization => Some(format!(
            "{} ÷ {}",
            money(d.mdf_spent?),
            money(d.mdf_approved?)
        )),
        Kpi::YoyGrowth => Some(format!(
            "{} ÷ {} − 1",
            money(d.influenced_revenue?),
            money(p.quarter(q.minus(4))?.influenced_revenue?)
        )),
        Kpi::CertificationHours => {
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

fn next_tier(t: &TierProgress) -> NextTier {
    NextTier {
        tier: t.tier,
        criteria: (t.criteria.iter())
            .map(|c| {
                let (label, shown): (_, fn(f64) -> String) = match c.kind {
                    CriterionKind::TtmRevenue => ("Trailing-12-month revenue", number::money),
                    CriterionKind::CertifiedStaff => ("Certified staff", |v| format!("{v}")),
                };
                CriterionRow {
                    label,
                    current: c.current.map_or_else(|| NO_DATA.to_string(), shown),
                    required: shown(c.required),
                    met: c.met,
                    progress: c.progress,
                }
            })
            .collect(),
    }
}

fn partner_charts(p: &Partner, h: &History, program: &Program, q: Quarter) -> Vec<Chart> {
    let cats: Vec<String> = h.quarters.iter().map(|q| q.to_string()).collect();
    let name = &p.name;
    let series = |name: &str, values: &[Option<f64>]| Series {
        name: name.into(),
        values: values.to_vec(),
    };
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
            series("Influenced", &h.influenced_revenue),
            series("Sourced", &h.sourced_revenue),
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
        &[series("Satisfaction", &h.satisfaction)],
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
        &[series("Registration rate", &h.deal_registration_rate)],
        program.targets.deal_registration_rate,
        Unit::Rate,
    );
    let [technical, sales, marketing] = &h.certifications;
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
            series("Technical", technical),
            series("Sales", sales),
            series("Marketing", marketing),
        ],
        Unit::Count,
        true,
    );
    vec![revenue, satisfaction, registration, certifications]
}
