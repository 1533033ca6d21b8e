//! Matching two videos as bags of frame hashes, as python-threatexchange does
//! (`match_VPDQ_hash_brute`): frames below the quality floor are dropped, identical hashes
//! de-duplicated; the query's percentage is the share of its distinct frames within the
//! distance of some frame of the other video, and the compared percentage the same the other
//! way. Order and timing are ignored.
//!
//! This is the exact, quadratic definition: the oracle for the index-backed matching of video
//! banks (`tutela-bank`), and fine for comparing two videos.

use std::collections::HashSet;

use tutela_pdq::{DEFAULT_MATCH_DISTANCE, Hash256, MIN_USEFUL_QUALITY};

use crate::FrameHash;

/// The pytx/HMA default: a video matches when at least this share of the query's distinct
/// good frames match.
pub const DEFAULT_MATCH_PERCENT: f64 = 80.0;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MatchOptions {
    /// Largest Hamming distance at which two frames match (pytx: 31, inclusive).
    pub distance: u32,
    /// Frames of lower quality are ignored on both sides (pytx: 50).
    pub min_quality: u8,
}

impl Default for MatchOptions {
    fn default() -> MatchOptions {
        MatchOptions {
            distance: DEFAULT_MATCH_DISTANCE,
            min_quality: MIN_USEFUL_QUALITY,
        }
    }
}

/// How much of each video matched the other, in percent (0 when a side has no good frame).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MatchPercent {
    pub query_pct: f64,
    pub compared_pct: f64,
}

impl MatchPercent {
    /// The pytx decision: `query_pct >= query_threshold && compared_pct >= compared_threshold`.
    pub fn is_match(&self, query_threshold: f64, compared_threshold: f64) -> bool {
        self.query_pct >= query_threshold && self.compared_pct >= compared_threshold
    }
}

/// The distinct hashes of frames of at least `min_quality`, in first-seen order.
pub fn distinct_good_hashes(frames: &[FrameHash], min_quality: u8) -> Vec<Hash256> {
    let mut seen = HashSet::with_capacity(frames.len());
    frames
        .iter()
        .filter(|f| f.quality >= min_quality)
        .filter(|f| seen.insert(f.hash))
        .map(|f| f.hash)
        .collect()
}

/// Percentage of `part` in `whole`, 0 for an empty whole.
pub fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 * 100.0 / whole as f64
    }
}

/// Both match percentages by comparing every pair of distinct good frames.
pub fn match_brute(
    query: &[FrameHash],
    compared: &[FrameHash],
    options: &MatchOptions,
) -> MatchPercent {
    let q = distinct_good_hashes(query, options.min_quality);
    let c = distinct_good_hashes(compared, options.min_quality);
    let near =
        |a: &Hash256, others: &[Hash256]| others.iter().any(|b| a.distance(b) <= options.distance);
    let q_matched = q.iter().filter(|h| near(h, &c)).count();
    let c_matched = c.iter().filter(|h| near(h, &q)).count();
    MatchPercent {
        query_pct: percent(q_matched, q.len()),
        compared_pct: percent(c_matched, c.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(n: u64, quality: u8, hash: Hash256) -> FrameHash {
        FrameHash {
            frame_number: n,
            quality,
            hash,
            seconds: n as f64,
        }
    }

    fn hash_with_bits(bits: &[usize]) -> Hash256 {
        let mut h = Hash256::ZERO;
        for &b in bits {
            h.set_bit(b);
        }
        h
    }

    #[test]
    fn percentages_follow_the_pytx_definition() {
        let a = hash_with_bits(&[]);
        let a_near = hash_with_bits(&(0..31).collect::<Vec<_>>()); // distance 31: matches
        let far = hash_with_bits(&(0..32).map(|i| i * 8).collect::<Vec<_>>()); // 32: no
        let b = hash_with_bits(&(100..200).collect::<Vec<_>>());
        // Query: a (twice: one distinct frame), far, a low-quality b (dropped).
        let query = [
            frame(0, 100, a),
            frame(1, 90, a),
            frame(2, 80, far),
            frame(3, 49, b),
        ];
        let compared = [frame(0, 100, a_near), frame(1, 100, b)];
        let m = match_brute(&query, &compared, &MatchOptions::default());
        assert_eq!(m.query_pct, 50.0); // a matched, far not
        assert_eq!(m.compared_pct, 50.0); // a_near matched, b only by a dropped frame
        assert!(!m.is_match(80.0, 0.0));
        assert!(m.is_match(50.0, 50.0));
        let none = match_brute(&[], &compared, &MatchOptions::default());
        assert_eq!((none.query_pct, none.compared_pct), (0.0, 0.0));
    }
}
