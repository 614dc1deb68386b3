//! AI providers: the catalog of provider types (data).

pub mod catalog;
