//! tutela-server (being built).
