//! A partner's "what's new" (DESIGN.md §6): what changed for it since the
//! end of the quarter before the report quarter — pages of its view that
//! are new or updated, its KPIs whose status changed, its actions overdue
//! or due within 30 days of `as_of`, pages of its view about to expire —
//! as a page (`whats_new.html` at `/partners/<slug>/whats-new/`), an Atom
//! feed (`whats-new.xml`) and an email ready to paste into a mail client
//! (`whats_new_email.html` as `whats-new-email.html`: inline styles, a
//! table layout, no scripts, no external resources, absolute links).
//!
//! It is the partner's own view in every output, the internal one too
//! (which holds it for the partner manager): its pages are those
//! `isolation::TierPages` says the partner sees, its report is the one the
//! partner's view holds (no internal-only KPI). The feed and the email
//! point at the partner's own output (`partner_base_url`), so they are the
//! same bytes wherever they are written.

use serde::Serialize;

use super::context::PartnerContext;
use super::feeds::{Entry, FeedHead, Naming, feed_head};
use super::paths::{report_folder, whats_new_folder};
use super::renderer::{Inputs, Renderer, Sink};
use crate::data::Partner;
use crate::diagnostic::Diagnostic;
use crate::isolation::{
    PageChange, TierPages, changed_since, cobrand_allows, cobrand_path, expiring_within,
    partners_in_view,
};
use crate::metrics::{
    DUE_SOON_DAYS, PartnerReport, Reports, StatusChange, due_actions, status_changes,
};
use crate::site::Site;
use crate::values::date::rfc3339;
use crate::values::number;

/// The most pages the email lists: it must stay well under 100 KB, which
/// mail clients clip.
pub const EMAIL_PAGES: usize = 25;

/// How many changed pages the what's new page and feed list, newest first
/// (a program that just loaded its library would list thousands; the page
/// counts the rest).
pub const LISTED_PAGES: usize = 50;

/// A page of the partner's view in what's new.
#[derive(Debug, Serialize)]
pub struct ChangedPage {
    pub title: String,
    pub description: String,
    /// Its URL in this output (its co-branded copy, if it has one for the
    /// partner).
    pub url: String,
    /// Its absolute URL in the partner's own output, if that is known.
    pub link: Option<String>,
    /// `new` or `updated` (for expiring pages: `expires`).
    pub change: &'static str,
    pub date: String,
    /// Its site path (of its co-branded copy, if any) and its date, for the feed.
    #[serde(skip)]
    path: String,
    #[serde(skip)]
    changed: time::Date,
}

/// A KPI whose status changed.
#[derive(Debug, Serialize)]
pub struct StatusRow {
    pub key: &'static str,
    pub label: &'static str,
    /// Its value at the report quarter, formatted.
    pub value: String,
    pub before: &'static str,
    pub before_label: &'static str,
    pub after: &'static str,
    pub after_label: &'static str,
    /// `better`, `worse`, or `changed` (it gained or lost its data).
    pub trend: &'static str,
}

/// An open action overdue or due soon.
#[derive(Debug, Serialize)]
pub struct DueRow {
    pub title: String,
    pub owner: String,
    pub due: String,
    pub overdue: bool,
    /// `12 days overdue`, `due today`, `due in 3 days`.
    pub when: String,
}

/// `whats_new` in `whats_new.html` and `whats_new_email.html`.
#[derive(Debug, Serialize)]
pub struct WhatsNewContext {
    pub quarter: String,
    pub previous_quarter: String,
    /// The end of the previous quarter: what's new counts from it.
    pub since: String,
    pub as_of: String,
    pub due_soon_days: i64,
    pub pages: Vec<ChangedPage>,
    /// How many pages changed: `pages` holds the newest `LISTED_PAGES` of
    /// them, and the page counts the others (`more_listed`).
    pub changed_pages: usize,
    pub more_listed: usize,
    /// How many of `pages` the email lists, and how many more it counts.
    pub email_pages: usize,
    pub more_pages: usize,
    pub status_changes: Vec<StatusRow>,
    pub actions: Vec<DueRow>,
    pub expiring: Vec<ChangedPage>,
    /// Nothing changed at all.
    pub empty: bool,
    /// URLs in this output, and absolute ones in the partner's own.
    pub url: String,
    pub link: Option<String>,
    pub report_url: String,
    pub report_link: Option<String>,
    pub feed_url: String,
    pub email_url: String,
}

#[derive(Serialize)]
struct Own<'a> {
    partner: &'a PartnerContext,
    whats_new: &'a WhatsNewContext,
}

/// Renders the what's new files of every partner in the view that `only`
/// wants.
pub(crate) fn render(inputs: &Inputs<'_, '_>, reports: &Reports, sink: &mut Sink) {
    let (r, only) = (inputs.r, inputs.only);
    let partners = partners_in_view(r.site, inputs.view);
    let wanted = |p: &&&Partner| {
        only.is_none_or(|o| {
            o.partners.contains(&p.slug)
                || o.wants(&format!("/{}", whats_new_folder(&p.slug)), "whats_new.html")
                || o.templates.contains("whats_new_email.html")
        })
    };
    sink.in_sitemap(
        partners
            .iter()
            .map(|p| format!("/{}", whats_new_folder(&p.slug))),
    );
    let shown: Vec<&&Partner> = partners.iter().filter(wanted).collect();
    if shown.is_empty() {
        return;
    }
    let tiers = TierPages::new(r.site);
    let at_once = super::report::PARTNERS_AT_ONCE;
    sink.extend_each(inputs.selected, &shown, at_once, |p| {
        let report = reports
            .partner(&p.slug)
            .expect("compute makes one report per partner");
        files(r, &tiers, reports, p, &report.for_partner_view()).map_err(|d| vec![d])
    });
}

/// The page, feed and email of `p`: (file, bytes).
fn files(
    r: &Renderer<'_>,
    tiers: &TierPages,
    reports: &Reports,
    p: &Partner,
    report: &PartnerReport,
) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
    let site = r.site;
    let naming = Naming::of_partner(site, &p.slug);
    let ctx = context(site, tiers, reports, p, report, &naming);
    let partner = PartnerContext::new(site, p);
    let own = Own {
        partner: &partner,
        whats_new: &ctx,
    };
    let dir = whats_new_folder(&p.slug);
    let page = r.render_plain("whats_new.html", &format!("/{dir}"), &own)?;
    let report_dir = report_folder(&p.slug);
    let email_path = format!("/{report_dir}whats-new-email.html");
    let email = r.render_plain("whats_new_email.html", &email_path, &own)?;
    Ok(vec![
        (format!("{dir}index.html"), page.into_bytes()),
        (
            format!("{report_dir}whats-new.xml"),
            feed(site, reports, p, &ctx, &naming).into_bytes(),
        ),
        (email_path[1..].to_string(), email.into_bytes()),
    ])
}

/// What changed for `p`, as the templates show it.
fn context(
    site: &Site,
    tiers: &TierPages,
    reports: &Reports,
    p: &Partner,
    report: &PartnerReport,
    naming: &Naming,
) -> WhatsNewContext {
    let config = &site.config;
    let since = reports.whats_new_since();
    let shown = tiers.of(p.tier);
    let page = |i: usize, change: &'static str, date: time::Date| {
        let page = &site.content.pages[i];
        // A co-branded page is read in the partner's own copy.
        let path = if cobrand_allows(page, p) {
            cobrand_path(p, page)
        } else {
            page.doc.path.clone()
        };
        ChangedPage {
            title: page.doc.meta.title.clone(),
            description: page.doc.meta.description.clone(),
            url: config.url(&path),
            link: naming.link(&path),
            change,
            date: date.to_string(),
            path,
            changed: date,
        }
    };
    let changed = changed_since(site, shown, since);
    let changed_pages = changed.len();
    let pages: Vec<ChangedPage> = (changed.into_iter().take(LISTED_PAGES))
        .map(|(i, change, date)| {
            let change = match change {
                PageChange::New => "new",
                PageChange::Updated => "updated",
            };
            page(i, change, date)
        })
        .collect();
    let expiring: Vec<ChangedPage> = (expiring_within(site, shown, DUE_SOON_DAYS).into_iter())
        .map(|(i, expires)| page(i, "expires", expires))
        .collect();
    let status_changes: Vec<StatusRow> = (status_changes(report).iter())
        .map(|c| status_row(c, report))
        .collect();
    let actions: Vec<DueRow> = (due_actions(p, reports.as_of).into_iter())
        .map(|d| {
            let a = &p.actions[d.index];
            DueRow {
                title: a.title.clone(),
                owner: a.owner.clone(),
                due: d.due.to_string(),
                overdue: d.overdue,
                when: match d.days {
                    -1 => "1 day overdue".to_string(),
                    0 => "due today".to_string(),
                    1 => "due tomorrow".to_string(),
                    n if n < 0 => format!("{} days overdue", -n),
                    n => format!("due in {n} days"),
                },
            }
        })
        .collect();
    let dir = whats_new_folder(&p.slug);
    let report_dir = report_folder(&p.slug);
    WhatsNewContext {
        quarter: reports.quarter.to_string(),
        previous_quarter: reports.quarter.minus(1).to_string(),
        since: since.to_string(),
        as_of: reports.as_of.to_string(),
        due_soon_days: DUE_SOON_DAYS,
        changed_pages,
        more_listed: changed_pages - pages.len(),
        email_pages: pages.len().min(EMAIL_PAGES),
        more_pages: changed_pages.saturating_sub(EMAIL_PAGES),
        empty: pages.is_empty()
            && status_changes.is_empty()
            && actions.is_empty()
            && expiring.is_empty(),
        pages,
        status_changes,
        actions,
        expiring,
        url: config.url(&format!("/{dir}")),
        link: naming.link(&format!("/{dir}")),
        report_url: config.url(&format!("/{report_dir}")),
        report_link: naming.link(&format!("/{report_dir}")),
        feed_url: config.url(&format!("/{report_dir}whats-new.xml")),
        email_url: config.url(&format!("/{report_dir}whats-new-email.html")),
    }
}

fn status_row(c: &StatusChange, report: &PartnerReport) -> StatusRow {
    StatusRow {
        key: c.kpi.key(),
        label: c.kpi.label(),
        value: number::value(report.kpis.get(c.kpi), c.kpi.unit()),
        before: c.before.key(),
        before_label: c.before.label(),
        after: c.after.key(),
        after_label: c.after.label(),
        trend: match c.improved() {
            Some(true) => "better",
            Some(false) => "worse",
            None => "changed",
        },
    }
}

/// `whats-new.xml`: one entry per page, status change, action due and page
/// about to expire,
/// each with the partner's own address (or a `tag:` URI where that is
/// unknown).
fn feed(
    site: &Site,
    reports: &Reports,
    p: &Partner,
    ctx: &WhatsNewContext,
    naming: &Naming,
) -> String {
    let config = &site.config;
    let dir = format!("/{}", whats_new_folder(&p.slug));
    let report = format!("/{}", report_folder(&p.slug));
    let as_of = rfc3339(reports.as_of);
    let newest = (ctx.pages.iter().map(|pg| pg.changed))
        .chain([reports.as_of])
        .max()
        .map_or_else(|| as_of.clone(), rfc3339);
    let title = format!("What's new for {} · {}", p.name, config.title);
    let subtitle = format!(
        "Pages, KPI status changes and actions due since {} (the end of {})",
        ctx.since, ctx.previous_quarter
    );
    let mut out = feed_head(&FeedHead {
        language: &config.language,
        title: &title,
        subtitle: &subtitle,
        feed: naming.link(&format!("{report}whats-new.xml")),
        alternate: naming.link(&dir),
        id: naming.id(&dir),
        updated: &newest,
    });
    let mut entry = |title: &str, path: &str, id: String, updated: String, text: &str| {
        Entry {
            title,
            link: naming.link(path),
            id,
            published: None,
            updated,
            author: &config.title,
            text,
        }
        .write(&mut out);
    };
    for pg in &ctx.pages {
        let kind = if pg.change == "new" {
            "New page"
        } else {
            "Updated"
        };
        let title = format!("{kind}: {}", pg.title);
        entry(
            &title,
            &pg.path,
            naming.id(&pg.path),
            rfc3339(pg.changed),
            &pg.description,
        );
    }
    let quarter_end = rfc3339(reports.quarter.end_date());
    for s in &ctx.status_changes {
        let text = format!(
            "{} is {} ({}) in {}; it was {} in {}.",
            s.label,
            s.after_label.to_lowercase(),
            s.value,
            ctx.quarter,
            s.before_label.to_lowercase(),
            ctx.previous_quarter
        );
        entry(
            &format!("{}: {} → {}", s.label, s.before_label, s.after_label),
            &format!("{report}#kpi-{}", s.key),
            naming.id(&format!("{dir}#status-{}-{}", ctx.quarter, s.key)),
            quarter_end.clone(),
            &text,
        );
    }
    for a in &ctx.actions {
        let kind = if a.overdue { "Overdue" } else { "Due soon" };
        let slug = crate::values::slug::slugify(&a.title);
        let text = format!("{}: {} ({}); owner: {}.", a.title, a.when, a.due, a.owner);
        entry(
            &format!("{kind}: {}", a.title),
            &format!("{report}#actions-title"),
            naming.id(&format!("{dir}#action-{}-{slug}", a.due)),
            as_of.clone(),
            &text,
        );
    }
    for pg in &ctx.expiring {
        let text = format!(
            "{} is online until {}; from then on it is gone.",
            pg.title, pg.date
        );
        let slug = crate::values::slug::slugify(&pg.path);
        entry(
            &format!("Expires on {}: {}", pg.date, pg.title),
            &pg.path,
            naming.id(&format!("{dir}#expires-{}-{slug}", pg.date)),
            as_of.clone(),
            &text,
        );
    }
    out.push_str("</feed>\n");
    out
}
