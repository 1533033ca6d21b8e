//! `tutela video`: Video: vPDQ hashing.

use anyhow::Result;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct VideoArgs {}

pub fn run(_args: VideoArgs) -> Result<ExitCode> {
    anyhow::bail!("`tutela video` is being built")
}
