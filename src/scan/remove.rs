//! Removal (being written).
