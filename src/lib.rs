//! partnersite: a static partner resource center builder.
//!
//! The build is a pipeline of stages, one module each: `site` loads files
//! into a `Site`, `render` turns it into an `Output` for one audience, and
//! `output` writes that to disk atomically. `build` strings them together.

pub mod audience;
pub mod build;
pub mod charts;
pub mod check;
pub mod cli;
pub mod cobrand;
pub mod config;
pub mod content;
pub mod data;
pub mod diagnostic;
pub mod format;
pub mod highlight;
pub mod markdown;
pub mod metrics;
pub mod output;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod theme;
pub mod timings;
