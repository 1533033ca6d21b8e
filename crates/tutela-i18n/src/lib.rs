//! The texts of Tutela's public pages (report, status, appeal) in the six UN languages plus
//! Portuguese and German, one TOML file per language under `locales/`, embedded in the binary.
//!
//! * [`Lang`]: the supported languages, their codes, names and writing direction.
//! * [`text`], [`format`]: lookup by dotted key (`"step1.title"`), falling back to English, with
//!   `{placeholder}` interpolation.
//! * [`negotiate`]: which language to answer in: `?lang=`, then the cookie, then
//!   `Accept-Language`, then English.
//! * [`readability`]: the Flesch-Kincaid grade used to keep the English at grade 5 or below.
//!
//! The crate is pure (no I/O). The files are checked by the tests: every English key exists in
//! every language and no language has extra keys, and the placeholders agree.

pub mod readability;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

/// A language of the public pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    Ar,
    De,
    En,
    Es,
    Fr,
    Pt,
    Ru,
    Zh,
}

impl Lang {
    /// Every language, in the order of their codes (the language switcher's order).
    pub const ALL: [Lang; 8] = [
        Lang::Ar,
        Lang::De,
        Lang::En,
        Lang::Es,
        Lang::Fr,
        Lang::Pt,
        Lang::Ru,
        Lang::Zh,
    ];

    /// The ISO 639-1 code, as used in `lang=` attributes and `?lang=`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ar => "ar",
            Lang::De => "de",
            Lang::En => "en",
            Lang::Es => "es",
            Lang::Fr => "fr",
            Lang::Pt => "pt",
            Lang::Ru => "ru",
            Lang::Zh => "zh",
        }
    }

    /// The language of a code or BCP 47 tag (`"pt-BR"`, `"zh-Hans-CN"`, any case); `None` for
    /// a language the pages do not have.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?;
        Lang::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(primary))
    }

    /// Arabic is written right to left.
    pub fn is_rtl(self) -> bool {
        self == Lang::Ar
    }

    /// The value of the HTML `dir` attribute.
    pub fn dir(self) -> &'static str {
        if self.is_rtl() { "rtl" } else { "ltr" }
    }

    /// The language's own name ("Deutsch", "العربية"), for the language switcher.
    pub fn native_name(self) -> &'static str {
        catalog(self).get("meta.name").unwrap_or(self.code())
    }
}

/// One language's texts, by dotted key.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    texts: BTreeMap<String, String>,
}

impl Catalog {
    /// Parses a language file: nested tables of strings, flattened to dotted keys.
    pub fn from_toml(source: &str) -> Result<Catalog, String> {
        let table: toml::Table = source.parse().map_err(|e| format!("{e}"))?;
        let mut texts = BTreeMap::new();
        flatten("", &table, &mut texts)?;
        Ok(Catalog { texts })
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.texts.get(key).map(String::as_str)
    }

    /// Every key, sorted.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.texts.keys().map(String::as_str)
    }

    /// Every (key, text), sorted by key.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &str)> {
        self.texts.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

fn flatten(
    prefix: &str,
    table: &toml::Table,
    out: &mut BTreeMap<String, String>,
) -> Result<(), String> {
    for (key, value) in table {
        let full = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            toml::Value::String(s) => {
                out.insert(full, s.clone());
            }
            toml::Value::Table(t) => flatten(&full, t, out)?,
            other => return Err(format!("{full}: expected text, found {}", other.type_str())),
        }
    }
    Ok(())
}

/// The shipped language files.
pub fn source(lang: Lang) -> &'static str {
    match lang {
        Lang::Ar => include_str!("../locales/ar.toml"),
        Lang::De => include_str!("../locales/de.toml"),
        Lang::En => include_str!("../locales/en.toml"),
        Lang::Es => include_str!("../locales/es.toml"),
        Lang::Fr => include_str!("../locales/fr.toml"),
        Lang::Pt => include_str!("../locales/pt.toml"),
        Lang::Ru => include_str!("../locales/ru.toml"),
        Lang::Zh => include_str!("../locales/zh.toml"),
    }
}

static CATALOGS: LazyLock<Vec<Catalog>> = LazyLock::new(|| {
    Lang::ALL
        .into_iter()
        // The shipped files are checked by this crate's tests, so failing here is a build defect.
        .map(|l| {
            Catalog::from_toml(source(l))
                .unwrap_or_else(|e| panic!("locales/{}.toml: {e}", l.code()))
        })
        .collect()
});

/// The parsed texts of one language.
pub fn catalog(lang: Lang) -> &'static Catalog {
    let i = Lang::ALL
        .iter()
        .position(|l| *l == lang)
        .expect("ALL lists every language");
    &CATALOGS[i]
}

/// The text of `key` in `lang`, else in English; `None` for a key no file has.
pub fn lookup(lang: Lang, key: &str) -> Option<&'static str> {
    catalog(lang)
        .get(key)
        .or_else(|| catalog(Lang::En).get(key))
}

/// The text of `key` in `lang`, else in English, else the key itself (so a missing text shows up
/// on the page instead of vanishing).
pub fn text(lang: Lang, key: &str) -> &str {
    lookup(lang, key).unwrap_or(key)
}

/// [`text`] with `{name}` placeholders replaced by the given values. Unknown placeholders are
/// left as they are; `{{` and `}}` are not special.
pub fn format(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    interpolate(text(lang, key), args)
}

/// Replaces `{name}` in `template` by the value given for `name`.
pub fn interpolate(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if is_placeholder_name(&after[..close]) => {
                let name = &after[..close];
                match args.iter().find(|(n, _)| *n == name) {
                    Some((_, value)) => out.push_str(value),
                    None => out.push_str(&rest[open..open + close + 2]),
                }
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn is_placeholder_name(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c == '_')
}

/// The `{placeholder}` names a text uses.
pub fn placeholders(text: &str) -> BTreeSet<&str> {
    let mut names = BTreeSet::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if is_placeholder_name(&after[..close]) => {
                names.insert(&after[..close]);
                rest = &after[close + 1..];
            }
            _ => rest = after,
        }
    }
    names
}

/// Longest `Accept-Language` header read, and most ranges looked at: it is outside input.
const MAX_HEADER_BYTES: usize = 4096;
const MAX_RANGES: usize = 64;

/// The first supported language of an `Accept-Language` header, by preference (`q`, then
/// order). `*` and languages with `q=0` are ignored.
pub fn from_accept_language(header: &str) -> Option<Lang> {
    let header = match header.char_indices().nth(MAX_HEADER_BYTES) {
        Some((cut, _)) => &header[..cut],
        None => header,
    };
    let mut ranges: Vec<(u16, usize, Lang)> = Vec::new();
    for (position, range) in header.split(',').take(MAX_RANGES).enumerate() {
        let mut parts = range.split(';');
        let tag = parts.next().unwrap_or("").trim();
        let mut q = 1000u16;
        for param in parts {
            let (name, value) = param.split_once('=').unwrap_or((param, ""));
            if name.trim().eq_ignore_ascii_case("q") {
                q = parse_q(value.trim()).unwrap_or(0);
            }
        }
        if q == 0 || tag == "*" {
            continue;
        }
        if let Some(lang) = Lang::from_tag(tag) {
            ranges.push((q, position, lang));
        }
    }
    // Highest q first; the header's order breaks ties.
    ranges.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    ranges.first().map(|r| r.2)
}

/// A quality value (`0` to `1` with up to three decimals) in thousandths.
fn parse_q(value: &str) -> Option<u16> {
    let (whole, fraction) = value.split_once('.').unwrap_or((value, ""));
    if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let frac: u16 = format!("{fraction:0<3}").parse().ok()?;
    match whole {
        "0" => Some(frac),
        "1" if frac == 0 => Some(1000),
        _ => None,
    }
}

/// Which language to answer in: an explicit `?lang=`, then the language cookie, then the
/// browser's `Accept-Language`, then English. Unsupported values are skipped, not errors.
pub fn negotiate(query: Option<&str>, cookie: Option<&str>, accept_language: Option<&str>) -> Lang {
    query
        .and_then(Lang::from_tag)
        .or_else(|| cookie.and_then(Lang::from_tag))
        .or_else(|| accept_language.and_then(from_accept_language))
        .unwrap_or(Lang::En)
}

#[cfg(test)]
mod tests;
