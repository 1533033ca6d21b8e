//! Turning command-line paths into the list of files to read, and reading them within limits.

use anyhow::{Context, Result};
use std::io::Read;
use std::path::PathBuf;

/// One input named on the command line or found under a folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    Stdin,
    File(PathBuf),
}

impl Input {
    pub fn display(&self) -> String {
        match self {
            Input::Stdin => "-".to_string(),
            Input::File(p) => p.display().to_string(),
        }
    }

    /// Reads the whole input, refusing files over `max_bytes` before reading them.
    pub fn read(&self, max_bytes: u64) -> Result<Vec<u8>, String> {
        let reader: Box<dyn Read> = match self {
            Input::Stdin => Box::new(std::io::stdin().lock()),
            Input::File(path) => {
                let file = std::fs::File::open(path).map_err(|e| format!("cannot open: {e}"))?;
                let len = file
                    .metadata()
                    .map_err(|e| format!("cannot stat: {e}"))?
                    .len();
                if len > max_bytes {
                    return Err(format!(
                        "file is {len} bytes, over the limit of {max_bytes} bytes"
                    ));
                }
                Box::new(file)
            }
        };
        let mut bytes = Vec::new();
        // One byte past the limit tells a too-long stream from one exactly at the limit.
        reader
            .take(max_bytes.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read: {e}"))?;
        if bytes.len() as u64 > max_bytes {
            return Err(format!("input is over the limit of {max_bytes} bytes"));
        }
        Ok(bytes)
    }
}

/// Expands folders recursively (sorted, so runs are reproducible); `-` is standard input.
pub fn expand(paths: &[PathBuf]) -> Result<Vec<Input>> {
    let mut inputs = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
        } else if path.is_dir() {
            for entry in walkdir::WalkDir::new(path)
                .follow_links(false)
                .sort_by_file_name()
            {
                let entry = entry.with_context(|| format!("cannot list {}", path.display()))?;
                if entry.file_type().is_file() {
                    inputs.push(Input::File(entry.into_path()));
                }
            }
        } else {
            // A missing file becomes a per-file error record, like an unreadable one.
            inputs.push(Input::File(path.clone()));
        }
    }
    Ok(inputs)
}
