//! Prints how hard each language file reads: the Flesch-Kincaid grade for English (the formula
//! is calibrated for English only), and for every language the average sentence length (words,
//! or characters for Chinese, which has no spaces), a rough measure that works across languages.
//!
//! `cargo run -p tutela-i18n --example readability`

use tutela_i18n::readability::Counts;
use tutela_i18n::{Lang, catalog, interpolate, placeholders};

fn main() {
    println!("lang  texts  sentences  words/sentence  chars/sentence  FK grade");
    for lang in Lang::ALL {
        let mut counts = Counts::default();
        let mut chars = 0usize;
        let mut texts = 0usize;
        for (key, text) in catalog(lang).entries() {
            if key == "meta.name" {
                continue;
            }
            let args: Vec<(&str, &str)> = placeholders(text)
                .into_iter()
                .map(|p| (p, "soon"))
                .collect();
            let text = interpolate(text, &args);
            texts += 1;
            chars += text.chars().filter(|c| c.is_alphanumeric()).count();
            // Chinese: every text has at least one sentence even without spaces.
            counts = counts + Counts::of(&text);
        }
        let sentences = counts.sentences.max(1) as f64;
        let grade = if lang == Lang::En {
            counts.grade().map_or("-".into(), |g| format!("{g:.2}"))
        } else {
            "n/a".into()
        };
        let words = if lang == Lang::Zh {
            "n/a".to_string()
        } else {
            format!("{:.1}", counts.words as f64 / sentences)
        };
        println!(
            "{:<5} {texts:>5}  {:>9}  {words:>14}  {:>14.1}  {grade:>8}",
            lang.code(),
            counts.sentences,
            chars as f64 / sentences
        );
    }
}
