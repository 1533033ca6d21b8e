//! `DATA/tutela.toml`: written with commented defaults at first start, read at every start.
//! Secrets can come from the environment instead (`TUTELA_MASTER_KEY`, `TUTELA_WEBHOOK_SECRET`).

use anyhow::{Context, Result};
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub listen: String,
    /// A rules file (relative to the data folder); unset = the built-in safe defaults.
    pub rules: Option<PathBuf>,
    pub webhook: WebhookConfig,
    pub evidence: EvidenceConfig,
    pub review: ReviewConfig,
    pub audit: AuditConfig,
    pub limits: LimitsConfig,
    pub reports: ReportsConfig,
    pub public: crate::public::PublicConfig,
    pub video: crate::video::VideoConfig,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReportsConfig {
    /// Reports a reporter may file in an hour before further ones are refused (urgent ones
    /// are always accepted, and flagged).
    pub max_per_hour_per_reporter: u32,
    /// How long after a decision the affected user may appeal (EU DSA: at least 6 months).
    pub appeal_window_days: u32,
    /// An appeal is due for review this long after it is filed.
    pub appeal_due_hours: u32,
    /// Where Tutela's public pages are reached from outside (e.g. `https://safety.example`),
    /// for links in webhooks; unset = links are relative paths.
    pub public_url: Option<String>,
}

impl Default for ReportsConfig {
    fn default() -> Self {
        ReportsConfig {
            max_per_hour_per_reporter: 30,
            appeal_window_days: 183,
            appeal_due_hours: 72,
            public_url: None,
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WebhookConfig {
    /// Where actions are sent; unset = they wait in the outbox until a URL is configured.
    pub url: Option<String>,
    pub secret: Option<String>,
    pub max_attempts: u32,
    pub timeout_seconds: u64,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EvidenceConfig {
    pub retention_days: u32,
    /// File holding the master key (64 hex digits), relative to the data folder.
    pub master_key_file: PathBuf,
    pub purge_interval_seconds: u64,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReviewConfig {
    pub lock_minutes: u32,
    pub session_hours: u32,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuditConfig {
    pub checkpoint_seconds: u64,
    pub signing_key_file: PathBuf,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LimitsConfig {
    pub max_upload_bytes: usize,
    pub max_batch: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: "127.0.0.1:8080".into(),
            rules: None,
            webhook: WebhookConfig::default(),
            evidence: EvidenceConfig::default(),
            review: ReviewConfig::default(),
            audit: AuditConfig::default(),
            limits: LimitsConfig::default(),
            reports: ReportsConfig::default(),
            public: Default::default(),
            video: Default::default(),
        }
    }
}

impl Default for WebhookConfig {
    fn default() -> Self {
        WebhookConfig {
            url: None,
            secret: None,
            max_attempts: 8,
            timeout_seconds: 10,
        }
    }
}

impl Default for EvidenceConfig {
    fn default() -> Self {
        EvidenceConfig {
            retention_days: 90,
            master_key_file: "secrets/master.key".into(),
            purge_interval_seconds: 3600,
        }
    }
}

impl Default for ReviewConfig {
    fn default() -> Self {
        ReviewConfig {
            lock_minutes: 15,
            session_hours: 12,
        }
    }
}

impl Default for AuditConfig {
    fn default() -> Self {
        AuditConfig {
            checkpoint_seconds: 60,
            signing_key_file: "secrets/audit-signing.key".into(),
        }
    }
}

impl Default for LimitsConfig {
    fn default() -> Self {
        LimitsConfig {
            max_upload_bytes: 64 * 1024 * 1024,
            max_batch: 100,
        }
    }
}

/// The file written at first start: every setting with its default, commented.
pub fn default_file(webhook_secret: &str) -> String {
    format!(
        r#"# Tutela engine configuration. Each commented line shows the default.
# Secrets may come from the environment instead: TUTELA_MASTER_KEY, TUTELA_WEBHOOK_SECRET.

# listen = "127.0.0.1:8080"
# A rules file, relative to this folder; unset = the built-in safe defaults
# (see `tutela rules check`).
# rules = "rules.toml"

[webhook]
# Where actions (remove, restore, restrict, notify) are POSTed; unset = they wait in the outbox.
# url = "https://platform.example/tutela-webhook"
# HMAC-SHA256 key for the Tutela-Signature header; generated at first start.
secret = "{webhook_secret}"
# max_attempts = 8
# timeout_seconds = 10

[evidence]
# Preserved content is kept encrypted this long, unless on legal hold.
# retention_days = 90
# master_key_file = "secrets/master.key"
# purge_interval_seconds = 3600

[review]
# A reviewer's lock on a case expires after this long.
# lock_minutes = 15
# session_hours = 12

[audit]
# A signed checkpoint of the audit chain's head is written this often (and at shutdown).
# checkpoint_seconds = 60
# signing_key_file = "secrets/audit-signing.key"

[limits]
# max_upload_bytes = 67108864
# max_batch = 100

[reports]
# Reports one reporter may file in an hour; more are refused for a while (429), except urgent
# ones (sextortion, self-harm, abuse imagery, danger), which are always accepted and flagged.
# max_per_hour_per_reporter = 30
# The affected user may appeal a decision this long after it (EU DSA: at least 6 months).
# appeal_window_days = 183
# appeal_due_hours = 72
# Where the public pages (/report, /appeal) are reached from outside, for links in webhooks.
# public_url = "https://safety.example"

[public]
# Sites that may show the report pages (/report, /report/status, /appeal) in a frame: CSP
# frame-ancestors sources, e.g. "https://platform.example"; "*" = any site, "'none'" = none.
# frame_ancestors = "*"
# Behind a reverse proxy that sets X-Forwarded-For: take the visitor's address from it (flood
# control of the report page keys on a keyed hash of that address).
# trust_forwarded_for = false
{video}"#,
        video = crate::video::config::DEFAULT_SECTION
    )
}

impl Config {
    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the config {}", path.display()))?;
        let mut config: Config =
            toml::from_str(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        config
            .public
            .content_security_policy()
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        config
            .video
            .check()
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        if let Ok(secret) = std::env::var("TUTELA_WEBHOOK_SECRET") {
            config.webhook.secret = Some(secret);
        }
        if config.reports.appeal_window_days < 183 {
            anyhow::bail!(
                "{}: reports.appeal_window_days is {}; the affected user must have at least 6 \
                 months (183 days) to appeal",
                path.display(),
                config.reports.appeal_window_days
            );
        }
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_written_file_parses_to_the_defaults() {
        let c: Config = toml::from_str(&default_file("s3cret")).unwrap();
        assert_eq!(c.listen, "127.0.0.1:8080");
        assert_eq!(c.evidence.retention_days, 90);
        assert_eq!(c.webhook.secret.as_deref(), Some("s3cret"));
        assert_eq!(c.video.streams.window_frames, 300);
        c.video.check().unwrap();
    }

    #[test]
    fn unknown_settings_are_errors_that_name_them() {
        let err = toml::from_str::<Config>("[evidence]\nretention = 3\n").unwrap_err();
        assert!(err.to_string().contains("retention"), "{err}");
    }
}
