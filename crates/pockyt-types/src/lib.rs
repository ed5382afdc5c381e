//! Placeholder: filled by a later issue (see the project's issue list).
