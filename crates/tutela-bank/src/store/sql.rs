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
                b.index_generation,
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
                entries_live: r.get::<_, i64>(14)?.max(0) as u64,
                generation: r.get(13)?,
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
