//! Escaping for what the page embeds: text and attribute values in HTML, and string data in
//! the page's JSON script, where no `<` may appear so nothing can close the script early.

use std::fmt::Write as _;

/// `text` with `&`, `<`, `>`, `"` and `'` escaped, fit for element text and quoted attributes.
pub(super) fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_html(&mut out, text);
    out
}

/// Appends `text`, escaped as by [`html`].
pub(super) fn push_html(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// Appends `text` as a JSON string literal for an inline `<script>`: besides JSON's own
/// escapes, `<`, `>` and `&` become `\u003c`, `\u003e` and `\u0026` (so neither `</script>` nor
/// `<!--` can appear), and the line separators U+2028 and U+2029 are escaped too.
pub(super) fn push_json_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}
