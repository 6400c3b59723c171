//! partnersite: a static partner resource center builder.
//!
//! The build is a pipeline of stages, one module each, each handing one
//! type to the next (docs/architecture.md draws it):
//!
//! - `site` (**load**: `site.toml`, `content/`, the theme, `data/` →
//!   `Site`), with `config`, `content`, `data` and `theme` below it;
//! - `metrics` (**compute**: `Data` + quarter → `Reports`, every number);
//! - `isolation` (what each **view** of an audience may see, its scoped
//!   inputs, and the leak guard);
//! - `render` (`Site` + `Reports` + view → `Output`, a map of files);
//! - `search` (`Output` → its static search index);
//! - `write` (`Output` → the output folder, atomically).
//!
//! `build` strings them together; `check` and `serve` reuse the same
//! stages; `cli` parses arguments. At the bottom, every stage may use
//! `values` (quarters, dates, slugs, tiers, colours, numbers, escaping),
//! `diagnostic` and `source` (reading text and locating keys for errors).

pub mod build;
pub mod check;
pub mod cli;
pub mod config;
pub mod content;
pub mod data;
pub mod diagnostic;
pub mod highlight;
pub mod isolation;
pub mod markdown;
pub mod memory;
pub mod metrics;
pub mod output;
pub mod progress;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod shortcode;
pub mod site;
pub mod source;
pub mod theme;
pub mod timings;
pub mod values;
pub mod write;

/// The stack of a thread that renders templates.
pub const RENDER_STACK: usize = 16 * 1024 * 1024;

/// Runs the command line `args` (the program name first) and returns the
/// exit status: 0 success, 1 the site has errors, 2 bad usage.
pub fn run<I, T>(args: I) -> std::process::ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    use clap::Parser;
    // Templates render on rayon's threads: give them room for recursive
    // macros (a table of contents), while the sandbox stops one that would
    // run out. Only the pages touched are committed, not 16 MiB a thread.
    let _ = rayon::ThreadPoolBuilder::new()
        .stack_size(RENDER_STACK)
        .build_global();
    match cli::Cli::try_parse_from(args) {
        Ok(cli) => cli::run(cli),
        Err(e) => {
            // `--help` and `--version` print to stdout and succeed.
            let _ = e.print();
            std::process::ExitCode::from(if e.use_stderr() { 2 } else { 0 })
        }
    }
}
