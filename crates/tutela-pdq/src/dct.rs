//! The 64x64 -> 16x16 DCT, quality, median threshold and the dihedral sign flips.

use crate::Hash256;
use crate::jarosz::SIDE;
use std::sync::OnceLock;

/// Side of the DCT output.
pub const DCT_SIDE: usize = 16;

/// The 16x16 low-frequency DCT coefficients the hash bits come from.
pub type Coefficients = [[f32; DCT_SIDE]; DCT_SIDE];

/// `D[i][j] = sqrt(2/64) * cos(pi/128 * (i+1) * (2j+1))`, the DC row skipped. As in the reference,
/// the scale is rounded to float first, the product taken in double and stored in float: any
/// other rounding changes low bits, which decide the hash of flat images.
fn dct_matrix() -> &'static [[f32; SIDE]; DCT_SIDE] {
    static MATRIX: OnceLock<[[f32; SIDE]; DCT_SIDE]> = OnceLock::new();
    MATRIX.get_or_init(|| {
        let scale = f64::from((2.0f64 / 64.0).sqrt() as f32);
        std::array::from_fn(|i| {
            std::array::from_fn(|j| {
                let angle =
                    (std::f64::consts::PI / 2.0 / 64.0) * (i + 1) as f64 * (2 * j + 1) as f64;
                (scale * angle.cos()) as f32
            })
        })
    })
}

/// `B = D * A * D^T`. Each output sums its 64 products in index order, as the reference does,
/// so the result is bit-identical; the loops run across independent outputs to vectorise.
pub fn dct_64_to_16(a: &[f32; SIDE * SIDE]) -> [[f32; DCT_SIDE]; DCT_SIDE] {
    let d = dct_matrix();
    // T = D * A (16 x 64)
    let mut t = [[0.0f32; SIDE]; DCT_SIDE];
    for (t_row, d_row) in t.iter_mut().zip(d) {
        for (k, &dk) in d_row.iter().enumerate() {
            let a_row = &a[k * SIDE..(k + 1) * SIDE];
            for (acc, &v) in t_row.iter_mut().zip(a_row) {
                *acc += dk * v;
            }
        }
    }
    // B = T * D^T (16 x 16): B[i][j] = sum_k T[i][k] * D[j][k]
    let mut b = [[0.0f32; DCT_SIDE]; DCT_SIDE];
    for (b_row, t_row) in b.iter_mut().zip(&t) {
        for (k, &tk) in t_row.iter().enumerate() {
            for (acc, d_row) in b_row.iter_mut().zip(d) {
                *acc += tk * d_row[k];
            }
        }
    }
    b
}

/// Image-domain quality on the 64x64 buffer: summed truncated gradients, divided by 90, capped.
pub fn quality(a: &[f32; SIDE * SIDE]) -> u8 {
    let step = |u: f32, v: f32| (((u - v) * 100.0) / 255.0) as i32;
    let mut sum: i64 = 0;
    for i in 0..SIDE - 1 {
        for j in 0..SIDE {
            sum += i64::from(step(a[i * SIDE + j], a[(i + 1) * SIDE + j]).abs());
        }
    }
    for i in 0..SIDE {
        for j in 0..SIDE - 1 {
            sum += i64::from(step(a[i * SIDE + j], a[i * SIDE + j + 1]).abs());
        }
    }
    (sum / 90).min(100) as u8
}

/// Bits set where a coefficient is strictly above the lower median of the 256.
pub fn threshold(b: &[[f32; DCT_SIDE]; DCT_SIDE]) -> Hash256 {
    let mut sorted: Vec<f32> = b.iter().flatten().copied().collect();
    sorted.sort_unstable_by(f32::total_cmp);
    let median = sorted[(DCT_SIDE * DCT_SIDE - 1) / 2];
    let mut hash = Hash256::ZERO;
    for (i, row) in b.iter().enumerate() {
        for (j, &v) in row.iter().enumerate() {
            if v > median {
                hash.set_bit(i * DCT_SIDE + j);
            }
        }
    }
    hash
}

/// The eight symmetries of the square, in the order the ecosystem lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dihedral {
    Original,
    Rot90,
    Rot180,
    Rot270,
    FlipX,
    FlipY,
    FlipPlus1,
    FlipMinus1,
}

impl Dihedral {
    pub const ALL: [Dihedral; 8] = [
        Dihedral::Original,
        Dihedral::Rot90,
        Dihedral::Rot180,
        Dihedral::Rot270,
        Dihedral::FlipX,
        Dihedral::FlipY,
        Dihedral::FlipPlus1,
        Dihedral::FlipMinus1,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Dihedral::Original => "original",
            Dihedral::Rot90 => "rot90",
            Dihedral::Rot180 => "rot180",
            Dihedral::Rot270 => "rot270",
            Dihedral::FlipX => "flipx",
            Dihedral::FlipY => "flipy",
            Dihedral::FlipPlus1 => "flipplus1",
            Dihedral::FlipMinus1 => "flipminus1",
        }
    }

    /// The DCT of the transformed image, from the DCT of the original: a transpose and/or sign
    /// flips of alternating coefficients (cosine basis functions are even or odd about the centre).
    pub fn apply(self, b: &[[f32; DCT_SIDE]; DCT_SIDE]) -> [[f32; DCT_SIDE]; DCT_SIDE] {
        let (transpose, negate): (bool, fn(usize, usize) -> bool) = match self {
            Dihedral::Original => (false, |_, _| false),
            // (i, j) index the output; these signs reproduce expected-dihedral.txt.
            Dihedral::Rot90 => (true, |i, _| i % 2 == 0),
            Dihedral::Rot180 => (false, |i, j| (i + j) % 2 == 1),
            Dihedral::Rot270 => (true, |_, j| j % 2 == 0),
            Dihedral::FlipX => (false, |i, _| i % 2 == 0),
            Dihedral::FlipY => (false, |_, j| j % 2 == 0),
            Dihedral::FlipPlus1 => (true, |_, _| false),
            Dihedral::FlipMinus1 => (true, |i, j| (i + j) % 2 == 1),
        };
        std::array::from_fn(|i| {
            std::array::from_fn(|j| {
                let v = if transpose { b[j][i] } else { b[i][j] };
                if negate(i, j) { -v } else { v }
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_is_the_lower_middle_and_strict() {
        let mut b = [[0.0f32; DCT_SIDE]; DCT_SIDE];
        for (k, v) in b.iter_mut().flatten().enumerate() {
            *v = k as f32;
        }
        // Lower middle of 0..256 is 127: bits 128..256 are set.
        let h = threshold(&b);
        assert_eq!(h.popcount(), 128);
        assert!(h.bit(128) && !h.bit(127));
    }

    #[test]
    fn quality_of_flat_image_is_zero_and_of_stripes_is_capped() {
        let flat = [17.0f32; SIDE * SIDE];
        assert_eq!(quality(&flat), 0);
        let stripes: [f32; SIDE * SIDE] =
            std::array::from_fn(|k| if k % 2 == 0 { 0.0 } else { 255.0 });
        assert_eq!(quality(&stripes), 100);
    }

    #[test]
    fn dihedral_of_dihedral_composes() {
        let mut b = [[0.0f32; DCT_SIDE]; DCT_SIDE];
        for (k, v) in b.iter_mut().flatten().enumerate() {
            *v = (k as f32 * 1.37).sin();
        }
        let r90 = Dihedral::Rot90.apply(&b);
        let r180 = Dihedral::Rot180.apply(&b);
        assert_eq!(Dihedral::Rot90.apply(&r90), r180);
        let r270 = Dihedral::Rot270.apply(&b);
        assert_eq!(Dihedral::Rot90.apply(&r180), r270);
        assert_eq!(Dihedral::FlipX.apply(&Dihedral::FlipX.apply(&b)), b);
    }
}
