//! A zip archive of one stored (uncompressed) file, as Lambda takes a deployment package
//! (the hand-written zip writer for inline code).

/// The archive of `name` holding `data`: local header, data, central directory, end
/// record (PKWARE APPNOTE 4.3). Version made by Unix (so the external attributes carry
/// the file mode, 0644: Lambda needs the file readable), DOS date 1980-01-01.
pub(super) fn single_file(name: &str, data: &[u8]) -> Result<Vec<u8>, String> {
    const VERSION_NEEDED: u16 = 20;
    const MADE_BY_UNIX: u16 = (3 << 8) | 20;
    const DOS_TIME: u16 = 0;
    const DOS_DATE: u16 = (1 << 5) | 1;
    const MODE: u32 = 0o100_644;
    let size = u32::try_from(data.len())
        .map_err(|_| "the inline code is too large for a zip archive".to_owned())?;
    let name_len = u16::try_from(name.len()).map_err(|_| "the file name is too long".to_owned())?;
    // Bit 11: the file name is UTF-8.
    let flags: u16 = if name.is_ascii() { 0 } else { 1 << 11 };
    let crc = crc32(data);

    let mut out = Vec::with_capacity(data.len() + 2 * name.len() + 128);
    let u16le = |out: &mut Vec<u8>, v: u16| out.extend_from_slice(&v.to_le_bytes());
    let u32le = |out: &mut Vec<u8>, v: u32| out.extend_from_slice(&v.to_le_bytes());

    // Local file header.
    u32le(&mut out, 0x0403_4b50);
    u16le(&mut out, VERSION_NEEDED);
    u16le(&mut out, flags);
    u16le(&mut out, 0); // stored
    u16le(&mut out, DOS_TIME);
    u16le(&mut out, DOS_DATE);
    u32le(&mut out, crc);
    u32le(&mut out, size);
    u32le(&mut out, size);
    u16le(&mut out, name_len);
    u16le(&mut out, 0); // extra field length
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(data);

    // Central directory.
    let directory_offset = u32::try_from(out.len())
        .map_err(|_| "the inline code is too large for a zip archive".to_owned())?;
    u32le(&mut out, 0x0201_4b50);
    u16le(&mut out, MADE_BY_UNIX);
    u16le(&mut out, VERSION_NEEDED);
    u16le(&mut out, flags);
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
    u32le(&mut out, MODE << 16); // external attributes: Unix mode
    u32le(&mut out, 0); // offset of the local header
    out.extend_from_slice(name.as_bytes());
    let directory_size = u32::try_from(out.len())
        .map_err(|_| "the inline code is too large for a zip archive".to_owned())?
        - directory_offset;

    // End of central directory.
    u32le(&mut out, 0x0605_4b50);
    u16le(&mut out, 0); // this disk
    u16le(&mut out, 0); // disk of the directory
    u16le(&mut out, 1); // entries on this disk
    u16le(&mut out, 1); // entries
    u32le(&mut out, directory_size);
    u32le(&mut out, directory_offset);
    u16le(&mut out, 0); // comment length
    Ok(out)
}

/// CRC-32 (IEEE 802.3, reflected, as zip uses it).
pub(super) fn crc32(data: &[u8]) -> u32 {
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
