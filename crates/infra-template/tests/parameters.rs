//! Parameter types and constraints through `load`: what `Ref` of each type returns, which values
//! are refused and how, NoEcho, SSM parameters and values flowing into nested stacks.

mod common;

use common::*;
use infra_template::{Offline, Unknown, Value};

fn param(decl: &str) -> String {
    let body: String = decl.lines().map(|l| format!("    {l}\n")).collect();
    format!("Parameters:\n  P:\n{body}")
}

/// `Ref P` with `P` declared by `decl` and given `value` (or its default when `None`).
fn ref_p(decl: &str, value: Option<&str>) -> Result<Value, String> {
    let o = match value {
        Some(v) => with_params(&[("P", v)]),
        None => with_params(&[]),
    };
    match load_text(&value_template(&param(decl), "", "!Ref P"), &o, &Offline) {
        Ok(d) => Ok(v_of(&d).expect("V")),
        Err(e) => Err(render(&e)),
    }
}

fn ref_p_err(decl: &str, value: &str, needle: &str) -> String {
    let e = ref_p(decl, Some(value)).expect_err("the value must be refused");
    assert!(e.contains(needle), "expected {needle:?} in:\n{e}");
    e
}

#[test]
fn string_parameters() {
    assert_eq!(
        ref_p("Type: String", Some("hello world")),
        Ok(s("hello world"))
    );
    assert_eq!(ref_p("Type: String\nDefault: dflt", None), Ok(s("dflt")));
    assert_eq!(
        ref_p("Type: String\nDefault: dflt", Some("given")),
        Ok(s("given"))
    );
}

#[test]
fn number_parameters_ref_as_strings() {
    assert_eq!(ref_p("Type: Number", Some("8080")), Ok(s("8080")));
    assert_eq!(ref_p("Type: Number\nDefault: 80", None), Ok(s("80")));
    assert_eq!(ref_p("Type: Number\nDefault: 1.50", None), Ok(s("1.50")));
    let e = ref_p_err(
        "Type: Number",
        "eighty",
        "value \"eighty\" of parameter `P` is not a number",
    );
    // Given on the command line, the error points at the declaration.
    assert!(e.contains("template.yaml:2:3:"), "{e}");
}

#[test]
fn number_list_parameters() {
    assert_eq!(
        ref_p("Type: List<Number>", Some("1,2, 3")),
        Ok(list(&["1", "2", "3"]))
    );
    assert_eq!(
        ref_p("Type: List<Number>\nDefault: '10,20'", None),
        Ok(list(&["10", "20"]))
    );
    ref_p_err(
        "Type: List<Number>",
        "1,two",
        "value \"two\" of parameter `P` is not a number",
    );
}

#[test]
fn comma_delimited_lists_are_split_and_trimmed() {
    assert_eq!(
        ref_p("Type: CommaDelimitedList", Some(" a , b,c ")),
        Ok(list(&["a", "b", "c"]))
    );
    assert_eq!(
        ref_p("Type: CommaDelimitedList\nDefault: 'x, y'", None),
        Ok(list(&["x", "y"]))
    );
    assert_eq!(
        ref_p("Type: CommaDelimitedList\nDefault: [x, y]", None),
        Ok(list(&["x", "y"]))
    );
    assert_eq!(
        ref_p("Type: CommaDelimitedList", Some("")),
        Ok(Value::List(Vec::new()))
    );
}

#[test]
fn aws_id_parameters_check_their_prefix() {
    assert_eq!(
        ref_p("Type: AWS::EC2::VPC::Id", Some("vpc-0123")),
        Ok(s("vpc-0123"))
    );
    ref_p_err(
        "Type: AWS::EC2::VPC::Id",
        "subnet-1",
        "value \"subnet-1\" of parameter `P` is not a valid AWS::EC2::VPC::Id (expected an id starting with `vpc-`)",
    );
    assert_eq!(
        ref_p("Type: AWS::EC2::SecurityGroup::Id", Some("sg-9")),
        Ok(s("sg-9"))
    );
    ref_p_err(
        "Type: AWS::EC2::SecurityGroup::Id",
        "9",
        "expected an id starting with `sg-`",
    );
}

#[test]
fn aws_id_list_parameters() {
    assert_eq!(
        ref_p(
            "Type: List<AWS::EC2::Subnet::Id>",
            Some("subnet-a,subnet-b")
        ),
        Ok(list(&["subnet-a", "subnet-b"]))
    );
    ref_p_err(
        "Type: List<AWS::EC2::Subnet::Id>",
        "subnet-a,vpc-b",
        "value \"vpc-b\" of parameter `P`",
    );
}

#[test]
fn ssm_parameters_are_unknown_offline() {
    let v = ref_p(
        "Type: AWS::SSM::Parameter::Value<String>\nDefault: /config/name",
        None,
    );
    assert_eq!(
        v,
        Ok(Value::Unknown(Unknown::Lookup(
            "SSM parameter /config/name".into()
        )))
    );
}

#[test]
fn ssm_parameters_resolve_through_lookups() {
    let mut f = Fake::default();
    f.ssm.insert("/ami/latest".into(), s("ami-0123"));
    f.ssm
        .insert("/subnets".into(), s("subnet-1, subnet-2,subnet-3"));
    let head = "Parameters:\n  Ami:\n    Type: AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>\n    Default: /ami/latest\n  Subnets:\n    Type: AWS::SSM::Parameter::Value<List<AWS::EC2::Subnet::Id>>\n  Missing:\n    Type: AWS::SSM::Parameter::Value<String>\n    Default: /not/there\n";
    let o = with_params(&[("Subnets", "/subnets")]);
    let v = eval_with(head, "", "[!Ref Ami, !Ref Subnets, !Ref Missing]", &o, &f);
    assert_eq!(
        v,
        Value::List(vec![
            s("ami-0123"),
            list(&["subnet-1", "subnet-2", "subnet-3"]),
            Value::Unknown(Unknown::Lookup("SSM parameter /not/there".into())),
        ])
    );
}

#[test]
fn allowed_values_through_load() {
    let decl = "Type: String\nAllowedValues: [dev, prod]\nDefault: dev";
    assert_eq!(ref_p(decl, None), Ok(s("dev")));
    assert_eq!(ref_p(decl, Some("prod")), Ok(s("prod")));
    ref_p_err(
        decl,
        "test",
        "value \"test\" of parameter `P` is not one of the allowed values: dev, prod",
    );
}

#[test]
fn a_default_outside_the_constraints_is_refused_at_the_default() {
    let e = ref_p(
        "Type: String\nAllowedValues: [dev, prod]\nDefault: qa",
        None,
    )
    .expect_err("bad default");
    assert!(
        e.contains(
            "template.yaml:5:14: value \"qa\" of parameter `P` is not one of the allowed values"
        ),
        "{e}"
    );
}

#[test]
fn allowed_pattern_matches_whole_values() {
    let decl = "Type: String\nAllowedPattern: '[a-z][a-z0-9-]*'\nConstraintDescription: must start with a letter";
    assert_eq!(ref_p(decl, Some("web-1")), Ok(s("web-1")));
    let e = ref_p_err(
        decl,
        "1web",
        "does not match pattern AllowedPattern `[a-z][a-z0-9-]*`",
    );
    assert!(e.contains("note: must start with a letter"), "{e}");
    ref_p_err(decl, "web_1", "does not match pattern");
    ref_p_err(decl, "web-1\n", "does not match pattern");
}

#[test]
fn min_and_max_length() {
    let decl = "Type: String\nMinLength: 3\nMaxLength: 5";
    assert_eq!(ref_p(decl, Some("abc")), Ok(s("abc")));
    assert_eq!(ref_p(decl, Some("abcde")), Ok(s("abcde")));
    ref_p_err(decl, "ab", "is shorter than MinLength 3");
    ref_p_err(decl, "abcdef", "is longer than MaxLength 5");
}

#[test]
fn min_and_max_value() {
    let decl = "Type: Number\nMinValue: 1\nMaxValue: 65535";
    assert_eq!(ref_p(decl, Some("1")), Ok(s("1")));
    assert_eq!(ref_p(decl, Some("65535")), Ok(s("65535")));
    ref_p_err(
        decl,
        "0",
        "value \"0\" of parameter `P` is less than MinValue 1",
    );
    ref_p_err(
        decl,
        "65536",
        "value \"65536\" of parameter `P` is greater than MaxValue 65535",
    );
}

#[test]
fn no_echo_values_are_secrets_and_never_shown_in_errors() {
    let head = "Parameters:\n  Password:\n    Type: String\n    NoEcho: true\n    MinLength: 12\n  Token:\n    Type: String\n    NoEcho: true\n    Default: default-token-value\n  Plain:\n    Type: String\n    Default: plain-value\n";
    let t = value_template(head, "", "!Sub '${Password}/${Token}/${Plain}'");
    let d = ok(
        &t,
        &with_params(&[("Password", "correct-horse-battery")]),
        &Offline,
    );
    assert_eq!(
        v_of(&d),
        Some(s("correct-horse-battery/default-token-value/plain-value"))
    );
    let mut secrets = d.secrets.clone();
    secrets.sort();
    assert_eq!(
        secrets,
        vec![
            "correct-horse-battery".to_string(),
            "default-token-value".to_string()
        ]
    );
    let root = &d.stacks[0];
    let flags: Vec<(&str, bool)> = root
        .parameters
        .iter()
        .map(|(n, _, e)| (n.as_str(), *e))
        .collect();
    assert_eq!(
        flags,
        vec![("Password", true), ("Token", true), ("Plain", false)]
    );

    let e = err(&t, &with_params(&[("Password", "short-pw")]), &Offline);
    let text = render(&e);
    assert!(
        text.contains("value **** of parameter `Password` is shorter than MinLength 12"),
        "{text}"
    );
    assert!(!text.contains("short-pw"), "{text}");
}

#[test]
fn no_echo_list_items_are_secrets() {
    let head = "Parameters:\n  Keys:\n    Type: CommaDelimitedList\n    NoEcho: true\n";
    let t = value_template(head, "", "!Join ['', !Ref Keys]");
    let d = ok(
        &t,
        &with_params(&[("Keys", "alpha-key,beta-key")]),
        &Offline,
    );
    assert!(
        d.secrets.contains(&"alpha-key".to_string()),
        "{:?}",
        d.secrets
    );
    assert!(
        d.secrets.contains(&"beta-key".to_string()),
        "{:?}",
        d.secrets
    );
}

#[test]
fn no_echo_values_do_not_leak_through_intrinsic_errors() {
    let head = "Parameters:\n  Secret:\n    Type: String\n    NoEcho: true\nMappings:\n  M:\n    a:\n      b: c\n";
    for expr in [
        "!Select [!Ref Secret, [a]]",
        "!FindInMap [M, !Ref Secret, b]",
        "!Cidr [!Ref Secret, 1, 8]",
    ] {
        let e = err(
            &value_template(head, "", expr),
            &with_params(&[("Secret", "s3cr3t-v4lue")]),
            &Offline,
        );
        let text = render(&e);
        assert!(!text.contains("s3cr3t-v4lue"), "{expr}: {text}");
    }
}

#[test]
fn a_missing_value_is_an_error_naming_the_parameter() {
    let e = ref_p("Type: String", None).expect_err("no value");
    assert!(
        e.contains("template.yaml:2:3: no value for parameter `P`: pass --parameter P=VALUE (it has no Default)"),
        "{e}"
    );
}

#[test]
fn an_undeclared_parameter_given_is_an_error() {
    let t = value_template(&param("Type: String\nDefault: x"), "", "!Ref P");
    let e = err(&t, &with_params(&[("Q", "1")]), &Offline);
    let d = has_error(
        &e,
        "parameter `Q` is given a value but the template does not declare it",
    );
    assert!(d.span.is_none());
}

#[test]
fn an_unknown_type_is_an_error_at_the_type() {
    let t = value_template(&param("Type: Strin"), "", "x");
    let e = err(&t, &with_params(&[]), &Offline);
    let d = has_error(&e, "parameter `P` has an unknown type `Strin`");
    assert_eq!(d.span.map(|s| (s.line, s.col)), Some((3, 11)));
}

#[test]
fn parameters_flow_into_nested_stacks() {
    let dir = Dir::new();
    dir.write(
        "root.yaml",
        "Parameters:\n  Env:\n    Type: String\n    AllowedValues: [dev, prod]\n  Ports:\n    Type: List<Number>\n    Default: '80,443'\nResources:\n  Child:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: child.yaml\n      Parameters:\n        Name: !Sub 'app-${Env}'\n        Ports: !Join [',', !Ref Ports]\n        Count: 3\n",
    );
    dir.write(
        "child.yaml",
        "Parameters:\n  Name:\n    Type: String\n  Ports:\n    Type: List<Number>\n  Count:\n    Type: Number\n  Size:\n    Type: String\n    Default: small\nResources:\n  Log:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      LogGroupName: !Sub '${Name}-${Size}-${Count}-${AWS::StackName}'\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {Ports: !Ref Ports}\n",
    );
    let d = dir
        .load("root.yaml", &with_params(&[("Env", "prod")]), &Offline)
        .unwrap_or_else(|e| panic!("{}", render(&e)));
    assert_eq!(
        prop(&d, "Child.Log", "LogGroupName"),
        &s("app-prod-small-3-demo-Child")
    );
    let Value::Map(doc) = prop(&d, "Child.Role", "AssumeRolePolicyDocument") else {
        panic!()
    };
    assert_eq!(doc.get("Ports"), Some(&list(&["80", "443"])));
    let child = d
        .stacks
        .iter()
        .find(|s| s.address == "Child")
        .expect("child stack");
    let names: Vec<&str> = child
        .parameters
        .iter()
        .map(|(n, _, _)| n.as_str())
        .collect();
    assert_eq!(names, vec!["Name", "Ports", "Count", "Size"]);

    // The child's constraints apply to what the parent passes, at the parent's value.
    let e = dir
        .load("root.yaml", &with_params(&[("Env", "qa")]), &Offline)
        .expect_err("qa not allowed");
    has_error(
        &e,
        "value \"qa\" of parameter `Env` is not one of the allowed values: dev, prod",
    );
}

#[test]
fn nested_stack_parameter_errors() {
    let dir = Dir::new();
    dir.write(
        "root.yaml",
        "Resources:\n  Child:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: child.yaml\n      Parameters:\n        Count: many\n        Extra: 1\n",
    );
    dir.write(
        "child.yaml",
        "Parameters:\n  Count:\n    Type: Number\n  Name:\n    Type: String\nResources:\n  Log:\n    Type: AWS::Logs::LogGroup\n",
    );
    let e = dir
        .load("root.yaml", &with_params(&[]), &Offline)
        .expect_err("bad parameters");
    let d = has_error(&e, "value \"many\" of parameter `Count` is not a number");
    // The bad value is pointed at in the parent, where it is written.
    assert_eq!(
        d.span
            .map(|s| (e.sources.path(s.file).ends_with("root.yaml"), s.line)),
        Some((true, 7))
    );
    let d = has_error(&e, "nested stack `Child` passes parameter `Extra`, which");
    assert_eq!(d.span.map(|s| s.line), Some(8));
    has_error(
        &e,
        "no value for parameter `Name`: nested stack `Child` does not pass it",
    );
}

#[test]
fn no_echo_parameters_of_nested_stacks_are_secrets() {
    let dir = Dir::new();
    dir.write(
        "root.yaml",
        "Resources:\n  Child:\n    Type: AWS::Serverless::Application\n    Properties:\n      Location: child.yaml\n      Parameters:\n        Pw: nested-secret-1\n",
    );
    dir.write(
        "child.yaml",
        "Parameters:\n  Pw:\n    Type: String\n    NoEcho: true\nResources:\n  Log:\n    Type: AWS::Logs::LogGroup\n",
    );
    let d = dir
        .load("root.yaml", &with_params(&[]), &Offline)
        .unwrap_or_else(|e| panic!("{}", render(&e)));
    assert_eq!(d.secrets, vec!["nested-secret-1".to_string()]);
}

#[test]
fn short_no_echo_values_are_hidden_as_whole_words_only() {
    let head = "Parameters:\n  Secret:\n    Type: String\n    NoEcho: true\n";
    let e = err(
        &value_template(head, "", "!Select [!Ref Secret, [a]]"),
        &with_params(&[("Secret", "ab")]),
        &Offline,
    );
    let text = render(&e);
    assert!(
        text.contains("Fn::Select expects the index to be a whole number, got `****`"),
        "{text}"
    );
}

#[test]
fn number_parameters_work_as_indexes_and_counts() {
    let head = "Parameters:\n  I:\n    Type: Number\n    Default: 1\n  C:\n    Type: Number\n    Default: 2\n";
    assert_eq!(eval(head, "!Select [!Ref I, [a, b]]"), s("b"));
    assert_eq!(
        eval(head, "!Cidr ['10.0.0.0/16', !Ref C, 8]"),
        list(&["10.0.0.0/24", "10.0.1.0/24"])
    );
}

#[test]
fn sensitive_property_values_are_secrets_even_when_written_as_literals() {
    let text = "Resources:\n  Db:\n    Type: AWS::SecretsManager::Secret\n    Properties:\n      SecretString: literal-db-password\n  Ops:\n    Type: AWS::IAM::User\n    Properties:\n      LoginProfile:\n        Password: !Sub 'ops-${AWS::Region}-pw'\n  Note:\n    Type: AWS::SSM::Parameter\n    Properties:\n      Type: String\n      Value: not-a-secret\n";
    let d = ok(text, &opts(Some("eu-west-1")), &Offline);
    let mut secrets = d.secrets.clone();
    secrets.sort();
    assert_eq!(secrets, ["literal-db-password", "ops-eu-west-1-pw"]);
}
