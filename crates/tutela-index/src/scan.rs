//! Linear scan: the test oracle, the search for small segments and the fallback when a query's
//! MIH candidate count would cost more than reading every code.

use crate::{BatchHit, Code, Hit, hamming};

/// Every code of `codes` within `radius` of `query`; `id` is the position in `codes`.
/// This is the brute-force oracle the index is tested against.
pub fn linear_scan(codes: &[Code], query: &Code, radius: u32) -> Vec<Hit> {
    let mut out = Vec::new();
    scan_into(codes, query, radius, 0, &mut out);
    out
}

/// Appends hits with ids `base + position`.
pub(crate) fn scan_into(codes: &[Code], q: &Code, radius: u32, base: u32, out: &mut Vec<Hit>) {
    for (i, c) in codes.iter().enumerate() {
        let d = hamming(c, q);
        if d <= radius {
            out.push(Hit {
                id: base + i as u32,
                distance: d,
            });
        }
    }
}

/// Batched scan: each code is loaded once and compared with up to 8 queries at a time.
/// `qs` pairs a query's index in the caller's batch with the query.
pub(crate) fn scan_batch_into(
    codes: &[Code],
    qs: &[(u32, Code)],
    radius: u32,
    base: u32,
    out: &mut Vec<BatchHit>,
) {
    for chunk in qs.chunks(8) {
        if chunk.len() == 1 {
            let (qi, q) = chunk[0];
            for (i, c) in codes.iter().enumerate() {
                let d = hamming(c, &q);
                if d <= radius {
                    out.push(BatchHit {
                        query: qi,
                        id: base + i as u32,
                        distance: d,
                    });
                }
            }
            continue;
        }
        // Pad to 8 with the last query so the inner loop has a fixed trip count; padded lanes
        // are never reported.
        let mut lanes = [chunk[chunk.len() - 1].1; 8];
        for (l, (_, q)) in lanes.iter_mut().zip(chunk) {
            *l = *q;
        }
        let live = chunk.len();
        for (i, c) in codes.iter().enumerate() {
            let mut d = [0u32; 8];
            for (dj, q) in d.iter_mut().zip(&lanes) {
                *dj = hamming(c, q);
            }
            if d.iter().min().is_some_and(|&m| m <= radius) {
                for (j, &dj) in d.iter().enumerate().take(live) {
                    if dj <= radius {
                        out.push(BatchHit {
                            query: chunk[j].0,
                            id: base + i as u32,
                            distance: dj,
                        });
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batch_scan_matches_single_scans() {
        let mut x = 0x9e3779b97f4a7c15u64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let mut codes: Vec<Code> = (0..500).map(|_| [next(), next(), next(), next()]).collect();
        let qs: Vec<(u32, Code)> = (0..11).map(|i| (i, codes[i as usize * 7])).collect();
        // Near neighbours so every radius has hits.
        for k in 0..100 {
            let mut c = qs[k % 11].1;
            c[k % 4] ^= (1u64 << (k % 64)) | (1u64 << ((k * 7) % 64));
            codes.push(c);
        }
        for r in [0, 3, 31, 128, 256] {
            let mut batch = Vec::new();
            scan_batch_into(&codes, &qs, r, 10, &mut batch);
            let mut want = Vec::new();
            for &(qi, q) in &qs {
                for h in linear_scan(&codes, &q, r) {
                    want.push(BatchHit {
                        query: qi,
                        id: h.id + 10,
                        distance: h.distance,
                    });
                }
            }
            batch.sort_unstable();
            want.sort_unstable();
            assert_eq!(batch, want, "radius {r}");
        }
    }
}
