//! On-disk container shared by the index and the exact sets.
//!
//! ```text
//! 0    magic [u8; 8]
//! 8    version u32            (1)
//! 12   reserved u32
//! 16   file_len u64
//! 24   payload_xxh3 u64       xxh3-64 of bytes [128, file_len)
//! 32   section_count u32
//! 36   reserved u32
//! 40   meta [u64; 8]          kind-specific counts
//! 104  reserved [u8; 16]
//! 120  header_xxh3 u64        xxh3-64 of bytes [0, 120)
//! 128  section table: section_count x { tag u32, reserved u32, offset u64, len u64 }
//!      sections, each at a 64-byte aligned offset
//! ```
//! All integers and arrays little-endian. The header has its own checksum, so a damaged header
//! is refused even when the payload checksum is skipped. xxh3 is used because it runs near
//! memory bandwidth (measured: see the crate README); it detects damage, not tampering.

use std::fs::File;
use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::Arc;

use bytemuck::Pod;
use memmap2::Mmap;
use xxhash_rust::xxh3::{Xxh3, xxh3_64};

use crate::buf::Buf;
use crate::error::IndexError;

pub(crate) const VERSION: u32 = 1;
pub(crate) const HEADER_LEN: usize = 128;
const ENTRY_LEN: usize = 24;
const ALIGN: u64 = 64;
const MAX_SECTIONS: u32 = 4096;

/// How files are opened.
#[derive(Clone, Debug)]
pub struct OpenOptions {
    /// Check the payload checksum (reads the whole file once). Without it a damaged payload
    /// gives wrong results but never a panic or unsafety: every access is bounds-checked.
    pub verify_checksum: bool,
}

impl Default for OpenOptions {
    fn default() -> Self {
        OpenOptions {
            verify_checksum: true,
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Section {
    pub(crate) tag: u32,
    pub(crate) offset: u64,
    pub(crate) len: u64,
}

pub(crate) struct Parsed {
    pub(crate) meta: [u64; 8],
    pub(crate) sections: Vec<Section>,
}

impl Parsed {
    pub(crate) fn section(&self, tag: u32) -> Result<Section, IndexError> {
        self.sections
            .iter()
            .find(|s| s.tag == tag)
            .copied()
            .ok_or_else(|| IndexError::corrupt(format!("missing section {tag:#x}")))
    }
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    let mut w = [0u8; 4];
    w.copy_from_slice(&b[at..at + 4]);
    u32::from_le_bytes(w)
}

fn u64_at(b: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(w)
}

/// Checks magic, version, header checksum, length, payload checksum (if asked) and that every
/// section lies inside the file, aligned and after the section table.
pub(crate) fn parse(
    bytes: &[u8],
    magic: &[u8; 8],
    kind: &'static str,
    opts: &OpenOptions,
) -> Result<Parsed, IndexError> {
    if cfg!(target_endian = "big") {
        return Err(IndexError::Config(
            "big-endian hosts are not supported".into(),
        ));
    }
    let actual = bytes.len() as u64;
    let head = &bytes[..bytes.len().min(8)];
    if head != &magic[..head.len()] {
        return Err(IndexError::BadMagic { expected: kind });
    }
    if bytes.len() < HEADER_LEN {
        return Err(IndexError::Truncated {
            needed: HEADER_LEN as u64,
            actual,
        });
    }
    let version = u32_at(bytes, 8);
    if version != VERSION {
        return Err(IndexError::UnsupportedVersion {
            found: version,
            supported: VERSION,
        });
    }
    let stored = u64_at(bytes, 120);
    let computed = xxh3_64(&bytes[..120]);
    if stored != computed {
        return Err(IndexError::ChecksumMismatch {
            what: "header",
            stored,
            computed,
        });
    }
    let file_len = u64_at(bytes, 16);
    if actual < file_len {
        return Err(IndexError::Truncated {
            needed: file_len,
            actual,
        });
    }
    if actual > file_len {
        return Err(IndexError::corrupt(format!(
            "{} bytes after the recorded end",
            actual - file_len
        )));
    }
    if opts.verify_checksum {
        let stored = u64_at(bytes, 24);
        let computed = xxh3_64(&bytes[HEADER_LEN..]);
        if stored != computed {
            return Err(IndexError::ChecksumMismatch {
                what: "payload",
                stored,
                computed,
            });
        }
    }
    let count = u32_at(bytes, 32);
    if count > MAX_SECTIONS {
        return Err(IndexError::corrupt(format!("{count} sections")));
    }
    let table_end = (HEADER_LEN + count as usize * ENTRY_LEN) as u64;
    if table_end > file_len {
        return Err(IndexError::corrupt("section table outside the file"));
    }
    let mut meta = [0u64; 8];
    for (i, m) in meta.iter_mut().enumerate() {
        *m = u64_at(bytes, 40 + 8 * i);
    }
    let mut sections = Vec::with_capacity(count as usize);
    for i in 0..count as usize {
        let at = HEADER_LEN + i * ENTRY_LEN;
        let s = Section {
            tag: u32_at(bytes, at),
            offset: u64_at(bytes, at + 8),
            len: u64_at(bytes, at + 16),
        };
        let inside = s.offset >= table_end
            && s.offset.is_multiple_of(ALIGN)
            && s.offset.checked_add(s.len).is_some_and(|e| e <= file_len);
        if !inside {
            return Err(IndexError::corrupt(format!(
                "section {:#x} at {}+{} outside the file",
                s.tag, s.offset, s.len
            )));
        }
        if sections.iter().any(|o: &Section| o.tag == s.tag) {
            return Err(IndexError::corrupt(format!(
                "duplicate section {:#x}",
                s.tag
            )));
        }
        sections.push(s);
    }
    Ok(Parsed { meta, sections })
}

/// Where sections come from: a shared file map (zero copy) or a byte slice (copied, so any
/// alignment works).
pub(crate) enum Source<'a> {
    Map(Arc<Mmap>),
    Bytes(&'a [u8]),
}

impl Source<'_> {
    pub(crate) fn bytes(&self) -> &[u8] {
        match self {
            Source::Map(m) => m,
            Source::Bytes(b) => b,
        }
    }

    /// The first `count` elements of a section whose byte length must be `count * size_of::<T>()`
    /// or, with `at_least`, no less.
    pub(crate) fn array<T: Pod>(
        &self,
        s: Section,
        count: u64,
        at_least: bool,
    ) -> Result<Buf<T>, IndexError> {
        let bytes = count
            .checked_mul(size_of::<T>() as u64)
            .ok_or_else(|| IndexError::corrupt("section size overflow"))?;
        if bytes > s.len || (!at_least && bytes != s.len) {
            return Err(IndexError::corrupt(format!(
                "section {:#x}: {} bytes, expected {bytes}",
                s.tag, s.len
            )));
        }
        // Both fit in usize: the section lies inside a file that is in memory.
        let (start, end) = (s.offset as usize, (s.offset + bytes) as usize);
        match self {
            Source::Map(m) => Buf::mapped(m.clone(), start, count as usize),
            Source::Bytes(b) => Ok(Buf::Owned(bytemuck::pod_collect_to_vec(&b[start..end]))),
        }
    }
}

/// Memory-maps `path` read-only.
pub(crate) fn map_file(path: &Path) -> Result<Arc<Mmap>, IndexError> {
    let io = |source| IndexError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = File::open(path).map_err(io)?;
    // SAFETY: the map is read-only and we only ever replace index files by rename, never write
    // them in place, so the bytes do not change under us. Another process truncating the file
    // would fault (SIGBUS); that is the documented cost of memory-mapping.
    let map = unsafe { Mmap::map(&file) }.map_err(io)?;
    Ok(Arc::new(map))
}

/// Writes a container atomically: temp file beside `path`, fsync, rename, fsync of the folder.
pub(crate) fn write_atomic(
    path: &Path,
    magic: &[u8; 8],
    meta: [u64; 8],
    sections: &[(u32, Vec<&[u8]>)],
) -> Result<(), IndexError> {
    let io = |source| IndexError::Io {
        path: path.to_path_buf(),
        source,
    };
    let name = path
        .file_name()
        .ok_or_else(|| IndexError::Config(format!("{} is not a file path", path.display())))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".tmp-{}", std::process::id()));
    let tmp = path.with_file_name(tmp_name);

    let result = (|| -> std::io::Result<()> {
        let mut file = File::create(&tmp)?;
        let mut w = BufWriter::with_capacity(1 << 20, &mut file);
        let mut hasher = Xxh3::new();

        let mut table = Vec::with_capacity(sections.len() * ENTRY_LEN);
        let mut at = (HEADER_LEN + sections.len() * ENTRY_LEN) as u64;
        let mut places = Vec::with_capacity(sections.len());
        for (tag, parts) in sections {
            let len: u64 = parts.iter().map(|p| p.len() as u64).sum();
            at = at.next_multiple_of(ALIGN);
            table.extend_from_slice(&tag.to_le_bytes());
            table.extend_from_slice(&0u32.to_le_bytes());
            table.extend_from_slice(&at.to_le_bytes());
            table.extend_from_slice(&len.to_le_bytes());
            places.push(at);
            at += len;
        }
        let file_len = at;

        w.write_all(&[0u8; HEADER_LEN])?;
        w.write_all(&table)?;
        hasher.update(&table);
        let mut pos = (HEADER_LEN + table.len()) as u64;
        let zeros = [0u8; ALIGN as usize];
        for ((_, parts), &place) in sections.iter().zip(&places) {
            let pad = &zeros[..(place - pos) as usize];
            w.write_all(pad)?;
            hasher.update(pad);
            pos = place;
            for data in parts {
                w.write_all(data)?;
                hasher.update(data);
                pos += data.len() as u64;
            }
        }
        w.flush()?;
        drop(w);

        let mut header = [0u8; HEADER_LEN];
        header[..8].copy_from_slice(magic);
        header[8..12].copy_from_slice(&VERSION.to_le_bytes());
        header[16..24].copy_from_slice(&file_len.to_le_bytes());
        header[24..32].copy_from_slice(&hasher.digest().to_le_bytes());
        header[32..36].copy_from_slice(&(sections.len() as u32).to_le_bytes());
        for (i, m) in meta.iter().enumerate() {
            header[40 + 8 * i..48 + 8 * i].copy_from_slice(&m.to_le_bytes());
        }
        let hsum = xxh3_64(&header[..120]);
        header[120..].copy_from_slice(&hsum.to_le_bytes());
        file.seek(SeekFrom::Start(0))?;
        file.write_all(&header)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, path)?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            // Persist the rename; not every platform lets a directory be opened, so best effort.
            if let Ok(d) = File::open(dir) {
                let _ = d.sync_all();
            }
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(io)
}
