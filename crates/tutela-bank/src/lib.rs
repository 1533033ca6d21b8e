//! Hash banks: lists of known hashes (PDQ, SHA-256, MD5) with their metadata, imported from the
//! formats the ecosystem exchanges, stored under a data folder and matched against.
//!
//! * [`formats`]: pure parsers and writers (text in, records and per-line errors out).
//! * [`store`]: banks in `DATA/tutela.sqlite` plus one index file per bank, changed atomically.
//! * [`matcher`]: every enabled bank's index memory-mapped; a query in, matches out, with
//!   per-bank thresholds, minimum quality and allow-bank suppression.
//! * Video banks ([`HashKind::Vpdq`]): each entry is a video, imported as its vPDQ frame
//!   hashes ([`VideoRecord`]); its distinct good frames go into the same kind of index as
//!   images, so a query video is matched frame by frame in one index lookup
//!   ([`Matcher::query_video`]), and reported with both match percentages.

pub mod formats;
pub mod matcher;
pub mod store;

pub use formats::{ExportEntry, Format, LineIssue, ParseOutput, ParsedRecord, Record};
pub use matcher::{
    Match, MatchOutcome, Matcher, Query, SkippedBank, SuppressedBy, VideoMatch, VideoMatchOutcome,
    VideoQuery,
};
pub use store::{
    BankInfo, BankSettings, EntryRef, ImportOptions, ImportSummary, NewBank, Store, StoreError,
    VideoExport, VideoRecord,
};

use std::fmt;
use std::str::FromStr;

/// What a bank's hashes are. A 64-hex-digit line could be a PDQ hash or a SHA-256 digest: the
/// bank's hash kind, chosen when it is created, decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HashKind {
    Pdq,
    Sha256,
    Md5,
    /// Videos as vPDQ frame hashes. The entry's `hash` is its content id: the SHA-256 of its
    /// frame list (see [`VideoRecord::content_id`]).
    Vpdq,
}

impl HashKind {
    pub const ALL: [HashKind; 4] = [
        HashKind::Pdq,
        HashKind::Sha256,
        HashKind::Md5,
        HashKind::Vpdq,
    ];

    pub fn name(self) -> &'static str {
        match self {
            HashKind::Pdq => "pdq",
            HashKind::Sha256 => "sha256",
            HashKind::Md5 => "md5",
            HashKind::Vpdq => "vpdq",
        }
    }

    /// Number of hex digits of one hash.
    pub fn hex_len(self) -> usize {
        match self {
            HashKind::Pdq | HashKind::Sha256 | HashKind::Vpdq => 64,
            HashKind::Md5 => 32,
        }
    }

    /// How the kind is named in error messages.
    pub fn display_name(self) -> &'static str {
        match self {
            HashKind::Pdq => "PDQ hash",
            HashKind::Sha256 => "SHA-256 digest",
            HashKind::Md5 => "MD5 digest",
            HashKind::Vpdq => "video content id",
        }
    }
}

impl fmt::Display for HashKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for HashKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "pdq" => Ok(HashKind::Pdq),
            "sha256" | "sha-256" => Ok(HashKind::Sha256),
            "md5" => Ok(HashKind::Md5),
            "vpdq" | "video" => Ok(HashKind::Vpdq),
            _ => Err("hash kind must be pdq, sha256, md5 or vpdq".into()),
        }
    }
}

/// A block bank flags what matches it; an allow bank lists known-good content whose matches
/// suppress block matches of the same query.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BankKind {
    Block,
    Allow,
}

impl BankKind {
    pub fn name(self) -> &'static str {
        match self {
            BankKind::Block => "block",
            BankKind::Allow => "allow",
        }
    }
}

impl fmt::Display for BankKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for BankKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "block" => Ok(BankKind::Block),
            "allow" => Ok(BankKind::Allow),
            _ => Err("bank kind must be block or allow".into()),
        }
    }
}
