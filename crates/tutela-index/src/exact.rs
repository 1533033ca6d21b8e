//! Exact-hash sets (SHA-256, MD5): a sorted array of `N`-byte hashes with a prefix directory
//! (one lookup, then a binary search over a bucket of about one entry), a bitset of
//! disabled entries and a small in-memory set of recent inserts merged by [`ExactSet::compact`].

use std::collections::BTreeSet;
use std::path::Path;

use crate::buf::Buf;
use crate::disk::{self, OpenOptions, Parsed, Source};
use crate::error::IndexError;

const MAGIC: &[u8; 8] = b"TUTLAXST";
const KIND: &str = "exact-set";
const TAG_ENTRIES: u32 = 1;
const TAG_DISABLED: u32 = 2;
const TAG_PREFIX: u32 = 3;
/// The directory splits entries by their first `p` bits, `p = floor(log2(n))` up to 16: about
/// one entry a bucket, and small sets keep small files.
const MAX_PREFIX_BITS: u32 = 16;

/// SHA-256 digests.
pub type Sha256Set = ExactSet<32>;
/// MD5 digests.
pub type Md5Set = ExactSet<16>;

/// A set of `N`-byte hashes. Entries can be disabled (withdrawn) and re-inserted.
pub struct ExactSet<const N: usize> {
    /// Sorted, unique, `N` bytes an entry.
    main: Buf<u8>,
    /// `prefix[p]..prefix[p + 1]`: entries whose first `log2(len - 1)` bits are `p`.
    prefix: Buf<u32>,
    disabled: Vec<u64>,
    /// Inserts not in `main`.
    added: BTreeSet<[u8; N]>,
}

impl<const N: usize> Default for ExactSet<N> {
    fn default() -> Self {
        ExactSet::from_hashes(Vec::new())
    }
}

impl<const N: usize> ExactSet<N> {
    const VALID: () = assert!(N >= 2, "prefix directory needs two bytes");

    pub fn new() -> Self {
        Self::default()
    }

    /// Builds a set from hashes (any order, duplicates allowed).
    pub fn from_hashes(mut hashes: Vec<[u8; N]>) -> Self {
        let () = Self::VALID;
        hashes.sort_unstable();
        hashes.dedup();
        let n = hashes.len();
        let main: Vec<u8> = hashes.into_iter().flatten().collect();
        ExactSet {
            prefix: Buf::Owned(prefix_directory::<N>(&main)),
            main: Buf::Owned(main),
            disabled: vec![0; n.div_ceil(64)],
            added: BTreeSet::new(),
        }
    }

    fn main_len(&self) -> usize {
        self.main.len() / N
    }

    /// Position of `h` in the main array.
    fn find(&self, h: &[u8; N]) -> Option<usize> {
        let p = bucket(h, self.prefix.len());
        let (lo, hi) = match (self.prefix.get(p), self.prefix.get(p + 1)) {
            (Some(&lo), Some(&hi)) if lo <= hi => (lo as usize, hi as usize),
            _ => return None,
        };
        let entries = self.main.get(lo * N..hi.checked_mul(N)?)?;
        let (mut a, mut b) = (0, hi - lo);
        while a < b {
            let mid = a + (b - a) / 2;
            match entries[mid * N..mid * N + N].cmp(&h[..]) {
                std::cmp::Ordering::Less => a = mid + 1,
                std::cmp::Ordering::Greater => b = mid,
                std::cmp::Ordering::Equal => return Some(lo + mid),
            }
        }
        None
    }

    fn bit(&self, i: usize) -> bool {
        self.disabled
            .get(i / 64)
            .is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    /// True if `h` is in the set and not disabled.
    pub fn contains(&self, h: &[u8; N]) -> bool {
        match self.find(h) {
            Some(i) => !self.bit(i),
            None => self.added.contains(h),
        }
    }

    /// Adds `h` (or re-enables it); true if it was not live before.
    pub fn insert(&mut self, h: [u8; N]) -> bool {
        match self.find(&h) {
            Some(i) => {
                let was = self.bit(i);
                if let Some(w) = self.disabled.get_mut(i / 64) {
                    *w &= !(1 << (i % 64));
                }
                was
            }
            None => self.added.insert(h),
        }
    }

    /// Withdraws `h`; true if it was live.
    pub fn disable(&mut self, h: &[u8; N]) -> bool {
        match self.find(h) {
            Some(i) => {
                let was = !self.bit(i);
                if let Some(w) = self.disabled.get_mut(i / 64) {
                    *w |= 1 << (i % 64);
                }
                was
            }
            None => self.added.remove(h),
        }
    }

    /// Number of live hashes.
    pub fn len(&self) -> usize {
        let dead: u32 = self.disabled.iter().map(|w| w.count_ones()).sum();
        (self.main_len() + self.added.len()).saturating_sub(dead as usize)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Merges recent inserts into the sorted array; disabled entries keep their flag.
    pub fn compact(&mut self) {
        if self.added.is_empty() {
            return;
        }
        let n_old = self.main_len();
        let total = n_old + self.added.len();
        let mut main = Vec::with_capacity(total * N);
        let mut disabled = vec![0u64; total.div_ceil(64)];
        let mut added = std::mem::take(&mut self.added).into_iter().peekable();
        let mut k = 0;
        for i in 0..n_old {
            let e = &self.main[i * N..i * N + N];
            while let Some(a) = added.next_if(|a| a[..] < *e) {
                main.extend_from_slice(&a);
                k += 1;
            }
            main.extend_from_slice(e);
            if self.bit(i) {
                disabled[k / 64] |= 1 << (k % 64);
            }
            k += 1;
        }
        for a in added {
            main.extend_from_slice(&a);
        }
        self.prefix = Buf::Owned(prefix_directory::<N>(&main));
        self.main = Buf::Owned(main);
        self.disabled = disabled;
    }

    /// Heap bytes owned (mapped file bytes excluded; the delta set counted approximately).
    pub fn heap_bytes(&self) -> usize {
        self.main.heap_bytes()
            + self.prefix.heap_bytes()
            + self.disabled.capacity() * 8
            + self.added.len() * (N + 16)
    }

    /// Writes the set atomically; recent inserts are merged into the stored array.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<(), IndexError> {
        if self.added.is_empty() {
            return write_set::<N>(path.as_ref(), &self.main, &self.prefix, &self.disabled);
        }
        let mut merged = ExactSet::<N> {
            main: Buf::Owned(self.main.to_vec()),
            prefix: Buf::Owned(Vec::new()),
            disabled: self.disabled.clone(),
            added: self.added.clone(),
        };
        merged.compact();
        write_set::<N>(
            path.as_ref(),
            &merged.main,
            &merged.prefix,
            &merged.disabled,
        )
    }

    /// Opens a saved set memory-mapped, checksum verified.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, IndexError> {
        Self::open_with(path, &OpenOptions::default())
    }

    pub fn open_with(path: impl AsRef<Path>, opts: &OpenOptions) -> Result<Self, IndexError> {
        let map = disk::map_file(path.as_ref())?;
        let parsed = disk::parse(&map, MAGIC, KIND, opts)?;
        load(&parsed, Source::Map(map))
    }

    /// Parses a set from bytes (copied). The same checks as [`ExactSet::open`].
    pub fn from_bytes(bytes: &[u8], opts: &OpenOptions) -> Result<Self, IndexError> {
        let parsed = disk::parse(bytes, MAGIC, KIND, opts)?;
        load(&parsed, Source::Bytes(bytes))
    }
}

/// Bucket bounds by the first two bytes of the sorted `N`-byte entries in `sorted`.
fn prefix_directory<const N: usize>(sorted: &[u8]) -> Vec<u32> {
    let n = sorted.len() / N;
    let bits = n.max(1).ilog2().min(MAX_PREFIX_BITS);
    let buckets = 1usize << bits;
    let mut prefix = vec![0u32; buckets + 1];
    for h in sorted.chunks_exact(N) {
        prefix[bucket(h, buckets + 1) + 1] += 1;
    }
    for p in 0..buckets {
        prefix[p + 1] += prefix[p];
    }
    prefix
}

/// The directory bucket of hash `h` for a directory of `dir_len = 2^p + 1` entries.
fn bucket(h: &[u8], dir_len: usize) -> usize {
    let bits = dir_len
        .saturating_sub(1)
        .max(1)
        .ilog2()
        .min(MAX_PREFIX_BITS);
    let top = u32::from(u16::from_be_bytes([h[0], h[1]]));
    (top >> (16 - bits)) as usize
}

fn write_set<const N: usize>(
    path: &Path,
    main: &[u8],
    prefix: &[u32],
    disabled: &[u64],
) -> Result<(), IndexError> {
    let meta = [N as u64, (main.len() / N) as u64, 0, 0, 0, 0, 0, 0];
    let sections = [
        (TAG_ENTRIES, vec![main]),
        (TAG_DISABLED, vec![bytemuck::cast_slice(disabled)]),
        (TAG_PREFIX, vec![bytemuck::cast_slice(prefix)]),
    ];
    disk::write_atomic(path, MAGIC, meta, &sections)
}

fn load<const N: usize>(p: &Parsed, src: Source<'_>) -> Result<ExactSet<N>, IndexError> {
    let [width, n, ..] = p.meta;
    if width != N as u64 {
        return Err(IndexError::corrupt(format!(
            "set of {width}-byte hashes opened as {N}-byte"
        )));
    }
    if n > u64::from(u32::MAX) {
        return Err(IndexError::corrupt(format!("{n} entries")));
    }
    let main = src.array::<u8>(p.section(TAG_ENTRIES)?, n * N as u64, false)?;
    let dir = p.section(TAG_PREFIX)?;
    let dir_len = dir.len / 4;
    if dir_len < 2 || !(dir_len - 1).is_power_of_two() || dir_len - 1 > 1 << MAX_PREFIX_BITS {
        return Err(IndexError::corrupt(format!(
            "prefix directory of {dir_len} entries"
        )));
    }
    let prefix = src.array::<u32>(dir, dir_len, false)?;
    let mut disabled = src
        .array::<u64>(p.section(TAG_DISABLED)?, n.div_ceil(64), false)?
        .to_vec();
    if n % 64 != 0
        && let Some(last) = disabled.last_mut()
    {
        *last &= (1u64 << (n % 64)) - 1;
    }
    Ok(ExactSet {
        main,
        prefix,
        disabled,
        added: BTreeSet::new(),
    })
}
