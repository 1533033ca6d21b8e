use super::*;
use readability::Counts;

/// Keys that are not prose a child reads (names), left out of the readability check.
const NOT_PROSE: &[&str] = &["meta.name"];

#[test]
fn every_language_file_parses_and_has_exactly_the_english_keys() {
    let english: BTreeSet<&str> = catalog(Lang::En).keys().collect();
    assert!(english.len() > 100, "{}", english.len());
    for lang in Lang::ALL {
        let catalog = Catalog::from_toml(source(lang)).unwrap();
        let keys: BTreeSet<&str> = catalog.keys().collect();
        let missing: Vec<_> = english.difference(&keys).collect();
        let extra: Vec<_> = keys.difference(&english).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "locales/{}.toml: missing {missing:?}, extra {extra:?}",
            lang.code()
        );
        for (key, text) in catalog.entries() {
            assert!(
                !text.trim().is_empty(),
                "locales/{}.toml: {key} is empty",
                lang.code()
            );
        }
    }
}

#[test]
fn placeholders_are_the_same_in_every_language() {
    for (key, english) in catalog(Lang::En).entries() {
        let expected = placeholders(english);
        for lang in Lang::ALL {
            let text = catalog(lang).get(key).unwrap();
            assert_eq!(
                placeholders(text),
                expected,
                "locales/{}.toml: {key}",
                lang.code()
            );
        }
    }
}

#[test]
fn translations_are_not_english_copies() {
    // A file that copied English texts would pass the key check. Single words may be the same
    // ("Police" in French), whole phrases may not.
    let english = catalog(Lang::En);
    for lang in Lang::ALL.into_iter().filter(|l| *l != Lang::En) {
        let same: Vec<&str> = english
            .entries()
            .filter(|(k, v)| catalog(lang).get(k) == Some(*v) && v.split_whitespace().count() > 1)
            .map(|(k, _)| k)
            .collect();
        assert!(same.is_empty(), "{}: {same:?}", lang.code());
    }
}

/// The English prose of the pages, placeholders filled with a one-syllable word.
fn english_prose() -> Vec<(String, String)> {
    catalog(Lang::En)
        .entries()
        .filter(|(k, _)| !NOT_PROSE.contains(k))
        .map(|(k, v)| {
            let args: Vec<(&str, &str)> =
                placeholders(v).into_iter().map(|p| (p, "soon")).collect();
            (k.to_string(), interpolate(v, &args))
        })
        .collect()
}

#[test]
fn english_is_at_reading_grade_5_or_below() {
    let prose = english_prose();
    let total = prose
        .iter()
        .fold(Counts::default(), |acc, (_, t)| acc + Counts::of(t));
    let grade = total.grade().unwrap();
    // Buttons and headings are short "sentences" that pull the grade down; the full sentences
    // alone must be at grade 5 too.
    let sentences = prose
        .iter()
        .filter(|(_, t)| t.trim_end().ends_with(['.', '!', '?', ':']))
        .fold(Counts::default(), |acc, (_, t)| acc + Counts::of(t));
    let sentence_grade = sentences.grade().unwrap();
    println!(
        "English, all texts: {} words, {} sentences, {} syllables: Flesch-Kincaid grade {grade:.2}",
        total.words, total.sentences, total.syllables
    );
    println!(
        "English, full sentences only: {} words, {} sentences, {} syllables: grade {sentence_grade:.2}",
        sentences.words, sentences.sentences, sentences.syllables
    );
    assert!(grade <= 5.0, "Flesch-Kincaid grade {grade:.2} > 5");
    assert!(
        sentence_grade <= 5.0,
        "Flesch-Kincaid grade of the full sentences {sentence_grade:.2} > 5"
    );
    // No single text may be much harder than the whole: a long, dense sentence is a problem
    // even when the short buttons pull the average down.
    for (key, text) in english_prose() {
        let c = Counts::of(&text);
        if c.words >= 8 {
            let g = c.grade().unwrap();
            assert!(g <= 9.0, "{key}: grade {g:.1}: {text}");
        }
    }
}

#[test]
fn the_readability_check_would_catch_hard_english() {
    let hard = "Notwithstanding the aforementioned considerations, the intermediary service provider \
                shall communicate a comprehensive statement of reasons.";
    let total = english_prose()
        .iter()
        .fold(Counts::default(), |acc, (_, t)| acc + Counts::of(t));
    // Twenty such sentences pull the whole file above grade 5.
    let spoiled = (0..20).fold(total, |acc, _| acc + Counts::of(hard));
    assert!(spoiled.grade().unwrap() > 5.0);
}

#[test]
fn lookup_falls_back_to_english_then_to_the_key() {
    assert_eq!(text(Lang::En, "done.title"), "You did the right thing");
    assert_ne!(text(Lang::De, "done.title"), text(Lang::En, "done.title"));
    assert_eq!(text(Lang::Fr, "no.such.key"), "no.such.key");
    assert_eq!(lookup(Lang::Fr, "no.such.key"), None);
    assert_eq!(lookup(Lang::Ar, "done.title"), Some("لقد فعلت الصواب"));
    let with_missing = Catalog::from_toml("[done]\nthanks = \"x\"\n").unwrap();
    assert_eq!(with_missing.get("done.title"), None);
}

#[test]
fn interpolates_named_placeholders_only() {
    assert_eq!(
        format(Lang::En, "common.step", &[("number", "2")]),
        "Step 2 of 3"
    );
    assert_eq!(interpolate("{a} and {b}", &[("a", "x")]), "x and {b}");
    assert_eq!(
        interpolate("{ not } {} {A}", &[("A", "x")]),
        "{ not } {} {A}"
    );
    assert_eq!(interpolate("open {", &[]), "open {");
    assert_eq!(
        placeholders("{date} x {number} {date} {Bad}")
            .into_iter()
            .collect::<Vec<_>>(),
        ["date", "number"]
    );
}

#[test]
fn a_file_with_a_non_text_value_is_refused() {
    let err = Catalog::from_toml("[a]\nb = 3\n").unwrap_err();
    assert!(err.contains("a.b"), "{err}");
    assert!(Catalog::from_toml("not toml = = =").is_err());
}

#[test]
fn negotiates_query_then_cookie_then_header() {
    assert_eq!(negotiate(Some("ar"), Some("fr"), Some("de")), Lang::Ar);
    assert_eq!(negotiate(Some("xx"), Some("fr"), Some("de")), Lang::Fr);
    assert_eq!(
        negotiate(None, Some("nope"), Some("de-AT,de;q=0.9")),
        Lang::De
    );
    assert_eq!(negotiate(None, None, None), Lang::En);
    assert_eq!(negotiate(Some("pt-BR"), None, None), Lang::Pt);
    assert_eq!(negotiate(Some("zh-Hant-TW"), None, None), Lang::Zh);
}

#[test]
fn reads_accept_language_by_quality_then_order() {
    assert_eq!(from_accept_language("ja,ru;q=0.5,es;q=0.8"), Some(Lang::Es));
    assert_eq!(from_accept_language("fr-CA, en;q=0.9"), Some(Lang::Fr));
    assert_eq!(from_accept_language("en;q=0.9, ar"), Some(Lang::Ar));
    assert_eq!(from_accept_language("de;q=0, *"), None);
    assert_eq!(from_accept_language("ja, ko"), None);
    assert_eq!(from_accept_language("de;q=2, fr;q=0.1"), Some(Lang::Fr));
    assert_eq!(from_accept_language(""), None);
    let long = "xx,".repeat(10_000) + "de";
    assert_eq!(from_accept_language(&long), None);
}

#[test]
fn arabic_is_right_to_left_and_names_are_native() {
    assert_eq!(Lang::Ar.dir(), "rtl");
    assert!(Lang::ALL.iter().filter(|l| l.is_rtl()).eq([&Lang::Ar]));
    assert_eq!(Lang::De.native_name(), "Deutsch");
    assert_eq!(Lang::Zh.native_name(), "中文");
    assert_eq!(Lang::from_tag("EN_gb"), Some(Lang::En));
    assert_eq!(Lang::from_tag(""), None);
}
