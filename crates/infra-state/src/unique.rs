//! Duplicate keys in a state document.
//!
//! JSON allows an object to name a key twice, and serde keeps the last value without a word, so
//! a hand-edited state with two entries for one address would silently lose one of them. This
//! module walks a document once and reports the first key that repeats within one object. The
//! error's position is that of the repeated key, from which the reader names the field.

use std::collections::HashSet;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// Checks that no object in the JSON document `bytes` has the same key twice. The error is
/// serde_json's, so it carries the line and column of the repeated key.
pub(crate) fn check_unique_keys(bytes: &[u8]) -> Result<(), serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    Unique.deserialize(&mut deserializer)?;
    deserializer.end()
}

/// Any JSON value, checked for repeated keys all the way down.
#[derive(Clone, Copy)]
struct Unique;

impl<'de> DeserializeSeed<'de> for Unique {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Unique {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Unique)?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if !seen.insert(key) {
                return Err(de::Error::custom(
                    "this key appears twice in its object; only one entry may have it",
                ));
            }
            map.next_value_seed(Unique)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn position(json: &str) -> (usize, usize) {
        let error = check_unique_keys(json.as_bytes()).expect_err("a duplicate key");
        assert!(error.to_string().contains("appears twice"), "{error}");
        (error.line(), error.column())
    }

    #[test]
    fn documents_without_repeated_keys_pass() {
        for json in [
            "{}",
            "[]",
            "null",
            r#"{"a": {"a": 1}, "b": [{"a": 1}, {"a": 2}], "c": -1.5, "d": true, "e": "x"}"#,
        ] {
            assert!(check_unique_keys(json.as_bytes()).is_ok(), "{json}");
        }
    }

    #[test]
    fn a_repeated_key_is_reported_where_it_repeats() {
        assert_eq!(position(r#"{"version": 1, "version": 1}"#), (1, 24));
        assert_eq!(
            position("{\"resources\": {\"A.B\": {},\n \"A.B\": {}}}"),
            (2, 6)
        );
        assert_eq!(
            position(r#"{"pending": [{}, {"tags": {"a": {"x": 1, "x": 2}}}]}"#),
            (1, 44)
        );
    }

    #[test]
    fn invalid_json_is_an_error_too() {
        assert!(check_unique_keys(b"{\"a\": ").is_err());
        assert!(check_unique_keys(b"{} {}").is_err());
    }
}
