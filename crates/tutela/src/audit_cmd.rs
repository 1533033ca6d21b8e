//! `tutela audit verify`: checks the data folder's audit log (every link of the hash chain and
//! every signed checkpoint) and says where it was changed, if it was.

use anyhow::Result;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct AuditArgs {
    #[command(subcommand)]
    command: AuditCommand,
}

#[derive(clap::Subcommand)]
enum AuditCommand {
    /// Verify the audit log: exit 0 if intact, 1 (naming the first broken entry) if not.
    Verify {
        #[arg(long, env = "TUTELA_DATA", default_value = "tutela-data")]
        data: PathBuf,
        /// Config file (default: DATA/tutela.toml), for the signing key's location.
        #[arg(long)]
        config: Option<PathBuf>,
    },
}

pub fn run(args: AuditArgs) -> Result<ExitCode> {
    match args.command {
        AuditCommand::Verify { data, config } => {
            if !data.join("engine.sqlite").exists() {
                anyhow::bail!(
                    "{} has no engine database (run `tutela serve` first)",
                    data.display()
                );
            }
            let config_path = config.unwrap_or_else(|| data.join("tutela.toml"));
            let config = tutela_server::config::Config::load(&config_path)?;
            let key = tutela_server::verifying_key(&data, &config)?;
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime.block_on(async {
                let store = tutela_server::open_store(&data).await?;
                let result = tutela_server::verify_audit(&store, &key).await;
                tutela_core::Store::close(&store).await;
                match result? {
                    Ok(n) => {
                        println!("audit log intact: {n} entries, every signed checkpoint verified");
                        Ok(ExitCode::SUCCESS)
                    }
                    Err(b) => {
                        println!("audit log TAMPERED: {b}");
                        Ok(ExitCode::from(1))
                    }
                }
            })
        }
    }
}
