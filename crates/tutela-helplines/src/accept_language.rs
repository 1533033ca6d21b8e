//! A default country from the browser's `Accept-Language` header.
//!
//! The header tells the browser's language settings, not where the child is: English browsers
//! send `en-US` by default in many countries, and French Firefox sends `fr-FR` in Belgium too.
//! So the result is only a default for the country picker, which must always show the country
//! and let the reporter change it. Rules:
//!
//! 1. Only the most preferred language range counts (highest `q`, first on ties). Later ranges
//!    are often browser defaults, not choices, so they are not used to guess.
//! 2. If it has a region subtag that is a country of the directory (`pt-BR`, `zh-Hant-TW`,
//!    `es-US`), that country. `UK` is read as `GB`. Numeric regions (`es-419`) are not countries.
//! 3. Otherwise, a bare language gives a country only when it is a national official language of
//!    that one country and of no other country with public internet access (`ja` -> JP, `pl` ->
//!    PL, `uk` -> UA, `ko` -> KR). Languages spoken as national languages in several countries
//!    give no answer, and the picker asks: `ar`, `en`, `es`, `fr`, `pt`, `ru`, `zh`, and also
//!    `de` (Austria, Switzerland, ...), `it` (Switzerland), `nl` (Belgium), `sv` (Finland), `el`
//!    and `tr` (Cyprus), `ro` (Moldova), `sw` (Kenya, Tanzania, Uganda), `ms`, `bn`, `ur`,
//!    `fa`, `ta`, `ne`, `hr`, `sq`, `sr`.

use crate::{Directory, directory};

/// Longest header looked at, and most language ranges read: the header is outside input.
const MAX_HEADER_BYTES: usize = 4096;
const MAX_RANGES: usize = 64;

/// Languages (ISO 639-1, and the old `iw` for Hebrew) that name one country, by rule 3 above.
const SINGLE_COUNTRY_LANGUAGES: &[(&str, &str)] = &[
    ("am", "ET"),
    ("bg", "BG"),
    ("cs", "CZ"),
    ("da", "DK"),
    ("et", "EE"),
    ("fi", "FI"),
    ("he", "IL"),
    ("hi", "IN"),
    ("hu", "HU"),
    ("id", "ID"),
    ("iw", "IL"),
    ("ja", "JP"),
    ("kk", "KZ"),
    ("ko", "KR"),
    ("lt", "LT"),
    ("lv", "LV"),
    ("mt", "MT"),
    ("my", "MM"),
    ("nb", "NO"),
    ("nn", "NO"),
    ("no", "NO"),
    ("pl", "PL"),
    ("si", "LK"),
    ("sk", "SK"),
    ("sl", "SI"),
    ("th", "TH"),
    ("tl", "PH"),
    ("uk", "UA"),
    ("uz", "UZ"),
    ("vi", "VN"),
];

/// The default country (ISO 3166-1 alpha-2, upper case) for an `Accept-Language` header, from
/// the shipped directory; `None` means "ask". See the module documentation for the rules.
pub fn country_from_accept_language(header: &str) -> Option<String> {
    country_from_accept_language_in(directory(), header)
}

/// [`country_from_accept_language`] against any directory.
pub fn country_from_accept_language_in(directory: &Directory, header: &str) -> Option<String> {
    let top = most_preferred_range(header)?;
    let tag = parse_tag(top)?;
    if let Some(region) = tag.region {
        let code = if region == "UK" {
            "GB".to_owned()
        } else {
            region
        };
        if let Some(country) = directory.country(&code) {
            return Some(country.code.clone());
        }
        // A region we do not cover: guessing from the language would contradict the browser.
        return None;
    }
    SINGLE_COUNTRY_LANGUAGES
        .iter()
        .find(|(language, _)| *language == tag.language)
        .and_then(|(_, code)| directory.country(code))
        .map(|country| country.code.clone())
}

/// The language range with the highest weight (first one on ties), skipping `*`, `q=0` and
/// ranges whose weight is malformed.
fn most_preferred_range(header: &str) -> Option<&str> {
    let header = truncate_at_char_boundary(header, MAX_HEADER_BYTES);
    let mut best: Option<(&str, u16)> = None;
    for range in header.split(',').take(MAX_RANGES) {
        let mut parts = range.split(';');
        let tag = parts.next().unwrap_or("").trim();
        if tag.is_empty() || tag == "*" {
            continue;
        }
        let mut weight = Some(1000);
        for parameter in parts {
            let parameter = parameter.trim();
            if let Some(value) = parameter
                .strip_prefix("q=")
                .or_else(|| parameter.strip_prefix("Q="))
            {
                weight = parse_weight(value.trim());
            }
        }
        let Some(weight) = weight else { continue };
        if weight == 0 {
            continue;
        }
        if best.is_none_or(|(_, w)| weight > w) {
            best = Some((tag, weight));
        }
    }
    best.map(|(tag, _)| tag)
}

fn truncate_at_char_boundary(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// RFC 9110 qvalue in thousandths: `0`, `0.x`, `0.xx`, `0.xxx`, `1`, `1.0`, ... `1.000`.
fn parse_weight(value: &str) -> Option<u16> {
    let (whole, fraction) = value.split_once('.').unwrap_or((value, ""));
    if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut thousandths: u16 = 0;
    for (i, b) in fraction.bytes().enumerate() {
        thousandths += u16::from(b - b'0') * [100, 10, 1][i];
    }
    match whole {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

struct Tag {
    /// Lower case.
    language: String,
    /// Upper case, two letters.
    region: Option<String>,
}

/// BCP 47 `language[-extlang][-script][-region]...`; `_` is accepted as a separator because
/// some clients send `pt_BR`.
fn parse_tag(tag: &str) -> Option<Tag> {
    let mut subtags = tag.split(['-', '_']);
    let language = subtags.next()?;
    let language_ok =
        (2..=3).contains(&language.len()) && language.bytes().all(|b| b.is_ascii_alphabetic());
    if !language_ok {
        // Also refuses the private-use and grandfathered prefixes `x-` and `i-`.
        return None;
    }
    let mut region = None;
    let mut seen_script = false;
    for subtag in subtags {
        let alphabetic = subtag.bytes().all(|b| b.is_ascii_alphabetic());
        match subtag.len() {
            3 if alphabetic && !seen_script => continue, // extended language
            4 if alphabetic && !seen_script => seen_script = true,
            2 if alphabetic => {
                region = Some(subtag.to_ascii_uppercase());
                break;
            }
            _ => break, // numeric region, variant or extension: no country
        }
    }
    Some(Tag {
        language: language.to_ascii_lowercase(),
        region,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guess(header: &str) -> Option<String> {
        country_from_accept_language(header)
    }

    #[test]
    fn a_region_subtag_names_the_country() {
        assert_eq!(guess("pt-BR,pt;q=0.9").as_deref(), Some("BR"));
        assert_eq!(guess("en-GB,en-US;q=0.9,en;q=0.8").as_deref(), Some("GB"));
        assert_eq!(guess("fr-CA").as_deref(), Some("CA"));
        assert_eq!(guess("es-US,es;q=0.9").as_deref(), Some("US"));
        assert_eq!(guess("de-at").as_deref(), Some("AT"));
        assert_eq!(guess("pt_BR").as_deref(), Some("BR"));
        assert_eq!(guess("en-UK").as_deref(), Some("GB"));
    }

    #[test]
    fn scripts_and_extended_languages_are_skipped_to_reach_the_region() {
        assert_eq!(guess("zh-Hant-TW,zh;q=0.8").as_deref(), Some("TW"));
        assert_eq!(guess("zh-Hans-CN").as_deref(), Some("CN"));
        assert_eq!(guess("zh-yue-Hant-HK"), None, "HK is not in the table");
        assert_eq!(guess("sr-Latn"), None);
        assert_eq!(guess("zh-Hant"), None);
    }

    #[test]
    fn the_most_preferred_range_decides() {
        assert_eq!(guess("en-US;q=0.5,pl-PL;q=0.9").as_deref(), Some("PL"));
        assert_eq!(guess("de;q=1.0,en-US;q=0.9").as_deref(), None);
        // Ties keep header order.
        assert_eq!(guess("ja;q=0.8,ko;q=0.8").as_deref(), Some("JP"));
        // Later ranges do not rescue an ambiguous first choice.
        assert_eq!(guess("fr,fr-FR;q=0.8,en-US;q=0.5"), None);
        assert_eq!(guess("ar,en-US;q=0.9"), None);
    }

    #[test]
    fn language_only_tags_follow_the_single_country_rule() {
        for (header, expected) in [
            ("ja", Some("JP")),
            ("pl", Some("PL")),
            ("uk", Some("UA")),
            ("ko", Some("KR")),
            ("nb", Some("NO")),
            ("iw", Some("IL")),
            ("de", None),
            ("es", None),
            ("ar", None),
            ("en", None),
            ("fr", None),
            ("pt", None),
            ("ru", None),
            ("zh", None),
            ("sw", None),
            ("nl", None),
            ("es-419", None),
            ("ar-001", None),
        ] {
            assert_eq!(guess(header).as_deref(), expected, "{header}");
        }
    }

    #[test]
    fn a_region_outside_the_table_gives_no_answer() {
        assert_eq!(guess("is-IS"), None);
        assert_eq!(
            guess("ja-ZZ"),
            None,
            "not replaced by the language's country"
        );
    }

    #[test]
    fn wildcards_zero_weights_and_garbage_are_ignored() {
        assert_eq!(guess(""), None);
        assert_eq!(guess("*"), None);
        assert_eq!(guess("*,pl;q=0.5").as_deref(), Some("PL"));
        assert_eq!(guess("en-US;q=0,ja;q=0.1").as_deref(), Some("JP"));
        assert_eq!(guess("en-US;q=2,ja;q=0.1").as_deref(), Some("JP"));
        assert_eq!(guess("en-US;q=0.1234,ja;q=0.1").as_deref(), Some("JP"));
        assert_eq!(guess("x-klingon,i-default"), None);
        assert_eq!(guess("12-34"), None);
        assert_eq!(guess(";;,,;q="), None);
        assert_eq!(guess(" pt-BR ; q=0.9 , en ; q=0.1").as_deref(), Some("BR"));
        assert_eq!(guess("ü-ÜÜ,日本"), None);
    }

    #[test]
    fn huge_headers_are_cut_without_panicking() {
        let header = format!("{}ja", "é,".repeat(5000));
        assert_eq!(guess(&header), None);
        let header = format!("ja,{}", "xx;q=0.1,".repeat(10_000));
        assert_eq!(guess(&header).as_deref(), Some("JP"));
    }

    #[test]
    fn every_language_guess_names_a_country_of_the_table() {
        for (language, code) in SINGLE_COUNTRY_LANGUAGES {
            assert!(directory().country(code).is_some(), "{language} -> {code}");
        }
    }

    #[test]
    fn weights_parse_like_rfc_9110() {
        assert_eq!(parse_weight("1"), Some(1000));
        assert_eq!(parse_weight("1.000"), Some(1000));
        assert_eq!(parse_weight("0.5"), Some(500));
        assert_eq!(parse_weight("0.05"), Some(50));
        assert_eq!(parse_weight("0.001"), Some(1));
        assert_eq!(parse_weight("0"), Some(0));
        for bad in ["1.5", "0.0001", "2", ".5", "-0.5", "0.x", ""] {
            assert_eq!(parse_weight(bad), None, "{bad}");
        }
    }
}
