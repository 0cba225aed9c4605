//! Survey ingest (in progress).
