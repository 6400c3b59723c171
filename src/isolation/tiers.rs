//! A partner's view tier by tier: the pages each partner tier sees (worked
//! out once per render, not once per partner), what the tier above would
//! add to a partner's view ("what the next tier unlocks", DESIGN.md §6),
//! and which pages of its view are new or updated since a date (its
//! "what's new"). Both views are asked of `View::Partner` itself, so they
//! can never differ from what the partner's own output holds.

use std::collections::BTreeSet;

use time::Date;

use super::view::View;
use super::visible::{cobrand_allows_at, pages_shown};
use crate::data::Partner;
use crate::site::Site;
use crate::values::Tier;

/// The tag that makes a page a campaign kit (counted apart in what the next
/// tier unlocks).
pub const KIT_TAG: &str = "campaign-kit";

/// The pages a partner of each tier sees, by index into `Content::pages`.
pub struct TierPages {
    by_tier: Vec<(Tier, Vec<usize>)>,
    /// For each tier with one above it: the pages that tier's view gains
    /// there, and those of them that are campaign kits (they depend on
    /// the tier alone, so they are worked out once, not once per partner).
    gained: Vec<(Tier, Vec<usize>, Vec<usize>)>,
}

/// What the view of a partner would gain at the tier above its own: pages
/// by index into `Content::pages`, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gains {
    pub tier: Tier,
    /// Every page the view would gain.
    pub pages: Vec<usize>,
    /// Those tagged `campaign-kit`.
    pub kits: Vec<usize>,
    /// Those that would get a co-branded copy for the partner.
    pub cobrand: Vec<usize>,
}

/// How a page of a partner's view changed since a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PageChange {
    /// Its `date` is after it: new to the view.
    New,
    /// Its `updated` is after it, its `date` is not.
    Updated,
}

impl TierPages {
    /// The pages of every tier's view of `site`.
    pub fn new(site: &Site) -> TierPages {
        let by_tier: Vec<(Tier, Vec<usize>)> = Tier::ALL
            .into_iter()
            .map(|tier| {
                // What a partner view shows depends on the tier alone.
                let view = View::Partner {
                    slug: String::new(),
                    tier,
                };
                (tier, pages_shown(site, &view))
            })
            .collect();
        let of = |tier: Tier| pages_of(&by_tier, tier);
        let gained = (Tier::ALL.into_iter())
            .filter_map(|tier| {
                let above = tier.above()?;
                let now: BTreeSet<usize> = of(tier).iter().copied().collect();
                let pages: Vec<usize> = (of(above).iter().copied())
                    .filter(|i| !now.contains(i))
                    .collect();
                let kits = (pages.iter().copied())
                    .filter(|&i| (site.content.pages[i].doc.meta.tags.iter()).any(|t| t == KIT_TAG))
                    .collect();
                Some((tier, pages, kits))
            })
            .collect();
        TierPages { by_tier, gained }
    }

    /// The pages the view of a partner of `tier` shows.
    pub fn of(&self, tier: Tier) -> &[usize] {
        pages_of(&self.by_tier, tier)
    }

    /// What `partner`'s view would gain at the tier above its own; `None`
    /// in the top tier.
    pub fn gains(&self, site: &Site, partner: &Partner) -> Option<Gains> {
        let tier = partner.tier.above()?;
        let (_, pages, kits) = self.gained.iter().find(|(t, ..)| *t == partner.tier)?;
        let cobrand = (pages.iter().copied())
            .filter(|&i| cobrand_allows_at(&site.content.pages[i], partner, tier))
            .collect();
        Some(Gains {
            tier,
            kits: kits.clone(),
            cobrand,
            pages: pages.clone(),
        })
    }
}

/// The pages of `tier` in `by_tier`.
fn pages_of(by_tier: &[(Tier, Vec<usize>)], tier: Tier) -> &[usize] {
    (by_tier.iter())
        .find(|(t, _)| *t == tier)
        .map_or(&[], |(_, pages)| pages)
}

/// The pages of `pages` (a partner's view) that changed after `since`,
/// newest first (then in `pages` order), with how and when.
pub fn changed_since(site: &Site, pages: &[usize], since: Date) -> Vec<(usize, PageChange, Date)> {
    let mut changed: Vec<(usize, PageChange, Date)> = (pages.iter().copied())
        .filter_map(|i| {
            let meta = &site.content.pages[i].doc.meta;
            match (meta.date, meta.updated) {
                (Some(d), _) if d > since => Some((i, PageChange::New, d)),
                (_, Some(u)) if u > since => Some((i, PageChange::Updated, u)),
                _ => None,
            }
        })
        .collect();
    changed.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    changed
}

/// The pages of `pages` that are built on the build date and expire within
/// `days` after it, soonest first, with the day each expires.
pub fn expiring_within(site: &Site, pages: &[usize], days: i64) -> Vec<(usize, Date)> {
    let until = site.date.saturating_add(time::Duration::days(days));
    let mut expiring: Vec<(usize, Date)> = (pages.iter().copied())
        .filter_map(|i| {
            let expires = site.content.pages[i].doc.meta.expires?;
            (expires > site.date && expires <= until).then_some((i, expires))
        })
        .collect();
    expiring.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    expiring
}
