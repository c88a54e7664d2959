//! Comparing a desired value with a recorded or observed one the way AWS means them:
//! `80` equals `"80"`, `true` equals `"true"`, a JSON document given as a string equals the
//! same document as a mapping whatever the key order, and lists that the schema marks as
//! unordered (`insertionOrder: false`) compare as sets.

use infra_registry::ResourceType;
use infra_template::Value;

/// Every path (`/`-separated from the top) where `desired` and `prior` differ. An unknown
/// desired value counts as different: it may change.
pub fn changed_paths(rt: Option<&ResourceType>, desired: &Value, prior: &Value) -> Vec<String> {
    let mut out = Vec::new();
    walk(rt, "", desired, prior, &mut out);
    out
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}/{key}")
    }
}

fn walk(
    rt: Option<&ResourceType>,
    path: &str,
    desired: &Value,
    prior: &Value,
    out: &mut Vec<String>,
) {
    match (desired, prior) {
        (Value::Unknown(_), _) => out.push(path.to_string()),
        (Value::Map(a), Value::Map(b)) => {
            for (k, av) in a {
                match b.get(k) {
                    Some(bv) => walk(rt, &join(path, k), av, bv, out),
                    None if is_empty(av) => {}
                    None => out.push(join(path, k)),
                }
            }
            for (k, bv) in b {
                if !a.contains_key(k) && !is_empty(bv) {
                    out.push(join(path, k));
                }
            }
        }
        (Value::List(a), Value::List(b)) => {
            if unordered(rt, path) {
                if !same_set(a, b) {
                    out.push(path.to_string());
                }
            } else if a.len() != b.len() {
                out.push(path.to_string());
            } else {
                for (i, (av, bv)) in a.iter().zip(b).enumerate() {
                    walk(rt, &join(path, &i.to_string()), av, bv, out);
                }
            }
        }
        (a, b) => {
            if !equal(a, b) {
                out.push(path.to_string());
            }
        }
    }
}

fn is_empty(v: &Value) -> bool {
    matches!(v, Value::Null)
}

fn unordered(rt: Option<&ResourceType>, path: &str) -> bool {
    let Some(rt) = rt else { return false };
    // Only top-level lists carry the flag in the registry's property table.
    !path.contains('/') && rt.property(path).is_some_and(|p| !p.insertion_order)
}

fn same_set(a: &[Value], b: &[Value]) -> bool {
    a.len() == b.len()
        && a.iter().all(|x| b.iter().any(|y| equal(x, y)))
        && b.iter().all(|y| a.iter().any(|x| equal(x, y)))
}

/// Semantic equality of two known values. A redaction marker the state holds in place of a
/// value that contained a NoEcho value equals the value whose salted digest it records.
pub fn equal(a: &Value, b: &Value) -> bool {
    if let Some(same) = redacted_equal(a, b).or_else(|| redacted_equal(b, a)) {
        return same;
    }
    match (a, b) {
        (Value::Unknown(_), _) | (_, Value::Unknown(_)) => false,
        (Value::Map(x), Value::Map(y)) => {
            x.iter().filter(|(_, v)| !is_empty(v)).count()
                == y.iter().filter(|(_, v)| !is_empty(v)).count()
                && x.iter()
                    .filter(|(_, v)| !is_empty(v))
                    .all(|(k, v)| y.get(k).is_some_and(|w| equal(v, w)))
        }
        (Value::List(x), Value::List(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| equal(v, w))
        }
        (Value::String(s), other @ (Value::Map(_) | Value::List(_)))
        | (other @ (Value::Map(_) | Value::List(_)), Value::String(s)) => {
            serde_json::from_str::<serde_json::Value>(s)
                .is_ok_and(|j| equal(&Value::from_json(&j), other))
        }
        (Value::Number(x), Value::Number(y)) => numbers_equal(x, y),
        (Value::Number(n), Value::String(s)) | (Value::String(s), Value::Number(n)) => {
            numbers_equal(n, s)
        }
        (Value::Bool(x), Value::String(s)) | (Value::String(s), Value::Bool(x)) => {
            s.eq_ignore_ascii_case(&x.to_string())
        }
        (Value::String(x), Value::String(y)) => {
            x == y || (looks_like_json(x) && looks_like_json(y) && json_equal(x, y))
        }
        _ => a == b,
    }
}

/// `Some(matches)` when `marker` is a redaction marker and `other` a scalar.
fn redacted_equal(marker: &Value, other: &Value) -> Option<bool> {
    if !matches!(marker, Value::Map(_))
        || !matches!(other, Value::String(_) | Value::Number(_) | Value::Bool(_))
    {
        return None;
    }
    infra_state::redact::marker_matches(&marker.to_json()?, &other.to_json()?)
}

fn numbers_equal(a: &str, b: &str) -> bool {
    a.trim() == b.trim()
        || matches!((a.trim().parse::<f64>(), b.trim().parse::<f64>()), (Ok(x), Ok(y)) if x == y)
}

fn looks_like_json(s: &str) -> bool {
    let t = s.trim_start();
    t.starts_with('{') || t.starts_with('[')
}

fn json_equal(a: &str, b: &str) -> bool {
    match (
        serde_json::from_str::<serde_json::Value>(a),
        serde_json::from_str::<serde_json::Value>(b),
    ) {
        (Ok(x), Ok(y)) => equal(&Value::from_json(&x), &Value::from_json(&y)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(json: &str) -> Value {
        Value::from_json(&serde_json::from_str(json).expect("json"))
    }

    #[test]
    fn scalars_compare_as_aws_reads_them() {
        assert!(equal(
            &Value::Number("80".into()),
            &Value::String("80".into())
        ));
        assert!(equal(
            &Value::Number("1.0".into()),
            &Value::Number("1".into())
        ));
        assert!(equal(&Value::Bool(true), &Value::String("true".into())));
        assert!(!equal(
            &Value::String("a".into()),
            &Value::String("b".into())
        ));
    }

    #[test]
    fn json_documents_ignore_key_order_and_form() {
        let doc = v(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*"}]}"#);
        let text = Value::String(
            r#"{"Statement":[{"Action":"s3:*","Effect":"Allow"}],"Version":"2012-10-17"}"#.into(),
        );
        assert!(equal(&doc, &text));
        assert!(
            changed_paths(
                None,
                &v(r#"{"P":{"b":1,"a":2}}"#),
                &v(r#"{"P":{"a":2,"b":1}}"#)
            )
            .is_empty()
        );
    }

    #[test]
    fn changed_paths_name_the_leaves_that_differ() {
        let desired = v(r#"{"A":1,"B":{"C":"x","D":[1,2]},"E":"same"}"#);
        let prior = v(r#"{"A":2,"B":{"C":"y","D":[1,3]},"E":"same","F":"gone"}"#);
        assert_eq!(
            changed_paths(None, &desired, &prior),
            vec!["A", "B/C", "B/D/1", "F"]
        );
    }

    #[test]
    fn unknown_values_count_as_changes() {
        let desired = Value::Map(
            [(
                "VpcId".to_string(),
                Value::Unknown(infra_template::Unknown::Derived),
            )]
            .into(),
        );
        assert_eq!(
            changed_paths(None, &desired, &v(r#"{"VpcId":"vpc-1"}"#)),
            vec!["VpcId"]
        );
    }

    #[test]
    fn unordered_lists_compare_as_sets() {
        let rt = infra_registry::lookup("AWS::ElasticLoadBalancingV2::LoadBalancer").expect("type");
        let unordered = rt.property("Subnets").is_some_and(|p| !p.insertion_order);
        let changed = changed_paths(
            Some(rt),
            &v(r#"{"Subnets":["a","b"]}"#),
            &v(r#"{"Subnets":["b","a"]}"#),
        );
        assert_eq!(
            changed.is_empty(),
            unordered,
            "Subnets insertionOrder in the schema decides"
        );
    }

    #[test]
    fn a_redaction_marker_equals_the_value_it_stands_for() {
        let secret = "s3cr3t".to_string();
        let mut recorded = serde_json::json!({"Value": "tok-s3cr3t"});
        infra_state::redact::redact_value(&mut recorded, std::slice::from_ref(&secret));
        let prior = Value::from_json(&recorded);
        assert!(changed_paths(None, &v(r#"{"Value": "tok-s3cr3t"}"#), &prior).is_empty());
        assert_eq!(
            changed_paths(None, &v(r#"{"Value": "tok-other"}"#), &prior),
            vec!["Value".to_string()]
        );
    }
}
