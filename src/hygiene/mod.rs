//! Keeping a home healthy over time: the audit log of every action ([`audit`]), backups and
//! restores ([`backup`]), the reveal policy gate every raw value passes ([`reveal`]), and
//! rotation and expiry dates ([`rotation`]).

pub mod audit;
pub mod backup;
pub mod reveal;
pub mod rotation;
