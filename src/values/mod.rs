//! Values of the domain that every stage shares: quarters, dates, slugs,
//! tiers, colours, numbers as people read them, paths inside a folder, and
//! the one escaping module for HTML, XML and markdown.
//!
//! This is the bottom layer: it imports no other module of partnersite, and
//! every other module may import it. Nothing here reads the disk, the clock
//! or the environment.

pub mod colour;
pub mod date;
pub mod escape;
pub mod number;
pub mod path;
pub mod quarter;
pub mod slug;
pub mod tier;

pub use number::Unit;
pub use quarter::Quarter;
pub use tier::Tier;
