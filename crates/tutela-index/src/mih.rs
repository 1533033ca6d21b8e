//! Multi-index hashing (Norouzi, Punjani, Fleet 2012) over 256-bit codes.
//!
//! The code is cut into `m` disjoint blocks of `w_j` bits (widths sum to 256). Pigeonhole,
//! generalised: if `d(q, c) <= r` with `r = t*m + a` (`0 <= a < m`), then some block is within
//! `t` bits in one of `a + 1` chosen tables, or within `t - 1` bits in one of the others. So
//! probing every key within `t_j` of the query's block in table `j` finds every match. Each table
//! is a CSR array: `offsets[key]..offsets[key + 1]` indexes `ids`, the positions of the codes
//! whose block equals `key`. Candidates are verified against the full code; a match is reported
//! only by the first table whose condition it meets, so no visited set is needed.

use rayon::prelude::*;

use crate::buf::Buf;
use crate::{Code, Hit};

/// Widest block: the offsets array of a table holds `2^w + 1` u32.
pub(crate) const MAX_WIDTH: u32 = 26;
/// Narrowest block worth a table.
pub(crate) const MIN_WIDTH: u32 = 8;

// Cost model, nanoseconds, measured with examples/index_bench on the 2-core development VM
// (10M uniform codes, 11 tables: about 190 us a query for 2843 probes and 3000 candidates;
// linear scan of 1M codes 4.8 ms a query). One probe: a random offsets read plus, for the
// non-empty buckets, a random read of the ids. One candidate: a random code read + popcount.
// One scanned code: sequential, memory-bound. Only the ratios matter.
pub(crate) const PROBE_NS: f64 = 30.0;
pub(crate) const CANDIDATE_NS: f64 = 25.0;
pub(crate) const SCAN_NS: f64 = 5.0;

pub(crate) struct Table {
    pub(crate) start: u32,
    pub(crate) width: u32,
    /// `2^width + 1` bucket boundaries into `ids`.
    pub(crate) offsets: Buf<u32>,
    /// Positions of the segment's codes, grouped by block value, ascending within a bucket.
    pub(crate) ids: Buf<u32>,
}

pub(crate) struct Mih {
    pub(crate) tables: Vec<Table>,
}

/// Where a block sits: limb, bit offset from that limb's most significant bit, width, and the
/// block as a 256-bit mask.
#[derive(Clone, Copy)]
struct Geom {
    limb: usize,
    off: u32,
    width: u32,
    mask: Code,
}

impl Geom {
    fn new(start: u32, width: u32) -> Geom {
        let mut mask = [0u64; 4];
        for p in start..start + width {
            mask[(p / 64) as usize] |= 1u64 << (63 - p % 64);
        }
        Geom {
            limb: (start / 64) as usize,
            off: start % 64,
            width,
            mask,
        }
    }

    /// The block's bits as an integer, most significant first.
    #[inline(always)]
    fn key(&self, c: &Code) -> u32 {
        let hi = u128::from(c[self.limb]);
        let lo = u128::from(if self.limb < 3 { c[self.limb + 1] } else { 0 });
        ((((hi << 64) | lo) << self.off) >> (128 - self.width)) as u32
    }

    #[inline(always)]
    fn distance(&self, x: &Code) -> u32 {
        (x[0] & self.mask[0]).count_ones()
            + (x[1] & self.mask[1]).count_ones()
            + (x[2] & self.mask[2]).count_ones()
            + (x[3] & self.mask[3]).count_ones()
    }
}

/// Even split of 256 bits into `m` blocks; the wider blocks come first.
pub(crate) fn even_widths(m: u32) -> Vec<u32> {
    let (q, rem) = (256 / m, 256 % m);
    (0..m).map(|j| q + u32::from(j < rem)).collect()
}

/// Number of keys within distance `t` of a `w`-bit key (0 when `t < 0`).
pub(crate) fn ball(w: u32, t: i32) -> f64 {
    let mut sum = 0.0;
    let mut c = 1.0;
    for d in 0..=t.min(w as i32) {
        if d > 0 {
            c = c * f64::from(w - d as u32 + 1) / f64::from(d as u32);
        }
        sum += c;
    }
    sum
}

fn table_cost(w: u32, t: i32, n: f64) -> f64 {
    let probes = ball(w, t);
    probes * PROBE_NS + probes * n / 2f64.powi(w as i32) * CANDIDATE_NS
}

/// Per-table probe radius for query radius `r` (-1: table not probed). `a + 1` tables get `t`,
/// the rest `t - 1`; the `a + 1` are those where the extra radius costs least.
pub(crate) fn radius_plan(widths: &[u32], n: usize, r: u32) -> Vec<i32> {
    let m = widths.len() as u32;
    let (t, a) = ((r / m) as i32, r % m);
    let n = n as f64;
    let mut order: Vec<usize> = (0..widths.len()).collect();
    let extra = |j: usize| table_cost(widths[j], t, n) - table_cost(widths[j], t - 1, n);
    order.sort_by(|&x, &y| extra(x).total_cmp(&extra(y)).then(x.cmp(&y)));
    let mut plan = vec![t - 1; widths.len()];
    for &j in order.iter().take(a as usize + 1) {
        plan[j] = t;
    }
    plan
}

/// Expected nanoseconds of an MIH query at radius `r` over `n` uniform codes.
pub(crate) fn expected_cost(widths: &[u32], n: usize, r: u32) -> f64 {
    let plan = radius_plan(widths, n, r);
    widths
        .iter()
        .zip(&plan)
        .map(|(&w, &t)| table_cost(w, t, n as f64))
        .sum()
}

/// Bytes of the tables: ids plus offsets.
pub(crate) fn table_bytes(widths: &[u32], n: usize) -> f64 {
    widths
        .iter()
        .map(|&w| 4.0 * (n as f64 + 2f64.powi(w as i32) + 1.0))
        .sum()
}

/// Chooses the number of blocks for `n` codes: least expected cost at radius 31 among the
/// layouts whose tables fit `max_bytes_per_hash` (with the 32-byte code) or 16 MiB, whichever
/// is larger; small sets would otherwise be held to an impossible per-hash budget.
pub(crate) fn choose_widths(n: usize, max_bytes_per_hash: f64) -> Vec<u32> {
    let budget = ((max_bytes_per_hash - 32.0) * n as f64).max(16.0 * 1024.0 * 1024.0);
    let mut best: Option<(f64, Vec<u32>)> = None;
    let mut smallest: Option<(f64, Vec<u32>)> = None;
    for m in 256u32.div_ceil(MAX_WIDTH)..=256 / MIN_WIDTH {
        let widths = even_widths(m);
        let bytes = table_bytes(&widths, n);
        if smallest.as_ref().is_none_or(|(b, _)| bytes < *b) {
            smallest = Some((bytes, widths.clone()));
        }
        if bytes > budget {
            continue;
        }
        let cost = expected_cost(&widths, n, 31);
        if best.as_ref().is_none_or(|(c, _)| cost < *c) {
            best = Some((cost, widths));
        }
    }
    best.or(smallest)
        .map(|(_, w)| w)
        .unwrap_or_else(|| even_widths(16))
}

impl Mih {
    /// Builds one CSR table per block, tables in parallel on the current rayon pool.
    pub(crate) fn build(codes: &[Code], widths: &[u32]) -> Mih {
        let starts: Vec<u32> = widths
            .iter()
            .scan(0, |s, &w| {
                let start = *s;
                *s += w;
                Some(start)
            })
            .collect();
        let tables = starts
            .par_iter()
            .zip(widths.par_iter())
            .map_init(
                || (Vec::new(), Vec::new()),
                |(a, b), (&start, &width)| build_table(codes, start, width, a, b),
            )
            .collect();
        Mih { tables }
    }

    pub(crate) fn widths(&self) -> Vec<u32> {
        self.tables.iter().map(|t| t.width).collect()
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.tables
            .iter()
            .map(|t| t.offsets.heap_bytes() + t.ids.heap_bytes())
            .sum()
    }

    pub(crate) fn mapped_bytes(&self) -> usize {
        self.tables
            .iter()
            .map(|t| t.offsets.mapped_bytes() + t.ids.mapped_bytes())
            .sum()
    }

    /// Stage 1 of a query: the bucket bounds of every probe, into `sc`. `None` when the probe
    /// count alone costs more than `max_work_ns`. Each bound is written unconditionally and
    /// kept (cursor advanced) only if the bucket is non-empty: no unpredictable branch.
    pub(crate) fn probe(
        &self,
        n: usize,
        q: &Code,
        r: u32,
        max_work_ns: f64,
        sc: &mut Scratch,
    ) -> Option<Probe> {
        let widths = self.widths();
        sc.plan = radius_plan(&widths, n, r);
        let probes: f64 = widths.iter().zip(&sc.plan).map(|(&w, &t)| ball(w, t)).sum();
        if probes * PROBE_NS > max_work_ns {
            return None;
        }
        sc.geoms.clear();
        sc.geoms
            .extend(self.tables.iter().map(|t| Geom::new(t.start, t.width)));
        let total = probes as usize;
        sc.ranges.clear();
        sc.ranges.resize(total + 1, (0, 0));
        sc.range_ends.clear();
        let mut n_ranges = 0usize;
        let mut candidates = 0u64;
        for (j, (table, &t)) in self.tables.iter().zip(&sc.plan).enumerate() {
            if t >= 0 {
                let offsets: &[u32] = &table.offsets;
                let qk = sc.geoms[j].key(q);
                let ranges = &mut sc.ranges[..];
                for_each_mask(table.width, t as u32, |mask| {
                    let k = (qk ^ mask) as usize;
                    let s = offsets.get(k).copied().unwrap_or(0);
                    let e = offsets.get(k + 1).copied().unwrap_or(0);
                    let len = e.saturating_sub(s);
                    if let Some(slot) = ranges.get_mut(n_ranges) {
                        *slot = (s, e);
                    }
                    n_ranges += usize::from(len > 0);
                    candidates += u64::from(len);
                });
            }
            sc.range_ends.push(n_ranges.min(total));
        }
        Some(Probe {
            probes: total as u64,
            candidates,
        })
    }

    /// Appends every code of `codes` within `r` of `q` (ids `base + position`), unless the
    /// probe count or the counted candidates show a linear scan to be cheaper than
    /// `max_work_ns`; then returns false and appends nothing.
    ///
    /// Three stages over flat arrays, each a loop of independent loads with no
    /// data-dependent branches, so the out-of-order core keeps many cache misses in flight
    /// (a loop with a branch per bucket measured about 2x slower at 10M codes).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn query(
        &self,
        codes: &[Code],
        q: &Code,
        r: u32,
        base: u32,
        max_work_ns: f64,
        sc: &mut Scratch,
        out: &mut Vec<Hit>,
    ) -> bool {
        let Some(probe) = self.probe(codes.len(), q, r, max_work_ns, sc) else {
            return false;
        };
        if probe.candidates as f64 * CANDIDATE_NS > max_work_ns {
            return false;
        }

        // Stage 2: gather candidate positions. Buckets hold about one id, so copy a fixed
        // window of SPAN ids and advance by the bucket length; longer buckets take a copy of
        // their own.
        const SPAN: usize = 4;
        let candidates = probe.candidates as usize;
        sc.cand.clear();
        sc.cand.resize(candidates + SPAN, 0);
        sc.cand_ends.clear();
        let mut p = 0usize;
        let mut from = 0usize;
        for (table, &to) in self.tables.iter().zip(&sc.range_ends) {
            let ids: &[u32] = &table.ids;
            for &(s, e) in &sc.ranges[from..to] {
                let (s, len) = (s as usize, e.saturating_sub(s) as usize);
                if len <= SPAN
                    && let Some(window) = ids.get(s..s + SPAN)
                {
                    sc.cand[p..p + SPAN].copy_from_slice(window);
                    p += len;
                } else if let Some(bucket) = ids.get(s..s + len) {
                    sc.cand[p..p + len].copy_from_slice(bucket);
                    p += len;
                }
            }
            sc.cand_ends.push(p);
            from = to;
        }

        // Stage 3: verify. A match found through table j is reported only if no earlier
        // probed table would also have found it, so no visited set or sort is needed.
        let mut from = 0usize;
        for (j, &to) in sc.cand_ends.iter().enumerate() {
            for &id in &sc.cand[from..to] {
                let Some(c) = codes.get(id as usize) else {
                    continue;
                };
                let x = [c[0] ^ q[0], c[1] ^ q[1], c[2] ^ q[2], c[3] ^ q[3]];
                let d = x.iter().map(|l| l.count_ones()).sum::<u32>();
                if d <= r && first_table(&sc.geoms, &sc.plan, &x) == j {
                    out.push(Hit {
                        id: base + id,
                        distance: d,
                    });
                }
            }
            from = to;
        }
        true
    }
}

/// Work counted by stage 1.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Probe {
    pub(crate) probes: u64,
    pub(crate) candidates: u64,
}

/// Reusable per-query buffers.
#[derive(Default)]
pub(crate) struct Scratch {
    plan: Vec<i32>,
    geoms: Vec<Geom>,
    ranges: Vec<(u32, u32)>,
    range_ends: Vec<usize>,
    cand: Vec<u32>,
    cand_ends: Vec<usize>,
}

/// The first probed table whose block condition `x` (query xor code) meets.
#[inline]
fn first_table(geoms: &[Geom], plan: &[i32], x: &Code) -> usize {
    geoms
        .iter()
        .zip(plan)
        .position(|(g, &t)| t >= 0 && g.distance(x) as i32 <= t)
        .unwrap_or(usize::MAX)
}

/// Calls `f` with every `w`-bit mask of at most `t` set bits.
#[inline]
pub(crate) fn for_each_mask(w: u32, t: u32, mut f: impl FnMut(u32)) {
    f(0);
    let limit = 1u64 << w;
    for d in 1..=t.min(w) {
        let mut x: u64 = (1u64 << d) - 1;
        while x < limit {
            f(x as u32);
            // Next integer with the same popcount (Gosper's hack, division-free form).
            let s = x | (x - 1);
            x = (s + 1) | (((!s & (s + 1)) - 1) >> (x.trailing_zeros() + 1));
        }
    }
}

/// Builds one table. `a` and `b` are scratch buffers reused across tables: fresh memory costs
/// a page fault per 4 KiB, which dominated the build before reuse.
fn build_table(
    codes: &[Code],
    start: u32,
    width: u32,
    a: &mut Vec<u64>,
    b: &mut Vec<u64>,
) -> Table {
    let g = Geom::new(start, width);
    let n = codes.len();
    let nb = 1usize << width;
    let mut offsets_buf = Buf::<u32>::zeroed(nb + 1);
    let mut ids_buf = Buf::<u32>::zeroed(n);
    let offsets = offsets_buf.as_mut_slice();
    let ids = ids_buf.as_mut_slice();

    // A counting sort straight into 2^width buckets makes two random DRAM accesses per code
    // (measured 0.85 s per table at 10M). Instead: one stable scatter of (key, position) over
    // DRAM by the top 8 key bits, then a counting sort of each part by the remaining bits,
    // whose counters and output (n / 256 entries) stay in cache.
    a.clear();
    a.extend(
        codes
            .iter()
            .enumerate()
            .map(|(i, c)| (u64::from(g.key(c)) << 32) | i as u64),
    );
    b.clear();
    b.resize(n, 0);
    let lo = width - width.min(8);
    let mut parts = [0usize; 257];
    for &x in a.iter() {
        parts[(x >> (32 + lo)) as usize + 1] += 1;
    }
    for p in 0..256 {
        parts[p + 1] += parts[p];
    }
    let mut cursor = parts;
    for &x in a.iter() {
        let slot = &mut cursor[(x >> (32 + lo)) as usize];
        b[*slot] = x;
        *slot += 1;
    }

    let lo_mask = (1usize << lo) - 1;
    let mut fill = vec![0u32; 1 << lo];
    for p in 0..(nb >> lo) {
        let (s, e) = (parts[p], parts[p + 1]);
        let part = &b[s..e];
        let off = &mut offsets[p << lo..(p + 1) << lo];
        for &x in part {
            off[(x >> 32) as usize & lo_mask] += 1;
        }
        // Exclusive prefix sum from the part's start: the bucket starts.
        let mut sum = s as u32;
        for (o, f) in off.iter_mut().zip(fill.iter_mut()) {
            (*o, sum) = (sum, sum + *o);
            *f = *o;
        }
        // Stable: `part` is in position order, so each bucket's ids ascend.
        for &x in part {
            let f = &mut fill[(x >> 32) as usize & lo_mask];
            ids[*f as usize] = x as u32;
            *f += 1;
        }
    }
    offsets[nb] = n as u32;
    Table {
        start,
        width,
        offsets: offsets_buf,
        ids: ids_buf,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_enumerate_the_ball() {
        for w in [1u32, 5, 8, 16] {
            for t in 0..4u32 {
                let mut seen = Vec::new();
                for_each_mask(w, t, |m| seen.push(m));
                let want: Vec<u32> = (0..1u32 << w).filter(|m| m.count_ones() <= t).collect();
                seen.sort_unstable();
                assert_eq!(seen, want, "w={w} t={t}");
                assert_eq!(seen.len() as f64, ball(w, t as i32));
            }
        }
        let mut n = 0;
        for_each_mask(26, 2, |_| n += 1);
        assert_eq!(n, 1 + 26 + 325);
    }

    #[test]
    fn keys_cross_limbs() {
        let code: Code = [0x0123_4567_89ab_cdef, 0xfedc_ba98_7654_3210, 0, u64::MAX];
        assert_eq!(Geom::new(0, 16).key(&code), 0x0123);
        assert_eq!(Geom::new(56, 16).key(&code), 0xeffe);
        assert_eq!(Geom::new(240, 16).key(&code), 0xffff);
        assert_eq!(
            Geom::new(60, 8).distance(&code),
            (0xfu64.count_ones() + 0xf0u64.count_ones())
        );
    }

    #[test]
    fn radius_plan_is_a_valid_pigeonhole() {
        for m in [10u32, 11, 12, 16, 21] {
            let widths = even_widths(m);
            assert_eq!(widths.iter().sum::<u32>(), 256);
            for r in 0..=80 {
                let plan = radius_plan(&widths, 1_000_000, r);
                // Any distance split over the blocks with every block above its probe radius
                // sums to more than r.
                let min_total: i32 = plan.iter().map(|t| t + 1).sum();
                assert!(min_total > r as i32, "m={m} r={r}");
            }
        }
    }
}
