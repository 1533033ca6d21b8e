//! Sealing evidence: each item is encrypted with its own random key (XChaCha20-Poly1305), and
//! that key is stored wrapped (encrypted) by the master key. Losing the master key loses the
//! evidence; rotating it means re-wrapping item keys, not re-encrypting blobs. The associated data
//! binds a blob to its record, so blobs cannot be swapped between records unnoticed.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use std::fmt;

const BLOB_MAGIC: &[u8; 4] = b"TVB1";
const NONCE_LEN: usize = 24;

/// The key that wraps every item key. Never logged; `Debug` hides it.
#[derive(Clone)]
pub struct MasterKey([u8; 32]);

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MasterKey(<hidden>)")
    }
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum VaultError {
    #[error("the master key must be 64 hex digits (32 bytes)")]
    BadMasterKey,
    #[error("the system random source failed")]
    Random,
    #[error("the sealed blob is not a Tutela evidence blob (bad header or too short)")]
    NotABlob,
    #[error("the item key does not unwrap with this master key (wrong key or damaged record)")]
    KeyUnwrap,
    #[error("the blob does not decrypt: it was changed, or belongs to another record")]
    Tampered,
}

fn random<const N: usize>() -> Result<[u8; N], VaultError> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).map_err(|_| VaultError::Random)?;
    Ok(b)
}

fn cipher(key: &[u8; 32]) -> XChaCha20Poly1305 {
    XChaCha20Poly1305::new(&(*key).into())
}

impl MasterKey {
    pub fn generate() -> Result<MasterKey, VaultError> {
        Ok(MasterKey(random()?))
    }

    pub fn from_hex(s: &str) -> Result<MasterKey, VaultError> {
        let mut k = [0u8; 32];
        hex::decode_to_slice(s.trim(), &mut k).map_err(|_| VaultError::BadMasterKey)?;
        Ok(MasterKey(k))
    }

    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// A key for another purpose (e.g. keyed hashes of reporters), derived so it needs no
    /// file of its own and changes with the master key.
    pub fn derive(&self, context: &str) -> [u8; 32] {
        blake3::derive_key(context, &self.0)
    }

    /// A short public fingerprint, to tell keys apart in messages without revealing them.
    pub fn fingerprint(&self) -> String {
        hex::encode(&blake3::hash(&self.0).as_bytes()[..6])
    }
}

/// A sealed item: the blob to write to disk and the wrapped key to store with its record.
pub struct Sealed {
    pub blob: Vec<u8>,
    pub wrapped_key: Vec<u8>,
}

fn encrypt(key: &[u8; 32], msg: &[u8], aad: &[u8]) -> Result<Vec<u8>, VaultError> {
    let nonce: [u8; NONCE_LEN] = random()?;
    let ct = cipher(key)
        .encrypt(&XNonce::from(nonce), Payload { msg, aad })
        .map_err(|_| VaultError::Random)?;
    let mut out = Vec::with_capacity(NONCE_LEN + ct.len());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ct);
    Ok(out)
}

fn decrypt(key: &[u8; 32], data: &[u8], aad: &[u8]) -> Option<Vec<u8>> {
    if data.len() < NONCE_LEN + 16 {
        return None;
    }
    let (nonce, ct) = data.split_at(NONCE_LEN);
    let nonce: [u8; NONCE_LEN] = nonce.try_into().ok()?;
    cipher(key)
        .decrypt(&XNonce::from(nonce), Payload { msg: ct, aad })
        .ok()
}

/// Encrypt `plaintext` under a fresh item key; `aad` names the record (e.g. its SHA-256).
pub fn seal(master: &MasterKey, plaintext: &[u8], aad: &[u8]) -> Result<Sealed, VaultError> {
    let item_key: [u8; 32] = random()?;
    let mut blob = BLOB_MAGIC.to_vec();
    blob.extend_from_slice(&encrypt(&item_key, plaintext, aad)?);
    let wrapped_key = encrypt(&master.0, &item_key, b"tutela-item-key-v1")?;
    Ok(Sealed { blob, wrapped_key })
}

/// Decrypt a sealed blob with its record's wrapped key and the same `aad`.
pub fn open(
    master: &MasterKey,
    wrapped_key: &[u8],
    blob: &[u8],
    aad: &[u8],
) -> Result<Vec<u8>, VaultError> {
    let body = blob.strip_prefix(BLOB_MAGIC).ok_or(VaultError::NotABlob)?;
    let key =
        decrypt(&master.0, wrapped_key, b"tutela-item-key-v1").ok_or(VaultError::KeyUnwrap)?;
    let key: [u8; 32] = key.try_into().map_err(|_| VaultError::KeyUnwrap)?;
    decrypt(&key, body, aad).ok_or(VaultError::Tampered)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_then_open_round_trips_and_hides_the_content() {
        let m = MasterKey::generate().unwrap();
        let content = b"synthetic evidence bytes: not an image".repeat(10);
        let s = seal(&m, &content, b"sha256:abc").unwrap();
        assert!(!s.blob.windows(20).any(|w| w == &content[..20]));
        assert_eq!(
            open(&m, &s.wrapped_key, &s.blob, b"sha256:abc").unwrap(),
            content
        );
    }

    #[test]
    fn wrong_key_wrong_record_or_flipped_byte_fail_clearly() {
        let m = MasterKey::generate().unwrap();
        let s = seal(&m, b"hello", b"r1").unwrap();
        let other = MasterKey::generate().unwrap();
        assert_eq!(
            open(&other, &s.wrapped_key, &s.blob, b"r1"),
            Err(VaultError::KeyUnwrap)
        );
        assert_eq!(
            open(&m, &s.wrapped_key, &s.blob, b"r2"),
            Err(VaultError::Tampered)
        );
        let mut flipped = s.blob.clone();
        *flipped.last_mut().unwrap() ^= 1;
        assert_eq!(
            open(&m, &s.wrapped_key, &flipped, b"r1"),
            Err(VaultError::Tampered)
        );
        assert_eq!(
            open(&m, &s.wrapped_key, b"PNG...", b"r1"),
            Err(VaultError::NotABlob)
        );
    }

    #[test]
    fn master_key_hex_round_trips_and_debug_hides_it() {
        let m = MasterKey::generate().unwrap();
        let back = MasterKey::from_hex(&m.to_hex()).unwrap();
        assert_eq!(back.to_hex(), m.to_hex());
        assert!(!format!("{m:?}").contains(&m.to_hex()));
        assert_eq!(
            MasterKey::from_hex("xyz").unwrap_err(),
            VaultError::BadMasterKey
        );
    }
}
