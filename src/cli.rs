//! The command line: argument definitions (clap) and dispatch.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::build::{self, BuildOptions, Failure};
use crate::data::Quarter;
use crate::highlight::Highlighter;
use crate::site::LoadOptions;

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
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Report quarter, like 2026-Q2 (default: data/program.toml's
    /// `report_quarter`, else the latest quarter in any partner file).
    #[arg(long, value_name = "YYYY-Qn")]
    pub quarter: Option<Quarter>,
}

/// Runs a parsed command line and returns the exit status.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Build(args) => run_build(args),
    }
}

fn run_build(args: BuildArgs) -> ExitCode {
    let options = BuildOptions {
        load: LoadOptions {
            root: args.site.root,
            drafts: args.drafts,
            base_url: args.base_url,
        },
        out: args.out,
        quarter: args.quarter,
    };
    let highlighter = Highlighter::new();
    match build::build(&options, &highlighter) {
        Ok(summary) => {
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
        Failure::Write(e) => eprintln!("error: {e}"),
    }
    ExitCode::from(1)
}
