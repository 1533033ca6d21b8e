//! What every request handler shares.

use crate::config::Config;
use crate::metrics::Metrics;
use ed25519_dalek::SigningKey;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, RwLock};
use tutela_bank::Matcher;
use tutela_core::Store;
use tutela_core::vault::MasterKey;
use tutela_policy::Policy;

pub struct AppState {
    pub store: Arc<dyn Store>,
    /// Swapped whole when banks change; scans hold their own `Arc` meanwhile.
    pub matcher: RwLock<Option<Arc<LoadedBanks>>>,
    pub policy: Policy,
    pub master: MasterKey,
    pub signing: SigningKey,
    pub config: Config,
    pub data: PathBuf,
    pub metrics: Metrics,
    /// Set once the banks are loaded: `/readyz` answers 200 from then on.
    pub ready: AtomicBool,
    /// Wakes the webhook worker when the outbox gets a message.
    pub outbox_notify: tokio::sync::Notify,
    /// Failed console logins by user name: (failures in a row, time of the last one).
    pub login_failures: std::sync::Mutex<std::collections::HashMap<String, (u32, i64)>>,
    /// Valid API keys by hash, with when they were read (see `auth`).
    pub api_keys: std::sync::Mutex<HashMap<String, (tutela_core::ApiKey, i64)>>,
    /// Reports per reporter in the last hour (keyed hashes and counters only).
    pub flood: std::sync::Mutex<tutela_core::report::FloodGate>,
    /// Key of the keyed hashes that stand for reporters (derived from the master key).
    pub reporter_key: [u8; 32],
    /// Conversation trackers by conversation id: counters and features only, no text.
    pub conversations:
        std::sync::Mutex<std::collections::HashMap<String, tutela_text::ConversationTracker>>,
    /// Video hashing permits, job wake-ups and live streams' windows.
    pub video: crate::video::VideoRuntime,
}

pub type Shared = Arc<AppState>;

/// The matcher with what scans need to know of each bank, computed once per (re)load rather
/// than on every scan.
pub struct LoadedBanks {
    pub matcher: Matcher,
    /// Bank name -> (its labels, i.e. categories; its hash kind).
    pub categories: HashMap<String, (Vec<String>, String)>,
}

impl AppState {
    pub fn matcher(&self) -> Option<Arc<LoadedBanks>> {
        self.matcher.read().expect("matcher lock").clone()
    }

    pub fn set_matcher(&self, matcher: Matcher) {
        let categories = matcher
            .banks()
            .map(|b| {
                (
                    b.name.clone(),
                    (b.labels.clone(), b.hash_kind.name().to_string()),
                )
            })
            .collect();
        *self.matcher.write().expect("matcher lock") = Some(Arc::new(LoadedBanks {
            matcher,
            categories,
        }));
    }
}
