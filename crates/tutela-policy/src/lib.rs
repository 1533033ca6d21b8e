//! tutela-policy (being built).
