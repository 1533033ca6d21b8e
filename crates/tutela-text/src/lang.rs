//! Language identification: the script decides for Arabic, Cyrillic and Han text; `whatlang`
//! (trigram profiles), restricted to the Latin-script languages Tutela supports, decides the rest.

use std::sync::OnceLock;
use whatlang::{Detector, Lang};

fn latin_detector() -> &'static Detector {
    static DETECTOR: OnceLock<Detector> = OnceLock::new();
    DETECTOR.get_or_init(|| {
        Detector::with_allowlist(vec![Lang::Eng, Lang::Spa, Lang::Fra, Lang::Por, Lang::Deu])
    })
}

/// The language of `text` as an ISO 639-1 code (`en es fr pt de ru ar zh`), or `None` when the
/// text has no letters. Short Latin-script messages are often ambiguous: the answer is a best
/// guess, and a caller that knows the user's language should pass it as a hint instead.
pub fn detect_language(text: &str) -> Option<&'static str> {
    let (mut latin, mut cyrillic, mut arabic, mut han) = (0u32, 0u32, 0u32, 0u32);
    for c in text.chars() {
        match c {
            'a'..='z' | 'A'..='Z' | '\u{00C0}'..='\u{024F}' => latin += 1,
            '\u{0400}'..='\u{052F}' => cyrillic += 1,
            '\u{0600}'..='\u{06FF}'
            | '\u{0750}'..='\u{077F}'
            | '\u{FB50}'..='\u{FDFF}'
            | '\u{FE70}'..='\u{FEFF}' => arabic += 1,
            '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' => han += 1,
            _ => {}
        }
    }
    let best = latin.max(cyrillic).max(arabic).max(han);
    if best == 0 {
        return None;
    }
    if arabic == best {
        return Some("ar");
    }
    if cyrillic == best {
        return Some("ru");
    }
    if han == best {
        return Some("zh");
    }
    Some(match latin_detector().detect_lang(text) {
        Some(Lang::Spa) => "es",
        Some(Lang::Fra) => "fr",
        Some(Lang::Por) => "pt",
        Some(Lang::Deu) => "de",
        _ => "en",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_latin_languages() {
        assert_eq!(detect_language("привет, как дела?"), Some("ru"));
        assert_eq!(detect_language("انا في البيت"), Some("ar"));
        assert_eq!(detect_language("你好，你在哪里"), Some("zh"));
        assert_eq!(
            detect_language("where are you going after school today"),
            Some("en")
        );
        assert_eq!(
            detect_language("ich warte an der haltestelle auf dich"),
            Some("de")
        );
        assert_eq!(
            detect_language("je vois la psy du collège et ça m'aide beaucoup"),
            Some("fr")
        );
        assert_eq!(detect_language("123 !!! 😀"), None);
    }
}
