//! The tier progress block of a partner's report: each criterion of the
//! tier above (from `metrics::TierProgress`), formatted, and what that tier
//! would unlock in the partner's view (from `isolation::Gains`): counts, and
//! the titles of the pages that set `teaser = true` only.

use serde::Serialize;

use crate::isolation::Gains;
use crate::metrics::{CriterionKind, TierProgress};
use crate::site::Site;
use crate::values::Tier;
use crate::values::number::{self, NO_DATA};

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
    /// What the partner's view would gain in that tier.
    pub unlocks: Option<Unlocks>,
}

/// What the next tier unlocks: counts, and titles only of the pages that
/// set `teaser = true` (the others stay unnamed).
#[derive(Debug, Serialize)]
pub struct Unlocks {
    pub pages: usize,
    pub kits: usize,
    pub cobrand: usize,
    pub teasers: Vec<String>,
    /// The counts in words: `Tier 2 unlocks 3 more pages (1 campaign kit)
    /// and 1 co-branded material, among them:` (the teasers follow).
    pub sentence: String,
}

impl Unlocks {
    fn new(tier: Tier, pages: usize, kits: usize, cobrand: usize, teasers: Vec<String>) -> Self {
        let count = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
        let sentence = if pages == 0 {
            format!("Tier {tier} unlocks no further pages.")
        } else {
            let plural = if pages == 1 { "" } else { "s" };
            let mut s = format!("Tier {tier} unlocks {pages} more page{plural}");
            if kits > 0 {
                s += &format!(" ({})", count(kits, "campaign kit"));
            }
            if cobrand > 0 {
                s += &format!(" and {}", count(cobrand, "co-branded material"));
            }
            s + if teasers.is_empty() {
                "."
            } else {
                ", among them:"
            }
        };
        Unlocks {
            pages,
            kits,
            cobrand,
            teasers,
            sentence,
        }
    }
}

/// `next_tier` of a report: the criteria of the tier above and what it unlocks.
pub(super) fn next_tier(t: &TierProgress, gains: Option<&Gains>, site: &Site) -> NextTier {
    let pages = &site.content.pages;
    NextTier {
        tier: t.tier,
        unlocks: gains.filter(|g| g.tier == t.tier).map(|g| {
            let teasers = (g.pages.iter().map(|&i| &pages[i].doc.meta))
                .filter(|meta| meta.teaser)
                .map(|meta| meta.title.clone())
                .collect();
            Unlocks::new(
                g.tier,
                g.pages.len(),
                g.kits.len(),
                g.cobrand.len(),
                teasers,
            )
        }),
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
