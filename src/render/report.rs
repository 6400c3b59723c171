//! A partner's report page (`partner.html`) with its charts: the numbers
//! of `metrics::PartnerReport`, formatted, beside the pages and kits the
//! view holds for the partner and what the next tier would unlock; the
//! same report at each earlier quarter with data, in its own folder
//! (`/partners/<slug>/<quarter>/`), reached from a quarter picker.
//! `report.json` and `metrics.csv` are in `exports`.

use serde::Serialize;

use super::charts::{self, Chart, Meta, Series};
use super::context::{NamedLink, PartnerContext, Summary};
use super::exports;
use super::next_tier::{NextTier, next_tier};
use super::paths::{earlier_report_folder, report_folder as folder, whats_new_folder};
use super::renderer::{Inputs, Renderer, Sink};
use super::select::Selected;
use crate::data::{Partner, Program};
use crate::diagnostic::Diagnostic;
use crate::highlight::Highlighter;
use crate::isolation::{
    TierPages, cobrand_allows, cobrand_path, partners_in_view, recommended_for,
};
use crate::metrics::{History, Kpi, PartnerReport, Reports, Status};
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

/// One entry of the quarter picker.
#[derive(Debug, Clone, Serialize)]
pub struct QuarterLink {
    pub quarter: String,
    pub url: String,
    /// The quarter of the report shown.
    pub shown: bool,
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
    /// The report at the report quarter (not an earlier one).
    pub latest: bool,
    /// The report quarter and each earlier quarter with data, newest first.
    pub quarters: Vec<QuarterLink>,
    pub latest_url: String,
    pub whats_new_url: String,
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
    pub playbooks: &'a [&'a Summary],
    /// Pages limited to some tiers, including this partner's.
    pub tier_resources: &'a [&'a Summary],
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
    sink.in_sitemap(partners.iter().flat_map(|p| {
        let earlier = reports.partner(&p.slug).map(|r| r.earlier.iter());
        let earlier = earlier.into_iter().flatten();
        std::iter::once(format!("/{}", folder(&p.slug)))
            .chain(earlier.map(|e| format!("/{}", earlier_report_folder(&p.slug, e.quarter))))
    }));
    let wanted = |p: &&&Partner| {
        only.is_none_or(|o| {
            o.partners.contains(&p.slug)
                || o.wants(&format!("/{}", folder(&p.slug)), "partner.html")
        })
    };
    let shown: Vec<&&Partner> = partners.iter().filter(wanted).collect();
    if shown.is_empty() {
        // A narrow rebuild that touches no report: none of the work below.
        return;
    }
    let tiers = TierPages::new(r.site);
    let recommended = Recommended::new(selected, summaries);
    sink.extend_each(selected, &shown, PARTNERS_AT_ONCE, |p| {
        let report = reports
            .partner(&p.slug)
            .expect("compute makes one report per partner");
        let ctx = Report {
            r,
            selected,
            recommended: recommended.of(p.tier),
            reports,
            program,
            highlighter,
            tiers: &tiers,
        };
        ctx.all_files(p, report).map_err(|d| vec![d])
    });
    for p in partners.iter().filter(|p| wanted(p)) {
        sink.rule(view, &format!("/{}", folder(&p.slug)), || {
            "its own report".into()
        });
    }
}

/// Partners whose reports are made at once when the files stream (each
/// has a page and its charts at every quarter: about 30 files).
pub(crate) const PARTNERS_AT_ONCE: usize = 8;

/// What one partner's report is made from.
struct Report<'a, 'r> {
    r: &'a Renderer<'r>,
    selected: &'a Selected<'a>,
    /// The playbooks and tier resources of the partner's tier.
    recommended: &'a Lists<'a>,
    reports: &'a Reports,
    program: &'a Program,
    highlighter: &'a Highlighter,
    tiers: &'a TierPages,
}

/// What the reports of each tier's partners recommend. It depends on the
/// tier alone, so it is worked out once per render, not per partner and
/// quarter.
struct Recommended<'a> {
    /// In the order of `Tier::ALL`.
    by_tier: [Lists<'a>; 3],
}

/// A report's recommended pages, in the view's order.
#[derive(Default)]
struct Lists<'a> {
    playbooks: Vec<&'a Summary>,
    tier_resources: Vec<&'a Summary>,
}

impl<'a> Recommended<'a> {
    fn new(selected: &Selected<'_>, summaries: &'a [Summary]) -> Recommended<'a> {
        let by_tier = Tier::ALL.map(|tier| {
            let mut lists = Lists::default();
            for ((page, _), s) in selected.pages.iter().zip(summaries) {
                let listed = recommended_for(&page.doc, tier);
                if listed.playbook {
                    lists.playbooks.push(s);
                }
                if listed.tier_resource {
                    lists.tier_resources.push(s);
                }
            }
            lists
        });
        Recommended { by_tier }
    }

    fn of(&self, tier: Tier) -> &Lists<'a> {
        &self.by_tier[usize::from(tier.number()) - 1]
    }
}

/// Which report of a partner is rendered: the quarter, the date its day
/// counts are measured at, and its folder.
struct At {
    quarter: Quarter,
    as_of: time::Date,
    dir: String,
}

impl Report<'_, '_> {
    /// The report of `p` and its earlier reports: (file, bytes).
    fn all_files(
        &self,
        p: &Partner,
        report: &PartnerReport,
    ) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
        let latest = At {
            quarter: self.reports.quarter,
            as_of: self.reports.as_of,
            dir: folder(&p.slug),
        };
        let mut files = self.files(p, report, report, &latest)?;
        files.push((
            format!("{}metrics.csv", latest.dir),
            exports::metrics_csv(p).into_bytes(),
        ));
        for e in &report.earlier {
            let at = At {
                quarter: e.quarter,
                as_of: e.as_of,
                dir: earlier_report_folder(&p.slug, e.quarter),
            };
            files.append(&mut self.files(p, report, &e.report, &at)?);
        }
        Ok(files)
    }

    /// The page, charts and JSON of `p`'s report `shown` (`latest` or one
    /// of its earlier ones): (file, bytes).
    fn files(
        &self,
        p: &Partner,
        latest: &PartnerReport,
        shown: &PartnerReport,
        at: &At,
    ) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
        let dir = &at.dir;
        let mut ctx = self.context(p, latest, shown, at);
        // The template never sees a chart's SVG (`Chart::svg` is not
        // serialized): moved into its file, not copied.
        let mut files: Vec<(String, Vec<u8>)> = (ctx.charts.iter_mut())
            .map(|c| {
                let svg = std::mem::take(&mut c.svg);
                (format!("{dir}{}", c.file), svg.into_bytes())
            })
            .collect();
        let json = exports::report_json(p, shown, at.quarter);
        files.push((format!("{dir}report.json"), json.into_bytes()));
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

    /// The quarter picker of `p`'s reports, with `shown` marked.
    fn quarters(&self, p: &Partner, latest: &PartnerReport, shown: Quarter) -> Vec<QuarterLink> {
        let config = &self.r.site.config;
        let q = self.reports.quarter;
        let link = |quarter: Quarter, dir: String| QuarterLink {
            quarter: quarter.to_string(),
            url: config.url(&format!("/{dir}")),
            shown: quarter == shown,
        };
        let earlier = latest.earlier.iter();
        std::iter::once(link(q, folder(&p.slug)))
            .chain(earlier.map(|e| link(e.quarter, earlier_report_folder(&p.slug, e.quarter))))
            .collect()
    }

    /// `report` of `partner.html`.
    fn context(
        &self,
        p: &Partner,
        latest: &PartnerReport,
        report: &PartnerReport,
        at: &At,
    ) -> ReportContext<'_> {
        let site = self.r.site;
        let q = at.quarter;
        let dir = &at.dir;
        let latest_dir = folder(&p.slug);
        ReportContext {
            quarter: q.to_string(),
            latest: q == self.reports.quarter,
            quarters: self.quarters(p, latest, q),
            latest_url: site.config.url(&format!("/{latest_dir}")),
            whats_new_url: site.config.url(&format!("/{}", whats_new_folder(&p.slug))),
            quarter_end: q.end_date().to_string(),
            as_of: at.as_of.to_string(),
            has_data: p.quarter(q).is_some(),
            scorecard: scorecard(p, report, self.program, q),
            on_track: report.on_track,
            charts: partner_charts(p, &report.history, self.program, q),
            next_tier: (report.tier_progress.as_ref())
                .map(|t| next_tier(t, self.tiers.gains(site, p).as_ref(), site)),
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
            playbooks: &self.recommended.playbooks,
            tier_resources: &self.recommended.tier_resources,
            cobrand: (self.selected.pages.iter())
                .filter(|(page, _)| cobrand_allows(page, p))
                .map(|(page, _)| NamedLink {
                    name: page.doc.meta.title.clone(),
                    url: site.config.url(&cobrand_path(p, page)),
                })
                .collect(),
            json_url: site.config.url(&format!("/{dir}report.json")),
            csv_url: site.config.url(&format!("/{latest_dir}metrics.csv")),
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
