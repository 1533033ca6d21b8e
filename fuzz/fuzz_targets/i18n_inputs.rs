//! The report pages' language inputs from outside: arbitrary text as an `Accept-Language`
//! header, a `?lang=` value and a cookie never panics and always gives a supported language;
//! interpolation and the readability counter take any text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tutela_i18n::{Lang, from_accept_language, interpolate, negotiate, placeholders, readability};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(3, '\u{0}');
    let (a, b, c) = (parts.next(), parts.next(), parts.next());
    if let Some(lang) = a.and_then(from_accept_language) {
        assert!(Lang::ALL.contains(&lang));
    }
    let lang = negotiate(a, b, c);
    assert!(Lang::ALL.contains(&lang));
    let names: Vec<&str> = placeholders(&text).into_iter().collect();
    let args: Vec<(&str, &str)> = names.iter().map(|n| (*n, "x")).collect();
    let _ = interpolate(&text, &args);
    let _ = readability::flesch_kincaid_grade(&text);
});
