//! What a view may see of a page's parts: an `only` block (a part of a
//! page that some readers may not see), and the KPIs a co-branded copy
//! may show. Render asks before anything of the part is rendered, so that
//! what a reader may not see never reaches its HTML, search index, word
//! count, summary or feed.

use super::view::View;
use crate::content::PageAudience;
use crate::data::Partner;
use crate::metrics::Kpi;
use crate::values::Tier;

/// Who may read an `only` block: the rule of a page's `audience` and
/// `tiers`, for a part of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnlyRule {
    pub audience: PageAudience,
    /// Empty: every tier the audience allows.
    pub tiers: Vec<Tier>,
}

/// Who reads a rendering of a page: the view's reader, or, on a
/// co-branded copy, the partner the copy is for (in any output: the copy
/// is that partner's, even in the internal one).
#[derive(Debug, Clone, Copy)]
pub enum Reader<'a> {
    View(&'a View),
    Copy(&'a Partner),
}

impl Reader<'_> {
    /// `internal`, `public` or `partner`: who reads, as templates see it.
    pub fn name(&self) -> &'static str {
        match self {
            Reader::View(v) => v.name(),
            Reader::Copy(_) => "partner",
        }
    }
}

/// Whether `reader` may see an `only` block with `rule`.
pub fn only_shows(reader: Reader<'_>, rule: &OnlyRule) -> bool {
    match reader {
        Reader::View(view) => view.allows(rule.audience, &rule.tiers),
        Reader::Copy(p) => View::of(p).allows(rule.audience, &rule.tiers),
    }
}

/// Whether a co-branded copy may show a KPI: never one that only the
/// internal audience may see (`partner_share`), whoever the output is for.
pub fn kpi_in_copy(kpi: Kpi) -> bool {
    !kpi.internal_only()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tier(n: i64) -> Tier {
        Tier::new(n).expect("a tier")
    }

    #[test]
    fn an_only_block_follows_the_rule_of_a_page() {
        let rule = OnlyRule {
            audience: PageAudience::Partners,
            tiers: vec![tier(1)],
        };
        let one = View::Partner {
            slug: "a".into(),
            tier: tier(1),
        };
        let two = View::Partner {
            slug: "b".into(),
            tier: tier(2),
        };
        assert!(only_shows(Reader::View(&View::Internal), &rule));
        assert!(only_shows(Reader::View(&one), &rule));
        assert!(!only_shows(Reader::View(&two), &rule));
        assert!(!only_shows(Reader::View(&View::Public), &rule));
        let internal = OnlyRule {
            audience: PageAudience::Internal,
            tiers: vec![],
        };
        assert!(!only_shows(Reader::View(&one), &internal));
        assert!(only_shows(Reader::View(&View::Internal), &internal));
        assert!(!kpi_in_copy(Kpi::PartnerShare));
        assert!(kpi_in_copy(Kpi::WinRate));
    }
}
