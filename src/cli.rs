//! The command line: argument definitions (clap) and dispatch.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::build::{self, BuildOptions, Failure};
use crate::highlight::Highlighter;
use crate::isolation::Audience;
use crate::site::LoadOptions;
use crate::values::Quarter;
use time::Date;

/// Build a static partner resource center from markdown playbooks,
/// co-branded templates and TOML partner metrics.
#[derive(Debug, Parser)]
#[command(name = "partnersite", version, propagate_version = true)]
#[command(
    after_help = "Exit status: 0 success, 1 the site has errors (all are printed), 2 bad usage.\nSee README.md and docs/ for the site format."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (default: public/).
    ///
    /// Everything is rendered and checked in memory first; the output folder
    /// is replaced only when the whole site built without errors, so a failed
    /// build leaves the previous output exactly as it was.
    Build(BuildArgs),
    /// Serve the site from memory on loopback, rebuilding on every change.
    ///
    /// Builds in memory with base_url set to the server's address, watches
    /// content/, data/, themes/, templates/, static/ and site.toml, and
    /// reloads open pages after each rebuild. A failed rebuild is printed
    /// here and shown over the page while the last good build stays served.
    /// Nothing is written to disk.
    Serve(ServeArgs),
    /// Check the site without writing anything: everything build checks,
    /// plus links, #anchors, images, colliding URLs and stale pages.
    ///
    /// Stale pages are warnings; any error makes the exit status 1.
    Check(CheckArgs),
    /// Create a page or a partner file from a template.
    #[command(subcommand)]
    New(NewCommand),
    /// Create a new site in DIR (which must be missing or empty) that builds
    /// as it is, with a sample section, page and partner.
    Init(InitArgs),
}

/// Options shared by the commands that read a site.
#[derive(Debug, Args)]
pub struct SiteArgs {
    /// The site's root folder (holding site.toml, content/, data/).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Output folder, replaced as a whole (relative to the current directory).
    #[arg(long, value_name = "DIR", default_value = "public")]
    pub out: PathBuf,
    /// Also build pages marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
    /// Use this base URL instead of site.toml's `base_url` (e.g. for a preview deploy).
    #[arg(long, value_name = "URL", value_parser = base_url)]
    pub base_url: Option<String>,
    /// Who the output is for: internal (everything), public (public pages
    /// only, no partner data), partner:<slug> (what that partner may see), or
    /// partners (every partner's view, each in <out>/<slug>/).
    #[arg(long, value_name = "AUDIENCE", default_value = "internal")]
    pub audience: Audience,
    /// Report quarter, like 2026-Q2 (default: data/program.toml's
    /// `report_quarter`, else the latest quarter in any partner file).
    #[arg(long, value_name = "YYYY-Qn")]
    pub quarter: Option<Quarter>,
    #[command(flatten)]
    pub date: DateArgs,
}

/// `--date`, shared by the commands that build.
#[derive(Debug, Args)]
pub struct DateArgs {
    /// The build date: pages with `publish` after it, or `expires` on or
    /// before it, are left out as drafts (default: SOURCE_DATE_EPOCH if it
    /// is set, else today in UTC).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = date_flag)]
    pub date: Option<Date>,
}

/// A `--date`: a day written YYYY-MM-DD.
fn date_flag(s: &str) -> Result<Date, String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s, format)
        .map_err(|_| format!("`{s}` is not a date: write it as YYYY-MM-DD, like 2026-07-01"))
}

/// The build date, decided once here and passed down: `--date`, else
/// `SOURCE_DATE_EPOCH` (seconds since 1970, as reproducible builds set it),
/// else `today`. A `SOURCE_DATE_EPOCH` that is not a time is an error.
pub fn build_date(flag: Option<Date>, epoch: Option<&str>, today: Date) -> Result<Date, String> {
    if let Some(date) = flag {
        return Ok(date);
    }
    let Some(epoch) = epoch.filter(|e| !e.is_empty()) else {
        return Ok(today);
    };
    epoch
        .trim()
        .parse::<i64>()
        .ok()
        .and_then(|s| time::OffsetDateTime::from_unix_timestamp(s).ok())
        .map(|t| t.date())
        .ok_or_else(|| {
            format!(
                "SOURCE_DATE_EPOCH is `{epoch}`, not a number of seconds since 1970-01-01: fix it, unset it, or pass --date YYYY-MM-DD"
            )
        })
}

/// The build date of a command, or the usage error (exit status 2).
fn date_of(args: &DateArgs) -> Result<Date, ExitCode> {
    let epoch = std::env::var("SOURCE_DATE_EPOCH").ok();
    build_date(
        args.date,
        epoch.as_deref(),
        time::OffsetDateTime::now_utc().date(),
    )
    .map_err(|m| {
        eprintln!("error: {m}");
        ExitCode::from(2)
    })
}

/// A `--base-url`, checked as `site.toml`'s is.
fn base_url(s: &str) -> Result<String, String> {
    crate::config::check_base_url(s.trim_end_matches('/')).map(|()| s.to_string())
}

/// Runs a parsed command line and returns the exit status.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Build(args) => run_build(args),
        Command::Serve(args) => run_serve(args),
        Command::Check(args) => run_check(args),
        Command::New(command) => run_new(command),
        Command::Init(args) => run_init(args),
    }
}

fn run_build(args: BuildArgs) -> ExitCode {
    let date = match date_of(&args.date) {
        Ok(date) => date,
        Err(code) => return code,
    };
    let options = BuildOptions {
        load: LoadOptions {
            root: args.site.root,
            drafts: args.drafts,
            base_url: args.base_url,
            date,
        },
        out: args.out,
        quarter: args.quarter,
        audience: args.audience,
    };
    let highlighter = Highlighter::new();
    match build::build(&options, &highlighter) {
        Ok(summary) => {
            for w in &summary.warnings {
                eprintln!("{w}\n");
            }
            if summary.recovered {
                eprintln!(
                    "note: an earlier build of {} was interrupted; its leftovers were cleaned up before writing",
                    options.out.display()
                );
            }
            println!("{summary} → {}", options.out.display());
            ExitCode::SUCCESS
        }
        Err(failure) => report_failure(&failure),
    }
}

/// Prints every error, and a closing count, to stderr; exit status 1.
pub fn report_failure(failure: &Failure) -> ExitCode {
    match failure {
        Failure::Site(diagnostics) => {
            for d in diagnostics {
                eprintln!("{d}\n");
            }
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            eprintln!(
                "build failed: {errors} error{}; the output folder was not touched",
                if errors == 1 { "" } else { "s" }
            );
        }
        Failure::Usage(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
        Failure::Write(e) => eprintln!("error: {e}"),
    }
    ExitCode::from(1)
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Port to listen on.
    #[arg(long, value_name = "N", default_value_t = 1111)]
    pub port: u16,
    /// Address to listen on; the default only accepts this machine.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Also serve pages marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
    /// Who the output is for, as for build (internal, public,
    /// partner:<slug> or partners).
    #[arg(long, value_name = "AUDIENCE", default_value = "internal")]
    pub audience: Audience,
    /// Report quarter, like 2026-Q2 (default as for build).
    #[arg(long, value_name = "YYYY-Qn")]
    pub quarter: Option<Quarter>,
    #[command(flatten)]
    pub date: DateArgs,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Also check pages marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
    /// Report quarter, like 2026-Q2 (default as for build).
    #[arg(long, value_name = "YYYY-Qn")]
    pub quarter: Option<Quarter>,
    /// Also ask every outbound http(s) link over the network (at most 8 at
    /// once, 5 s each, 60 s in all).
    #[arg(long)]
    pub external: bool,
    #[command(flatten)]
    pub date: DateArgs,
}

#[derive(Debug, Subcommand)]
pub enum NewCommand {
    /// Create content/<section>/<slug>.md: a draft with its front matter filled in.
    Page {
        /// Where the page goes, like sales/objection-handling.
        #[arg(value_name = "SECTION/SLUG")]
        target: String,
        #[command(flatten)]
        site: SiteArgs,
    },
    /// Create data/partners/<slug>.toml with every field explained.
    Partner {
        /// The partner's slug, like northwind-ai (lowercase letters, digits, -).
        slug: String,
        #[command(flatten)]
        site: SiteArgs,
    },
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder for the new site (created if missing; must be empty).
    pub dir: PathBuf,
}

fn run_serve(args: ServeArgs) -> ExitCode {
    let date = match date_of(&args.date) {
        Ok(date) => date,
        Err(code) => return code,
    };
    let options = crate::serve::ServeOptions {
        load: LoadOptions {
            root: args.site.root,
            drafts: args.drafts,
            base_url: None,
            date,
        },
        quarter: args.quarter,
        audience: args.audience,
        bind: args.bind,
        port: args.port,
    };
    match crate::serve::serve(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

fn run_check(args: CheckArgs) -> ExitCode {
    let date = match date_of(&args.date) {
        Ok(date) => date,
        Err(code) => return code,
    };
    let options = crate::check::CheckOptions {
        load: LoadOptions {
            root: args.site.root,
            drafts: args.drafts,
            base_url: None,
            date,
        },
        quarter: args.quarter,
        external: args.external,
        limits: crate::check::Limits::default(),
        today: date,
    };
    let report = crate::check::check(&options, &Highlighter::new());
    for d in &report.diagnostics {
        eprintln!("{d}\n");
    }
    if report.errors() > 0 {
        eprintln!("{}", report.summary());
        ExitCode::from(1)
    } else {
        println!("{}", report.summary());
        ExitCode::SUCCESS
    }
}

fn run_new(command: NewCommand) -> ExitCode {
    let today = time::OffsetDateTime::now_utc().date();
    let (created, hint) = match command {
        NewCommand::Page { target, site } => (
            crate::scaffold::new_page(&site.root, &target, today),
            "it is a draft: remove `draft = true` to publish it",
        ),
        NewCommand::Partner { slug, site } => (
            crate::scaffold::new_partner(&site.root, &slug, today),
            "only name, tier and joined are set: uncomment the rest as you learn it",
        ),
    };
    match created {
        Ok(path) => {
            println!(
                "created {} ({hint})",
                crate::diagnostic::display_path(&path)
            );
            ExitCode::SUCCESS
        }
        Err(e) => scaffold_failure(&e),
    }
}

fn run_init(args: InitArgs) -> ExitCode {
    match crate::scaffold::init(&args.dir, time::OffsetDateTime::now_utc().date()) {
        Ok(files) => {
            println!(
                "created a new site in {} ({} files); try: partnersite serve --root {}",
                args.dir.display(),
                files.len(),
                args.dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => scaffold_failure(&e),
    }
}

/// Invalid names are bad usage (2); anything else is 1.
fn scaffold_failure(e: &crate::scaffold::ScaffoldError) -> ExitCode {
    eprintln!("error: {e}");
    match e {
        crate::scaffold::ScaffoldError::Invalid { .. } => ExitCode::from(2),
        _ => ExitCode::from(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_build_date_is_the_flag_else_source_date_epoch_else_today() {
        let today = date!(2026 - 12 - 02);
        let flag = Some(date!(2026 - 07 - 01));
        assert_eq!(
            build_date(flag, Some("0"), today),
            Ok(date!(2026 - 07 - 01))
        );
        assert_eq!(
            build_date(None, Some("1767225600"), today),
            Ok(date!(2026 - 01 - 01))
        );
        assert_eq!(build_date(None, None, today), Ok(today));
        assert_eq!(build_date(None, Some(""), today), Ok(today));
        assert!(build_date(None, Some("yesterday"), today).is_err());
        assert!(date_flag("2026-02-30").is_err());
        assert!(date_flag("2026-7-1").is_err());
    }
}
