//! The KPIs: each partner and program KPI of DESIGN.md §4 as an enum that
//! knows its key, label, unit, formula and target, and maps from KPIs to
//! values that serialize as the JSON exports want them.

use serde::ser::{Serialize, SerializeMap, Serializer};

use super::status::Better;
use crate::data::program::Targets;
use crate::values::Unit;

/// A partner KPI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kpi {
    InfluencedRevenue,
    SourcedRevenue,
    TtmRevenue,
    YoyGrowth,
    DealRegistrationRate,
    WinRate,
    CertifiedStaffShare,
    CertificationHours,
    Satisfaction,
    JointCsat,
    IntegrationAdoption,
    MdfUtilization,
    PartnerShare,
}

impl Kpi {
    /// Every partner KPI, in report order.
    pub const ALL: [Kpi; 13] = [
        Kpi::InfluencedRevenue,
        Kpi::SourcedRevenue,
        Kpi::TtmRevenue,
        Kpi::YoyGrowth,
        Kpi::DealRegistrationRate,
        Kpi::WinRate,
        Kpi::CertifiedStaffShare,
        Kpi::CertificationHours,
        Kpi::Satisfaction,
        Kpi::JointCsat,
        Kpi::IntegrationAdoption,
        Kpi::MdfUtilization,
        Kpi::PartnerShare,
    ];

    /// The key in `report.json` and in templates.
    pub fn key(self) -> &'static str {
        match self {
            Kpi::InfluencedRevenue => "influenced_revenue",
            Kpi::SourcedRevenue => "sourced_revenue",
            Kpi::TtmRevenue => "ttm_revenue",
            Kpi::YoyGrowth => "yoy_growth",
            Kpi::DealRegistrationRate => "deal_registration_rate",
            Kpi::WinRate => "win_rate",
            Kpi::CertifiedStaffShare => "certified_staff_share",
            Kpi::CertificationHours => "certification_hours",
            Kpi::Satisfaction => "satisfaction",
            Kpi::JointCsat => "joint_csat",
            Kpi::IntegrationAdoption => "integration_adoption",
            Kpi::MdfUtilization => "mdf_utilization",
            Kpi::PartnerShare => "partner_share",
        }
    }

    /// Whether only the internal audience may see it: a partner's share of
    /// all partner revenue would, with a few partners, reveal the others'
    /// revenue (DESIGN.md §4).
    pub fn internal_only(self) -> bool {
        self == Kpi::PartnerShare
    }

    /// The KPI of a key, if there is one.
    pub fn from_key(key: &str) -> Option<Kpi> {
        Kpi::ALL.into_iter().find(|k| k.key() == key)
    }

    /// What reports call it.
    pub fn label(self) -> &'static str {
        match self {
            Kpi::InfluencedRevenue => "Influenced revenue",
            Kpi::SourcedRevenue => "Sourced revenue",
            Kpi::TtmRevenue => "Trailing-12-month revenue",
            Kpi::YoyGrowth => "Year-over-year growth",
            Kpi::DealRegistrationRate => "Deal registration rate",
            Kpi::WinRate => "Competitive win rate",
            Kpi::CertifiedStaffShare => "Certified staff",
            Kpi::CertificationHours => "Certification hours",
            Kpi::Satisfaction => "Partner satisfaction",
            Kpi::JointCsat => "Joint customer satisfaction",
            Kpi::IntegrationAdoption => "Integration adoption",
            Kpi::MdfUtilization => "MDF utilization",
            Kpi::PartnerShare => "Share of partner revenue",
        }
    }

    pub fn unit(self) -> Unit {
        match self {
            Kpi::InfluencedRevenue | Kpi::SourcedRevenue | Kpi::TtmRevenue => Unit::Money,
            Kpi::CertificationHours => Unit::Hours,
            Kpi::Satisfaction => Unit::Score,
            _ => Unit::Rate,
        }
    }

    /// The formula, as reports print it beside the number.
    pub fn formula(self) -> &'static str {
        match self {
            Kpi::InfluencedRevenue => "influenced_revenue of the quarter",
            Kpi::SourcedRevenue => "sourced_revenue of the quarter",
            Kpi::TtmRevenue => "Σ influenced_revenue over the last 4 quarters",
            Kpi::YoyGrowth => "influenced(Q) ÷ influenced(Q−4) − 1",
            Kpi::DealRegistrationRate => "deals_registered ÷ deals_total",
            Kpi::WinRate => "competitive_wins ÷ competitive_deals",
            Kpi::CertifiedStaffShare => "certified_staff ÷ staff",
            Kpi::CertificationHours => "40 × technical + 24 × sales + 16 × marketing",
            Kpi::Satisfaction => "survey score, 0–10",
            Kpi::JointCsat => "joint customer survey, 0–1",
            Kpi::IntegrationAdoption => "customers_with_integration ÷ customers",
            Kpi::MdfUtilization => "mdf_spent ÷ mdf_approved",
            Kpi::PartnerShare => "ttm_revenue ÷ Σ ttm_revenue of active partners",
        }
    }

    /// The key of its target in `[targets]` of `program.toml`, and which way
    /// is better; `None` for a KPI without a target.
    pub fn goal(self) -> Option<(&'static str, Better)> {
        let higher = |key| Some((key, Better::Higher));
        match self {
            Kpi::YoyGrowth => higher("yoy_growth"),
            Kpi::DealRegistrationRate => higher("deal_registration_rate"),
            Kpi::WinRate => higher("win_rate"),
            Kpi::CertifiedStaffShare => higher("certified_staff_share"),
            Kpi::Satisfaction => higher("satisfaction"),
            Kpi::JointCsat => higher("joint_csat"),
            Kpi::IntegrationAdoption => higher("integration_adoption"),
            Kpi::PartnerShare => Some(("max_partner_share", Better::Lower)),
            _ => None,
        }
    }

    /// Its target value in the program's targets (`None`: no target, or
    /// not set).
    pub fn target(self, t: &Targets) -> Option<f64> {
        match self {
            Kpi::YoyGrowth => t.yoy_growth,
            Kpi::DealRegistrationRate => t.deal_registration_rate,
            Kpi::WinRate => t.win_rate,
            Kpi::CertifiedStaffShare => t.certified_staff_share,
            Kpi::Satisfaction => t.satisfaction,
            Kpi::JointCsat => t.joint_csat,
            Kpi::IntegrationAdoption => t.integration_adoption,
            Kpi::PartnerShare => t.max_partner_share,
            _ => None,
        }
    }
}

/// A program KPI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ProgramKpi {
    InfluencedShare,
    SourcedShare,
    StrategicPartnerRevenue,
    LeadShare,
    Nps,
    Retention,
    Roi,
}

impl ProgramKpi {
    /// Every program KPI, in dashboard order.
    pub const ALL: [ProgramKpi; 7] = [
        ProgramKpi::InfluencedShare,
        ProgramKpi::SourcedShare,
        ProgramKpi::StrategicPartnerRevenue,
        ProgramKpi::LeadShare,
        ProgramKpi::Nps,
        ProgramKpi::Retention,
        ProgramKpi::Roi,
    ];

    /// The key in `program.json`, in `[targets]` and in templates.
    pub fn key(self) -> &'static str {
        match self {
            ProgramKpi::InfluencedShare => "influenced_share",
            ProgramKpi::SourcedShare => "sourced_share",
            ProgramKpi::StrategicPartnerRevenue => "strategic_partner_revenue",
            ProgramKpi::LeadShare => "lead_share",
            ProgramKpi::Nps => "nps",
            ProgramKpi::Retention => "retention",
            ProgramKpi::Roi => "roi",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ProgramKpi::InfluencedShare => "Partner-influenced share of revenue",
            ProgramKpi::SourcedShare => "Partner-sourced share of revenue",
            ProgramKpi::StrategicPartnerRevenue => "Average TTM revenue per strategic partner",
            ProgramKpi::LeadShare => "Share of leads from partners",
            ProgramKpi::Nps => "Partner NPS",
            ProgramKpi::Retention => "Partner retention (year over year)",
            ProgramKpi::Roi => "Program ROI (year to date)",
        }
    }

    pub fn unit(self) -> Unit {
        match self {
            ProgramKpi::StrategicPartnerRevenue => Unit::Money,
            ProgramKpi::Nps => Unit::Points,
            ProgramKpi::Roi => Unit::Multiple,
            _ => Unit::Rate,
        }
    }

    /// Its target in the program's targets; ROI's depends on the year and
    /// is found by `program::roi_target`, NPS has none.
    pub fn fixed_target(self, t: &Targets) -> Option<f64> {
        match self {
            ProgramKpi::InfluencedShare => t.influenced_share,
            ProgramKpi::SourcedShare => t.sourced_share,
            ProgramKpi::StrategicPartnerRevenue => t.strategic_partner_revenue,
            ProgramKpi::LeadShare => t.lead_share,
            ProgramKpi::Retention => t.retention,
            ProgramKpi::Nps | ProgramKpi::Roi => None,
        }
    }

    /// Whether it is measured against a target (all but NPS).
    pub fn has_target(self) -> bool {
        self != ProgramKpi::Nps
    }
}

/// A KPI enum whose variants index a fixed array.
pub trait KpiKey: Copy + Ord + 'static {
    const COUNT: usize;
    fn index(self) -> usize;
    fn name(self) -> &'static str;
    fn all() -> &'static [Self];
}

impl KpiKey for Kpi {
    const COUNT: usize = 13;
    fn index(self) -> usize {
        self as usize
    }
    fn name(self) -> &'static str {
        self.key()
    }
    fn all() -> &'static [Kpi] {
        &Kpi::ALL
    }
}

impl KpiKey for ProgramKpi {
    const COUNT: usize = 7;
    fn index(self) -> usize {
        self as usize
    }
    fn name(self) -> &'static str {
        self.key()
    }
    fn all() -> &'static [ProgramKpi] {
        &ProgramKpi::ALL
    }
}

/// A value (or none) for every KPI of one kind; a KPI can also be hidden
/// altogether (a partner's view has no `partner_share`, not even null).
#[derive(Debug, Clone, PartialEq)]
pub struct KpiMap<K: KpiKey, V> {
    values: Vec<Option<V>>,
    hidden: Vec<bool>,
    kind: std::marker::PhantomData<K>,
}

impl<K: KpiKey, V> Default for KpiMap<K, V> {
    fn default() -> Self {
        KpiMap {
            values: std::iter::repeat_with(|| None).take(K::COUNT).collect(),
            hidden: vec![false; K::COUNT],
            kind: std::marker::PhantomData,
        }
    }
}

impl<K: KpiKey, V: Copy> KpiMap<K, V> {
    /// The value of `k`, if it has one (a hidden KPI has none).
    pub fn get(&self, k: K) -> Option<V> {
        self.values[k.index()]
    }

    pub fn set(&mut self, k: K, v: Option<V>) {
        self.values[k.index()] = v;
    }

    /// Removes `k` from the map: no value, and absent when serialized.
    pub fn hide(&mut self, k: K) {
        self.values[k.index()] = None;
        self.hidden[k.index()] = true;
    }

    /// Whether `k` is part of the map (not hidden).
    pub fn shows(&self, k: K) -> bool {
        !self.hidden[k.index()]
    }

    /// Every KPI the map shows, with its value (or none), in the enum's order.
    pub fn iter(&self) -> impl Iterator<Item = (K, Option<V>)> + '_ {
        (K::all().iter())
            .filter(|&&k| self.shows(k))
            .map(|&k| (k, self.get(k)))
    }

    /// The KPIs that have a value, with it.
    pub fn present(&self) -> impl Iterator<Item = (K, V)> + '_ {
        self.iter().filter_map(|(k, v)| Some((k, v?)))
    }
}

impl<K: KpiKey, V: Copy> FromIterator<(K, Option<V>)> for KpiMap<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, Option<V>)>>(iter: I) -> Self {
        let mut map = KpiMap::default();
        for (k, v) in iter {
            map.set(k, v);
        }
        map
    }
}

/// Every partner KPI's value at a quarter (`None`: no data).
pub type Kpis = KpiMap<Kpi, f64>;

/// A map serializes as a JSON object keyed by KPI key, in key order; the
/// values of a `Kpis` map include nulls (every key is present), those of a
/// status map only the KPIs that have one.
impl<K: KpiKey, V: Copy + Serialize + Nullable> Serialize for KpiMap<K, V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut entries: Vec<(&str, Option<V>)> = self
            .iter()
            .filter(|(_, v)| V::KEEP_NULLS || v.is_some())
            .map(|(k, v)| (k.name(), v))
            .collect();
        entries.sort_by_key(|(k, _)| *k);
        let mut map = s.serialize_map(Some(entries.len()))?;
        for (k, v) in entries {
            map.serialize_entry(k, &v)?;
        }
        map.end()
    }
}

/// Whether a map's missing values are written as `null` (numbers) or left
/// out (statuses).
pub trait Nullable {
    const KEEP_NULLS: bool;
}

impl Nullable for f64 {
    const KEEP_NULLS: bool = true;
}

impl Nullable for super::Status {
    const KEEP_NULLS: bool = false;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_round_trip() {
        for k in Kpi::ALL {
            assert_eq!(Kpi::from_key(k.key()), Some(k));
            assert_eq!(k as usize, Kpi::ALL.iter().position(|x| *x == k).unwrap());
        }
        for (i, k) in ProgramKpi::ALL.iter().enumerate() {
            assert_eq!(*k as usize, i);
        }
    }

    #[test]
    fn kpis_serialize_every_key_in_key_order() {
        let mut k = Kpis::default();
        k.set(Kpi::WinRate, Some(0.5));
        let json = serde_json::to_string(&k).unwrap();
        assert!(json.starts_with("{\"certification_hours\":null,"), "{json}");
        assert!(json.contains("\"win_rate\":0.5"), "{json}");
        assert_eq!(json.matches(':').count(), 13);
    }

    #[test]
    fn targets_are_read_from_the_typed_fields() {
        let t = Targets {
            win_rate: Some(0.6),
            max_partner_share: Some(0.2),
            ..Targets::default()
        };
        assert_eq!(Kpi::WinRate.target(&t), Some(0.6));
        assert_eq!(
            Kpi::PartnerShare.goal(),
            Some(("max_partner_share", Better::Lower))
        );
        assert_eq!(Kpi::PartnerShare.target(&t), Some(0.2));
        assert_eq!(Kpi::TtmRevenue.target(&t), None);
        for k in Kpi::ALL {
            assert_eq!(
                k.goal().is_some(),
                matches!(
                    k,
                    Kpi::YoyGrowth
                        | Kpi::DealRegistrationRate
                        | Kpi::WinRate
                        | Kpi::CertifiedStaffShare
                        | Kpi::Satisfaction
                        | Kpi::JointCsat
                        | Kpi::IntegrationAdoption
                        | Kpi::PartnerShare
                )
            );
        }
    }
}
