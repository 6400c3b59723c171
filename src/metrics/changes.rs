//! What changed for a partner, for its "what's new" (DESIGN.md §6): the
//! KPIs whose status at the report quarter differs from the quarter
//! before, and the actions of its plan that are overdue or due soon.

use time::{Date, Duration};

use super::kpi::Kpi;
use super::partner::PartnerReport;
use super::status::Status;
use crate::data::Partner;

/// How far ahead of `as_of` an open action counts as due soon, in days
/// (and how far ahead what's new looks for pages about to expire).
pub const DUE_SOON_DAYS: i64 = 30;

/// A KPI whose status at the report quarter differs from the quarter before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusChange {
    pub kpi: Kpi,
    pub before: Status,
    pub after: Status,
}

impl StatusChange {
    /// `Some(true)` if the KPI moved towards on track, `Some(false)` if
    /// away from it, `None` if it gained or lost its data.
    pub fn improved(&self) -> Option<bool> {
        if self.before == Status::NoData || self.after == Status::NoData {
            return None;
        }
        // On track < at risk < off track.
        Some(self.after < self.before)
    }
}

/// The KPIs of `report` whose status changed since the quarter before, in
/// report order. KPIs the report hides (a partner's view has no
/// internal-only KPI) have no status in it, so no change either.
pub fn status_changes(report: &PartnerReport) -> Vec<StatusChange> {
    report
        .status
        .present()
        .filter_map(|(kpi, after)| {
            let before = report.previous_status.get(kpi)?;
            (before != after).then_some(StatusChange { kpi, before, after })
        })
        .collect()
}

/// An open action of a partner's plan that is overdue at `as_of`, or due
/// within `DUE_SOON_DAYS` of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueAction {
    /// Its index in `Partner::actions`.
    pub index: usize,
    pub due: Date,
    /// Due before `as_of`.
    pub overdue: bool,
    /// Days from `as_of` to `due` (negative when overdue).
    pub days: i64,
}

/// The open actions of `p` that are overdue at `as_of` or due within
/// `DUE_SOON_DAYS` of it, soonest due first (then in plan order).
pub fn due_actions(p: &Partner, as_of: Date) -> Vec<DueAction> {
    // At the end of the calendar (9999-12-31) nothing lies beyond it.
    let horizon = (as_of.checked_add(Duration::days(DUE_SOON_DAYS))).unwrap_or(Date::MAX);
    let mut due: Vec<DueAction> = (p.actions.iter().enumerate())
        .filter(|(_, a)| !a.done)
        .filter_map(|(index, a)| {
            let due = a.due.filter(|d| *d <= horizon)?;
            Some(DueAction {
                index,
                due,
                overdue: due < as_of,
                days: (due - as_of).whole_days(),
            })
        })
        .collect();
    due.sort_by_key(|a| (a.due, a.index));
    due
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::partner::Action;
    use crate::values::date::parse_date;

    fn date(s: &str) -> Date {
        parse_date(s).unwrap()
    }

    fn action(title: &str, due: Option<&str>, done: bool) -> Action {
        Action {
            title: title.into(),
            owner: String::new(),
            due: due.map(date),
            done,
        }
    }

    fn with_actions(actions: Vec<Action>) -> Partner {
        Partner {
            slug: "a".into(),
            name: "A".into(),
            tier: crate::values::Tier::new(2).unwrap(),
            segment: String::new(),
            joined: date("2024-01-01"),
            left: None,
            phase: None,
            phase_started: None,
            website: None,
            public: false,
            brand: Default::default(),
            quarters: Vec::new(),
            actions,
        }
    }

    #[test]
    fn due_actions_are_open_and_overdue_or_due_within_30_days() {
        let p = with_actions(vec![
            action("late", Some("2026-11-01"), false),
            action("done late", Some("2026-11-01"), true),
            action("soon", Some("2026-12-25"), false),
            action("today", Some("2026-11-25"), false),
            action("later", Some("2026-12-26"), false),
            action("undated", None, false),
        ]);
        let due = due_actions(&p, date("2026-11-25"));
        let shown: Vec<(&str, bool, i64)> = due
            .iter()
            .map(|d| (p.actions[d.index].title.as_str(), d.overdue, d.days))
            .collect();
        assert_eq!(
            shown,
            [
                ("late", true, -24),
                ("today", false, 0),
                ("soon", false, 30)
            ]
        );
    }

    #[test]
    fn due_soon_stops_at_the_end_of_the_calendar() {
        let p = with_actions(vec![action("last", Some("9999-12-31"), false)]);
        let due = due_actions(&p, date("9999-12-20"));
        assert_eq!((due.len(), due[0].days), (1, 11));
    }

    #[test]
    fn a_status_change_knows_which_way_it_went() {
        let change = |before, after| StatusChange {
            kpi: Kpi::WinRate,
            before,
            after,
        };
        assert_eq!(
            change(Status::AtRisk, Status::OnTrack).improved(),
            Some(true)
        );
        assert_eq!(
            change(Status::OnTrack, Status::OffTrack).improved(),
            Some(false)
        );
        assert_eq!(change(Status::NoData, Status::OnTrack).improved(), None);
    }
}
