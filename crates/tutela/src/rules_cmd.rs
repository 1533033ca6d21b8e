//! `tutela rules`: check a rules file, backtest it against recorded scan events, print the
//! default rules. The rules engine itself is `tutela-policy`.

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use tutela_policy::{DEFAULT_RULES_TOML, Policy, RecordedEvent, backtest};

#[derive(Args, Debug)]
pub struct RulesArgs {
    #[command(subcommand)]
    command: RulesCommand,
}

#[derive(Subcommand, Debug)]
enum RulesCommand {
    /// Validate a rules file and list its rules (exit status 1 and the line of the first
    /// error if it is invalid).
    Check {
        /// The rules file (TOML), or `-` for standard input.
        file: PathBuf,
        /// Print the validated rules as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Backtest a rules file: run it over recorded scan events and report how often each rule
    /// fires and which events would get a different verdict or different actions.
    Test {
        /// The rules file (TOML), or `-` for standard input.
        file: PathBuf,
        /// Recorded events: JSON lines, one event (with its recorded `outcome`) per line.
        #[arg(long, value_name = "FILE")]
        events: PathBuf,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print the default rules (a commented starting point for your own file).
    Default,
}

pub fn run(args: RulesArgs) -> Result<ExitCode> {
    match args.command {
        RulesCommand::Check { file, json } => check(&file, json),
        RulesCommand::Test { file, events, json } => test(&file, &events, json),
        RulesCommand::Default => {
            std::io::stdout().write_all(DEFAULT_RULES_TOML.as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn read_text(path: &Path) -> Result<String> {
    let mut text = String::new();
    if path == Path::new("-") {
        std::io::stdin()
            .read_to_string(&mut text)
            .context("cannot read standard input")?;
    } else {
        text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
    }
    Ok(text)
}

/// Loads a rules file; an invalid one is reported on standard error (`None`).
fn load_policy(path: &Path) -> Result<Option<Policy>> {
    let source = read_text(path)?;
    match Policy::from_toml(&source, &path.display().to_string()) {
        Ok(policy) => Ok(Some(policy)),
        Err(err) => {
            eprintln!("{err}");
            Ok(None)
        }
    }
}

fn check(path: &Path, json: bool) -> Result<ExitCode> {
    let Some(policy) = load_policy(path)? else {
        return Ok(ExitCode::from(1));
    };
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, policy.rules())?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let rules = policy.rules();
    let shadow = rules
        .iter()
        .filter(|r| r.mode == tutela_policy::RuleMode::Shadow)
        .count();
    writeln!(
        out,
        "{}: {} rules ({} live, {} shadow)",
        path.display(),
        rules.len(),
        rules.len() - shadow,
        shadow
    )?;
    let width = rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
    for rule in rules {
        let actions: Vec<String> = rule.actions.iter().map(ToString::to_string).collect();
        writeln!(
            out,
            "  line {:>4}  {:<width$}  {:<6}  {:<5}  {}",
            rule.line,
            rule.id,
            rule.mode.as_str(),
            rule.verdict.as_str(),
            if actions.is_empty() {
                "(no actions)".to_string()
            } else {
                actions.join(", ")
            }
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

fn test(rules_path: &Path, events_path: &Path, json: bool) -> Result<ExitCode> {
    let Some(policy) = load_policy(rules_path)? else {
        return Ok(ExitCode::from(1));
    };
    let Some(events) = read_events(events_path)? else {
        return Ok(ExitCode::from(1));
    };
    let report = backtest(&policy, &events);
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        write!(out, "{report}")?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads JSON lines of recorded events (blank lines skipped). A bad line is reported on
/// standard error with its line and column (`None`): a backtest over part of the events would
/// mislead.
fn read_events(path: &Path) -> Result<Option<Vec<RecordedEvent>>> {
    let reader: Box<dyn BufRead> = if path == Path::new("-") {
        Box::new(BufReader::new(std::io::stdin()))
    } else {
        Box::new(BufReader::new(
            std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?,
        ))
    };
    let mut events = Vec::new();
    for (index, line) in reader.lines().enumerate() {
        let number = index + 1;
        let line = match line {
            Ok(line) => line,
            Err(err) if err.kind() == std::io::ErrorKind::InvalidData => {
                eprintln!("{}:{number}: not UTF-8 text", path.display());
                return Ok(None);
            }
            Err(err) => return Err(err).with_context(|| format!("cannot read {}", path.display())),
        };
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<RecordedEvent>(&line) {
            Ok(event) => events.push(event),
            Err(err) => {
                // serde_json appends " at line L column C"; the line is always 1 here.
                let message = err.to_string();
                let suffix = format!(" at line {} column {}", err.line(), err.column());
                let message = message.strip_suffix(&suffix).unwrap_or(&message);
                eprintln!(
                    "{}:{number}:{}: invalid event: {message}",
                    path.display(),
                    err.column()
                );
                return Ok(None);
            }
        }
    }
    Ok(Some(events))
}
