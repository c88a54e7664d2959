//! Finding what an interrupted create made: the name a `find` looks for, and the stable
//! suffix that makes a retried create choose the same name.

use super::context::Ctx;
use super::props::scalar_text;
use crate::provider::{FindInput, ProviderError};

/// The name an interrupted create gave its resource: the one it was created with
/// ([`FindInput::name`]), else the template's `key` property. A create always has one, so
/// having none is an error.
pub(crate) fn name_to_find(
    input: &FindInput,
    key: &str,
    ctx: Ctx<'_>,
) -> Result<String, ProviderError> {
    input
        .name
        .clone()
        .or_else(|| input.properties.get(key).and_then(scalar_text))
        .ok_or_else(|| ctx.fatal(format!("no {key} and no generated name to find it by")))
}

/// A short, stable suffix derived from `seed` (FNV-1a, 13 characters of `A-Z0-9`), for
/// identifiers infra makes up, so that a retried create makes the same one.
pub(crate) fn stable_suffix(seed: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in seed.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    let mut out = String::with_capacity(13);
    for _ in 0..13 {
        out.push(ALPHABET[(hash % 36) as usize] as char);
        hash /= 36;
    }
    out
}
