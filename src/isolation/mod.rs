//! Isolation: the one module that decides what each output may hold
//! (DESIGN.md §5). A build is for an `Audience`; an audience is made of one
//! or more `View`s, each rendered into its own folder. This module answers
//! every "may this view see it?": which pages and sections, which partners'
//! reports and co-branded copies, which data and logos, which links — and
//! after rendering, its leak guard checks the output against the rule.
//!
//! `build`, `serve`, `check` and `render` all ask it; nothing else states
//! the rule. It renders nothing and reads no file.

mod guard;
mod only;
mod reader;
mod scope;
mod tiers;
mod view;
mod visible;

pub use guard::{LeakGuard, leak_guard};
pub use only::{OnlyRule, Reader, kpi_in_copy, only_shows};
pub use scope::{partner_base_url, scope};
pub use tiers::{Gains, KIT_TAG, PageChange, TierPages, changed_since, expiring_within};
pub use view::{Audience, Target, View, targets};
pub use visible::{
    Listed, Selection, cobrand_allows, cobrand_path, pages_shown, partners_in_view,
    recommended_for, selection, why_shown,
};
