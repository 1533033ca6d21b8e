//! Arbitrary bytes through fast mode's own baseline-JPEG decoder (the image_decode target
//! rarely reaches it: it only runs on large JPEGs). Errors are fine; panics are not, and a
//! decoded image must have the size it states.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tutela_image::Limits;
use tutela_image::lowfreq_jpeg::decode_luma_shrunk;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, jpeg)) = data.split_first() else { return };
    let factor = [2, 4, 8][usize::from(selector % 3)];
    let limits = Limits { max_bytes: 1 << 20, max_pixels: 1 << 24 };
    if let Ok(s) = decode_luma_shrunk(jpeg, factor, &limits) {
        assert_eq!(s.luma.len(), s.width * s.height);
        assert!(s.luma.iter().all(|v| (0.0..=255.0).contains(v)));
    }
});
