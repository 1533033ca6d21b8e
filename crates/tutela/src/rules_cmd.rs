//! `tutela rules`: Rules: check a rules file, backtest it against recorded scan events.

use anyhow::Result;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct RulesArgs {}

pub fn run(_args: RulesArgs) -> Result<ExitCode> {
    anyhow::bail!("`tutela rules` is being built")
}
