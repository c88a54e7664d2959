//! AWS behaviour the emulator lacks, restored in the proxy so that what a client sees (and the
//! proxy counts) is what AWS would answer.
//!
//! - **`DescribeLogGroups` with `logGroupIdentifiers`.** CloudWatch Logs answers with just the
//!   named groups (up to 50 per call, one call). moto ignores the parameter and lists every
//!   group of the account, 50 per page, so a client that asks for 50 names by identifier pages
//!   through the whole account. The proxy asks the emulator for every page itself, keeps the
//!   groups named (by name or by ARN), and answers the one request with them, as AWS does.
//!   Only the client's request is counted.

use bytes::Bytes;
use hyper::header::{CONTENT_LENGTH, HeaderValue};
use hyper::{Request, Response};
use serde_json::{Map, Value, json};

/// The pages the proxy reads from the emulator for one emulated request, at most.
const MAX_UPSTREAM_PAGES: usize = 10_000;

/// The `logGroupIdentifiers` of a `DescribeLogGroups` body, when it has them.
pub(crate) fn log_group_identifiers(operation: &str, body: &[u8]) -> Option<Vec<String>> {
    if operation != "DescribeLogGroups" {
        return None;
    }
    let request: Value = serde_json::from_slice(body).ok()?;
    let identifiers = request.get("logGroupIdentifiers")?.as_array()?;
    Some(
        identifiers
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
    )
}

/// Whether a described log group is one of `identifiers` (a name, or an ARN with or without
/// the trailing `:*`).
fn is_named(group: &Value, identifiers: &[String]) -> bool {
    let name = group.get("logGroupName").and_then(Value::as_str);
    let arn = group.get("arn").and_then(Value::as_str);
    let bare_arn = arn.map(|a| a.strip_suffix(":*").unwrap_or(a));
    identifiers.iter().any(|i| {
        Some(i.as_str()) == name || Some(i.as_str()) == arn || Some(i.as_str()) == bare_arn
    })
}

/// Builds the upstream request for one page of every log group: the client's request with its
/// body replaced (the emulator does not check signatures).
fn page_request(template: &Request<Bytes>, next_token: Option<&str>) -> Request<Bytes> {
    let mut body = Map::new();
    body.insert("limit".into(), json!(50));
    if let Some(token) = next_token {
        body.insert("nextToken".into(), json!(token));
    }
    let body = Bytes::from(Value::Object(body).to_string());
    let mut request = Request::new(body.clone());
    *request.method_mut() = template.method().clone();
    *request.uri_mut() = template.uri().clone();
    *request.version_mut() = template.version();
    *request.headers_mut() = template.headers().clone();
    request
        .headers_mut()
        .insert(CONTENT_LENGTH, HeaderValue::from(body.len()));
    request
}

/// Answers a `DescribeLogGroups` by identifiers as AWS does, reading every page from the
/// emulator with `send`. An error page from the emulator is passed back as it is.
pub(crate) async fn describe_log_groups<F, Fut, E>(
    request: Request<Bytes>,
    identifiers: &[String],
    mut send: F,
) -> Result<Response<Bytes>, E>
where
    F: FnMut(Request<Bytes>) -> Fut,
    Fut: std::future::Future<Output = Result<Response<Bytes>, E>>,
{
    let mut groups = Vec::new();
    let mut next_token: Option<String> = None;
    let mut last = None;
    for _ in 0..MAX_UPSTREAM_PAGES {
        let response = send(page_request(&request, next_token.as_deref())).await?;
        if !response.status().is_success() {
            return Ok(response);
        }
        let page: Value = serde_json::from_slice(response.body()).unwrap_or(Value::Null);
        if let Some(found) = page.get("logGroups").and_then(Value::as_array) {
            groups.extend(found.iter().filter(|g| is_named(g, identifiers)).cloned());
        }
        next_token = page
            .get("nextToken")
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
            .map(str::to_owned);
        last = Some(response);
        if next_token.is_none() {
            break;
        }
    }
    let body = Bytes::from(json!({ "logGroups": groups }).to_string());
    let mut answer = Response::new(body.clone());
    if let Some(last) = last {
        *answer.status_mut() = last.status();
        *answer.headers_mut() = last.headers().clone();
    }
    answer
        .headers_mut()
        .insert(CONTENT_LENGTH, HeaderValue::from(body.len()));
    Ok(answer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_read_only_from_describe_log_groups() {
        let body = br#"{"logGroupIdentifiers":["a","b"]}"#;
        assert_eq!(
            log_group_identifiers("DescribeLogGroups", body),
            Some(vec!["a".to_owned(), "b".to_owned()])
        );
        assert_eq!(log_group_identifiers("DescribeLogStreams", body), None);
        assert_eq!(
            log_group_identifiers("DescribeLogGroups", br#"{"logGroupNamePrefix":"a"}"#),
            None
        );
        assert_eq!(
            log_group_identifiers("DescribeLogGroups", b"not json"),
            None
        );
    }

    #[test]
    fn a_group_is_named_by_name_or_arn() {
        let group =
            json!({"logGroupName": "app", "arn": "arn:aws:logs:us-east-1:1:log-group:app:*"});
        assert!(is_named(&group, &["app".to_owned()]));
        assert!(is_named(
            &group,
            &["arn:aws:logs:us-east-1:1:log-group:app".to_owned()]
        ));
        assert!(is_named(
            &group,
            &["arn:aws:logs:us-east-1:1:log-group:app:*".to_owned()]
        ));
        assert!(!is_named(&group, &["ap".to_owned(), "apps".to_owned()]));
    }

    #[test]
    fn every_page_is_read_and_only_named_groups_answered() {
        let pages = [
            json!({"logGroups": [{"logGroupName": "a"}, {"logGroupName": "x"}], "nextToken": "1"}),
            json!({"logGroups": [{"logGroupName": "b"}], "nextToken": "2"}),
            json!({"logGroups": [{"logGroupName": "y"}]}),
        ];
        let mut asked = Vec::new();
        let request = Request::new(Bytes::from_static(br#"{"logGroupIdentifiers":["a","b"]}"#));
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime");
        let answer = runtime
            .block_on(describe_log_groups(
                request,
                &["a".to_owned(), "b".to_owned()],
                |req: Request<Bytes>| {
                    let body: Value = serde_json::from_slice(req.body()).expect("json");
                    asked.push(body.get("nextToken").cloned());
                    let page = pages[asked.len() - 1].to_string();
                    async move { Ok::<_, ()>(Response::new(Bytes::from(page))) }
                },
            ))
            .expect("answer");
        assert_eq!(asked, vec![None, Some(json!("1")), Some(json!("2"))]);
        let body: Value = serde_json::from_slice(answer.body()).expect("json");
        assert_eq!(
            body,
            json!({"logGroups": [{"logGroupName": "a"}, {"logGroupName": "b"}]})
        );
    }
}
