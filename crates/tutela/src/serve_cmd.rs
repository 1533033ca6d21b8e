//! `tutela serve`: the engine service (see the `tutela-server` crate).

use anyhow::Result;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct ServeArgs {
    /// The data folder (created at first start with a commented config and the first admin).
    #[arg(long, env = "TUTELA_DATA", default_value = "tutela-data")]
    data: PathBuf,
    /// Address to listen on (default: `listen` in the config, 127.0.0.1:8080).
    #[arg(long)]
    listen: Option<String>,
    /// Config file (default: DATA/tutela.toml).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Set up a ready demo: a bank of synthetic hashes, sample images, cases, admin/API key.
    #[arg(long)]
    demo: bool,
}

pub fn run(args: ServeArgs) -> Result<ExitCode> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("TUTELA_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(tutela_server::serve(tutela_server::ServeOptions {
        data: args.data,
        listen: args.listen,
        config: args.config,
        demo: args.demo,
    }))?;
    Ok(ExitCode::SUCCESS)
}
