//! Index files: one per bank and generation (see the `store` module documentation).

use std::path::{Path, PathBuf};

use rusqlite::Connection;
use tutela_index::{Code, Index, IndexError, Md5Set, Sha256Set};

use super::{StoreError, io_err};
use crate::HashKind;

/// A bank's hashes in memory or mapped from its file. A video bank's index holds the distinct
/// good frame hashes of its videos, each video's frames under consecutive ids.
pub(crate) enum BankIndex {
    Pdq(Index),
    Sha256(Sha256Set),
    Md5(Md5Set),
}

impl BankIndex {
    pub(crate) fn empty(kind: HashKind) -> BankIndex {
        match kind {
            HashKind::Pdq | HashKind::Vpdq => BankIndex::Pdq(Index::default()),
            HashKind::Sha256 => BankIndex::Sha256(Sha256Set::new()),
            HashKind::Md5 => BankIndex::Md5(Md5Set::new()),
        }
    }

    pub(crate) fn open(path: &Path, kind: HashKind) -> Result<BankIndex, IndexError> {
        Ok(match kind {
            HashKind::Pdq | HashKind::Vpdq => BankIndex::Pdq(Index::open(path)?),
            HashKind::Sha256 => BankIndex::Sha256(Sha256Set::open(path)?),
            HashKind::Md5 => BankIndex::Md5(Md5Set::open(path)?),
        })
    }

    pub(crate) fn save(&self, path: &Path) -> Result<(), IndexError> {
        match self {
            BankIndex::Pdq(i) => i.save(path),
            BankIndex::Sha256(s) => s.save(path),
            BankIndex::Md5(s) => s.save(path),
        }
    }

    /// Adds a new hash (hex already validated for the kind); its id is `id`.
    pub(crate) fn add(&mut self, hex: &str, id: u32) -> Result<(), StoreError> {
        match self {
            BankIndex::Pdq(index) => {
                let code = code_of(hex)?;
                let got = index.add(code)?;
                if got != id {
                    return Err(StoreError::Inconsistent(format!(
                        "index assigned id {got}, the database expected {id}"
                    )));
                }
            }
            BankIndex::Sha256(set) => {
                set.insert(digest(hex)?);
            }
            BankIndex::Md5(set) => {
                set.insert(digest(hex)?);
            }
        }
        Ok(())
    }

    /// Folds recent adds into the main segment once they are a noticeable share, so opening
    /// the file does not have to index them again.
    pub(crate) fn compact_if_worthwhile(&mut self) {
        match self {
            BankIndex::Pdq(index) => {
                let pending = index.len() - index.main_len();
                if pending > 0 && (pending >= 4096 || pending * 8 >= index.main_len()) {
                    index.compact();
                }
            }
            BankIndex::Sha256(set) => set.compact(),
            BankIndex::Md5(set) => set.compact(),
        }
    }
}

pub(crate) fn code_of(hex: &str) -> Result<Code, StoreError> {
    tutela_index::code_from_hex(hex)
        .ok_or_else(|| StoreError::Inconsistent("stored PDQ hash is not 64 hex digits".into()))
}

pub(crate) fn digest<const N: usize>(hex: &str) -> Result<[u8; N], StoreError> {
    let mut out = [0u8; N];
    hex::decode_to_slice(hex, &mut out)
        .map_err(|_| StoreError::Inconsistent("stored digest has the wrong length".into()))?;
    Ok(out)
}

pub(crate) fn index_file(bank_dir: &Path, kind: HashKind, generation: i64) -> PathBuf {
    let ext = match kind {
        HashKind::Pdq | HashKind::Vpdq => "tidx",
        HashKind::Sha256 | HashKind::Md5 => "tset",
    };
    bank_dir.join(format!("{}.{generation}.{ext}", kind.name()))
}

/// The generation in an index file name, if it is one of `kind`'s.
fn generation_of(file_name: &str, kind: HashKind) -> Option<i64> {
    let rest = file_name.strip_prefix(kind.name())?.strip_prefix('.')?;
    let (generation, ext) = rest.split_once('.')?;
    matches!(ext, "tidx" | "tset").then(|| generation.parse().ok())?
}

/// Index files of generations the database does not name, temp files, and folders of
/// banks that do not exist. Looked for without the lock; removed under it.
pub(crate) fn stray_files(conn: &Connection, root: &Path) -> Result<Vec<PathBuf>, StoreError> {
    let banks_dir = root.join("banks");
    let mut current = std::collections::HashMap::new();
    let mut stmt = conn.prepare("SELECT id, hash_kind, index_generation FROM banks")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })?;
    for row in rows {
        let (id, kind, generation) = row?;
        current.insert(id.to_string(), (kind.parse::<HashKind>().ok(), generation));
    }
    let mut strays = Vec::new();
    let entries = std::fs::read_dir(&banks_dir).map_err(io_err(&banks_dir))?;
    for entry in entries {
        let entry = entry.map_err(io_err(&banks_dir))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(&(kind, generation)) = current.get(&name) else {
            if name.parse::<i64>().is_ok() {
                strays.push(entry.path());
            }
            continue;
        };
        let dir = entry.path();
        for file in std::fs::read_dir(&dir).map_err(io_err(&dir))? {
            let file = file.map_err(io_err(&dir))?;
            let fname = file.file_name().to_string_lossy().into_owned();
            let ours = kind.and_then(|k| generation_of(&fname, k));
            let stale = match ours {
                Some(g) => g != generation,
                None => fname.starts_with('.') && fname.contains(".tmp-"),
            };
            if stale {
                strays.push(file.path());
            }
        }
    }
    Ok(strays)
}
