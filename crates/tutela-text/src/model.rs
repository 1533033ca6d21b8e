//! The linear model's file format and its scoring.
//!
//! One logistic-regression head per category over hashed features. Layout (little endian):
//! magic `TTXTLIN2`, u32 bucket bits, u32 category count (11), then per category f32 weight
//! scale, f32 bias and f32 decision threshold, then one 16-byte row per bucket: the 11 signed
//! 8-bit weights of that feature and 5 zero bytes. A row never straddles a cache line and is
//! summed with vector instructions (the row sums are the classifier's hottest loop).

use crate::CATEGORY_COUNT;
use crate::features::{BUCKET_BITS, BUCKETS, Feature};

pub const MAGIC: &[u8; 8] = b"TTXTLIN2";
/// Bytes per bucket row: the weights of the categories, padded to 16.
pub const ROW: usize = 16;
const HEADER: usize = 8 + 4 + 4 + CATEGORY_COUNT * 12;

/// Errors reading a model file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelError {
    BadMagic,
    WrongShape { bucket_bits: u32, categories: u32 },
    WrongLength { expected: usize, found: usize },
}

impl std::fmt::Display for ModelError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ModelError::BadMagic => write!(f, "not a tutela text model (bad magic)"),
            ModelError::WrongShape {
                bucket_bits,
                categories,
            } => write!(
                f,
                "model has 2^{bucket_bits} buckets and {categories} categories, expected 2^{BUCKET_BITS} and {CATEGORY_COUNT}"
            ),
            ModelError::WrongLength { expected, found } => {
                write!(f, "model file is {found} bytes, expected {expected}")
            }
        }
    }
}

impl std::error::Error for ModelError {}

/// A model borrowed from its bytes (the embedded file, or a freshly trained one).
#[derive(Debug, Clone)]
pub struct LinearModel<'a> {
    pub scale: [f32; CATEGORY_COUNT],
    pub bias: [f32; CATEGORY_COUNT],
    pub threshold: [f32; CATEGORY_COUNT],
    weights: &'a [u8],
}

fn read_f32(bytes: &[u8], at: usize) -> f32 {
    let mut b = [0u8; 4];
    b.copy_from_slice(&bytes[at..at + 4]);
    f32::from_le_bytes(b)
}

fn read_u32(bytes: &[u8], at: usize) -> u32 {
    let mut b = [0u8; 4];
    b.copy_from_slice(&bytes[at..at + 4]);
    u32::from_le_bytes(b)
}

impl<'a> LinearModel<'a> {
    pub fn parse(bytes: &'a [u8]) -> Result<Self, ModelError> {
        if bytes.len() < HEADER || &bytes[..8] != MAGIC {
            return Err(ModelError::BadMagic);
        }
        let bucket_bits = read_u32(bytes, 8);
        let categories = read_u32(bytes, 12);
        if bucket_bits != BUCKET_BITS || categories as usize != CATEGORY_COUNT {
            return Err(ModelError::WrongShape {
                bucket_bits,
                categories,
            });
        }
        let expected = HEADER + BUCKETS * ROW;
        if bytes.len() != expected {
            return Err(ModelError::WrongLength {
                expected,
                found: bytes.len(),
            });
        }
        let mut model = LinearModel {
            scale: [0.0; CATEGORY_COUNT],
            bias: [0.0; CATEGORY_COUNT],
            threshold: [0.0; CATEGORY_COUNT],
            weights: &bytes[HEADER..],
        };
        for c in 0..CATEGORY_COUNT {
            let at = 16 + c * 12;
            model.scale[c] = read_f32(bytes, at);
            model.bias[c] = read_f32(bytes, at + 4);
            model.threshold[c] = read_f32(bytes, at + 8);
        }
        Ok(model)
    }

    /// The 8-bit weights of one bucket.
    #[inline]
    pub fn row(&self, bucket: u32) -> &[u8] {
        let at = bucket as usize * ROW;
        &self.weights[at..at + CATEGORY_COUNT]
    }

    /// Probabilities per category for a feature list.
    pub fn probabilities(&self, features: &[Feature]) -> [f32; CATEGORY_COUNT] {
        let mut sums = [0i32; ROW];
        for f in features {
            let at = f.bucket as usize * ROW;
            let Some(row) = self
                .weights
                .get(at..at + ROW)
                .and_then(|r| <&[u8; ROW]>::try_from(r).ok())
            else {
                continue;
            };
            let weight = f.weight as i32;
            for k in 0..ROW {
                sums[k] += row[k] as i8 as i32 * weight;
            }
        }
        let norm = feature_norm(crate::features::weight_total(features));
        let mut out = [0.0f32; CATEGORY_COUNT];
        for c in 0..CATEGORY_COUNT {
            out[c] = sigmoid(self.bias[c] + self.scale[c] * sums[c] as f32 * norm);
        }
        out
    }

    /// Each feature's contribution to category `c`'s logit (for evidence spans).
    pub fn contribution(&self, feature: &Feature, c: usize, norm: f32) -> f32 {
        self.scale[c] * self.row(feature.bucket)[c] as i8 as f32 * feature.weight as f32 * norm
    }
}

/// Binary features are scaled to unit length, so long messages don't score higher for being long.
#[inline]
pub fn feature_norm(count: usize) -> f32 {
    if count == 0 {
        0.0
    } else {
        1.0 / (count as f32).sqrt()
    }
}

#[inline]
pub fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

/// Serialises float weights (`buckets x categories`, bucket-major) to the file format,
/// quantising each category to 8 bits with its own scale.
pub fn write_model(
    weights: &[f32],
    bias: &[f32; CATEGORY_COUNT],
    threshold: &[f32; CATEGORY_COUNT],
) -> Vec<u8> {
    assert_eq!(weights.len(), BUCKETS * CATEGORY_COUNT);
    let mut scale = [0.0f32; CATEGORY_COUNT];
    for row in weights.chunks_exact(CATEGORY_COUNT) {
        for c in 0..CATEGORY_COUNT {
            scale[c] = scale[c].max(row[c].abs());
        }
    }
    for s in &mut scale {
        *s = if *s > 0.0 { *s / 127.0 } else { 1.0 };
    }
    let mut out = Vec::with_capacity(HEADER + BUCKETS * ROW);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&BUCKET_BITS.to_le_bytes());
    out.extend_from_slice(&(CATEGORY_COUNT as u32).to_le_bytes());
    for c in 0..CATEGORY_COUNT {
        out.extend_from_slice(&scale[c].to_le_bytes());
        out.extend_from_slice(&bias[c].to_le_bytes());
        out.extend_from_slice(&threshold[c].to_le_bytes());
    }
    for row in weights.chunks_exact(CATEGORY_COUNT) {
        for c in 0..CATEGORY_COUNT {
            let q = (row[c] / scale[c]).round().clamp(-127.0, 127.0) as i8;
            out.push(q as u8);
        }
        out.extend_from_slice(&[0; ROW - CATEGORY_COUNT]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_errors() {
        let mut weights = vec![0.0f32; BUCKETS * CATEGORY_COUNT];
        weights[5 * CATEGORY_COUNT + 2] = 2.0;
        weights[7 * CATEGORY_COUNT + 2] = -1.0;
        let bytes = write_model(&weights, &[0.5; CATEGORY_COUNT], &[0.4; CATEGORY_COUNT]);
        let model = LinearModel::parse(&bytes).expect("parses");
        assert_eq!(model.threshold[3], 0.4);
        let p = model.probabilities(&[Feature {
            bucket: 5,
            token: 0,
            weight: 1,
        }]);
        assert!((p[2] - sigmoid(2.5)).abs() < 1e-3);
        assert!((p[0] - sigmoid(0.5)).abs() < 1e-6);
        assert_eq!(
            LinearModel::parse(b"nope").unwrap_err(),
            ModelError::BadMagic
        );
        assert!(matches!(
            LinearModel::parse(&bytes[..bytes.len() - 1]),
            Err(ModelError::WrongLength { .. })
        ));
    }
}
