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
//!
//! Videos ([`Matcher::query_video`]) are matched against video banks: the query's distinct
//! frames of at least the bank's minimum quality go through the bank's index in one batch
//! (radius = the bank's threshold); each hit is mapped to its video by the video's id range;
//! an entry matches when the share of the query's frames that hit it reaches the bank's
//! `video_match_percent` (and the share of its own frames hit, `video_compared_percent`).
//! That is pytx's `match_VPDQ_hash_brute` exactly, without comparing every pair. A video file
//! whose MD5 or SHA-256 equals an entry's is an exact match (100%), as are MD5/SHA-256 banks.

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, PoisonError};

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use tutela_index::{Code, IndexError, best_per_entry};

use crate::store::{
    BankIndex, BankInfo, Store, StoreError, VideoRange, bank_where, index_file, labels_from_json,
    open_connection, video_ranges,
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
    /// Video banks: each video's index id range, by first id.
    videos: Vec<VideoRange>,
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
                // Video banks answer video queries (`query_video`).
                BankIndex::Pdq(_) if info.hash_kind == HashKind::Vpdq => {}
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
        let videos = if info.hash_kind == HashKind::Vpdq {
            video_ranges(&tx, info.id)?
        } else {
            Vec::new()
        };
        banks.push(LoadedBank {
            info,
            index,
            videos,
        });
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

/// A video to look for: its frame hashes with their qualities, and optionally the file's
/// digests.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VideoQuery {
    frames: Vec<(Code, u8)>,
    sha256: Option<[u8; 32]>,
    md5: Option<[u8; 16]>,
}

impl VideoQuery {
    pub fn new() -> VideoQuery {
        VideoQuery::default()
    }

    /// The video's frame hashes (any order; repeats are counted once).
    pub fn with_frames(mut self, frames: &[tutela_video::FrameHash]) -> VideoQuery {
        self.frames = frames
            .iter()
            .map(|f| (tutela_index::code_from_bytes(&f.hash.to_bytes()), f.quality))
            .collect();
        self
    }

    pub fn with_sha256(mut self, digest: [u8; 32]) -> VideoQuery {
        self.sha256 = Some(digest);
        self
    }

    pub fn with_md5(mut self, digest: [u8; 16]) -> VideoQuery {
        self.md5 = Some(digest);
        self
    }

    /// Distinct frame codes of at least `min_quality`, in first-seen order.
    fn distinct_codes(&self, min_quality: u8) -> Vec<Code> {
        let mut seen = HashSet::with_capacity(self.frames.len());
        self.frames
            .iter()
            .filter(|(code, q)| *q >= min_quality && seen.insert(*code))
            .map(|(code, _)| *code)
            .collect()
    }
}

/// One bank entry a query video matched.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VideoMatch {
    pub bank: String,
    pub bank_kind: &'static str,
    pub entry_id: u32,
    /// The entry's content id (video banks) or digest (MD5/SHA-256 banks).
    pub hash: String,
    /// `vpdq` (frames), or `exact` when the file's MD5/SHA-256 matched.
    pub variant: &'static str,
    /// Share of the query's distinct good frames within the threshold of a frame of the entry.
    pub query_match_percent: f64,
    /// Share of the entry's distinct good frames within the threshold of a query frame.
    pub compared_match_percent: f64,
    /// Query frames that matched / distinct good query frames (0/0 for exact matches).
    pub query_frames_matched: u32,
    pub query_frames: u32,
    /// Smallest frame distance seen.
    pub distance: u32,
    pub labels: Vec<String>,
    pub external_id: Option<String>,
    pub note: Option<String>,
    pub added_at: String,
    pub suppressed: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suppressed_by: Vec<SuppressedBy>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct VideoMatchOutcome {
    /// Block matches first (suppressed ones included), then allow matches; each by query
    /// percentage, highest first.
    pub matches: Vec<VideoMatch>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skipped_banks: Vec<SkippedBank>,
}

impl VideoMatchOutcome {
    /// True if a block match stands (not suppressed by an allow bank).
    pub fn is_blocked(&self) -> bool {
        self.matches
            .iter()
            .any(|m| m.bank_kind == BankKind::Block.name() && !m.suppressed)
    }
}

/// Per entry: which query frames and which of its own frames matched, and the best distance.
#[derive(Default)]
struct EntryTally {
    query_frames: HashSet<u32>,
    entry_frames: HashSet<u32>,
    best: u32,
}

impl Matcher {
    /// Matches a video against every enabled video bank (by frames), and its digests against
    /// video entries and MD5/SHA-256 banks.
    pub fn query_video(&self, query: &VideoQuery) -> Result<VideoMatchOutcome, StoreError> {
        let mut outcome = VideoMatchOutcome::default();
        // (bank, lookup, percentages, frames matched/total, distance, variant)
        type Hit<'a> = (&'a BankInfo, Lookup, f64, f64, u32, u32, u32, &'static str);
        let mut hits: Vec<Hit<'_>> = Vec::new();
        let md5_hex = query.md5.map(hex::encode);
        let sha_hex = query.sha256.map(hex::encode);
        for bank in &self.banks {
            let info = &bank.info;
            match &bank.index {
                BankIndex::Pdq(index) if info.hash_kind == HashKind::Vpdq => {
                    let codes = query.distinct_codes(info.min_quality);
                    if codes.is_empty() && !query.frames.is_empty() {
                        outcome.skipped_banks.push(SkippedBank {
                            bank: info.name.clone(),
                            reason: format!(
                                "no frame of the video has the bank's minimum quality {}",
                                info.min_quality
                            ),
                        });
                    }
                    // By the video's position in `bank.videos`.
                    let mut tally: HashMap<usize, EntryTally> = HashMap::new();
                    if !codes.is_empty() {
                        for hit in index.query_many(&codes, info.threshold) {
                            let Some(video) = video_of(&bank.videos, hit.id) else {
                                continue;
                            };
                            let t = tally.entry(video).or_insert_with(|| EntryTally {
                                best: u32::MAX,
                                ..EntryTally::default()
                            });
                            t.query_frames.insert(hit.query);
                            t.entry_frames.insert(hit.id);
                            t.best = t.best.min(hit.distance);
                        }
                    }
                    let q_total = codes.len();
                    let mut tallied: Vec<(usize, EntryTally)> = tally.into_iter().collect();
                    tallied.sort_unstable_by_key(|(video, _)| *video);
                    for (video, t) in tallied {
                        let range = &bank.videos[video];
                        let q_pct = tutela_video::matching::percent(t.query_frames.len(), q_total);
                        let c_pct = tutela_video::matching::percent(
                            t.entry_frames.len(),
                            range.code_count as usize,
                        );
                        if q_pct >= f64::from(info.video_match_percent)
                            && c_pct >= f64::from(info.video_compared_percent)
                        {
                            hits.push((
                                info,
                                Lookup::Id(range.entry_id),
                                q_pct,
                                c_pct,
                                t.query_frames.len() as u32,
                                q_total as u32,
                                t.best,
                                "vpdq",
                            ));
                        }
                    }
                    // The same file as a known video.
                    let conn = self.conn.lock().unwrap_or_else(PoisonError::into_inner);
                    for (column, digest) in [("md5", &md5_hex), ("sha256", &sha_hex)] {
                        let Some(digest) = digest else { continue };
                        let sql = format!(
                            "SELECT entry_id FROM video_entries WHERE bank_id = ?1 AND {column} = ?2"
                        );
                        let mut stmt = conn.prepare_cached(&sql)?;
                        let ids = stmt
                            .query_map(params![info.id, digest], |r| r.get::<_, u32>(0))?
                            .collect::<Result<Vec<u32>, _>>()?;
                        for id in ids {
                            hits.retain(|h| {
                                !(h.0.id == info.id && matches!(h.1, Lookup::Id(e) if e == id))
                            });
                            hits.push((info, Lookup::Id(id), 100.0, 100.0, 0, 0, 0, "exact"));
                        }
                    }
                }
                BankIndex::Sha256(set) => {
                    if let Some(d) = query.sha256.filter(|d| set.contains(d)) {
                        hits.push((
                            info,
                            Lookup::Hash(hex::encode(d)),
                            100.0,
                            100.0,
                            0,
                            0,
                            0,
                            "exact",
                        ));
                    }
                }
                BankIndex::Md5(set) => {
                    if let Some(d) = query.md5.filter(|d| set.contains(d)) {
                        hits.push((
                            info,
                            Lookup::Hash(hex::encode(d)),
                            100.0,
                            100.0,
                            0,
                            0,
                            0,
                            "exact",
                        ));
                    }
                }
                BankIndex::Pdq(_) => {}
            }
        }
        if !hits.is_empty() {
            let conn = self.conn.lock().unwrap_or_else(PoisonError::into_inner);
            for (info, lookup, q_pct, c_pct, matched, total, distance, variant) in hits {
                let Some(entry) = lookup_entry(&conn, info.id, &lookup)? else {
                    continue;
                };
                if !entry.enabled {
                    continue;
                }
                outcome.matches.push(VideoMatch {
                    bank: info.name.clone(),
                    bank_kind: info.kind.name(),
                    entry_id: entry.entry_id,
                    hash: entry.hash,
                    variant,
                    query_match_percent: q_pct,
                    compared_match_percent: c_pct,
                    query_frames_matched: matched,
                    query_frames: total,
                    distance,
                    labels: entry.labels,
                    external_id: entry.external_id,
                    note: entry.note,
                    added_at: entry.added_at,
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
            (a.bank_kind != BankKind::Block.name())
                .cmp(&(b.bank_kind != BankKind::Block.name()))
                .then(b.query_match_percent.total_cmp(&a.query_match_percent))
                .then_with(|| (&a.bank, a.entry_id).cmp(&(&b.bank, b.entry_id)))
        });
        Ok(outcome)
    }
}

/// Position of the video whose id range holds index id `id`.
fn video_of(ranges: &[VideoRange], id: u32) -> Option<usize> {
    let i = ranges
        .partition_point(|r| r.first_code <= id)
        .checked_sub(1)?;
    (id - ranges[i].first_code < ranges[i].code_count).then_some(i)
}
