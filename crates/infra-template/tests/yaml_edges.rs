//! YAML 1.2 edge cases seen through `load`: scalars YAML 1.1 would convert, tags, block
//! scalars inside `!Sub`, aliases, tabs, byte order marks, CRLF line ends, and JSON templates
//! that must mean exactly what their YAML twin means.

mod common;

use std::collections::BTreeMap;

use common::*;
use infra_template::{Deployment, Offline, Value};

fn n(x: &str) -> Value {
    Value::Number(x.to_string())
}

/// The map under `V` when `V` holds a mapping written in `body` (indented under `V:`).
fn v_map(body: &str) -> BTreeMap<String, Value> {
    let body: String = body.lines().map(|l| format!("          {l}\n")).collect();
    let t = format!(
        "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        V:\n{body}"
    );
    let d = ok(&t, &opts(Some("us-east-1")), &Offline);
    match v_of(&d) {
        Some(Value::Map(m)) => m,
        other => panic!("V is not a mapping: {other:?}"),
    }
}

fn role_doc(d: &Deployment) -> &BTreeMap<String, Value> {
    match prop(d, "R", "AssumeRolePolicyDocument") {
        Value::Map(m) => m,
        other => panic!("not a mapping: {other:?}"),
    }
}

const POLICY: &str = "AWSTemplateFormatVersion: 2010-09-09
Resources:
  R:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: 2012-10-17
        Statement:
          - Effect: Allow
            Principal: {Service: ec2.amazonaws.com}
            Action: sts:AssumeRole
";

#[test]
fn policy_version_dates_stay_strings() {
    let d = ok(POLICY, &opts(None), &Offline);
    let doc = role_doc(&d);
    assert_eq!(doc.get("Version"), Some(&s("2012-10-17")));
    let json = prop(&d, "R", "AssumeRolePolicyDocument")
        .to_json()
        .expect("known");
    assert_eq!(json["Version"], serde_json::json!("2012-10-17"));
    assert_eq!(
        json["Statement"][0]["Principal"]["Service"],
        serde_json::json!("ec2.amazonaws.com")
    );
}

#[test]
fn yaml_1_1_booleans_stay_strings() {
    let m = v_map(
        "a: yes\nb: no\nc: on\nd: off\ne: y\nf: n\ng: Yes\nh: NO\ni: Off\nj: true\nk: False\nl: TRUE\non: key\ny: key2\n",
    );
    for (k, v) in [
        ("a", "yes"),
        ("b", "no"),
        ("c", "on"),
        ("d", "off"),
        ("e", "y"),
        ("f", "n"),
        ("g", "Yes"),
        ("h", "NO"),
        ("i", "Off"),
    ] {
        assert_eq!(m.get(k), Some(&s(v)), "{k}");
    }
    // The YAML 1.2 core schema booleans.
    assert_eq!(m.get("j"), Some(&Value::Bool(true)));
    assert_eq!(m.get("k"), Some(&Value::Bool(false)));
    assert_eq!(m.get("l"), Some(&Value::Bool(true)));
    // Keys too.
    assert_eq!(m.get("on"), Some(&s("key")));
    assert_eq!(m.get("y"), Some(&s("key2")));
}

#[test]
fn octal_looking_numbers_are_not_octal() {
    let m = v_map("a: 010\nb: 0o10\nc: 0x10\nd: 10\ne: 1.10\nf: 1e3\ng: -7\nh: 0\n");
    // `010` is not 8; it keeps its leading zero, as written.
    assert_eq!(m.get("a"), Some(&n("010")));
    assert_eq!(m.get("b"), Some(&n("8")));
    assert_eq!(m.get("c"), Some(&n("16")));
    assert_eq!(m.get("d"), Some(&n("10")));
    assert_eq!(m.get("e"), Some(&n("1.10")));
    assert_eq!(m.get("f"), Some(&n("1e3")));
    assert_eq!(m.get("g"), Some(&n("-7")));
    assert_eq!(m.get("h"), Some(&n("0")));
}

#[test]
fn account_ids_with_a_leading_zero_keep_it() {
    let t = "Mappings:\n  Accounts:\n    prod:\n      Id: 012345678901\nResources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        V: !Sub\n          - 'arn:aws:iam::${Id}:root'\n          - Id: !FindInMap [Accounts, prod, Id]\n";
    let d = ok(t, &opts(None), &Offline);
    assert_eq!(v_of(&d), Some(s("arn:aws:iam::012345678901:root")));
}

#[test]
fn quoted_scalars_stay_strings() {
    let m = v_map(
        "a: '10'\nb: \"1.0\"\nc: '0123'\nd: \"true\"\ne: 'null'\nf: '2012-10-17'\ng: ~\nh: null\ni:\n",
    );
    for (k, v) in [
        ("a", "10"),
        ("b", "1.0"),
        ("c", "0123"),
        ("d", "true"),
        ("e", "null"),
        ("f", "2012-10-17"),
    ] {
        assert_eq!(m.get(k), Some(&s(v)), "{k}");
    }
    for k in ["g", "h", "i"] {
        assert_eq!(m.get(k), Some(&Value::Null), "{k}");
    }
}

#[test]
fn explicit_str_tags_make_strings() {
    let m = v_map("a: !!str 10\nb: !!str true\nc: !!str 2012-10-17\nd: !!str 1.10\ne: !!str\n");
    assert_eq!(m.get("a"), Some(&s("10")));
    assert_eq!(m.get("b"), Some(&s("true")));
    assert_eq!(m.get("c"), Some(&s("2012-10-17")));
    assert_eq!(m.get("d"), Some(&s("1.10")));
    assert_eq!(m.get("e"), Some(&s("")));
}

#[test]
fn unsupported_core_tags_are_errors() {
    let t = value_template("", "", "!!binary aGVsbG8=");
    let e = err(&t, &opts(None), &Offline);
    assert_eq!(
        e.diagnostics.0[0].span.map(|s| s.line),
        Some(7),
        "{}",
        render(&e)
    );
}

const BLOCKS: &str = "Resources:
  R:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Literal: !Sub |
          #!/bin/bash
          echo ${AWS::Region} >> /etc/ecs/ecs.config
            indented ${!HOME}
        Stripped: !Sub |-
          a ${AWS::StackName}
          b
        Folded: !Sub >
          one ${AWS::Partition}
          two

          three
        FoldedStripped: !Sub >-
          x
          y
        Long:
          Fn::Sub: |
            name=${AWS::StackName}
        UserData:
          Fn::Base64: !Sub |
            #!/bin/bash
            echo ${AWS::Region}
        WithVars: !Sub
          - |
            host=${Host}
            port=${Port}
          - Host: example.com
            Port: 443
";

#[test]
fn block_scalars_inside_sub() {
    let d = ok(BLOCKS, &opts(Some("us-east-1")), &Offline);
    let doc = role_doc(&d);
    assert_eq!(
        doc.get("Literal"),
        Some(&s(
            "#!/bin/bash\necho us-east-1 >> /etc/ecs/ecs.config\n  indented ${HOME}\n"
        ))
    );
    assert_eq!(doc.get("Stripped"), Some(&s("a demo\nb")));
    assert_eq!(doc.get("Folded"), Some(&s("one aws two\nthree\n")));
    assert_eq!(doc.get("FoldedStripped"), Some(&s("x y")));
    assert_eq!(doc.get("Long"), Some(&s("name=demo\n")));
    // base64 of "#!/bin/bash\necho us-east-1\n"
    assert_eq!(
        doc.get("UserData"),
        Some(&s("IyEvYmluL2Jhc2gKZWNobyB1cy1lYXN0LTEK"))
    );
    assert_eq!(
        doc.get("WithVars"),
        Some(&s("host=example.com\nport=443\n"))
    );
}

#[test]
fn an_error_inside_a_block_sub_points_at_the_tag() {
    let t = "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        V: !Sub |\n          line one\n          ${Nope}\n";
    let e = err(t, &opts(None), &Offline);
    let d = has_error(&e, "`Nope`");
    assert_eq!(d.span.map(|s| s.line), Some(6));
}

#[test]
fn aliases_are_rejected_with_a_message() {
    let t = "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: &doc\n        Version: 2012-10-17\n  S:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: *doc\n";
    let e = err(t, &opts(None), &Offline);
    let d = has_error(&e, "YAML aliases");
    assert_eq!(d.span.map(|s| (s.line, s.col)), Some((10, 33)));

    // A scalar alias, a merge key and an alias as a key.
    for (text, line) in [
        (
            "Resources:\n  R:\n    Type: &t AWS::Logs::LogGroup\n  S:\n    Type: *t\n",
            5,
        ),
        (
            "Base: &b {Type: AWS::Logs::LogGroup}\nResources:\n  R:\n    <<: *b\n",
            4,
        ),
        (
            "Resources:\n  R:\n    Type: AWS::Logs::LogGroup\n    Properties: {&k LogGroupName: x}\n    Metadata: {*k : y}\n",
            5,
        ),
    ] {
        let e = err(text, &opts(None), &Offline);
        let d = has_error(&e, "YAML aliases");
        assert_eq!(d.span.map(|s| s.line), Some(line), "{text}");
    }
}

#[test]
fn tabs_indenting_a_line_are_an_error_at_that_line() {
    let t = "Resources:\n  R:\n\tType: AWS::Logs::LogGroup\n";
    let e = err(t, &opts(None), &Offline);
    let d = &e.diagnostics.0[0];
    assert!(
        d.message.contains("invalid YAML") && d.message.contains("tab"),
        "{}",
        d.message
    );
    assert_eq!(d.span.map(|s| s.line), Some(3));
}

#[test]
fn tabs_inside_values_and_before_comments_are_fine() {
    let t = "Resources:\t# the resources\n  R:\n    Type: AWS::Logs::LogGroup\t\n    Properties:\n      LogGroupName: \"a\\tb\tc\"\n";
    let d = ok(t, &opts(None), &Offline);
    assert_eq!(prop(&d, "R", "LogGroupName"), &s("a\tb\tc"));
}

#[test]
fn a_byte_order_mark_is_skipped_in_yaml() {
    let d = ok(&format!("\u{FEFF}{POLICY}"), &opts(None), &Offline);
    assert_eq!(role_doc(&d).get("Version"), Some(&s("2012-10-17")));
    // Line numbers are unaffected.
    let e = err(
        "\u{FEFF}Resources:\n  R:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      Nope: 1\n",
        &opts(None),
        &Offline,
    );
    let d = has_error(&e, "unknown property `Nope`");
    assert_eq!(d.span.map(|s| (s.line, s.col)), Some((5, 7)));
}

const JSON_LOG: &str = "{\"Resources\": {\"R\": {\"Type\": \"AWS::Logs::LogGroup\", \"Properties\": {\"LogGroupName\": {\"Fn::Sub\": \"${AWS::StackName}-logs\"}}}}}";

#[test]
fn a_byte_order_mark_is_skipped_in_json() {
    for name in ["template.json", "template.template"] {
        let d = load_named(name, &format!("\u{FEFF}{JSON_LOG}"), &opts(None), &Offline)
            .unwrap_or_else(|e| panic!("{name}: {}", render(&e)));
        assert_eq!(prop(&d, "R", "LogGroupName"), &s("demo-logs"), "{name}");
    }
    // Errors after a BOM keep their line.
    let e = load_named(
        "t.json",
        "\u{FEFF}{\n  \"Resources\": {\n    \"R\": 1 2\n  }\n}\n",
        &opts(None),
        &Offline,
    )
    .expect_err("bad json");
    let d = &e.diagnostics.0[0];
    assert!(d.message.starts_with("invalid JSON"), "{}", d.message);
    assert_eq!(d.span.map(|s| s.line), Some(3));
}

#[test]
fn crlf_line_endings_keep_line_numbers_and_block_text() {
    let t = "Resources:\r\n  R:\r\n    Type: AWS::IAM::Role\r\n    Properties:\r\n      AssumeRolePolicyDocument:\r\n        Script: !Sub |\r\n          a ${AWS::StackName}\r\n          b\r\n  S:\r\n    Type: AWS::Logs::LogGroup\r\n    Properties:\r\n      Nope: 1\r\n";
    let e = err(t, &opts(None), &Offline);
    let d = has_error(&e, "unknown property `Nope`");
    let span = d.span.expect("span");
    assert_eq!((span.line, span.col), (12, 7));
    assert_eq!(
        &e.sources.get(span.file).expect("file").text[span.start..span.start + 4],
        "Nope"
    );
    assert_eq!(
        e.sources.get(span.file).and_then(|f| f.line_text(12)),
        Some("      Nope: 1")
    );

    let fixed = t.replace("      Nope: 1\r\n", "      LogGroupName: x\r\n");
    let d = ok(&fixed, &opts(None), &Offline);
    assert_eq!(role_doc(&d).get("Script"), Some(&s("a demo\nb\n")));
    assert_eq!(prop(&d, "S", "LogGroupName"), &s("x"));
}

#[test]
fn several_documents_and_empty_files_are_errors() {
    let e = err(
        "Resources:\n  R:\n    Type: AWS::Logs::LogGroup\n---\nResources: {}\n",
        &opts(None),
        &Offline,
    );
    has_error(&e, "one YAML document");
    let e = err("# nothing\n", &opts(None), &Offline);
    has_error(&e, "empty template");
}

#[test]
fn duplicate_keys_are_errors_at_the_second_key() {
    let e = err(
        "Resources:\n  R:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      LogGroupName: a\n      LogGroupName: b\n",
        &opts(None),
        &Offline,
    );
    let d = &e.diagnostics.0[0];
    assert!(d.message.contains("duplicate"), "{}", d.message);
    assert_eq!(d.span.map(|s| s.line), Some(6));
}

const TWIN_YAML: &str = "AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Env:
    Type: String
    Default: prod
    AllowedValues: [dev, prod]
  Subnets:
    Type: CommaDelimitedList
    Default: 'subnet-1,subnet-2'
Mappings:
  Sizes:
    prod: {Retention: 30}
    dev: {Retention: 1}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Logs:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: !Sub '/app/${Env}/${AWS::Region}'
      RetentionInDays: !FindInMap [Sizes, !Ref Env, Retention]
  Role:
    Type: AWS::IAM::Role
    DependsOn: Logs
    Properties:
      Path: !If [IsProd, /prod/, !Ref 'AWS::NoValue']
      Description: !Join ['-', [!Select [1, !Ref Subnets], !GetAtt Logs.Arn]]
      MaxSessionDuration: 3600
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: {Service: !Sub 'ec2.${AWS::URLSuffix}'}
            Action: ['sts:AssumeRole']
            Condition: {Bool: {Secure: true}, Num: 1.50}
      Tags:
        - {Key: Logs, Value: !Ref Logs}
Outputs:
  Arn:
    Value: !GetAtt [Role, Arn]
";

const TWIN_JSON: &str = r#"{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Parameters": {
    "Env": {"Type": "String", "Default": "prod", "AllowedValues": ["dev", "prod"]},
    "Subnets": {"Type": "CommaDelimitedList", "Default": "subnet-1,subnet-2"}
  },
  "Mappings": {
    "Sizes": {"prod": {"Retention": 30}, "dev": {"Retention": 1}}
  },
  "Conditions": {
    "IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}
  },
  "Resources": {
    "Logs": {
      "Type": "AWS::Logs::LogGroup",
      "Properties": {
        "LogGroupName": {"Fn::Sub": "/app/${Env}/${AWS::Region}"},
        "RetentionInDays": {"Fn::FindInMap": ["Sizes", {"Ref": "Env"}, "Retention"]}
      }
    },
    "Role": {
      "Type": "AWS::IAM::Role",
      "DependsOn": "Logs",
      "Properties": {
        "Path": {"Fn::If": ["IsProd", "/prod/", {"Ref": "AWS::NoValue"}]},
        "Description": {"Fn::Join": ["-", [{"Fn::Select": [1, {"Ref": "Subnets"}]}, {"Fn::GetAtt": ["Logs", "Arn"]}]]},
        "MaxSessionDuration": 3600,
        "AssumeRolePolicyDocument": {
          "Version": "2012-10-17",
          "Statement": [
            {
              "Effect": "Allow",
              "Principal": {"Service": {"Fn::Sub": "ec2.${AWS::URLSuffix}"}},
              "Action": ["sts:AssumeRole"],
              "Condition": {"Bool": {"Secure": true}, "Num": 1.50}
            }
          ]
        },
        "Tags": [{"Key": "Logs", "Value": {"Ref": "Logs"}}]
      }
    }
  },
  "Outputs": {
    "Arn": {"Value": {"Fn::GetAtt": ["Role", "Arn"]}}
  }
}
"#;

type Shape = Vec<(String, String, Value, Vec<(String, &'static str)>, bool)>;

fn shape(d: &Deployment) -> Shape {
    d.resources
        .iter()
        .map(|r| {
            (
                r.address.clone(),
                r.type_name.clone(),
                r.properties.clone(),
                deps(d, &r.address),
                r.condition_unknown,
            )
        })
        .collect()
}

#[test]
fn a_json_template_means_what_its_yaml_twin_means() {
    for (params, region) in [
        (&[][..], Some("us-east-1")),
        (&[("Env", "dev")][..], Some("cn-north-1")),
        (&[][..], None),
    ] {
        let mut o = with_params(params);
        o.pseudo.region = region.map(str::to_string);
        let y = load_named("t.yaml", TWIN_YAML, &o, &Offline)
            .unwrap_or_else(|e| panic!("yaml: {}", render(&e)));
        let j = load_named("t.json", TWIN_JSON, &o, &Offline)
            .unwrap_or_else(|e| panic!("json: {}", render(&e)));
        assert_eq!(shape(&y), shape(&j), "{params:?} {region:?}");
        assert_eq!(
            y.outputs.get("Arn").map(|o| &o.value),
            j.outputs.get("Arn").map(|o| &o.value)
        );
    }
    // And the values are the expected ones.
    let d = load_named("t.json", TWIN_JSON, &with_params(&[]), &Offline)
        .unwrap_or_else(|e| panic!("{}", render(&e)));
    assert_eq!(prop(&d, "Logs", "LogGroupName"), &s("/app/prod/us-east-1"));
    assert_eq!(prop(&d, "Logs", "RetentionInDays"), &n("30"));
    assert_eq!(prop(&d, "Role", "Path"), &s("/prod/"));
    assert_eq!(
        deps(&d, "Role"),
        vec![
            ("Logs".to_string(), "depends_on"),
            ("Logs".to_string(), "getatt"),
            ("Logs".to_string(), "ref")
        ]
    );
    let doc = prop(&d, "Role", "AssumeRolePolicyDocument")
        .to_json()
        .expect("known");
    assert_eq!(
        doc["Statement"][0]["Principal"]["Service"],
        serde_json::json!("ec2.amazonaws.com")
    );
    assert_eq!(
        doc["Statement"][0]["Condition"]["Bool"]["Secure"],
        serde_json::json!(true)
    );
}

#[test]
fn json_templates_are_strict() {
    let e = load_named(
        "t.json",
        "{\"Resources\": {\"R\": {\"Type\": \"AWS::Logs::LogGroup\",}}}",
        &opts(None),
        &Offline,
    )
    .expect_err("trailing comma");
    has_error(&e, "invalid JSON");
    // YAML short forms do not exist in JSON.
    let e = load_named(
        "t.json",
        "{\"Resources\": {\"R\": {\"Type\": !Ref X}}}",
        &opts(None),
        &Offline,
    )
    .expect_err("tag");
    has_error(&e, "invalid JSON");
}

#[test]
fn far_indented_blank_and_comment_lines_are_not_nesting() {
    let pad = " ".repeat(1000);
    let t = format!(
        "Resources:\n{pad}\n{pad}# a comment\n  R:\n    Type: AWS::Logs::LogGroup\n{pad}\r\n"
    );
    let d = ok(&t, &opts(None), &Offline);
    assert!(d.resource("R").is_some());
}
