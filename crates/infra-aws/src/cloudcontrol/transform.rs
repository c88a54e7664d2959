//! The schemas' `propertyTransform` rules, as far as they are cheap to apply.
//!
//! A type's schema may say how AWS normalises a value before returning it (a JSONata
//! expression per path): `Engine` given as `MySQL` reads back as `mysql` under
//! `$lowercase(Engine)`. A refresh reports the recorded value when AWS's answer is the recorded
//! value transformed, so the normalisation never shows as drift.
//!
//! Supported, alone or as alternatives joined with `$OR`: `$lowercase(X)` and
//! `$uppercase(X)` where `X` is a plain path (the catalog's most common forms, about 80 of its
//! 200 rules). Every other expression (`$join`, `$split`, `$replace`, lookups, conditionals,
//! functions of functions) is not evaluated: those values are compared as they are.

use serde_json::Value;

/// Whether `observed` is what the transform `expression` makes of `recorded`.
pub(crate) fn transformed_equal(expression: &str, recorded: &Value, observed: &Value) -> bool {
    let (Some(recorded), Some(observed)) = (recorded.as_str(), observed.as_str()) else {
        return false;
    };
    expression
        .split("$OR")
        .map(str::trim)
        .any(|alternative| match call(alternative) {
            Some(("$lowercase", _)) => recorded.to_lowercase() == observed,
            Some(("$uppercase", _)) => recorded.to_uppercase() == observed,
            _ => false,
        })
}

/// `$function(path)` split into the function and its argument, when the argument is a plain
/// path (no call, no operator).
fn call(expression: &str) -> Option<(&str, &str)> {
    let (function, rest) = expression.split_once('(')?;
    let argument = rest.strip_suffix(')')?.trim();
    let plain = !argument.is_empty()
        && argument
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '/');
    plain.then_some((function.trim(), argument))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn lowercase_and_uppercase_are_applied_to_the_recorded_value() {
        assert!(transformed_equal(
            "$lowercase(Engine)",
            &json!("MySQL"),
            &json!("mysql")
        ));
        assert!(!transformed_equal(
            "$lowercase(Engine)",
            &json!("MySQL"),
            &json!("postgres")
        ));
        assert!(transformed_equal(
            "$uppercase(Mode)",
            &json!("fast"),
            &json!("FAST")
        ));
        assert!(transformed_equal(
            "$lowercase(Engine) $OR Engine",
            &json!("Aurora"),
            &json!("aurora")
        ));
    }

    #[test]
    fn other_expressions_compare_as_is() {
        assert!(!transformed_equal(
            "$lowercase($substringAfter(Arn, \"/\"))",
            &json!("x/ABC"),
            &json!("abc")
        ));
        assert!(!transformed_equal(
            "$join([A, B])",
            &json!("a"),
            &json!("a")
        ));
        assert!(!transformed_equal(
            "$lowercase(Engine)",
            &json!(1),
            &json!(1)
        ));
    }
}
