//! Tests of the low-frequency JPEG path against zune-jpeg's full decode.
use super::*;
use crate::fast;
use std::path::{Path, PathBuf};
use tutela_pdq::{PdqHasher, Pixels};
use zune_core::bytestream::ZCursor;
use zune_core::colorspace::ColorSpace;
use zune_core::options::DecoderOptions;
use zune_jpeg::JpegDecoder;

fn images() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vectors/pdq/images")
}

fn jpegs_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            jpegs_under(&path, out);
        } else if path.extension().is_some_and(|e| e == "jpg" || e == "jpeg") {
            out.push(path);
        }
    }
}

/// Full-resolution luma as the general fast path decodes it.
fn zune_luma(bytes: &[u8]) -> Option<(Vec<u8>, usize, usize)> {
    let options = DecoderOptions::default()
        .set_strict_mode(true)
        .jpeg_set_out_colorspace(ColorSpace::Luma);
    let mut d = JpegDecoder::new_with_options(ZCursor::new(bytes), options);
    let luma = d.decode().ok()?;
    let info = d.info()?;
    Some((luma, usize::from(info.width), usize::from(info.height)))
}

/// `fast::shrink_luma` at a chosen factor.
fn block_means(luma: &[u8], w: usize, h: usize, f: usize) -> Vec<f32> {
    let (ow, oh) = (w.div_ceil(f), h.div_ceil(f));
    let mut out = vec![0f32; ow * oh];
    for oy in 0..oh {
        for ox in 0..ow {
            let (mut s, mut n) = (0u32, 0u32);
            for y in oy * f..(oy * f + f).min(h) {
                for x in ox * f..(ox * f + f).min(w) {
                    s += u32::from(luma[y * w + x]);
                    n += 1;
                }
            }
            out[oy * ow + ox] = s as f32 / n as f32;
        }
    }
    out
}

fn mean_abs_diff(a: &[f32], b: &[f32]) -> f64 {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .map(|(x, y)| f64::from((x - y).abs()))
        .sum::<f64>()
        / a.len() as f64
}

#[test]
fn vector_jpegs_match_block_means_of_the_full_decode() {
    let mut files = Vec::new();
    jpegs_under(&images(), &mut files);
    files.sort();
    let (mut checked, mut declined) = (0, 0);
    let mut worst = [0f64; 9];
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        let Some((luma, w, h)) = zune_luma(&bytes) else {
            continue;
        };
        for f in [2, 4, 8] {
            let ours = match decode_luma_shrunk(&bytes, f, &Limits::default()) {
                Ok(ours) => ours,
                Err(e) => {
                    eprintln!("factor {f} declined ({e:?}) {}", path.display());
                    declined += 1;
                    continue;
                }
            };
            assert_eq!((ours.source_width, ours.source_height), (w, h));
            assert_eq!((ours.width, ours.height), (w.div_ceil(f), h.div_ceil(f)));
            let mad = mean_abs_diff(&ours.luma, &block_means(&luma, w, h, f));
            eprintln!("factor {f} mad {mad:.3} {}", path.display());
            assert!(
                mad < [0.0, 0.0, 5.0, 0.0, 4.0, 0.0, 0.0, 0.0, 1.0][f],
                "{mad}"
            );
            worst[f] = worst[f].max(mad);
            checked += 1;
        }
    }
    eprintln!(
        "{checked} decodes checked, {declined} declined; worst mean abs diff: f2 {:.3} f4 {:.3} f8 {:.3}",
        worst[2], worst[4], worst[8]
    );
    assert!(checked >= 30);
}

/// Encodes `rgb` with Pillow: `(name, options)` pairs for `im.save`.
fn pillow_variants(rgb: &image::RgbImage, dir: &Path) -> Vec<(String, Vec<u8>)> {
    let python = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../bench/.venv/bin/python");
    if !python.exists() {
        eprintln!("no bench/.venv python: Pillow variants skipped");
        return Vec::new();
    }
    let src = dir.join("src.png");
    rgb.save(&src).unwrap();
    let variants = [
        ("420", "im.save(o, quality=90, subsampling=2)"),
        ("444", "im.save(o, quality=90, subsampling=0)"),
        ("422", "im.save(o, quality=85, subsampling=1)"),
        ("grey", "im.convert('L').save(o, quality=90)"),
        (
            "420-restart-blocks",
            "im.save(o, quality=90, subsampling=2, restart_marker_blocks=7)",
        ),
        (
            "444-restart-rows",
            "im.save(o, quality=75, subsampling=0, restart_marker_rows=1)",
        ),
        (
            "grey-restart",
            "im.convert('L').save(o, quality=95, restart_marker_blocks=3)",
        ),
    ];
    let mut out = Vec::new();
    for (name, save) in variants {
        let dst = dir.join(format!("{name}.jpg"));
        let script = format!(
            "from PIL import Image\nim = Image.open({:?})\no = {:?}\n{save}\n",
            src.to_str().unwrap(),
            dst.to_str().unwrap()
        );
        let ok = std::process::Command::new(&python)
            .arg("-c")
            .arg(script)
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "Pillow could not write {name}");
        out.push((name.to_string(), std::fs::read(&dst).unwrap()));
    }
    out
}

#[test]
fn large_photos_match_the_general_fast_path() {
    use image::ImageEncoder;
    let dir = std::env::temp_dir().join(format!("tutela-lowfreq-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut hasher = PdqHasher::new();
    let sources = [
        ("bridge-mods/aaa-orig.jpg", &[1701u32, 3303, 6500][..]),
        (
            "reg-test-input/labelme-subset/q0746.jpg",
            &[1301, 2203, 4207][..],
        ),
        ("misc-images/c.png", &[1803, 4001][..]),
    ];
    let (mut n, mut max_bits) = (0, 0);
    let mut worst = [0f64; 9];
    for (path, widths) in sources {
        let original = image::open(images().join(path)).unwrap().into_rgb8();
        for &width in widths {
            let height = (width * original.height() / original.width()) | 1;
            let big = image::imageops::resize(
                &original,
                width,
                height,
                image::imageops::FilterType::Triangle,
            );
            let mut encoded = Vec::new();
            let mut jpeg = Vec::new();
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90)
                .write_image(big.as_raw(), width, height, image::ExtendedColorType::Rgb8)
                .unwrap();
            encoded.push(("image-crate".to_string(), jpeg));
            encoded.extend(pillow_variants(&big, &dir));
            for (name, bytes) in encoded {
                let (luma, w, h) = zune_luma(&bytes).unwrap();
                let (general, gw, gh) = fast::shrink_luma(&luma, w, h);
                let f = fast::shrink_factor(w, h);
                assert!(f > 1, "{w}x{h}");
                let ours = decode_luma_shrunk(&bytes, f, &Limits::default())
                    .unwrap_or_else(|e| panic!("{name} {path} {w}x{h}: {e:?}"));
                assert_eq!((ours.width, ours.height), (gw, gh));
                let mad = mean_abs_diff(&ours.luma, &general);
                let a = hasher.hash(Pixels::LumaF32(&general), gw, gh).unwrap();
                let b = hasher.hash(Pixels::LumaF32(&ours.luma), gw, gh).unwrap();
                let bits = a.hash.distance(&b.hash);
                eprintln!("{name:18} {path} {w}x{h} factor {f}: mad {mad:.3}, {bits} bits");
                assert!(bits <= 4, "{name} {path} {w}x{h}: {bits} bits");
                assert!(mad < 1.5, "{name} {path} {w}x{h}: mad {mad}");
                worst[f] = worst[f].max(mad);
                max_bits = max_bits.max(bits);
                n += 1;
            }
        }
    }
    std::fs::remove_dir_all(&dir).ok();
    eprintln!(
        "{n} large JPEGs: max {max_bits} bits; worst mad f2 {:.3} f4 {:.3} f8 {:.3}",
        worst[2], worst[4], worst[8]
    );
}

#[test]
fn truncated_and_flipped_streams_never_panic() {
    let bytes = std::fs::read(images().join("bridge-mods/aaa-orig.jpg")).unwrap();
    assert!(decode_luma_shrunk(&bytes, 2, &Limits::default()).is_ok());
    let scan_start = bytes.windows(2).position(|w| w == [0xFF, 0xDA]).unwrap();
    let step = (bytes.len() / 400).max(1);
    let mut cut = 0;
    while cut < bytes.len() {
        let r = decode_luma_shrunk(&bytes[..cut], 4, &Limits::default());
        assert!(
            r.is_err(),
            "prefix of {cut} of {} bytes accepted",
            bytes.len()
        );
        cut += if cut + 64 > bytes.len() { 1 } else { step };
    }
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let (mut accepted, mut general_rejects, trials) = (0, 0, 3000);
    for trial in 0..trials {
        let mut damaged = bytes.clone();
        for _ in 0..1 + next() % 4 {
            // Mostly in the entropy data, sometimes in the headers.
            let at = if trial % 5 == 0 {
                next() as usize % scan_start
            } else {
                scan_start + next() as usize % (bytes.len() - scan_start)
            };
            damaged[at] ^= 1 << (next() % 8);
        }
        let f = [2, 4, 8][trial % 3];
        if decode_luma_shrunk(&damaged, f, &Limits::default()).is_ok() {
            accepted += 1;
            if zune_luma(&damaged).is_none() {
                general_rejects += 1;
                let mut d = JpegDecoder::new_with_options(
                    ZCursor::new(&damaged[..]),
                    DecoderOptions::default().set_strict_mode(true),
                );
                eprintln!("trial {trial}: general decoder says {:?}", d.decode().err());
            }
        }
    }
    eprintln!(
        "{accepted} of {trials} damaged streams still decoded; {general_rejects} of them rejected by the general decoder"
    );
    assert_eq!(
        general_rejects, 0,
        "accepted what the general decoder rejects"
    );
}

/// Found by `fuzz/fuzz_targets/jpeg_lowfreq.rs`: a table claiming more codes of one length
/// than the length holds must be refused before any code indexes the lookup table.
#[test]
fn overfull_huffman_table_is_refused_not_a_panic() {
    let mut counts = [0u8; 16];
    counts[1] = 200; // 200 codes of 2 bits: at most 4 exist
    let symbols = vec![0u8; 200];
    assert!(Huffman::new(&counts, &symbols).is_err());
    let mut counts = [0u8; 16];
    counts[0] = 3; // 3 one-bit codes
    assert!(Huffman::new(&counts, &[1, 2, 3]).is_err());
}
