//! A read-only array that is either owned or a section of a memory-mapped file.

use std::ops::Deref;
use std::sync::Arc;

use bytemuck::Pod;
use memmap2::{Advice, Mmap, MmapMut};

use crate::error::IndexError;

/// Arrays from this size up get huge-page backed anonymous maps.
const HUGE_MIN: usize = 4 << 20;
const HUGE_PAGE: usize = 2 << 20;

pub(crate) enum Buf<T: Pod> {
    Owned(Vec<T>),
    /// Large owned arrays live in anonymous maps advised to use transparent huge pages: the
    /// index is read at random, and 2 MiB pages take most TLB misses out of a query.
    Anon {
        map: MmapMut,
        start: usize,
        len: usize,
    },
    /// `len` elements of `T` at byte offset `start` of the map; range and alignment were
    /// checked when the value was made, so `Deref` cannot fail.
    Mapped {
        map: Arc<Mmap>,
        start: usize,
        len: usize,
    },
}

impl<T: Pod> Buf<T> {
    pub(crate) fn mapped(map: Arc<Mmap>, start: usize, len: usize) -> Result<Self, IndexError> {
        let bytes = len
            .checked_mul(size_of::<T>())
            .and_then(|b| b.checked_add(start))
            .and_then(|end| map.get(start..end))
            .ok_or_else(|| IndexError::corrupt("section outside the file"))?;
        // Byte casting: `T` is `Pod` (any bit pattern valid); bytemuck checks size and
        // alignment (sections are 64-byte aligned in a page-aligned map) without unsafe here.
        bytemuck::try_cast_slice::<u8, T>(bytes)
            .map_err(|_| IndexError::corrupt("misaligned section"))?;
        Ok(Buf::Mapped { map, start, len })
    }

    /// `len` zeroed elements; huge-page backed when large.
    pub(crate) fn zeroed(len: usize) -> Self {
        let bytes = len * size_of::<T>();
        if bytes >= HUGE_MIN {
            // Only 2 MiB-aligned ranges can become huge pages. Linux aligns anonymous maps
            // whose length is a multiple of 2 MiB; otherwise over-allocate and skip ahead.
            // Only the whole 2 MiB pages inside the array are advised, so the array's last
            // partial 2 MiB stays in 4 KiB pages and untouched pages cost address space only.
            let rounded = bytes.next_multiple_of(HUGE_PAGE);
            let map = MmapMut::map_anon(rounded)
                .ok()
                .filter(|m| (m.as_ptr() as usize).is_multiple_of(HUGE_PAGE))
                .or_else(|| MmapMut::map_anon(rounded + HUGE_PAGE).ok());
            if let Some(map) = map {
                let addr = map.as_ptr() as usize;
                let start = addr.next_multiple_of(HUGE_PAGE) - addr;
                // Advice only: without THP the map works with 4 KiB pages.
                let _ = map.advise_range(Advice::HugePage, start, bytes / HUGE_PAGE * HUGE_PAGE);
                return Buf::Anon { map, start, len };
            }
        }
        Buf::Owned(vec![T::zeroed(); len])
    }

    /// A copy of `v`, huge-page backed when large.
    pub(crate) fn copied(v: &[T]) -> Self {
        let mut b = Buf::zeroed(v.len());
        b.as_mut_slice().copy_from_slice(v);
        b
    }

    /// The elements, writable; empty for mapped (read-only) buffers.
    pub(crate) fn as_mut_slice(&mut self) -> &mut [T] {
        match self {
            Buf::Owned(v) => v,
            Buf::Anon { map, start, len } => {
                let bytes = &mut map[*start..*start + *len * size_of::<T>()];
                // Byte casting: anonymous maps are page aligned and `T` is `Pod`.
                bytemuck::try_cast_slice_mut(bytes).unwrap_or(&mut [])
            }
            Buf::Mapped { .. } => &mut [],
        }
    }

    /// Bytes of memory this buffer owns (capacity), 0 for file-mapped sections.
    pub(crate) fn heap_bytes(&self) -> usize {
        match self {
            Buf::Owned(v) => v.capacity() * size_of::<T>(),
            // Pages past the array are never touched.
            Buf::Anon { len, .. } => (len * size_of::<T>()).next_multiple_of(4096),
            Buf::Mapped { .. } => 0,
        }
    }

    pub(crate) fn mapped_bytes(&self) -> usize {
        match self {
            Buf::Mapped { len, .. } => len * size_of::<T>(),
            _ => 0,
        }
    }
}

impl<T: Pod> Deref for Buf<T> {
    type Target = [T];

    #[inline]
    fn deref(&self) -> &[T] {
        match self {
            Buf::Owned(v) => v,
            Buf::Anon { map, start, len } => {
                bytemuck::try_cast_slice(&map[*start..*start + *len * size_of::<T>()])
                    .unwrap_or(&[])
            }
            Buf::Mapped { map, start, len } => {
                let bytes = &map[*start..*start + *len * size_of::<T>()];
                // Validated in `mapped`; the fallback keeps this panic-free regardless.
                bytemuck::try_cast_slice(bytes).unwrap_or(&[])
            }
        }
    }
}

impl<T: Pod> From<Vec<T>> for Buf<T> {
    fn from(v: Vec<T>) -> Self {
        Buf::Owned(v)
    }
}
