//! The database side: connection settings, schema, and reading banks.

use std::path::Path;

use rusqlite::Connection;

use super::{BankInfo, StoreError, labels_from_json};
use crate::{BankKind, HashKind};

pub(super) const SCHEMA: &str = "
CREATE TABLE banks (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('block', 'allow')),
    hash_kind TEXT NOT NULL CHECK (hash_kind IN ('pdq', 'sha256', 'md5')),
    enabled INTEGER NOT NULL DEFAULT 1,
    threshold INTEGER NOT NULL DEFAULT 31,
    min_quality INTEGER NOT NULL DEFAULT 50,
    source TEXT,
    labels TEXT NOT NULL DEFAULT '[]',
    note TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    next_entry_id INTEGER NOT NULL DEFAULT 0,
    index_generation INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE bank_entries (
    bank_id INTEGER NOT NULL REFERENCES banks(id) ON DELETE CASCADE,
    entry_id INTEGER NOT NULL,
    hash TEXT NOT NULL,
    quality INTEGER,
    labels TEXT NOT NULL DEFAULT '[]',
    external_id TEXT,
    note TEXT,
    added_at TEXT NOT NULL,
    enabled INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (bank_id, entry_id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX bank_entries_by_hash ON bank_entries (bank_id, hash);
";

/// Version 2: video banks. SQLite cannot change a CHECK constraint in place, so `banks` is
/// rebuilt (the documented create-copy-drop-rename procedure; foreign keys are off meanwhile,
/// so dropping the old table does not cascade to the entries).
pub(super) const MIGRATE_V2: &str = "
CREATE TABLE banks_v2 (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('block', 'allow')),
    hash_kind TEXT NOT NULL CHECK (hash_kind IN ('pdq', 'sha256', 'md5', 'vpdq')),
    enabled INTEGER NOT NULL DEFAULT 1,
    threshold INTEGER NOT NULL DEFAULT 31,
    min_quality INTEGER NOT NULL DEFAULT 50,
    source TEXT,
    labels TEXT NOT NULL DEFAULT '[]',
    note TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    next_entry_id INTEGER NOT NULL DEFAULT 0,
    index_generation INTEGER NOT NULL DEFAULT 0,
    video_match_percent INTEGER NOT NULL DEFAULT 80,
    video_compared_percent INTEGER NOT NULL DEFAULT 0
);
INSERT INTO banks_v2 (id, name, kind, hash_kind, enabled, threshold, min_quality, source, labels,
                      note, created_at, updated_at, next_entry_id, index_generation)
    SELECT id, name, kind, hash_kind, enabled, threshold, min_quality, source, labels,
           note, created_at, updated_at, next_entry_id, index_generation FROM banks;
DROP TABLE banks;
ALTER TABLE banks_v2 RENAME TO banks;
-- One row per video entry: where its frames sit in the bank's index, and the frames
-- themselves (packed, for export).
CREATE TABLE video_entries (
    bank_id INTEGER NOT NULL,
    entry_id INTEGER NOT NULL,
    first_code INTEGER NOT NULL,
    code_count INTEGER NOT NULL,
    frame_count INTEGER NOT NULL,
    md5 TEXT,
    sha256 TEXT,
    frames BLOB NOT NULL,
    PRIMARY KEY (bank_id, entry_id),
    FOREIGN KEY (bank_id, entry_id) REFERENCES bank_entries (bank_id, entry_id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX video_entries_by_md5 ON video_entries (bank_id, md5) WHERE md5 IS NOT NULL;
CREATE INDEX video_entries_by_sha256 ON video_entries (bank_id, sha256) WHERE sha256 IS NOT NULL;
";

pub(crate) fn open_connection(path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    // FULL: a commit must survive power loss, because the previous index file is deleted
    // right after it.
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
    )?;
    Ok(conn)
}

/// Banks matching a condition on `b`, with their entry counts, by name.
pub(crate) fn bank_where(
    conn: &Connection,
    condition: &str,
    args: impl rusqlite::Params,
    with_counts: bool,
) -> Result<Vec<BankInfo>, StoreError> {
    // Counting live entries reads every row of the bank: only when asked.
    let live = if with_counts {
        "(SELECT count(*) FROM bank_entries e WHERE e.bank_id = b.id AND e.enabled)"
    } else {
        "0"
    };
    let sql = format!(
        "SELECT b.id, b.name, b.kind, b.hash_kind, b.enabled, b.threshold, b.min_quality,
                b.source, b.labels, b.note, b.created_at, b.updated_at, b.next_entry_id,
                b.index_generation, b.video_match_percent, b.video_compared_percent,
                {live}
         FROM banks b WHERE {condition} ORDER BY b.name"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(args, |r| {
        let text = |i: usize| r.get::<_, String>(i);
        Ok((
            BankInfo {
                id: r.get(0)?,
                name: text(1)?,
                kind: BankKind::Block,
                hash_kind: HashKind::Pdq,
                enabled: r.get(4)?,
                threshold: r.get(5)?,
                min_quality: r.get(6)?,
                source: r.get(7)?,
                labels: labels_from_json(&text(8)?),
                note: r.get(9)?,
                created_at: text(10)?,
                updated_at: text(11)?,
                entries_total: r.get::<_, i64>(12)?.max(0) as u64,
                entries_live: r.get::<_, i64>(16)?.max(0) as u64,
                generation: r.get(13)?,
                video_match_percent: r.get(14)?,
                video_compared_percent: r.get(15)?,
            },
            text(2)?,
            text(3)?,
        ))
    })?;
    let mut banks = Vec::new();
    for row in rows {
        let (mut bank, kind, hash_kind) = row?;
        bank.kind = kind.parse().map_err(StoreError::Inconsistent)?;
        bank.hash_kind = hash_kind.parse().map_err(StoreError::Inconsistent)?;
        banks.push(bank);
    }
    Ok(banks)
}
