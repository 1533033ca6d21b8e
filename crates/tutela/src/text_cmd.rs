//! `tutela text`: text risk. Classify messages, track conversations, evaluate on labelled sets.
//! The shell around `tutela-text`: reads JSON lines, writes JSON lines or a report. Message text
//! is never printed back (errors name the line number only).

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use tutela_text::eval::{ConversationEval, MessageEval};
use tutela_text::{ChatLine, Scores, Span, TextClassifier, category_index};

#[derive(clap::Args)]
pub struct TextArgs {
    #[command(subcommand)]
    command: TextCommand,
}

#[derive(Subcommand)]
enum TextCommand {
    /// Score messages: reads JSON lines {"id", "text", "lang"?} and writes one line per message,
    /// {"id", "labels", "scores"}.
    Classify {
        /// JSON-lines file, or `-` for standard input.
        #[arg(long)]
        input: PathBuf,
        /// Also write the language and the evidence spans (byte offsets into the text).
        #[arg(long)]
        details: bool,
    },
    /// Follow conversations: reads JSON lines {"id", "turns": [{"from", "text"}], "meta"?} and
    /// writes {"id", "alert_turn", "labels", "risk"}.
    Conversations {
        /// JSON-lines file, or `-` for standard input.
        #[arg(long)]
        input: PathBuf,
        /// Also write each turn's risk, labels and tactics.
        #[arg(long)]
        details: bool,
    },
    /// Evaluate on labelled sets: per-category precision, recall and F1, the benign
    /// false-positive rate, and early-alert figures for conversations.
    Eval {
        /// Labelled messages {"id", "text", "lang"?, "labels"}.
        #[arg(long)]
        messages: Option<PathBuf>,
        /// Labelled conversations {"id", "turns", "meta"?, "labels", "first_risky_turn"}.
        #[arg(long)]
        conversations: Option<PathBuf>,
    },
}

pub fn run(args: TextArgs) -> Result<ExitCode> {
    let classifier = TextClassifier::new();
    match args.command {
        TextCommand::Classify { input, details } => classify(&classifier, &input, details),
        TextCommand::Conversations { input, details } => {
            conversations(&classifier, &input, details)
        }
        TextCommand::Eval {
            messages,
            conversations,
        } => {
            if messages.is_none() && conversations.is_none() {
                bail!("give --messages FILE, --conversations FILE or both");
            }
            eval(&classifier, messages.as_deref(), conversations.as_deref())
        }
    }
}

fn open(path: &Path) -> Result<Box<dyn BufRead>> {
    if path == Path::new("-") {
        return Ok(Box::new(BufReader::new(std::io::stdin())));
    }
    let file = std::fs::File::open(path).with_context(|| format!("{}", path.display()))?;
    Ok(Box::new(BufReader::with_capacity(1 << 16, file)))
}

/// Reads JSON lines, calling `each` with the 1-based line number and the parsed value. Blank lines
/// are skipped. A line that is not valid JSON of the expected shape is reported to `bad` by number
/// (its content is not echoed: it may be a child's message).
fn for_each_line<T: for<'de> Deserialize<'de>>(
    path: &Path,
    mut each: impl FnMut(usize, T) -> Result<()>,
    mut bad: impl FnMut(usize, String) -> Result<()>,
) -> Result<()> {
    let mut reader = open(path)?;
    let mut line = String::new();
    let mut number = 0;
    loop {
        line.clear();
        let read = reader
            .read_line(&mut line)
            .with_context(|| format!("{}: reading line {}", path.display(), number + 1))?;
        if read == 0 {
            return Ok(());
        }
        number += 1;
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<T>(&line) {
            Ok(value) => each(number, value)?,
            Err(err) => bad(number, err.to_string())?,
        }
    }
}

#[derive(Deserialize)]
struct MessageLine {
    id: Value,
    text: String,
    #[serde(default)]
    lang: Option<String>,
    #[serde(default)]
    labels: Option<Vec<String>>,
}

/// One output line of `classify`, fields in the contract's order.
#[derive(Serialize)]
struct ClassifyRecord<'a> {
    id: &'a Value,
    labels: &'a [&'static str],
    scores: &'a Scores,
    #[serde(skip_serializing_if = "Option::is_none")]
    lang: Option<&'a Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    spans: Option<&'a Vec<Span>>,
}

/// One output line of `conversations`.
#[derive(Serialize)]
struct ConversationRecord<'a> {
    id: &'a Value,
    alert_turn: Option<usize>,
    labels: Vec<&'static str>,
    risk: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    turns: Option<Vec<Value>>,
}

fn classify(classifier: &TextClassifier, input: &Path, details: bool) -> Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut failures = 0usize;
    for_each_line::<MessageLine>(
        input,
        |_, message| {
            if details {
                let result = classifier.classify(&message.text, message.lang.as_deref());
                let record = ClassifyRecord {
                    id: &message.id,
                    labels: &result.labels,
                    scores: &result.scores,
                    lang: Some(&result.lang),
                    spans: Some(&result.spans),
                };
                serde_json::to_writer(&mut out, &record)?;
            } else {
                let (labels, scores) = classifier.labels_and_scores(&message.text);
                let record = ClassifyRecord {
                    id: &message.id,
                    labels: &labels,
                    scores: &scores,
                    lang: None,
                    spans: None,
                };
                serde_json::to_writer(&mut out, &record)?;
            }
            out.write_all(b"\n")?;
            Ok(())
        },
        |number, err| {
            failures += 1;
            eprintln!(
                "tutela: {}: line {number}: not a message object {{\"id\", \"text\", \"lang\"?}}: {err}",
                input.display()
            );
            Ok(())
        },
    )?;
    out.flush()?;
    Ok(if failures > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn conversations(classifier: &TextClassifier, input: &Path, details: bool) -> Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failures = 0usize;
    for_each_line::<ChatLine>(
        input,
        |_, conversation| {
            let mut turns = Vec::new();
            let (alert_turn, tracker) = conversation.replay(classifier, |_, a| {
                if details {
                    turns.push(
                        json!({"risk": (a.risk as f64 * 10_000.0).round() / 10_000.0,
                        "labels": a.labels, "stages": a.stages, "alert": a.alert}),
                    );
                }
            });
            let record = ConversationRecord {
                id: &conversation.id,
                alert_turn,
                labels: tracker.labels(),
                risk: (tracker.risk() as f64 * 10_000.0).round() / 10_000.0,
                turns: details.then_some(turns),
            };
            serde_json::to_writer(&mut out, &record)?;
            out.write_all(b"\n")?;
            Ok(())
        },
        |number, err| {
            failures += 1;
            eprintln!(
                "tutela: {}: line {number}: not a conversation object {{\"id\", \"turns\": [{{\"from\", \"text\"}}], \"meta\"?}}: {err}",
                input.display()
            );
            Ok(())
        },
    )?;
    out.flush()?;
    Ok(if failures > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn label_bits(labels: &[String], path: &Path, line: usize) -> Result<u16> {
    let mut bits = 0u16;
    for label in labels {
        let c = category_index(label).with_context(|| {
            format!(
                "{}: line {line}: unknown category {label:?}",
                path.display()
            )
        })?;
        bits |= 1 << c;
    }
    Ok(bits)
}

fn eval(
    classifier: &TextClassifier,
    messages: Option<&Path>,
    conversations: Option<&Path>,
) -> Result<ExitCode> {
    if let Some(path) = messages {
        let mut overall = MessageEval::default();
        let mut per_lang: BTreeMap<String, MessageEval> = BTreeMap::new();
        for_each_line::<MessageLine>(
            path,
            |number, message| {
                let Some(labels) = &message.labels else {
                    bail!(
                        "{}: line {number}: no \"labels\" to evaluate against",
                        path.display()
                    );
                };
                let gold = label_bits(labels, path, number)?;
                let result = classifier.classify(&message.text, message.lang.as_deref());
                let predicted = result
                    .labels
                    .iter()
                    .filter_map(|l| category_index(l))
                    .fold(0u16, |bits, c| bits | 1 << c);
                overall.add(gold, predicted);
                let lang = message.lang.clone().unwrap_or_else(|| "?".into());
                per_lang.entry(lang).or_default().add(gold, predicted);
                Ok(())
            },
            |number, err| {
                bail!(
                    "{}: line {number}: not a labelled message: {err}",
                    path.display()
                )
            },
        )?;
        println!("messages: {}", path.display());
        print!("{}", overall.report());
        println!(
            "per language (harmful recall = messages with a label that got at least one correct label):"
        );
        for (lang, e) in &per_lang {
            let tp: u32 = e.per_category.iter().map(|c| c.true_positives).sum();
            let gold: u32 = e
                .per_category
                .iter()
                .map(|c| c.true_positives + c.false_negatives)
                .sum();
            println!(
                "  {lang}: macro F1 {:.3}, label recall {:.3}, benign false-positive rate {:.3} ({} messages)",
                e.macro_f1(),
                if gold == 0 {
                    0.0
                } else {
                    tp as f64 / gold as f64
                },
                e.benign_false_positive_rate(),
                e.messages
            );
        }
    }
    if let Some(path) = conversations {
        let mut e = ConversationEval::default();
        for_each_line::<ChatLine>(
            path,
            |number, conversation| {
                if conversation.is_risky() && conversation.first_risky_turn.is_none() {
                    bail!(
                        "{}: line {number}: risky conversation without first_risky_turn",
                        path.display()
                    );
                }
                let (alert_turn, _) = conversation.replay(classifier, |_, _| {});
                e.add(conversation.gold_first_risky_turn(), alert_turn);
                Ok(())
            },
            |number, err| {
                bail!(
                    "{}: line {number}: not a labelled conversation: {err}",
                    path.display()
                )
            },
        )?;
        if messages.is_some() {
            println!();
        }
        println!("conversations: {}", path.display());
        print!("{}", e.report());
    }
    Ok(ExitCode::SUCCESS)
}
