//! The census of the application types (configuration and secrets, messaging, data, events,
//! identities and DNS: SSM, Secrets Manager, KMS, SQS, SNS, S3, DynamoDB, EventBridge, Lambda
//! permissions, CloudWatch Logs resource policies, IAM users and groups, Route 53), read through
//! each service's own API with boto3 from the emulator's venv (`support/boto.rs`), like
//! `census_more.rs`.
//!
//! Two rounds of calls: the first lists what can be listed on its own; the second what is read
//! per parent (a key's state, a queue's or a topic's policy, a bucket's policy, the rules of each
//! event bus, a function's resource policy, a user's access keys, a group's members, a zone's
//! record sets). Everything the emulator holds after its reset was made by the trial; what AWS
//! or another resource makes by itself is left out (`alias/aws/*` aliases and AWS managed keys,
//! the default event bus's managed rules, a topic's default policy, a zone's own SOA and NS
//! records, the zone of a Cloud Map DNS namespace, the private key parameter of a key pair).
//! SSM parameters are narrowed to the stack's `infra:stack` tag: once a public parameter
//! (`/aws/service/...`) was read, the emulator lists thousands of them, which AWS never lists.
//!
//! Each object is listed with the identifiers its resource's `Ref` (the physical id the provider
//! records) may take. The policies whose `Ref` is an identifier infra makes up
//! (`AWS::SQS::QueuePolicy`, `AWS::SNS::TopicPolicy`, `AWS::IAM::UserToGroupAddition`) cannot be
//! matched by id: they are listed with no identifier, so only their number is compared (see
//! `census::compare`): one object per distinct policy document across the queues (topics) that
//! hold it, one per group with members. A template for the crash test gives each group one
//! `UserToGroupAddition`.
//!
//! Every listing is followed through all its pages (each asks for the largest page the API
//! allows; the further pages of all listings are read together, one batch per round). A failed
//! call fails the census rather than undercount (a census that cannot read everything is no
//! proof that nothing is left).

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::boto::{self, BotoError, Call};
use crate::census::{Census, Object};

/// The most pages one listing is followed through before the census gives up.
const MAX_PAGES: usize = 50;

/// The token fields of an answer that ask for a next page, and the argument each goes back in
/// (an answer with `IsTruncated` or `Truncated` is handled in [`next_page`]).
const TOKENS: [(&str, &str); 4] = [
    ("NextToken", "NextToken"),
    ("nextToken", "nextToken"),
    ("NextMarker", "Marker"),
    ("LastEvaluatedTableName", "ExclusiveStartTableName"),
];

/// Adds the live objects of every type this module knows to `census`; SSM parameters are
/// those tagged `infra:stack` = `stack`.
pub fn take(endpoint: &str, stack: &str, census: &mut Census) {
    // Parameters by the stack's tag (see the module's doc).
    let parameters = json!({
        "MaxResults": 50,
        "ParameterFilters": [{"Key": "tag:infra:stack", "Option": "Equals", "Values": [stack]}],
    });
    let calls: Vec<Call<'_>> = vec![
        ("ssm", "describe_parameters", parameters),
        ("secretsmanager", "list_secrets", json!({"MaxResults": 100})),
        ("kms", "list_keys", json!({"Limit": 1000})),
        ("kms", "list_aliases", json!({"Limit": 100})),
        ("sqs", "list_queues", json!({"MaxResults": 1000})),
        ("sns", "list_topics", json!({})),
        ("sns", "list_subscriptions", json!({})),
        ("s3", "list_buckets", json!({})),
        ("dynamodb", "list_tables", json!({"Limit": 100})),
        ("events", "list_event_buses", json!({"Limit": 100})),
        ("lambda", "list_functions", json!({"MaxItems": 50})),
        ("logs", "describe_resource_policies", json!({"limit": 50})),
        ("iam", "list_users", json!({"MaxItems": 1000})),
        ("iam", "list_groups", json!({"MaxItems": 1000})),
        ("route53", "list_hosted_zones", json!({"MaxItems": "100"})),
        ("ec2", "describe_key_pairs", json!({})),
    ];
    let first: Vec<Value> = answers(endpoint, &calls, &[])
        .into_iter()
        .map(|a| a.unwrap_or_default())
        .collect();
    let one = |method: &str| -> &Value {
        calls
            .iter()
            .zip(&first)
            .find(|((_, m, _), _)| *m == method)
            .map(|(_, answer)| answer)
            .unwrap_or_else(|| panic!("census: no call of {method}"))
    };

    // SSM: the parameter's name (its `Ref`). Not the private key of a live key pair, which
    // `AWS::EC2::KeyPair` saves as `/ec2/keypair/<key pair id>` as CloudFormation does
    // (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-keypair.html)
    // and deletes with it; one whose key pair is gone is listed, as left behind.
    let key_pairs: BTreeSet<&str> = items(one("describe_key_pairs"), "KeyPairs")
        .filter_map(|k| k["KeyPairId"].as_str())
        .collect();
    census.insert(
        "AWS::SSM::Parameter",
        items(one("describe_parameters"), "Parameters")
            .filter(|p| {
                p["Name"]
                    .as_str()
                    .and_then(|n| n.strip_prefix("/ec2/keypair/"))
                    .is_none_or(|id| !key_pairs.contains(id))
            })
            .map(|p| ids(p, &["Name", "ARN"]))
            .collect(),
    );
    // Secrets Manager: the secret's ARN; one scheduled for deletion is not live.
    census.insert(
        "AWS::SecretsManager::Secret",
        items(one("list_secrets"), "SecretList")
            .filter(|s| s.get("DeletedDate").is_none_or(Value::is_null))
            .map(|s| ids(s, &["ARN", "Name"]))
            .collect(),
    );
    // KMS: the alias's name; not the aliases of AWS managed keys.
    census.insert(
        "AWS::KMS::Alias",
        items(one("list_aliases"), "Aliases")
            .filter(|a| {
                a["AliasName"]
                    .as_str()
                    .is_some_and(|n| !n.starts_with("alias/aws/"))
            })
            .map(|a| ids(a, &["AliasName", "AliasArn"]))
            .collect(),
    );
    // SQS: the queue's URL (`Ref`), or its name.
    let queues: Vec<String> = strings(one("list_queues"), "QueueUrls");
    census.insert(
        "AWS::SQS::Queue",
        queues
            .iter()
            .map(|url| vec![url.clone(), last_segment(url, '/')])
            .collect(),
    );
    // SNS: the topic's ARN (`Ref`); a subscription's ARN, not one pending confirmation (whose
    // "ARN" is `PendingConfirmation`: AWS makes nothing until it is confirmed).
    let topics: Vec<String> = items(one("list_topics"), "Topics")
        .filter_map(|t| t["TopicArn"].as_str().map(str::to_owned))
        .collect();
    census.insert(
        "AWS::SNS::Topic",
        topics
            .iter()
            .map(|arn| vec![arn.clone(), last_segment(arn, ':')])
            .collect(),
    );
    census.insert(
        "AWS::SNS::Subscription",
        items(one("list_subscriptions"), "Subscriptions")
            .filter(|s| {
                s["SubscriptionArn"]
                    .as_str()
                    .is_some_and(|a| a.starts_with("arn:"))
            })
            .map(|s| ids(s, &["SubscriptionArn"]))
            .collect(),
    );
    // S3: the bucket's name.
    let buckets: Vec<String> = items(one("list_buckets"), "Buckets")
        .filter_map(|b| b["Name"].as_str().map(str::to_owned))
        .collect();
    census.insert(
        "AWS::S3::Bucket",
        buckets.iter().map(|b| vec![b.clone()]).collect(),
    );
    // DynamoDB: the table's name.
    census.insert(
        "AWS::DynamoDB::Table",
        strings(one("list_tables"), "TableNames")
            .into_iter()
            .map(|t| vec![t])
            .collect(),
    );
    // CloudWatch Logs: the resource policy's name.
    census.insert(
        "AWS::Logs::ResourcePolicy",
        list(
            one("describe_resource_policies"),
            "resourcePolicies",
            &["policyName"],
        ),
    );
    // IAM: the user's and the group's names (`Ref`).
    let users: Vec<String> = names(one("list_users"), "Users", "UserName");
    census.insert(
        "AWS::IAM::User",
        list(one("list_users"), "Users", &["UserName", "Arn"]),
    );
    let groups: Vec<String> = names(one("list_groups"), "Groups", "GroupName");
    census.insert(
        "AWS::IAM::Group",
        list(one("list_groups"), "Groups", &["GroupName", "Arn"]),
    );
    // Route 53: the zone's id without `/hostedzone/` (`Ref`).
    let zones: Vec<(String, String)> = items(one("list_hosted_zones"), "HostedZones")
        .filter(|z| !made_by_another_service(z))
        .filter_map(|z| {
            let id = z["Id"].as_str()?;
            Some((id.to_owned(), z["Name"].as_str()?.to_owned()))
        })
        .collect();
    census.insert(
        "AWS::Route53::HostedZone",
        zones
            .iter()
            .map(|(id, _)| vec![bare_zone_id(id).to_owned(), id.clone()])
            .collect(),
    );
    let keys: Vec<String> = items(one("list_keys"), "Keys")
        .filter_map(|k| k["KeyId"].as_str().map(str::to_owned))
        .collect();
    let buses: Vec<(String, String)> = items(one("list_event_buses"), "EventBuses")
        .filter_map(|b| {
            Some((
                b["Name"].as_str()?.to_owned(),
                b["Arn"].as_str()?.to_owned(),
            ))
        })
        .collect();
    let functions: Vec<(String, String)> = items(one("list_functions"), "Functions")
        .filter_map(|f| {
            let name = f["FunctionName"].as_str()?;
            Some((name.to_owned(), f["FunctionArn"].as_str()?.to_owned()))
        })
        .collect();

    // Second round: per key, queue, topic, bucket, bus, function, user, group and zone.
    let mut calls: Vec<Call<'_>> = Vec::new();
    for key in &keys {
        calls.push(("kms", "describe_key", json!({ "KeyId": key })));
    }
    for url in &queues {
        calls.push((
            "sqs",
            "get_queue_attributes",
            json!({"QueueUrl": url, "AttributeNames": ["Policy"]}),
        ));
    }
    for arn in &topics {
        calls.push(("sns", "get_topic_attributes", json!({ "TopicArn": arn })));
    }
    for bucket in &buckets {
        calls.push(("s3", "get_bucket_policy", json!({ "Bucket": bucket })));
    }
    for (bus, _) in &buses {
        calls.push((
            "events",
            "list_rules",
            json!({"EventBusName": bus, "Limit": 100}),
        ));
    }
    for (function, _) in &functions {
        calls.push(("lambda", "get_policy", json!({ "FunctionName": function })));
    }
    for user in &users {
        calls.push((
            "iam",
            "list_access_keys",
            json!({"UserName": user, "MaxItems": 1000}),
        ));
    }
    for group in &groups {
        calls.push((
            "iam",
            "get_group",
            json!({"GroupName": group, "MaxItems": 1000}),
        ));
    }
    for (zone, _) in &zones {
        calls.push((
            "route53",
            "list_resource_record_sets",
            json!({"HostedZoneId": zone, "MaxItems": "300"}),
        ));
    }
    // A bucket without a policy and a function without one answer these errors.
    let second = answers(
        endpoint,
        &calls,
        &["NoSuchBucketPolicy", "ResourceNotFoundException"],
    );
    let per = |method: &str| -> Vec<(&Value, Option<&Value>)> {
        calls
            .iter()
            .zip(&second)
            .filter(|((_, m, _), _)| *m == method)
            .map(|((_, _, args), answer)| (args, answer.as_ref()))
            .collect()
    };

    // KMS: the key's id (`Ref`); a key pending deletion (AWS deletes a key 7 to 30 days after
    // it is scheduled) or managed by AWS is not listed.
    census.insert(
        "AWS::KMS::Key",
        per("describe_key")
            .into_iter()
            .filter_map(|(_, answer)| answer)
            .map(|a| &a["KeyMetadata"])
            .filter(|k| k["KeyManager"] != "AWS" && k["KeyState"] != "PendingDeletion")
            .map(|k| ids(k, &["KeyId", "Arn"]))
            .collect(),
    );
    // SQS and SNS: one object, counted only, per distinct policy document (a queue policy's
    // and a topic policy's `Ref` is an id infra makes up from the create's checkpoint key:
    // physical id as providers/sqs/queue_policy.rs and providers/sns/topic_policy.rs). A topic
    // holding SNS's default policy (which a topic policy's delete puts back) holds none.
    let queue_policies: BTreeSet<String> = per("get_queue_attributes")
        .into_iter()
        .filter_map(|(_, answer)| answer?["Attributes"]["Policy"].as_str())
        .filter_map(document)
        .collect();
    census.insert(
        "AWS::SQS::QueuePolicy",
        queue_policies.iter().map(|_| Vec::new()).collect(),
    );
    let topic_policies: BTreeSet<String> = per("get_topic_attributes")
        .into_iter()
        .filter_map(|(_, answer)| answer?["Attributes"]["Policy"].as_str())
        .filter(|policy| !default_topic_policy(policy))
        .filter_map(document)
        .collect();
    census.insert(
        "AWS::SNS::TopicPolicy",
        topic_policies.iter().map(|_| Vec::new()).collect(),
    );
    // S3: the bucket's name, for each bucket with a policy (physical id as
    // providers/s3/bucket_policy.rs).
    census.insert(
        "AWS::S3::BucketPolicy",
        per("get_bucket_policy")
            .into_iter()
            .filter(|(_, answer)| answer.is_some_and(|a| a["Policy"].is_string()))
            .filter_map(|(args, _)| args["Bucket"].as_str().map(|b| vec![b.to_owned()]))
            .collect(),
    );
    // EventBridge: the rule's name on the default bus, `<bus name>|<rule name>` on another
    // (providers/events/rule); its ARN. Not the rules AWS services manage (`ManagedBy`).
    let mut rules = Vec::new();
    for (args, answer) in per("list_rules") {
        let bus = args["EventBusName"].as_str().unwrap_or_default();
        let bus_arn = buses
            .iter()
            .find(|(name, _)| name == bus)
            .map(|(_, arn)| arn.as_str())
            .unwrap_or_default();
        for rule in answer.into_iter().flat_map(|a| items(a, "Rules")) {
            if rule.get("ManagedBy").is_some_and(Value::is_string) {
                continue;
            }
            let name = rule["Name"].as_str().unwrap_or_default();
            let mut object = ids(rule, &["Name", "Arn"]);
            if bus != "default" {
                object = ids(rule, &["Arn"]);
                object.push(format!("{bus}|{name}"));
                object.push(format!("{bus_arn}|{name}"));
            }
            rules.push(object);
        }
    }
    census.insert("AWS::Events::Rule", rules);
    // Lambda: one permission per statement of a function's resource policy, as `<function
    // ARN>|<statement id>`, the ARN as the statement's `Resource` names it (physical id as
    // providers/compute/lambda_permission.rs; the statement id alone and with the function's
    // name are listed too).
    let mut permissions = Vec::new();
    for (args, answer) in per("get_policy") {
        let name = args["FunctionName"].as_str().unwrap_or_default();
        let arn = functions
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, arn)| arn.as_str())
            .unwrap_or_default();
        let Some(policy) = answer.and_then(|a| a["Policy"].as_str()) else {
            continue;
        };
        let policy: Value = serde_json::from_str(policy)
            .unwrap_or_else(|e| panic!("census: the policy of {name} is not JSON: {e}"));
        for statement in items(&policy, "Statement") {
            let sid = statement["Sid"].as_str().unwrap_or_default();
            let resource = statement["Resource"].as_str().unwrap_or(arn);
            permissions.push(vec![
                format!("{resource}|{sid}"),
                format!("{arn}|{sid}"),
                format!("{name}|{sid}"),
                sid.to_owned(),
            ]);
        }
    }
    census.insert("AWS::Lambda::Permission", permissions);
    // IAM: the access key's id; one addition, counted only, per group with members (its `Ref`
    // is an id infra makes up: physical id as providers/iam/user_to_group.rs).
    census.insert(
        "AWS::IAM::AccessKey",
        per("list_access_keys")
            .into_iter()
            .filter_map(|(_, answer)| answer)
            .flat_map(|a| list(a, "AccessKeyMetadata", &["AccessKeyId"]))
            .collect(),
    );
    census.insert(
        "AWS::IAM::UserToGroupAddition",
        per("get_group")
            .into_iter()
            .filter_map(|(_, answer)| answer)
            .filter(|a| items(a, "Users").next().is_some())
            .map(|_| Vec::new())
            .collect(),
    );
    // Route 53: a record set's name (`Ref`, physical id as providers/route53/record_set: the
    // name as the template writes it, which is listed without the final dot, with it, and with
    // its type and set identifier). Not the zone's own SOA and NS records, which Route 53
    // makes with the zone.
    let mut records = Vec::new();
    for (args, answer) in per("list_resource_record_sets") {
        let zone = args["HostedZoneId"].as_str().unwrap_or_default();
        let apex = zones
            .iter()
            .find(|(id, _)| id == zone)
            .map(|(_, name)| name.as_str())
            .unwrap_or_default();
        for set in answer
            .into_iter()
            .flat_map(|a| items(a, "ResourceRecordSets"))
        {
            let name = set["Name"].as_str().unwrap_or_default();
            let kind = set["Type"].as_str().unwrap_or_default();
            if name.trim_end_matches('.') == apex.trim_end_matches('.')
                && matches!(kind, "SOA" | "NS")
            {
                continue;
            }
            records.push(record_ids(
                name,
                kind,
                set["SetIdentifier"].as_str().unwrap_or_default(),
            ));
        }
    }
    census.insert("AWS::Route53::RecordSet", records);
}

/// Every call's answer, all its pages merged, or `None` for an error whose code is in `absent`
/// (the call's way of saying there is nothing); any other failure fails the trial.
fn answers(endpoint: &str, calls: &[Call<'_>], absent: &[&str]) -> Vec<Option<Value>> {
    if calls.is_empty() {
        return Vec::new();
    }
    let mut results: Vec<Option<Value>> = Vec::new();
    let mut more: Vec<(usize, Value)> = Vec::new();
    for (i, (answer, call)) in boto::batch(endpoint, calls)
        .into_iter()
        .zip(calls)
        .enumerate()
    {
        results.push(match answer {
            Ok(answer) => {
                more.extend(next_page(call, &answer).map(|args| (i, args)));
                Some(answer)
            }
            Err(e) if absent.contains(&e.code.as_str()) => None,
            Err(e) => failed(call, e),
        });
    }
    // The next pages of every listing that has more, in one batch per round.
    for _ in 0..MAX_PAGES {
        if more.is_empty() {
            return results;
        }
        let next: Vec<Call<'_>> = more
            .iter()
            .map(|(i, args)| (calls[*i].0, calls[*i].1, args.clone()))
            .collect();
        let mut after = Vec::new();
        for ((i, _), (answer, call)) in more
            .iter()
            .zip(boto::batch(endpoint, &next).into_iter().zip(&next))
        {
            let page = answer.unwrap_or_else(|e| failed(call, e));
            after.extend(next_page(call, &page).map(|args| (*i, args)));
            if let Some(result) = results[*i].as_mut() {
                merge(result, page);
            }
        }
        more = after;
    }
    panic!("census: a listing has more than {MAX_PAGES} pages: {more:?}");
}

fn failed((service, method, args): &Call<'_>, e: BotoError) -> ! {
    panic!("census: {service}.{method}({args}) failed: {e}")
}

/// The arguments of the page after `answer` of `call`, if there is one.
fn next_page((service, method, args): &Call<'_>, answer: &Value) -> Option<Value> {
    let token = |field: &str| {
        answer
            .get(field)
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
    };
    let mut next = args.clone();
    if let Some(truncated) = answer
        .get("IsTruncated")
        .or_else(|| answer.get("Truncated"))
    {
        if *truncated != true {
            return None;
        }
        // Route 53 record sets go on from a name, type and set identifier.
        if let Some(name) = token("NextRecordName") {
            next["StartRecordName"] = json!(name);
            next["StartRecordType"] = answer["NextRecordType"].clone();
            if let Some(set) = token("NextRecordIdentifier") {
                next["StartRecordIdentifier"] = json!(set);
            }
            return Some(next);
        }
        let marker = token("NextMarker").or_else(|| token("Marker"));
        let marker = marker.unwrap_or_else(|| {
            panic!(
                "census: {service}.{method}({args}) is truncated but names no next page: {answer}"
            )
        });
        next["Marker"] = json!(marker);
        return Some(next);
    }
    let (field, argument) = TOKENS.iter().find(|(field, _)| token(field).is_some())?;
    next[*argument] = json!(token(field));
    Some(next)
}

/// Adds the lists of `page` to those of `answer`.
fn merge(answer: &mut Value, page: Value) {
    let (Some(answer), Value::Object(page)) = (answer.as_object_mut(), page) else {
        return;
    };
    for (key, value) in page {
        if let Value::Array(items) = value {
            match answer.get_mut(&key).and_then(Value::as_array_mut) {
                Some(list) => list.extend(items),
                None => {
                    answer.insert(key, Value::Array(items));
                }
            }
        }
    }
}

fn items<'a>(answer: &'a Value, key: &str) -> impl Iterator<Item = &'a Value> {
    answer[key].as_array().into_iter().flatten()
}

fn list(answer: &Value, key: &str, fields: &[&str]) -> Vec<Object> {
    items(answer, key).map(|item| ids(item, fields)).collect()
}

fn ids(item: &Value, fields: &[&str]) -> Object {
    fields
        .iter()
        .filter_map(|field| item[*field].as_str().map(str::to_owned))
        .collect()
}

fn strings(answer: &Value, key: &str) -> Vec<String> {
    items(answer, key)
        .filter_map(|s| s.as_str().map(str::to_owned))
        .collect()
}

fn names(answer: &Value, key: &str, field: &str) -> Vec<String> {
    items(answer, key)
        .filter_map(|item| item[field].as_str().map(str::to_owned))
        .collect()
}

fn last_segment(text: &str, separator: char) -> String {
    text.rsplit(separator).next().unwrap_or(text).to_owned()
}

fn bare_zone_id(id: &str) -> &str {
    id.strip_prefix("/hostedzone/").unwrap_or(id)
}

/// Whether Route 53 says another service made the zone `zone` (a Cloud Map DNS namespace's):
/// `LinkedService`, as AWS answers it
/// (https://docs.aws.amazon.com/Route53/latest/APIReference/API_LinkedService.html). The
/// emulator leaves `LinkedService` out and keeps the zone after its namespace is deleted (AWS
/// deletes it with the namespace), so its zones are known by the comment it gives them.
fn made_by_another_service(zone: &Value) -> bool {
    let comment = zone["Config"]["Comment"].as_str().unwrap_or_default();
    zone.get("LinkedService").is_some_and(|l| !l.is_null())
        || comment.starts_with("hosted zone for private dns namespace ")
        || comment.starts_with("hosted zone for public dns namespace ")
}

/// A policy document in one canonical form (keys sorted), or `None` when there is none.
fn document(text: &str) -> Option<String> {
    if text.trim().is_empty() {
        return None;
    }
    let value: Value = serde_json::from_str(text)
        .unwrap_or_else(|e| panic!("census: a policy is not JSON ({e}): {text}"));
    Some(value.to_string())
}

/// The policy SNS gives every topic it creates (`"Id": "__default_policy_ID"`, one statement
/// `__default_statement_ID`), which no `AWS::SNS::TopicPolicy` made.
fn default_topic_policy(text: &str) -> bool {
    let Ok(policy) = serde_json::from_str::<Value>(text) else {
        return false;
    };
    policy["Id"] == "__default_policy_ID"
        || items(&policy, "Statement").all(|s| s["Sid"] == "__default_statement_ID")
}

/// The identifiers of a record set: its name as Route 53 answers it (a final dot, `*` written
/// `\052`) and without the final dot, and with its type and set identifier.
fn record_ids(name: &str, kind: &str, set: &str) -> Object {
    let written = name.replace("\\052", "*");
    let bare = written.trim_end_matches('.').to_owned();
    vec![
        bare.clone(),
        written,
        name.to_owned(),
        format!("{bare}|{kind}|{set}"),
        format!("{bare}|{kind}"),
    ]
}
