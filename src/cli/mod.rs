//! The command line: argument definitions (clap) and dispatch.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use serde::Serialize;

mod print;

pub use print::{Format, Printer};

use crate::build::{self, BuildOptions, Failure, Shard};
use crate::diagnostic::Code;
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
    /// Every file is checked by the leak guard as it is rendered. A new
    /// output folder is written as a staging folder beside it and moved in;
    /// an existing one is updated through a commit journal. Either happens
    /// only when the whole site built without errors, so a failed build
    /// leaves the previous output exactly as it was. Only a missing or empty
    /// folder, or one partnersite wrote, is written.
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
    /// Output folder (relative to the current directory): missing, empty, or
    /// one partnersite wrote; only the files partnersite wrote are replaced.
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
    /// With `--audience partners`, build only the partners whose place in
    /// slug order (from 1) is K modulo N, so that N CI jobs share the work;
    /// the N outputs' partner folders together are one full build's.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<Shard>,
    /// How diagnostics and the summary are printed: human (stderr), github
    /// (GitHub Actions annotations on stdout) or json (one object per line
    /// on stdout, then a summary object).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
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
fn date_of(args: &DateArgs) -> Result<Date, Failure> {
    let epoch = std::env::var("SOURCE_DATE_EPOCH").ok();
    build_date(
        args.date,
        epoch.as_deref(),
        time::OffsetDateTime::now_utc().date(),
    )
    .map_err(|m| Failure::Usage(Code::BadSourceDateEpoch, m))
}

/// The build date of `check` or `serve`, or the usage error printed.
fn date_or_usage(args: &DateArgs) -> Result<Date, ExitCode> {
    date_of(args).map_err(|failure| {
        if let Failure::Usage(code, message) = failure {
            eprintln!("error: {message} [{}]", code.id());
        }
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
    let printer = Printer::new(args.format, &args.site.root);
    if args.format == Format::Human && std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        crate::progress::enable();
    }
    let out = args.out.display().to_string();
    let mut summary = BuildSummary {
        status: "failed",
        audience: args.audience.to_string(),
        output: out.clone(),
        ..BuildSummary::default()
    };
    let date = match date_of(&args.date) {
        Ok(date) => date,
        Err(failure) => return report_failure(&printer, &failure, summary),
    };
    summary.date = date.to_string();
    let options = BuildOptions {
        load: LoadOptions {
            drafts: args.drafts,
            base_url: args.base_url,
            ..LoadOptions::new(args.site.root, date)
        },
        out: args.out,
        quarter: args.quarter,
        audience: args.audience,
        shard: args.shard,
    };
    let highlighter = Highlighter::new();
    let result = build::build(&options, &highlighter);
    match result {
        Ok(built) => {
            printer.diagnostics(&built.warnings);
            if !built.recovered.is_empty() {
                let done: Vec<String> = built.recovered.iter().map(|r| r.to_string()).collect();
                printer.note(&format!(
                    "note: an earlier build of {out} was interrupted while writing it; before writing, {}",
                    done.join("; ")
                ));
            }
            summary = BuildSummary {
                status: "built",
                pages: built.stats.pages,
                sections: built.stats.sections,
                partners: built.stats.partners,
                charts: built.stats.charts,
                files: built.files,
                bytes: built.bytes,
                seconds: built.elapsed.as_secs_f64(),
                warnings: built.warnings.len(),
                search_indexes: Some(built.indexes),
                folders_kept: built.folders_kept,
                ..summary
            };
            printer.summary(&format!("{built} → {out}"), &summary);
            ExitCode::SUCCESS
        }
        Err(failure) => report_failure(&printer, &failure, summary),
    }
}

/// The summary of `build` as `--format json` prints it.
#[derive(Debug, Default, Serialize)]
struct BuildSummary {
    status: &'static str,
    pages: usize,
    sections: usize,
    partners: usize,
    charts: usize,
    files: usize,
    bytes: usize,
    seconds: f64,
    errors: usize,
    warnings: usize,
    /// The build date pages were published and expired by, YYYY-MM-DD.
    date: String,
    audience: String,
    output: String,
    /// Search indexes built, and kept from the earlier output because
    /// their pages had not changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    search_indexes: Option<build::Indexes>,
    /// Partner folders kept as the earlier build into the output left
    /// them, because nothing they are made from had changed.
    folders_kept: usize,
}

/// Prints every error, and a closing line; exit status 1 (2 for bad usage).
fn report_failure(printer: &Printer, failure: &Failure, mut summary: BuildSummary) -> ExitCode {
    let diagnostics = failure.diagnostics(&summary.output);
    let code = if matches!(failure, Failure::Usage(..)) {
        2
    } else {
        1
    };
    match (printer.format, failure) {
        // A message about the command line or the output folder has no
        // file of the site to name.
        (Format::Human, Failure::Usage(code, message)) => {
            eprintln!("error: {message} [{}]", code.id());
            return ExitCode::from(2);
        }
        (Format::Human, Failure::Write(e)) => eprintln!("error: {e} [{}]", e.code().id()),
        _ => printer.diagnostics(&diagnostics),
    }
    summary.errors = diagnostics.iter().filter(|d| d.is_error()).count();
    summary.warnings = diagnostics.len() - summary.errors;
    let line = match failure {
        Failure::Write(_) => "build failed while writing the output".to_string(),
        _ => format!(
            "build failed: {} error{}; the output folder was not touched",
            summary.errors,
            if summary.errors == 1 { "" } else { "s" }
        ),
    };
    printer.summary(&line, &summary);
    ExitCode::from(code)
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
    /// Compare with an earlier output: render the site again for the
    /// audience (and shard) recorded in that output's manifest (the
    /// `.partnersite-manifest` file, or the folder holding it) and print
    /// every page each partner gains or loses, and why, and how many
    /// changed. Writes nothing.
    #[arg(long, value_name = "OLD_MANIFEST")]
    pub against: Option<PathBuf>,
    /// How diagnostics and the summary are printed, as for build.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
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
    let date = match date_or_usage(&args.date) {
        Ok(date) => date,
        Err(code) => return code,
    };
    let options = crate::serve::ServeOptions {
        load: LoadOptions {
            drafts: args.drafts,
            ..LoadOptions::new(args.site.root, date)
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
    let date = match date_or_usage(&args.date) {
        Ok(date) => date,
        Err(code) => return code,
    };
    let printer = Printer::new(args.format, &args.site.root);
    let options = crate::check::CheckOptions {
        load: LoadOptions {
            drafts: args.drafts,
            ..LoadOptions::new(args.site.root, date)
        },
        quarter: args.quarter,
        external: args.external,
        limits: crate::check::Limits::default(),
        today: date,
    };
    let highlighter = Highlighter::new();
    let mut report = crate::check::check(&options, &highlighter);
    let mut compared = None;
    if let Some(old) = &args.against {
        // A site with errors cannot be rendered again: its errors say why.
        if report.errors() == 0 {
            match crate::check::against(old, &options.load, options.quarter, &highlighter) {
                Ok(against) => compared = Some(against),
                Err(mut d) => report.diagnostics.append(&mut d),
            }
        }
    }
    printer.diagnostics(&report.diagnostics);
    if let Some(against) = &compared {
        printer.against(against);
    }
    let summary = CheckSummary {
        status: if report.errors() > 0 {
            "failed"
        } else {
            "passed"
        },
        errors: report.errors(),
        warnings: report.warnings(),
        pages: report.pages,
        links: report.links,
        external: report.external,
        changed_folders: compared.as_ref().map(|a| a.folders.len()),
    };
    printer.summary(&report.summary(), &summary);
    if report.errors() > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The summary of `check` as `--format json` prints it.
#[derive(Debug, Serialize)]
struct CheckSummary {
    status: &'static str,
    errors: usize,
    warnings: usize,
    pages: usize,
    links: usize,
    external: usize,
    /// With `--against`: how many folders gain, lose or change a page.
    #[serde(skip_serializing_if = "Option::is_none")]
    changed_folders: Option<usize>,
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
