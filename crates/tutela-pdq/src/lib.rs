//! PDQ, Meta's 256-bit perceptual image hash, implemented from its published description
//! (`shared/specs/pdq.md`): pixels in, hash and quality out. Pure: no I/O, no decoding.
//!
//! ```
//! use tutela_pdq::PdqHasher;
//! let (w, h) = (32, 24);
//! let rgb: Vec<u8> = (0..w * h * 3).map(|i| (i * 7 % 251) as u8).collect();
//! let mut hasher = PdqHasher::new();
//! let pdq = hasher.hash_rgb8(&rgb, w, h).unwrap();
//! assert_eq!(pdq.hash.to_hex().len(), 64);
//! ```

mod dct;
mod hash256;
mod jarosz;
mod transpose;

pub use dct::Dihedral;
pub use hash256::{Hash256, ParseHashError};

use dct::{Coefficients, dct_64_to_16, quality, threshold};
use jarosz::{SIDE, window_size};

/// Images with fewer rows or columns than this hash to zero with quality 0.
pub const MIN_SIDE: usize = 5;
/// Hashes at or below this distance are the ecosystem's match threshold.
pub const DEFAULT_MATCH_DISTANCE: u32 = 31;
/// Hashes of lower quality are discarded by the exchanges.
pub const MIN_USEFUL_QUALITY: u8 = 50;

/// A hash and the quality (0..=100) of the image it came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Pdq {
    pub hash: Hash256,
    pub quality: u8,
}

/// The hashes of the 8 dihedral transforms of an image, in [`Dihedral::ALL`] order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PdqDihedral {
    pub hashes: [Hash256; 8],
    pub quality: u8,
}

impl PdqDihedral {
    pub fn original(&self) -> Pdq {
        Pdq {
            hash: self.hashes[0],
            quality: self.quality,
        }
    }
}

/// The pixels did not describe an image of the stated size.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "pixel buffer holds {got} values, a {width}x{height} image with {channels} channel(s) needs {want}"
)]
pub struct SizeMismatch {
    pub width: usize,
    pub height: usize,
    pub channels: usize,
    pub want: usize,
    pub got: usize,
}

/// Pixels to hash, row-major, tightly packed.
#[derive(Clone, Copy)]
pub enum Pixels<'a> {
    /// 8-bit RGB, 3 bytes a pixel.
    Rgb8(&'a [u8]),
    /// 8-bit grey, 1 byte a pixel: luminance is the value itself.
    Luma8(&'a [u8]),
    /// Luminance already in float (0..=255 scale).
    LumaF32(&'a [f32]),
}

// Luminance weights, in single precision as the reference uses them.
const LUMA_R: f32 = 0.299;
const LUMA_G: f32 = 0.587;
const LUMA_B: f32 = 0.114;

impl Pixels<'_> {
    fn check(&self, width: usize, height: usize) -> Result<(), SizeMismatch> {
        let (channels, got) = match self {
            Pixels::Rgb8(p) => (3, p.len()),
            Pixels::Luma8(p) => (1, p.len()),
            Pixels::LumaF32(p) => (1, p.len()),
        };
        let want = width
            .checked_mul(height)
            .and_then(|n| n.checked_mul(channels));
        if want == Some(got) {
            Ok(())
        } else {
            Err(SizeMismatch {
                width,
                height,
                channels,
                want: want.unwrap_or(usize::MAX),
                got,
            })
        }
    }

    /// Luminance of row `r` (of an image `cols` wide), each value handed to `put(column, y)`.
    #[inline(always)]
    fn luma_row(&self, r: usize, cols: usize, mut put: impl FnMut(usize, f32)) {
        match self {
            Pixels::Rgb8(p) => {
                for (j, px) in p[r * cols * 3..(r + 1) * cols * 3]
                    .chunks_exact(3)
                    .enumerate()
                {
                    put(
                        j,
                        LUMA_R * f32::from(px[0])
                            + LUMA_G * f32::from(px[1])
                            + LUMA_B * f32::from(px[2]),
                    );
                }
            }
            Pixels::Luma8(p) => {
                for (j, &v) in p[r * cols..(r + 1) * cols].iter().enumerate() {
                    put(j, f32::from(v));
                }
            }
            Pixels::LumaF32(p) => {
                for (j, &v) in p[r * cols..(r + 1) * cols].iter().enumerate() {
                    put(j, v);
                }
            }
        }
    }
}

impl jarosz::RowSource for Pixels<'_> {
    fn rows<'s>(&'s self, r0: usize, used: usize, cols: usize, buf: &'s mut [f32]) -> &'s [f32] {
        let buf = &mut buf[..used * cols];
        for (k, row) in buf.chunks_exact_mut(cols).enumerate() {
            self.luma_row(r0 + k, cols, |j, y| row[j] = y);
        }
        buf
    }
}

/// Whether a 64x64 image skips the tent filter (the reference's plain hash) or not (its
/// dihedral function).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Filter {
    SkipAt64,
    Always,
}

/// Computes PDQ hashes, reusing its scratch buffers from one image to the next.
#[derive(Default)]
pub struct PdqHasher {
    filtered_rows: Vec<f32>,
    strip: Vec<f32>,
    sums: Vec<f32>,
    rows: jarosz::RowScratch,
}

impl PdqHasher {
    pub fn new() -> PdqHasher {
        PdqHasher::default()
    }

    /// Hash and quality of an 8-bit RGB image.
    pub fn hash_rgb8(
        &mut self,
        rgb: &[u8],
        width: usize,
        height: usize,
    ) -> Result<Pdq, SizeMismatch> {
        self.hash(Pixels::Rgb8(rgb), width, height)
    }

    /// Hash and quality of any pixel source.
    pub fn hash(
        &mut self,
        pixels: Pixels<'_>,
        width: usize,
        height: usize,
    ) -> Result<Pdq, SizeMismatch> {
        Ok(match self.dct(pixels, width, height, Filter::SkipAt64)? {
            Some((b, quality)) => Pdq {
                hash: threshold(&b),
                quality,
            },
            None => Pdq {
                hash: Hash256::ZERO,
                quality: 0,
            },
        })
    }

    /// The 8 dihedral hashes from one filter and one DCT.
    ///
    /// Like the reference's dihedral function, this filters a 64x64 image too, which
    /// [`hash`](Self::hash) skips; the two originals can differ by rounding at exactly that size.
    pub fn hash_dihedral(
        &mut self,
        pixels: Pixels<'_>,
        width: usize,
        height: usize,
    ) -> Result<PdqDihedral, SizeMismatch> {
        Ok(match self.dct(pixels, width, height, Filter::Always)? {
            Some((b, quality)) => PdqDihedral {
                hashes: Dihedral::ALL.map(|d| threshold(&d.apply(&b))),
                quality,
            },
            None => PdqDihedral {
                hashes: [Hash256::ZERO; 8],
                quality: 0,
            },
        })
    }

    /// The plain hash and the 8 dihedral hashes, each as the reference computes it, sharing one
    /// filter pass except at 64x64 (see [`hash_dihedral`](Self::hash_dihedral)).
    pub fn hash_with_dihedral(
        &mut self,
        pixels: Pixels<'_>,
        width: usize,
        height: usize,
    ) -> Result<(Pdq, PdqDihedral), SizeMismatch> {
        let all = self.hash_dihedral(pixels, width, height)?;
        let plain = if width == SIDE && height == SIDE {
            self.hash(pixels, width, height)?
        } else {
            all.original()
        };
        Ok((plain, all))
    }

    /// Filter, decimate, measure quality and transform; `None` for an image too small to hash.
    fn dct(
        &mut self,
        pixels: Pixels<'_>,
        width: usize,
        height: usize,
        filter: Filter,
    ) -> Result<Option<(Coefficients, u8)>, SizeMismatch> {
        pixels.check(width, height)?;
        if width < MIN_SIDE || height < MIN_SIDE {
            return Ok(None);
        }
        let mut block = [0.0f32; SIDE * SIDE];
        self.filter_and_decimate(pixels, width, height, filter, &mut block);
        Ok(Some((dct_64_to_16(&block), quality(&block))))
    }

    fn filter_and_decimate(
        &mut self,
        pixels: Pixels<'_>,
        cols: usize,
        rows: usize,
        filter: Filter,
        out: &mut [f32; SIDE * SIDE],
    ) {
        if filter == Filter::SkipAt64 && rows == SIDE && cols == SIDE {
            // Already the DCT's size: the reference's plain hash skips the filter.
            for (r, row) in out.chunks_exact_mut(SIDE).enumerate() {
                pixels.luma_row(r, SIDE, |j, y| row[j] = y);
            }
            return;
        }
        let n = rows * cols;
        let (along_rows, along_cols) = (window_size(cols), window_size(rows));
        self.filtered_rows.resize(n, 0.0);
        self.strip.resize(rows * SIDE, 0.0);
        // Pass 1 reads the pixels directly: luminance is computed row by row as it is needed.
        jarosz::box_rows_full(
            &pixels,
            rows,
            cols,
            along_rows,
            &mut self.rows,
            &mut self.filtered_rows,
        );
        jarosz::box_columns_then_rows_sampled(
            &self.filtered_rows,
            cols,
            along_cols,
            along_rows,
            &mut self.sums,
            &mut self.rows,
            &mut self.strip,
        );
        jarosz::box_columns_sampled(&self.strip, rows, along_cols, &mut self.sums, out);
    }
}

/// Hash of an 8-bit RGB image with a fresh hasher (convenience; reuse a [`PdqHasher`] in loops).
pub fn hash_rgb8(rgb: &[u8], width: usize, height: usize) -> Result<Pdq, SizeMismatch> {
    PdqHasher::new().hash_rgb8(rgb, width, height)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_small_images_hash_to_zero_with_quality_zero() {
        let rgb = vec![200u8; 4 * 100 * 3];
        let pdq = hash_rgb8(&rgb, 100, 4).unwrap();
        assert_eq!(
            pdq,
            Pdq {
                hash: Hash256::ZERO,
                quality: 0
            }
        );
        let d = PdqHasher::new()
            .hash_dihedral(Pixels::Rgb8(&rgb), 4, 100)
            .unwrap();
        assert_eq!(d.quality, 0);
    }

    #[test]
    fn wrong_buffer_size_is_an_error() {
        let err = hash_rgb8(&[0u8; 10], 2, 2).unwrap_err();
        assert_eq!(err.want, 12);
        assert!(
            PdqHasher::new()
                .hash(Pixels::Luma8(&[0u8; 4]), usize::MAX, 2)
                .is_err()
        );
    }

    #[test]
    fn grey_rgb_and_luma8_agree() {
        let (w, h) = (37, 53);
        let grey: Vec<u8> = (0..w * h).map(|i| ((i * 31) % 256) as u8).collect();
        let rgb: Vec<u8> = grey.iter().flat_map(|&g| [g, g, g]).collect();
        let mut hasher = PdqHasher::new();
        let a = hasher.hash(Pixels::Luma8(&grey), w, h).unwrap();
        let b = hasher.hash_rgb8(&rgb, w, h).unwrap();
        // 0.299 + 0.587 + 0.114 rounds in float, so allow a bit of drift but no more.
        assert!(a.hash.distance(&b.hash) <= 4);
    }

    #[test]
    fn dihedral_original_equals_plain_hash() {
        let (w, h) = (120, 90);
        let rgb: Vec<u8> = (0..w * h * 3)
            .map(|i| ((i * 13 + i / 7) % 256) as u8)
            .collect();
        let mut hasher = PdqHasher::new();
        let plain = hasher.hash_rgb8(&rgb, w, h).unwrap();
        let all = hasher.hash_dihedral(Pixels::Rgb8(&rgb), w, h).unwrap();
        assert_eq!(all.original(), plain);
        assert_eq!(
            hasher.hash_with_dihedral(Pixels::Rgb8(&rgb), w, h).unwrap(),
            (plain, all)
        );
    }

    #[test]
    fn rotating_pixels_matches_the_rotated_variant() {
        // A 64x64 image skips the filter, so the DCT symmetries are exact there.
        let n = SIDE;
        let img: Vec<u8> = (0..n * n)
            .map(|k| ((k % n) * 3 + (k / n) * 5 + (k * k) % 17) as u8)
            .collect();
        let rot90: Vec<u8> = (0..n * n)
            .map(|k| {
                let (i, j) = (k / n, k % n);
                img[(n - 1 - j) * n + i] // rotate clockwise
            })
            .collect();
        let mut hasher = PdqHasher::new();
        let d = hasher.hash_dihedral(Pixels::Luma8(&img), n, n).unwrap();
        let r = hasher.hash(Pixels::Luma8(&rot90), n, n).unwrap();
        let best = d.hashes.iter().map(|h| h.distance(&r.hash)).min().unwrap();
        assert_eq!(best, 0);
    }
}
