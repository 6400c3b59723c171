//! The partner directory (`/partners/`, `partners.html`): every partner of
//! the view by tier, with its headline numbers.

use serde::Serialize;

use super::context::PartnerContext;
use super::renderer::{Renderer, Sink};
use super::select::Selected;
use crate::data::Partner;
use crate::metrics::{Kpi, Reports};
use crate::values::Tier;
use crate::values::number::value;

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
    tier: Tier,
    name: &'static str,
    id: String,
    partners: Vec<DirectoryEntry<'a>>,
}

#[derive(Serialize)]
struct Own<'a> {
    tiers: Vec<TierGroup<'a>>,
    partners_count: usize,
    quarter: String,
}

/// Renders the directory of `partners` into `sink`.
pub(crate) fn render(
    r: &Renderer<'_>,
    selected: &Selected<'_>,
    reports: &Reports,
    partners: &[&Partner],
    sink: &mut Sink,
) {
    let contexts: Vec<PartnerContext> = partners
        .iter()
        .map(|p| PartnerContext::new(r.site, p))
        .collect();
    let mut groups: Vec<TierGroup> = Tier::ALL
        .into_iter()
        .map(|tier| TierGroup {
            tier,
            name: tier.name(),
            id: format!("tier-{tier}"),
            partners: Vec::new(),
        })
        .collect();
    for (p, ctx) in partners.iter().zip(&contexts) {
        let report = reports.partner(&p.slug);
        let kpi = |k: Kpi| value(report.and_then(|r| r.kpis.get(k)), k.unit());
        groups[usize::from(p.tier.number() - 1)]
            .partners
            .push(DirectoryEntry {
                partner: ctx,
                ttm_revenue: kpi(Kpi::TtmRevenue),
                share: kpi(Kpi::PartnerShare),
                on_track: report.map_or(0, |r| r.on_track),
                active: report.is_some_and(|r| r.active),
                url: r.site.config.url(&format!("/partners/{}/", p.slug)),
            });
    }
    let own = Own {
        tiers: groups,
        partners_count: partners.len(),
        quarter: reports.quarter.to_string(),
    };
    sink.in_sitemap(["/partners/".to_string()]);
    let html = r.render_plain("partners.html", "/partners/", own);
    sink.page(selected, "/partners/", html);
}
