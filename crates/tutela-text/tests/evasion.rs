//! Evasion: the developer set's harmful messages, rewritten the way evaders write them
//! (leetspeak, spaced-out letters, homoglyphs of another script, full-width letters, Latin letters
//! inside Cyrillic words), must score like the plain message.

use serde::Deserialize;
use tutela_text::TextClassifier;

#[derive(Deserialize)]
struct Line {
    lang: String,
    text: String,
    labels: Vec<String>,
}

fn harmful_dev_lines() -> Vec<Line> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/vectors/text/dev.jsonl"
    );
    let text = std::fs::read_to_string(path).expect("../shared/vectors/text/dev.jsonl");
    text.lines()
        .map(|l| serde_json::from_str::<Line>(l).expect("dev line"))
        .filter(|l| !l.labels.is_empty())
        .collect()
}

fn latin(lang: &str) -> bool {
    matches!(lang, "en" | "es" | "fr" | "pt" | "de")
}

/// Leetspeak inside words: a letter with letters on both sides becomes a digit.
fn leet(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let inside = i > 0
            && i + 1 < chars.len()
            && chars[i - 1].is_ascii_alphabetic()
            && chars[i + 1].is_ascii_alphabetic();
        out.push(match (inside, c) {
            (true, 'a') => '4',
            (true, 'e') => '3',
            (true, 'o') => '0',
            (true, 'i') => '1',
            (true, 's') => '5',
            _ => c,
        });
    }
    out
}

/// The longest plain ASCII word spelled out letter by letter ("k i l l").
fn spaced(text: &str) -> Option<String> {
    let words: Vec<&str> = text.split(' ').collect();
    let (index, word) = words
        .iter()
        .enumerate()
        .filter(|(_, w)| w.len() >= 4 && w.chars().all(|c| c.is_ascii_lowercase()))
        .max_by_key(|(_, w)| w.len())?;
    let mut out: Vec<String> = words.iter().map(|w| w.to_string()).collect();
    out[index] = word.chars().map(String::from).collect::<Vec<_>>().join(" ");
    Some(out.join(" "))
}

/// Cyrillic look-alikes for Latin letters in the two longest words.
fn homoglyphs(text: &str) -> String {
    let mut words: Vec<String> = text.split(' ').map(String::from).collect();
    let mut by_length: Vec<usize> = (0..words.len()).collect();
    by_length.sort_by_key(|&i| std::cmp::Reverse(words[i].len()));
    for &i in by_length.iter().take(2) {
        words[i] = words[i]
            .chars()
            .map(|c| match c {
                'a' => 'а',
                'e' => 'е',
                'o' => 'о',
                'p' => 'р',
                'c' => 'с',
                _ => c,
            })
            .collect();
    }
    words.join(" ")
}

/// Full-width forms of every ASCII letter and digit.
fn full_width(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap_or(c)
            } else {
                c
            }
        })
        .collect()
}

/// Latin look-alikes inside Cyrillic words (a Russian message written with mixed scripts).
fn latin_in_cyrillic(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            'а' => 'a',
            'е' => 'e',
            'о' => 'o',
            'р' => 'p',
            'с' => 'c',
            _ => c,
        })
        .collect()
}

fn check(name: &str, pairs: &[(String, String)]) {
    let classifier = TextClassifier::new();
    let mut same_labels = 0;
    let mut worst = 0.0f32;
    let mut total_diff = 0.0f32;
    for (plain, evasive) in pairs {
        let a = classifier.classify(plain, None);
        let b = classifier.classify(evasive, None);
        if a.labels == b.labels {
            same_labels += 1;
        }
        let diff = a
            .scores
            .0
            .iter()
            .zip(b.scores.0.iter())
            .map(|(x, y)| (x - y).abs())
            .fold(0.0f32, f32::max);
        worst = worst.max(diff);
        total_diff += diff;
    }
    let n = pairs.len();
    let share = same_labels as f32 / n as f32;
    let mean = total_diff / n as f32;
    println!(
        "{name}: {same_labels}/{n} same labels, mean max score change {mean:.4}, worst {worst:.3}"
    );
    assert!(n >= 10, "{name}: too few messages ({n})");
    assert!(
        share >= 0.95,
        "{name}: only {same_labels}/{n} keep their labels"
    );
    assert!(mean <= 0.02, "{name}: scores move by {mean:.4} on average");
}

#[test]
fn leetspeak_scores_like_plain() {
    let pairs: Vec<_> = harmful_dev_lines()
        .into_iter()
        .filter(|l| latin(&l.lang))
        .map(|l| (l.text.clone(), leet(&l.text)))
        .filter(|(a, b)| a != b)
        .collect();
    check("leetspeak", &pairs);
}

#[test]
fn spaced_letters_score_like_plain() {
    let pairs: Vec<_> = harmful_dev_lines()
        .into_iter()
        .filter(|l| latin(&l.lang))
        .filter_map(|l| spaced(&l.text).map(|s| (l.text.clone(), s)))
        .collect();
    check("spaced letters", &pairs);
}

#[test]
fn homoglyphs_score_like_plain() {
    let pairs: Vec<_> = harmful_dev_lines()
        .into_iter()
        .filter(|l| latin(&l.lang))
        .map(|l| (l.text.clone(), homoglyphs(&l.text)))
        .filter(|(a, b)| a != b)
        .collect();
    check("homoglyphs", &pairs);
}

#[test]
fn full_width_scores_like_plain() {
    let pairs: Vec<_> = harmful_dev_lines()
        .into_iter()
        .map(|l| (l.text.clone(), full_width(&l.text)))
        .filter(|(a, b)| a != b)
        .collect();
    check("full width", &pairs);
}

#[test]
fn mixed_scripts_in_cyrillic_score_like_plain() {
    let pairs: Vec<_> = harmful_dev_lines()
        .into_iter()
        .filter(|l| l.lang == "ru")
        .map(|l| (l.text.clone(), latin_in_cyrillic(&l.text)))
        .filter(|(a, b)| a != b)
        .collect();
    check("latin inside cyrillic", &pairs);
}
