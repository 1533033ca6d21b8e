//! `tutela bank`: create, list, import, export, disable/enable and configure hash banks.

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand, ValueEnum};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use tutela_bank::formats::{self, Format};
use tutela_bank::{
    BankInfo, BankKind, BankSettings, EntryRef, HashKind, ImportOptions, NewBank, Store,
    StoreError, VideoRecord,
};

use crate::video_cmd::{self, VideoFlags};

/// The data folder, shared by the commands that use banks.
#[derive(Args, Debug, Clone)]
pub struct DataArg {
    /// Data folder: the database and the bank index files.
    #[arg(
        long,
        global = true,
        env = "TUTELA_DATA",
        default_value = "tutela-data",
        value_name = "DIR"
    )]
    pub data: PathBuf,
}

impl DataArg {
    /// Opens the data folder, which must exist (a mistyped path must not look like an empty
    /// set of banks).
    pub fn open_existing(&self) -> Result<Store> {
        if !self.data.join("tutela.sqlite").is_file() {
            bail!(
                "no Tutela data folder at {} (create a bank first, or give --data)",
                self.data.display()
            );
        }
        self.open()
    }

    /// Opens the data folder, creating it if needed.
    pub fn open(&self) -> Result<Store> {
        Store::open(&self.data)
            .with_context(|| format!("cannot open the data folder {}", self.data.display()))
    }
}

#[derive(Args, Debug)]
pub struct BankArgs {
    #[command(flatten)]
    pub data: DataArg,
    #[command(subcommand)]
    pub command: BankCommand,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum KindArg {
    Block,
    Allow,
}

impl From<KindArg> for BankKind {
    fn from(k: KindArg) -> BankKind {
        match k {
            KindArg::Block => BankKind::Block,
            KindArg::Allow => BankKind::Allow,
        }
    }
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum HashKindArg {
    Pdq,
    Sha256,
    Md5,
    /// Videos (vPDQ frame hashes).
    Vpdq,
}

impl From<HashKindArg> for HashKind {
    fn from(k: HashKindArg) -> HashKind {
        match k {
            HashKindArg::Pdq => HashKind::Pdq,
            HashKindArg::Sha256 => HashKind::Sha256,
            HashKindArg::Md5 => HashKind::Md5,
            HashKindArg::Vpdq => HashKind::Vpdq,
        }
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormatArg {
    Auto,
    Plain,
    Csv,
    Tsv,
    Hma,
    Threatexchange,
    Md5,
    Sha256,
    /// Video banks: Meta's vPDQ hash file, one per video.
    Vpdq,
}

impl FormatArg {
    fn format(self) -> Option<Format> {
        match self {
            FormatArg::Auto => None,
            FormatArg::Plain => Some(Format::Plain),
            FormatArg::Csv => Some(Format::Csv),
            FormatArg::Tsv => Some(Format::Tsv),
            FormatArg::Hma => Some(Format::Hma),
            FormatArg::Threatexchange => Some(Format::ThreatExchange),
            FormatArg::Md5 => Some(Format::Md5),
            FormatArg::Sha256 => Some(Format::Sha256),
            FormatArg::Vpdq => None,
        }
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListFormat {
    Table,
    Json,
}

/// Which entry: by its id in the bank or by its hash. Neither: the whole bank.
#[derive(Args, Debug)]
pub struct Target {
    pub name: String,
    /// The entry's id in the bank (as `tutela match` reports it).
    #[arg(long, conflicts_with = "hash")]
    pub entry: Option<u32>,
    /// The entry's hash.
    #[arg(long, value_name = "HEX")]
    pub hash: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum BankCommand {
    /// Create an empty bank.
    Create {
        name: String,
        /// `block` flags matches; `allow` lists known-good content that suppresses them.
        #[arg(long, value_enum, default_value = "block")]
        kind: KindArg,
        /// What the bank holds. A 64-hex-digit line is read as this kind.
        #[arg(long, value_enum, default_value = "pdq")]
        hash_kind: HashKindArg,
        /// Largest PDQ distance that matches.
        #[arg(long, default_value_t = 31)]
        threshold: u32,
        /// Queries (and entries) of lower PDQ quality are not matched against this bank.
        #[arg(long, default_value_t = 50)]
        min_quality: u8,
        /// Video banks: a video matches an entry when at least this percentage of its
        /// distinct good frames match a frame of the entry (pytx/HMA default 80).
        #[arg(long, default_value_t = 80)]
        video_match_percent: u8,
        /// Video banks: and at least this percentage of the entry's frames match.
        #[arg(long, default_value_t = 0)]
        video_compared_percent: u8,
        /// Where the list comes from.
        #[arg(long)]
        source: Option<String>,
        /// A label of the bank (repeat for several).
        #[arg(long = "label", value_name = "LABEL")]
        labels: Vec<String>,
        #[arg(long)]
        note: Option<String>,
    },
    /// List the banks.
    List {
        #[arg(long, value_enum, default_value = "table")]
        format: ListFormat,
    },
    /// Import hashes from a file (`-`: standard input). Bad lines are reported on standard
    /// error and skipped (exit status 1), or with --strict reject the whole import.
    /// A video bank takes one entry per file: a video (hashed here) or its vPDQ hash file.
    Import {
        name: String,
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[command(flatten)]
        video: VideoFlags,
        #[arg(long, value_enum, default_value = "auto")]
        format: FormatArg,
        /// Add this label to every imported entry (repeat for several).
        #[arg(long = "label", value_name = "LABEL")]
        labels: Vec<String>,
        /// Any bad line rejects the whole import; the bank is left unchanged.
        #[arg(long)]
        strict: bool,
    },
    /// Write a bank's entries to standard output (video banks with --format vpdq: one
    /// video's hash file, or every video's into --out-dir).
    Export {
        name: String,
        #[arg(long, value_enum, default_value = "csv")]
        format: FormatArg,
        /// Also export disabled entries.
        #[arg(long)]
        include_disabled: bool,
        /// Video banks, --format vpdq: the entry to export.
        #[arg(long)]
        entry: Option<u32>,
        /// Video banks, --format vpdq: write `<entry id>.txt` for every video here.
        #[arg(long, value_name = "DIR")]
        out_dir: Option<PathBuf>,
    },
    /// Disable one entry, or the whole bank.
    Disable(Target),
    /// Enable one entry, or the whole bank.
    Enable(Target),
    /// Change a bank's settings.
    Set {
        name: String,
        #[arg(long)]
        threshold: Option<u32>,
        #[arg(long)]
        min_quality: Option<u8>,
        #[arg(long)]
        video_match_percent: Option<u8>,
        #[arg(long)]
        video_compared_percent: Option<u8>,
        #[arg(long)]
        enabled: Option<bool>,
        #[arg(long, value_enum)]
        kind: Option<KindArg>,
        #[arg(long)]
        source: Option<String>,
        /// An empty note clears it.
        #[arg(long)]
        note: Option<String>,
        /// Replaces the bank's labels (repeat for several).
        #[arg(long = "label", value_name = "LABEL")]
        labels: Vec<String>,
    },
}

pub fn run(args: BankArgs) -> Result<ExitCode> {
    let change = match &args.command {
        BankCommand::Create { name, .. } => Some(("bank.create", name.clone(), json!({}))),
        BankCommand::Import { name, .. } => Some(("bank.import", name.clone(), json!({}))),
        BankCommand::Disable(t) => Some((
            "bank.disable",
            t.name.clone(),
            json!({"entry": t.entry, "hash": t.hash}),
        )),
        BankCommand::Enable(t) => Some((
            "bank.enable",
            t.name.clone(),
            json!({"entry": t.entry, "hash": t.hash}),
        )),
        BankCommand::Set { name, .. } => Some(("bank.settings", name.clone(), json!({}))),
        _ => None,
    };
    let data = args.data.data.clone();
    let code = run_command(args)?;
    if let Some((action, bank, details)) = change
        && code == ExitCode::SUCCESS
    {
        audit_bank_change(&data, action, &bank, details)?;
    }
    Ok(code)
}

/// Bank changes made from the command line go into the engine's audit log too, when an engine
/// runs on this data folder (a running server picks the change up on `POST /v1/banks/reload`).
fn audit_bank_change(
    data: &std::path::Path,
    action: &str,
    bank: &str,
    details: Value,
) -> Result<()> {
    if !data.join("engine.sqlite").is_file() {
        return Ok(());
    }
    let actor = format!(
        "cli:{}",
        std::env::var("USER").unwrap_or_else(|_| "unknown".into())
    );
    let entry = tutela_core::NewAudit {
        actor,
        action: action.into(),
        subject: format!("bank:{bank}"),
        details,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let store = tutela_server::open_store(data).await?;
        let result =
            tutela_core::Store::append_audit(&store, vec![entry], tutela_server::now()).await;
        tutela_core::Store::close(&store).await;
        result.map_err(|e| anyhow::anyhow!("the bank changed, but its audit entry failed: {e}"))
    })
}

fn run_command(args: BankArgs) -> Result<ExitCode> {
    let mut store = match args.command {
        BankCommand::Create { .. } => args.data.open()?,
        _ => args.data.open_existing()?,
    };
    match args.command {
        BankCommand::Create {
            name,
            kind,
            hash_kind,
            threshold,
            min_quality,
            video_match_percent,
            video_compared_percent,
            source,
            labels,
            note,
        } => {
            let spec = NewBank {
                threshold: Some(threshold),
                min_quality: Some(min_quality),
                video_match_percent: Some(video_match_percent),
                video_compared_percent: Some(video_compared_percent),
                source,
                labels,
                note,
                ..NewBank::new(name, kind.into(), hash_kind.into())
            };
            let bank = store.create_bank(&spec)?;
            println!(
                "created {} bank {} ({}, threshold {}, min quality {})",
                bank.kind, bank.name, bank.hash_kind, bank.threshold, bank.min_quality
            );
        }
        BankCommand::List { format } => list(&store, format)?,
        BankCommand::Import {
            name,
            files,
            video,
            format,
            labels,
            strict,
        } => {
            if store.bank(&name)?.hash_kind == HashKind::Vpdq {
                return import_videos(&mut store, &name, &files, &video, labels);
            }
            let [file] = files.as_slice() else {
                bail!("give one file to import into a hash-list bank");
            };
            return import(&mut store, &name, file, format, labels, strict);
        }
        BankCommand::Export {
            name,
            format,
            include_disabled,
            entry,
            out_dir,
        } => {
            let bank = store.bank(&name)?;
            if format == FormatArg::Vpdq {
                return export_videos(&store, &name, entry, out_dir, include_disabled);
            }
            let Some(format) = format.format() else {
                bail!("choose an export format (auto is for imports)");
            };
            let entries = store.export_entries(&name, include_disabled)?;
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            formats::write(format, bank.hash_kind, &entries, &mut out)?;
            out.flush().context("cannot write the export")?;
        }
        BankCommand::Disable(target) => set_enabled(&mut store, target, false)?,
        BankCommand::Enable(target) => set_enabled(&mut store, target, true)?,
        BankCommand::Set {
            name,
            threshold,
            min_quality,
            video_match_percent,
            video_compared_percent,
            enabled,
            kind,
            source,
            note,
            labels,
        } => {
            let settings = BankSettings {
                threshold,
                min_quality,
                video_match_percent,
                video_compared_percent,
                enabled,
                kind: kind.map(Into::into),
                source,
                note,
                labels: (!labels.is_empty()).then_some(labels),
            };
            let nothing = settings.threshold.is_none()
                && settings.min_quality.is_none()
                && settings.video_match_percent.is_none()
                && settings.video_compared_percent.is_none()
                && settings.enabled.is_none()
                && settings.kind.is_none()
                && settings.source.is_none()
                && settings.note.is_none()
                && settings.labels.is_none();
            if nothing {
                bail!("nothing to change: give at least one setting");
            }
            let bank = store.update_settings(&name, &settings)?;
            println!(
                "bank {}: {} {}, threshold {}, min quality {}, {}",
                bank.name,
                bank.kind,
                bank.hash_kind,
                bank.threshold,
                bank.min_quality,
                if bank.enabled { "enabled" } else { "disabled" }
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn set_enabled(store: &mut Store, target: Target, enabled: bool) -> Result<()> {
    let word = if enabled { "enabled" } else { "disabled" };
    let entry = match (target.entry, target.hash) {
        (Some(id), _) => EntryRef::Id(id),
        (None, Some(hash)) => EntryRef::Hash(hash),
        (None, None) => {
            store.set_bank_enabled(&target.name, enabled)?;
            println!("bank {} {word}", target.name);
            return Ok(());
        }
    };
    let what = match &entry {
        EntryRef::Id(id) => format!("entry {id}"),
        EntryRef::Hash(_) => "the entry with that hash".to_string(),
    };
    if store.set_entry_enabled(&target.name, &entry, enabled)? {
        println!("{what} of bank {} {word}", target.name);
    } else {
        println!("{what} of bank {} was already {word}", target.name);
    }
    Ok(())
}

fn list(store: &Store, format: ListFormat) -> Result<()> {
    let banks = store.banks()?;
    if format == ListFormat::Json {
        let rows: Vec<serde_json::Value> = banks.iter().map(bank_json).collect();
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(());
    }
    let header = [
        "NAME",
        "KIND",
        "HASH",
        "ENABLED",
        "ENTRIES",
        "THRESHOLD",
        "MIN_Q",
        "SOURCE",
        "LABELS",
    ];
    let rows: Vec<[String; 9]> = banks
        .iter()
        .map(|b| {
            [
                b.name.clone(),
                b.kind.to_string(),
                b.hash_kind.to_string(),
                if b.enabled { "yes" } else { "no" }.to_string(),
                format!("{}/{}", b.entries_live, b.entries_total),
                b.threshold.to_string(),
                b.min_quality.to_string(),
                b.source.clone().unwrap_or_default(),
                b.labels.join(";"),
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = std::io::stdout().lock();
    let line = |cells: &[&str]| {
        cells
            .iter()
            .zip(widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
    };
    writeln!(out, "{}", line(&header))?;
    for row in &rows {
        let cells: Vec<&str> = row.iter().map(String::as_str).collect();
        writeln!(out, "{}", line(&cells))?;
    }
    Ok(())
}

fn bank_json(b: &BankInfo) -> serde_json::Value {
    serde_json::json!({
        "name": b.name,
        "kind": b.kind.name(),
        "hash_kind": b.hash_kind.name(),
        "enabled": b.enabled,
        "entries_live": b.entries_live,
        "entries_total": b.entries_total,
        "threshold": b.threshold,
        "min_quality": b.min_quality,
        "video_match_percent": b.video_match_percent,
        "video_compared_percent": b.video_compared_percent,
        "source": b.source,
        "labels": b.labels,
        "note": b.note,
        "created_at": b.created_at,
        "updated_at": b.updated_at,
    })
}

/// Reads a file, or standard input for `-`.
pub fn read_input(file: &PathBuf) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    if file.as_os_str() == "-" {
        std::io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .context("cannot read standard input")?;
    } else {
        bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    }
    Ok(bytes)
}

fn import(
    store: &mut Store,
    name: &str,
    file: &PathBuf,
    format: FormatArg,
    labels: Vec<String>,
    strict: bool,
) -> Result<ExitCode> {
    let bank = store.bank(name)?;
    let bytes = read_input(file)?;
    // Stray bytes that are not UTF-8 can only sit in notes or labels: keep the line, mark them.
    let text = String::from_utf8_lossy(&bytes);
    let source = if file.as_os_str() == "-" {
        "standard input".to_string()
    } else {
        file.display().to_string()
    };
    let format = match format.format() {
        Some(f) => f,
        None => Format::detect(&text)
            .with_context(|| format!("cannot tell the format of {source}: give --format"))?,
    };
    let parsed = formats::parse(format, bank.hash_kind, &text)?;
    for e in &parsed.errors {
        eprintln!("tutela: {source}: line {}: {}", e.line, e.reason);
    }
    let mut ignored: BTreeMap<&str, usize> = BTreeMap::new();
    for i in &parsed.ignored {
        *ignored.entry(i.reason.as_str()).or_default() += 1;
    }
    for (reason, count) in ignored {
        eprintln!(
            "tutela: {source}: {count} entr{} ignored: {reason}",
            plural_y(count)
        );
    }
    let options = ImportOptions {
        extra_labels: labels,
        strict,
    };
    let summary = match store.import(name, &parsed, &options) {
        Err(e @ StoreError::StrictRejected { .. }) => {
            eprintln!("tutela: {e}");
            return Ok(ExitCode::from(1));
        }
        other => other?,
    };
    let mut line = format!(
        "imported into {name} ({}): {} added, {} updated, {} unchanged, {} skipped, {} ignored; {} entries",
        format.name(),
        summary.added,
        summary.updated,
        summary.unchanged,
        summary.skipped,
        summary.ignored,
        summary.entries_total
    );
    if summary.below_min_quality > 0 {
        line.push_str(&format!(
            "; {} below the bank's minimum quality {} (stored, not matched)",
            summary.below_min_quality, bank.min_quality
        ));
    }
    println!("{line}");
    Ok(if parsed.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn plural_y(n: usize) -> &'static str {
    if n == 1 { "y" } else { "ies" }
}

/// One entry per file: a video is hashed, a vPDQ hash file read as it is.
fn import_videos(
    store: &mut Store,
    name: &str,
    files: &[PathBuf],
    video: &VideoFlags,
    labels: Vec<String>,
) -> Result<ExitCode> {
    let options = video.options();
    let mut records = Vec::with_capacity(files.len());
    let mut failed = 0usize;
    for file in files {
        match video_cmd::load_video(file, &options) {
            Ok(loaded) => {
                let (md5, sha256) = match &loaded.hashes {
                    Some(h) => (Some(hex::encode(h.md5)), Some(hex::encode(h.sha256))),
                    None => (None, None),
                };
                records.push(VideoRecord {
                    frames: loaded.frames,
                    md5,
                    sha256,
                    external_id: file.file_name().map(|n| n.to_string_lossy().into_owned()),
                    ..VideoRecord::default()
                });
            }
            Err(e) => {
                failed += 1;
                eprintln!("tutela: {e:#}");
            }
        }
    }
    let options = ImportOptions {
        extra_labels: labels,
        strict: false,
    };
    let summary = store.import_videos(name, &records, &options)?;
    let mut line = format!(
        "imported into {name} (videos): {} added, {} updated, {} unchanged, {} failed; {} entries",
        summary.added, summary.updated, summary.unchanged, failed, summary.entries_total
    );
    if summary.below_min_quality > 0 {
        line.push_str(&format!(
            "; {} with no frame of the bank's minimum quality (stored, never matched)",
            summary.below_min_quality
        ));
    }
    println!("{line}");
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn export_videos(
    store: &Store,
    name: &str,
    entry: Option<u32>,
    out_dir: Option<PathBuf>,
    include_disabled: bool,
) -> Result<ExitCode> {
    let entry = entry.map(EntryRef::Id);
    let videos = store.export_videos(name, entry.as_ref(), include_disabled)?;
    match out_dir {
        Some(dir) => {
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            for v in &videos {
                let file = dir.join(format!("{}.txt", v.entry_id));
                std::fs::write(&file, tutela_video::format::to_string(&v.frames))
                    .with_context(|| format!("cannot write {}", file.display()))?;
            }
            println!(
                "wrote {} vPDQ hash file(s) to {}",
                videos.len(),
                dir.display()
            );
        }
        None => {
            let [video] = videos.as_slice() else {
                bail!(
                    "bank {name} has {} videos to export: choose one with --entry, or give --out-dir",
                    videos.len()
                );
            };
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            tutela_video::format::write(&video.frames, &mut out)?;
            out.flush().context("cannot write the export")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
