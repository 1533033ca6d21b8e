//! Video entries: a video is one row of `bank_entries` (labels, ids, notes, enabled) plus one
//! row of `video_entries` (its frames, packed, and where its distinct good frames sit in the
//! bank's index: ids `first_code .. first_code + code_count`, consecutive because a video's
//! frames are added together and entries are never removed from an index).

use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};
use tutela_index::code_from_bytes;
use tutela_pdq::Hash256;
use tutela_video::FrameHash;
use tutela_video::matching::distinct_good_hashes;

use super::{
    BankIndex, ImportOptions, ImportSummary, Store, StoreError, check_labels, invalid,
    labels_from_json, labels_json, now,
};
use crate::formats::{ExportEntry, Record, clean_labels, normalize_hash};
use crate::{EntryRef, HashKind};

/// One video to import: its vPDQ frames and what the source says about it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct VideoRecord {
    pub frames: Vec<FrameHash>,
    /// MD5 / SHA-256 of the video file, when known (lowercase hex): a query file with the
    /// same digest matches exactly, whatever its frames.
    pub md5: Option<String>,
    pub sha256: Option<String>,
    pub labels: Vec<String>,
    /// The source's id for the video (e.g. its file name in a hash-sharing program).
    pub external_id: Option<String>,
    pub note: Option<String>,
}

/// Bytes of one packed frame: number (u64), quality (u8), hash (32), seconds (f64).
const PACKED_FRAME: usize = 8 + 1 + 32 + 8;

fn pack(frames: &[FrameHash]) -> Vec<u8> {
    let mut out = Vec::with_capacity(frames.len() * PACKED_FRAME);
    for f in frames {
        out.extend_from_slice(&f.frame_number.to_le_bytes());
        out.push(f.quality);
        out.extend_from_slice(&f.hash.to_bytes());
        out.extend_from_slice(&f.seconds.to_le_bytes());
    }
    out
}

fn unpack(bytes: &[u8]) -> Result<Vec<FrameHash>, StoreError> {
    if !bytes.len().is_multiple_of(PACKED_FRAME) {
        return Err(StoreError::Inconsistent(
            "stored video frames have a partial record".into(),
        ));
    }
    Ok(bytes
        .chunks_exact(PACKED_FRAME)
        .map(|c| FrameHash {
            frame_number: u64::from_le_bytes(c[0..8].try_into().expect("8 bytes")),
            quality: c[8],
            hash: Hash256::from_bytes(c[9..41].try_into().expect("32 bytes")),
            seconds: f64::from_le_bytes(c[41..49].try_into().expect("8 bytes")),
        })
        .collect())
}

impl VideoRecord {
    pub fn new(frames: Vec<FrameHash>) -> VideoRecord {
        VideoRecord {
            frames,
            ..VideoRecord::default()
        }
    }

    /// The entry's identity in its bank: SHA-256 of the frame list (numbers, qualities,
    /// hashes, timestamps), so the same hash file imported twice is one entry.
    pub fn content_id(&self) -> String {
        hex::encode(Sha256::digest(pack(&self.frames)))
    }
}

/// A video entry as exported.
#[derive(Clone, Debug, PartialEq)]
pub struct VideoExport {
    pub entry_id: u32,
    /// The record's `hash` is the content id.
    pub entry: ExportEntry,
    pub frames: Vec<FrameHash>,
    pub md5: Option<String>,
    pub sha256: Option<String>,
    pub enabled: bool,
}

/// Where one video's frames sit in its bank's index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct VideoRange {
    pub first_code: u32,
    pub code_count: u32,
    pub entry_id: u32,
}

/// Every video of a bank by first index id (for mapping index hits to videos).
pub(crate) fn video_ranges(conn: &Connection, bank_id: i64) -> Result<Vec<VideoRange>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT first_code, code_count, entry_id FROM video_entries
         WHERE bank_id = ?1 ORDER BY first_code",
    )?;
    let rows = stmt.query_map([bank_id], |r| {
        Ok(VideoRange {
            first_code: r.get(0)?,
            code_count: r.get(1)?,
            entry_id: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn optional_digest(kind: HashKind, value: &Option<String>) -> Result<Option<String>, StoreError> {
    value
        .as_deref()
        .map(|h| normalize_hash(kind, h).map_err(|r| invalid("video digest", r)))
        .transpose()
}

impl Store {
    /// Imports videos into a video bank: a new video (by content id) becomes an entry and its
    /// distinct frames of at least the bank's minimum quality go into the index; a known one
    /// has its metadata merged (labels added, missing fields and digests filled). All or
    /// nothing, like every change (see the module documentation).
    pub fn import_videos(
        &mut self,
        name: &str,
        videos: &[VideoRecord],
        options: &ImportOptions,
    ) -> Result<ImportSummary, StoreError> {
        let extra = check_labels(&options.extra_labels)?;
        let bank = self.bank(name)?;
        if bank.hash_kind != HashKind::Vpdq {
            return Err(invalid(
                "import",
                format!("bank {name} holds {} hashes, not videos", bank.hash_kind),
            ));
        }
        // Checked before anything changes.
        let mut prepared = Vec::with_capacity(videos.len());
        for v in videos {
            if v.frames.is_empty() {
                return Err(invalid("video", "a video needs at least one frame hash"));
            }
            let md5 = optional_digest(HashKind::Md5, &v.md5)?;
            let sha256 = optional_digest(HashKind::Sha256, &v.sha256)?;
            let labels = check_labels(&v.labels)?;
            prepared.push((v, v.content_id(), md5, sha256, labels));
        }
        self.change_bank(name, |tx, bank, index| {
            let BankIndex::Pdq(index) = index else {
                return Err(StoreError::Inconsistent("a video bank without a PDQ index".into()));
            };
            let mut summary = ImportSummary::default();
            let added_at = now();
            let mut next_id = bank.entries_total;
            for (video, content_id, md5, sha256, labels) in prepared {
                let mut labels = labels;
                labels.extend(extra.iter().cloned());
                let labels = clean_labels(&labels);
                let known: Option<(u32, String, Option<String>, Option<String>)> = tx
                    .prepare_cached(
                        "SELECT entry_id, labels, external_id, note FROM bank_entries
                         WHERE bank_id = ?1 AND hash = ?2",
                    )?
                    .query_row(params![bank.id, content_id], |r| {
                        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                    })
                    .optional()?;
                if let Some((entry_id, old_labels, external_id, note)) = known {
                    let old_labels = labels_from_json(&old_labels);
                    let merged = clean_labels(old_labels.iter().chain(&labels));
                    let new_external = video.external_id.clone().or(external_id.clone());
                    let new_note = video.note.clone().or(note.clone());
                    let mut changed = merged != old_labels
                        || new_external != external_id
                        || new_note != note;
                    tx.execute(
                        "UPDATE bank_entries SET labels = ?3, external_id = ?4, note = ?5
                         WHERE bank_id = ?1 AND entry_id = ?2",
                        params![bank.id, entry_id, labels_json(&merged), new_external, new_note],
                    )?;
                    changed |= tx.execute(
                        "UPDATE video_entries SET md5 = coalesce(md5, ?3), sha256 = coalesce(sha256, ?4)
                         WHERE bank_id = ?1 AND entry_id = ?2
                           AND ((md5 IS NULL AND ?3 IS NOT NULL) OR (sha256 IS NULL AND ?4 IS NOT NULL))",
                        params![bank.id, entry_id, md5, sha256],
                    )? > 0;
                    if changed {
                        summary.updated += 1;
                    } else {
                        summary.unchanged += 1;
                    }
                    continue;
                }
                let entry_id = u32::try_from(next_id)
                    .map_err(|_| invalid("import", "the bank is full (4294967295 entries)"))?;
                let codes = distinct_good_hashes(&video.frames, bank.min_quality);
                if codes.is_empty() {
                    summary.below_min_quality += 1;
                }
                let first_code = u32::try_from(index.len())
                    .map_err(|_| invalid("import", "the bank's index is full"))?;
                for (k, h) in codes.iter().enumerate() {
                    let got = index.add(code_from_bytes(&h.to_bytes()))?;
                    if u64::from(got) != u64::from(first_code) + k as u64 {
                        return Err(StoreError::Inconsistent(format!(
                            "index assigned id {got} to a frame of a video starting at {first_code}"
                        )));
                    }
                }
                tx.prepare_cached(
                    "INSERT INTO bank_entries (bank_id, entry_id, hash, quality, labels, external_id,
                                               note, added_at, enabled)
                     VALUES (?1, ?2, ?3, NULL, ?4, ?5, ?6, ?7, 1)",
                )?
                .execute(params![
                    bank.id,
                    entry_id,
                    content_id,
                    labels_json(&labels),
                    video.external_id,
                    video.note,
                    added_at
                ])?;
                tx.prepare_cached(
                    "INSERT INTO video_entries (bank_id, entry_id, first_code, code_count,
                                                frame_count, md5, sha256, frames)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )?
                .execute(params![
                    bank.id,
                    entry_id,
                    first_code,
                    codes.len() as i64,
                    video.frames.len() as i64,
                    md5,
                    sha256,
                    pack(&video.frames)
                ])?;
                next_id += 1;
                summary.added += 1;
            }
            tx.execute(
                "UPDATE banks SET next_entry_id = ?2 WHERE id = ?1",
                params![bank.id, next_id as i64],
            )?;
            summary.entries_total = next_id;
            Ok(summary)
        })
    }

    /// A video bank's videos in entry order, with their frames (for a vPDQ export).
    pub fn export_videos(
        &self,
        name: &str,
        entry: Option<&EntryRef>,
        include_disabled: bool,
    ) -> Result<Vec<VideoExport>, StoreError> {
        let bank = self.bank(name)?;
        if bank.hash_kind != HashKind::Vpdq {
            return Err(invalid(
                "export",
                format!("bank {name} is not a video bank"),
            ));
        }
        let only = match entry {
            Some(e) => Some(self.find_entry(&bank, e)?.0),
            None => None,
        };
        let mut stmt = self.conn.prepare(
            "SELECT e.entry_id, e.hash, e.labels, e.external_id, e.note, e.added_at, e.enabled,
                    v.md5, v.sha256, v.frames
             FROM bank_entries e JOIN video_entries v
               ON v.bank_id = e.bank_id AND v.entry_id = e.entry_id
             WHERE e.bank_id = ?1 AND (e.enabled OR ?2 OR ?3 IS NOT NULL)
               AND (?3 IS NULL OR e.entry_id = ?3)
             ORDER BY e.entry_id",
        )?;
        let rows = stmt.query_map(params![bank.id, include_disabled, only], |r| {
            Ok((
                r.get::<_, u32>(0)?,
                ExportEntry {
                    record: Record {
                        hash: r.get(1)?,
                        quality: None,
                        labels: labels_from_json(&r.get::<_, String>(2)?),
                        external_id: r.get(3)?,
                        note: r.get(4)?,
                    },
                    added_at: r.get(5)?,
                },
                r.get::<_, bool>(6)?,
                r.get::<_, Option<String>>(7)?,
                r.get::<_, Option<String>>(8)?,
                r.get::<_, Vec<u8>>(9)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (entry_id, entry, enabled, md5, sha256, frames) = row?;
            out.push(VideoExport {
                entry_id,
                entry,
                frames: unpack(&frames)?,
                md5,
                sha256,
                enabled,
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packing_round_trips_including_unknown_timestamps() {
        let mut h = Hash256::ZERO;
        h.set_bit(3);
        h.set_bit(255);
        let frames = vec![
            FrameHash {
                frame_number: 7,
                quality: 99,
                hash: h,
                seconds: 0.233,
            },
            FrameHash {
                frame_number: u64::MAX,
                quality: 0,
                hash: Hash256::ZERO,
                seconds: f64::NAN,
            },
        ];
        let back = unpack(&pack(&frames)).unwrap();
        assert_eq!(back[0], frames[0]);
        assert_eq!(back[1].frame_number, u64::MAX);
        assert!(back[1].seconds.is_nan());
        assert!(unpack(&[0u8; 10]).is_err());
        let a = VideoRecord::new(frames.clone());
        let mut b = VideoRecord::new(frames);
        b.labels = vec!["x".into()];
        assert_eq!(a.content_id(), b.content_id());
        b.frames[0].quality = 98;
        assert_ne!(a.content_id(), b.content_id());
    }
}
