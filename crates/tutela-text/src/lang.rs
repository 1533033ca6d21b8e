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
    if let Some(lang) = by_chat_words(text) {
        return Some(lang);
    }
    Some(match latin_detector().detect_lang(text) {
        Some(Lang::Spa) => "es",
        Some(Lang::Fra) => "fr",
        Some(Lang::Por) => "pt",
        Some(Lang::Deu) => "de",
        _ => "en",
    })
}

/// Frequent short words of chat in each Latin-script language. Trigram profiles are trained on
/// edited prose and misread short chat ("dont tell ur parents" is not French); a clear majority
/// of these words decides first.
const CHAT_WORDS: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            "the", "you", "u", "ur", "i", "im", "and", "to", "my", "me", "is", "it", "dont", "so",
            "lol", "what", "your", "are", "r", "we", "in", "on", "at", "for", "this", "that",
            "with", "just", "ok", "of", "be", "have", "can", "wanna", "gonna", "if", "or", "was",
            "its", "he", "she", "they", "our", "us", "do", "no", "yes", "yeah", "pls", "send",
            "tell",
        ],
    ),
    (
        "es",
        &[
            "el", "la", "que", "de", "y", "en", "los", "las", "por", "para", "con", "no", "es",
            "mi", "tu", "te", "me", "un", "una", "jaja", "pero", "si", "ya", "muy", "como", "del",
            "al", "lo", "le", "se", "eres", "estas", "tengo", "quieres", "porfa", "hola",
        ],
    ),
    (
        "fr",
        &[
            "le", "la", "les", "de", "et", "est", "je", "tu", "pas", "que", "en", "un", "une",
            "des", "du", "pour", "avec", "mdr", "ca", "cest", "jai", "tes", "ton", "ta", "moi",
            "toi", "mais", "on", "nous", "vous", "sur", "dans", "ne", "bien", "tres", "trop",
            "salut",
        ],
    ),
    (
        "pt",
        &[
            "o", "a", "os", "as", "de", "que", "e", "nao", "vc", "voce", "do", "da", "em", "um",
            "uma", "pra", "meu", "minha", "kkk", "kkkk", "seu", "sua", "com", "mas", "eu", "tem",
            "ta", "to", "muito", "por", "no", "na", "isso", "oi", "tudo",
        ],
    ),
    (
        "de",
        &[
            "der", "die", "das", "und", "ist", "ich", "du", "nicht", "ein", "eine", "zu", "mit",
            "auf", "mir", "dich", "bin", "hab", "schon", "aber", "wenn", "auch", "dein", "deine",
            "mein", "was", "wie", "noch", "ja", "nein", "hallo", "bitte", "sind", "wir", "mal",
        ],
    ),
];

fn by_chat_words(text: &str) -> Option<&'static str> {
    let mut counts = [0u32; 5];
    for word in text
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
    {
        let word: String = word
            .chars()
            .filter(|c| *c != '\'')
            .flat_map(char::to_lowercase)
            .map(|c| match c {
                'á' | 'à' | 'â' | 'ã' => 'a',
                'é' | 'è' | 'ê' => 'e',
                'í' => 'i',
                'ó' | 'ô' | 'õ' => 'o',
                'ú' => 'u',
                'ç' => 'c',
                _ => c,
            })
            .collect();
        for (i, (_, words)) in CHAT_WORDS.iter().enumerate() {
            if words.contains(&word.as_str()) {
                counts[i] += 1;
            }
        }
    }
    let (best, &top) = counts.iter().enumerate().max_by_key(|(_, c)| **c)?;
    let second = counts
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != best)
        .map(|(_, c)| *c)
        .max()
        .unwrap_or(0);
    (top >= 2 && top >= 2 * second.max(1)).then(|| CHAT_WORDS[best].0)
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
        assert_eq!(
            detect_language(
                "dont tell ur parents we talk, its our little secret ok? delete this chat"
            ),
            Some("en")
        );
        assert_eq!(
            detect_language("mándame una foto porfa, no se lo digas a nadie"),
            Some("es")
        );
        assert_eq!(
            detect_language("vc tá sozinha em casa? não conta pra ninguém"),
            Some("pt")
        );
    }
}
