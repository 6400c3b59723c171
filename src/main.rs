use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    partnersite::cli::run(partnersite::cli::Cli::parse())
}
