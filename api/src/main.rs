//! `uniikki`: the customer register's server and its maintenance commands.

use std::process::ExitCode;

use api::commands::{self, Command};
use clap::Parser;

/// mimalloc instead of glibc's malloc: glibc gives each of the many blocking-pool threads an
/// arena that keeps the peak of whatever ran on it (an export, a password hash), so the server
/// grew to several hundred megabytes after a few exports and logins; mimalloc returns freed
/// memory to the system.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "uniikki",
    version,
    about = "UniikkiÄäni customer register API server"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match commands::run(cli.command.unwrap_or(Command::Serve)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // One line, whatever the causes say (libpq's messages span several).
            let reason = format!("{error:#}")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            eprintln!("uniikki: {reason}");
            ExitCode::FAILURE
        }
    }
}
