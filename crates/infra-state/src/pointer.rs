//! Which field of a JSON document a position is in, so an error about a state file of the
//! wrong shape can name the field (`/resources/VpcStack.VPC/status`) and not only a line and
//! column.

/// The JSON Pointer (RFC 6901) of the innermost member or element at `line` and `column`
/// of `bytes`, as serde_json reports positions (line from 1, column = bytes of that line read
/// so far). `/` for the document itself. Positions past the end, or in text that is not JSON,
/// give the pointer of what was open there; this never fails.
pub(crate) fn pointer_at(bytes: &[u8], line: usize, column: usize) -> String {
    // serde_json reports the position after the byte it stopped on; the field is the one that
    // byte belongs to, so the scan stops just before it.
    let end = offset(bytes, line, column).saturating_sub(1);
    let mut frames: Vec<Frame> = Vec::new();
    let mut string: Option<Vec<u8>> = None;
    let mut escaped = false;
    for &b in &bytes[..end.min(bytes.len())] {
        if let Some(text) = &mut string {
            match (escaped, b) {
                (true, _) => {
                    escaped = false;
                    text.push(b);
                }
                (false, b'\\') => escaped = true,
                (false, b'"') => {
                    if let Some(Frame::Object { key, expect_key }) = frames.last_mut()
                        && *expect_key
                    {
                        *key = Some(String::from_utf8_lossy(text).into_owned());
                        *expect_key = false;
                    }
                    string = None;
                }
                (false, _) => text.push(b),
            }
            continue;
        }
        match b {
            b'"' => string = Some(Vec::new()),
            b'{' => frames.push(Frame::Object {
                key: None,
                expect_key: true,
            }),
            b'[' => frames.push(Frame::Array { index: 0 }),
            b'}' | b']' => {
                frames.pop();
            }
            b',' => match frames.last_mut() {
                Some(Frame::Object { key, expect_key }) => {
                    *key = None;
                    *expect_key = true;
                }
                Some(Frame::Array { index }) => *index += 1,
                None => {}
            },
            _ => {}
        }
    }
    // Stopped inside a key: that key is the field.
    if let (Some(text), Some(Frame::Object { key, expect_key })) = (&string, frames.last_mut())
        && *expect_key
    {
        *key = Some(String::from_utf8_lossy(text).into_owned());
    }
    // Stopped on the `}` or `]` that closes an object or array (a field missing from it, too
    // few items): the error is about that object or array, not its last member.
    let closing = string.is_none() && matches!(bytes.get(end), Some(b'}' | b']'));
    let members = if closing {
        frames.len().saturating_sub(1)
    } else {
        frames.len()
    };
    let mut pointer = String::new();
    for frame in &frames[..members] {
        match frame {
            Frame::Object { key: Some(key), .. } => {
                pointer.push('/');
                pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
            }
            Frame::Object { key: None, .. } => break,
            Frame::Array { index } => {
                pointer.push('/');
                pointer.push_str(&index.to_string());
            }
        }
    }
    if pointer.is_empty() {
        pointer.push('/');
    }
    pointer
}

/// An open object (and the key of the member being read) or array (and the element's index).
enum Frame {
    Object {
        key: Option<String>,
        expect_key: bool,
    },
    Array {
        index: usize,
    },
}

/// The byte offset of `line`:`column`.
fn offset(bytes: &[u8], line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match bytes[start..].iter().position(|&b| b == b'\n') {
            Some(newline) => start += newline + 1,
            None => return bytes.len(),
        }
    }
    start.saturating_add(column)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pointer serde_json's error for `json`, read as `T`, points at.
    fn pointer_of_error<T: serde::de::DeserializeOwned + std::fmt::Debug>(json: &str) -> String {
        let error = serde_json::from_str::<T>(json).expect_err("an error");
        pointer_at(json.as_bytes(), error.line(), error.column())
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        serial: u64,
        items: Vec<Item>,
        #[serde(default)]
        by_name: std::collections::BTreeMap<String, Item>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Item {
        status: Status,
        name: String,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Status {
        Created,
    }

    #[test]
    fn names_the_field_of_a_value_of_the_wrong_type() {
        assert_eq!(
            pointer_of_error::<Doc>("{\n  \"serial\": \"3\",\n  \"items\": []\n}"),
            "/serial"
        );
        assert_eq!(
            pointer_of_error::<Doc>(
                r#"{"serial": 1, "items": [{"status": "created", "name": 5}]}"#
            ),
            "/items/0/name"
        );
        assert_eq!(
            pointer_of_error::<Doc>(
                r#"{"serial": 1, "items": [], "by_name": {"a/b~": {"status": "ok", "name": ""}}}"#
            ),
            "/by_name/a~1b~0/status"
        );
        assert_eq!(
            pointer_of_error::<Doc>(r#"{"serial": 1, "items": {"x": 1}}"#),
            "/items"
        );
    }

    #[test]
    fn names_the_object_a_field_is_missing_from() {
        assert_eq!(
            pointer_of_error::<Doc>(
                r#"{"serial": 1, "items": [{"name": "a", "status": "created"}, {"name": "b"}]}"#
            ),
            "/items/1"
        );
        assert_eq!(pointer_of_error::<Doc>(r#"{"serial": 1}"#), "/");
    }

    #[test]
    fn names_an_unknown_field() {
        assert_eq!(
            pointer_of_error::<Doc>(r#"{"serial": 1, "colour": "blue", "items": []}"#),
            "/colour"
        );
    }

    #[test]
    fn escaped_quotes_and_braces_in_strings_are_text() {
        assert_eq!(
            pointer_of_error::<Doc>(r#"{"by_name": {"a\"}]": {"status": "created", "name": 1}}}"#),
            "/by_name/a\"}]/name"
        );
    }

    #[test]
    fn any_position_gives_a_pointer() {
        for (line, column) in [(0, 0), (1, 0), (1, 999), (99, 5)] {
            assert!(pointer_at(b"{\"a\": [1, {", line, column).starts_with('/'));
            assert_eq!(pointer_at(b"", line, column), "/");
        }
    }
}
