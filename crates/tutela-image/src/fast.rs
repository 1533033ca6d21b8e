//! Fast mode's size reduction: block means of the luminance plane, as a JPEG decoder scaling in
//! the DCT domain would produce (the DC term of an 8x8 block is its mean).

/// Shortest side kept after shrinking; below it the Jarosz filter would have too little to work on.
const MIN_SHRUNK_SIDE: usize = 500;

/// Block factor for an image: 1, 2, 4 or 8, the largest keeping both sides >= `MIN_SHRUNK_SIDE`.
pub fn shrink_factor(width: usize, height: usize) -> usize {
    let mut factor = 1;
    while factor < 8 && width.min(height) / (factor * 2) >= MIN_SHRUNK_SIDE {
        factor *= 2;
    }
    factor
}

/// Averages `factor x factor` blocks of an 8-bit plane into floats; edge blocks average what
/// they hold. Rows are summed first (vectorises), then each row of sums is reduced by blocks.
pub fn shrink_luma(luma: &[u8], width: usize, height: usize) -> (Vec<f32>, usize, usize) {
    let factor = shrink_factor(width, height);
    if factor == 1 {
        return (luma.iter().map(|&v| f32::from(v)).collect(), width, height);
    }
    let (w, h) = (width.div_ceil(factor), height.div_ceil(factor));
    let mut column_sums = vec![0u16; width]; // at most 8 rows of 255
    let mut out = Vec::with_capacity(w * h);
    for block_rows in luma.chunks(width * factor) {
        column_sums.fill(0);
        for line in block_rows.chunks_exact(width) {
            for (sum, &v) in column_sums.iter_mut().zip(line) {
                *sum += u16::from(v);
            }
        }
        let row_count = block_rows.len() / width;
        match factor {
            2 => reduce_blocks::<2>(&column_sums, row_count, &mut out),
            4 => reduce_blocks::<4>(&column_sums, row_count, &mut out),
            _ => reduce_blocks::<8>(&column_sums, row_count, &mut out),
        }
    }
    (out, w, h)
}

/// Means of `N`-wide groups of column sums over `row_count` rows; a ragged last group averages
/// what it holds. `N` is a constant so that the full groups vectorise.
fn reduce_blocks<const N: usize>(column_sums: &[u16], row_count: usize, out: &mut Vec<f32>) {
    let scale = 1.0 / (N * row_count) as f32;
    let full = column_sums.chunks_exact(N);
    let rest = full.remainder();
    // At most 8 x 8 samples of 255: the sum fits in 16 bits.
    out.extend(full.map(|group| f32::from(group.iter().sum::<u16>()) * scale));
    if !rest.is_empty() {
        let sum: u32 = rest.iter().map(|&v| u32::from(v)).sum();
        out.push(sum as f32 / (rest.len() * row_count) as f32);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn factor_keeps_sides_large_enough() {
        assert_eq!(shrink_factor(300, 300), 1);
        assert_eq!(shrink_factor(2048, 1024), 2);
        assert_eq!(shrink_factor(4000, 3000), 4);
        assert_eq!(shrink_factor(8000, 6000), 8);
    }

    #[test]
    fn block_means_including_ragged_edges() {
        let (w, h) = (1030, 1029); // factor 2, odd edges
        let luma: Vec<u8> = (0..w * h).map(|i| (i % 7) as u8).collect();
        let (out, ow, oh) = shrink_luma(&luma, w, h);
        assert_eq!((ow, oh), (515, 515));
        let mean = |r0: usize, c0: usize| {
            let mut s = 0u32;
            let mut n = 0u32;
            for r in r0..(r0 + 2).min(h) {
                for c in c0..(c0 + 2).min(w) {
                    s += u32::from(luma[r * w + c]);
                    n += 1;
                }
            }
            s as f32 / n as f32
        };
        assert_eq!(out[0], mean(0, 0));
        assert_eq!(out[(oh - 1) * ow + ow - 1], mean(1028, 1028));
    }
}
