//! Moving eight image rows into and out of the `[f32; 8]` lane layout of the row passes.
//! The data only moves (no arithmetic), so the SIMD and scalar paths give identical results.

use crate::jarosz::{LANES, Lanes};

/// `block[j][k] = rows[k * cols + j]` for the `used` rows given; lanes past them are zeroed.
pub fn rows_to_lanes(rows: &[f32], used: usize, cols: usize, block: &mut [Lanes]) {
    debug_assert!(rows.len() >= used * cols && block.len() >= cols && used <= LANES);
    #[cfg(target_arch = "x86_64")]
    if used == LANES {
        // SAFETY: eight full rows of `cols` floats and `cols` lanes, checked just above.
        let done = unsafe { sse::rows_to_lanes(rows, cols, block) };
        scalar_rows_to_lanes(rows, used, cols, block, done);
        return;
    }
    scalar_rows_to_lanes(rows, used, cols, block, 0);
}

/// `out[k * cols + j] = block[j][k]` for the first `used` lanes.
pub fn lanes_to_rows(block: &[Lanes], used: usize, cols: usize, out: &mut [f32]) {
    debug_assert!(out.len() >= used * cols && block.len() >= cols && used <= LANES);
    #[cfg(target_arch = "x86_64")]
    if used == LANES {
        // SAFETY: as above, with `out` holding eight rows.
        let done = unsafe { sse::lanes_to_rows(block, cols, out) };
        scalar_lanes_to_rows(block, used, cols, out, done);
        return;
    }
    scalar_lanes_to_rows(block, used, cols, out, 0);
}

fn scalar_rows_to_lanes(rows: &[f32], used: usize, cols: usize, block: &mut [Lanes], from: usize) {
    for (j, lanes) in block[..cols].iter_mut().enumerate().skip(from) {
        for (k, lane) in lanes.iter_mut().enumerate() {
            *lane = if k < used { rows[k * cols + j] } else { 0.0 };
        }
    }
}

fn scalar_lanes_to_rows(block: &[Lanes], used: usize, cols: usize, out: &mut [f32], from: usize) {
    for k in 0..used {
        for j in from..cols {
            out[k * cols + j] = block[j][k];
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod sse {
    use super::{LANES, Lanes};
    use std::arch::x86_64::*;

    /// 4x4 transpose of four SSE registers.
    #[inline(always)]
    unsafe fn transpose4(a: [__m128; 4]) -> [__m128; 4] {
        unsafe {
            let t0 = _mm_unpacklo_ps(a[0], a[1]);
            let t1 = _mm_unpacklo_ps(a[2], a[3]);
            let t2 = _mm_unpackhi_ps(a[0], a[1]);
            let t3 = _mm_unpackhi_ps(a[2], a[3]);
            [
                _mm_movelh_ps(t0, t1),
                _mm_movehl_ps(t1, t0),
                _mm_movelh_ps(t2, t3),
                _mm_movehl_ps(t3, t2),
            ]
        }
    }

    /// Transposes columns in steps of four; returns how many columns it handled.
    ///
    /// # Safety
    /// `rows` holds at least `8 * cols` floats and `block` at least `cols` lanes.
    pub unsafe fn rows_to_lanes(rows: &[f32], cols: usize, block: &mut [Lanes]) -> usize {
        assert!(rows.len() >= LANES * cols && block.len() >= cols);
        let done = cols / 4 * 4;
        let src = rows.as_ptr();
        let dst = block.as_mut_ptr() as *mut f32;
        for j in (0..done).step_by(4) {
            for half in 0..2 {
                unsafe {
                    let load = |k: usize| _mm_loadu_ps(src.add((half * 4 + k) * cols + j));
                    let t = transpose4([load(0), load(1), load(2), load(3)]);
                    for (c, v) in t.into_iter().enumerate() {
                        _mm_storeu_ps(dst.add((j + c) * LANES + half * 4), v);
                    }
                }
            }
        }
        done
    }

    /// The inverse of [`rows_to_lanes`].
    ///
    /// # Safety
    /// `out` holds at least `8 * cols` floats and `block` at least `cols` lanes.
    pub unsafe fn lanes_to_rows(block: &[Lanes], cols: usize, out: &mut [f32]) -> usize {
        assert!(out.len() >= LANES * cols && block.len() >= cols);
        let done = cols / 4 * 4;
        let src = block.as_ptr() as *const f32;
        let dst = out.as_mut_ptr();
        for j in (0..done).step_by(4) {
            for half in 0..2 {
                unsafe {
                    let load = |c: usize| _mm_loadu_ps(src.add((j + c) * LANES + half * 4));
                    let t = transpose4([load(0), load(1), load(2), load(3)]);
                    for (k, v) in t.into_iter().enumerate() {
                        _mm_storeu_ps(dst.add((half * 4 + k) * cols + j), v);
                    }
                }
            }
        }
        done
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_matches_the_plain_definition() {
        for cols in [1usize, 3, 4, 5, 8, 13, 64] {
            for used in [1usize, 5, 8] {
                let rows: Vec<f32> = (0..used * cols).map(|i| i as f32 * 0.5 - 3.0).collect();
                let mut block = vec![[9.0f32; LANES]; cols];
                rows_to_lanes(&rows, used, cols, &mut block);
                for j in 0..cols {
                    for k in 0..LANES {
                        let want = if k < used { rows[k * cols + j] } else { 0.0 };
                        assert_eq!(block[j][k], want, "cols {cols} used {used}");
                    }
                }
                let mut back = vec![0.0f32; used * cols];
                lanes_to_rows(&block, used, cols, &mut back);
                assert_eq!(back, rows);
            }
        }
    }
}
