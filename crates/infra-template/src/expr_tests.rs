//! The intrinsic AST: short and long forms, arity and shape errors with positions, `Fn::Sub`
//! strings, and where `Condition` is an intrinsic.

use super::*;
use crate::eval::Pseudo;
use crate::source::FileId;
use crate::yaml::{Format, parse};

/// The node under `v` of the YAML `v: <text>`.
fn node(text: &str) -> Node {
    let doc = parse(FileId(0), &format!("v: {text}\n"), Format::Yaml).expect("yaml");
    doc.get("v").expect("v").clone()
}

fn expr(text: &str) -> (Expr, Vec<Diagnostic>) {
    let mut errors = Vec::new();
    let e = parse_expr(&node(text), &mut errors);
    (e, errors)
}

fn ok(text: &str) -> Expr {
    let (e, errors) = expr(text);
    assert!(errors.is_empty(), "{text}: {errors:?}");
    e
}

/// The single error `text` produces: its message and (line, col).
fn one_error(text: &str) -> (String, (u32, u32)) {
    let (_, errors) = expr(text);
    assert_eq!(errors.len(), 1, "{text}: {errors:?}");
    let d = &errors[0];
    (
        d.message.clone(),
        d.span.map_or((0, 0), |s| (s.line, s.col)),
    )
}

/// The expression's Debug text without positions, to compare shapes.
fn shape(e: &Expr) -> String {
    let re = regex::Regex::new(r"span: Span \{[^}]*\}").expect("regex");
    re.replace_all(&format!("{e:?}"), "span: _").into_owned()
}

#[test]
fn short_forms_equal_long_forms() {
    let pairs = [
        ("!Ref X", "{Ref: X}"),
        ("!GetAtt A.B", "{'Fn::GetAtt': [A, B]}"),
        ("!GetAtt A.Outputs.X", "{'Fn::GetAtt': A.Outputs.X}"),
        ("!GetAtt [A, B]", "{'Fn::GetAtt': [A, B]}"),
        ("!Sub 'a-${X}'", "{'Fn::Sub': 'a-${X}'}"),
        ("!Sub ['${X}', {X: 1}]", "{'Fn::Sub': ['${X}', {X: 1}]}"),
        ("!Join [',', [a, b]]", "{'Fn::Join': [',', [a, b]]}"),
        ("!Select [0, [a]]", "{'Fn::Select': [0, [a]]}"),
        ("!Split [',', a]", "{'Fn::Split': [',', a]}"),
        ("!FindInMap [M, a, b]", "{'Fn::FindInMap': [M, a, b]}"),
        ("!GetAZs ''", "{'Fn::GetAZs': ''}"),
        ("!Base64 x", "{'Fn::Base64': x}"),
        ("!Cidr [a, 1, 2]", "{'Fn::Cidr': [a, 1, 2]}"),
        ("!If [C, a, b]", "{'Fn::If': [C, a, b]}"),
        ("!Equals [a, b]", "{'Fn::Equals': [a, b]}"),
        ("!ImportValue x", "{'Fn::ImportValue': x}"),
        ("!Length [a]", "{'Fn::Length': [a]}"),
        ("!ToJsonString {a: 1}", "{'Fn::ToJsonString': {a: 1}}"),
    ];
    for (short, long) in pairs {
        assert_eq!(shape(&ok(short)), shape(&ok(long)), "{short} vs {long}");
    }
}

#[test]
fn intrinsics_are_recognised() {
    assert!(matches!(ok("!Ref X").kind, ExprKind::Ref(Name { ref text, .. }) if text == "X"));
    match ok("!GetAtt A.Outputs.Vpc").kind {
        ExprKind::GetAtt {
            resource,
            attribute,
        } => {
            assert_eq!(resource.text, "A");
            assert_eq!(attribute.as_str(), Some("Outputs.Vpc"));
        }
        other => panic!("{other:?}"),
    }
    match ok("!GetAtt [A, !Ref Attr]").kind {
        ExprKind::GetAtt { attribute, .. } => assert!(matches!(attribute.kind, ExprKind::Ref(_))),
        other => panic!("{other:?}"),
    }
    match ok("!FindInMap [M, a, b, {DefaultValue: d}]").kind {
        ExprKind::FindInMap {
            default: Some(d), ..
        } => assert_eq!(d.as_str(), Some("d")),
        other => panic!("{other:?}"),
    }
    match ok("!Sub ['${X}-${Y}', {X: 1}]").kind {
        ExprKind::Sub { parts, vars } => {
            assert_eq!(parts.len(), 3);
            assert_eq!(vars.len(), 1);
            assert_eq!(vars[0].0.name, "X");
        }
        other => panic!("{other:?}"),
    }
    assert!(
        matches!(ok("!And [!Equals [a, b], !Condition C]").kind, ExprKind::And(ref i) if i.len() == 2)
    );
}

#[test]
fn an_intrinsics_span_is_its_tag_or_key() {
    let e = ok("!Ref X");
    assert_eq!((e.span.line, e.span.col), (1, 4));
    let e = ok("{Ref: X}");
    assert_eq!((e.span.line, e.span.col), (1, 5));
}

#[test]
fn a_mapping_with_more_keys_is_not_an_intrinsic() {
    assert!(matches!(ok("{Ref: X, Other: 1}").kind, ExprKind::Map(ref m) if m.len() == 2));
    assert!(matches!(ok("{Reference: X}").kind, ExprKind::Map(_)));
}

#[test]
fn condition_is_an_intrinsic_only_inside_conditions() {
    assert!(matches!(ok("{Condition: C}").kind, ExprKind::Map(_)));
    let mut errors = Vec::new();
    let c = parse_condition(&node("{Condition: C}"), &mut errors);
    assert!(errors.is_empty());
    assert!(matches!(c.kind, ExprKind::Condition(Name { ref text, .. }) if text == "C"));
    // Inside condition functions of a value, too.
    match ok("!Not [!Condition C]").kind {
        ExprKind::Not(inner) => assert!(matches!(inner.kind, ExprKind::Condition(_))),
        other => panic!("{other:?}"),
    }
    // But not inside Fn::Equals, whose arguments are values.
    match ok("!Equals [{Condition: C}, x]").kind {
        ExprKind::Equals(a, _) => assert!(matches!(a.kind, ExprKind::Map(_))),
        other => panic!("{other:?}"),
    }
}

#[test]
fn arity_errors_say_what_each_intrinsic_expects() {
    let cases: &[(&str, &str)] = &[
        (
            "!Ref [a]",
            "Ref expects a name (a non-empty string), got a list",
        ),
        (
            "!Ref ''",
            "Ref expects a name (a non-empty string), got a string",
        ),
        ("!Ref", "Ref expects a name (a non-empty string), got null"),
        (
            "!GetAtt [a, b, c]",
            "Fn::GetAtt expects [Resource, Attribute] or \"Resource.Attribute\", got a list of 3 item(s)",
        ),
        (
            "!GetAtt {a: b}",
            "Fn::GetAtt expects [Resource, Attribute] or \"Resource.Attribute\", got a mapping",
        ),
        (
            "!GetAtt A",
            "Fn::GetAtt expects \"Resource.Attribute\", got `A` with no attribute",
        ),
        (
            "!GetAtt A.",
            "Fn::GetAtt expects \"Resource.Attribute\", got `A` with no attribute",
        ),
        (
            "!GetAtt [[a], b]",
            "Fn::GetAtt expects a name (a non-empty string), got a list",
        ),
        (
            "!Sub [a, {}, c]",
            "Fn::Sub expects a string or a list [string, {variables}], got a list of 3 item(s)",
        ),
        (
            "!Sub",
            "Fn::Sub expects a string or a list [string, {variables}], got null",
        ),
        (
            "!Sub [[a], {}]",
            "Fn::Sub expects its first item to be a string, got a list",
        ),
        (
            "!Sub [a, b]",
            "Fn::Sub expects its second item to be a mapping of variables, got a string",
        ),
        (
            "!Join [',']",
            "Fn::Join expects a list of two items [separator, list], got a list of 1 item(s)",
        ),
        (
            "!Join abc",
            "Fn::Join expects a list of two items [separator, list], got a string",
        ),
        (
            "!Select [0, [a], 1]",
            "Fn::Select expects a list of two items [index, list], got a list of 3 item(s)",
        ),
        (
            "!Split [',']",
            "Fn::Split expects a list of two items [separator, string], got a list of 1 item(s)",
        ),
        (
            "!FindInMap [M, a]",
            "Fn::FindInMap expects a list [MapName, TopLevelKey, SecondLevelKey] (and optionally {DefaultValue: ...}), got a list of 2 item(s)",
        ),
        (
            "!FindInMap [M, a, b, c, d]",
            "Fn::FindInMap expects a list [MapName, TopLevelKey, SecondLevelKey] (and optionally {DefaultValue: ...}), got a list of 5 item(s)",
        ),
        (
            "!FindInMap [M, a, b, c]",
            "Fn::FindInMap expects its fourth item to be {DefaultValue: value}",
        ),
        (
            "!FindInMap [M, a, b, {Default: c}]",
            "Fn::FindInMap expects its fourth item to be {DefaultValue: value}",
        ),
        (
            "!Cidr [a, 1]",
            "Fn::Cidr expects a list of three items [ipBlock, count, cidrBits], got a list of 2 item(s)",
        ),
        (
            "!If [C, a]",
            "Fn::If expects a list of three items [condition, value_if_true, value_if_false], got a list of 2 item(s)",
        ),
        (
            "!If [[C], a, b]",
            "Fn::If expects a name (a non-empty string), got a list",
        ),
        (
            "!Equals [a]",
            "Fn::Equals expects a list of two values to compare, got a list of 1 item(s)",
        ),
        (
            "!Equals a",
            "Fn::Equals expects a list of two values to compare, got a string",
        ),
        (
            "!And [!Condition A]",
            "Fn::And expects a list of 2 to 10 conditions, got a list of 1 item(s)",
        ),
        (
            "!And [a, a, a, a, a, a, a, a, a, a, a]",
            "Fn::And expects a list of 2 to 10 conditions, got a list of 11 item(s)",
        ),
        (
            "!Or []",
            "Fn::Or expects a list of 2 to 10 conditions, got a list of 0 item(s)",
        ),
        (
            "!Not [a, b]",
            "Fn::Not expects a list of one condition, got a list of 2 item(s)",
        ),
        (
            "!Not a",
            "Fn::Not expects a list of one condition, got a string",
        ),
    ];
    for (text, message) in cases {
        let (m, _) = one_error(text);
        assert_eq!(&m, message, "{text}");
    }
}

#[test]
fn arity_errors_point_at_the_arguments() {
    // Short form: the tag (`v: !Join [',']`, column 4); long form: the argument list.
    assert_eq!(one_error("!Join [',']").1, (1, 4));
    assert_eq!(one_error("{'Fn::Join': [',']}").1, (1, 17));
    // An argument on a later line.
    let doc = parse(FileId(0), "v:\n  Fn::Select:\n    - 0\n", Format::Yaml).expect("yaml");
    let mut errors = Vec::new();
    let _ = parse_expr(doc.get("v").expect("v"), &mut errors);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].span.map(|s| (s.line, s.col)), Some((3, 5)));
}

#[test]
fn unknown_and_unsupported_functions_are_errors() {
    assert_eq!(
        one_error("{'Fn::Foo': x}").0,
        "unknown intrinsic function `Fn::Foo`"
    );
    assert!(
        one_error("{'Fn::Transform': {Name: X}}")
            .0
            .starts_with("Fn::Transform (template macros) is not supported")
    );
}

#[test]
fn every_problem_is_reported_in_one_pass() {
    let (_, errors) = expr("[!Join [a], !Select [1], {x: !Ref ''}, !Sub 'a${b']");
    let messages: Vec<&str> = errors.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(messages.len(), 4, "{messages:?}");
    assert!(messages[0].starts_with("Fn::Join expects"));
    assert!(messages[1].starts_with("Fn::Select expects"));
    assert!(messages[2].starts_with("Ref expects"));
    assert!(messages[3].starts_with("Fn::Sub string has an unclosed"));
}

fn sub_parts(s: &str) -> Vec<SubPart> {
    parse_sub_string(s, Span::default()).expect("valid sub string")
}

fn lit(s: &str) -> SubPart {
    SubPart::Literal(s.to_string())
}

fn var(s: &str) -> SubPart {
    SubPart::Var(Name {
        text: s.to_string(),
        span: Span::default(),
    })
}

#[test]
fn sub_strings_split_into_literals_and_variables() {
    assert_eq!(sub_parts("a-${X}-b"), vec![lit("a-"), var("X"), lit("-b")]);
    assert_eq!(sub_parts("${X}${Y}"), vec![var("X"), var("Y")]);
    assert_eq!(
        sub_parts("${R.Arn}/${AWS::Region}"),
        vec![var("R.Arn"), lit("/"), var("AWS::Region")]
    );
    assert_eq!(sub_parts("${ X }"), vec![var("X")]);
    assert_eq!(sub_parts("plain"), vec![lit("plain")]);
    assert_eq!(sub_parts(""), Vec::<SubPart>::new());
    assert_eq!(sub_parts("$X {Y} $ {"), vec![lit("$X {Y} $ {")]);
    assert_eq!(sub_parts("é${X}ü"), vec![lit("é"), var("X"), lit("ü")]);
}

#[test]
fn escaped_sub_variables_stay_literal() {
    assert_eq!(sub_parts("${!Literal}"), vec![lit("${Literal}")]);
    assert_eq!(sub_parts("a${!X}b${Y}"), vec![lit("a${X}b"), var("Y")]);
    assert_eq!(sub_parts("${!}"), vec![lit("${}")]);
}

#[test]
fn malformed_sub_strings_are_errors() {
    let e = parse_sub_string("abc ${Name", Span::default()).expect_err("unclosed");
    assert_eq!(
        e.message,
        "Fn::Sub string has an unclosed `${` in `abc ${Name`"
    );
    let e = parse_sub_string("${}", Span::default()).expect_err("empty");
    assert_eq!(e.message, "Fn::Sub string has an empty `${}`");
    let e = parse_sub_string("${  }", Span::default()).expect_err("blank");
    assert_eq!(e.message, "Fn::Sub string has an empty `${}`");
    // A long first line is abbreviated in the message.
    let long = format!("{}${{", "x".repeat(100));
    let e = parse_sub_string(&long, Span::default()).expect_err("unclosed");
    assert!(
        e.message.ends_with(&format!("`{}...`", "x".repeat(60))),
        "{}",
        e.message
    );
}

#[test]
fn sub_variables_carry_the_strings_span() {
    for (text, col) in [("!Sub 'x-${Y}'", 4), ("{'Fn::Sub': 'x-${Y}'}", 16)] {
        let e = ok(text);
        let ExprKind::Sub { parts, .. } = e.kind else {
            panic!("{text}")
        };
        let SubPart::Var(name) = &parts[1] else {
            panic!("{text}")
        };
        assert_eq!((name.span.line, name.span.col), (1, col), "{text}");
    }
}

#[test]
fn walk_visits_every_expression_in_pre_order() {
    let e = ok(
        "{a: !Join [',', [!Ref A, !GetAtt [B, !Ref C]]], b: !If [Cond, !Sub '${D}', !Select [0, !GetAZs '']]}",
    );
    let mut refs = Vec::new();
    let mut count = 0;
    e.walk(&mut |x| {
        count += 1;
        if let ExprKind::Ref(n) = &x.kind {
            refs.push(n.text.clone());
        }
    });
    assert_eq!(refs, vec!["A".to_string(), "C".to_string()]);
    // map, join, ',', list, ref A, getatt, ref C, if, sub, select, 0, getazs, ''
    assert_eq!(count, 13);
}

#[test]
fn pseudo_partition_and_url_suffix() {
    let p = |r: Option<&str>| Pseudo {
        region: r.map(str::to_string),
        ..Pseudo::default()
    };
    assert_eq!(p(Some("cn-north-1")).partition(), "aws-cn");
    assert_eq!(p(Some("cn-north-1")).url_suffix(), "amazonaws.com.cn");
    assert_eq!(p(Some("us-gov-west-1")).partition(), "aws-us-gov");
    assert_eq!(p(Some("us-gov-west-1")).url_suffix(), "amazonaws.com");
    assert_eq!(p(Some("eu-west-1")).partition(), "aws");
    assert_eq!(p(None).partition(), "aws");
    assert_eq!(p(None).url_suffix(), "amazonaws.com");
}
