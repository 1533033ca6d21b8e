//! tutela-store-sqlite (being built).
