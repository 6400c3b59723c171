//! A partner file, `data/partners/<slug>.toml`: raw serde structs that
//! reject unknown keys, and the validated `Partner` (DESIGN.md §3).

use std::path::Path;

use serde::{Deserialize, Serialize};
use time::Date;

use super::checks::{MAX_AMOUNT, Problems};
use crate::source::Key;
use crate::values::colour::is_hex_colour;
use crate::values::date::{DateText, parse_date};
use crate::values::slug::check_slug;
use crate::values::{Quarter, Tier};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPartner {
    name: String,
    tier: i64,
    #[serde(default)]
    segment: String,
    joined: DateText,
    left: Option<DateText>,
    phase: Option<String>,
    phase_started: Option<DateText>,
    website: Option<String>,
    #[serde(default)]
    brand: RawBrand,
    #[serde(default)]
    quarters: Vec<RawQuarter>,
    #[serde(default)]
    actions: Vec<RawAction>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBrand {
    logo: Option<String>,
    primary: Option<String>,
    accent: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuarter {
    quarter: String,
    influenced_revenue: Option<f64>,
    sourced_revenue: Option<f64>,
    deals_total: Option<i64>,
    deals_registered: Option<i64>,
    competitive_deals: Option<i64>,
    competitive_wins: Option<i64>,
    staff: Option<i64>,
    certified_staff: Option<i64>,
    certifications: Option<RawCertifications>,
    satisfaction: Option<f64>,
    recommend: Option<f64>,
    joint_csat: Option<f64>,
    customers: Option<i64>,
    customers_with_integration: Option<i64>,
    leads: Option<i64>,
    mdf_approved: Option<f64>,
    mdf_spent: Option<f64>,
    comment: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCertifications {
    technical: Option<i64>,
    sales: Option<i64>,
    marketing: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAction {
    title: String,
    #[serde(default)]
    owner: String,
    due: Option<DateText>,
    #[serde(default)]
    done: bool,
}

/// Where a partner is in the engagement framework.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    Exploration,
    Pilot,
    Launch,
    Strategic,
}

impl Phase {
    /// Days a partner may spend in the phase before it is overdue.
    pub fn limit_days(self) -> Option<i64> {
        match self {
            Phase::Exploration => Some(30),
            Phase::Pilot => Some(60),
            Phase::Launch => Some(90),
            Phase::Strategic => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Phase::Exploration => "exploration",
            Phase::Pilot => "pilot",
            Phase::Launch => "launch",
            Phase::Strategic => "strategic",
        }
    }
}

/// Certifications held, by track; a track missing from the table is `None`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Certifications {
    pub technical: Option<u64>,
    pub sales: Option<u64>,
    pub marketing: Option<u64>,
}

/// One quarter of a partner's metrics; every field may be missing.
#[derive(Debug, Clone, PartialEq)]
pub struct QuarterData {
    pub quarter: Quarter,
    pub influenced_revenue: Option<f64>,
    pub sourced_revenue: Option<f64>,
    pub deals_total: Option<u64>,
    pub deals_registered: Option<u64>,
    pub competitive_deals: Option<u64>,
    pub competitive_wins: Option<u64>,
    pub staff: Option<u64>,
    pub certified_staff: Option<u64>,
    pub certifications: Option<Certifications>,
    pub satisfaction: Option<f64>,
    pub recommend: Option<f64>,
    pub joint_csat: Option<f64>,
    pub customers: Option<u64>,
    pub customers_with_integration: Option<u64>,
    pub leads: Option<u64>,
    pub mdf_approved: Option<f64>,
    pub mdf_spent: Option<f64>,
    pub comment: Option<String>,
}

/// An item of the joint action plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub title: String,
    pub owner: String,
    pub due: Option<Date>,
    pub done: bool,
}

/// The partner's brand for co-branded pages.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Brand {
    /// Path under `data/` or `static/`.
    pub logo: Option<String>,
    /// `#rrggbb` colours (validated, so safe in CSS).
    pub primary: Option<String>,
    pub accent: Option<String>,
}

/// A validated partner.
#[derive(Debug, Clone, PartialEq)]
pub struct Partner {
    pub slug: String,
    pub name: String,
    pub tier: Tier,
    pub segment: String,
    pub joined: Date,
    pub left: Option<Date>,
    pub phase: Option<Phase>,
    pub phase_started: Option<Date>,
    pub website: Option<String>,
    pub brand: Brand,
    /// Sorted by quarter, no duplicates.
    pub quarters: Vec<QuarterData>,
    pub actions: Vec<Action>,
}

impl Partner {
    /// Active at a date: joined on or before it and not yet left (DESIGN.md §4).
    pub fn active_at(&self, date: Date) -> bool {
        self.joined <= date && self.left.is_none_or(|left| left > date)
    }

    /// The data of one quarter, if the file has it.
    pub fn quarter(&self, q: Quarter) -> Option<&QuarterData> {
        self.quarters
            .binary_search_by(|d| d.quarter.cmp(&q))
            .ok()
            .map(|i| &self.quarters[i])
    }
}

/// Parses and validates one partner file.
pub fn parse(
    slug: &str,
    source: &str,
    logo_exists: &dyn Fn(&str) -> bool,
    problems: &mut Problems,
) -> Option<Partner> {
    let raw: RawPartner = match toml::from_str(source) {
        Ok(r) => r,
        Err(e) => {
            problems.toml(&e);
            return None;
        }
    };
    if let Err(m) = check_slug(slug) {
        problems.file(format!(
            "the file name is the partner's slug, and it {m}; rename the file"
        ));
    }
    let tier = Tier::new(raw.tier).unwrap_or_else(|| {
        problems.at(
            &[Key::Name("tier")],
            format!("tier {} does not exist: use 1, 2 or 3", raw.tier),
        );
        Tier::ALL[0]
    });
    let date = |key: &'static str, text: &DateText, problems: &mut Problems| {
        let d = parse_date(&text.0);
        if d.is_none() {
            problems.at(
                &[Key::Name(key)],
                format!("`{key}` is not a date: write YYYY-MM-DD"),
            );
        }
        d
    };
    let joined = date("joined", &raw.joined, problems);
    let left = raw.left.as_ref().and_then(|t| date("left", t, problems));
    if let (Some(j), Some(l)) = (joined, left)
        && l <= j
    {
        problems.at(&[Key::Name("left")], "`left` must be after `joined`");
    }
    let phase_started = raw
        .phase_started
        .as_ref()
        .and_then(|t| date("phase_started", t, problems));
    let phase = raw.phase.as_deref().and_then(|p| match p {
        "exploration" => Some(Phase::Exploration),
        "pilot" => Some(Phase::Pilot),
        "launch" => Some(Phase::Launch),
        "strategic" => Some(Phase::Strategic),
        other => {
            problems.at(
                &[Key::Name("phase")],
                format!("unknown phase `{other}`: use exploration, pilot, launch or strategic"),
            );
            None
        }
    });
    if let Some(site) = &raw.website
        && !(site.starts_with("https://") || site.starts_with("http://"))
    {
        problems.at(
            &[Key::Name("website")],
            "`website` must start with https:// or http://",
        );
    }
    let brand = brand(raw.brand, logo_exists, problems);
    let quarters = quarters(raw.quarters, problems);
    let actions = raw
        .actions
        .into_iter()
        .enumerate()
        .map(|(i, a)| Action {
            due: a.due.as_ref().and_then(|t| {
                let d = parse_date(&t.0);
                if d.is_none() {
                    problems.at(
                        &[Key::Name("actions"), Key::Index(i), Key::Name("due")],
                        "`due` is not a date: write YYYY-MM-DD",
                    );
                }
                d
            }),
            title: a.title,
            owner: a.owner,
            done: a.done,
        })
        .collect();
    Some(Partner {
        slug: slug.to_string(),
        name: raw.name,
        tier,
        segment: raw.segment,
        joined: joined?,
        left,
        phase,
        phase_started,
        website: raw.website,
        brand,
        quarters,
        actions,
    })
}

fn brand(raw: RawBrand, logo_exists: &dyn Fn(&str) -> bool, problems: &mut Problems) -> Brand {
    if let Some(logo) = &raw.logo {
        let bad_path = Path::new(logo)
            .components()
            .any(|c| !matches!(c, std::path::Component::Normal(_)));
        if bad_path || !logo_exists(logo) {
            problems.at(
                &[Key::Name("brand"), Key::Name("logo")],
                format!("logo `{logo}` not found: put the file under data/ or static/ and give its path relative to that folder"),
            );
        }
    }
    for (key, value) in [("primary", &raw.primary), ("accent", &raw.accent)] {
        if let Some(v) = value.as_deref().filter(|v| !is_hex_colour(v)) {
            problems.at(
                &[Key::Name("brand"), Key::Name(key)],
                format!("`{key}` must be a hex colour like \"#0b5fff\", not `{v}`"),
            );
        }
    }
    let colour = |v: Option<String>| {
        v.filter(|c| is_hex_colour(c))
            .map(|c| c.to_ascii_lowercase())
    };
    Brand {
        logo: raw.logo,
        primary: colour(raw.primary),
        accent: colour(raw.accent),
    }
}

fn quarters(raw: Vec<RawQuarter>, problems: &mut Problems) -> Vec<QuarterData> {
    let mut out: Vec<(usize, QuarterData)> = Vec::new();
    for (i, q) in raw.into_iter().enumerate() {
        let at = |key: &'static str| [Key::Name("quarters"), Key::Index(i), Key::Name(key)];
        let quarter = match q.quarter.parse::<Quarter>() {
            Ok(quarter) => quarter,
            Err(e) => {
                problems.at(&at("quarter"), e.to_string());
                continue;
            }
        };
        if let Some((_, dup)) = out.iter().find(|(_, d)| d.quarter == quarter) {
            problems.at(
                &at("quarter"),
                format!(
                    "quarter {} appears twice; merge the two entries",
                    dup.quarter
                ),
            );
            continue;
        }
        let mut count = |key: &'static str, v: Option<i64>| -> Option<u64> {
            let v = v?;
            if v < 0 {
                problems.at(
                    &at(key),
                    format!("`{key}` is a count and cannot be negative ({v})"),
                );
                return None;
            }
            Some(v as u64)
        };
        let deals_total = count("deals_total", q.deals_total);
        let deals_registered = count("deals_registered", q.deals_registered);
        let competitive_deals = count("competitive_deals", q.competitive_deals);
        let competitive_wins = count("competitive_wins", q.competitive_wins);
        let staff = count("staff", q.staff);
        let certified_staff = count("certified_staff", q.certified_staff);
        let customers = count("customers", q.customers);
        let customers_with_integration =
            count("customers_with_integration", q.customers_with_integration);
        let leads = count("leads", q.leads);
        let certifications = q.certifications.map(|c| {
            let mut track = |name: &'static str, v: Option<i64>| {
                let v = v?;
                if v < 0 {
                    problems.at(
                        &[
                            Key::Name("quarters"),
                            Key::Index(i),
                            Key::Name("certifications"),
                            Key::Name(name),
                        ],
                        format!("certifications `{name}` is a count and cannot be negative ({v})"),
                    );
                    return None;
                }
                Some(v as u64)
            };
            Certifications {
                technical: track("technical", c.technical),
                sales: track("sales", c.sales),
                marketing: track("marketing", c.marketing),
            }
        });
        let mut money = |key: &'static str, v: Option<f64>| -> Option<f64> {
            let v = v?;
            if !v.is_finite() || v > MAX_AMOUNT {
                problems.at(
                    &at(key),
                    format!("`{key}` must be an amount in USD up to 10^15, not {v}"),
                );
                return None;
            }
            if v < 0.0 {
                problems.at(
                    &at(key),
                    format!("`{key}` is an amount in USD and cannot be negative ({v})"),
                );
                return None;
            }
            Some(v)
        };
        let influenced_revenue = money("influenced_revenue", q.influenced_revenue);
        let sourced_revenue = money("sourced_revenue", q.sourced_revenue);
        let mdf_approved = money("mdf_approved", q.mdf_approved);
        let mdf_spent = money("mdf_spent", q.mdf_spent);
        let mut score = |key: &'static str, v: Option<f64>| -> Option<f64> {
            let v = v?;
            if !(0.0..=10.0).contains(&v) {
                problems.at(
                    &at(key),
                    format!("`{key}` is a score from 0 to 10, not {v}"),
                );
                return None;
            }
            Some(v)
        };
        let satisfaction = score("satisfaction", q.satisfaction);
        let recommend = score("recommend", q.recommend);
        let joint_csat = q.joint_csat.and_then(|v| {
            if (0.0..=1.0).contains(&v) {
                return Some(v);
            }
            let hint = if v > 1.0 && v <= 100.0 {
                format!(": write {}, not {v}", v / 100.0)
            } else {
                String::new()
            };
            problems.at(
                &at("joint_csat"),
                format!("`joint_csat` is a rate from 0 to 1{hint}"),
            );
            None
        });
        let parts: [(&str, &str, Option<f64>, Option<f64>); 6] = [
            (
                "sourced_revenue",
                "influenced_revenue",
                sourced_revenue,
                influenced_revenue,
            ),
            (
                "deals_registered",
                "deals_total",
                deals_registered.map(|v| v as f64),
                deals_total.map(|v| v as f64),
            ),
            (
                "competitive_wins",
                "competitive_deals",
                competitive_wins.map(|v| v as f64),
                competitive_deals.map(|v| v as f64),
            ),
            (
                "certified_staff",
                "staff",
                certified_staff.map(|v| v as f64),
                staff.map(|v| v as f64),
            ),
            (
                "customers_with_integration",
                "customers",
                customers_with_integration.map(|v| v as f64),
                customers.map(|v| v as f64),
            ),
            ("mdf_spent", "mdf_approved", mdf_spent, mdf_approved),
        ];
        for (part, whole, p, w) in parts {
            if let (Some(p), Some(w)) = (p, w)
                && p > w
            {
                problems.at(
                    &[Key::Name("quarters"), Key::Index(i), Key::Name(part)],
                    format!("`{part}` ({p}) is part of `{whole}` ({w}) and cannot exceed it"),
                );
            }
        }
        out.push((
            i,
            QuarterData {
                quarter,
                influenced_revenue,
                sourced_revenue,
                deals_total,
                deals_registered,
                competitive_deals,
                competitive_wins,
                staff,
                certified_staff,
                certifications,
                satisfaction,
                recommend,
                joint_csat,
                customers,
                customers_with_integration,
                leads,
                mdf_approved,
                mdf_spent,
                comment: q.comment,
            },
        ));
    }
    let mut quarters: Vec<QuarterData> = out.into_iter().map(|(_, q)| q).collect();
    quarters.sort_by_key(|q| q.quarter);
    quarters
}
