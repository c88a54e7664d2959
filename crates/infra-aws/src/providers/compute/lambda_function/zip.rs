//! A zip archive of one stored (uncompressed) file, as Lambda takes a deployment package
//! (inline code), written by the same deterministic writer that packages local code paths.

use infra_template::package::zip::{Entry, archive};

#[cfg(test)]
pub(super) use infra_template::package::zip::crc32;

/// The archive of `name` holding `data`, mode 0644 (Lambda needs the file readable), dated
/// 1980-01-01.
pub(super) fn single_file(name: &str, data: &[u8]) -> Result<Vec<u8>, String> {
    archive(&[Entry {
        name,
        data,
        mode: 0o644,
    }])
    .map_err(|e| format!("the inline code cannot be zipped: {e}"))
}
