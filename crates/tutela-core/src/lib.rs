//! tutela-core (being built).
