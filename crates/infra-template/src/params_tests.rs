//! Parameter types and constraints, checked on declarations read from YAML.

use super::*;
use crate::source::FileId;
use crate::template::read_template;
use crate::yaml::{Format, parse};

/// The declaration `P` with the attributes in `body` (YAML, one attribute per line).
fn decl(body: &str) -> ParameterDecl {
    let body: String = body.lines().map(|l| format!("    {l}\n")).collect();
    let text = format!("Parameters:\n  P:\n{body}Resources:\n  X:\n    Type: T\n");
    let node = parse(FileId(0), &text, Format::Yaml).expect("yaml");
    let mut errors = Vec::new();
    let t = read_template(FileId(0), &node, &mut errors);
    assert!(errors.is_empty(), "{errors:?}");
    t.parameters.into_iter().next().expect("parameter P")
}

fn declaration_errors(body: &str) -> Vec<String> {
    let body: String = body.lines().map(|l| format!("    {l}\n")).collect();
    let text = format!("Parameters:\n  P:\n{body}Resources:\n  X:\n    Type: T\n");
    let node = parse(FileId(0), &text, Format::Yaml).expect("yaml");
    let mut errors = Vec::new();
    let _ = read_template(FileId(0), &node, &mut errors);
    errors.into_iter().map(|d| d.message).collect()
}

fn input(v: &str) -> ParamInput {
    ParamInput {
        value: Value::String(v.to_string()),
        span: None,
    }
}

fn resolve(d: &ParameterDecl, v: &str) -> Result<Value, String> {
    d.resolve(&input(v), d.name.span).map_err(|e| e.message)
}

fn s(x: &str) -> Value {
    Value::String(x.to_string())
}

fn list(items: &[&str]) -> Value {
    Value::List(items.iter().map(|i| s(i)).collect())
}

#[test]
fn types_parse() {
    assert_eq!(ParamType::parse("String"), Some(ParamType::String));
    assert_eq!(ParamType::parse("Number"), Some(ParamType::Number));
    assert_eq!(
        ParamType::parse("List<Number>"),
        Some(ParamType::NumberList)
    );
    assert_eq!(
        ParamType::parse("CommaDelimitedList"),
        Some(ParamType::CommaDelimitedList)
    );
    assert_eq!(
        ParamType::parse("List<String>"),
        Some(ParamType::CommaDelimitedList)
    );
    assert_eq!(ParamType::parse(" String "), Some(ParamType::String));
    assert_eq!(
        ParamType::parse("AWS::EC2::VPC::Id"),
        Some(ParamType::Aws("AWS::EC2::VPC::Id"))
    );
    assert_eq!(
        ParamType::parse("List<AWS::EC2::Subnet::Id>"),
        Some(ParamType::AwsList("AWS::EC2::Subnet::Id"))
    );
    assert_eq!(
        ParamType::parse("AWS::SSM::Parameter::Value<String>"),
        Some(ParamType::Ssm(Box::new(ParamType::String)))
    );
    assert_eq!(
        ParamType::parse("AWS::SSM::Parameter::Value<List<String>>"),
        Some(ParamType::Ssm(Box::new(ParamType::CommaDelimitedList)))
    );
    assert_eq!(
        ParamType::parse("AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>"),
        Some(ParamType::Ssm(Box::new(ParamType::Aws(
            "AWS::EC2::Image::Id"
        ))))
    );
    assert_eq!(
        ParamType::parse("AWS::SSM::Parameter::Value<List<AWS::EC2::Image::Id>>"),
        Some(ParamType::Ssm(Box::new(ParamType::AwsList(
            "AWS::EC2::Image::Id"
        ))))
    );
    for bad in [
        "string",
        "Strin",
        "List<Foo>",
        "List<Number",
        "AWS::EC2::Nope::Id",
        "AWS::SSM::Parameter::Value<Number>",
        "AWS::SSM::Parameter::Value<AWS::SSM::Parameter::Value<String>>",
        "",
    ] {
        assert_eq!(ParamType::parse(bad), None, "{bad}");
    }
}

#[test]
fn list_types_are_lists() {
    assert!(ParamType::NumberList.is_list());
    assert!(ParamType::CommaDelimitedList.is_list());
    assert!(ParamType::AwsList("AWS::EC2::Subnet::Id").is_list());
    assert!(ParamType::Ssm(Box::new(ParamType::CommaDelimitedList)).is_list());
    assert!(!ParamType::Ssm(Box::new(ParamType::String)).is_list());
    assert!(!ParamType::Number.is_list());
    assert!(!ParamType::Aws("AWS::EC2::VPC::Id").is_list());
}

#[test]
fn unknown_types_and_attributes_are_reported() {
    let e = declaration_errors("Type: Strng");
    assert_eq!(
        e,
        vec!["parameter `P` has an unknown type `Strng`".to_string()]
    );
    let e = declaration_errors("Type: String\nMinLenght: 3");
    assert_eq!(
        e,
        vec!["unknown parameter attribute `MinLenght` in `P`".to_string()]
    );
    let e = declaration_errors("Type: String\nMinLength: many");
    assert_eq!(
        e,
        vec!["parameter `P`: MinLength must be a number".to_string()]
    );
    let e = declaration_errors("Type: String\nAllowedPattern: '[a-'");
    assert!(
        e[0].starts_with("parameter `P`: AllowedPattern is not a valid regular expression"),
        "{e:?}"
    );
    let e = declaration_errors("Default: x");
    assert_eq!(e, vec!["parameter `P` has no Type".to_string()]);
}

#[test]
fn string_values_are_returned_as_given() {
    let d = decl("Type: String");
    assert_eq!(resolve(&d, " a b "), Ok(s(" a b ")));
    assert_eq!(resolve(&d, ""), Ok(s("")));
}

#[test]
fn numbers_are_checked_and_returned_as_strings() {
    let d = decl("Type: Number");
    assert_eq!(resolve(&d, "42"), Ok(s("42")));
    assert_eq!(resolve(&d, "-1.5"), Ok(s("-1.5")));
    assert_eq!(
        resolve(&d, "4x"),
        Err("value \"4x\" of parameter `P` is not a number".into())
    );
    assert_eq!(
        resolve(&d, ""),
        Err("value \"\" of parameter `P` is not a number".into())
    );
}

#[test]
fn nan_and_infinity_are_not_numbers() {
    let d = decl("Type: Number\nMinValue: 1\nMaxValue: 5");
    for v in ["NaN", "nan", "inf", "-infinity", "1e999"] {
        let e = resolve(&d, v).expect_err(v);
        assert!(e.contains("is not a number"), "{v}: {e}");
    }
}

#[test]
fn number_lists_check_every_item() {
    let d = decl("Type: List<Number>");
    assert_eq!(resolve(&d, "1, 2,3"), Ok(list(&["1", "2", "3"])));
    assert_eq!(
        resolve(&d, "1,x"),
        Err("value \"x\" of parameter `P` is not a number".into())
    );
    assert_eq!(resolve(&d, ""), Ok(Value::List(Vec::new())));
}

#[test]
fn comma_delimited_lists_split_and_trim() {
    let d = decl("Type: CommaDelimitedList");
    assert_eq!(resolve(&d, "a, b ,c"), Ok(list(&["a", "b", "c"])));
    assert_eq!(resolve(&d, "a,,b"), Ok(list(&["a", "", "b"])));
    assert_eq!(resolve(&d, "  "), Ok(Value::List(Vec::new())));
    // A list from a parent stack is checked item by item too.
    let from_parent = ParamInput {
        value: list(&["x", "y"]),
        span: None,
    };
    assert_eq!(d.resolve(&from_parent, d.name.span), Ok(list(&["x", "y"])));
}

#[test]
fn aws_id_types_check_the_prefix() {
    let cases = [
        ("AWS::EC2::VPC::Id", "vpc-0abc", "vpc-"),
        ("AWS::EC2::Subnet::Id", "subnet-1", "subnet-"),
        ("AWS::EC2::SecurityGroup::Id", "sg-1", "sg-"),
        ("AWS::EC2::Image::Id", "ami-1", "ami-"),
        ("AWS::EC2::Instance::Id", "i-1", "i-"),
        ("AWS::EC2::Volume::Id", "vol-1", "vol-"),
    ];
    for (ty, good, prefix) in cases {
        let d = decl(&format!("Type: {ty}"));
        assert_eq!(resolve(&d, good), Ok(s(good)), "{ty}");
        assert_eq!(
            resolve(&d, "x-1"),
            Err(format!(
                "value \"x-1\" of parameter `P` is not a valid {ty} (expected an id starting with `{prefix}`)"
            )),
            "{ty}"
        );
    }
    // Types without an id prefix accept any name.
    let d = decl("Type: AWS::EC2::KeyPair::KeyName");
    assert_eq!(resolve(&d, "my-key"), Ok(s("my-key")));
    let d = decl("Type: AWS::EC2::AvailabilityZone::Name");
    assert_eq!(resolve(&d, "us-east-1a"), Ok(s("us-east-1a")));
}

#[test]
fn aws_id_lists_check_every_item() {
    let d = decl("Type: List<AWS::EC2::Subnet::Id>");
    assert_eq!(
        resolve(&d, "subnet-1, subnet-2"),
        Ok(list(&["subnet-1", "subnet-2"]))
    );
    let e = resolve(&d, "subnet-1,sg-2").expect_err("sg- is not a subnet");
    assert!(
        e.starts_with("value \"sg-2\" of parameter `P` is not a valid AWS::EC2::Subnet::Id"),
        "{e}"
    );
}

#[test]
fn ssm_parameters_resolve_to_a_lookup_of_the_name() {
    let d = decl("Type: AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>");
    // The value is the SSM name, not an AMI id: no prefix check.
    assert_eq!(
        resolve(
            &d,
            "/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id"
        ),
        Ok(Value::Unknown(Unknown::Lookup(
            "SSM parameter /aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id"
                .into()
        )))
    );
    let d = decl("Type: AWS::SSM::Parameter::Value<List<String>>");
    assert_eq!(
        resolve(&d, "/x/y"),
        Ok(Value::Unknown(Unknown::Lookup("SSM parameter /x/y".into())))
    );
}

#[test]
fn defaults_become_inputs() {
    let d = decl("Type: String\nDefault: abc");
    assert_eq!(d.default_input().map(|i| i.value), Some(s("abc")));
    let d = decl("Type: Number\nDefault: 5");
    assert_eq!(d.default_input().map(|i| i.value), Some(s("5")));
    let d = decl("Type: CommaDelimitedList\nDefault: [a, b]");
    assert_eq!(d.default_input().map(|i| i.value), Some(list(&["a", "b"])));
    let d = decl("Type: String\nDefault:");
    assert_eq!(d.default_input().map(|i| i.value), Some(s("")));
    let d = decl("Type: String\nDefault: true");
    assert_eq!(d.default_input().map(|i| i.value), Some(s("true")));
    let d = decl("Type: String");
    assert!(d.default_input().is_none());
    // The default's span is where it is written.
    let d = decl("Type: String\nDefault: abc");
    assert_eq!(
        d.default_input()
            .and_then(|i| i.span)
            .map(|s| (s.line, s.col)),
        Some((4, 14))
    );
}

#[test]
fn allowed_values() {
    let d = decl("Type: String\nAllowedValues: [dev, prod, 3]");
    assert_eq!(resolve(&d, "prod"), Ok(s("prod")));
    assert_eq!(resolve(&d, "3"), Ok(s("3")));
    assert_eq!(
        resolve(&d, "Prod"),
        Err(
            "value \"Prod\" of parameter `P` is not one of the allowed values: dev, prod, 3".into()
        )
    );
    let d = decl("Type: CommaDelimitedList\nAllowedValues: [a, b]");
    assert_eq!(resolve(&d, "a,b,a"), Ok(list(&["a", "b", "a"])));
    assert!(resolve(&d, "a,c").is_err());
    let many: Vec<String> = (0..20).map(|i| format!("v{i}")).collect();
    let d = decl(&format!(
        "Type: String\nAllowedValues: [{}]",
        many.join(", ")
    ));
    let e = resolve(&d, "x").expect_err("not allowed");
    assert!(
        e.ends_with("v0, v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11, ... (20 values)"),
        "{e}"
    );
}

#[test]
fn allowed_pattern_matches_the_whole_value() {
    let d = decl("Type: String\nAllowedPattern: '[a-z]+'");
    assert_eq!(resolve(&d, "abc"), Ok(s("abc")));
    assert_eq!(
        resolve(&d, "abc1"),
        Err(
            "value \"abc1\" of parameter `P` does not match pattern AllowedPattern `[a-z]+`".into()
        )
    );
    assert!(resolve(&d, "1abc").is_err());
    // An alternation is anchored as a whole, not just its first and last branch.
    let d = decl("Type: String\nAllowedPattern: 'a|b'");
    assert_eq!(resolve(&d, "a"), Ok(s("a")));
    assert!(resolve(&d, "ab").is_err());
    assert!(resolve(&d, "xb").is_err());
    assert!(resolve(&d, "ax").is_err());
}

#[test]
fn min_and_max_length_count_characters() {
    let d = decl("Type: String\nMinLength: 2\nMaxLength: 4");
    assert_eq!(resolve(&d, "ab"), Ok(s("ab")));
    assert_eq!(resolve(&d, "abcd"), Ok(s("abcd")));
    assert_eq!(resolve(&d, "éé"), Ok(s("éé")));
    assert_eq!(
        resolve(&d, "a"),
        Err("value \"a\" of parameter `P` is shorter than MinLength 2".into())
    );
    assert_eq!(
        resolve(&d, "abcde"),
        Err("value \"abcde\" of parameter `P` is longer than MaxLength 4".into())
    );
}

#[test]
fn min_and_max_value_are_inclusive() {
    let d = decl("Type: Number\nMinValue: 1\nMaxValue: 10.5");
    assert_eq!(resolve(&d, "1"), Ok(s("1")));
    assert_eq!(resolve(&d, "10.5"), Ok(s("10.5")));
    assert_eq!(
        resolve(&d, "0.99"),
        Err("value \"0.99\" of parameter `P` is less than MinValue 1".into())
    );
    assert_eq!(
        resolve(&d, "11"),
        Err("value \"11\" of parameter `P` is greater than MaxValue 10.5".into())
    );
    let d = decl("Type: List<Number>\nMaxValue: 3");
    assert!(resolve(&d, "1,2,3").is_ok());
    assert!(resolve(&d, "1,4").is_err());
}

#[test]
fn no_echo_values_never_appear_in_messages() {
    let secret = "hunter2secret";
    let cases = [
        "Type: String\nNoEcho: true\nAllowedValues: [a, b]",
        "Type: String\nNoEcho: true\nAllowedPattern: '[0-9]+'",
        "Type: String\nNoEcho: true\nMinLength: 50",
        "Type: String\nNoEcho: true\nMaxLength: 3",
        "Type: Number\nNoEcho: true",
        "Type: AWS::EC2::VPC::Id\nNoEcho: 'true'",
        "Type: CommaDelimitedList\nNoEcho: True\nAllowedValues: [a]",
    ];
    for body in cases {
        let d = decl(body);
        assert!(d.no_echo, "{body}");
        let e = resolve(&d, secret).expect_err(body);
        assert!(!e.contains(secret) && !e.contains("hunter2"), "{body}: {e}");
        assert!(e.contains("****"), "{body}: {e}");
    }
    let d = decl("Type: String\nNoEcho: false\nMaxLength: 3");
    assert!(!d.no_echo);
    assert!(resolve(&d, secret).expect_err("too long").contains(secret));
}

#[test]
fn constraint_description_is_a_note() {
    let d = decl(
        "Type: String\nAllowedPattern: '[a-z]+'\nConstraintDescription: lower-case letters only",
    );
    let e = d.resolve(&input("ABC"), d.name.span).expect_err("no match");
    assert_eq!(e.notes.len(), 1);
    assert_eq!(e.notes[0].message, "lower-case letters only");
    assert_eq!(e.notes[0].span.map(|s| s.line), Some(2));
}

#[test]
fn errors_point_at_the_value_when_it_has_a_place() {
    let d = decl("Type: Number");
    let span = Span {
        line: 40,
        col: 7,
        ..Span::default()
    };
    let given = ParamInput {
        value: s("x"),
        span: Some(span),
    };
    assert_eq!(
        d.resolve(&given, d.name.span).expect_err("nan").span,
        Some(span)
    );
    // Without one, the declaration's name.
    assert_eq!(
        d.resolve(&input("x"), d.name.span)
            .expect_err("nan")
            .span
            .map(|s| s.line),
        Some(2)
    );
}

#[test]
fn unknown_and_non_text_inputs() {
    let d = decl("Type: String\nAllowedValues: [a]");
    let unknown = ParamInput {
        value: Value::Unknown(Unknown::Derived),
        span: None,
    };
    // A value from a parent that is not known yet cannot be checked yet.
    assert_eq!(
        d.resolve(&unknown, d.name.span),
        Ok(Value::Unknown(Unknown::Derived))
    );
    let map = ParamInput {
        value: Value::Map(Default::default()),
        span: None,
    };
    assert_eq!(
        d.resolve(&map, d.name.span).map_err(|e| e.message),
        Err("parameter `P` expects a string value, got a mapping".into())
    );
    let l = ParamInput {
        value: list(&["a"]),
        span: None,
    };
    assert_eq!(
        d.resolve(&l, d.name.span).map_err(|e| e.message),
        Err("parameter `P` expects a string value, got a list".into())
    );
    // Numbers and booleans from a parent read as text.
    let n = ParamInput {
        value: Value::Number("7".into()),
        span: None,
    };
    assert_eq!(decl("Type: Number").resolve(&n, d.name.span), Ok(s("7")));
}
