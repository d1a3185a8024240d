//! The `uniikki` commands: the server and its maintenance commands, each run with the settings
//! from the environment. `main.rs` only parses the command line and reports a failure.

pub mod seed;

use anyhow::Context;
use clap::Subcommand;

use crate::settings::Settings;
use crate::startup::{self, Application};

#[derive(Subcommand)]
pub enum Command {
    /// Apply migrations and serve the API (the default).
    Serve,
    /// Apply pending database migrations, then exit.
    Migrate,
    /// Print the OpenAPI document (YAML) to standard output.
    Openapi,
    /// Create an admin (or give an existing admin a new one-time password); prints only the
    /// one-time password, so a script can capture it.
    CreateAdmin {
        /// The admin's login email.
        #[arg(long)]
        email: String,
    },
    /// Audit-log maintenance.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Fill an empty database with realistic, deterministic data (for benchmarks).
    Seed {
        /// How many customers.
        #[arg(long)]
        customers: usize,
        /// Rows of history for each of a few customers.
        #[arg(long, default_value_t = 0)]
        history: usize,
        /// The random seed: the same seed gives the same data.
        #[arg(long, default_value_t = 2026)]
        random_seed: u64,
    },
    /// Retention: remove what is no longer needed (the server also runs this daily).
    Retention {
        #[command(subcommand)]
        command: RetentionCommand,
    },
}

#[derive(Subcommand)]
pub enum RetentionCommand {
    /// Apply every retention rule and print what was removed.
    Run {
        /// Only count what would be removed.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Walk the hash chain and report the first broken link (exit 1 if any).
    Verify,
}

#[allow(
    clippy::print_stdout,
    reason = "these commands print their result for the operator"
)]
pub fn run(command: Command) -> anyhow::Result<()> {
    if let Command::Openapi = command {
        print!("{}", crate::plumbing::openapi::yaml());
        return Ok(());
    }
    let settings = Settings::from_env()?;
    crate::telemetry::init(&settings);
    actix_web::rt::System::new().block_on(async move {
        match command {
            Command::Serve => {
                let listen = settings.http.listen;
                let mut app = Application::build(settings).await?;
                let base = format!("http://{}:{}", listen.ip(), app.port());
                if let Some(admin) = app.take_bootstrap_admin() {
                    println!("Created the first admin account: {}", admin.email);
                    println!(
                        "Its one-time password, shown only now (valid until {}): {}",
                        admin.expires_at.format("%Y-%m-%d %H:%M UTC"),
                        admin.one_time_password
                    );
                    println!("Log in with POST {base}/api/v1/auth/login, then choose a password with POST {base}/api/v1/auth/password.");
                }
                println!("UniikkiÄäni register listening on {base}");
                println!("API documentation: {base}/docs/");
                app.run_until_stopped().await.context("server failed")
            }
            Command::CreateAdmin { email } => {
                let email = domain::EmailAddress::parse(&email).map_err(|e| anyhow::anyhow!("--email {e}"))?;
                let pool = persistence::pool::build(&settings.database.url, &settings.database.pool())?;
                startup::migrate(&pool).await?;
                let ttl = chrono::Duration::hours(i64::try_from(settings.auth.one_time_password_ttl_hours).unwrap_or(72));
                let admin = actix_web::web::block(move || -> anyhow::Result<_> {
                    let mut conn = pool.get().context("cannot connect to the database")?;
                    crate::identity::bootstrap::create_admin(&mut conn, &email, ttl)
                })
                .await
                .map_err(|e| anyhow::anyhow!("task failed: {e}"))??;
                println!("{}", admin.one_time_password);
                Ok(())
            }
            Command::Audit { command: AuditCommand::Verify } => {
                let pool = persistence::pool::build(&settings.database.url, &settings.database.pool())?;
                let (report, pending) = actix_web::web::block(move || -> anyhow::Result<_> {
                    let mut conn = pool.get().context("cannot connect to the database")?;
                    let report = persistence::audit::verify(&mut conn)?;
                    Ok((report, persistence::audit::pending_count(&mut conn)?))
                })
                .await
                .map_err(|e| anyhow::anyhow!("task failed: {e}"))??;
                if pending > 0 {
                    println!("entries waiting to be chained: {pending} (a running server chains them within a second, a stopped one when it starts)");
                }
                match report.first_broken {
                    None => {
                        println!("audit chain intact: {} entries verified", report.checked);
                        Ok(())
                    }
                    Some((seq, reason)) => {
                        anyhow::bail!("audit chain broken at entry {seq}: {reason} ({} entries before it verified)", report.checked)
                    }
                }
            }
            Command::Migrate => {
                let pool = persistence::pool::build(&settings.database.url, &settings.database.pool())?;
                let applied = startup::migrate(&pool).await?;
                println!("applied {} migration(s)", applied.len());
                for version in applied {
                    println!("  {version}");
                }
                Ok(())
            }
            Command::Seed { customers, history, random_seed } => {
                let pool = persistence::pool::build(&settings.database.url, &settings.database.pool())?;
                startup::migrate(&pool).await?;
                let started = std::time::Instant::now();
                let report = actix_web::web::block(move || seed::seed(&pool, customers, history, random_seed))
                    .await
                    .map_err(|e| anyhow::anyhow!("task failed: {e}"))??;
                println!("seeded in {:.1} s: {report:?}", started.elapsed().as_secs_f64());
                Ok(())
            }
            Command::Retention { command: RetentionCommand::Run { dry_run } } => {
                let pool = persistence::pool::build(&settings.database.url, &settings.database.pool())?;
                startup::migrate(&pool).await?;
                let key = crate::signing_key::SigningKey::load_or_create(&settings)?;
                let report = actix_web::web::block(move || crate::privacy::retention::run(&pool, &settings, &key, dry_run))
                    .await
                    .map_err(|e| anyhow::anyhow!("task failed: {e}"))??;
                let verb = if dry_run { "would remove" } else { "removed" };
                println!("retention {verb}:");
                println!("  login events older than 12 months: {}", report.login_events);
                println!("  unconfirmed UniikkiLista sign-ups older than 7 days: {}", report.unconfirmed_signups);
                println!("  finished messages older than 12 months: {}", report.finished_messages);
                println!("  idempotency keys older than 24 hours: {}", report.idempotency_keys);
                println!("  webhook deliveries older than 30 days: {}", report.webhook_deliveries);
                println!("  inactive customers (erased): {}", report.inactive_customers);
                Ok(())
            }
            Command::Openapi => unreachable!("handled above"),
        }
    })
}
