//! The Jarosz (tent) filter and decimation to 64x64, computed in exactly the reference's float
//! operation order, so that the result is bit-identical, but laid out for the cache:
//!
//! * the reference runs four full-image passes (box along rows, box along columns, twice) and then
//!   samples 64x64 points. Only the running sums have to visit every pixel; the divisions and
//!   stores of the last two passes matter only at sampled columns and rows, so pass 3 writes a
//!   `rows x 64` strip and pass 4 a `64 x 64` block;
//! * a box along columns walks each column with a stride of a whole row in the reference. Here it
//!   keeps one running sum per column and walks the rows in order, which gives every column the
//!   same sequence of float additions while reading memory linearly (and vectorises).

use crate::transpose;

/// Side of the decimated square the DCT works on.
pub const SIDE: usize = 64;

/// Box window for one axis: `ceil(size / 128)`.
pub fn window_size(size: usize) -> usize {
    size.div_ceil(2 * SIDE)
}

/// The sampled index along one axis: `floor((i + 0.5) * size / 64)`, in double precision.
pub fn sample_indices(size: usize) -> [usize; SIDE] {
    std::array::from_fn(|i| (((i as f64 + 0.5) * size as f64) / SIDE as f64) as usize)
}

/// Phase lengths of a 1-D box of window `w` over `len` samples: warm-up without output, growing
/// window, full window, shrinking window. The outputs total `len`.
#[derive(Clone, Copy)]
struct Phases {
    warm: usize,
    grow: usize,
    full: usize,
    shrink: usize,
}

impl Phases {
    fn new(len: usize, w: usize) -> Phases {
        let half = (w + 2) / 2;
        Phases {
            warm: half - 1,
            grow: w - half + 1,
            full: len - w,
            shrink: half - 1,
        }
    }
}

/// Rows boxed together. A single row is one long chain of dependent float additions; eight
/// rows transposed into `[f32; 8]` columns give eight independent chains that vectorise.
pub const LANES: usize = 8;
pub type Lanes = [f32; LANES];

/// Reusable buffers for the row passes.
#[derive(Default)]
pub struct RowScratch {
    rows: Vec<f32>,
    block_in: Vec<Lanes>,
    block_out: Vec<Lanes>,
}

/// Where the row passes read their rows from.
pub trait RowSource {
    /// Rows `r0..r0 + used` (each `cols` wide), contiguous: either borrowed from the source or
    /// computed into `buf` (which holds `LANES * cols` floats).
    fn rows<'s>(&'s self, r0: usize, used: usize, cols: usize, buf: &'s mut [f32]) -> &'s [f32];
}

/// An image already in float.
#[cfg(test)]
pub struct FloatRows<'a>(pub &'a [f32]);

#[cfg(test)]
impl RowSource for FloatRows<'_> {
    fn rows<'s>(&'s self, r0: usize, used: usize, cols: usize, _: &'s mut [f32]) -> &'s [f32] {
        &self.0[r0 * cols..(r0 + used) * cols]
    }
}

/// 1-D boxes over `LANES` rows stored column by column (`block[j][k]` = row k, column j).
/// Every lane performs exactly the scalar sequence of float operations of the reference.
#[inline(always)]
fn box_lanes(block: &[Lanes], w: usize, mut emit: impl FnMut(usize, &Lanes)) {
    let p = Phases::new(block.len(), w);
    let mut sums = [0.0f32; LANES];
    let mut values = [0.0f32; LANES];
    let mut count = 0usize;
    let (mut left, mut right, mut out) = (0usize, 0usize, 0usize);
    for _ in 0..p.warm {
        for k in 0..LANES {
            sums[k] += block[right][k];
        }
        count += 1;
        right += 1;
    }
    for _ in 0..p.grow {
        count += 1;
        let divisor = count as f32;
        for k in 0..LANES {
            sums[k] += block[right][k];
            values[k] = sums[k] / divisor;
        }
        emit(out, &values);
        right += 1;
        out += 1;
    }
    let divisor = count as f32;
    for _ in 0..p.full {
        for k in 0..LANES {
            sums[k] += block[right][k];
            sums[k] -= block[left][k];
            values[k] = sums[k] / divisor;
        }
        emit(out, &values);
        left += 1;
        right += 1;
        out += 1;
    }
    for _ in 0..p.shrink {
        count -= 1;
        let divisor = count as f32;
        for k in 0..LANES {
            sums[k] -= block[left][k];
            values[k] = sums[k] / divisor;
        }
        emit(out, &values);
        left += 1;
        out += 1;
    }
}

/// Boxes rows `LANES` at a time in the transposed lane layout and hands
/// `(first_row, rows_in_block, boxed_block)` to `store`.
fn box_rows_with(
    source: &impl RowSource,
    rows: usize,
    cols: usize,
    w: usize,
    scratch: &mut RowScratch,
    mut store: impl FnMut(usize, usize, &[Lanes]),
) {
    scratch.rows.resize(LANES * cols, 0.0);
    scratch.block_in.resize(cols, [0.0; LANES]);
    scratch.block_out.resize(cols, [0.0; LANES]);
    for r0 in (0..rows).step_by(LANES) {
        let used = LANES.min(rows - r0);
        let block_rows = source.rows(r0, used, cols, &mut scratch.rows);
        box_block(
            block_rows,
            used,
            cols,
            w,
            &mut scratch.block_in,
            &mut scratch.block_out,
        );
        store(r0, used, &scratch.block_out);
    }
}

/// Transposes `used` contiguous rows into lanes and boxes them into `block_out`.
fn box_block(
    block_rows: &[f32],
    used: usize,
    cols: usize,
    w: usize,
    block_in: &mut [Lanes],
    block_out: &mut [Lanes],
) {
    transpose::rows_to_lanes(block_rows, used, cols, block_in);
    box_lanes(block_in, w, |j, v| block_out[j] = *v);
}

/// Keeps the 64 sampled columns of a boxed block of rows starting at `r0`.
fn store_sampled(
    block: &[Lanes],
    r0: usize,
    used: usize,
    sample: &[usize; SIDE],
    output: &mut [f32],
) {
    for k in 0..used {
        for (o, &j) in output[(r0 + k) * SIDE..(r0 + k + 1) * SIDE]
            .iter_mut()
            .zip(sample)
        {
            *o = block[j][k];
        }
    }
}

/// Box along every row of a `rows x cols` image into a full-size output.
pub fn box_rows_full(
    source: &impl RowSource,
    rows: usize,
    cols: usize,
    w: usize,
    scratch: &mut RowScratch,
    output: &mut [f32],
) {
    box_rows_with(source, rows, cols, w, scratch, |r0, used, block| {
        transpose::lanes_to_rows(
            block,
            used,
            cols,
            &mut output[r0 * cols..(r0 + used) * cols],
        );
    });
}

/// Box along every row of a full `rows x cols` image, keeping only the 64 sampled columns:
/// output is `rows x 64`.
#[cfg(test)] // the separate passes, kept as the oracle of the fused one
pub fn box_rows_sampled(
    input: &[f32],
    cols: usize,
    w: usize,
    scratch: &mut RowScratch,
    output: &mut [f32],
) {
    let rows = input.len() / cols;
    let sample = sample_indices(cols);
    box_rows_with(
        &FloatRows(input),
        rows,
        cols,
        w,
        scratch,
        |r0, used, block| store_sampled(block, r0, used, &sample, output),
    );
}

/// Passes 2 and 3 fused: a box along the columns of `input` whose output rows go, eight at a
/// time, straight into a box along rows that keeps the 64 sampled columns (`rows x 64` output).
/// Same operations as `box_columns_full` then `box_rows_sampled`, without the full-size
/// intermediate image.
pub fn box_columns_then_rows_sampled(
    input: &[f32],
    cols: usize,
    along_cols: usize,
    along_rows: usize,
    sums: &mut Vec<f32>,
    scratch: &mut RowScratch,
    output: &mut [f32],
) {
    let rows = input.len() / cols;
    let sample = sample_indices(cols);
    scratch.rows.resize(LANES * cols, 0.0);
    scratch.block_in.resize(cols, [0.0; LANES]);
    scratch.block_out.resize(cols, [0.0; LANES]);
    let RowScratch {
        rows: buf,
        block_in,
        block_out,
    } = scratch;
    box_columns(input, cols, along_cols, sums, |r, s, count| {
        let k = r % LANES;
        for (o, v) in buf[k * cols..(k + 1) * cols].iter_mut().zip(s) {
            *o = *v / count;
        }
        if k == LANES - 1 || r == rows - 1 {
            let (r0, used) = (r - k, k + 1);
            box_block(
                &buf[..used * cols],
                used,
                cols,
                along_rows,
                block_in,
                block_out,
            );
            store_sampled(block_out, r0, used, &sample, output);
        }
    });
}

/// Box along the columns of a `rows x width` image, one running sum per column, visiting rows
/// in memory order. `emit(output_row, values)` receives each output row.
fn box_columns(
    input: &[f32],
    width: usize,
    w: usize,
    sums: &mut Vec<f32>,
    mut emit: impl FnMut(usize, &[f32], f32),
) {
    let rows = input.len() / width;
    let p = Phases::new(rows, w);
    sums.clear();
    sums.resize(width, 0.0);
    let row = |r: usize| &input[r * width..(r + 1) * width];
    let (mut left, mut right, mut out) = (0usize, 0usize, 0usize);
    let mut count = 0usize;
    for _ in 0..p.warm {
        add_row(sums, row(right));
        count += 1;
        right += 1;
    }
    for _ in 0..p.grow {
        add_row(sums, row(right));
        count += 1;
        emit(out, sums, count as f32);
        right += 1;
        out += 1;
    }
    for _ in 0..p.full {
        add_row(sums, row(right));
        sub_row(sums, row(left));
        emit(out, sums, count as f32);
        left += 1;
        right += 1;
        out += 1;
    }
    for _ in 0..p.shrink {
        sub_row(sums, row(left));
        count -= 1;
        emit(out, sums, count as f32);
        left += 1;
        out += 1;
    }
}

#[inline(always)]
fn add_row(sums: &mut [f32], row: &[f32]) {
    for (s, v) in sums.iter_mut().zip(row) {
        *s += *v;
    }
}

#[inline(always)]
fn sub_row(sums: &mut [f32], row: &[f32]) {
    for (s, v) in sums.iter_mut().zip(row) {
        *s -= *v;
    }
}

/// Box along columns into a full-size output.
#[cfg(test)] // the separate passes, kept as the oracle of the fused one
pub fn box_columns_full(
    input: &[f32],
    output: &mut [f32],
    cols: usize,
    w: usize,
    sums: &mut Vec<f32>,
) {
    box_columns(input, cols, w, sums, |r, s, count| {
        for (o, v) in output[r * cols..(r + 1) * cols].iter_mut().zip(s) {
            *o = *v / count;
        }
    });
}

/// Box along the columns of a `rows x 64` strip, keeping only the 64 sampled rows.
pub fn box_columns_sampled(
    strip: &[f32],
    rows: usize,
    w: usize,
    sums: &mut Vec<f32>,
    out: &mut [f32; SIDE * SIDE],
) {
    let sample = sample_indices(rows);
    let mut next = 0usize;
    box_columns(strip, SIDE, w, sums, |r, s, count| {
        while next < SIDE && sample[next] == r {
            for (o, v) in out[next * SIDE..(next + 1) * SIDE].iter_mut().zip(s) {
                *o = *v / count;
            }
            next += 1;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference's strided 1-D box, written plainly, as the oracle for the reordered passes.
    fn box_strided(input: &[f32], output: &mut [f32], len: usize, stride: usize, w: usize) {
        let p = Phases::new(len, w);
        let (mut sum, mut count) = (0.0f32, 0usize);
        let (mut li, mut ri, mut oi) = (0, 0, 0);
        for _ in 0..p.warm {
            sum += input[ri];
            count += 1;
            ri += stride;
        }
        for _ in 0..p.grow {
            sum += input[ri];
            count += 1;
            output[oi] = sum / count as f32;
            ri += stride;
            oi += stride;
        }
        for _ in 0..p.full {
            sum += input[ri];
            sum -= input[li];
            output[oi] = sum / count as f32;
            li += stride;
            ri += stride;
            oi += stride;
        }
        for _ in 0..p.shrink {
            sum -= input[li];
            count -= 1;
            output[oi] = sum / count as f32;
            li += stride;
            oi += stride;
        }
    }

    fn reference_filter_and_decimate(img: &[f32], rows: usize, cols: usize) -> Vec<f32> {
        let (wr, wc) = (window_size(cols), window_size(rows));
        let mut a = img.to_vec();
        let mut b = vec![0.0; img.len()];
        for _ in 0..2 {
            for r in 0..rows {
                box_strided(&a[r * cols..], &mut b[r * cols..], cols, 1, wr);
            }
            for c in 0..cols {
                box_strided(&b[c..], &mut a[c..], rows, cols, wc);
            }
        }
        let (si, sj) = (sample_indices(rows), sample_indices(cols));
        let mut out = Vec::with_capacity(SIDE * SIDE);
        for i in si {
            for j in sj {
                out.push(a[i * cols + j]);
            }
        }
        out
    }

    fn reordered_filter_and_decimate(img: &[f32], rows: usize, cols: usize) -> Vec<f32> {
        let (wr, wc) = (window_size(cols), window_size(rows));
        let mut a = vec![0.0; img.len()];
        let mut b = vec![0.0; img.len()];
        let mut sums = Vec::new();
        let mut scratch = RowScratch::default();
        box_rows_full(&FloatRows(img), rows, cols, wr, &mut scratch, &mut a);
        box_columns_full(&a, &mut b, cols, wc, &mut sums);
        let mut strip = vec![0.0; rows * SIDE];
        box_rows_sampled(&b, cols, wr, &mut scratch, &mut strip);
        let mut out = [0.0; SIDE * SIDE];
        box_columns_sampled(&strip, rows, wc, &mut sums, &mut out);
        out.to_vec()
    }

    #[test]
    fn reordered_passes_are_bit_identical_to_the_plain_reference() {
        let mut state = 0x9e3779b97f4a7c15u64;
        for (rows, cols) in [
            (5, 5),
            (7, 300),
            (64, 65),
            (129, 257),
            (300, 41),
            (513, 700),
        ] {
            let img: Vec<f32> = (0..rows * cols)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    (state % 256) as f32 * 0.999
                })
                .collect();
            let want = reference_filter_and_decimate(&img, rows, cols);
            let got = reordered_filter_and_decimate(&img, rows, cols);
            assert!(
                want.iter()
                    .zip(&got)
                    .all(|(a, b)| a.to_bits() == b.to_bits()),
                "{rows}x{cols}"
            );
        }
    }

    #[test]
    fn fused_passes_equal_separate_passes() {
        for (rows, cols) in [(5, 7), (17, 300), (130, 129)] {
            let img: Vec<f32> = (0..rows * cols)
                .map(|i| ((i * 37) % 251) as f32 * 0.73)
                .collect();
            let (wr, wc) = (window_size(cols), window_size(rows));
            let (mut sums, mut scratch) = (Vec::new(), RowScratch::default());
            let mut mid = vec![0.0; rows * cols];
            box_columns_full(&img, &mut mid, cols, wc, &mut sums);
            let mut want = vec![0.0; rows * SIDE];
            box_rows_sampled(&mid, cols, wr, &mut scratch, &mut want);
            let mut got = vec![0.0; rows * SIDE];
            box_columns_then_rows_sampled(&img, cols, wc, wr, &mut sums, &mut scratch, &mut got);
            assert!(
                want.iter()
                    .zip(&got)
                    .all(|(a, b)| a.to_bits() == b.to_bits()),
                "{rows}x{cols}"
            );
        }
    }

    #[test]
    fn window_and_samples() {
        assert_eq!(window_size(5), 1);
        assert_eq!(window_size(128), 1);
        assert_eq!(window_size(129), 2);
        assert_eq!(window_size(4000), 32);
        assert_eq!(sample_indices(64)[10], 10);
        assert_eq!(sample_indices(5)[63], 4);
        assert_eq!(sample_indices(128)[0], 1);
    }
}
