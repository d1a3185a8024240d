//! `uniikki`: the customer register's server and its maintenance commands.

use std::process::ExitCode;

use anyhow::Context;
use api::settings::Settings;
use api::startup::{self, Application};
use clap::{Parser, Subcommand};

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

#[derive(Subcommand)]
enum Command {
    /// Apply migrations and serve the API (the default).
    Serve,
    /// Apply pending database migrations, then exit.
    Migrate,
    /// Print the OpenAPI document (YAML) to standard output.
    Openapi,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command.unwrap_or(Command::Serve)) {
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

#[allow(
    clippy::print_stdout,
    reason = "these commands print their result for the operator"
)]
fn run(command: Command) -> anyhow::Result<()> {
    if let Command::Openapi = command {
        print!("{}", api::openapi::yaml());
        return Ok(());
    }
    let settings = Settings::from_env()?;
    api::telemetry::init(&settings);
    actix_web::rt::System::new().block_on(async move {
        match command {
            Command::Serve => {
                let listen = settings.listen;
                let app = Application::build(settings).await?;
                let base = format!("http://{}:{}", listen.ip(), app.port());
                println!("UniikkiÄäni register listening on {base}");
                println!("API documentation: {base}/docs/");
                app.run_until_stopped().await.context("server failed")
            }
            Command::Migrate => {
                let pool = persistence::pool::build(&settings.database_url, &settings.pool())?;
                let applied = startup::migrate(&pool).await?;
                println!("applied {} migration(s)", applied.len());
                for version in applied {
                    println!("  {version}");
                }
                Ok(())
            }
            Command::Openapi => unreachable!("handled above"),
        }
    })
}
