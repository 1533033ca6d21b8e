//! Prometheus metrics: counters kept in memory, gauges read from the store at scrape time.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use std::sync::Mutex;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct VerdictLabel {
    pub verdict: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ResultLabel {
    pub result: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ReasonLabel {
    pub reason: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct OutcomeLabel {
    pub outcome: String,
}

pub struct Metrics {
    registry: Mutex<Registry>,
    pub scans: Family<VerdictLabel, Counter>,
    pub scan_seconds: Histogram,
    pub scan_errors: Counter,
    pub webhook_attempts: Family<ResultLabel, Counter>,
    pub open_cases: Gauge,
    pub open_child_safety_cases: Gauge,
    pub outbox_pending: Gauge,
    pub outbox_failed: Gauge,
    pub evidence_live: Gauge,
    pub audit_entries: Gauge,
    pub evidence_purged: Counter,
    pub reports: Family<ReasonLabel, Counter>,
    pub reports_refused: Counter,
    pub appeals: Family<OutcomeLabel, Counter>,
    pub appeals_open: Gauge,
    pub appeals_overturned: Gauge,
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut r = Registry::with_prefix("tutela");
        let m = Metrics {
            registry: Mutex::new(Registry::default()),
            scans: Family::default(),
            scan_seconds: Histogram::new(exponential_buckets(0.0005, 2.0, 16)),
            scan_errors: Counter::default(),
            webhook_attempts: Family::default(),
            open_cases: Gauge::default(),
            open_child_safety_cases: Gauge::default(),
            outbox_pending: Gauge::default(),
            outbox_failed: Gauge::default(),
            evidence_live: Gauge::default(),
            audit_entries: Gauge::default(),
            evidence_purged: Counter::default(),
            reports: Family::default(),
            reports_refused: Counter::default(),
            appeals: Family::default(),
            appeals_open: Gauge::default(),
            appeals_overturned: Gauge::default(),
        };
        r.register("reports", "Reports filed, by reason", m.reports.clone());
        r.register(
            "reports_refused",
            "Reports refused by flood control (urgent reasons never are)",
            m.reports_refused.clone(),
        );
        r.register(
            "appeals",
            "Appeals filed and decided, by outcome (filed, upheld, overturned)",
            m.appeals.clone(),
        );
        r.register(
            "appeals_open",
            "Appeals waiting for a decision",
            m.appeals_open.clone(),
        );
        r.register(
            "appeals_overturned",
            "Appeals granted (content restored), all time",
            m.appeals_overturned.clone(),
        );
        r.register("scans", "Scans answered, by verdict", m.scans.clone());
        r.register(
            "scan_duration_seconds",
            "Time to answer a scan",
            m.scan_seconds.clone(),
        );
        r.register(
            "scan_errors",
            "Scans refused for bad input",
            m.scan_errors.clone(),
        );
        r.register(
            "webhook_attempts",
            "Webhook delivery attempts, by result (delivered, retry, failed)",
            m.webhook_attempts.clone(),
        );
        r.register(
            "open_cases",
            "Cases waiting for review",
            m.open_cases.clone(),
        );
        r.register(
            "open_child_safety_cases",
            "Child-safety cases waiting for review",
            m.open_child_safety_cases.clone(),
        );
        r.register(
            "outbox_pending",
            "Webhooks waiting to be delivered",
            m.outbox_pending.clone(),
        );
        r.register(
            "outbox_failed",
            "Webhooks that failed every retry (need attention)",
            m.outbox_failed.clone(),
        );
        r.register(
            "evidence_items",
            "Evidence items held (sealed)",
            m.evidence_live.clone(),
        );
        r.register(
            "audit_entries",
            "Entries in the audit log",
            m.audit_entries.clone(),
        );
        r.register(
            "evidence_purged",
            "Evidence items purged after retention",
            m.evidence_purged.clone(),
        );
        *m.registry.lock().expect("registry lock") = r;
        m
    }

    pub fn encode(&self) -> String {
        let mut out = String::new();
        let r = self.registry.lock().expect("registry lock");
        prometheus_client::encoding::text::encode(&mut out, &r).expect("writing to a String");
        out
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}
