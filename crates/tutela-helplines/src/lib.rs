//! tutela-helplines (being built).
