//! tutela-video (being built).
