//! Arbitrary text as an `Accept-Language` header: no input may panic, and any answer is a
//! country of the helplines table.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let header = String::from_utf8_lossy(data);
    if let Some(code) = tutela_helplines::country_from_accept_language(&header) {
        assert!(tutela_helplines::directory().for_country(&code).is_some());
    }
});
