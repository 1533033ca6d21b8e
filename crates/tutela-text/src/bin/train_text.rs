//! Trains the embedded text model. Run through `scripts/train-text`:
//!
//! ```text
//! train-text [--data DIR] [--dev FILE] [--out FILE] [--report FILE] [--per-template N]
//!            [--cv-only] [--dump-oof FILE]
//! ```
//!
//! `--cv-only` runs checks 2 and 3 and writes nothing (for experiments); `--dump-oof FILE` writes
//! the out-of-fold dev scores of check 3 as JSON lines (line number, gold labels, 11 scores) for
//! error analysis, and those of check 2 beside it (`FILE` with extension `templates-only.jsonl`).
//!
//! Reads the template files `DIR/*.txt` (default `crates/tutela-text/data/train`, one file per
//! language) and the labelled JSON-lines set `--dev` (default
//! `../shared/vectors/text/dev.jsonl`; `--dev none` trains on the templates alone). Prints three
//! generalisation checks, then trains the final model on everything and writes it (default
//! `crates/tutela-text/model/text-model.bin`) with the report beside it.
//!
//! 1. Own held-out: one template in five (by a hash of its text) is held out, the model is
//!    trained on the rest, and the held-out templates' messages are scored.
//! 2. Templates only -> dev set: the model never sees a dev line.
//! 3. 5-fold cross-validation on the dev set, templates always in training. Per-category
//!    thresholds are tuned on these out-of-fold scores, and the final model ships them only if
//!    they beat 0.5 there by `TUNING_MARGIN` (or 0.5 breaks the false-positive budget).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use tutela_text::eval::MessageEval;
use tutela_text::model::write_model;
use tutela_text::train::{
    Example, LeakageKey, Rng, TrainOptions, Weights, expand, near_copy, parse_labels,
    parse_templates, train, tune_thresholds, tune_thresholds_within, with_typo,
};
use tutela_text::{CATEGORIES, CATEGORY_COUNT};

struct Args {
    data: PathBuf,
    dev: Option<PathBuf>,
    out: PathBuf,
    report: PathBuf,
    per_template: usize,
    options: TrainOptions,
    /// Only the generalisation checks 1 and 2; no model written.
    quick: bool,
    /// How many times each dev line is repeated in training (it is scarce, and closest in style
    /// to the messages the model will meet).
    dev_weight: usize,
    /// Writes the out-of-fold dev scores (JSON lines) for error analysis.
    dump_oof: Option<PathBuf>,
    /// Only the dev-set checks 2 and 3; no model written (for quick experiments).
    cv_only: bool,
    /// Also check 2 with thresholds from cross-validation on the templates.
    template_thresholds: bool,
}

fn number(s: &str) -> Result<f32, String> {
    s.parse().map_err(|_| format!("{s:?} is not a number"))
}

fn parse_args() -> Result<Args, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut args = Args {
        data: root.join("data/train"),
        dev: Some(root.join("../../../shared/vectors/text/dev.jsonl")),
        out: root.join("model/text-model.bin"),
        report: root.join("model/training-report.txt"),
        per_template: 12,
        options: TrainOptions::default(),
        quick: false,
        dev_weight: 8,
        dump_oof: None,
        cv_only: false,
        template_thresholds: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--data" => args.data = value()?.into(),
            "--dev" => {
                let v = value()?;
                args.dev = (v != "none").then(|| v.into());
            }
            "--out" => args.out = value()?.into(),
            "--report" => args.report = value()?.into(),
            "--epochs" => args.options.epochs = number(&value()?)? as usize,
            "--learning-rate" => args.options.learning_rate = number(&value()?)?,
            "--l2" => args.options.l2 = number(&value()?)?,
            "--positive-weight" => args.options.positive_weight = number(&value()?)?,
            "--dropout" => args.options.dropout = number(&value()?)?,
            "--quick" => args.quick = true,
            "--cv-only" => args.cv_only = true,
            "--template-thresholds" => args.template_thresholds = true,
            "--dump-oof" => args.dump_oof = Some(value()?.into()),
            "--dev-weight" => args.dev_weight = number(&value()?)? as usize,
            "--per-template" => {
                args.per_template = value()?
                    .parse()
                    .map_err(|_| "--per-template needs a number".to_string())?
            }
            "-h" | "--help" => {
                return Err(
                    "usage: train-text [--data DIR] [--dev FILE|none] [--out FILE] [--report FILE] [--per-template N]\n                  [--epochs N] [--learning-rate X] [--l2 X] [--positive-weight X] [--dropout X] [--dev-weight N] [--quick]\n                  [--cv-only] [--dump-oof FILE] [--template-thresholds]"
                        .into(),
                );
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(args)
}

fn stable_hash(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.as_bytes() {
        h ^= *b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Template examples, each tagged with its template group and whether that group is held out.
/// Also returns each template group's origin (`file:line`) and text, indexed by group - 1.
type Templates = (Vec<(Example, bool)>, Vec<(String, String)>);

fn load_templates(dir: &Path, per_template: usize) -> Result<Templates, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    let mut origins = Vec::new();
    let mut group = 0u32;
    for file in files {
        let source =
            std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        let templates = parse_templates(&source).map_err(|e| format!("{}: {e}", file.display()))?;
        for t in templates {
            group += 1;
            origins.push((
                format!(
                    "{}:{}",
                    file.file_name()
                        .map_or(String::new(), |n| n.to_string_lossy().into_owned()),
                    t.line
                ),
                t.text.clone(),
            ));
            let key = stable_hash(&t.text);
            let held_out = key.is_multiple_of(5);
            let mut rng = Rng::new(key);
            for text in expand(&t.text, per_template, &mut rng) {
                // One message in three also appears with a typo, as chat is typed.
                if rng.below(3) == 0
                    && let Some(typo) = with_typo(&text, &mut rng)
                {
                    out.push((
                        Example {
                            text: typo,
                            labels: t.labels,
                            group,
                        },
                        held_out,
                    ));
                }
                out.push((
                    Example {
                        text,
                        labels: t.labels,
                        group,
                    },
                    held_out,
                ));
            }
        }
    }
    Ok((out, origins))
}

/// Template lines with an expansion within difflib 0.8 of a dev line (the criterion the
/// held-out set was checked with against the dev set). The final model trains on the dev lines
/// themselves, so such near copies would only inflate the cross-validated figures: the trainer
/// refuses to run until they are deleted. Every training message is checked, and so are up to
/// [`LEAKAGE_PROBES`] further expansions of each template, so that a near copy is found whatever
/// expansions `--per-template` happens to pick.
fn leaked_templates(
    templates: &[(Example, bool)],
    origins: &[(String, String)],
    dev: &[Example],
) -> Vec<String> {
    let dev_keys: Vec<LeakageKey> = dev.iter().map(|d| LeakageKey::new(&d.text)).collect();
    let near = |text: &str| {
        let key = LeakageKey::new(text);
        dev_keys
            .iter()
            .position(|k| near_copy(&key, k, LEAKAGE_LIMIT))
    };
    let mut leaked: BTreeMap<u32, String> = BTreeMap::new();
    let training = templates.iter().map(|(ex, _)| (ex.group, ex.text.clone()));
    let probes = origins.iter().enumerate().flat_map(|(i, (_, text))| {
        let mut rng = Rng::new(stable_hash(text) ^ 0x5eed);
        expand(text, LEAKAGE_PROBES, &mut rng)
            .into_iter()
            .map(move |t| (i as u32 + 1, t))
    });
    for (group, text) in training.chain(probes) {
        if leaked.contains_key(&group) {
            continue;
        }
        if let Some(d) = near(&text) {
            let origin = origins
                .get(group as usize - 1)
                .map(|o| o.0.clone())
                .unwrap_or_default();
            leaked.insert(group, format!("{origin} (dev line {})", d + 1));
        }
    }
    leaked.into_values().collect()
}

/// Expansions per template checked for leakage besides the training ones.
const LEAKAGE_PROBES: usize = 64;
const LEAKAGE_LIMIT: f64 = 0.8;

/// The shipped thresholds keep the out-of-fold benign false-positive rate at or below this (the
/// issue's target is 5%; the margin is for messages unlike the developer set's).
const FALSE_POSITIVE_BUDGET: f64 = 0.04;
/// How much out-of-fold macro F1 tuned thresholds must add over 0.5 to be shipped (about three
/// messages of the developer set).
const TUNING_MARGIN: f64 = 0.01;

#[derive(serde::Deserialize)]
struct DevLine {
    text: String,
    labels: Vec<String>,
}

fn load_dev(path: &Path) -> Result<Vec<Example>, String> {
    let source = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = Vec::new();
    for (i, line) in source.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let parsed: DevLine = serde_json::from_str(line)
            .map_err(|e| format!("{} line {}: {e}", path.display(), i + 1))?;
        let labels = parse_labels(&parsed.labels.join(","))
            .map_err(|e| format!("{} line {}: {e}", path.display(), i + 1))?;
        out.push(Example {
            text: parsed.text,
            labels,
            group: 1_000_000 + i as u32,
        });
    }
    Ok(out)
}

fn evaluate(
    weights: &Weights,
    examples: &[Example],
    thresholds: &[f32; CATEGORY_COUNT],
) -> MessageEval {
    let mut e = MessageEval::default();
    for ex in examples {
        let p = weights.probabilities(&ex.text);
        let mut predicted = 0u16;
        for c in 0..CATEGORY_COUNT {
            if p[c] >= thresholds[c] {
                predicted |= 1 << c;
            }
        }
        e.add(ex.labels, predicted);
    }
    e
}

/// Per-category thresholds from 5-fold cross-validation over the templates alone (folds keep a
/// template's messages together): chosen without looking at the dev set.
fn template_cv_thresholds(templates: &[Example], options: &TrainOptions) -> [f32; CATEGORY_COUNT] {
    let mut scores = Vec::with_capacity(templates.len());
    let mut gold = Vec::with_capacity(templates.len());
    for fold in 0..5u64 {
        let in_fold = |e: &Example| stable_hash(&e.group.to_string()) % 5 == fold;
        let training: Vec<Example> = templates.iter().filter(|e| !in_fold(e)).cloned().collect();
        let w = train(&training, options);
        for e in templates.iter().filter(|e| in_fold(e)) {
            scores.push(w.probabilities(&e.text));
            gold.push(e.labels);
        }
    }
    tune_thresholds(&scores, &gold)
}

/// Scores with per-category thresholds tuned on the same messages: an upper bound.
fn best_case(weights: &Weights, examples: &[Example]) -> MessageEval {
    let scores: Vec<[f32; CATEGORY_COUNT]> = examples
        .iter()
        .map(|e| weights.probabilities(&e.text))
        .collect();
    let gold: Vec<u16> = examples.iter().map(|e| e.labels).collect();
    let thresholds = tune_thresholds(&scores, &gold);
    evaluate(weights, examples, &thresholds)
}

/// Dev scores as JSON lines (line number, gold labels, 11 scores) for error analysis.
fn dump_scores(
    path: &Path,
    dev: &[Example],
    scores: &[[f32; CATEGORY_COUNT]],
) -> Result<(), String> {
    let mut lines = String::new();
    for (i, (ex, s)) in dev.iter().zip(scores).enumerate() {
        let line = serde_json::json!({
            "line": i + 1,
            "gold": tutela_text::train::label_names(ex.labels),
            "scores": s.to_vec(),
        });
        lines.push_str(&line.to_string());
        lines.push('\n');
    }
    std::fs::write(path, lines).map_err(|e| format!("{}: {e}", path.display()))
}

fn summary(e: &MessageEval) -> String {
    format!(
        "macro F1 {:.3}, benign false-positive rate {:.3} ({} messages)",
        e.macro_f1(),
        e.benign_false_positive_rate(),
        e.messages
    )
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    let options = args.options.clone();
    let (templates, origins) = load_templates(&args.data, args.per_template)?;
    let dev = match &args.dev {
        Some(p) => load_dev(p)?,
        None => Vec::new(),
    };
    let leaked = leaked_templates(&templates, &origins, &dev);
    if !leaked.is_empty() {
        return Err(format!(
            "{} template lines come within difflib {LEAKAGE_LIMIT} of a dev line; delete them:\n  {}",
            leaked.len(),
            leaked.join("\n  ")
        ));
    }
    let mut report = String::new();
    let mut say = |line: String| {
        println!("{line}");
        report.push_str(&line);
        report.push('\n');
    };
    let mut per_label: BTreeMap<&str, usize> = BTreeMap::new();
    for (ex, _) in &templates {
        if ex.labels == 0 {
            *per_label.entry("benign").or_default() += 1;
        }
        for (c, name) in CATEGORIES.iter().enumerate() {
            if ex.labels & (1 << c) != 0 {
                *per_label.entry(name).or_default() += 1;
            }
        }
    }
    say(format!(
        "training data: {} template messages from {} ({} groups), {} dev lines",
        templates.len(),
        args.data
            .strip_prefix(env!("CARGO_MANIFEST_DIR"))
            .unwrap_or(&args.data)
            .display(),
        templates.last().map_or(0, |t| t.0.group),
        dev.len()
    ));
    say(format!("template messages per label: {per_label:?}"));
    if !dev.is_empty() {
        say(format!(
            "leakage check: no template message within difflib {LEAKAGE_LIMIT} of a dev line"
        ));
    }
    let half = [0.5f32; CATEGORY_COUNT];

    // 1. Own held-out templates.
    if !args.cv_only {
        let (held, kept): (Vec<_>, Vec<_>) = templates.iter().cloned().partition(|(_, h)| *h);
        let kept: Vec<Example> = kept.into_iter().map(|(e, _)| e).collect();
        let held: Vec<Example> = held.into_iter().map(|(e, _)| e).collect();
        let w = train(&kept, &options);
        let e = evaluate(&w, &held, &half);
        say(format!(
            "\n[1] own held-out templates (1 in 5, never trained on), threshold 0.5: {}",
            summary(&e)
        ));
        say(e.report());
        let best = best_case(&w, &held);
        say(format!(
            "[1b] same, thresholds tuned on the held-out messages themselves (optimistic): {}",
            summary(&best)
        ));
    }

    let all_templates: Vec<Example> = templates.into_iter().map(|(e, _)| e).collect();
    let mut thresholds = half;
    if !dev.is_empty() {
        // 2. Templates only, scored on the dev set.
        let w = train(&all_templates, &options);
        if let Some(path) = &args.dump_oof {
            let scores: Vec<[f32; CATEGORY_COUNT]> =
                dev.iter().map(|e| w.probabilities(&e.text)).collect();
            dump_scores(&path.with_extension("templates-only.jsonl"), &dev, &scores)?;
        }
        let e = evaluate(&w, &dev, &half);
        say(format!(
            "[2] trained on templates only, scored on the dev set, threshold 0.5: {}",
            summary(&e)
        ));
        say(e.report());
        let best = best_case(&w, &dev);
        say(format!(
            "[2b] same, thresholds tuned on the dev set (optimistic): {}",
            summary(&best)
        ));
        if args.template_thresholds {
            let t = template_cv_thresholds(&all_templates, &options);
            let e = evaluate(&w, &dev, &t);
            say(format!(
                "[2c] same, thresholds from 5-fold cross-validation on the templates (honest): {}",
                summary(&e)
            ));
            say(e.report());
            say(format!("template thresholds: {t:?}"));
        }
        if args.quick {
            return Ok(());
        }

        // 3. 5-fold cross-validation over the dev set.
        let mut order: Vec<usize> = (0..dev.len()).collect();
        Rng::new(11).shuffle(&mut order);
        let mut oof = vec![[0.0f32; CATEGORY_COUNT]; dev.len()];
        for fold in 0..5 {
            let mut training = all_templates.clone();
            let mut test = Vec::new();
            for (rank, &i) in order.iter().enumerate() {
                if rank % 5 == fold {
                    test.push(i);
                } else {
                    for _ in 0..args.dev_weight {
                        training.push(dev[i].clone());
                    }
                }
            }
            let w = train(&training, &options);
            for i in test {
                oof[i] = w.probabilities(&dev[i].text);
            }
        }
        let gold: Vec<u16> = dev.iter().map(|e| e.labels).collect();
        if let Some(path) = &args.dump_oof {
            dump_scores(path, &dev, &oof)?;
        }
        let score = |t: &[f32; CATEGORY_COUNT]| {
            let mut e = MessageEval::default();
            for (s, &g) in oof.iter().zip(&gold) {
                let mut p = 0u16;
                for c in 0..CATEGORY_COUNT {
                    if s[c] >= t[c] {
                        p |= 1 << c;
                    }
                }
                e.add(g, p);
            }
            e
        };
        let e = score(&half);
        say(format!(
            "[3] 5-fold cross-validation on the dev set (templates + 4/5 of dev), threshold 0.5: {}",
            summary(&e)
        ));
        say(e.report());
        let tuned = tune_thresholds_within(&oof, &gold, FALSE_POSITIVE_BUDGET);
        let tuned_eval = score(&tuned);
        say(format!(
            "[3b] same out-of-fold scores with thresholds tuned on them for F1 with benign false positives <= {FALSE_POSITIVE_BUDGET} (optimistic): {}",
            summary(&tuned_eval)
        ));
        say(format!("tuned thresholds: {tuned:?}"));
        // ~30 positives per category make tuned thresholds noisy: they ship only when they
        // beat 0.5 clearly on the scores they were tuned on, or 0.5 breaks the budget.
        let plain_ok = e.benign_false_positive_rate() <= FALSE_POSITIVE_BUDGET;
        if !plain_ok || tuned_eval.macro_f1() >= e.macro_f1() + TUNING_MARGIN {
            thresholds = tuned;
            say("shipped thresholds: the tuned ones".to_string());
        } else {
            say(format!(
                "shipped thresholds: 0.5 (the tuned ones gain less than {TUNING_MARGIN} macro F1 out of fold)"
            ));
        }
        if args.cv_only {
            return Ok(());
        }
    }

    // Final model: everything.
    let mut training = all_templates;
    for ex in &dev {
        for _ in 0..args.dev_weight {
            training.push(ex.clone());
        }
    }
    let w = train(&training, &options);
    let bytes = write_model(&w.weights, &w.bias, &thresholds);
    std::fs::write(&args.out, &bytes).map_err(|e| format!("{}: {e}", args.out.display()))?;
    say(format!(
        "\nwrote {} ({} bytes), trained on {} messages; options {options:?}",
        args.out
            .file_name()
            .map_or(args.out.display().to_string(), |n| n
                .to_string_lossy()
                .into_owned()),
        bytes.len(),
        training.len()
    ));
    std::fs::write(&args.report, report).map_err(|e| format!("{}: {e}", args.report.display()))?;
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("train-text: {e}");
            ExitCode::from(2)
        }
    }
}
