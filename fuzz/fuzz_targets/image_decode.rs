//! Arbitrary bytes through the whole image path: sniff, decode (both modes) and hash.
//! It must never panic, whatever the bytes; errors are fine.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tutela_image::{Limits, Mode, decode};
use tutela_pdq::PdqHasher;

fuzz_target!(|data: &[u8]| {
    // Small caps keep each run fast; the limit checks themselves are part of what is fuzzed.
    let limits = Limits { max_bytes: 1 << 20, max_pixels: 1 << 22 };
    for mode in [Mode::Exact, Mode::Fast] {
        if let Ok(image) = decode(data, mode, &limits) {
            let hashed = PdqHasher::new().hash_dihedral(image.pixels(), image.width, image.height);
            assert!(hashed.is_ok(), "decoded pixels must match their stated size");
        }
    }
});
