//! `Index::save` / `Index::open`: the index in the shared container format (see `disk.rs`).
//!
//! meta = [entries, main entries, tables]; sections: codes (all entries, `[u64; 4]` each),
//! disabled bitset, block widths, then per table its offsets and ids. Entries after the main
//! segment (delta and tail) are stored as codes only and re-indexed on open.

use std::path::Path;

use crate::Code;
use crate::disk::{self, OpenOptions, Parsed, Source};
use crate::error::IndexError;
use crate::index::{Index, IndexConfig, MAX_ENTRIES, Segment};
use crate::mih::{MAX_WIDTH, Mih, Table};

const MAGIC: &[u8; 8] = b"TUTLAIDX";
const KIND: &str = "index";
const TAG_CODES: u32 = 1;
const TAG_DISABLED: u32 = 2;
const TAG_WIDTHS: u32 = 3;
const TAG_OFFSETS: u32 = 0x100;
const TAG_IDS: u32 = 0x200;

impl Index {
    /// Writes the index to `path` atomically (temp file + rename). Call [`Index::compact`]
    /// first for the fastest open: only the main segment's tables are stored.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<(), IndexError> {
        let mut codes: Vec<&[u8]> = vec![bytemuck::cast_slice(&self.main.codes)];
        if let Some(d) = &self.delta {
            codes.push(bytemuck::cast_slice(&d.codes));
        }
        codes.push(bytemuck::cast_slice(&self.tail));
        let widths: Vec<u32> = self.main.mih.as_ref().map_or(Vec::new(), Mih::widths);
        let mut sections = vec![
            (TAG_CODES, codes),
            (TAG_DISABLED, vec![bytemuck::cast_slice(&self.disabled)]),
            (TAG_WIDTHS, vec![bytemuck::cast_slice(&widths)]),
        ];
        if let Some(mih) = &self.main.mih {
            for (j, t) in mih.tables.iter().enumerate() {
                sections.push((
                    TAG_OFFSETS + j as u32,
                    vec![bytemuck::cast_slice(&t.offsets)],
                ));
                sections.push((TAG_IDS + j as u32, vec![bytemuck::cast_slice(&t.ids)]));
            }
        }
        let meta = [
            u64::from(self.len),
            self.main.codes.len() as u64,
            widths.len() as u64,
            0,
            0,
            0,
            0,
            0,
        ];
        disk::write_atomic(path.as_ref(), MAGIC, meta, &sections)
    }

    /// Opens a saved index memory-mapped, checksum verified.
    pub fn open(path: impl AsRef<Path>) -> Result<Index, IndexError> {
        Index::open_with(path, &OpenOptions::default())
    }

    pub fn open_with(path: impl AsRef<Path>, opts: &OpenOptions) -> Result<Index, IndexError> {
        let map = disk::map_file(path.as_ref())?;
        let parsed = disk::parse(&map, MAGIC, KIND, opts)?;
        load(&parsed, Source::Map(map))
    }

    /// Parses an index from bytes (copied; any alignment). The same checks as [`Index::open`].
    pub fn from_bytes(bytes: &[u8], opts: &OpenOptions) -> Result<Index, IndexError> {
        let parsed = disk::parse(bytes, MAGIC, KIND, opts)?;
        load(&parsed, Source::Bytes(bytes))
    }
}

fn load(p: &Parsed, src: Source<'_>) -> Result<Index, IndexError> {
    let [len, n_main, m, ..] = p.meta;
    if len > MAX_ENTRIES || n_main > len {
        return Err(IndexError::corrupt(format!("{n_main} of {len} entries")));
    }
    let codes_sec = p.section(TAG_CODES)?;
    if codes_sec.len != len * size_of::<Code>() as u64 {
        return Err(IndexError::corrupt("codes section size"));
    }
    let mut disabled: Vec<u64> = src
        .array::<u64>(p.section(TAG_DISABLED)?, len.div_ceil(64), false)?
        .to_vec();
    // Bits past the last id would corrupt counts; a valid file never has them.
    if len % 64 != 0
        && let Some(last) = disabled.last_mut()
    {
        *last &= (1u64 << (len % 64)) - 1;
    }
    let widths: Vec<u32> = src.array::<u32>(p.section(TAG_WIDTHS)?, m, false)?.to_vec();
    if m > 0
        && (widths.iter().any(|&w| w == 0 || w > MAX_WIDTH) || widths.iter().sum::<u32>() != 256)
    {
        return Err(IndexError::corrupt(format!("block widths {widths:?}")));
    }
    let mih = if m == 0 {
        None
    } else {
        let mut tables = Vec::with_capacity(widths.len());
        let mut start = 0;
        for (j, &width) in widths.iter().enumerate() {
            let j = j as u32;
            let offsets = src.array(p.section(TAG_OFFSETS + j)?, (1u64 << width) + 1, false)?;
            let ids = src.array(p.section(TAG_IDS + j)?, n_main, false)?;
            tables.push(Table {
                start,
                width,
                offsets,
                ids,
            });
            start += width;
        }
        Some(Mih { tables })
    };
    let main = Segment {
        base: 0,
        codes: src.array(codes_sec, n_main, true)?,
        mih,
    };
    let config = IndexConfig::default();
    let rest: Vec<Code> = {
        let all: &[u8] = src.bytes();
        let start = (codes_sec.offset + n_main * size_of::<Code>() as u64) as usize;
        let end = (codes_sec.offset + codes_sec.len) as usize;
        bytemuck::pod_collect_to_vec(&all[start..end])
    };
    let mut index = Index {
        main,
        delta: None,
        tail: Vec::new(),
        disabled,
        len: len as u32,
        config,
    };
    if rest.len() >= index.config.tail_max {
        index.delta = Some(Segment::build(n_main as u32, rest, &index.config));
    } else {
        index.tail = rest;
    }
    Ok(index)
}
