//! Fast mode's JPEG path: the luminance plane shrunk by 2, 4 or 8 straight from the DCT
//! coefficients, without a full IDCT, without keeping chroma, and without the value of any AC
//! coefficient the shrunk output does not use.
//!
//! Only baseline sequential Huffman-coded 8-bit streams (SOF0, SOF1) with 1 (grey) or 3 (YCbCr)
//! components in one interleaved scan are read. Anything else, and any sign of damage, is an
//! error: the caller then decodes with the general (strict) decoder, which decides.
//!
//! The maths. The 8x8 inverse DCT is
//! `f(x, y) = sum_u sum_v c(u)/2 c(v)/2 F(v, u) cos((2x+1)u pi/16) cos((2y+1)v pi/16)` with
//! `c(0) = 1/sqrt 2`, `c(k) = 1` otherwise (`u` horizontal, `v` vertical, `F` dequantised).
//! The mean of `f` over the `f x f` cell `o` (for factor `f`, `n = 8/f` cells a side) is
//! separable: `mean(ox, oy) = sum_u sum_v W[oy][v] W[ox][u] F(v, u)` with
//! `W[o][k] = c(k)/2 * mean_{x in o*f .. o*f+f} cos((2x+1)k pi/16)`.
//! For `k = 0`, `W = 1/(2 sqrt 2)`, so factor 8 (one cell) is `F(0,0)/8`: the block mean.
//! For factor 4 (libjpeg's 2x2 reduced IDCT) `W[0][1] = -W[1][1] = 1/2 * mean_{x<4}
//! cos((2x+1) pi/16)`; higher frequencies have a zero mean over half blocks only for even `k`,
//! and are small in photos, so only `u, v < n` are used (the 4 lowest coefficients at factor 4,
//! the 16 lowest at factor 2). 128 is added back (level shift) and the result clamped to 0..=255.

use crate::Limits;

/// Why the fast path declined a stream (the general decoder then takes over).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LowFreqError {
    Unsupported(&'static str),
    Corrupt(&'static str),
}

use LowFreqError::{Corrupt, Unsupported};

type Result<T> = std::result::Result<T, LowFreqError>;

/// Shrunk luminance, `width x height` block means of a `source_width x source_height` image.
#[derive(Clone, Debug, PartialEq)]
pub struct ShrunkLuma {
    pub luma: Vec<f32>,
    pub width: usize,
    pub height: usize,
    pub source_width: usize,
    pub source_height: usize,
}

/// Natural (row-major) index of the `k`-th coefficient in zigzag order.
const ZIGZAG: [usize; 64] = [
    0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20,
    13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59,
    52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
];

const LOOKUP_BITS: u32 = 9;

struct Huffman {
    /// `(code length << 8) | symbol` for codes of at most `LOOKUP_BITS` bits, 0 otherwise.
    lookup: [u16; 1 << LOOKUP_BITS],
    /// Per length, the first code not of that length (exclusive bound, canonical order).
    max_code: [i32; 17],
    /// Per length, `index of its first value - its first code`.
    val_offset: [i32; 17],
    values: [u8; 256],
}

impl Huffman {
    fn new(counts: &[u8; 16], symbols: &[u8]) -> Result<Box<Huffman>> {
        let mut h = Box::new(Huffman {
            lookup: [0; 1 << LOOKUP_BITS],
            max_code: [-1; 17],
            val_offset: [0; 17],
            values: [0; 256],
        });
        h.values[..symbols.len()].copy_from_slice(symbols);
        let mut code: u32 = 0;
        let mut k = 0usize;
        for len in 1..=16u32 {
            let count = usize::from(counts[len as usize - 1]);
            h.val_offset[len as usize] = k as i32 - code as i32;
            for _ in 0..count {
                // More codes than this length holds: checked before the code is used as an index.
                if code >= (1 << len) {
                    return Err(Corrupt("bad Huffman table"));
                }
                if len <= LOOKUP_BITS {
                    let shift = LOOKUP_BITS - len;
                    let first = (code << shift) as usize;
                    let entry = ((len as u16) << 8) | u16::from(symbols[k]);
                    h.lookup[first..first + (1 << shift)].fill(entry);
                }
                code += 1;
                k += 1;
            }
            h.max_code[len as usize] = code as i32;
            code <<= 1;
        }
        Ok(h)
    }
}

/// Entropy-coded data reader: a 64-bit accumulator, valid bits at the top.
struct Bits<'a> {
    data: &'a [u8],
    pos: usize,
    acc: u64,
    bits: u32,
    /// Zero bits appended past a marker or the end of the data.
    pad: u32,
    marker: bool,
}

impl<'a> Bits<'a> {
    fn new(data: &'a [u8], pos: usize) -> Self {
        Bits {
            data,
            pos,
            acc: 0,
            bits: 0,
            pad: 0,
            marker: false,
        }
    }

    /// Ensures at least 32 bits (real or padding) are in the accumulator.
    #[inline(always)]
    fn refill(&mut self) {
        if self.bits >= 32 {
            return;
        }
        if let Some(chunk) = self.data.get(self.pos..self.pos + 8) {
            let word = u64::from_be_bytes(chunk.try_into().unwrap_or([0xFF; 8]));
            let inv = !word;
            let has_ff = inv.wrapping_sub(0x0101_0101_0101_0101) & !inv & 0x8080_8080_8080_8080;
            if has_ff == 0 {
                // Bits below the counted ones are the next byte's own leading bits, so a later
                // OR of that byte leaves them unchanged.
                self.acc |= word >> self.bits;
                self.pos += ((63 - self.bits) >> 3) as usize;
                self.bits |= 56;
                return;
            }
        }
        self.refill_slow();
    }

    #[cold]
    fn refill_slow(&mut self) {
        self.acc &= !(u64::MAX >> self.bits);
        while self.bits <= 56 {
            let mut byte = 0u8;
            let mut real = false;
            if !self.marker && self.pos < self.data.len() {
                let b = self.data[self.pos];
                if b != 0xFF {
                    byte = b;
                    real = true;
                    self.pos += 1;
                } else if self.data.get(self.pos + 1) == Some(&0) {
                    byte = 0xFF;
                    real = true;
                    self.pos += 2;
                } else {
                    self.marker = true;
                }
            }
            if !real {
                self.pad = self.pad.saturating_add(8);
            }
            self.acc |= u64::from(byte) << (56 - self.bits);
            self.bits += 8;
        }
    }

    #[inline(always)]
    fn consume(&mut self, n: u32) {
        self.acc <<= n;
        self.bits -= n;
    }

    /// `n` in 1..=16 bits; at least `n` must be buffered.
    #[inline(always)]
    fn take(&mut self, n: u32) -> u32 {
        let v = (self.acc >> (64 - n)) as u32;
        self.consume(n);
        v
    }

    /// One Huffman symbol; at least 32 bits must be buffered.
    #[inline(always)]
    fn symbol(&mut self, h: &Huffman) -> Result<u8> {
        let e = h.lookup[(self.acc >> (64 - LOOKUP_BITS)) as usize];
        if e != 0 {
            self.consume(u32::from(e >> 8));
            return Ok(e as u8);
        }
        self.symbol_slow(h)
    }

    #[cold]
    fn symbol_slow(&mut self, h: &Huffman) -> Result<u8> {
        let c16 = (self.acc >> 48) as i32;
        for len in LOOKUP_BITS + 1..=16 {
            let c = c16 >> (16 - len);
            if c < h.max_code[len as usize] {
                let idx = c + h.val_offset[len as usize];
                let v = usize::try_from(idx)
                    .ok()
                    .and_then(|i| h.values.get(i))
                    .ok_or(Corrupt("bad Huffman code"))?;
                self.consume(len);
                return Ok(*v);
            }
        }
        Err(Corrupt("bad Huffman code"))
    }

    /// Consumed padding: the data ran out or hit a marker mid-scan.
    fn overran(&self) -> bool {
        self.pad > self.bits
    }
}

#[inline(always)]
fn extend(v: u32, s: u32) -> i32 {
    let v = v as i32;
    if v < (1 << (s - 1)) {
        v - (1 << s) + 1
    } else {
        v
    }
}

/// Decodes one block, keeping the coefficients up to zigzag index `LAST` (natural order in
/// `coef`, undequantised); the rest are decoded and dropped.
#[inline(always)]
fn decode_block<const LAST: usize>(
    bits: &mut Bits,
    dc: &Huffman,
    ac: &Huffman,
    pred: &mut i32,
    coef: &mut [i32; 64],
) -> Result<()> {
    bits.refill();
    let s = u32::from(bits.symbol(dc)?);
    if s > 11 {
        return Err(Corrupt("bad DC size"));
    }
    if s > 0 {
        let v = bits.take(s);
        *pred = pred.wrapping_add(extend(v, s));
    }
    coef[0] = *pred;
    let mut k = 1usize;
    while k <= LAST {
        match ac_step(bits, ac, k)? {
            AcStep::EndOfBlock => return Ok(()),
            AcStep::ZeroRun16 => k += 16,
            AcStep::Coefficient { index, size } => {
                let v = bits.take(size);
                if index <= LAST {
                    coef[ZIGZAG[index]] = extend(v, size);
                }
                k = index + 1;
            }
        }
    }
    skip_ac(bits, ac, k)
}

/// One run/size symbol of the AC coefficients.
enum AcStep {
    EndOfBlock,
    /// Sixteen zero coefficients.
    ZeroRun16,
    /// A non-zero coefficient at zigzag `index`, whose `size` extra bits follow.
    Coefficient {
        index: usize,
        size: u32,
    },
}

/// Reads the next AC symbol, the block being at zigzag index `k`.
#[inline(always)]
fn ac_step(bits: &mut Bits, ac: &Huffman, k: usize) -> Result<AcStep> {
    bits.refill();
    let sym = bits.symbol(ac)?;
    let (run, size) = (usize::from(sym >> 4), u32::from(sym & 15));
    if size == 0 {
        return Ok(if run == 15 {
            AcStep::ZeroRun16
        } else {
            AcStep::EndOfBlock
        });
    }
    let index = k + run;
    if index > 63 || size > 10 {
        return Err(Corrupt("bad AC coefficient"));
    }
    Ok(AcStep::Coefficient { index, size })
}

/// Decodes and drops AC coefficients from zigzag index `k`.
#[inline(always)]
fn skip_ac(bits: &mut Bits, ac: &Huffman, mut k: usize) -> Result<()> {
    while k < 64 {
        match ac_step(bits, ac, k)? {
            AcStep::EndOfBlock => return Ok(()),
            AcStep::ZeroRun16 => k += 16,
            AcStep::Coefficient { index, size } => {
                bits.consume(size);
                k = index + 1;
            }
        }
    }
    if k > 64 {
        return Err(Corrupt("bad AC run"));
    }
    Ok(())
}

/// Decodes and drops a whole block (chroma).
#[inline(always)]
fn skip_block(bits: &mut Bits, dc: &Huffman, ac: &Huffman) -> Result<()> {
    bits.refill();
    let s = u32::from(bits.symbol(dc)?);
    if s > 11 {
        return Err(Corrupt("bad DC size"));
    }
    bits.consume(s);
    skip_ac(bits, ac, 1)
}

#[derive(Clone, Copy)]
struct Component {
    id: u8,
    h: usize,
    v: usize,
    tq: usize,
}

struct Frame {
    width: usize,
    height: usize,
    components: Vec<Component>,
}

fn be16(data: &[u8], at: usize) -> Result<usize> {
    match data.get(at..at + 2) {
        Some(b) => Ok(usize::from(u16::from_be_bytes([b[0], b[1]]))),
        None => Err(Corrupt("truncated header")),
    }
}

/// Decodes the luminance of a baseline JPEG as `factor x factor` block means (`factor` 2, 4 or 8).
pub fn decode_luma_shrunk(bytes: &[u8], factor: usize, limits: &Limits) -> Result<ShrunkLuma> {
    if !matches!(factor, 2 | 4 | 8) {
        return Err(Unsupported("shrink factor"));
    }
    if bytes.len() as u64 > limits.max_bytes {
        return Err(Unsupported("too many bytes"));
    }
    if bytes.get(..2) != Some(&[0xFF, 0xD8]) {
        return Err(Unsupported("not a JPEG"));
    }
    let mut quant: [Option<[u16; 64]>; 4] = [None; 4];
    let mut dc_tables: [Option<Box<Huffman>>; 4] = [None, None, None, None];
    let mut ac_tables: [Option<Box<Huffman>>; 4] = [None, None, None, None];
    let mut frame: Option<Frame> = None;
    let mut restart_interval = 0usize;
    let mut adobe_rgb = false;
    let sos: &[u8];
    let mut pos = 2;
    loop {
        if bytes.get(pos) != Some(&0xFF) {
            return Err(Corrupt("expected a marker"));
        }
        while bytes.get(pos) == Some(&0xFF) {
            pos += 1;
        }
        let marker = *bytes.get(pos).ok_or(Corrupt("truncated"))?;
        pos += 1;
        if marker == 0x01 || (0xD0..=0xD7).contains(&marker) {
            continue;
        }
        if marker == 0xD8 || marker == 0xD9 {
            return Err(Corrupt("unexpected SOI/EOI"));
        }
        let len = be16(bytes, pos)?;
        if len < 2 {
            return Err(Corrupt("bad segment length"));
        }
        let seg = bytes
            .get(pos + 2..pos + len)
            .ok_or(Corrupt("truncated segment"))?;
        pos += len;
        match marker {
            0xC0 | 0xC1 => {
                if frame.is_some() {
                    return Err(Unsupported("two frames"));
                }
                frame = Some(parse_sof(seg)?);
            }
            0xC2..=0xCF if marker != 0xC4 => return Err(Unsupported("not baseline Huffman")),
            0xC4 => parse_dht(seg, &mut dc_tables, &mut ac_tables)?,
            0xDB => parse_dqt(seg, &mut quant)?,
            0xDD => restart_interval = be16(seg, 0)?,
            0xEE => {
                if seg.len() >= 12 && seg.starts_with(b"Adobe") && seg[11] == 0 {
                    adobe_rgb = true;
                }
            }
            0xE0..=0xEF | 0xFE => {}
            0xDA => {
                sos = seg;
                break;
            }
            _ => return Err(Unsupported("unexpected marker")),
        }
    }
    let frame = frame.ok_or(Corrupt("no frame header"))?;
    if adobe_rgb && frame.components.len() == 3 {
        return Err(Unsupported("RGB colour transform"));
    }
    let pixels = (frame.width as u64).saturating_mul(frame.height as u64);
    if pixels > limits.max_pixels {
        return Err(Unsupported("too many pixels"));
    }
    let scan = parse_sos(sos, &frame, &dc_tables, &ac_tables)?;
    if frame.components.iter().any(|c| quant[c.tq].is_none()) {
        return Err(Corrupt("missing quantisation table"));
    }
    let q = quant[frame.components[0].tq].ok_or(Corrupt("missing quantisation table"))?;
    let mut out = Output::new(&frame, factor, &q);
    let end = decode_scan(bytes, pos, &frame, &scan, restart_interval, &mut out)?;
    // Only an end marker may follow the (single) scan.
    if find_marker(bytes, end) != Some(0xD9) {
        return Err(Unsupported("data after the scan"));
    }
    Ok(ShrunkLuma {
        luma: out.luma,
        width: out.width,
        height: out.height,
        source_width: frame.width,
        source_height: frame.height,
    })
}

/// The marker at or after `pos` in entropy-coded data (fill bytes skipped).
fn find_marker(bytes: &[u8], mut pos: usize) -> Option<u8> {
    loop {
        if *bytes.get(pos)? == 0xFF {
            let next = *bytes.get(pos + 1)?;
            if next != 0 && next != 0xFF {
                return Some(next);
            }
            pos += if next == 0 { 2 } else { 1 };
        } else {
            pos += 1;
        }
    }
}

/// Position just past the marker at or after `pos`.
fn skip_marker(bytes: &[u8], mut pos: usize) -> Option<(u8, usize)> {
    loop {
        if *bytes.get(pos)? == 0xFF {
            let next = *bytes.get(pos + 1)?;
            if next != 0 && next != 0xFF {
                return Some((next, pos + 2));
            }
            pos += if next == 0 { 2 } else { 1 };
        } else {
            pos += 1;
        }
    }
}

struct ScanComponent<'t> {
    is_luma: bool,
    h: usize,
    v: usize,
    dc: &'t Huffman,
    ac: &'t Huffman,
}

fn parse_sos<'t>(
    seg: &[u8],
    frame: &Frame,
    dc: &'t Tables,
    ac: &'t Tables,
) -> Result<Vec<ScanComponent<'t>>> {
    let n = usize::from(*seg.first().ok_or(Corrupt("short SOS"))?);
    if seg.len() < 1 + 2 * n + 3 {
        return Err(Corrupt("short SOS"));
    }
    if n != frame.components.len() {
        return Err(Unsupported("scan without every component"));
    }
    let tail = &seg[1 + 2 * n..];
    if tail[0] != 0 || tail[1] != 63 || tail[2] != 0 {
        return Err(Unsupported("not a sequential scan"));
    }
    let mut seen = [false; 4];
    let mut out = Vec::with_capacity(n);
    for c in seg[1..1 + 2 * n].chunks_exact(2) {
        let index = frame
            .components
            .iter()
            .position(|fc| fc.id == c[0])
            .ok_or(Corrupt("unknown scan component"))?;
        if std::mem::replace(&mut seen[index], true) {
            return Err(Corrupt("repeated scan component"));
        }
        let (td, ta) = (usize::from(c[1] >> 4), usize::from(c[1] & 15));
        let dc = dc.get(td).and_then(|t| t.as_deref());
        let ac = ac.get(ta).and_then(|t| t.as_deref());
        let (Some(dc), Some(ac)) = (dc, ac) else {
            return Err(Unsupported("missing Huffman table"));
        };
        let fc = frame.components[index];
        out.push(ScanComponent {
            is_luma: index == 0,
            h: fc.h,
            v: fc.v,
            dc,
            ac,
        });
    }
    Ok(out)
}

/// The shrunk plane and the per-factor reconstruction weights.
struct Output {
    luma: Vec<f32>,
    width: usize,
    height: usize,
    /// Cells per block side: 8 / factor.
    n: usize,
    /// `weights[o * n + k]`: `W[o][k]` of the module comment.
    weights: [f32; 16],
    /// Dequantisation of the luma table, natural order.
    q: [f32; 64],
}

impl Output {
    fn new(frame: &Frame, factor: usize, q: &[u16; 64]) -> Self {
        let (width, height) = (frame.width.div_ceil(factor), frame.height.div_ceil(factor));
        let n = 8 / factor;
        let mut weights = [0f32; 16];
        for o in 0..n {
            for k in 0..n {
                let c = if k == 0 {
                    std::f64::consts::FRAC_1_SQRT_2
                } else {
                    1.0
                };
                let mean = (o * factor..(o + 1) * factor)
                    .map(|x| ((2 * x + 1) as f64 * k as f64 * std::f64::consts::PI / 16.0).cos())
                    .sum::<f64>()
                    / factor as f64;
                weights[o * n + k] = (c / 2.0 * mean) as f32;
            }
        }
        Output {
            luma: vec![0.0; width * height],
            width,
            height,
            n,
            weights,
            q: q.map(f32::from),
        }
    }

    /// Writes the cells of the luma block at block column `bx`, row `by`.
    #[inline(always)]
    fn emit<const N: usize>(&mut self, coef: &[i32; 64], bx: usize, by: usize) {
        let (x0, y0) = (bx * N, by * N);
        if x0 >= self.width || y0 >= self.height {
            return; // padding block
        }
        if N == 1 {
            let v = coef[0] as f32 * self.q[0] * 0.125 + 128.0;
            self.luma[y0 * self.width + x0] = v.clamp(0.0, 255.0);
            return;
        }
        let mut w = [[0f32; N]; N];
        for (o, row) in w.iter_mut().enumerate() {
            row.copy_from_slice(&self.weights[o * N..o * N + N]);
        }
        // Rows: tmp[v][ox] = sum_u F(v, u) W[ox][u].
        let mut tmp = [[0f32; N]; N];
        for v in 0..N {
            let mut f = [0f32; N];
            for u in 0..N {
                f[u] = coef[v * 8 + u] as f32 * self.q[v * 8 + u];
            }
            for ox in 0..N {
                let mut t = 0.0;
                for u in 0..N {
                    t += f[u] * w[ox][u];
                }
                tmp[v][ox] = t;
            }
        }
        let cols = N.min(self.width - x0);
        let rows = N.min(self.height - y0);
        for (oy, wy) in w.iter().enumerate().take(rows) {
            let line = &mut self.luma[(y0 + oy) * self.width + x0..][..cols];
            for (ox, out) in line.iter_mut().enumerate() {
                let mut v = 128.0;
                for k in 0..N {
                    v += wy[k] * tmp[k][ox];
                }
                *out = v.clamp(0.0, 255.0);
            }
        }
    }
}

/// Decodes the scan starting at `pos`; returns the position where its entropy data stopped.
fn decode_scan(
    bytes: &[u8],
    pos: usize,
    frame: &Frame,
    scan: &[ScanComponent],
    restart_interval: usize,
    out: &mut Output,
) -> Result<usize> {
    match out.n {
        1 => decode_scan_n::<1, 0>(bytes, pos, frame, scan, restart_interval, out),
        2 => decode_scan_n::<2, 4>(bytes, pos, frame, scan, restart_interval, out),
        _ => decode_scan_n::<4, 24>(bytes, pos, frame, scan, restart_interval, out),
    }
}

fn decode_scan_n<const N: usize, const LAST: usize>(
    bytes: &[u8],
    pos: usize,
    frame: &Frame,
    scan: &[ScanComponent],
    restart_interval: usize,
    out: &mut Output,
) -> Result<usize> {
    let hmax = frame.components.iter().map(|c| c.h).max().unwrap_or(1);
    let vmax = frame.components.iter().map(|c| c.v).max().unwrap_or(1);
    let single = scan.len() == 1;
    let (mcus_x, mcus_y) = if single {
        (frame.width.div_ceil(8), frame.height.div_ceil(8))
    } else {
        let luma = &frame.components[0];
        if luma.h != hmax || luma.v != vmax {
            return Err(Unsupported("subsampled luma"));
        }
        let blocks: usize = scan.iter().map(|c| c.h * c.v).sum();
        if blocks > 10 {
            return Err(Corrupt("too many blocks per MCU"));
        }
        (
            frame.width.div_ceil(8 * hmax),
            frame.height.div_ceil(8 * vmax),
        )
    };
    let total = mcus_x * mcus_y;
    let mut bits = Bits::new(bytes, pos);
    let mut preds = [0i32; 4];
    let mut coef = [0i32; 64];
    let mut done = 0usize;
    let mut next_restart = 0u8;
    for my in 0..mcus_y {
        for mx in 0..mcus_x {
            if restart_interval > 0 && done > 0 && done.is_multiple_of(restart_interval) {
                if bits.overran() {
                    return Err(Corrupt("truncated before restart"));
                }
                let (marker, after) =
                    skip_marker(bytes, bits.pos).ok_or(Corrupt("missing restart marker"))?;
                if marker != 0xD0 + next_restart {
                    return Err(Corrupt("wrong restart marker"));
                }
                next_restart = (next_restart + 1) & 7;
                bits = Bits::new(bytes, after);
                preds = [0; 4];
            }
            if single {
                let c = &scan[0];
                for &z in &ZIGZAG[1..=LAST] {
                    coef[z] = 0;
                }
                decode_block::<LAST>(&mut bits, c.dc, c.ac, &mut preds[0], &mut coef)?;
                out.emit::<N>(&coef, mx, my);
            } else {
                for (ci, c) in scan.iter().enumerate() {
                    for by in 0..c.v {
                        for bx in 0..c.h {
                            if c.is_luma {
                                for &z in &ZIGZAG[1..=LAST] {
                                    coef[z] = 0;
                                }
                                decode_block::<LAST>(
                                    &mut bits,
                                    c.dc,
                                    c.ac,
                                    &mut preds[ci],
                                    &mut coef,
                                )?;
                                out.emit::<N>(&coef, mx * c.h + bx, my * c.v + by);
                            } else {
                                skip_block(&mut bits, c.dc, c.ac)?;
                            }
                        }
                    }
                }
            }
            if bits.overran() {
                return Err(Corrupt("truncated scan"));
            }
            done += 1;
        }
    }
    if done != total {
        return Err(Corrupt("MCU count"));
    }
    Ok(bits.pos)
}

fn parse_sof(seg: &[u8]) -> Result<Frame> {
    if seg.len() < 6 {
        return Err(Corrupt("short SOF"));
    }
    if seg[0] != 8 {
        return Err(Unsupported("not 8-bit"));
    }
    let height = be16(seg, 1)?;
    let width = be16(seg, 3)?;
    let n = usize::from(seg[5]);
    if width == 0 || height == 0 {
        return Err(Unsupported("zero size or DNL"));
    }
    if n != 1 && n != 3 {
        return Err(Unsupported("component count"));
    }
    if seg.len() < 6 + 3 * n {
        return Err(Corrupt("short SOF"));
    }
    let mut components = Vec::with_capacity(n);
    for c in seg[6..6 + 3 * n].chunks_exact(3) {
        let (h, v, tq) = (
            usize::from(c[1] >> 4),
            usize::from(c[1] & 15),
            usize::from(c[2]),
        );
        if !(1..=4).contains(&h) || !(1..=4).contains(&v) || tq > 3 {
            return Err(Corrupt("bad component"));
        }
        components.push(Component { id: c[0], h, v, tq });
    }
    Ok(Frame {
        width,
        height,
        components,
    })
}

fn parse_dqt(mut seg: &[u8], quant: &mut [Option<[u16; 64]>; 4]) -> Result<()> {
    while let Some((&pt, rest)) = seg.split_first() {
        let (precision, id) = (pt >> 4, usize::from(pt & 15));
        if id > 3 || precision > 1 {
            return Err(Corrupt("bad DQT"));
        }
        let size = if precision == 0 { 64 } else { 128 };
        let body = rest.get(..size).ok_or(Corrupt("short DQT"))?;
        let mut table = [0u16; 64];
        for (k, &natural) in ZIGZAG.iter().enumerate() {
            table[natural] = if precision == 0 {
                u16::from(body[k])
            } else {
                u16::from_be_bytes([body[2 * k], body[2 * k + 1]])
            };
        }
        quant[id] = Some(table);
        seg = &rest[size..];
    }
    Ok(())
}

type Tables = [Option<Box<Huffman>>; 4];

fn parse_dht(mut seg: &[u8], dc: &mut Tables, ac: &mut Tables) -> Result<()> {
    while let Some((&ct, rest)) = seg.split_first() {
        let (class, id) = (ct >> 4, usize::from(ct & 15));
        if class > 1 || id > 3 {
            return Err(Corrupt("bad DHT"));
        }
        let counts: [u8; 16] = rest
            .get(..16)
            .and_then(|c| c.try_into().ok())
            .ok_or(Corrupt("short DHT"))?;
        let total: usize = counts.iter().map(|&c| usize::from(c)).sum();
        if total > 256 {
            return Err(Corrupt("bad DHT"));
        }
        let symbols = rest.get(16..16 + total).ok_or(Corrupt("short DHT"))?;
        let table = Huffman::new(&counts, symbols)?;
        if class == 0 {
            dc[id] = Some(table);
        } else {
            ac[id] = Some(table);
        }
        seg = &rest[16 + total..];
    }
    Ok(())
}

#[cfg(test)]
mod tests;
