//! Banks under a data folder.
//!
//! ```text
//! DATA/tutela.sqlite            banks and bank_entries (WAL mode, synchronous=FULL)
//! DATA/banks/<bank_id>/pdq.<generation>.tidx      PDQ bank: tutela_index::Index
//! DATA/banks/<bank_id>/sha256.<generation>.tset   SHA-256 bank: tutela_index::Sha256Set
//! DATA/banks/<bank_id>/md5.<generation>.tset      MD5 bank: tutela_index::Md5Set
//! ```
//!
//! **Atomicity.** Every change that touches a bank's index follows one protocol, so the
//! database and the index file never disagree:
//!
//! 1. `BEGIN IMMEDIATE` (the write lock: one writer at a time, across processes);
//! 2. change the rows; build the new index in memory from the current generation's file;
//! 3. write it to the *next* generation's file (temp file, fsync, rename: `Index::save`);
//! 4. `UPDATE banks SET index_generation = next` and `COMMIT` — the single switch point;
//! 5. delete the previous generation's file.
//!
//! A failure before the commit rolls the rows back and deletes the new file; a crash there
//! leaves a file of a generation the database never named. A crash after the commit leaves the
//! old file. Either way the database names a complete file, and [`Store::open`] removes the
//! strays while holding the write lock (so never a file another writer is about to commit).
//! Readers take the generation from the database; an open file stays valid after deletion.
//! The cost: every change rewrites the whole index file. Fine for imports; on very large
//! banks, many single-entry disables in a row should be batched into one change.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use tutela_index::IndexError;

mod files;
mod sql;
mod video;

use files::stray_files;
pub(crate) use files::{BankIndex, index_file};
use sql::{MIGRATE_V2, SCHEMA};
pub(crate) use sql::{bank_where, open_connection};
pub use video::{VideoExport, VideoRecord};
pub(crate) use video::{VideoRange, video_ranges};

use crate::formats::{ExportEntry, ParseOutput, Record, clean_labels, normalize_hash};
use crate::{BankKind, HashKind};

const SCHEMA_VERSION: i64 = 2;

/// Highest threshold accepted: beyond 128 bits a PDQ \"match\" is closer to the inverse image.
pub const MAX_THRESHOLD: u32 = 128;

/// Everything the store can refuse.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("index file error: {0}")]
    Index(#[from] IndexError),
    #[error("I/O error on {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("no bank named {0:?}")]
    NoSuchBank(String),
    #[error("a bank named {0:?} exists already")]
    BankExists(String),
    #[error("bank {bank:?} has no entry {entry}")]
    NoSuchEntry { bank: String, entry: String },
    #[error("invalid {what}: {reason}")]
    Invalid { what: &'static str, reason: String },
    #[error("strict import rejected: {bad_lines} bad line(s); the bank is unchanged")]
    StrictRejected { bad_lines: usize },
    #[error(
        "the data folder has schema version {found}; this build knows up to {SCHEMA_VERSION}: upgrade Tutela"
    )]
    NewerSchema { found: i64 },
    #[error("inconsistent data folder: {0}")]
    Inconsistent(String),
    #[error("injected failure ({0})")]
    Injected(&'static str),
}

pub(crate) fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn invalid(what: &'static str, reason: impl Into<String>) -> StoreError {
    StoreError::Invalid {
        what,
        reason: reason.into(),
    }
}

/// A bank's settings and entry counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BankInfo {
    pub id: i64,
    pub name: String,
    pub kind: BankKind,
    pub hash_kind: HashKind,
    pub enabled: bool,
    pub threshold: u32,
    pub min_quality: u8,
    pub source: Option<String>,
    pub labels: Vec<String>,
    pub note: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// Entries ever added (the next entry id).
    pub entries_total: u64,
    pub entries_live: u64,
    /// Video banks: a query video matches an entry when at least this percentage of its
    /// distinct good frames match (pytx/HMA default 80) ...
    pub video_match_percent: u8,
    /// ... and at least this percentage of the entry's frames match (default 0).
    pub video_compared_percent: u8,
    pub(crate) generation: i64,
}

/// What `create_bank` needs; unset numbers take the defaults (threshold 31, min quality 50,
/// video match percentages 80 and 0).
#[derive(Clone, Debug)]
pub struct NewBank {
    pub name: String,
    pub kind: BankKind,
    pub hash_kind: HashKind,
    pub threshold: Option<u32>,
    pub min_quality: Option<u8>,
    pub video_match_percent: Option<u8>,
    pub video_compared_percent: Option<u8>,
    pub source: Option<String>,
    pub labels: Vec<String>,
    pub note: Option<String>,
}

impl NewBank {
    pub fn new(name: impl Into<String>, kind: BankKind, hash_kind: HashKind) -> NewBank {
        NewBank {
            name: name.into(),
            kind,
            hash_kind,
            threshold: None,
            min_quality: None,
            video_match_percent: None,
            video_compared_percent: None,
            source: None,
            labels: Vec::new(),
            note: None,
        }
    }
}

/// Settings to change; `None` leaves a setting as it is.
#[derive(Clone, Debug, Default)]
pub struct BankSettings {
    pub threshold: Option<u32>,
    /// Not changeable on a video bank: its index holds only the frames that passed it.
    pub min_quality: Option<u8>,
    pub video_match_percent: Option<u8>,
    pub video_compared_percent: Option<u8>,
    pub enabled: Option<bool>,
    pub kind: Option<BankKind>,
    pub source: Option<String>,
    pub note: Option<String>,
    pub labels: Option<Vec<String>>,
}

/// An entry named by its id in the bank or by its hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntryRef {
    Id(u32),
    Hash(String),
}

#[derive(Clone, Debug, Default)]
pub struct ImportOptions {
    /// Added to every imported entry's labels.
    pub extra_labels: Vec<String>,
    /// Reject the whole import if any line was bad.
    pub strict: bool,
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportSummary {
    pub added: u64,
    /// Known hashes whose metadata changed (labels merged, fields filled).
    pub updated: u64,
    /// Known hashes with nothing new.
    pub unchanged: u64,
    /// Bad lines skipped.
    pub skipped: u64,
    /// Entries of another hash type or withdrawn upstream.
    pub ignored: u64,
    /// Imported entries whose quality is below the bank's minimum: stored, not matched.
    pub below_min_quality: u64,
    pub entries_total: u64,
}

pub(crate) fn now() -> String {
    let t = time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .expect("0 is a valid nanosecond");
    t.format(&time::format_description::well_known::Rfc3339)
        .expect("a UTC time formats as RFC 3339")
}

fn labels_json(labels: &[String]) -> String {
    serde_json::to_string(labels).expect("strings serialise")
}

pub(crate) fn labels_from_json(s: &str) -> Vec<String> {
    serde_json::from_str(s).unwrap_or_default()
}

fn check_name(name: &str) -> Result<(), StoreError> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
    if ok {
        Ok(())
    } else {
        Err(invalid(
            "bank name",
            "1 to 64 characters from A-Z, a-z, 0-9, '_', '-', '.'",
        ))
    }
}

fn check_threshold(t: u32) -> Result<u32, StoreError> {
    if t <= MAX_THRESHOLD {
        Ok(t)
    } else {
        Err(invalid(
            "threshold",
            format!("at most {MAX_THRESHOLD} bits"),
        ))
    }
}

fn check_percent(p: u8) -> Result<u8, StoreError> {
    if p <= 100 {
        Ok(p)
    } else {
        Err(invalid("video match percentage", "from 0 to 100"))
    }
}

fn check_min_quality(q: u8) -> Result<u8, StoreError> {
    if q <= 100 {
        Ok(q)
    } else {
        Err(invalid("min quality", "from 0 to 100"))
    }
}

/// Labels of banks and entries are cleaned the same way as imported ones.
fn check_labels(labels: &[String]) -> Result<Vec<String>, StoreError> {
    if labels
        .iter()
        .any(|l| l.contains([';', '|']) || l.chars().any(char::is_control))
    {
        return Err(invalid(
            "label",
            "';', '|' and control characters are not allowed",
        ));
    }
    Ok(clean_labels(labels))
}

/// A handle on the banks of one data folder.
pub struct Store {
    root: PathBuf,
    conn: Connection,
    fail_point: Option<FailPoint>,
}

/// Where a test makes the next index change stop as if the process died there.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailPoint {
    /// The new index file is written, the database not committed.
    AfterIndexWrite,
    /// The database is committed, the old index file not deleted.
    AfterCommit,
}

impl Store {
    /// Opens (creating if needed) the data folder, migrates the schema and removes index files
    /// left by interrupted changes.
    pub fn open(root: impl AsRef<Path>) -> Result<Store, StoreError> {
        let root = root.as_ref().to_path_buf();
        std::fs::create_dir_all(root.join("banks")).map_err(io_err(&root))?;
        let conn = open_connection(&root.join("tutela.sqlite"))?;
        let mut store = Store {
            root,
            conn,
            fail_point: None,
        };
        store.migrate()?;
        store.remove_stray_files()?;
        Ok(store)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    #[doc(hidden)]
    pub fn inject_failure(&mut self, point: Option<FailPoint>) {
        self.fail_point = point;
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        // The common case, up to date, needs no write lock.
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version == SCHEMA_VERSION {
            return Ok(());
        }
        // Rebuilding a table needs foreign keys off, which only works outside a transaction.
        self.conn.pragma_update(None, "foreign_keys", false)?;
        let migrated = migrate_steps(&mut self.conn);
        self.conn.pragma_update(None, "foreign_keys", true)?;
        migrated
    }

    pub(crate) fn bank_dir(&self, id: i64) -> PathBuf {
        self.root.join("banks").join(id.to_string())
    }

    fn remove_stray_files(&mut self) -> Result<(), StoreError> {
        if stray_files(&self.conn, &self.root)?.is_empty() {
            return Ok(());
        }
        // Under the write lock no writer is between writing a file and committing it.
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        for path in stray_files(&tx, &self.root)? {
            let removed = if path.is_dir() {
                std::fs::remove_dir_all(&path)
            } else {
                std::fs::remove_file(&path)
            };
            removed.map_err(io_err(&path))?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Creates a bank with an empty index.
    pub fn create_bank(&mut self, spec: &NewBank) -> Result<BankInfo, StoreError> {
        check_name(&spec.name)?;
        let threshold = check_threshold(spec.threshold.unwrap_or(31))?;
        let min_quality = check_min_quality(spec.min_quality.unwrap_or(50))?;
        let match_percent = check_percent(spec.video_match_percent.unwrap_or(80))?;
        let compared_percent = check_percent(spec.video_compared_percent.unwrap_or(0))?;
        let labels = check_labels(&spec.labels)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let exists: Option<i64> = tx
            .query_row("SELECT id FROM banks WHERE name = ?1", [&spec.name], |r| {
                r.get(0)
            })
            .optional()?;
        if exists.is_some() {
            return Err(StoreError::BankExists(spec.name.clone()));
        }
        let now = now();
        tx.execute(
            "INSERT INTO banks (name, kind, hash_kind, threshold, min_quality, source, labels,
                                note, created_at, updated_at, index_generation,
                                video_match_percent, video_compared_percent)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, 1, ?10, ?11)",
            params![
                spec.name,
                spec.kind.name(),
                spec.hash_kind.name(),
                threshold,
                min_quality,
                spec.source.as_deref().and_then(non_empty),
                labels_json(&labels),
                spec.note.as_deref().and_then(non_empty),
                now,
                match_percent,
                compared_percent,
            ],
        )?;
        let id = tx.last_insert_rowid();
        let dir = self.root.join("banks").join(id.to_string());
        let written = std::fs::create_dir_all(&dir)
            .map_err(io_err(&dir))
            .and_then(|()| {
                Ok(BankIndex::empty(spec.hash_kind).save(&index_file(&dir, spec.hash_kind, 1))?)
            })
            .and_then(|()| Ok(tx.commit()?));
        if let Err(e) = written {
            let _ = std::fs::remove_dir_all(&dir);
            return Err(e);
        }
        self.bank(&spec.name)
    }

    /// One bank by name.
    pub fn bank(&self, name: &str) -> Result<BankInfo, StoreError> {
        bank_where(&self.conn, "b.name = ?1", [name], true)?
            .pop()
            .ok_or_else(|| StoreError::NoSuchBank(name.to_string()))
    }

    /// Every bank, by name.
    pub fn banks(&self) -> Result<Vec<BankInfo>, StoreError> {
        bank_where(&self.conn, "1", [], true)
    }

    /// Changes settings that live in the database only.
    pub fn update_settings(
        &mut self,
        name: &str,
        s: &BankSettings,
    ) -> Result<BankInfo, StoreError> {
        let bank = self.bank(name)?;
        let threshold = check_threshold(s.threshold.unwrap_or(bank.threshold))?;
        let min_quality = check_min_quality(s.min_quality.unwrap_or(bank.min_quality))?;
        if bank.hash_kind == HashKind::Vpdq && min_quality != bank.min_quality {
            return Err(invalid(
                "min quality",
                "a video bank's frame quality floor is fixed when it is created (its index holds only the frames that passed it)",
            ));
        }
        let match_percent =
            check_percent(s.video_match_percent.unwrap_or(bank.video_match_percent))?;
        let compared_percent = check_percent(
            s.video_compared_percent
                .unwrap_or(bank.video_compared_percent),
        )?;
        let labels = match &s.labels {
            Some(l) => check_labels(l)?,
            None => bank.labels.clone(),
        };
        let pick = |new: &Option<String>, old: &Option<String>| match new {
            Some(v) => non_empty(v),
            None => old.clone(),
        };
        self.conn.execute(
            "UPDATE banks SET threshold = ?2, min_quality = ?3, enabled = ?4, kind = ?5,
                              source = ?6, note = ?7, labels = ?8, updated_at = ?9,
                              video_match_percent = ?10, video_compared_percent = ?11
             WHERE id = ?1",
            params![
                bank.id,
                threshold,
                min_quality,
                s.enabled.unwrap_or(bank.enabled),
                s.kind.unwrap_or(bank.kind).name(),
                pick(&s.source, &bank.source),
                pick(&s.note, &bank.note),
                labels_json(&labels),
                now(),
                match_percent,
                compared_percent,
            ],
        )?;
        self.bank(name)
    }

    /// Enables or disables a whole bank (matching skips disabled banks).
    pub fn set_bank_enabled(&mut self, name: &str, enabled: bool) -> Result<BankInfo, StoreError> {
        self.update_settings(
            name,
            &BankSettings {
                enabled: Some(enabled),
                ..BankSettings::default()
            },
        )
    }

    /// Runs `change` on the bank's rows and index, then switches to the new index file (see the
    /// module documentation).
    fn change_bank<T>(
        &mut self,
        name: &str,
        change: impl FnOnce(&Transaction<'_>, &BankInfo, &mut BankIndex) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Read inside the lock: another process may have changed the bank.
        let bank = bank_where(&tx, "b.name = ?1", [name], false)?
            .pop()
            .ok_or_else(|| StoreError::NoSuchBank(name.to_string()))?;
        let dir = self.root.join("banks").join(bank.id.to_string());
        let mut index = BankIndex::open(
            &index_file(&dir, bank.hash_kind, bank.generation),
            bank.hash_kind,
        )?;
        let value = change(&tx, &bank, &mut index)?;
        index.compact_if_worthwhile();
        let next = bank.generation + 1;
        let next_path = index_file(&dir, bank.hash_kind, next);
        let switched = index
            .save(&next_path)
            .map_err(StoreError::from)
            .and_then(|()| {
                if self.fail_point == Some(FailPoint::AfterIndexWrite) {
                    return Err(StoreError::Injected("after index write"));
                }
                tx.execute(
                    "UPDATE banks SET index_generation = ?2, updated_at = ?3 WHERE id = ?1",
                    params![bank.id, next, now()],
                )?;
                Ok(tx.commit()?)
            });
        drop(index);
        match switched {
            // A simulated crash leaves its file behind, as a real one would.
            Err(e @ StoreError::Injected(_)) => Err(e),
            Err(e) => {
                let _ = std::fs::remove_file(&next_path);
                Err(e)
            }
            Ok(()) => {
                if self.fail_point == Some(FailPoint::AfterCommit) {
                    return Err(StoreError::Injected("after commit"));
                }
                let _ = std::fs::remove_file(index_file(&dir, bank.hash_kind, bank.generation));
                Ok(value)
            }
        }
    }

    /// Imports parsed records: new hashes get the next entry ids, known ones have their
    /// metadata merged (labels added, given fields replaced; a disabled entry stays disabled).
    /// With `strict`, any bad line rejects the whole import before anything changes.
    pub fn import(
        &mut self,
        name: &str,
        parsed: &ParseOutput,
        options: &ImportOptions,
    ) -> Result<ImportSummary, StoreError> {
        if options.strict && !parsed.errors.is_empty() {
            return Err(StoreError::StrictRejected {
                bad_lines: parsed.errors.len(),
            });
        }
        let extra = check_labels(&options.extra_labels)?;
        if self.bank(name)?.hash_kind == HashKind::Vpdq {
            return Err(invalid(
                "import",
                "a video bank takes videos (vPDQ hash files or video files), not hash lists",
            ));
        }
        self.change_bank(name, |tx, bank, index| {
            let mut summary = ImportSummary {
                skipped: parsed.errors.len() as u64,
                ignored: parsed.ignored.len() as u64,
                ..ImportSummary::default()
            };
            let mut find = tx.prepare_cached(
                "SELECT entry_id, quality, labels, external_id, note FROM bank_entries
                 WHERE bank_id = ?1 AND hash = ?2",
            )?;
            let mut insert = tx.prepare_cached(
                "INSERT INTO bank_entries (bank_id, entry_id, hash, quality, labels, external_id,
                                           note, added_at, enabled)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1)",
            )?;
            let mut update = tx.prepare_cached(
                "UPDATE bank_entries SET quality = ?3, labels = ?4, external_id = ?5, note = ?6
                 WHERE bank_id = ?1 AND entry_id = ?2",
            )?;
            let added_at = now();
            let mut next_id = bank.entries_total;
            for parsed_record in &parsed.records {
                let r = &parsed_record.record;
                // Records from a parser are valid for their kind; check anyway, cheaply.
                let hash = normalize_hash(bank.hash_kind, &r.hash)
                    .map_err(|reason| invalid("hash", reason))?;
                let mut labels = r.labels.clone();
                labels.extend(extra.iter().cloned());
                if r.quality.is_some_and(|q| q < bank.min_quality) {
                    summary.below_min_quality += 1;
                }
                type Known = (u32, Option<u8>, String, Option<String>, Option<String>);
                let known: Option<Known> = find
                    .query_row(params![bank.id, hash], |row| {
                        Ok((
                            row.get(0)?,
                            row.get(1)?,
                            row.get(2)?,
                            row.get(3)?,
                            row.get(4)?,
                        ))
                    })
                    .optional()?;
                match known {
                    Some((entry_id, quality, old_labels, external_id, note)) => {
                        let old_labels = labels_from_json(&old_labels);
                        let merged = clean_labels(old_labels.iter().chain(&labels));
                        let new = Record {
                            hash: hash.clone(),
                            quality: r.quality.or(quality),
                            labels: merged,
                            external_id: r.external_id.clone().or(external_id.clone()),
                            note: r.note.clone().or(note.clone()),
                        };
                        let old = Record {
                            hash,
                            quality,
                            labels: old_labels,
                            external_id,
                            note,
                        };
                        if new == old {
                            summary.unchanged += 1;
                        } else {
                            update.execute(params![
                                bank.id,
                                entry_id,
                                new.quality,
                                labels_json(&new.labels),
                                new.external_id,
                                new.note
                            ])?;
                            summary.updated += 1;
                        }
                    }
                    None => {
                        let id = u32::try_from(next_id).map_err(|_| {
                            invalid("import", "the bank is full (4294967295 entries)")
                        })?;
                        index.add(&hash, id)?;
                        insert.execute(params![
                            bank.id,
                            id,
                            hash,
                            r.quality,
                            labels_json(&clean_labels(&labels)),
                            r.external_id,
                            r.note,
                            added_at
                        ])?;
                        next_id += 1;
                        summary.added += 1;
                    }
                }
            }
            tx.execute(
                "UPDATE banks SET next_entry_id = ?2 WHERE id = ?1",
                params![bank.id, next_id as i64],
            )?;
            summary.entries_total = next_id;
            Ok(summary)
        })
    }

    /// Disables or enables one entry; false when it already was so (nothing written).
    ///
    /// Only the entry's row changes: the database is authoritative for `enabled` (the matcher
    /// checks the row of every hit), so a disable costs one row, not a rewrite of the bank's
    /// index file, whatever the bank's size.
    pub fn set_entry_enabled(
        &mut self,
        name: &str,
        entry: &EntryRef,
        enabled: bool,
    ) -> Result<bool, StoreError> {
        let bank = self.bank(name)?;
        let (entry_id, _hash, was) = self.find_entry(&bank, entry)?;
        if was == enabled {
            return Ok(false);
        }
        self.conn.execute(
            "UPDATE bank_entries SET enabled = ?3 WHERE bank_id = ?1 AND entry_id = ?2",
            params![bank.id, entry_id, enabled],
        )?;
        self.conn.execute(
            "UPDATE banks SET updated_at = ?2 WHERE id = ?1",
            params![bank.id, now()],
        )?;
        Ok(true)
    }

    fn find_entry(
        &self,
        bank: &BankInfo,
        entry: &EntryRef,
    ) -> Result<(u32, String, bool), StoreError> {
        let missing = || StoreError::NoSuchEntry {
            bank: bank.name.clone(),
            entry: match entry {
                EntryRef::Id(id) => format!("with id {id}"),
                EntryRef::Hash(_) => "with that hash".into(),
            },
        };
        let row = |r: &rusqlite::Row<'_>| Ok((r.get(0)?, r.get(1)?, r.get(2)?));
        let found = match entry {
            EntryRef::Id(id) => self
                .conn
                .query_row(
                    "SELECT entry_id, hash, enabled FROM bank_entries
                     WHERE bank_id = ?1 AND entry_id = ?2",
                    params![bank.id, id],
                    row,
                )
                .optional()?,
            EntryRef::Hash(h) => {
                let hash = normalize_hash(bank.hash_kind, h).map_err(|r| invalid("hash", r))?;
                self.conn
                    .query_row(
                        "SELECT entry_id, hash, enabled FROM bank_entries
                         WHERE bank_id = ?1 AND hash = ?2",
                        params![bank.id, hash],
                        row,
                    )
                    .optional()?
            }
        };
        found.ok_or_else(missing)
    }

    /// The bank's entries in id order, for an export.
    pub fn export_entries(
        &self,
        name: &str,
        include_disabled: bool,
    ) -> Result<Vec<ExportEntry>, StoreError> {
        let bank = self.bank(name)?;
        let mut stmt = self.conn.prepare(
            "SELECT hash, quality, labels, external_id, note, added_at FROM bank_entries
             WHERE bank_id = ?1 AND (enabled OR ?2) ORDER BY entry_id",
        )?;
        let rows = stmt.query_map(params![bank.id, include_disabled], |r| {
            Ok(ExportEntry {
                record: Record {
                    hash: r.get(0)?,
                    quality: r.get(1)?,
                    labels: labels_from_json(&r.get::<_, String>(2)?),
                    external_id: r.get(3)?,
                    note: r.get(4)?,
                },
                added_at: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

fn migrate_steps(conn: &mut Connection) -> Result<(), StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema { found: version });
    }
    if version == SCHEMA_VERSION {
        return Ok(()); // another process migrated first
    }
    if version < 1 {
        tx.execute_batch(SCHEMA)?;
    }
    if version < 2 {
        tx.execute_batch(MIGRATE_V2)?;
        let broken: Option<String> = tx
            .query_row("PRAGMA foreign_key_check", [], |r| r.get(0))
            .optional()?;
        if let Some(table) = broken {
            return Err(StoreError::Inconsistent(format!(
                "schema upgrade left rows of {table} without their bank"
            )));
        }
    }
    // Later versions add their steps here, each guarded by `version < N`.
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    tx.commit()?;
    Ok(())
}

fn non_empty(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

#[cfg(test)]
mod tests;
