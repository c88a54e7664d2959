//! Format version 1: the first format, frozen.
//!
//! A version 1 document is version 2 without `imports`; it is read through
//! `upgrade::upgrade_v1_to_v2`, which adds an empty `imports`, and then by the version 2
//! reader. Nothing writes version 1 any more.

/// The format version this module names.
pub(crate) const VERSION: u32 = 1;
