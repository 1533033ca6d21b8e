//! The public PDQ vectors in `shared/vectors/pdq/` (read in place, never copied into the repo).

use std::path::PathBuf;
use tutela_image::{Limits, Mode, decode};
use tutela_pdq::{Hash256, PdqHasher};

fn vectors() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vectors/pdq")
}

struct Expected {
    hashes: Vec<Hash256>,
    quality: u8,
    path: String,
}

fn read_expected(name: &str, columns: usize) -> Vec<Expected> {
    let text = std::fs::read_to_string(vectors().join(name))
        .expect("shared/vectors/pdq must sit beside the checkout");
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .filter_map(|line| {
            let fields: Vec<&str> = line.split(',').collect();
            if line.contains("UNSUPPORTED-BY-CPP-CLI") {
                return None; // the C++ tool could not read it; expected.txt still covers the file
            }
            assert_eq!(fields.len(), columns + 2, "{line}");
            let hashes: Option<Vec<Hash256>> = fields[..columns]
                .iter()
                .map(|h| Hash256::from_hex(h).ok())
                .collect();
            Some(Expected {
                hashes: hashes.expect("hex hashes"),
                quality: fields[columns].parse().unwrap(),
                path: fields[columns + 1].to_string(),
            })
        })
        .collect()
}

fn hash_file(path: &str, mode: Mode, hasher: &mut PdqHasher) -> ([Hash256; 8], u8) {
    let bytes = std::fs::read(vectors().join(path)).unwrap();
    let img = decode(&bytes, mode, &Limits::default()).unwrap_or_else(|e| panic!("{path}: {e}"));
    let d = hasher
        .hash_dihedral(img.pixels(), img.width, img.height)
        .unwrap();
    (d.hashes, d.quality)
}

#[test]
fn pngs_are_bit_exact_and_photos_within_tolerance() {
    let mut hasher = PdqHasher::new();
    let mut report = Vec::new();
    let (mut max, mut sum, mut n) = (0u32, 0u32, 0u32);
    for e in read_expected("expected.txt", 1) {
        let (hashes, quality) = hash_file(&e.path, Mode::Exact, &mut hasher);
        let distance = hashes[0].distance(&e.hashes[0]);
        report.push(format!(
            "{distance:3} q{quality:3}/{:3} {}",
            e.quality, e.path
        ));
        if e.path.ends_with(".png") {
            assert_eq!((hashes[0], quality), (e.hashes[0], e.quality), "{}", e.path);
        }
        if e.quality >= 80 {
            assert!(distance <= 10, "{}: distance {distance}", e.path);
            max = max.max(distance);
            sum += distance;
            n += 1;
        }
        assert!(
            quality.abs_diff(e.quality) <= 2,
            "{}: quality {quality} vs {}",
            e.path,
            e.quality
        );
    }
    eprintln!(
        "exact vs reference (distance, quality ours/ref, file):\n{}",
        report.join("\n")
    );
    eprintln!(
        "quality>=80: {n} images, max distance {max}, mean {:.2}",
        f64::from(sum) / f64::from(n)
    );
}

#[test]
fn dihedral_rows_match() {
    let mut hasher = PdqHasher::new();
    let (mut max, mut checked) = (0, 0);
    for e in read_expected("expected-dihedral.txt", 8) {
        let (hashes, _) = hash_file(&e.path, Mode::Exact, &mut hasher);
        for (ours, theirs) in hashes.iter().zip(&e.hashes) {
            let d = ours.distance(theirs);
            if e.path.ends_with(".png") {
                assert_eq!(d, 0, "{}", e.path);
            }
            if e.quality >= 80 {
                assert!(d <= 10, "{}: {d}", e.path);
            }
            max = max.max(d);
        }
        checked += 1;
    }
    eprintln!("dihedral: {checked} images x 8 variants, max distance {max}");
    assert!(checked >= 20);
}

#[test]
fn fast_mode_stays_close_to_exact() {
    let mut hasher = PdqHasher::new();
    let (mut max, mut sum, mut n) = (0u32, 0u32, 0u32);
    for e in read_expected("expected.txt", 1) {
        if e.quality < 50 {
            continue; // too little structure for a hash to be used at all
        }
        let (exact, _) = hash_file(&e.path, Mode::Exact, &mut hasher);
        let (fast, _) = hash_file(&e.path, Mode::Fast, &mut hasher);
        let d = exact[0].distance(&fast[0]);
        eprintln!("fast {d:2} {}", e.path);
        assert!(d <= 6, "{}: fast is {d} bits from exact", e.path);
        max = max.max(d);
        sum += d;
        n += 1;
    }
    eprintln!(
        "fast vs exact: {n} images, max {max}, mean {:.2}",
        f64::from(sum) / f64::from(n)
    );
}

/// The vectors' photos are mostly small enough that fast mode decodes them exactly; upscaled
/// copies (re-encoded as baseline JPEG) exercise the 2x, 4x and 8x block paths.
#[test]
fn fast_mode_stays_close_to_exact_on_large_photos() {
    use image::ImageEncoder;
    let mut hasher = PdqHasher::new();
    let sources = [
        ("images/bridge-mods/aaa-orig.jpg", &[2100u32, 4000][..]),
        (
            "images/reg-test-input/labelme-subset/q0746.jpg",
            &[2100, 4200][..],
        ),
        ("images/misc-images/c.png", &[2100, 4000][..]),
    ];
    let (mut max, mut n) = (0u32, 0u32);
    for (path, widths) in sources {
        let original = image::open(vectors().join(path)).unwrap().into_rgb8();
        for &width in widths {
            let height = width * original.height() / original.width();
            let big = image::imageops::resize(
                &original,
                width,
                height,
                image::imageops::FilterType::Triangle,
            );
            let mut jpeg = Vec::new();
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90)
                .write_image(big.as_raw(), width, height, image::ExtendedColorType::Rgb8)
                .unwrap();
            let hash = |mode, hasher: &mut PdqHasher| {
                let img = decode(&jpeg, mode, &Limits::default()).unwrap();
                hasher.hash(img.pixels(), img.width, img.height).unwrap()
            };
            let (exact, fast) = (
                hash(Mode::Exact, &mut hasher),
                hash(Mode::Fast, &mut hasher),
            );
            let d = exact.hash.distance(&fast.hash);
            eprintln!("fast {d:2} {path} at {width}x{height}");
            assert!(
                d <= 6,
                "{path} at {width}x{height}: fast is {d} bits from exact"
            );
            max = max.max(d);
            n += 1;
        }
    }
    eprintln!("fast vs exact on {n} upscaled photos: max {max}");
}
