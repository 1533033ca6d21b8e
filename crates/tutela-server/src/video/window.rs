//! The sliding window of one live stream (pure: no I/O, no clock; the caller passes frame times).
//!
//! The window keeps, per frame, its time and which bank entry it matched (if any): hashes'
//! verdicts and counters, never frames. An alert is raised when the window crosses the
//! threshold (enough matched frames, making a large enough share of the window); it is raised
//! once per crossing: while the window stays over the threshold no new alert is raised, and it
//! re-arms once the window falls below it.

use std::collections::{BTreeMap, VecDeque};

#[derive(Clone, Debug, PartialEq)]
pub struct WindowConfig {
    /// Frames older than the newest frame's time minus this leave the window.
    pub seconds: f64,
    /// The window holds at most this many frames (the oldest leave first).
    pub max_frames: usize,
    pub min_matched_frames: usize,
    /// 0..=1.
    pub min_matched_share: f64,
}

/// The bank entry a frame matched.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MatchKey {
    pub bank: String,
    pub entry_id: u32,
}

/// A matched frame: the entry and the frame's distance to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    pub key: MatchKey,
    pub distance: u32,
}

/// One entry's share of an alert.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryHits {
    pub key: MatchKey,
    /// Frames in the window that matched it.
    pub frames: usize,
    pub best_distance: u32,
}

#[derive(Clone, Debug, PartialEq)]
struct Observation {
    t: f64,
    hit: Option<Hit>,
}

/// An alert: the window crossed the threshold with this frame.
#[derive(Clone, Debug, PartialEq)]
pub struct Alert {
    /// 1 for the stream's first alert, then 2, ...
    pub number: u64,
    pub frames: usize,
    pub matched: usize,
    /// Matched frames / frames in the window, 0..=1.
    pub share: f64,
    /// The entries matched within the window, each once (by bank, entry).
    pub entries: Vec<EntryHits>,
    /// Times of the first and last frame in the window.
    pub from_t: f64,
    pub to_t: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WindowError {
    #[error("a frame time must be a finite number of seconds, 0 or more")]
    BadTime,
}

#[derive(Clone, Debug)]
pub struct StreamWindow {
    config: WindowConfig,
    frames: VecDeque<Observation>,
    matched: usize,
    newest_t: f64,
    alerting: bool,
    alerts: u64,
    frames_total: u64,
    matched_total: u64,
    /// Frames that arrived older than the window (late) and were only counted.
    late_total: u64,
}

/// What the window holds now.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct WindowStats {
    pub frames: usize,
    pub matched: usize,
    pub share: f64,
    pub alerting: bool,
    pub alerts: u64,
    pub frames_total: u64,
    pub matched_total: u64,
    pub late_total: u64,
}

impl StreamWindow {
    pub fn new(config: WindowConfig) -> StreamWindow {
        StreamWindow {
            config,
            frames: VecDeque::new(),
            matched: 0,
            newest_t: f64::NEG_INFINITY,
            alerting: false,
            alerts: 0,
            frames_total: 0,
            matched_total: 0,
            late_total: 0,
        }
    }

    /// Adds one frame (its time in seconds from the stream's start, and the entry it matched);
    /// returns the alert if the window crossed the threshold with it.
    pub fn push(&mut self, t: f64, hit: Option<Hit>) -> Result<Option<Alert>, WindowError> {
        if !t.is_finite() || t < 0.0 {
            return Err(WindowError::BadTime);
        }
        self.frames_total += 1;
        if hit.is_some() {
            self.matched_total += 1;
        }
        if t < self.newest_t - self.config.seconds {
            // Too late to be in the window: it cannot change the verdict any more.
            self.late_total += 1;
            return Ok(None);
        }
        self.newest_t = self.newest_t.max(t);
        if hit.is_some() {
            self.matched += 1;
        }
        self.frames.push_back(Observation { t, hit });
        self.evict();
        let over = self.over_threshold();
        if over && !self.alerting {
            self.alerting = true;
            self.alerts += 1;
            return Ok(Some(self.alert()));
        }
        self.alerting = over;
        Ok(None)
    }

    fn evict(&mut self) {
        let oldest_kept = self.newest_t - self.config.seconds;
        while let Some(front) = self.frames.front() {
            if front.t < oldest_kept || self.frames.len() > self.config.max_frames {
                if front.hit.is_some() {
                    self.matched -= 1;
                }
                self.frames.pop_front();
            } else {
                break;
            }
        }
    }

    fn share(&self) -> f64 {
        if self.frames.is_empty() {
            0.0
        } else {
            self.matched as f64 / self.frames.len() as f64
        }
    }

    fn over_threshold(&self) -> bool {
        self.matched >= self.config.min_matched_frames
            && self.share() >= self.config.min_matched_share
    }

    fn alert(&self) -> Alert {
        let mut by_entry: BTreeMap<&MatchKey, (usize, u32)> = BTreeMap::new();
        for hit in self.frames.iter().filter_map(|o| o.hit.as_ref()) {
            let e = by_entry.entry(&hit.key).or_insert((0, u32::MAX));
            e.0 += 1;
            e.1 = e.1.min(hit.distance);
        }
        let entries = by_entry
            .into_iter()
            .map(|(key, (frames, best_distance))| EntryHits {
                key: key.clone(),
                frames,
                best_distance,
            })
            .collect();
        let (from_t, to_t) = self
            .frames
            .iter()
            .fold((f64::INFINITY, 0.0_f64), |(a, b), o| {
                (a.min(o.t), b.max(o.t))
            });
        Alert {
            number: self.alerts,
            frames: self.frames.len(),
            matched: self.matched,
            share: self.share(),
            entries,
            from_t,
            to_t,
        }
    }

    /// True while the window is over the threshold.
    pub fn alerting(&self) -> bool {
        self.alerting
    }

    pub fn stats(&self) -> WindowStats {
        WindowStats {
            frames: self.frames.len(),
            matched: self.matched,
            share: self.share(),
            alerting: self.alerting,
            alerts: self.alerts,
            frames_total: self.frames_total,
            matched_total: self.matched_total,
            late_total: self.late_total,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> WindowConfig {
        WindowConfig {
            seconds: 10.0,
            max_frames: 20,
            min_matched_frames: 3,
            min_matched_share: 0.25,
        }
    }

    fn key(entry_id: u32) -> Option<Hit> {
        Some(Hit {
            key: MatchKey {
                bank: "known".into(),
                entry_id,
            },
            distance: entry_id,
        })
    }

    /// Pushes frames one a second from `start`; `matched(i)` says which match entry 7.
    fn feed(
        w: &mut StreamWindow,
        start: f64,
        n: usize,
        matched: impl Fn(usize) -> bool,
    ) -> Vec<Alert> {
        (0..n)
            .filter_map(|i| {
                w.push(start + i as f64, if matched(i) { key(7) } else { None })
                    .unwrap()
            })
            .collect()
    }

    #[test]
    fn unrelated_frames_never_alert() {
        let mut w = StreamWindow::new(config());
        assert!(feed(&mut w, 0.0, 500, |_| false).is_empty());
        let s = w.stats();
        assert_eq!(
            (s.frames, s.matched, s.alerts, s.frames_total),
            (11, 0, 0, 500)
        );
    }

    #[test]
    fn crossing_the_threshold_alerts_once_while_it_stays_over() {
        let mut w = StreamWindow::new(config());
        let alerts = feed(&mut w, 0.0, 60, |_| true);
        assert_eq!(alerts.len(), 1);
        let a = &alerts[0];
        assert_eq!((a.number, a.matched, a.frames), (1, 3, 3));
        assert_eq!(
            a.entries,
            vec![EntryHits {
                key: key(7).unwrap().key,
                frames: 3,
                best_distance: 7
            }]
        );
        assert_eq!((a.from_t, a.to_t), (0.0, 2.0));
        assert!(w.alerting());
    }

    #[test]
    fn the_share_must_be_reached_too() {
        // One matched frame in five: at most 3 of the 11 frames of a 10 s window (27% < 30%),
        // however many matched frames the stream has.
        let config = WindowConfig {
            min_matched_frames: 2,
            min_matched_share: 0.3,
            ..config()
        };
        let mut w = StreamWindow::new(config.clone());
        assert!(feed(&mut w, 0.0, 100, |i| i % 5 == 4).is_empty());
        assert_eq!(w.stats().matched_total, 20);
        // One in two: 5 or 6 of 11, always over: one alert.
        let mut w = StreamWindow::new(config);
        assert_eq!(feed(&mut w, 0.0, 100, |i| i % 2 == 0).len(), 1);
    }

    #[test]
    fn the_alert_re_arms_after_the_window_falls_below() {
        let mut w = StreamWindow::new(config());
        assert_eq!(feed(&mut w, 0.0, 5, |_| true).len(), 1);
        // 20 clean seconds push the matched frames out of the 10 s window.
        assert!(feed(&mut w, 5.0, 20, |_| false).is_empty());
        assert!(!w.alerting());
        assert_eq!(w.stats().matched, 0);
        let again = feed(&mut w, 25.0, 5, |_| true);
        assert_eq!(again.len(), 1);
        assert_eq!(again[0].number, 2);
    }

    #[test]
    fn the_window_is_bounded_by_time_and_by_frames() {
        let mut w = StreamWindow::new(config());
        // 100 frames within one second: only the last 20 stay.
        for i in 0..100 {
            w.push(i as f64 / 100.0, None).unwrap();
        }
        assert_eq!(w.stats().frames, 20);
        w.push(30.0, None).unwrap();
        assert_eq!(w.stats().frames, 1);
    }

    #[test]
    fn late_frames_are_counted_but_do_not_enter_the_window() {
        let mut w = StreamWindow::new(config());
        w.push(100.0, None).unwrap();
        for _ in 0..10 {
            assert_eq!(w.push(1.0, key(1)).unwrap(), None);
        }
        let s = w.stats();
        assert_eq!(
            (s.frames, s.matched, s.late_total, s.matched_total),
            (1, 0, 10, 10)
        );
        // Slightly out of order but within the window: kept.
        w.push(95.0, key(1)).unwrap();
        assert_eq!(w.stats().matched, 1);
    }

    #[test]
    fn bad_times_are_refused_and_change_nothing() {
        let mut w = StreamWindow::new(config());
        for t in [f64::NAN, f64::INFINITY, -1.0] {
            assert_eq!(w.push(t, key(1)), Err(WindowError::BadTime));
        }
        assert_eq!(w.stats().frames_total, 0);
    }
}
