//! Arbitrary bytes through every bank import parser and the format detection. No input may
//! panic, and every record a parser accepts must export and parse back to the same record.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tutela_bank::HashKind;
use tutela_bank::formats::{self, ExportEntry, Format};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // Detection looks at the start only; it must not panic on any text.
    let _ = Format::detect(&text);
    for format in Format::ALL {
        for kind in HashKind::ALL {
            let Ok(parsed) = formats::parse(format, kind, &text) else {
                // Video banks take vPDQ files (fuzzed by `vpdq_parse`), never hash lists.
                assert!(kind == HashKind::Vpdq || format.only_kind().is_some_and(|k| k != kind));
                continue;
            };
            for issue in parsed.errors.iter().chain(&parsed.ignored) {
                assert!(issue.line >= 1, "line numbers are 1-based");
            }
            let entries: Vec<ExportEntry> = parsed
                .records
                .iter()
                .map(|r| ExportEntry {
                    record: r.record.clone(),
                    added_at: Some("2026-01-01T00:00:00Z".into()),
                })
                .collect();
            let exported = formats::write_to_string(format, kind, &entries)
                .expect("a format that parsed for this kind also writes it");
            let again = formats::parse(format, kind, &exported).unwrap();
            assert!(
                again.errors.is_empty(),
                "{} {}: re-parse errors {:?}",
                format.name(),
                kind,
                again.errors
            );
            let before: Vec<_> = parsed.records.iter().map(|r| &r.record).collect();
            let after: Vec<_> = again.records.iter().map(|r| &r.record).collect();
            assert_eq!(before, after, "{} {}", format.name(), kind);
        }
    }
});
