//! `tutela text`: Text risk: classify messages, track conversations, evaluate on labelled sets.

use anyhow::Result;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct TextArgs {}

pub fn run(_args: TextArgs) -> Result<ExitCode> {
    anyhow::bail!("`tutela text` is being built")
}
