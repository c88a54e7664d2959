//! Each intrinsic function and pseudo parameter, evaluated through `load` on small templates.

mod common;

use common::*;
use infra_template::{Offline, Unknown, Value};

const LOG_GROUP_B: &str = "  B:\n    Type: AWS::Logs::LogGroup\n";
const P_HELLO: &str = "Parameters:\n  P:\n    Type: String\n    Default: hello\n";

fn unknown_ref(address: &str) -> Value {
    Value::Unknown(Unknown::Ref {
        address: address.to_string(),
    })
}

fn unknown_attr(address: &str, attribute: &str) -> Value {
    Value::Unknown(Unknown::Attribute {
        address: address.to_string(),
        attribute: attribute.to_string(),
    })
}

fn lookup(what: &str) -> Value {
    Value::Unknown(Unknown::Lookup(what.to_string()))
}

fn derived() -> Value {
    Value::Unknown(Unknown::Derived)
}

fn pseudo(region: Option<&str>, expr: &str) -> Value {
    eval_with("", "", expr, &opts(region), &Offline)
}

// ---------------------------------------------------------------- Ref

#[test]
fn ref_of_a_parameter_is_its_value_and_adds_no_dependency() {
    let d = ok(
        &value_template(P_HELLO, "", "!Ref P"),
        &opts(Some("us-east-1")),
        &Offline,
    );
    assert_eq!(v_of(&d), Some(s("hello")));
    assert!(deps(&d, "R").is_empty());
}

#[test]
fn ref_of_a_resource_is_unknown_and_a_ref_dependency() {
    let d = ok(
        &value_template("", LOG_GROUP_B, "!Ref B"),
        &opts(Some("us-east-1")),
        &Offline,
    );
    assert_eq!(v_of(&d), Some(unknown_ref("B")));
    assert_eq!(deps(&d, "R"), vec![("B".to_string(), "ref")]);
    let dep = &d.resource("R").expect("R").deps[0];
    // The dependency points at where `B` is written (line 7 of the template).
    assert_eq!(dep.span.line, 7);
}

#[test]
fn ref_of_an_existing_resource_comes_from_lookups_and_still_depends() {
    let mut f = Fake::default();
    f.refs.insert("B".into(), s("/log/group"));
    let v = eval_with("", LOG_GROUP_B, "!Ref B", &opts(Some("us-east-1")), &f);
    assert_eq!(v, s("/log/group"));
}

#[test]
fn ref_long_form_equals_short_form() {
    let v = eval_with("", LOG_GROUP_B, "{Ref: B}", &opts(None), &Offline);
    assert_eq!(v, unknown_ref("B"));
}

#[test]
fn ref_of_an_unknown_name_is_an_error_with_a_suggestion() {
    let e = eval_err(P_HELLO, "!Ref Q", "unresolved reference: Ref `Q`");
    let d = has_error(&e, "unresolved reference");
    assert!(d.message.contains("(did you mean `P`?)"), "{}", d.message);
    assert_eq!(d.span.map(|s| s.line), Some(11));
}

#[test]
fn pseudo_region_with_and_without_a_region() {
    assert_eq!(
        pseudo(Some("eu-west-3"), "!Ref AWS::Region"),
        s("eu-west-3")
    );
    assert_eq!(pseudo(None, "!Ref AWS::Region"), lookup("region"));
}

#[test]
fn pseudo_account_id_is_unknown_offline_and_known_when_given() {
    assert_eq!(
        pseudo(Some("us-east-1"), "!Ref AWS::AccountId"),
        lookup("account id")
    );
    let mut o = opts(Some("us-east-1"));
    o.pseudo.account_id = Some("123456789012".into());
    assert_eq!(
        eval_with("", "", "!Ref AWS::AccountId", &o, &Offline),
        s("123456789012")
    );
}

#[test]
fn pseudo_partition_follows_the_region() {
    assert_eq!(
        pseudo(Some("cn-north-1"), "!Ref AWS::Partition"),
        s("aws-cn")
    );
    assert_eq!(
        pseudo(Some("cn-northwest-1"), "!Ref AWS::Partition"),
        s("aws-cn")
    );
    assert_eq!(
        pseudo(Some("us-gov-west-1"), "!Ref AWS::Partition"),
        s("aws-us-gov")
    );
    assert_eq!(pseudo(Some("us-east-1"), "!Ref AWS::Partition"), s("aws"));
    assert_eq!(
        pseudo(Some("eu-central-1"), "!Ref AWS::Partition"),
        s("aws")
    );
    assert_eq!(pseudo(None, "!Ref AWS::Partition"), s("aws"));
}

#[test]
fn pseudo_url_suffix_follows_the_partition() {
    assert_eq!(
        pseudo(Some("cn-north-1"), "!Ref AWS::URLSuffix"),
        s("amazonaws.com.cn")
    );
    assert_eq!(
        pseudo(Some("us-gov-east-1"), "!Ref AWS::URLSuffix"),
        s("amazonaws.com")
    );
    assert_eq!(
        pseudo(Some("ap-south-1"), "!Ref AWS::URLSuffix"),
        s("amazonaws.com")
    );
}

#[test]
fn pseudo_stack_name_stack_id_and_notification_arns() {
    assert_eq!(pseudo(Some("us-east-1"), "!Ref AWS::StackName"), s("demo"));
    assert_eq!(
        pseudo(Some("us-east-1"), "!Ref AWS::StackId"),
        lookup("stack id")
    );
    assert_eq!(
        pseudo(Some("us-east-1"), "!Ref AWS::NotificationARNs"),
        Value::List(Vec::new())
    );
}

#[test]
fn no_value_removes_a_property() {
    let t = "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {}\n      Description: !Ref AWS::NoValue\n      Path: /x/\n";
    let d = ok(t, &opts(None), &Offline);
    let Value::Map(m) = &d.resource("R").expect("R").properties else {
        panic!("not a map")
    };
    assert!(!m.contains_key("Description"), "{m:?}");
    assert_eq!(m.get("Path"), Some(&s("/x/")));
}

#[test]
fn no_value_removes_a_list_item_and_a_mapping_entry() {
    let t = "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {a: !Ref AWS::NoValue, b: 1}\n      ManagedPolicyArns: [arn:a, !Ref AWS::NoValue, arn:b]\n";
    let d = ok(t, &opts(None), &Offline);
    assert_eq!(
        prop(&d, "R", "ManagedPolicyArns"),
        &list(&["arn:a", "arn:b"])
    );
    let mut m = std::collections::BTreeMap::new();
    m.insert("b".to_string(), Value::Number("1".into()));
    assert_eq!(prop(&d, "R", "AssumeRolePolicyDocument"), &Value::Map(m));
}

#[test]
fn no_value_where_a_value_is_required_is_an_error() {
    eval_err(
        "",
        "!Join [',', !Ref AWS::NoValue]",
        "AWS::NoValue can only stand for a whole property or list item",
    );
}

// ---------------------------------------------------------------- Fn::GetAtt

#[test]
fn getatt_of_a_resource_is_an_unknown_attribute_and_a_getatt_dependency() {
    for form in [
        "!GetAtt B.Arn",
        "!GetAtt [B, Arn]",
        "{'Fn::GetAtt': [B, Arn]}",
        "{'Fn::GetAtt': B.Arn}",
    ] {
        let d = ok(
            &value_template("", LOG_GROUP_B, form),
            &opts(None),
            &Offline,
        );
        assert_eq!(v_of(&d), Some(unknown_attr("B", "Arn")), "{form}");
        assert_eq!(deps(&d, "R"), vec![("B".to_string(), "getatt")], "{form}");
    }
}

#[test]
fn getatt_of_an_existing_resource_comes_from_lookups() {
    let mut f = Fake::default();
    f.attributes
        .insert(("B".into(), "Arn".into()), s("arn:aws:logs:x"));
    assert_eq!(
        eval_with("", LOG_GROUP_B, "!GetAtt B.Arn", &opts(None), &f),
        s("arn:aws:logs:x")
    );
}

#[test]
fn getatt_with_an_attribute_computed_by_an_intrinsic() {
    let head = "Parameters:\n  A:\n    Type: String\n    Default: Arn\n";
    let d = ok(
        &value_template(head, LOG_GROUP_B, "!GetAtt [B, !Ref A]"),
        &opts(None),
        &Offline,
    );
    assert_eq!(v_of(&d), Some(unknown_attr("B", "Arn")));
}

#[test]
fn getatt_of_an_unknown_attribute_is_an_error_listing_the_attributes() {
    let t = value_template("", LOG_GROUP_B, "!GetAtt B.Nope");
    let e = err(&t, &opts(None), &Offline);
    let d = has_error(
        &e,
        "resource `B` (AWS::Logs::LogGroup) has no attribute `Nope`",
    );
    // The attributes it does have are listed.
    assert!(d.message.contains(": Arn"), "{}", d.message);
}

#[test]
fn getatt_of_an_unknown_resource_is_an_error() {
    eval_err(
        "",
        "!GetAtt Nope.Arn",
        "Fn::GetAtt of unknown resource `Nope`",
    );
}

// ---------------------------------------------------------------- Fn::Sub

#[test]
fn sub_string_form_replaces_parameters_and_pseudo_parameters() {
    let v = eval(
        P_HELLO,
        "!Sub 'arn:${AWS::Partition}:s3:::${P}-${AWS::Region}/${AWS::StackName}'",
    );
    assert_eq!(v, s("arn:aws:s3:::hello-us-east-1/demo"));
}

#[test]
fn sub_list_form_uses_its_variables_before_template_names() {
    let v = eval(
        P_HELLO,
        "!Sub ['${P}:${X}:${Y}', {X: !Ref P, P: shadow, Y: 3}]",
    );
    assert_eq!(v, s("shadow:hello:3"));
}

#[test]
fn sub_of_resource_attribute_and_resource_is_unknown_with_sub_dependencies() {
    let d = ok(
        &value_template("", LOG_GROUP_B, "!Sub '${B.Arn}/x'"),
        &opts(None),
        &Offline,
    );
    assert_eq!(v_of(&d), Some(derived()));
    assert_eq!(deps(&d, "R"), vec![("B".to_string(), "sub")]);
    let d = ok(
        &value_template("", LOG_GROUP_B, "!Sub 'name-${B}'"),
        &opts(None),
        &Offline,
    );
    assert_eq!(v_of(&d), Some(derived()));
    assert_eq!(deps(&d, "R"), vec![("B".to_string(), "sub")]);
}

#[test]
fn sub_of_a_known_attribute_is_known() {
    let mut f = Fake::default();
    f.attributes.insert(("B".into(), "Arn".into()), s("arn:b"));
    let v = eval_with("", LOG_GROUP_B, "!Sub '${B.Arn}/x'", &opts(None), &f);
    assert_eq!(v, s("arn:b/x"));
}

#[test]
fn sub_escaped_variables_stay_literal() {
    assert_eq!(
        eval(P_HELLO, "!Sub '${!Literal}-${P}-${!P}'"),
        s("${Literal}-hello-${P}")
    );
    assert_eq!(eval("", "!Sub 'cost: $5 {x} $'"), s("cost: $5 {x} $"));
}

#[test]
fn sub_with_aws_region_unknown_without_a_region() {
    assert_eq!(
        pseudo(Some("sa-east-1"), "!Sub '${AWS::Region}'"),
        s("sa-east-1")
    );
    assert_eq!(pseudo(None, "!Sub 'x-${AWS::Region}'"), derived());
}

#[test]
fn sub_with_an_unclosed_variable_is_an_error() {
    let e = eval_err(
        "",
        "!Sub 'abc-${Name'",
        "Fn::Sub string has an unclosed `${`",
    );
    assert_eq!(has_error(&e, "unclosed").span.map(|s| s.line), Some(7));
}

#[test]
fn sub_variable_of_the_wrong_shape_is_an_error() {
    eval_err(
        "",
        "!Sub ['${L}', {L: [a, b]}]",
        "Fn::Sub variable `L` is a list, not a string",
    );
}

#[test]
fn sub_of_an_unknown_name_is_an_error() {
    eval_err(
        "",
        "!Sub '${Nope}'",
        "unresolved reference: Fn::Sub variable `Nope`",
    );
}

// ---------------------------------------------------------------- Fn::Join

#[test]
fn join_of_known_values() {
    assert_eq!(eval("", "!Join [':', [a, b, c]]"), s("a:b:c"));
    assert_eq!(eval("", "!Join ['', [1, true, x]]"), s("1truex"));
    assert_eq!(eval("", "!Join [',', []]"), s(""));
    let head = "Parameters:\n  L:\n    Type: CommaDelimitedList\n    Default: 'x, y'\n";
    assert_eq!(eval(head, "!Join ['+', !Ref L]"), s("x+y"));
}

#[test]
fn join_with_an_unknown_item_is_unknown() {
    let d = ok(
        &value_template("", LOG_GROUP_B, "!Join [':', [a, !Ref B]]"),
        &opts(None),
        &Offline,
    );
    assert_eq!(v_of(&d), Some(derived()));
    assert_eq!(deps(&d, "R"), vec![("B".to_string(), "ref")]);
}

#[test]
fn join_of_a_non_list_is_an_error() {
    eval_err(
        "",
        "!Join [':', abc]",
        "Fn::Join expects a list of values to join, got a string",
    );
    eval_err(
        "",
        "!Join [':', [a, {b: c}]]",
        "Fn::Join expects a list of strings, got an item that is a mapping",
    );
    eval_err(
        "",
        "!Join [[x], [a]]",
        "Fn::Join expects the separator to be a string, got a list",
    );
}

// ---------------------------------------------------------------- Fn::Select

#[test]
fn select_in_range() {
    assert_eq!(eval("", "!Select [1, [a, b, c]]"), s("b"));
    assert_eq!(eval("", "!Select ['0', [a, b, c]]"), s("a"));
    assert_eq!(eval("", "!Select [2, !Split [',', 'x,y,z']]"), s("z"));
}

#[test]
fn select_out_of_range_is_an_error() {
    eval_err(
        "",
        "!Select [3, [a, b, c]]",
        "Fn::Select index 3 is out of range for a list of 3 item(s)",
    );
    eval_err(
        "",
        "!Select [-1, [a]]",
        "Fn::Select index -1 is out of range for a list of 1 item(s)",
    );
    eval_err(
        "",
        "!Select [0, []]",
        "Fn::Select index 0 is out of range for a list of 0 item(s)",
    );
    eval_err(
        "",
        "!Select [x, [a]]",
        "Fn::Select expects the index to be a whole number, got `x`",
    );
    eval_err(
        "",
        "!Select [0, abc]",
        "Fn::Select expects a list to select from, got a string",
    );
}

#[test]
fn select_on_an_unknown_list_is_unknown() {
    assert_eq!(eval("", "!Select [0, !GetAZs '']"), derived());
    // A known item of a list holding unknown items is known.
    let d = ok(
        &value_template("", LOG_GROUP_B, "!Select [0, [a, !Ref B]]"),
        &opts(None),
        &Offline,
    );
    assert_eq!(v_of(&d), Some(s("a")));
}

// ---------------------------------------------------------------- Fn::Split

#[test]
fn split_keeps_empty_items() {
    assert_eq!(
        eval("", "!Split [',', 'a,b,,c']"),
        list(&["a", "b", "", "c"])
    );
    assert_eq!(eval("", "!Split ['::', 'a::b']"), list(&["a", "b"]));
    assert_eq!(eval("", "!Split [',', '']"), list(&[""]));
    assert_eq!(eval("", "!Split [',', abc]"), list(&["abc"]));
}

#[test]
fn split_of_an_unknown_string_is_unknown_and_empty_separator_is_an_error() {
    assert_eq!(pseudo(None, "!Split ['-', !Ref AWS::Region]"), derived());
    eval_err(
        "",
        "!Split ['', abc]",
        "Fn::Split separator must not be empty",
    );
}

// ---------------------------------------------------------------- Fn::FindInMap

const MAPPINGS: &str = "Mappings:\n  Net:\n    us-east-1:\n      Cidr: 10.0.0.0/16\n      Zones: [a, b]\n    eu-west-1:\n      Cidr: 10.1.0.0/16\n";

#[test]
fn find_in_map_hit() {
    assert_eq!(
        eval(MAPPINGS, "!FindInMap [Net, !Ref 'AWS::Region', Cidr]"),
        s("10.0.0.0/16")
    );
    assert_eq!(
        eval(MAPPINGS, "!FindInMap [Net, eu-west-1, Cidr]"),
        s("10.1.0.0/16")
    );
    assert_eq!(
        eval(MAPPINGS, "!FindInMap [Net, us-east-1, Zones]"),
        list(&["a", "b"])
    );
}

#[test]
fn find_in_map_miss_is_an_error_at_the_missing_key() {
    let e = eval_err(
        MAPPINGS,
        "!FindInMap [Net, ap-south-1, Cidr]",
        "Fn::FindInMap: key [ap-south-1, Cidr] not found in mapping `Net`",
    );
    let d = has_error(&e, "not found");
    assert_eq!(d.span.map(|s| (s.line, s.col)), Some((14, 29)));
    eval_err(
        MAPPINGS,
        "!FindInMap [Net, eu-west-1, Zones]",
        "key [eu-west-1, Zones] not found in mapping `Net`",
    );
    eval_err(
        MAPPINGS,
        "!FindInMap [Nets, eu-west-1, Zones]",
        "Fn::FindInMap: mapping `Nets` is not declared in Mappings (did you mean `Net`?)",
    );
}

#[test]
fn find_in_map_default_value() {
    let v = eval(
        MAPPINGS,
        "!FindInMap [Net, ap-south-1, Cidr, {DefaultValue: 10.9.0.0/16}]",
    );
    assert_eq!(v, s("10.9.0.0/16"));
    // The default is not used on a hit.
    let v = eval(
        MAPPINGS,
        "!FindInMap [Net, eu-west-1, Cidr, {DefaultValue: unused}]",
    );
    assert_eq!(v, s("10.1.0.0/16"));
}

#[test]
fn find_in_map_with_an_unknown_key_is_unknown() {
    let v = eval_with(
        MAPPINGS,
        "",
        "!FindInMap [Net, !Ref 'AWS::Region', Cidr]",
        &opts(None),
        &Offline,
    );
    assert_eq!(v, derived());
}

// ---------------------------------------------------------------- Fn::GetAZs

#[test]
fn get_azs_is_unknown_offline() {
    assert_eq!(eval("", "!GetAZs ''"), lookup("availability zones"));
    assert_eq!(
        pseudo(None, "!GetAZs {Ref: AWS::Region}"),
        lookup("availability zones")
    );
}

#[test]
fn get_azs_known_through_lookups() {
    let mut f = Fake::default();
    f.zones.insert(
        "us-east-1".into(),
        vec!["us-east-1a".into(), "us-east-1b".into()],
    );
    f.zones
        .insert("eu-west-1".into(), vec!["eu-west-1c".into()]);
    let o = opts(Some("us-east-1"));
    assert_eq!(
        eval_with("", "", "!GetAZs ''", &o, &f),
        list(&["us-east-1a", "us-east-1b"])
    );
    assert_eq!(
        eval_with("", "", "!GetAZs {Ref: 'AWS::Region'}", &o, &f),
        list(&["us-east-1a", "us-east-1b"])
    );
    assert_eq!(
        eval_with("", "", "!GetAZs eu-west-1", &o, &f),
        list(&["eu-west-1c"])
    );
    assert_eq!(
        eval_with("", "", "!Select [1, !GetAZs '']", &o, &f),
        s("us-east-1b")
    );
    // Without a region, `''` cannot be answered.
    assert_eq!(
        eval_with("", "", "!GetAZs ''", &opts(None), &f),
        lookup("availability zones")
    );
}

#[test]
fn get_azs_of_a_list_is_an_error() {
    eval_err(
        "",
        "!GetAZs [a]",
        "Fn::GetAZs expects the region to be a string, got a list",
    );
}

// ---------------------------------------------------------------- Fn::Base64

#[test]
fn base64_encodes_exactly() {
    assert_eq!(eval("", "!Base64 'hello world'"), s("aGVsbG8gd29ybGQ="));
    assert_eq!(eval("", "!Base64 ''"), s(""));
    assert_eq!(eval("", "!Base64 'ab'"), s("YWI="));
    assert_eq!(eval("", "!Base64 'é'"), s("w6k="));
    assert_eq!(
        eval(
            "",
            "!Base64 {'Fn::Sub': \"#!/bin/bash\\necho ${AWS::Region}\\n\"}"
        ),
        s("IyEvYmluL2Jhc2gKZWNobyB1cy1lYXN0LTEK")
    );
}

#[test]
fn base64_of_unknown_is_unknown_and_of_a_list_an_error() {
    assert_eq!(pseudo(None, "!Base64 {Ref: AWS::Region}"), derived());
    eval_err(
        "",
        "!Base64 [a]",
        "Fn::Base64 expects the string to be a string, got a list",
    );
}

// ---------------------------------------------------------------- Fn::Cidr

#[test]
fn cidr_gives_exact_subnets() {
    assert_eq!(
        eval("", "!Cidr ['10.0.0.0/16', 4, 12]"),
        list(&[
            "10.0.0.0/20",
            "10.0.16.0/20",
            "10.0.32.0/20",
            "10.0.48.0/20"
        ])
    );
    assert_eq!(
        eval("", "!Cidr ['192.168.1.0/24', '2', '6']"),
        list(&["192.168.1.0/26", "192.168.1.64/26"])
    );
    // A host address inside the block is masked to the block.
    assert_eq!(
        eval("", "!Cidr ['10.0.5.7/16', 2, 8]"),
        list(&["10.0.0.0/24", "10.0.1.0/24"])
    );
    assert_eq!(
        eval("", "!Select [1, !Cidr ['2001:db8::/56', 3, 64]]"),
        s("2001:db8:0:1::/64")
    );
}

#[test]
fn cidr_errors() {
    eval_err(
        "",
        "!Cidr ['10.0.0.0/24', 3, 8]",
        "Fn::Cidr: a /24 block holds only 1 subnets of /24, 3 requested",
    );
    eval_err(
        "",
        "!Cidr ['10.0.0.0', 1, 4]",
        "Fn::Cidr: `10.0.0.0` is not a CIDR block",
    );
    eval_err(
        "",
        "!Cidr ['10.0.0.0/16', 0, 4]",
        "Fn::Cidr: count must be between 1 and 256, got 0",
    );
    eval_err(
        "",
        "!Cidr ['10.0.0.0/16', x, 4]",
        "Fn::Cidr expects the count to be a whole number, got `x`",
    );
}

#[test]
fn cidr_count_and_bits_out_of_range_do_not_wrap() {
    // 2^32 + 1 must not wrap around to a count of 1, nor -1 to a huge one.
    eval_err(
        "",
        "!Cidr ['10.0.0.0/16', 4294967297, 8]",
        "Fn::Cidr: count must be between 1 and 256",
    );
    eval_err(
        "",
        "!Cidr ['10.0.0.0/16', -1, 8]",
        "Fn::Cidr: count must be between 1 and 256",
    );
    eval_err(
        "",
        "!Cidr ['10.0.0.0/16', 1, 4294967304]",
        "Fn::Cidr: cidrBits",
    );
}

#[test]
fn cidr_with_all_bits_as_host_bits_does_not_panic() {
    // cidrBits counts host bits: 128 of them leave a /0, the whole space, once.
    assert_eq!(eval("", "!Cidr ['::/0', 1, 128]"), list(&["::/0"]));
    assert_eq!(eval("", "!Cidr ['0.0.0.0/0', 1, 32]"), list(&["0.0.0.0/0"]));
    assert_eq!(
        eval("", "!Cidr ['10.0.0.0/8', 1, 24]"),
        list(&["10.0.0.0/8"])
    );
}

#[test]
fn cidr_with_an_unknown_block_is_unknown() {
    let t = value_template(
        "",
        "  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.0.0.0/16\n",
        "!Cidr [!GetAtt Vpc.CidrBlock, 2, 8]",
    );
    let d = ok(&t, &opts(None), &Offline);
    assert_eq!(v_of(&d), Some(derived()));
    assert_eq!(deps(&d, "R"), vec![("Vpc".to_string(), "getatt")]);
}

// ---------------------------------------------------------------- conditions

const CONDITIONS: &str = "Parameters:
  Env:
    Type: String
    Default: prod
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
  Both: !And [!Condition IsProd, !Equals [a, a]]
  Either: !Or [!Condition IsDev, !Equals [1, '1']]
  Neither: !Or [!Condition IsDev, !Equals [a, b]]
  InRegion: !Equals [!Ref 'AWS::Region', us-east-1]
  RegionAndDev: !And [!Condition InRegion, !Condition IsDev]
  RegionOrProd: !Or [!Condition InRegion, !Condition IsProd]
  RegionAndProd: !And [!Condition InRegion, !Condition IsProd]
";

#[test]
fn if_with_true_and_false_conditions() {
    let v = eval(
        CONDITIONS,
        "[!If [IsProd, p, d], !If [IsDev, p, d], !If [Both, y, n], !If [Either, y, n], !If [Neither, y, n], !If [InRegion, y, n]]",
    );
    assert_eq!(v, list(&["p", "d", "y", "y", "n", "y"]));
}

#[test]
fn conditions_follow_the_parameter_value() {
    let mut o = with_params(&[("Env", "dev")]);
    o.pseudo.region = Some("eu-west-1".into());
    let v = eval_with(
        CONDITIONS,
        "",
        "[!If [IsProd, p, d], !If [IsDev, p, d], !If [InRegion, y, n]]",
        &o,
        &Offline,
    );
    assert_eq!(v, list(&["d", "p", "n"]));
}

#[test]
fn if_with_an_unknown_condition_is_unknown_unless_both_branches_agree() {
    let o = opts(None);
    let v = eval_with(
        CONDITIONS,
        "",
        "[!If [InRegion, a, b], !If [InRegion, same, same], !If [RegionAndDev, y, n], !If [RegionOrProd, y, n], !If [RegionAndProd, y, n]]",
        &o,
        &Offline,
    );
    assert_eq!(
        v,
        Value::List(vec![derived(), s("same"), s("n"), s("y"), derived()])
    );
}

#[test]
fn if_with_an_unknown_condition_depends_on_both_branches() {
    let t = value_template(
        CONDITIONS,
        "  B:\n    Type: AWS::Logs::LogGroup\n  C:\n    Type: AWS::Logs::LogGroup\n",
        "!If [InRegion, !Ref B, !GetAtt C.Arn]",
    );
    let d = ok(&t, &opts(None), &Offline);
    assert_eq!(v_of(&d), Some(derived()));
    assert_eq!(
        deps(&d, "R"),
        vec![("B".to_string(), "ref"), ("C".to_string(), "getatt")]
    );
    // With a known condition only the branch taken is read.
    let d = ok(&t, &opts(Some("us-east-1")), &Offline);
    assert_eq!(v_of(&d), Some(unknown_ref("B")));
    assert_eq!(deps(&d, "R"), vec![("B".to_string(), "ref")]);
}

#[test]
fn if_false_with_no_value_removes_the_property() {
    let t = format!(
        "{CONDITIONS}Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {{}}\n      Description: !If [IsDev, dev, !Ref 'AWS::NoValue']\n      Path: !If [IsProd, /prod/, !Ref 'AWS::NoValue']\n"
    );
    let d = ok(&t, &opts(Some("us-east-1")), &Offline);
    let Value::Map(m) = &d.resource("R").expect("R").properties else {
        panic!()
    };
    assert!(!m.contains_key("Description"));
    assert_eq!(m.get("Path"), Some(&s("/prod/")));
}

#[test]
fn resource_conditions_remove_or_mark_resources() {
    let t = format!(
        "{CONDITIONS}Resources:\n  Prod:\n    Type: AWS::Logs::LogGroup\n    Condition: IsProd\n  Dev:\n    Type: AWS::Logs::LogGroup\n    Condition: IsDev\n  Maybe:\n    Type: AWS::Logs::LogGroup\n    Condition: InRegion\n"
    );
    let d = ok(&t, &opts(None), &Offline);
    assert!(d.resource("Dev").is_none());
    assert!(!d.resource("Prod").expect("Prod").condition_unknown);
    assert!(d.resource("Maybe").expect("Maybe").condition_unknown);
}

#[test]
fn condition_errors() {
    let e = err(
        "Conditions:\n  A: !Condition B\n  B: !Not [!Condition A]\nResources:\n  R:\n    Type: AWS::Logs::LogGroup\n    Condition: A\n",
        &opts(None),
        &Offline,
    );
    has_error(&e, "refers to itself (a cycle of conditions)");
    let e = err(
        "Parameters:\n  P:\n    Type: String\n    Default: x\nConditions:\n  C: !Ref P\nResources:\n  R:\n    Type: AWS::Logs::LogGroup\n    Condition: C\n",
        &opts(None),
        &Offline,
    );
    has_error(&e, "condition `C` must evaluate to a boolean");
    let e = err(
        "Conditions:\n  C: !Equals [!Ref L, x]\nResources:\n  L:\n    Type: AWS::Logs::LogGroup\n    Condition: C\n",
        &opts(None),
        &Offline,
    );
    has_error(
        &e,
        "conditions can only reference parameters and pseudo parameters, not resource `L`",
    );
    eval_err(
        CONDITIONS,
        "!If [IsProdd, a, b]",
        "unknown condition `IsProdd`: not declared in Conditions (did you mean `IsProd`?)",
    );
}

#[test]
fn equals_compares_scalars_as_text() {
    let head = "Conditions:\n  A: !Equals [1, '1']\n  B: !Equals [true, 'true']\n  C: !Equals [[a], [a]]\n  D: !Equals [a, A]\n";
    let v = eval(
        head,
        "[!If [A, y, n], !If [B, y, n], !If [C, y, n], !If [D, y, n]]",
    );
    assert_eq!(v, list(&["y", "y", "y", "n"]));
}

// ---------------------------------------------------------------- Fn::ImportValue

#[test]
fn import_value_unknown_offline_and_known_through_lookups() {
    assert_eq!(
        eval("", "!ImportValue shared-vpc"),
        lookup("export shared-vpc")
    );
    let mut f = Fake::default();
    f.exports.insert("demo-vpc".into(), s("vpc-123"));
    let v = eval_with(
        "",
        "",
        "!ImportValue {'Fn::Sub': '${AWS::StackName}-vpc'}",
        &opts(Some("us-east-1")),
        &f,
    );
    assert_eq!(v, s("vpc-123"));
    eval_err(
        "",
        "!ImportValue [a]",
        "Fn::ImportValue expects the export name to be a string, got a list",
    );
}

// ---------------------------------------------------------------- Fn::Length, Fn::ToJsonString

#[test]
fn length_of_lists() {
    assert_eq!(eval("", "!Length [a, b, c]"), Value::Number("3".into()));
    assert_eq!(eval("", "!Length []"), Value::Number("0".into()));
    let head = "Parameters:\n  L:\n    Type: CommaDelimitedList\n    Default: a,b\n";
    assert_eq!(eval(head, "!Length {Ref: L}"), Value::Number("2".into()));
    assert_eq!(eval("", "!Length {'Fn::GetAZs': ''}"), derived());
    eval_err("", "!Length abc", "Fn::Length expects a list, got a string");
}

#[test]
fn to_json_string_serialises_exactly() {
    assert_eq!(
        eval("", "!ToJsonString {b: 1, a: [x, true, null], c: {d: '2'}}"),
        s(r#"{"a":["x",true,null],"b":1,"c":{"d":"2"}}"#)
    );
    assert_eq!(eval("", "!ToJsonString [1.50, 'q\"']"), s(r#"[1.5,"q\""]"#));
    let d = ok(
        &value_template("", LOG_GROUP_B, "!ToJsonString {a: !Ref B}"),
        &opts(None),
        &Offline,
    );
    assert_eq!(v_of(&d), Some(derived()));
    assert_eq!(deps(&d, "R"), vec![("B".to_string(), "ref")]);
}

// ---------------------------------------------------------------- arity ("expects") through load

#[test]
fn every_intrinsic_reports_a_wrong_shape_with_expects() {
    let cases: &[(&str, &str)] = &[
        (
            "!Ref [a]",
            "Ref expects a name (a non-empty string), got a list",
        ),
        (
            "!GetAtt [a, b, c]",
            "Fn::GetAtt expects [Resource, Attribute] or \"Resource.Attribute\", got a list of 3 item(s)",
        ),
        (
            "!GetAtt B",
            "Fn::GetAtt expects \"Resource.Attribute\", got `B` with no attribute",
        ),
        (
            "!Sub [a, {}, c]",
            "Fn::Sub expects a string or a list [string, {variables}], got a list of 3 item(s)",
        ),
        (
            "!Sub {a: b}",
            "Fn::Sub expects a string or a list [string, {variables}], got a mapping",
        ),
        (
            "!Join [',']",
            "Fn::Join expects a list of two items [separator, list], got a list of 1 item(s)",
        ),
        (
            "!Select [0]",
            "Fn::Select expects a list of two items [index, list], got a list of 1 item(s)",
        ),
        (
            "!Split abc",
            "Fn::Split expects a list of two items [separator, string], got a string",
        ),
        (
            "!FindInMap [M, a]",
            "Fn::FindInMap expects a list [MapName, TopLevelKey, SecondLevelKey]",
        ),
        (
            "!FindInMap [M, a, b, c]",
            "Fn::FindInMap expects its fourth item to be {DefaultValue: value}",
        ),
        (
            "!Cidr ['10.0.0.0/16', 2]",
            "Fn::Cidr expects a list of three items [ipBlock, count, cidrBits], got a list of 2 item(s)",
        ),
        (
            "!If [C, a]",
            "Fn::If expects a list of three items [condition, value_if_true, value_if_false], got a list of 2 item(s)",
        ),
        (
            "!Equals [a]",
            "Fn::Equals expects a list of two values to compare, got a list of 1 item(s)",
        ),
        (
            "!And [!Equals [a, a]]",
            "Fn::And expects a list of 2 to 10 conditions, got a list of 1 item(s)",
        ),
        (
            "!Or {a: b}",
            "Fn::Or expects a list of 2 to 10 conditions, got a mapping",
        ),
        (
            "!Not [!Equals [a, a], !Equals [a, a]]",
            "Fn::Not expects a list of one condition, got a list of 2 item(s)",
        ),
        (
            "!GetAZs [a]",
            "Fn::GetAZs expects the region to be a string, got a list",
        ),
        (
            "!Base64 {a: b}",
            "Fn::Base64 expects the string to be a string, got a mapping",
        ),
        (
            "!ImportValue [a]",
            "Fn::ImportValue expects the export name to be a string, got a list",
        ),
        ("!Length abc", "Fn::Length expects a list, got a string"),
    ];
    for (expr, message) in cases {
        let e = err(
            &value_template("", LOG_GROUP_B, expr),
            &opts(Some("us-east-1")),
            &Offline,
        );
        let d = has_error(&e, message);
        // Every one of them points into the line the intrinsic is written on.
        assert_eq!(d.span.map(|s| s.line), Some(7), "{expr}: {}", render(&e));
    }
}

// ---------------------------------------------------------------- outputs

#[test]
fn outputs_are_evaluated_with_their_dependencies_and_conditions() {
    let t = format!(
        "{CONDITIONS}Resources:\n  B:\n    Type: AWS::Logs::LogGroup\nOutputs:\n  Arn:\n    Value: !GetAtt B.Arn\n    Export:\n      Name: !Sub '${{AWS::StackName}}-arn'\n  Env:\n    Value: !Ref Env\n  DevOnly:\n    Condition: IsDev\n    Value: dev\n  ProdOnly:\n    Condition: IsProd\n    Value: prod\n"
    );
    let d = ok(&t, &opts(Some("us-east-1")), &Offline);
    let names: Vec<&str> = d.outputs.keys().map(String::as_str).collect();
    assert_eq!(names, vec!["Arn", "Env", "ProdOnly"]);
    let arn = &d.outputs["Arn"];
    assert_eq!(arn.value, unknown_attr("B", "Arn"));
    let targets: Vec<(&str, &str)> = arn
        .deps
        .iter()
        .map(|d| (d.target.as_str(), d.kind.as_str()))
        .collect();
    assert_eq!(targets, vec![("B", "getatt")]);
    assert_eq!(d.outputs["Env"].value, s("prod"));
    assert_eq!(d.outputs["ProdOnly"].value, s("prod"));
}
