//! The 256-bit hash value, its wire format and Hamming distance.

use std::fmt;
use std::str::FromStr;

/// A 256-bit PDQ hash.
///
/// Bit `k` (0..256) is DCT coefficient `(k / 16, k % 16)` above the median. Stored as four
/// limbs, most significant first, so that limb 0 is hex characters 0..16 of the wire form and
/// bit `k` lives in limb `3 - k / 64` at position `k % 64`. Distance is one popcount per limb.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Hash256(pub [u64; 4]);

/// Why a string is not a PDQ hash in the wire format.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseHashError {
    #[error("a PDQ hash is 64 hex characters, got {0}")]
    Length(usize),
    #[error("not a hex digit at position {0}")]
    Digit(usize),
}

impl Hash256 {
    pub const ZERO: Hash256 = Hash256([0; 4]);

    /// Sets bit `k` (0..256) in the reference numbering.
    #[inline]
    pub fn set_bit(&mut self, k: usize) {
        debug_assert!(k < 256);
        self.0[3 - (k >> 6)] |= 1u64 << (k & 63);
    }

    #[inline]
    pub fn bit(&self, k: usize) -> bool {
        (self.0[3 - (k >> 6)] >> (k & 63)) & 1 == 1
    }

    /// Number of differing bits.
    #[inline]
    pub fn distance(&self, other: &Hash256) -> u32 {
        (self.0[0] ^ other.0[0]).count_ones()
            + (self.0[1] ^ other.0[1]).count_ones()
            + (self.0[2] ^ other.0[2]).count_ones()
            + (self.0[3] ^ other.0[3]).count_ones()
    }

    /// Number of set bits.
    pub fn popcount(&self) -> u32 {
        self.0.iter().map(|w| w.count_ones()).sum()
    }

    /// The 32 bytes of the wire form (hex-decoded), most significant first.
    pub fn to_bytes(&self) -> [u8; 32] {
        let mut out = [0u8; 32];
        for (chunk, limb) in out.chunks_exact_mut(8).zip(self.0) {
            chunk.copy_from_slice(&limb.to_be_bytes());
        }
        out
    }

    pub fn from_bytes(bytes: &[u8; 32]) -> Hash256 {
        let mut limbs = [0u64; 4];
        for (limb, chunk) in limbs.iter_mut().zip(bytes.chunks_exact(8)) {
            *limb = u64::from_be_bytes(chunk.try_into().expect("8-byte chunk"));
        }
        Hash256(limbs)
    }

    /// Parses the 64-hex-character wire form (either case; surrounding whitespace is not allowed).
    pub fn from_hex(s: &str) -> Result<Hash256, ParseHashError> {
        let bytes = s.as_bytes();
        if bytes.len() != 64 {
            return Err(ParseHashError::Length(s.chars().count()));
        }
        let mut limbs = [0u64; 4];
        for (pos, &c) in bytes.iter().enumerate() {
            let nibble = match c {
                b'0'..=b'9' => c - b'0',
                b'a'..=b'f' => c - b'a' + 10,
                b'A'..=b'F' => c - b'A' + 10,
                _ => return Err(ParseHashError::Digit(pos)),
            };
            limbs[pos / 16] = (limbs[pos / 16] << 4) | u64::from(nibble);
        }
        Ok(Hash256(limbs))
    }

    /// The wire form: 64 lowercase hex characters.
    pub fn to_hex(&self) -> String {
        format!(
            "{:016x}{:016x}{:016x}{:016x}",
            self.0[0], self.0[1], self.0[2], self.0[3]
        )
    }
}

impl fmt::Display for Hash256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for Hash256 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Hash256({})", self.to_hex())
    }
}

impl FromStr for Hash256 {
    type Err = ParseHashError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Hash256::from_hex(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trip_and_bit_numbering() {
        let mut h = Hash256::ZERO;
        h.set_bit(0);
        // Bit 0 is the least significant bit of word 0, printed last.
        assert_eq!(h.to_hex(), format!("{}1", "0".repeat(63)));
        let mut h = Hash256::ZERO;
        h.set_bit(255);
        assert_eq!(h.to_hex(), format!("8{}", "0".repeat(63)));
        let mut h = Hash256::ZERO;
        h.set_bit(17); // word 1, bit 1 -> fourth-from-last hex group "0002"
        assert_eq!(&h.to_hex()[56..60], "0002");
        assert!(h.bit(17) && !h.bit(16));
        let s = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
        let parsed = Hash256::from_hex(s).unwrap();
        assert_eq!(parsed.to_hex(), s);
        assert_eq!(Hash256::from_hex(&s.to_uppercase()).unwrap(), parsed);
        assert_eq!(Hash256::from_bytes(&parsed.to_bytes()), parsed);
    }

    #[test]
    fn parse_errors_are_precise() {
        assert_eq!(Hash256::from_hex("abc"), Err(ParseHashError::Length(3)));
        let mut s = "0".repeat(64);
        s.replace_range(10..11, "g");
        assert_eq!(Hash256::from_hex(&s), Err(ParseHashError::Digit(10)));
        // A multi-byte character must not be sliced or accepted.
        let s = format!("{}é", "0".repeat(62));
        assert!(Hash256::from_hex(&s).is_err());
    }

    #[test]
    fn distance_counts_differing_bits() {
        let a = Hash256::ZERO;
        let mut b = Hash256::ZERO;
        for k in [0, 63, 64, 200, 255] {
            b.set_bit(k);
        }
        assert_eq!(a.distance(&b), 5);
        assert_eq!(b.distance(&b), 0);
        assert_eq!(b.popcount(), 5);
    }
}
