//! The index: a main MIH segment, a delta segment for recent adds, a linearly scanned tail and
//! a bitset of disabled ids. Ids are dense and in insertion order: main holds `0..n_main`, the
//! delta the next ids, the tail the newest.

use crate::buf::Buf;
use crate::error::IndexError;
use crate::mih::{self, Mih, Scratch};
use crate::scan::{scan_batch_into, scan_into};
use crate::{BatchHit, Code, Hit};

/// Most entries an index holds (ids are u32).
pub const MAX_ENTRIES: u64 = u32::MAX as u64;

/// How the index plans its layout and queries. Not stored in the file.
#[derive(Clone, Debug)]
pub struct IndexConfig {
    /// Number of MIH blocks; `None` chooses from the segment size (about `log2(n)` bits a block,
    /// within `max_bytes_per_hash`).
    pub tables: Option<u32>,
    /// Segments with fewer codes are scanned, not indexed.
    pub min_mih_len: usize,
    /// Memory budget the layout planner keeps to: code + ids + offsets, bytes per hash.
    pub max_bytes_per_hash: f64,
    /// `Auto`: per query, MIH unless its counted candidates cost more than a scan.
    pub planner: Planner,
    /// Adds collect in a linearly scanned tail; at this length the tail is folded into the
    /// delta segment.
    pub tail_max: usize,
    /// When the delta segment exceeds this fraction of the main segment (and `tail_max`),
    /// adds trigger [`Index::compact`] if `auto_compact` is set.
    pub delta_fraction: f64,
    pub auto_compact: bool,
}

impl IndexConfig {
    /// Block counts allowed in `tables`: blocks of at most `MAX_WIDTH` and at least 4 bits.
    pub const TABLES: std::ops::RangeInclusive<u32> = 256u32.div_ceil(mih::MAX_WIDTH)..=64;

    pub fn validate(&self) -> Result<(), IndexError> {
        if let Some(m) = self.tables
            && !Self::TABLES.contains(&m)
        {
            return Err(IndexError::Config(format!(
                "tables = {m}, allowed {:?}",
                Self::TABLES
            )));
        }
        let positive = |x: f64| x.is_finite() && x > 0.0;
        if !positive(self.delta_fraction) || !positive(self.max_bytes_per_hash) {
            return Err(IndexError::Config(
                "delta_fraction and max_bytes_per_hash must be positive".into(),
            ));
        }
        Ok(())
    }
}

impl Default for IndexConfig {
    fn default() -> Self {
        IndexConfig {
            tables: None,
            min_mih_len: 2048,
            max_bytes_per_hash: 124.0,
            planner: Planner::Auto,
            tail_max: 4096,
            delta_fraction: 0.125,
            auto_compact: true,
        }
    }
}

/// Query strategy. `AlwaysMih` and `AlwaysScan` exist for tests and measurements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Planner {
    Auto,
    AlwaysMih,
    AlwaysScan,
}

/// How a query would run on one segment (see [`Index::explain`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SegmentPlan {
    /// Id of the segment's first entry.
    pub first_id: u32,
    pub len: usize,
    /// MIH blocks of the segment (0: always scanned).
    pub tables: usize,
    /// Bucket probes; 0 when scanned without probing.
    pub probes: u64,
    /// Candidates the probes found (None when not probed).
    pub candidates: Option<u64>,
    /// The segment is scanned linearly.
    pub scan: bool,
}

/// A run of consecutive ids with its own MIH tables (or none: scanned).
pub(crate) struct Segment {
    pub(crate) base: u32,
    pub(crate) codes: Buf<Code>,
    pub(crate) mih: Option<Mih>,
}

impl Segment {
    pub(crate) fn build(base: u32, codes: Vec<Code>, cfg: &IndexConfig) -> Segment {
        let mih = (codes.len() >= cfg.min_mih_len.max(1)).then(|| {
            let widths = match cfg.tables {
                Some(m) => mih::even_widths(m),
                None => mih::choose_widths(codes.len(), cfg.max_bytes_per_hash),
            };
            Mih::build(&codes, &widths)
        });
        Segment {
            base,
            codes: Buf::copied(&codes),
            mih,
        }
    }

    fn empty() -> Segment {
        Segment {
            base: 0,
            codes: Vec::new().into(),
            mih: None,
        }
    }

    fn max_work_ns(&self, cfg: &IndexConfig) -> f64 {
        match cfg.planner {
            Planner::AlwaysMih => f64::INFINITY,
            _ => self.codes.len() as f64 * mih::SCAN_NS,
        }
    }

    /// Runs the MIH part of a query; false when the caller must scan this segment instead.
    fn try_mih(
        &self,
        q: &Code,
        r: u32,
        cfg: &IndexConfig,
        sc: &mut Scratch,
        out: &mut Vec<Hit>,
    ) -> bool {
        match (&self.mih, cfg.planner) {
            (None, _) | (_, Planner::AlwaysScan) => false,
            (Some(m), _) => m.query(&self.codes, q, r, self.base, self.max_work_ns(cfg), sc, out),
        }
    }

    fn explain(&self, q: &Code, r: u32, cfg: &IndexConfig, sc: &mut Scratch) -> SegmentPlan {
        let mut plan = SegmentPlan {
            first_id: self.base,
            len: self.codes.len(),
            tables: self.mih.as_ref().map_or(0, |m| m.tables.len()),
            probes: 0,
            candidates: None,
            scan: true,
        };
        if let (Some(m), false) = (&self.mih, cfg.planner == Planner::AlwaysScan) {
            let max = self.max_work_ns(cfg);
            if let Some(p) = m.probe(self.codes.len(), q, r, max, sc) {
                plan.probes = p.probes;
                plan.candidates = Some(p.candidates);
                plan.scan = p.candidates as f64 * mih::CANDIDATE_NS > max;
            }
        }
        plan
    }

    fn heap_bytes(&self) -> usize {
        self.codes.heap_bytes() + self.mih.as_ref().map_or(0, Mih::heap_bytes)
    }

    fn mapped_bytes(&self) -> usize {
        self.codes.mapped_bytes() + self.mih.as_ref().map_or(0, Mih::mapped_bytes)
    }
}

/// Exact Hamming range search over 256-bit codes with adds, disables and compaction.
pub struct Index {
    pub(crate) config: IndexConfig,
    pub(crate) main: Segment,
    pub(crate) delta: Option<Segment>,
    pub(crate) tail: Vec<Code>,
    /// Bit `id` set: `id` is disabled.
    pub(crate) disabled: Vec<u64>,
    pub(crate) len: u32,
}

impl Default for Index {
    fn default() -> Self {
        Index {
            config: IndexConfig::default(),
            main: Segment::empty(),
            delta: None,
            tail: Vec::new(),
            disabled: Vec::new(),
            len: 0,
        }
    }
}

impl Index {
    /// An empty index.
    pub fn new(config: IndexConfig) -> Result<Index, IndexError> {
        config.validate()?;
        Ok(Index {
            config,
            main: Segment::empty(),
            delta: None,
            tail: Vec::new(),
            disabled: Vec::new(),
            len: 0,
        })
    }

    /// Builds an index over `codes`; entry `i` gets id `i`. Uses the current rayon pool.
    pub fn build(codes: Vec<Code>) -> Result<Index, IndexError> {
        Index::build_with(codes, IndexConfig::default())
    }

    pub fn build_with(codes: Vec<Code>, config: IndexConfig) -> Result<Index, IndexError> {
        config.validate()?;
        if codes.len() as u64 > MAX_ENTRIES {
            return Err(IndexError::Full { max: MAX_ENTRIES });
        }
        let len = codes.len() as u32;
        Ok(Index {
            main: Segment::build(0, codes, &config),
            delta: None,
            tail: Vec::new(),
            disabled: vec![0; (len as usize).div_ceil(64)],
            len,
            config,
        })
    }

    pub fn config(&self) -> &IndexConfig {
        &self.config
    }

    /// Replaces the configuration; the layout changes only at the next compaction.
    pub fn set_config(&mut self, config: IndexConfig) -> Result<(), IndexError> {
        config.validate()?;
        self.config = config;
        Ok(())
    }

    /// Number of entries, disabled ones included (the next id to be assigned).
    pub fn len(&self) -> usize {
        self.len as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Number of entries not disabled.
    pub fn live_len(&self) -> usize {
        let dead: u32 = self.disabled.iter().map(|w| w.count_ones()).sum();
        self.len as usize - dead as usize
    }

    /// Entries in the main segment (the rest wait in the delta and tail for compaction).
    pub fn main_len(&self) -> usize {
        self.main.codes.len()
    }

    /// Number of MIH blocks of the main segment (0: scanned).
    pub fn main_tables(&self) -> usize {
        self.main.mih.as_ref().map_or(0, |m| m.tables.len())
    }

    /// The stored code of `id`.
    pub fn get(&self, id: u32) -> Option<Code> {
        let mut i = id as usize;
        for seg in std::iter::once(&self.main).chain(&self.delta) {
            if let Some(c) = seg.codes.get(i) {
                return Some(*c);
            }
            i -= seg.codes.len();
        }
        self.tail.get(i).copied()
    }

    /// Appends a code; returns its id.
    pub fn add(&mut self, code: Code) -> Result<u32, IndexError> {
        if u64::from(self.len) >= MAX_ENTRIES {
            return Err(IndexError::Full { max: MAX_ENTRIES });
        }
        let id = self.len;
        self.tail.push(code);
        self.len += 1;
        if self.disabled.len() * 64 < self.len as usize {
            self.disabled.push(0);
        }
        if self.tail.len() >= self.config.tail_max.max(1) {
            self.fold_tail();
        }
        Ok(id)
    }

    /// Moves the tail into the delta segment, or compacts everything when the delta has grown
    /// past its share of the main segment.
    fn fold_tail(&mut self) {
        let delta_len = self.delta.as_ref().map_or(0, |d| d.codes.len()) + self.tail.len();
        let limit = (self.main.codes.len() as f64 * self.config.delta_fraction)
            .max(self.config.tail_max as f64);
        if self.config.auto_compact && delta_len as f64 > limit {
            self.compact();
            return;
        }
        let base = self.main.codes.len() as u32;
        let mut codes = match self.delta.take() {
            Some(Segment {
                codes: Buf::Owned(v),
                ..
            }) => v,
            Some(seg) => seg.codes.to_vec(),
            None => Vec::with_capacity(self.tail.len()),
        };
        codes.append(&mut self.tail);
        self.delta = Some(Segment::build(base, codes, &self.config));
    }

    /// Rebuilds the main segment over every entry (main, delta and tail); ids do not change.
    pub fn compact(&mut self) {
        if self.delta.is_none() && self.tail.is_empty() && self.main.mih.is_some() {
            return;
        }
        let mut all = Vec::with_capacity(self.len as usize);
        all.extend_from_slice(&self.main.codes);
        if let Some(d) = &self.delta {
            all.extend_from_slice(&d.codes);
        }
        all.extend_from_slice(&self.tail);
        self.tail = Vec::new();
        self.delta = None;
        self.main = Segment::build(0, all, &self.config);
    }

    fn check_id(&self, id: u32) -> Result<(), IndexError> {
        if id < self.len {
            Ok(())
        } else {
            Err(IndexError::UnknownId(id))
        }
    }

    /// Excludes `id` from results (e.g. a hash withdrawn from a list). Reversible.
    pub fn disable(&mut self, id: u32) -> Result<(), IndexError> {
        self.check_id(id)?;
        self.disabled[id as usize / 64] |= 1 << (id % 64);
        Ok(())
    }

    pub fn enable(&mut self, id: u32) -> Result<(), IndexError> {
        self.check_id(id)?;
        self.disabled[id as usize / 64] &= !(1 << (id % 64));
        Ok(())
    }

    pub fn is_disabled(&self, id: u32) -> bool {
        self.disabled
            .get(id as usize / 64)
            .is_some_and(|w| w & (1 << (id % 64)) != 0)
    }

    fn tail_base(&self) -> u32 {
        self.len - self.tail.len() as u32
    }

    /// Every live entry within `radius` of `code`, sorted by id.
    pub fn query(&self, code: &Code, radius: u32) -> Vec<Hit> {
        let mut out = Vec::new();
        let mut sc = Scratch::default();
        for seg in std::iter::once(&self.main).chain(&self.delta) {
            if !seg.try_mih(code, radius, &self.config, &mut sc, &mut out) {
                scan_into(&seg.codes, code, radius, seg.base, &mut out);
            }
        }
        scan_into(&self.tail, code, radius, self.tail_base(), &mut out);
        out.retain(|h| !self.is_disabled(h.id));
        out.sort_unstable();
        out
    }

    /// Every live entry within `radius` of each of `codes` (e.g. the 8 dihedral variants of an
    /// image), with `query` = index into `codes`; sorted by (query, id). Queries whose MIH work
    /// would exceed a scan share one batched scan of the segment.
    pub fn query_many(&self, codes: &[Code], radius: u32) -> Vec<BatchHit> {
        let mut out = Vec::new();
        let mut hits = Vec::new();
        let mut sc = Scratch::default();
        let mut fallback: Vec<(u32, Code)> = Vec::new();
        for seg in std::iter::once(&self.main).chain(&self.delta) {
            fallback.clear();
            for (qi, q) in codes.iter().enumerate() {
                hits.clear();
                if seg.try_mih(q, radius, &self.config, &mut sc, &mut hits) {
                    out.extend(hits.iter().map(|h| BatchHit {
                        query: qi as u32,
                        id: h.id,
                        distance: h.distance,
                    }));
                } else {
                    fallback.push((qi as u32, *q));
                }
            }
            scan_batch_into(&seg.codes, &fallback, radius, seg.base, &mut out);
        }
        let all: Vec<(u32, Code)> = codes
            .iter()
            .enumerate()
            .map(|(i, c)| (i as u32, *c))
            .collect();
        scan_batch_into(&self.tail, &all, radius, self.tail_base(), &mut out);
        out.retain(|h| !self.is_disabled(h.id));
        out.sort_unstable();
        out
    }

    /// How [`Index::query`] would search for `code`: per segment (main, delta, tail), MIH or
    /// linear scan, with the probe and candidate counts that decided it.
    pub fn explain(&self, code: &Code, radius: u32) -> Vec<SegmentPlan> {
        let mut sc = Scratch::default();
        let mut v: Vec<SegmentPlan> = std::iter::once(&self.main)
            .chain(&self.delta)
            .map(|seg| seg.explain(code, radius, &self.config, &mut sc))
            .collect();
        v.push(SegmentPlan {
            first_id: self.tail_base(),
            len: self.tail.len(),
            tables: 0,
            probes: 0,
            candidates: None,
            scan: true,
        });
        v
    }

    /// Heap bytes owned by the index (capacities of its arrays); mapped file bytes excluded.
    pub fn heap_bytes(&self) -> usize {
        self.main.heap_bytes()
            + self.delta.as_ref().map_or(0, Segment::heap_bytes)
            + self.tail.capacity() * size_of::<Code>()
            + self.disabled.capacity() * 8
    }

    /// Bytes of the index served from a memory-mapped file.
    pub fn mapped_bytes(&self) -> usize {
        self.main.mapped_bytes() + self.delta.as_ref().map_or(0, Segment::mapped_bytes)
    }
}
