//! Matching queries against every enabled bank.
//!
//! [`Matcher::load`] maps each enabled bank's current index file (a snapshot: reload to see
//! later imports). A [`Query`] holds one PDQ hash or the 8 dihedral hashes of an image, the
//! image's quality, and optionally its SHA-256 and MD5. Per bank:
//!
//! * PDQ banks: every entry within the bank's threshold of any variant, best variant per entry.
//!   A query whose quality is below the bank's `min_quality` is not matched against the bank,
//!   and the outcome lists the bank in `skipped_banks`; entries stored with a quality below it
//!   are not matched either.
//! * SHA-256 / MD5 banks: exact membership, variant `exact`, distance 0.
//!
//! Allow banks: if the query matches any enabled allow bank (at that bank's own threshold), its
//! block matches are kept but marked `suppressed`, with the allow entries in `suppressed_by`.
//! Metadata comes from the database for the hits only, by (bank, entry id).

use std::sync::{Mutex, PoisonError};

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use tutela_index::{Code, IndexError, best_per_entry};

use crate::store::{
    BankIndex, BankInfo, Store, StoreError, bank_where, index_file, labels_from_json,
    open_connection,
};
use crate::{BankKind, HashKind};

/// Names of the 8 dihedral variants, in the order of `tutela_pdq::Dihedral::ALL`.
pub const DIHEDRAL_VARIANTS: [&str; 8] = [
    "original",
    "rot90",
    "rot180",
    "rot270",
    "flipx",
    "flipy",
    "flipplus1",
    "flipminus1",
];

/// What to look for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    /// No hash, one, or the 8 dihedral variants in [`DIHEDRAL_VARIANTS`] order.
    pdq: Vec<Code>,
    /// Quality of the image the PDQ hashes come from; unknown is never "too low".
    quality: Option<u8>,
    sha256: Option<[u8; 32]>,
    md5: Option<[u8; 16]>,
}

/// A query hash that could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("invalid query: {0}")]
pub struct QueryError(String);

impl Query {
    pub fn new() -> Query {
        Query::default()
    }

    /// One PDQ hash.
    pub fn with_pdq(mut self, code: Code, quality: Option<u8>) -> Query {
        self.pdq = vec![code];
        self.quality = quality;
        self
    }

    /// The 8 dihedral hashes of one image.
    pub fn with_dihedral(mut self, codes: [Code; 8], quality: Option<u8>) -> Query {
        self.pdq = codes.to_vec();
        self.quality = quality;
        self
    }

    /// One PDQ hash or the 8 dihedral hashes, as hex.
    pub fn with_pdq_hex<S: AsRef<str>>(
        self,
        hashes: &[S],
        quality: Option<u8>,
    ) -> Result<Query, QueryError> {
        let codes = hashes
            .iter()
            .map(|h| {
                tutela_index::code_from_hex(h.as_ref().trim())
                    .ok_or_else(|| QueryError("a PDQ hash is 64 hex digits".into()))
            })
            .collect::<Result<Vec<Code>, _>>()?;
        match <[Code; 8]>::try_from(codes) {
            Ok(all) => Ok(self.with_dihedral(all, quality)),
            Err(codes) if codes.len() == 1 => Ok(self.with_pdq(codes[0], quality)),
            Err(_) => Err(QueryError(
                "give one PDQ hash or the 8 dihedral ones".into(),
            )),
        }
    }

    pub fn with_sha256_hex(mut self, hex: &str) -> Result<Query, QueryError> {
        self.sha256 = Some(decode(hex, "SHA-256")?);
        Ok(self)
    }

    pub fn with_md5_hex(mut self, hex: &str) -> Result<Query, QueryError> {
        self.md5 = Some(decode(hex, "MD5")?);
        Ok(self)
    }

    fn variant(&self, i: u32) -> &'static str {
        DIHEDRAL_VARIANTS
            .get(i as usize)
            .copied()
            .unwrap_or("original")
    }
}

fn decode<const N: usize>(hex: &str, what: &str) -> Result<[u8; N], QueryError> {
    let mut out = [0u8; N];
    hex::decode_to_slice(hex.trim(), &mut out)
        .map_err(|_| QueryError(format!("a {what} digest is {} hex digits", 2 * N)))?;
    Ok(out)
}

/// An allow-bank entry that suppressed a block match.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SuppressedBy {
    pub bank: String,
    pub entry_id: u32,
}

/// One bank entry the query matched.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Match {
    pub bank: String,
    pub bank_kind: &'static str,
    pub entry_id: u32,
    pub hash: String,
    pub distance: u32,
    /// The dihedral variant of the query that matched, or `exact` for SHA-256/MD5.
    pub variant: &'static str,
    pub labels: Vec<String>,
    pub external_id: Option<String>,
    pub note: Option<String>,
    pub added_at: String,
    pub quality: Option<u8>,
    pub suppressed: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suppressed_by: Vec<SuppressedBy>,
}

/// A bank the query was not matched against, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SkippedBank {
    pub bank: String,
    pub reason: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct MatchOutcome {
    /// Block matches first (suppressed ones included), then allow matches; each by distance.
    pub matches: Vec<Match>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skipped_banks: Vec<SkippedBank>,
}

impl MatchOutcome {
    /// True if a block match stands (not suppressed by an allow bank).
    pub fn is_blocked(&self) -> bool {
        self.matches
            .iter()
            .any(|m| m.bank_kind == BankKind::Block.name() && !m.suppressed)
    }
}

struct LoadedBank {
    info: BankInfo,
    index: BankIndex,
}

/// Every enabled bank, ready to match.
pub struct Matcher {
    banks: Vec<LoadedBank>,
    // Hits are few; one connection behind a lock serves every thread's lookups.
    conn: Mutex<Connection>,
}

fn is_not_found(e: &StoreError) -> bool {
    matches!(e, StoreError::Index(IndexError::Io { source, .. })
        if source.kind() == std::io::ErrorKind::NotFound)
}

impl Matcher {
    /// Maps the current index file of every enabled bank.
    pub fn load(store: &Store) -> Result<Matcher, StoreError> {
        let mut conn = open_connection(&store.root().join("tutela.sqlite"))?;
        let mut attempt = 0;
        loop {
            match load_banks(&mut conn, store) {
                Ok(banks) => {
                    return Ok(Matcher {
                        banks,
                        conn: Mutex::new(conn),
                    });
                }
                // A writer committed a new generation and deleted the file we were about to
                // open: read the generations again.
                Err(e) if is_not_found(&e) && attempt < 3 => attempt += 1,
                Err(e) => return Err(e),
            }
        }
    }

    /// The banks loaded.
    pub fn banks(&self) -> impl Iterator<Item = &BankInfo> {
        self.banks.iter().map(|b| &b.info)
    }

    pub fn query(&self, query: &Query) -> Result<MatchOutcome, StoreError> {
        let mut outcome = MatchOutcome::default();
        // Index work first, without the lock: (bank, entry, distance, variant).
        let mut hits: Vec<(&BankInfo, Lookup, u32, &'static str)> = Vec::new();
        for bank in &self.banks {
            let info = &bank.info;
            match &bank.index {
                BankIndex::Pdq(index) if !query.pdq.is_empty() => {
                    if let Some(q) = query.quality.filter(|&q| q < info.min_quality) {
                        outcome.skipped_banks.push(SkippedBank {
                            bank: info.name.clone(),
                            reason: format!(
                                "query quality {q} is below the bank's minimum {}",
                                info.min_quality
                            ),
                        });
                        continue;
                    }
                    let raw = index.query_many(&query.pdq, info.threshold);
                    for hit in best_per_entry(&raw) {
                        let variant = query.variant(hit.query);
                        hits.push((info, Lookup::Id(hit.id), hit.distance, variant));
                    }
                }
                BankIndex::Sha256(set) => {
                    if let Some(d) = query.sha256.filter(|d| set.contains(d)) {
                        hits.push((info, Lookup::Hash(hex::encode(d)), 0, "exact"));
                    }
                }
                BankIndex::Md5(set) => {
                    if let Some(d) = query.md5.filter(|d| set.contains(d)) {
                        hits.push((info, Lookup::Hash(hex::encode(d)), 0, "exact"));
                    }
                }
                BankIndex::Pdq(_) => {}
            }
        }
        if !hits.is_empty() {
            let conn = self.conn.lock().unwrap_or_else(PoisonError::into_inner);
            for (info, lookup, distance, variant) in hits {
                let Some(entry) = lookup_entry(&conn, info.id, &lookup)? else {
                    continue;
                };
                // The row is authoritative for `enabled`: disables never touch index files.
                let too_poor = info.hash_kind == HashKind::Pdq
                    && entry.quality.is_some_and(|q| q < info.min_quality);
                if !entry.enabled || too_poor {
                    continue;
                }
                outcome.matches.push(Match {
                    bank: info.name.clone(),
                    bank_kind: info.kind.name(),
                    entry_id: entry.entry_id,
                    hash: entry.hash,
                    distance,
                    variant,
                    labels: entry.labels,
                    external_id: entry.external_id,
                    note: entry.note,
                    added_at: entry.added_at,
                    quality: entry.quality,
                    suppressed: false,
                    suppressed_by: Vec::new(),
                });
            }
        }
        let allowed_by: Vec<SuppressedBy> = outcome
            .matches
            .iter()
            .filter(|m| m.bank_kind == BankKind::Allow.name())
            .map(|m| SuppressedBy {
                bank: m.bank.clone(),
                entry_id: m.entry_id,
            })
            .collect();
        if !allowed_by.is_empty() {
            for m in &mut outcome.matches {
                if m.bank_kind == BankKind::Block.name() {
                    m.suppressed = true;
                    m.suppressed_by = allowed_by.clone();
                }
            }
        }
        outcome.matches.sort_by(|a, b| {
            (
                a.bank_kind != BankKind::Block.name(),
                a.distance,
                &a.bank,
                a.entry_id,
            )
                .cmp(&(
                    b.bank_kind != BankKind::Block.name(),
                    b.distance,
                    &b.bank,
                    b.entry_id,
                ))
        });
        Ok(outcome)
    }
}

fn load_banks(conn: &mut Connection, store: &Store) -> Result<Vec<LoadedBank>, StoreError> {
    // One read transaction: a consistent snapshot of every bank's generation.
    let tx = conn.transaction()?;
    let infos = bank_where(&tx, "b.enabled", [], false)?;
    let mut banks = Vec::with_capacity(infos.len());
    for info in infos {
        let path = index_file(&store.bank_dir(info.id), info.hash_kind, info.generation);
        let index = BankIndex::open(&path, info.hash_kind)?;
        banks.push(LoadedBank { info, index });
    }
    tx.finish()?;
    Ok(banks)
}

enum Lookup {
    Id(u32),
    Hash(String),
}

struct EntryRow {
    entry_id: u32,
    hash: String,
    quality: Option<u8>,
    labels: Vec<String>,
    external_id: Option<String>,
    note: Option<String>,
    added_at: String,
    enabled: bool,
}

fn lookup_entry(
    conn: &Connection,
    bank_id: i64,
    lookup: &Lookup,
) -> Result<Option<EntryRow>, StoreError> {
    const COLUMNS: &str = "SELECT entry_id, hash, quality, labels, external_id, note, added_at, enabled FROM bank_entries";
    let row = |r: &rusqlite::Row<'_>| {
        Ok(EntryRow {
            entry_id: r.get(0)?,
            hash: r.get(1)?,
            quality: r.get(2)?,
            labels: labels_from_json(&r.get::<_, String>(3)?),
            external_id: r.get(4)?,
            note: r.get(5)?,
            added_at: r.get(6)?,
            enabled: r.get(7)?,
        })
    };
    let found = match lookup {
        Lookup::Id(id) => conn
            .prepare_cached(&format!("{COLUMNS} WHERE bank_id = ?1 AND entry_id = ?2"))?
            .query_row(params![bank_id, id], row)
            .optional()?,
        Lookup::Hash(hash) => conn
            .prepare_cached(&format!("{COLUMNS} WHERE bank_id = ?1 AND hash = ?2"))?
            .query_row(params![bank_id, hash], row)
            .optional()?,
    };
    Ok(found)
}
