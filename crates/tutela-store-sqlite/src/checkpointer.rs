//! Copies the write-ahead log back into the database file on a connection and thread of its own.
//!
//! SQLite's default is that the connection that commits copies the log once it holds 1,000
//! pages: under a steady stream of reports that was a 10-20 ms stall of the single writer every
//! few groups (page copies and two fsyncs), and nearly half the writer's time. Here a background
//! pass copies what is in the log every few milliseconds, beside the writer. Such a pass cannot
//! empty the log while the writer keeps appending, so the writer keeps a backstop
//! ([`WRITER_AUTOCHECKPOINT`]): when the log reaches it, the writer checkpoints itself, which by
//! then only has the last few pages to copy, and the log starts over.

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

/// Log pages (4 KiB) at which the writer checkpoints itself.
pub(crate) const WRITER_AUTOCHECKPOINT: u32 = 4000;

/// How long the background pass waits between passes.
const PAUSE: Duration = Duration::from_millis(5);

/// How long the background pass leaves the log to the writer once it reaches the backstop.
const YIELD: Duration = Duration::from_millis(10);

/// Stops the checkpointer when dropped.
pub(crate) struct Checkpointer {
    _stop: mpsc::Sender<()>,
}

pub(crate) fn start(path: &Path) -> std::io::Result<Checkpointer> {
    let (stop, stopped) = mpsc::channel::<()>();
    let path = path.to_path_buf();
    std::thread::Builder::new()
        .name("wal-checkpoint".into())
        .spawn(move || {
            // Without this thread (it could not open the file) the writer's backstop still
            // keeps the log bounded, so failures here are not errors of the store.
            let Ok(db) = rusqlite::Connection::open(&path) else {
                return;
            };
            let _ = db.busy_timeout(Duration::from_secs(1));
            let mut pause = PAUSE;
            while let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(pause) {
                // A pass that finds the log already copied returns at once; a busy one (the
                // writer is checkpointing) is simply the next pass's work.
                let log = db
                    .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| r.get::<_, i64>(1))
                    .unwrap_or(0);
                // A log at the backstop is the writer's to restart: stay off the checkpoint
                // lock for a while, or the writer's attempt finds it busy and the log grows.
                pause = if log >= i64::from(WRITER_AUTOCHECKPOINT) {
                    YIELD
                } else {
                    PAUSE
                };
            }
        })?;
    Ok(Checkpointer { _stop: stop })
}
