//! Normalisation that undoes the usual evasions before anything is scored.
//!
//! Steps, in order: Unicode compatibility decomposition (NFKD: full-width, mathematical and
//! circled letters become plain ones) with combining marks dropped (accents, Arabic harakat and
//! hamza seats), lower case, Arabic letter variants folded, invisible characters removed; then per
//! word: homoglyphs of the other script folded (Cyrillic or Greek look-alikes in a Latin message,
//! Latin look-alikes inside a Cyrillic word), leetspeak digits and symbols inside a word read as
//! letters (`s3x`, `b!tch`), runs of three or more equal characters shortened to two; and finally
//! runs of single letters (`k i l l`, `s.e.x`) joined into one word. Emoji become their own tokens.
//!
//! Every token remembers the byte range of the original text it came from, so evidence spans
//! point into the caller's text. The normaliser never panics on any input (fuzzed).

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// One token of normalised text, with where it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Byte range in [`Normalized::text`].
    pub start: u32,
    pub end: u32,
    /// Byte range in the original text.
    pub orig_start: u32,
    pub orig_end: u32,
    /// An emoji or other pictographic symbol rather than a word.
    pub symbol: bool,
}

/// Normalised text: lower-case tokens separated by single spaces.
#[derive(Debug, Clone, Default)]
pub struct Normalized {
    pub text: String,
    pub tokens: Vec<Token>,
}

impl Normalized {
    pub fn token_text(&self, token: &Token) -> &str {
        &self.text[token.start as usize..token.end as usize]
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Script {
    Latin,
    Cyrillic,
    Other,
}

/// Counted letters per script, to decide which way homoglyphs fold.
#[derive(Default)]
struct ScriptCounts {
    latin: u32,
    cyrillic: u32,
}

fn script_of(c: char) -> Script {
    match c {
        'a'..='z' | 'A'..='Z' | '\u{00C0}'..='\u{024F}' => Script::Latin,
        '\u{0370}'..='\u{03FF}' | '\u{0400}'..='\u{052F}' => Script::Cyrillic, // Greek counts with Cyrillic: both fold to Latin
        _ => Script::Other,
    }
}

/// Characters that carry no visible meaning and are used to break up words.
fn is_invisible(c: char) -> bool {
    if (c as u32) < 0xAD {
        return false;
    }
    matches!(
        c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{0640}' | '\u{180E}' | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}' | '\u{1F3FB}'..='\u{1F3FF}' | '\u{E0020}'..='\u{E007F}'
    )
}

/// Emoji and pictographs: kept, each as a token of its own.
fn is_symbol(c: char) -> bool {
    matches!(c as u32, 0x2190..=0x21FF | 0x2300..=0x23FF | 0x2500..=0x27BF
        | 0x2900..=0x297F | 0x2B00..=0x2BFF | 0x3297 | 0x3299 | 0x1F000..=0x1FAFF)
}

/// Symbols that stand for letters when they sit inside a word.
fn leet_symbol(c: char) -> Option<char> {
    match c {
        '@' => Some('a'),
        '$' => Some('s'),
        '!' => Some('i'),
        '|' => Some('l'),
        '€' => Some('e'),
        _ => None,
    }
}

fn leet_digit(c: char) -> Option<char> {
    match c {
        '0' => Some('o'),
        '1' => Some('i'),
        '3' => Some('e'),
        '4' => Some('a'),
        '5' => Some('s'),
        '7' => Some('t'),
        _ => None,
    }
}

/// Cyrillic and Greek letters that look like Latin ones (after lower-casing).
fn to_latin_lookalike(c: char) -> Option<char> {
    Some(match c {
        'а' | 'α' => 'a',
        'в' | 'β' => 'b',
        'с' | 'ϲ' => 'c',
        'ԁ' => 'd',
        'е' | 'ε' | 'ё' => 'e',
        'һ' | 'н' => 'h',
        'і' | 'ι' | 'ї' => 'i',
        'ј' => 'j',
        'к' | 'κ' => 'k',
        'ӏ' => 'l',
        'м' => 'm',
        'η' | 'п' => 'n',
        'о' | 'ο' => 'o',
        'р' | 'ρ' => 'p',
        'ԛ' => 'q',
        'ѕ' => 's',
        'т' | 'τ' => 't',
        'υ' => 'u',
        'ν' => 'v',
        'ԝ' | 'ω' => 'w',
        'х' | 'χ' => 'x',
        'у' | 'γ' => 'y',
        _ => return None,
    })
}

/// Latin letters that look like Cyrillic ones, for Latin intruders inside a Cyrillic word.
fn to_cyrillic_lookalike(c: char) -> Option<char> {
    Some(match c {
        'a' => 'а',
        'b' => 'в',
        'c' => 'с',
        'e' => 'е',
        'h' => 'н',
        'k' => 'к',
        'm' => 'м',
        'n' => 'п',
        'o' => 'о',
        'p' => 'р',
        't' => 'т',
        'x' => 'х',
        'y' => 'у',
        'u' => 'и',
        _ => return None,
    })
}

/// Arabic letter variants that chat writes interchangeably, and non-ASCII digits.
fn fold_char(c: char) -> char {
    match c {
        'ة' => 'ه',
        'ى' => 'ي',
        'ٱ' => 'ا',
        '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x0660) as u8),
        '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
        _ => c,
    }
}

/// The folded form of a Cyrillic or Arabic letter that has no compatibility decomposition: the
/// same result as the general path (decomposition, lower case, [`fold_char`]), found without
/// searching the Unicode tables. Letters with a decomposition (й, ё, أ, آ ...) return `None`.
#[inline]
fn fold_common_letter(c: char) -> Option<(char, Script)> {
    match c as u32 {
        0x0430..=0x0438 | 0x043A..=0x044F => Some((c, Script::Cyrillic)),
        0x0410..=0x0418 | 0x041A..=0x042F => {
            Some((char::from_u32(c as u32 + 0x20)?, Script::Cyrillic))
        }
        0x0621 | 0x0627..=0x063A | 0x0641..=0x064A => Some((fold_char(c), Script::Other)),
        _ => None,
    }
}

/// A word character before leetspeak: letters and digits of any script, and symbols that
/// decompose to them (circled and squared letters).
fn is_word_char(c: char) -> bool {
    if is_letter(c) || c.is_alphanumeric() {
        return true;
    }
    if c.is_ascii() {
        return false;
    }
    let mut alnum = false;
    decompose_compatible(c, |d| alnum |= d.is_alphanumeric());
    alnum
}

/// Letters that stand alone in ordinary chat ("u r a", "i", "k"): a run made only of these is not
/// treated as a spaced-out word.
fn is_common_single_letter(s: &str) -> bool {
    matches!(
        s,
        "a" | "i"
            | "u"
            | "r"
            | "y"
            | "o"
            | "e"
            | "n"
            | "c"
            | "k"
            | "x"
            | "и"
            | "в"
            | "с"
            | "а"
            | "к"
            | "о"
            | "у"
            | "я"
            | "à"
            | "é"
            | "è"
            | "ó"
    )
}

struct RawToken {
    /// Range in the scratch buffer.
    start: usize,
    end: usize,
    orig_start: usize,
    orig_end: usize,
    symbol: bool,
}

/// The word token being built, opened at `offset` (scratch position `at`) if none is.
fn open_word(current: &mut Option<RawToken>, at: usize, offset: usize) -> &mut RawToken {
    current.get_or_insert(RawToken {
        start: at,
        end: at,
        orig_start: offset,
        orig_end: offset,
        symbol: false,
    })
}

/// Ends the word token being built, if any.
fn close_word(current: &mut Option<RawToken>, raw: &mut Vec<RawToken>) {
    if let Some(token) = current.take() {
        raw.push(token);
    }
}

/// Normalises `text`. See the module documentation for the steps.
pub fn normalize(text: &str) -> Normalized {
    let mut scratch = String::with_capacity(text.len() + 8);
    let mut raw: Vec<RawToken> = Vec::with_capacity(16);
    let mut counts = ScriptCounts::default();

    // Pass 1: fold characters and cut into word and symbol tokens. ASCII bytes, most of most
    // messages, take a short path: none of them is invisible, a symbol or decomposable.
    let mut current: Option<RawToken> = None;
    let mut prev_word_char = false;
    let mut at = 0;
    while at < text.len() {
        let offset = at;
        let byte = text.as_bytes()[at];
        if byte.is_ascii() {
            at += 1;
            if byte == b'\'' || byte == b'`' {
                continue;
            }
            // A leet symbol counts as a letter between word characters ("a$$hole").
            let word_char = byte.is_ascii_alphanumeric()
                || (prev_word_char
                    && leet_symbol(byte as char).is_some()
                    && text[at..]
                        .chars()
                        .find(|&n| leet_symbol(n).is_none())
                        .is_some_and(is_word_char));
            if !word_char {
                close_word(&mut current, &mut raw);
                prev_word_char = false;
                continue;
            }
            prev_word_char = true;
            let token = open_word(&mut current, scratch.len(), offset);
            let lower = byte.to_ascii_lowercase();
            counts.latin += u32::from(lower.is_ascii_lowercase());
            scratch.push(char::from(lower));
            token.orig_end = at;
            token.end = scratch.len();
            continue;
        }
        let Some(c) = text[at..].chars().next() else {
            break;
        };
        at += c.len_utf8();
        let next_offset = at;
        // Russian and Arabic letters that fold to one letter without the decomposition tables.
        if let Some((folded, script)) = fold_common_letter(c) {
            prev_word_char = true;
            let token = open_word(&mut current, scratch.len(), offset);
            match script {
                Script::Cyrillic => counts.cyrillic += 1,
                Script::Latin => counts.latin += 1,
                Script::Other => {}
            }
            scratch.push(folded);
            token.orig_end = next_offset;
            token.end = scratch.len();
            continue;
        }
        if is_invisible(c) {
            continue;
        }
        if c == '\'' || c == '’' || c == 'ʼ' || c == '`' {
            // Apostrophes join: chat writes "dont" and "don't" alike.
            continue;
        }
        if is_symbol(c) {
            if let Some(token) = current.take() {
                raw.push(token);
            }
            let start = scratch.len();
            scratch.push(c);
            raw.push(RawToken {
                start,
                end: scratch.len(),
                orig_start: offset,
                orig_end: next_offset,
                symbol: true,
            });
            prev_word_char = false;
            continue;
        }
        // A leet symbol counts as a letter between word characters ("a$$hole"): look ahead to
        // the next character that is not itself a leet symbol (only when it matters).
        let leet_inside = prev_word_char
            && leet_symbol(c).is_some()
            && text[at..]
                .chars()
                .find(|&n| leet_symbol(n).is_none())
                .is_some_and(is_word_char);
        if !is_word_char(c) && !leet_inside {
            close_word(&mut current, &mut raw);
            prev_word_char = false;
            continue;
        }
        prev_word_char = true;
        let token = open_word(&mut current, scratch.len(), offset);
        token.orig_end = next_offset;
        decompose_compatible(c, |d| {
            if is_combining_mark(d) || is_invisible(d) {
                return;
            }
            for l in d.to_lowercase() {
                let l = fold_char(l);
                match script_of(l) {
                    Script::Latin => counts.latin += 1,
                    Script::Cyrillic => counts.cyrillic += 1,
                    Script::Other => {}
                }
                scratch.push(l);
            }
        });
        token.end = scratch.len();
    }
    if let Some(token) = current.take() {
        raw.push(token);
    }

    // Pass 2: per-token homoglyph folding, leetspeak and repeated letters, into one buffer.
    let latin_message = counts.latin >= counts.cyrillic;
    let mut folded = String::with_capacity(scratch.len());
    let mut words: Vec<Word> = Vec::with_capacity(raw.len());
    for token in &raw {
        let word = &scratch[token.start..token.end];
        if word.is_empty() {
            continue;
        }
        let start = folded.len();
        if token.symbol {
            folded.push_str(word);
        } else {
            fold_word_into(word, latin_message, &mut folded);
        }
        words.push(Word {
            start,
            end: folded.len(),
            orig_start: token.orig_start,
            orig_end: token.orig_end,
            symbol: token.symbol,
        });
    }

    // Pass 3: join runs of single letters ("k i l l", "s.e.x") and write the output.
    let mut out = Normalized {
        text: String::with_capacity(folded.len() + words.len()),
        tokens: Vec::with_capacity(words.len()),
    };
    let word_text = |w: &Word| &folded[w.start..w.end];
    let mut i = 0;
    while i < words.len() {
        let run_end = single_letter_run_end(&words, &folded, i, text);
        if run_end - i >= 3
            && !words[i..run_end]
                .iter()
                .all(|w| is_common_single_letter(word_text(w)))
        {
            let start = begin_token(&mut out.text);
            for w in &words[i..run_end] {
                out.text.push_str(word_text(w));
            }
            if has_repeats(&out.text[start..]) {
                let joined = collapse_repeats(&out.text[start..]);
                out.text.truncate(start);
                out.text.push_str(&joined);
            }
            out.tokens.push(Token {
                start: start as u32,
                end: out.text.len() as u32,
                orig_start: words[i].orig_start as u32,
                orig_end: words[run_end - 1].orig_end as u32,
                symbol: false,
            });
            i = run_end;
            continue;
        }
        let w = &words[i];
        let start = begin_token(&mut out.text);
        out.text.push_str(word_text(w));
        out.tokens.push(Token {
            start: start as u32,
            end: out.text.len() as u32,
            orig_start: w.orig_start as u32,
            orig_end: w.orig_end as u32,
            symbol: w.symbol,
        });
        i += 1;
    }
    out
}

/// A folded word: its range in the fold buffer and in the original text.
struct Word {
    start: usize,
    end: usize,
    orig_start: usize,
    orig_end: usize,
    symbol: bool,
}

fn begin_token(text: &mut String) -> usize {
    if !text.is_empty() {
        text.push(' ');
    }
    text.len()
}

/// End (exclusive) of the run of single-letter words starting at `i` whose gaps in the original
/// text are one or two separator characters.
fn single_letter_run_end(words: &[Word], folded: &str, i: usize, original: &str) -> usize {
    let is_single = |w: &Word| {
        if w.end - w.start > 4 {
            return false;
        }
        let mut chars = folded[w.start..w.end].chars();
        !w.symbol && chars.next().is_some_and(is_letter) && chars.next().is_none()
    };
    if !is_single(&words[i]) {
        return i;
    }
    let mut end = i + 1;
    while end < words.len() && is_single(&words[end]) {
        let gap = original
            .get(words[end - 1].orig_end..words[end].orig_start)
            .unwrap_or("");
        if gap.chars().count() > 2 || gap.chars().any(|c| c.is_alphanumeric()) {
            break;
        }
        end += 1;
    }
    end
}

/// `char::is_alphabetic` with the scripts chat is mostly written in answered without the
/// Unicode table search (it was a tenth of the time on Russian and Arabic messages).
#[inline]
fn is_letter(c: char) -> bool {
    match c as u32 {
        0..=0x7F => c.is_ascii_alphabetic(),
        0xC0..=0xD6 | 0xD8..=0xF6 | 0xF8..=0x17F => true,
        0x0410..=0x044F => true,
        0x0621..=0x063A | 0x0641..=0x064A => true,
        _ => c.is_alphabetic(),
    }
}

/// Appends the folded form of `word` to `out`.
fn fold_word_into(word: &str, latin_message: bool, out: &mut String) {
    // The common case, a plain lower-case ASCII word, needs nothing but the repeat check.
    if word.bytes().all(|b| b.is_ascii_lowercase()) {
        if has_repeats(word) {
            out.push_str(&collapse_repeats(word));
        } else {
            out.push_str(word);
        }
        return;
    }
    // Second most common: letters of one script (Russian, Arabic, accented Latin), nothing to
    // fold but repeats; checked without allocating.
    let (mut cyrillic, mut latin, mut all_letters) = (false, false, true);
    for c in word.chars() {
        match script_of(c) {
            Script::Cyrillic => cyrillic |= is_letter(c),
            Script::Latin => latin = true,
            Script::Other => {}
        }
        all_letters &= is_letter(c);
    }
    if all_letters && !(cyrillic && (latin_message || latin)) {
        if has_repeats(word) {
            out.push_str(&collapse_repeats(word));
        } else {
            out.push_str(word);
        }
        return;
    }
    let chars: Vec<char> = word.chars().collect();
    let letters = chars.iter().filter(|c| is_letter(**c)).count();
    let has_cyrillic = chars
        .iter()
        .any(|&c| script_of(c) == Script::Cyrillic && is_letter(c));
    let has_latin = chars.iter().any(|&c| script_of(c) == Script::Latin);
    let mut folded: Vec<char> = chars.clone();
    if has_cyrillic && latin_message {
        // A Latin message: Cyrillic/Greek letters are disguise if every one of them has a Latin twin.
        if chars
            .iter()
            .filter(|&&c| script_of(c) == Script::Cyrillic && is_letter(c))
            .all(|&c| to_latin_lookalike(c).is_some())
        {
            for c in &mut folded {
                if let Some(l) = to_latin_lookalike(*c) {
                    *c = l;
                }
            }
        }
    } else if has_cyrillic && has_latin {
        // A Cyrillic word with Latin intruders.
        for c in &mut folded {
            if script_of(*c) == Script::Latin
                && let Some(l) = to_cyrillic_lookalike(*c)
            {
                *c = l;
            }
        }
    }
    // Leetspeak: digit runs and symbols with letters on both sides, in words with 2+ letters.
    if letters >= 1 && folded.iter().any(|c| !is_letter(*c)) {
        let n = folded.len();
        let mut k = 0;
        while k < n {
            if is_letter(folded[k]) {
                k += 1;
                continue;
            }
            let run_start = k;
            while k < n && !is_letter(folded[k]) {
                k += 1;
            }
            let inside = run_start > 0 && k < n;
            // A single trailing digit of a short word: "m3", "h0t" is inside anyway.
            let trailing = run_start > 0 && k == n && k - run_start == 1 && letters <= 4;
            let mappable = folded[run_start..k]
                .iter()
                .all(|&c| leet_digit(c).is_some() || leet_symbol(c).is_some());
            if (inside && letters >= 2 || trailing) && mappable && k - run_start <= 3 {
                for c in &mut folded[run_start..k] {
                    *c = leet_digit(*c).or(leet_symbol(*c)).unwrap_or(*c);
                }
            }
        }
    }
    let start = out.len();
    out.extend(folded);
    if has_repeats(&out[start..]) {
        let collapsed = collapse_repeats(&out[start..]);
        out.truncate(start);
        out.push_str(&collapsed);
    }
}

fn has_repeats(s: &str) -> bool {
    let mut run = 0;
    let mut last = '\0';
    for c in s.chars() {
        if c == last && !c.is_ascii_digit() {
            run += 1;
            if run >= 2 {
                return true;
            }
        } else {
            run = 0;
            last = c;
        }
    }
    false
}

/// Shortens runs of 3+ equal characters to 2 ("sooooo" -> "soo", "killlll" -> "kill"); digits
/// are left alone ("555").
pub fn collapse_repeats(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last = '\0';
    let mut run = 0;
    for c in s.chars() {
        if c == last {
            run += 1;
        } else {
            run = 1;
            last = c;
        }
        if run <= 2 || c.is_ascii_digit() {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> String {
        normalize(s).text
    }

    #[test]
    fn case_accents_and_punctuation() {
        assert_eq!(norm("Héllo, WORLD!!"), "hello world");
        assert_eq!(norm("don't  tell   ur MUM"), "dont tell ur mum");
        assert_eq!(norm("ça va?"), "ca va");
    }

    #[test]
    fn compatibility_forms() {
        assert_eq!(norm("ｓｅｎｄ ｍｅ"), "send me");
        assert_eq!(norm("𝐬𝐞𝐧𝐝 𝐩𝐢𝐜𝐬"), "send pics");
        assert_eq!(norm("ⓢⓔⓝⓓ"), "send");
    }

    #[test]
    fn leetspeak_inside_words_only() {
        assert_eq!(norm("s3nd m3 a p1c"), "send me a pic");
        assert_eq!(norm("b!tch a$$hole"), "bitch asshole");
        // Numbers, times and phone numbers are left alone.
        assert_eq!(norm("call 555-0123 at 10am"), "call 555 0123 at 10am");
        assert_eq!(norm("help!"), "help");
    }

    #[test]
    fn homoglyphs_fold_to_the_message_script() {
        // Cyrillic р, і, с in an English message.
        assert_eq!(norm("send me a \u{0440}\u{0456}\u{0441}"), "send me a pic");
        // A Latin 'o' inside a Russian word.
        assert_eq!(norm("пришли фотo"), "пришли фото");
        // Russian stays Russian.
        assert_eq!(norm("Привет, как дела?"), "привет как дела");
    }

    #[test]
    fn spaced_letters_and_repeats() {
        assert_eq!(norm("k i l l yourself"), "kill yourself");
        assert_eq!(norm("s.e.x chat"), "sex chat");
        assert_eq!(norm("u r a star"), "u r a star");
        assert_eq!(norm("sooooo coooool"), "soo cool");
    }

    #[test]
    fn arabic_folding() {
        assert_eq!(norm("أنا في المدرسة ٤:١٠"), "انا في المدرسه 4 10");
    }

    #[test]
    fn emoji_are_tokens_and_offsets_point_into_the_original() {
        let text = "Héy 😏 s e n d";
        let n = normalize(text);
        let pieces: Vec<&str> = n
            .tokens
            .iter()
            .map(|t| &text[t.orig_start as usize..t.orig_end as usize])
            .collect();
        assert_eq!(pieces, vec!["Héy", "😏", "s e n d"]);
        assert!(n.tokens[1].symbol);
    }

    #[test]
    fn common_letters_fold_as_the_general_path_does() {
        for code in 0x0400..0x0700u32 {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            let Some((fast, script)) = fold_common_letter(c) else {
                continue;
            };
            let mut general = String::new();
            decompose_compatible(c, |d| {
                if !is_combining_mark(d) && !is_invisible(d) {
                    general.extend(d.to_lowercase().map(fold_char));
                }
            });
            assert_eq!(general, fast.to_string(), "U+{code:04X}");
            assert!(script == script_of(fast) && is_word_char(c) && !is_invisible(c));
        }
    }

    #[test]
    fn never_panics_on_odd_input() {
        for s in [
            "",
            " ",
            "\u{200B}",
            "ٰ",
            "a\u{0301}\u{0301}",
            "@@@",
            "1 2 3",
            "ǅ",
            "İ",
        ] {
            let n = normalize(s);
            for t in &n.tokens {
                assert!(s.is_char_boundary(t.orig_start as usize));
                assert!(s.is_char_boundary(t.orig_end as usize));
            }
        }
    }
}
