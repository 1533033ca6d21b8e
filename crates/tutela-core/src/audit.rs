//! The audit log as a hash chain: every entry carries the hash of the previous one, so editing,
//! deleting or reordering any entry breaks every later link. Periodic checkpoints sign the chain's
//! head with an ed25519 key, so even a rewrite of the whole chain from some point on (which
//! recomputes every hash) no longer matches a checkpoint signed before it.
//!
//! What a chain cannot prove alone: that entries after the last checkpoint were not cut off. The
//! server checkpoints often (and on shutdown) to keep that window small; operators who need more
//! copy checkpoints elsewhere (they are small and public).

use crate::model::NewAudit;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The `prev_hash` of the first entry.
pub const GENESIS: [u8; 32] = [0; 32];

const ENTRY_DOMAIN: &[u8] = b"tutela-audit-entry-v1";
const CHECKPOINT_DOMAIN: &[u8] = b"tutela-audit-checkpoint-v1";

/// One entry of the log, as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// 1, 2, 3, ... without gaps.
    pub seq: i64,
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub subject: String,
    /// JSON text exactly as hashed (kept as text so re-serialising cannot change the hash).
    pub details: String,
    pub prev_hash: String,
    pub hash: String,
}

/// A signed statement "entry `seq` of the log has hash `head_hash`".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub seq: i64,
    pub head_hash: String,
    pub at: i64,
    pub signature: String,
}

fn put_field(h: &mut blake3::Hasher, bytes: &[u8]) {
    h.update(&(bytes.len() as u64).to_le_bytes());
    h.update(bytes);
}

/// The hash of an entry given its predecessor's hash. Fields are length-prefixed, so no two
/// different entries hash the same input.
pub fn entry_hash(
    prev: &[u8; 32],
    seq: i64,
    at: i64,
    actor: &str,
    action: &str,
    subject: &str,
    details: &str,
) -> [u8; 32] {
    let mut h = blake3::Hasher::new();
    h.update(ENTRY_DOMAIN);
    h.update(prev);
    h.update(&seq.to_le_bytes());
    h.update(&at.to_le_bytes());
    put_field(&mut h, actor.as_bytes());
    put_field(&mut h, action.as_bytes());
    put_field(&mut h, subject.as_bytes());
    put_field(&mut h, details.as_bytes());
    *h.finalize().as_bytes()
}

/// The head a new entry links to: the last entry's `(seq, hash)`, or nothing for an empty log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Head {
    pub seq: i64,
    pub hash: [u8; 32],
}

impl Head {
    pub fn of(entry: &AuditEntry) -> Result<Head, AuditError> {
        Ok(Head {
            seq: entry.seq,
            hash: parse_hash(&entry.hash).ok_or(AuditError::BadHash(entry.seq))?,
        })
    }
}

/// Build the next entry after `head`.
pub fn link(head: Option<Head>, at: i64, new: &NewAudit) -> AuditEntry {
    let (seq, prev) = match head {
        Some(h) => (h.seq + 1, h.hash),
        None => (1, GENESIS),
    };
    let details = serde_json::to_string(&new.details).expect("JSON values always serialise");
    let hash = entry_hash(
        &prev,
        seq,
        at,
        &new.actor,
        &new.action,
        &new.subject,
        &details,
    );
    AuditEntry {
        seq,
        at,
        actor: new.actor.clone(),
        action: new.action.clone(),
        subject: new.subject.clone(),
        details,
        prev_hash: hex::encode(prev),
        hash: hex::encode(hash),
    }
}

fn parse_hash(s: &str) -> Option<[u8; 32]> {
    let mut out = [0u8; 32];
    hex::decode_to_slice(s, &mut out).ok()?;
    Some(out)
}

fn checkpoint_message(seq: i64, head: &[u8; 32], at: i64) -> Vec<u8> {
    let mut m = Vec::with_capacity(CHECKPOINT_DOMAIN.len() + 48);
    m.extend_from_slice(CHECKPOINT_DOMAIN);
    m.extend_from_slice(&seq.to_le_bytes());
    m.extend_from_slice(head);
    m.extend_from_slice(&at.to_le_bytes());
    m
}

/// Sign the chain's head.
pub fn sign_checkpoint(key: &SigningKey, head: Head, at: i64) -> Checkpoint {
    let sig = key.sign(&checkpoint_message(head.seq, &head.hash, at));
    Checkpoint {
        seq: head.seq,
        head_hash: hex::encode(head.hash),
        at,
        signature: hex::encode(sig.to_bytes()),
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AuditError {
    #[error("entry {0}: stored hash is not 64 hex digits")]
    BadHash(i64),
}

/// Where and how the log was found broken.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Break {
    pub seq: i64,
    pub problem: String,
}

impl fmt::Display for Break {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "entry {}: {}", self.seq, self.problem)
    }
}

/// Checks entries one at a time, in the order stored, without holding the log in memory.
pub struct ChainVerifier {
    expected_seq: i64,
    prev: [u8; 32],
    /// Hashes at checkpointed sequence numbers, to compare once entries are seen.
    seen_at: std::collections::HashMap<i64, [u8; 32]>,
    wanted: std::collections::HashSet<i64>,
}

impl ChainVerifier {
    /// `checkpoint_seqs`: the sequence numbers whose hashes checkpoints will be compared with.
    pub fn new(checkpoint_seqs: impl IntoIterator<Item = i64>) -> ChainVerifier {
        ChainVerifier {
            expected_seq: 1,
            prev: GENESIS,
            seen_at: Default::default(),
            wanted: checkpoint_seqs.into_iter().collect(),
        }
    }

    pub fn push(&mut self, e: &AuditEntry) -> Result<(), Break> {
        let brk = |problem: String| Break {
            seq: e.seq,
            problem,
        };
        if e.seq != self.expected_seq {
            return Err(brk(format!(
                "expected entry {} here: an entry was deleted or the log reordered",
                self.expected_seq
            )));
        }
        if parse_hash(&e.prev_hash) != Some(self.prev) {
            return Err(brk(
                "does not link to the previous entry (an earlier entry was changed, removed or moved)"
                    .into(),
            ));
        }
        let computed = entry_hash(
            &self.prev, e.seq, e.at, &e.actor, &e.action, &e.subject, &e.details,
        );
        if parse_hash(&e.hash) != Some(computed) {
            return Err(brk(
                "content does not match its hash (the entry was edited)".into(),
            ));
        }
        if self.wanted.contains(&e.seq) {
            self.seen_at.insert(e.seq, computed);
        }
        self.prev = computed;
        self.expected_seq += 1;
        Ok(())
    }

    /// Entries checked so far.
    pub fn entries(&self) -> i64 {
        self.expected_seq - 1
    }

    /// After the last entry: every checkpoint must be validly signed and match the chain.
    pub fn finish(self, checkpoints: &[Checkpoint], key: &VerifyingKey) -> Result<i64, Break> {
        let last = self.expected_seq - 1;
        for c in checkpoints {
            let brk = |problem: String| Break {
                seq: c.seq,
                problem,
            };
            let head = parse_hash(&c.head_hash)
                .ok_or_else(|| brk("checkpoint hash is not 64 hex digits".into()))?;
            let sig_bytes: [u8; 64] = hex::decode(&c.signature)
                .ok()
                .and_then(|b| b.try_into().ok())
                .ok_or_else(|| brk("checkpoint signature is not 128 hex digits".into()))?;
            key.verify(
                &checkpoint_message(c.seq, &head, c.at),
                &Signature::from_bytes(&sig_bytes),
            )
            .map_err(|_| brk("checkpoint signature is not valid for this log's key".into()))?;
            if c.seq > last {
                return Err(brk(format!(
                    "a signed checkpoint covers entry {} but the log ends at {last}: entries were deleted",
                    c.seq
                )));
            }
            match self.seen_at.get(&c.seq) {
                Some(h) if *h == head => {}
                _ => {
                    return Err(brk(
                        "the chain differs from the signed checkpoint (entries were rewritten)"
                            .into(),
                    ));
                }
            }
        }
        Ok(last)
    }
}

/// Check a whole log held in memory (tests, exports).
pub fn verify(
    entries: &[AuditEntry],
    checkpoints: &[Checkpoint],
    key: &VerifyingKey,
) -> Result<i64, Break> {
    let mut v = ChainVerifier::new(checkpoints.iter().map(|c| c.seq));
    for e in entries {
        v.push(e)?;
    }
    v.finish(checkpoints, key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn log(n: usize) -> Vec<AuditEntry> {
        let mut out: Vec<AuditEntry> = Vec::new();
        for i in 0..n {
            let head = out.last().map(|e| Head::of(e).unwrap());
            out.push(link(
                head,
                1_700_000_000 + i as i64,
                &NewAudit {
                    actor: format!("user:r{i}"),
                    action: "decision".into(),
                    subject: format!("case:{i}"),
                    details: json!({"action": "remove", "n": i}),
                },
            ));
        }
        out
    }

    fn key() -> SigningKey {
        SigningKey::from_bytes(&[7u8; 32])
    }

    #[test]
    fn an_intact_log_verifies() {
        let entries = log(20);
        let k = key();
        let cps = vec![
            sign_checkpoint(&k, Head::of(&entries[9]).unwrap(), 5),
            sign_checkpoint(&k, Head::of(&entries[19]).unwrap(), 6),
        ];
        assert_eq!(verify(&entries, &cps, &k.verifying_key()), Ok(20));
    }

    #[test]
    fn every_kind_of_tampering_is_found() {
        let k = key();
        let entries = log(10);
        let cps = vec![sign_checkpoint(&k, Head::of(&entries[9]).unwrap(), 5)];
        let vk = k.verifying_key();

        let mut edited = entries.clone();
        edited[4].details = edited[4].details.replace("remove", "restore");
        assert_eq!(verify(&edited, &cps, &vk).unwrap_err().seq, 5);

        let mut deleted = entries.clone();
        deleted.remove(3);
        assert_eq!(verify(&deleted, &cps, &vk).unwrap_err().seq, 5);

        let mut reordered = entries.clone();
        reordered.swap(2, 3);
        assert!(verify(&reordered, &cps, &vk).is_err());

        let mut cut = entries.clone();
        cut.truncate(8);
        let err = verify(&cut, &cps, &vk).unwrap_err();
        assert!(err.problem.contains("deleted"), "{err}");

        // Rewriting the tail with fresh hashes passes the chain but not the signed checkpoint.
        let mut rewritten = entries[..5].to_vec();
        for i in 5..10 {
            let head = Head::of(rewritten.last().unwrap()).unwrap();
            rewritten.push(link(
                Some(head),
                i,
                &NewAudit {
                    actor: "user:mallory".into(),
                    action: "decision".into(),
                    subject: "case:x".into(),
                    details: json!({}),
                },
            ));
        }
        let err = verify(&rewritten, &cps, &vk).unwrap_err();
        assert!(err.problem.contains("checkpoint"), "{err}");

        // A checkpoint signed by another key is refused.
        let other = SigningKey::from_bytes(&[9u8; 32]);
        let forged = vec![sign_checkpoint(&other, Head::of(&entries[9]).unwrap(), 5)];
        assert!(verify(&entries, &forged, &vk).is_err());
    }
}
