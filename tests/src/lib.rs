//! End-to-end tests live in `tests/`; this library holds helpers they share (none yet).
