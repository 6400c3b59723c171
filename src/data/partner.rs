//! A partner file, `data/partners/<slug>.toml`: raw serde structs that
//! reject unknown keys, and the validated `Partner` (DESIGN.md §3).

use serde::{Deserialize, Serialize};
use time::Date;

use super::checks::{MAX_AMOUNT, Problems};
use crate::diagnostic::Code;
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
    public: bool,
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
    /// The partner agreed to be named publicly: its name and logo (never
    /// its data) may appear in any output.
    pub public: bool,
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
    check_logo: &dyn Fn(&str) -> Result<(), String>,
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
        problems.file(
            Code::BadPartnerSlug,
            format!("the file name is the partner's slug, and it {m}; rename the file"),
        );
    }
    let tier = Tier::new(raw.tier).unwrap_or_else(|| {
        problems.at(
            Code::UnknownPartnerTier,
            &[Key::Name("tier")],
            format!("tier {} does not exist: use 1, 2 or 3", raw.tier),
        );
        Tier::ALL[0]
    });
    let joined = date(&[Key::Name("joined")], &raw.joined, problems);
    let left = (raw.left.as_ref()).and_then(|t| date(&[Key::Name("left")], t, problems));
    if let (Some(j), Some(l)) = (joined, left)
        && l <= j
    {
        problems.at(
            Code::LeftBeforeJoined,
            &[Key::Name("left")],
            "`left` must be after `joined`",
        );
    }
    let phase_started =
        (raw.phase_started.as_ref()).and_then(|t| date(&[Key::Name("phase_started")], t, problems));
    let phase = raw.phase.as_deref().and_then(|p| phase(p, problems));
    if let Some(site) = &raw.website
        && !(site.starts_with("https://") || site.starts_with("http://"))
    {
        problems.at(
            Code::BadWebsite,
            &[Key::Name("website")],
            "`website` must start with https:// or http://",
        );
    }
    let brand = brand(raw.brand, check_logo, problems);
    let quarters = quarters(raw.quarters, problems);
    let actions = actions(raw.actions, problems);
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
        public: raw.public,
        brand,
        quarters,
        actions,
    })
}

/// A date of the file, or a problem at `path`.
fn date(path: &[Key<'_>], text: &DateText, problems: &mut Problems) -> Option<Date> {
    let d = parse_date(&text.0);
    if d.is_none() {
        let key = match path.last() {
            Some(Key::Name(key)) => key,
            _ => "date",
        };
        problems.at(
            Code::BadDataDate,
            path,
            format!("`{key}` is not a date: write YYYY-MM-DD"),
        );
    }
    d
}

fn phase(name: &str, problems: &mut Problems) -> Option<Phase> {
    match name {
        "exploration" => Some(Phase::Exploration),
        "pilot" => Some(Phase::Pilot),
        "launch" => Some(Phase::Launch),
        "strategic" => Some(Phase::Strategic),
        other => {
            problems.at(
                Code::UnknownPhase,
                &[Key::Name("phase")],
                format!("unknown phase `{other}`: use exploration, pilot, launch or strategic"),
            );
            None
        }
    }
}

fn actions(raw: Vec<RawAction>, problems: &mut Problems) -> Vec<Action> {
    (raw.into_iter().enumerate())
        .map(|(i, a)| Action {
            due: (a.due.as_ref()).and_then(|t| {
                let path = [Key::Name("actions"), Key::Index(i), Key::Name("due")];
                date(&path, t, problems)
            }),
            title: a.title,
            owner: a.owner,
            done: a.done,
        })
        .collect()
}

fn brand(
    raw: RawBrand,
    check_logo: &dyn Fn(&str) -> Result<(), String>,
    problems: &mut Problems,
) -> Brand {
    if let Some(Err(why)) = raw.logo.as_deref().map(check_logo) {
        problems.at(
            Code::BadPartnerLogo,
            &[Key::Name("brand"), Key::Name("logo")],
            format!("logo {why}"),
        );
    }
    for (key, value) in [("primary", &raw.primary), ("accent", &raw.accent)] {
        if let Some(v) = value.as_deref().filter(|v| !is_hex_colour(v)) {
            problems.at(
                Code::BadColour,
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
    let mut quarters: Vec<QuarterData> = Vec::with_capacity(raw.len());
    let mut seen = std::collections::HashSet::new();
    for (index, q) in raw.into_iter().enumerate() {
        let mut check = QuarterCheck { problems, index };
        let quarter = match q.quarter.parse::<Quarter>() {
            Ok(quarter) => quarter,
            Err(e) => {
                check.problem(Code::BadQuarter, "quarter", e.to_string());
                continue;
            }
        };
        if !seen.insert(quarter) {
            check.problem(
                Code::BadQuarter,
                "quarter",
                format!("quarter {quarter} appears twice; merge the two entries"),
            );
            continue;
        }
        quarters.push(check.quarter(quarter, q));
    }
    quarters.sort_by_key(|q| q.quarter);
    quarters
}

/// Checks the values of the `[[quarters]]` entry `index`, reporting each
/// problem at its key; a bad value is left out (no data), never kept.
struct QuarterCheck<'p, 'a> {
    problems: &'p mut Problems<'a>,
    index: usize,
}

impl QuarterCheck<'_, '_> {
    fn problem(&mut self, code: Code, key: &str, message: String) {
        let path = [
            Key::Name("quarters"),
            Key::Index(self.index),
            Key::Name(key),
        ];
        self.problems.at(code, &path, message);
    }

    fn quarter(&mut self, quarter: Quarter, q: RawQuarter) -> QuarterData {
        let d = QuarterData {
            quarter,
            influenced_revenue: self.money("influenced_revenue", q.influenced_revenue),
            sourced_revenue: self.money("sourced_revenue", q.sourced_revenue),
            deals_total: self.count("deals_total", q.deals_total),
            deals_registered: self.count("deals_registered", q.deals_registered),
            competitive_deals: self.count("competitive_deals", q.competitive_deals),
            competitive_wins: self.count("competitive_wins", q.competitive_wins),
            staff: self.count("staff", q.staff),
            certified_staff: self.count("certified_staff", q.certified_staff),
            certifications: q.certifications.map(|c| self.certifications(c)),
            satisfaction: self.score("satisfaction", q.satisfaction),
            recommend: self.score("recommend", q.recommend),
            joint_csat: self.rate("joint_csat", q.joint_csat),
            customers: self.count("customers", q.customers),
            customers_with_integration: self
                .count("customers_with_integration", q.customers_with_integration),
            leads: self.count("leads", q.leads),
            mdf_approved: self.money("mdf_approved", q.mdf_approved),
            mdf_spent: self.money("mdf_spent", q.mdf_spent),
            comment: q.comment.inspect(|c| self.comment(c)),
        };
        self.parts_of_wholes(&d);
        d
    }

    /// A comment is markdown shown on the report: its links must be safe.
    fn comment(&mut self, text: &str) {
        for p in crate::markdown::unsafe_links(text) {
            self.problem(
                Code::UnsafeDataLink,
                "comment",
                format!("`comment`: {}", p.message),
            );
        }
    }

    fn count(&mut self, key: &str, v: Option<i64>) -> Option<u64> {
        let v = v?;
        if v < 0 {
            self.problem(
                Code::NegativeCount,
                key,
                format!("`{key}` is a count and cannot be negative ({v})"),
            );
            return None;
        }
        Some(v as u64)
    }

    fn money(&mut self, key: &str, v: Option<f64>) -> Option<f64> {
        let v = v?;
        if !v.is_finite() || v > MAX_AMOUNT {
            let message = format!("`{key}` must be an amount in USD up to 10^15, not {v}");
            self.problem(Code::BadAmount, key, message);
            return None;
        }
        if v < 0.0 {
            let message = format!("`{key}` is an amount in USD and cannot be negative ({v})");
            self.problem(Code::BadAmount, key, message);
            return None;
        }
        // −0 is 0: no report, export or chart ever shows `-0`.
        Some(v + 0.0)
    }

    fn score(&mut self, key: &str, v: Option<f64>) -> Option<f64> {
        let v = v?;
        if !(0.0..=10.0).contains(&v) {
            self.problem(
                Code::BadScore,
                key,
                format!("`{key}` is a score from 0 to 10, not {v}"),
            );
            return None;
        }
        Some(v + 0.0)
    }

    fn rate(&mut self, key: &str, v: Option<f64>) -> Option<f64> {
        let v = v?;
        if (0.0..=1.0).contains(&v) {
            return Some(v + 0.0);
        }
        let hint = if v > 1.0 && v <= 100.0 {
            format!(": write {}, not {v}", v / 100.0)
        } else {
            String::new()
        };
        self.problem(
            Code::BadRate,
            key,
            format!("`{key}` is a rate from 0 to 1{hint}"),
        );
        None
    }

    fn certifications(&mut self, c: RawCertifications) -> Certifications {
        let mut track = |name: &'static str, v: Option<i64>| {
            let v = v?;
            if v < 0 {
                let path = [
                    Key::Name("quarters"),
                    Key::Index(self.index),
                    Key::Name("certifications"),
                    Key::Name(name),
                ];
                let message =
                    format!("certifications `{name}` is a count and cannot be negative ({v})");
                self.problems.at(Code::NegativeCount, &path, message);
                return None;
            }
            Some(v as u64)
        };
        Certifications {
            technical: track("technical", c.technical),
            sales: track("sales", c.sales),
            marketing: track("marketing", c.marketing),
        }
    }

    /// A part (sourced revenue, registered deals…) may not exceed its whole.
    fn parts_of_wholes(&mut self, d: &QuarterData) {
        let n = |v: Option<u64>| v.map(|v| v as f64);
        let parts = [
            (
                "sourced_revenue",
                "influenced_revenue",
                d.sourced_revenue,
                d.influenced_revenue,
            ),
            (
                "deals_registered",
                "deals_total",
                n(d.deals_registered),
                n(d.deals_total),
            ),
            (
                "competitive_wins",
                "competitive_deals",
                n(d.competitive_wins),
                n(d.competitive_deals),
            ),
            ("certified_staff", "staff", n(d.certified_staff), n(d.staff)),
            (
                "customers_with_integration",
                "customers",
                n(d.customers_with_integration),
                n(d.customers),
            ),
            ("mdf_spent", "mdf_approved", d.mdf_spent, d.mdf_approved),
        ];
        for (part, whole, p, w) in parts {
            if let (Some(p), Some(w)) = (p, w)
                && p > w
            {
                let message =
                    format!("`{part}` ({p}) is part of `{whole}` ({w}) and cannot exceed it");
                self.problem(Code::PartOverWhole, part, message);
            }
        }
    }
}
