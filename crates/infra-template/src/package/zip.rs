//! A deterministic zip writer for deployment packages: stored (uncompressed) entries in the
//! order given, one fixed timestamp, and the Unix mode the caller gives, so the same files
//! always make the same bytes (PKWARE APPNOTE 4.3; no Zip64).

use thiserror::Error;

/// One file of an archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry<'a> {
    /// The path inside the archive, `/`-separated.
    pub name: &'a str,
    /// The file's contents.
    pub data: &'a [u8],
    /// The Unix mode of a regular file (`0o644` or `0o755`).
    pub mode: u32,
}

/// Why an archive cannot be written.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ZipError {
    /// A file or the archive passes zip's 4 GiB limit (Zip64 is not written).
    #[error("the package is larger than 4 GiB, which a zip archive without Zip64 cannot hold")]
    TooLarge,
    /// More than 65,535 files.
    #[error("the package has more than 65535 files")]
    TooManyFiles,
    /// A file name longer than 65,535 bytes.
    #[error("the file name `{0}` is too long for a zip archive")]
    NameTooLong(String),
}

const VERSION_NEEDED: u16 = 20;
/// Version made by Unix, so the external attributes carry the file mode.
const MADE_BY_UNIX: u16 = (3 << 8) | 20;
/// 00:00:00.
const DOS_TIME: u16 = 0;
/// 1980-01-01, the earliest date zip can write.
const DOS_DATE: u16 = (1 << 5) | 1;
const REGULAR_FILE: u32 = 0o100_000;

/// The archive of `entries`, in the order given: local headers with the data, the central
/// directory, the end record.
pub fn archive(entries: &[Entry<'_>]) -> Result<Vec<u8>, ZipError> {
    let count = u16::try_from(entries.len()).map_err(|_| ZipError::TooManyFiles)?;
    let capacity = entries
        .iter()
        .map(|e| e.data.len() + 2 * e.name.len() + 76)
        .sum::<usize>()
        + 22;
    let mut out = Vec::with_capacity(capacity);
    let mut offsets = Vec::with_capacity(entries.len());
    let mut crcs = Vec::with_capacity(entries.len());
    for entry in entries {
        offsets.push(u32::try_from(out.len()).map_err(|_| ZipError::TooLarge)?);
        let crc = crc32(entry.data);
        crcs.push(crc);
        let size = u32::try_from(entry.data.len()).map_err(|_| ZipError::TooLarge)?;
        let name_len = u16::try_from(entry.name.len())
            .map_err(|_| ZipError::NameTooLong(entry.name.to_owned()))?;
        u32le(&mut out, 0x0403_4b50);
        u16le(&mut out, VERSION_NEEDED);
        u16le(&mut out, flags(entry.name));
        u16le(&mut out, 0); // stored
        u16le(&mut out, DOS_TIME);
        u16le(&mut out, DOS_DATE);
        u32le(&mut out, crc);
        u32le(&mut out, size);
        u32le(&mut out, size);
        u16le(&mut out, name_len);
        u16le(&mut out, 0); // extra field length
        out.extend_from_slice(entry.name.as_bytes());
        out.extend_from_slice(entry.data);
    }

    let directory_offset = u32::try_from(out.len()).map_err(|_| ZipError::TooLarge)?;
    for ((entry, offset), crc) in entries.iter().zip(offsets).zip(crcs) {
        // Checked when the local header was written.
        let size = u32::try_from(entry.data.len()).map_err(|_| ZipError::TooLarge)?;
        let name_len = u16::try_from(entry.name.len())
            .map_err(|_| ZipError::NameTooLong(entry.name.to_owned()))?;
        u32le(&mut out, 0x0201_4b50);
        u16le(&mut out, MADE_BY_UNIX);
        u16le(&mut out, VERSION_NEEDED);
        u16le(&mut out, flags(entry.name));
        u16le(&mut out, 0); // stored
        u16le(&mut out, DOS_TIME);
        u16le(&mut out, DOS_DATE);
        u32le(&mut out, crc);
        u32le(&mut out, size);
        u32le(&mut out, size);
        u16le(&mut out, name_len);
        u16le(&mut out, 0); // extra field length
        u16le(&mut out, 0); // comment length
        u16le(&mut out, 0); // disk number
        u16le(&mut out, 0); // internal attributes
        u32le(&mut out, (REGULAR_FILE | (entry.mode & 0o7777)) << 16); // external: Unix mode
        u32le(&mut out, offset);
        out.extend_from_slice(entry.name.as_bytes());
    }
    let directory_size = u32::try_from(out.len())
        .map_err(|_| ZipError::TooLarge)?
        .saturating_sub(directory_offset);

    u32le(&mut out, 0x0605_4b50);
    u16le(&mut out, 0); // this disk
    u16le(&mut out, 0); // disk of the directory
    u16le(&mut out, count); // entries on this disk
    u16le(&mut out, count); // entries
    u32le(&mut out, directory_size);
    u32le(&mut out, directory_offset);
    u16le(&mut out, 0); // comment length
    Ok(out)
}

/// True when `data` starts like a zip archive (a local header, or the end record of an empty
/// archive).
pub fn is_zip(data: &[u8]) -> bool {
    data.starts_with(&[0x50, 0x4b, 0x03, 0x04]) || data.starts_with(&[0x50, 0x4b, 0x05, 0x06])
}

/// Bit 11: the file name is UTF-8.
fn flags(name: &str) -> u16 {
    if name.is_ascii() { 0 } else { 1 << 11 }
}

fn u16le(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn u32le(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// CRC-32 (IEEE 802.3, reflected, as zip uses it).
pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
}
