//! tutela-text (being built).
