//! Arbitrary bytes through the vPDQ hash file parser and the video container sniffer. No
//! input may panic, and whatever the parser accepts must write back to text that parses to
//! the same frames.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tutela_video::format;

fuzz_target!(|data: &[u8]| {
    let _ = tutela_video::sniff(data);
    let text = String::from_utf8_lossy(data);
    let looks = format::looks_like_vpdq(&text);
    let Ok(frames) = format::parse(&text) else {
        return;
    };
    assert!(looks, "a parsed file starts with a frame line");
    let written = format::to_string(&frames);
    let again = format::parse(&written).expect("written text parses");
    assert_eq!(again.len(), frames.len());
    for (a, b) in frames.iter().zip(&again) {
        assert_eq!((a.frame_number, a.quality, a.hash), (b.frame_number, b.quality, b.hash));
        assert_eq!(a.seconds.is_nan(), b.seconds.is_nan());
        if a.seconds.is_finite() {
            assert!((a.seconds - b.seconds).abs() <= 0.0005 + a.seconds * 1e-15);
        }
    }
    assert_eq!(format::to_string(&again), written, "writing is stable");
});
