//! Policy documents: parsing them as a template gives them, comparing them regardless of key
//! order and spacing, and reading them back (percent-decoded) as AWS returns them.

use serde_json::Value;

use super::props::kind_of;

/// A policy document as a template gives it: an object, or a string holding a JSON object.
/// Strings stay strings inside it (`"Version": "2012-10-17"` is never re-typed).
pub(crate) fn parse_document(value: &Value) -> Result<Value, String> {
    match value {
        Value::Object(_) => Ok(value.clone()),
        Value::String(text) => match serde_json::from_str::<Value>(text) {
            Ok(doc @ Value::Object(_)) => Ok(doc),
            Ok(other) => Err(format!(
                "the document must be a JSON object, not {}",
                kind_of(&other)
            )),
            Err(e) => Err(format!("the document is not valid JSON: {e}")),
        },
        other => Err(format!(
            "the document must be a JSON object or a string holding one, not {}",
            kind_of(other)
        )),
    }
}

/// The compact JSON text sent to AWS.
pub(crate) fn compact(doc: &Value) -> String {
    doc.to_string()
}

/// Whether two documents (objects, or strings holding JSON) say the same; key order and
/// white space do not count.
pub(crate) fn same_document(a: &Value, b: &Value) -> bool {
    match (parse_document(a), parse_document(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// Decodes the percent-encoding (RFC 3986) IAM applies to every policy document it returns.
/// `+` is not a space in RFC 3986 and stays as it is.
pub(crate) fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A document as AWS returned it (percent-encoded when `encoded`), as the template would write
/// it: the previous value itself when it says the same (so refresh shows no drift for a
/// document written as a string or with other spacing), else the parsed object.
pub(crate) fn observed_document(text: &str, encoded: bool, previous: Option<&Value>) -> Value {
    let text = if encoded {
        percent_decode(text)
    } else {
        text.to_owned()
    };
    let observed = serde_json::from_str::<Value>(&text).unwrap_or(Value::String(text));
    match previous {
        Some(prev) if same_document(prev, &observed) => prev.clone(),
        _ => observed,
    }
}
