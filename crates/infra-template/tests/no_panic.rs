//! Whatever the input, parsing and loading return `Ok` or `Err`: they never panic and never
//! overflow the stack. Random bytes and strings, soups of YAML and template tokens, random
//! intrinsic expressions, and mutations of the reference fixture templates.
//!
//! Each property runs 64 cases by default; set `PROPTEST_CASES` for more
//! (`PROPTEST_CASES=5000 cargo test -p infra-template --test no_panic`).

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use common::*;
use infra_template::yaml::{Format, parse};
use infra_template::{FileId, LoadOptions, Offline, load};
use proptest::prelude::*;
use proptest::sample::Index;

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64);
    ProptestConfig {
        cases,
        // Failures print the minimal input; no regression files are written into the tree.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Parses `text` both ways; only returning matters.
fn parse_both(text: &str) {
    let _ = parse(FileId(0), text, Format::Yaml);
    let _ = parse(FileId(0), text, Format::Json);
    let _ = Format::sniff(text);
}

/// Writes `bytes` as a template (under each extension) and loads it, online and offline.
fn load_bytes(bytes: &[u8]) {
    let dir = Dir::new();
    for name in ["t.yaml", "t.json", "t.template"] {
        let p = dir.path(name);
        std::fs::write(&p, bytes).expect("write");
        let _ = load(&p, &opts(Some("us-east-1")), &Offline);
        let _ = load(&p, &opts(None), &fake());
    }
}

fn fake() -> Fake {
    let mut f = Fake::default();
    f.zones.insert(
        "us-east-1".into(),
        vec!["us-east-1a".into(), "us-east-1b".into()],
    );
    f.ssm.insert("/p".into(), s("a,b"));
    f.exports.insert("x".into(), s("exported"));
    f
}

/// Pieces of YAML syntax and template vocabulary, to build inputs that get past the parser.
const TOKENS: &[&str] = &[
    "\n",
    "\n  ",
    "\n    ",
    "\n      ",
    "\r\n",
    "\t",
    " ",
    ": ",
    "- ",
    "? ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "'",
    "\"",
    "|",
    ">",
    "|-",
    "#",
    "&a ",
    "*a",
    "!",
    "!!str ",
    "!!binary ",
    "---\n",
    "...\n",
    "%YAML 1.2\n",
    "\u{FEFF}",
    "é",
    "\\",
    "\0",
    "Resources:",
    "Parameters:",
    "Conditions:",
    "Mappings:",
    "Outputs:",
    "Transform:",
    "Type: ",
    "Properties:",
    "Condition: ",
    "DependsOn: ",
    "Value: ",
    "Default: ",
    "AllowedValues: ",
    "NoEcho: true",
    "AllowedPattern: ",
    "R:",
    "B:",
    "P:",
    "AWS::IAM::Role",
    "AWS::Logs::LogGroup",
    "AWS::EC2::VPC",
    "AWS::CloudFormation::Stack",
    "AWS::Serverless::Application",
    "Custom::AsgDestroyer",
    "String",
    "Number",
    "CommaDelimitedList",
    "List<Number>",
    "AWS::SSM::Parameter::Value<String>",
    "TemplateURL: ",
    "Location: ",
    "t.yaml",
    "AssumeRolePolicyDocument: ",
    "LogGroupName: ",
    "CidrBlock: ",
    "!Ref ",
    "!GetAtt ",
    "!Sub ",
    "!Join ",
    "!Select ",
    "!Split ",
    "!FindInMap ",
    "!GetAZs ",
    "!Base64 ",
    "!Cidr ",
    "!If ",
    "!Equals ",
    "!And ",
    "!Or ",
    "!Not ",
    "!Condition ",
    "!ImportValue ",
    "!Length ",
    "!ToJsonString ",
    "!Transform ",
    "Ref",
    "Fn::GetAtt",
    "Fn::Sub",
    "Fn::If",
    "AWS::NoValue",
    "AWS::Region",
    "${",
    "${!",
    "${AWS::Region}",
    "${R.Arn}",
    "R.Arn",
    "B.Outputs.X",
    "0",
    "1",
    "-1",
    "010",
    "1.10",
    "2012-10-17",
    "yes",
    "~",
    "null",
    "true",
    "''",
    "'10.0.0.0/16'",
    "'::/0'",
    "128",
    "4294967297",
    "1e999",
    "NaN",
];

fn token_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..120).prop_map(|v| v.concat())
}

// ---------------------------------------------------------------- random intrinsic expressions

/// Leaves: literals and references to what the harness template declares (and a few it does not).
const LEAVES: &[&str] = &[
    "a",
    "''",
    "','",
    "'-'",
    "0",
    "1",
    "2",
    "-1",
    "256",
    "4294967297",
    "1.5",
    "true",
    "null",
    "[]",
    "{}",
    "'10.0.0.0/16'",
    "'10.0.0.0/24'",
    "'::/0'",
    "'2001:db8::/56'",
    "'0.0.0.0/0'",
    "'a,b,c'",
    "'${P}-${AWS::Region}'",
    "'${!Lit}'",
    "'${'",
    "'${}'",
    "'${B.Arn}'",
    "'${Nope}'",
    "us-east-1",
    "prod",
    "/p",
    "x",
    "{Ref: P}",
    "{Ref: L}",
    "{Ref: N}",
    "{Ref: B}",
    "{Ref: Nope}",
    "{Ref: 'AWS::Region'}",
    "{Ref: 'AWS::NoValue'}",
    "{Ref: 'AWS::AccountId'}",
    "{Ref: 'AWS::NotificationARNs'}",
    "{'Fn::GetAtt': [B, Arn]}",
    "{'Fn::GetAtt': [B, Nope]}",
    "{'Fn::GetAZs': ''}",
    "{Condition: C}",
];

fn expression() -> impl Strategy<Value = String> {
    let leaf = prop::sample::select(LEAVES).prop_map(str::to_string);
    leaf.prop_recursive(4, 48, 3, |inner| {
        let two = (inner.clone(), inner.clone());
        let three = (inner.clone(), inner.clone(), inner.clone());
        prop_oneof![
            two.clone()
                .prop_map(|(a, b)| format!("{{'Fn::Join': [{a}, {b}]}}")),
            two.clone()
                .prop_map(|(a, b)| format!("{{'Fn::Select': [{a}, {b}]}}")),
            two.clone()
                .prop_map(|(a, b)| format!("{{'Fn::Split': [{a}, {b}]}}")),
            two.clone()
                .prop_map(|(a, b)| format!("{{'Fn::Sub': ['${{X}}-${{P}}', {{X: {a}, Y: {b}}}]}}")),
            two.clone()
                .prop_map(|(a, b)| format!("{{'Fn::FindInMap': [M, {a}, {b}]}}")),
            three.clone().prop_map(|(a, b, c)| format!(
                "{{'Fn::FindInMap': [{a}, {b}, k, {{DefaultValue: {c}}}]}}"
            )),
            three
                .clone()
                .prop_map(|(a, b, c)| format!("{{'Fn::Cidr': [{a}, {b}, {c}]}}")),
            two.clone()
                .prop_map(|(a, b)| format!("{{'Fn::If': [C, {a}, {b}]}}")),
            two.clone()
                .prop_map(|(a, b)| format!("{{'Fn::If': [D, {a}, {b}]}}")),
            two.clone()
                .prop_map(|(a, b)| format!("{{'Fn::Equals': [{a}, {b}]}}")),
            two.clone()
                .prop_map(|(a, b)| format!("{{'Fn::And': [{a}, {b}]}}")),
            two.clone()
                .prop_map(|(a, b)| format!("{{'Fn::Or': [{a}, {b}]}}")),
            inner.clone().prop_map(|a| format!("{{'Fn::Not': [{a}]}}")),
            inner.clone().prop_map(|a| format!("{{'Fn::Base64': {a}}}")),
            inner.clone().prop_map(|a| format!("{{'Fn::GetAZs': {a}}}")),
            inner
                .clone()
                .prop_map(|a| format!("{{'Fn::ImportValue': {a}}}")),
            inner.clone().prop_map(|a| format!("{{'Fn::Length': {a}}}")),
            inner
                .clone()
                .prop_map(|a| format!("{{'Fn::ToJsonString': {a}}}")),
            inner
                .clone()
                .prop_map(|a| format!("{{'Fn::GetAtt': [B, {a}]}}")),
            inner.clone().prop_map(|a| format!("{{'Fn::Sub': {a}}}")),
            inner.clone().prop_map(|a| format!("{{Ref: {a}}}")),
            two.prop_map(|(a, b)| format!("[{a}, {b}]")),
            inner.prop_map(|a| format!("{{k: {a}}}")),
        ]
    })
}

fn harness(condition: &str, expr: &str) -> String {
    format!(
        "Parameters:
  P:
    Type: String
    Default: prod
  L:
    Type: CommaDelimitedList
    Default: 'a, b'
  N:
    Type: Number
    Default: 3
  S:
    Type: AWS::SSM::Parameter::Value<List<String>>
    Default: /p
Mappings:
  M:
    prod: {{a: x, '1': y}}
    a: {{a: '10.0.0.0/16'}}
Conditions:
  C: {condition}
  D: !Equals [!Ref 'AWS::Region', us-east-1]
Resources:
  B:
    Type: AWS::Logs::LogGroup
  R:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        V: {expr}
Outputs:
  O:
    Value: {expr}
"
    )
}

// ---------------------------------------------------------------- random parameter values

/// A template whose parameters have every type and constraint, and whose intrinsics take
/// their arguments from those parameters, so random `--parameter` values reach the evaluator.
const PARAMETER_HARNESS: &str = "\
Parameters:
  S:
    Type: String
    AllowedValues: [a, b, '10.0.0.0/16']
    Default: a
  Pat:
    Type: String
    AllowedPattern: '^[a-z0-9-]{1,8}$'
    ConstraintDescription: lowercase
    MinLength: 1
    MaxLength: 8
    Default: x
  N:
    Type: Number
    MinValue: -3
    MaxValue: 300
    Default: 1
  L:
    Type: CommaDelimitedList
    Default: 'a, b'
  LN:
    Type: List<Number>
    Default: '1,2'
  Cidr:
    Type: String
    Default: 10.0.0.0/16
  Bits:
    Type: Number
    Default: 8
  Az:
    Type: AWS::EC2::AvailabilityZone::Name
    Default: us-east-1a
  Subnets:
    Type: List<AWS::EC2::Subnet::Id>
    Default: subnet-1
  Ssm:
    Type: AWS::SSM::Parameter::Value<String>
    Default: /p
  Secret:
    Type: String
    NoEcho: true
    MinLength: 4
    AllowedPattern: '[A-Za-z0-9]*'
    Default: abcd
Mappings:
  M:
    a: {k: '1'}
    b: {k: '2'}
Conditions:
  IsA: !Equals [!Ref S, a]
  Big: !Not [!Equals [!Select [0, !Ref LN], '1']]
Resources:
  B:
    Type: AWS::Logs::LogGroup
    Condition: IsA
    Properties:
      LogGroupName: !Sub '${Pat}-${N}-${Secret}'
  R:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Cidrs: !Cidr [!Ref Cidr, !Ref N, !Ref Bits]
        First: !Select [!Ref N, !Ref L]
        Split: !Split [!Ref Pat, !Join ['-', !Ref L]]
        Map: !FindInMap [M, !Ref S, k, {DefaultValue: none}]
        Len: !Length [!Ref Subnets]
        Json: !ToJsonString {a: !Ref LN, b: !Ref Az, c: !Ref Ssm}
        Enc: !Base64 {Ref: Secret}
        If: !If [Big, !GetAZs '', !Ref 'AWS::NoValue']
";

/// A parameter value: anything, things shaped like the types above, and edge numbers.
fn parameter_value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[ -~]{0,20}",
        "-?[0-9]{1,25}(\\.[0-9]{0,5})?(e-?[0-9]{1,4})?",
        "[0-9]{1,3}(\\.[0-9]{1,3}){3}/[0-9]{1,3}",
        "[a-z0-9, ]{0,20}",
        prop::sample::select(
            &[
                "",
                " ",
                ",",
                ",,",
                "a",
                "b",
                "NaN",
                "inf",
                "-0",
                "1e999",
                "18446744073709551616",
                "-9223372036854775809",
                "0x10",
                "10.0.0.0/33",
                "::/0",
                "2001:db8::/129",
                "us-east-1z",
                "/nope",
            ][..]
        )
        .prop_map(str::to_owned),
    ]
}

/// Loads the parameter harness with `values`; a value of `Secret` that was refused must not be
/// printed in any message (unless another parameter, which may be printed, holds it too).
fn load_with_parameters(values: BTreeMap<String, String>) -> Result<(), TestCaseError> {
    let dir = Dir::new();
    let p = dir.write("params.yaml", PARAMETER_HARNESS);
    let secret = values.get("Secret").cloned().filter(|secret| {
        !values
            .iter()
            .any(|(name, value)| name != "Secret" && value.contains(secret.as_str()))
    });
    let mut o = opts(Some("us-east-1"));
    o.parameters = values;
    for result in [load(&p, &o, &Offline), load(&p, &o, &fake())] {
        if let (Err(e), Some(secret)) = (result, &secret)
            && secret.len() >= 4
            && !PARAMETER_HARNESS.contains(secret.as_str())
        {
            let text = render(&e);
            prop_assert!(
                !text.contains(secret.as_str()),
                "the NoEcho value {:?} is printed:\n{}",
                secret,
                text
            );
        }
    }
    Ok(())
}

// ---------------------------------------------------------------- fixture mutations

fn fixtures() -> &'static Vec<(String, String)> {
    static FIXTURES: OnceLock<Vec<(String, String)>> = OnceLock::new();
    FIXTURES.get_or_init(|| {
        let dir = fixture_dir();
        ["parent.yml", "vpc.yml", "cluster.yml", "service.yml"]
            .iter()
            .map(|name| {
                let p = dir.join(name);
                let text = std::fs::read_to_string(&p)
                    .unwrap_or_else(|e| panic!("cannot read fixture {}: {e}", p.display()));
                ((*name).to_string(), text)
            })
            .collect()
    })
}

#[derive(Debug, Clone)]
enum Mutation {
    DeleteLine(Index),
    DuplicateLine(Index),
    SwapLines(Index, Index),
    Insert(Index, String),
    ReplaceWord(Index, String),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let insert_text = prop_oneof![
        "[ -~]{1,8}",
        "[\\[\\]{}:,'\"!&*|>#\\-? \t\n]{1,4}",
        prop::sample::select(TOKENS).prop_map(str::to_string),
        any::<char>().prop_map(|c| c.to_string()),
    ];
    let word = prop_oneof![
        prop::sample::select(TOKENS).prop_map(str::to_string),
        "[A-Za-z0-9:.!${}-]{0,12}",
        Just(String::new()),
    ];
    prop_oneof![
        any::<Index>().prop_map(Mutation::DeleteLine),
        any::<Index>().prop_map(Mutation::DuplicateLine),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        (any::<Index>(), insert_text).prop_map(|(i, s)| Mutation::Insert(i, s)),
        (any::<Index>(), word).prop_map(|(i, s)| Mutation::ReplaceWord(i, s)),
    ]
}

fn apply(text: &str, m: &Mutation) -> String {
    let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
    match m {
        Mutation::DeleteLine(i) if !lines.is_empty() => {
            lines.remove(i.index(lines.len()));
            lines.concat()
        }
        Mutation::DuplicateLine(i) if !lines.is_empty() => {
            let at = i.index(lines.len());
            lines.insert(at, lines[at]);
            lines.concat()
        }
        Mutation::SwapLines(a, b) if !lines.is_empty() => {
            let (a, b) = (a.index(lines.len()), b.index(lines.len()));
            lines.swap(a, b);
            lines.concat()
        }
        Mutation::Insert(i, s) => {
            let boundaries: Vec<usize> = text
                .char_indices()
                .map(|(b, _)| b)
                .chain(std::iter::once(text.len()))
                .collect();
            let at = boundaries[i.index(boundaries.len())];
            format!("{}{s}{}", &text[..at], &text[at..])
        }
        Mutation::ReplaceWord(i, s) => {
            let words: Vec<(usize, usize)> = word_ranges(text);
            if words.is_empty() {
                return text.to_string();
            }
            let (start, end) = words[i.index(words.len())];
            format!("{}{s}{}", &text[..start], &text[end..])
        }
        _ => text.to_string(),
    }
}

/// Byte ranges of the words (runs of non-whitespace) of `text`.
fn word_ranges(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (b, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (false, None) => start = Some(b),
            (true, Some(s)) => {
                out.push((s, b));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

/// Writes the fixture set with file `which` mutated, then loads the root and the mutated file.
fn load_mutated(which: Index, mutations: &[Mutation]) {
    let files = fixtures();
    let target = which.index(files.len());
    let dir = Dir::new();
    for (i, (name, text)) in files.iter().enumerate() {
        let text = if i == target {
            mutations.iter().fold(text.clone(), |t, m| apply(&t, m))
        } else {
            text.clone()
        };
        dir.write(name, &text);
    }
    let o = LoadOptions {
        texts: Default::default(),
        artifacts: Default::default(),
        parameters: Default::default(),
        pseudo: opts(Some("us-east-1")).pseudo,
    };
    let _ = load(&dir.path("parent.yml"), &o, &Offline);
    let _ = load(&dir.path(&files[target].0), &opts(None), &fake());
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn parse_never_panics_on_random_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        parse_both(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn parse_never_panics_on_random_strings(text in any::<String>()) {
        parse_both(&text);
    }

    #[test]
    fn parse_never_panics_on_printable_text(text in "[ -~\t\r\n\u{FEFF}é]{0,400}") {
        parse_both(&text);
    }

    #[test]
    fn parse_never_panics_on_token_soup(text in token_soup()) {
        parse_both(&text);
    }

    #[test]
    fn load_never_panics_on_random_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        load_bytes(&bytes);
    }

    #[test]
    fn load_never_panics_on_random_strings(text in any::<String>()) {
        load_bytes(text.as_bytes());
    }

    #[test]
    fn load_never_panics_on_token_soup(text in token_soup()) {
        load_bytes(text.as_bytes());
        load_bytes(format!("Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {text}\n").as_bytes());
    }

    #[test]
    fn load_never_panics_on_random_intrinsics(expr in expression(), condition in expression()) {
        load_bytes(harness(&condition, &expr).as_bytes());
    }

    #[test]
    fn load_never_panics_on_random_parameter_values(
        values in prop::collection::btree_map(
            prop_oneof![
                4 => prop::sample::select(&[
                    "S", "Pat", "N", "L", "LN", "Cidr", "Bits", "Az", "Subnets", "Ssm", "Secret",
                ][..]).prop_map(str::to_owned),
                1 => "[A-Za-z]{1,6}",
            ],
            parameter_value(),
            0..6,
        ),
    ) {
        load_with_parameters(values)?;
    }

    #[test]
    fn load_never_panics_on_mutated_fixtures(
        which in any::<Index>(),
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        load_mutated(which, &mutations);
    }
}

// ---------------------------------------------------------------- mutation helpers are right

#[test]
fn mutations_do_what_they_say() {
    let t = "a: 1\nb: 2\nc: 3\n";
    assert_eq!(word_ranges("ab  c\nd"), vec![(0, 2), (4, 5), (6, 7)]);
    // Index values are picked by proptest; check the shapes instead of exact positions.
    for m in [
        Mutation::DeleteLine(any_index()),
        Mutation::DuplicateLine(any_index()),
        Mutation::SwapLines(any_index(), any_index()),
        Mutation::Insert(any_index(), "XY".into()),
        Mutation::ReplaceWord(any_index(), "Q".into()),
    ] {
        let out = apply(t, &m);
        match m {
            Mutation::DeleteLine(_) => assert_eq!(out.lines().count(), 2),
            Mutation::DuplicateLine(_) => assert_eq!(out.lines().count(), 4),
            Mutation::SwapLines(..) => {
                let mut a: Vec<&str> = out.lines().collect();
                a.sort_unstable();
                assert_eq!(a, vec!["a: 1", "b: 2", "c: 3"]);
            }
            Mutation::Insert(..) => assert_eq!(out.len(), t.len() + 2),
            Mutation::ReplaceWord(..) => {
                assert!(out.contains('Q') && out.split_whitespace().count() == 6)
            }
        }
    }
}

fn any_index() -> Index {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    any::<Index>()
        .new_tree(&mut runner)
        .expect("index")
        .current()
}

#[test]
fn the_parameter_harness_is_a_valid_template() {
    let d = ok(PARAMETER_HARNESS, &opts(Some("us-east-1")), &fake());
    assert_eq!(d.resources.len(), 2);
}

#[test]
fn the_random_intrinsics_harness_is_a_valid_template() {
    let d = ok(
        &harness("!Equals [a, a]", "{'Fn::Join': [',', {Ref: L}]}"),
        &opts(Some("us-east-1")),
        &fake(),
    );
    assert_eq!(v_of(&d), Some(s("a,b")));
}

#[test]
fn the_unmutated_fixtures_load() {
    let dir = fixture_dir();
    let d = load(&dir.join("parent.yml"), &opts(Some("us-east-1")), &Offline)
        .unwrap_or_else(|e| panic!("{}", render(&e)));
    assert!(d.resources.len() > 30, "{}", d.resources.len());
}

// ---------------------------------------------------------------- nesting depth and the stack

/// Runs `f` on a thread with a 2 MiB stack (the default of spawned threads and tokio
/// workers): overflowing it aborts the whole test binary, which is the failure shown.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("no panic")
}

fn load_on_small_stack(text: String) -> Result<(), String> {
    on_small_stack(move || {
        let dir = Dir::new();
        let p = dir.write("deep.yaml", &text);
        load(&p, &opts(Some("us-east-1")), &Offline)
            .map(|_| ())
            .map_err(|e| render(&e))
    })
}

fn role_with(v: &str) -> String {
    format!(
        "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {v}\n"
    )
}

#[test]
fn deep_flow_nesting_is_an_error_not_a_crash() {
    // `Resources > R > Properties > AssumeRolePolicyDocument` are 4 levels already.
    let ok_depth = 90;
    let v = format!("{}x{}", "[".repeat(ok_depth), "]".repeat(ok_depth));
    assert_eq!(load_on_small_stack(role_with(&v)), Ok(()));
    for depth in [100, 150, 254, 255, 300, 5000] {
        let v = format!("{}x{}", "[".repeat(depth), "]".repeat(depth));
        let e = load_on_small_stack(role_with(&v)).expect_err("too deep");
        assert!(
            e.contains("nest") || e.contains("recursion limit"),
            "{depth}: {e}"
        );
    }
}

#[test]
fn deep_block_nesting_is_an_error_not_a_crash() {
    for depth in [150, 450, 2000, 50_000] {
        let v = format!("\n        {}x", "- ".repeat(depth));
        let e = load_on_small_stack(role_with(&v)).expect_err("too deep");
        assert!(e.contains("nest too deeply"), "{depth}: {e}");
        let mut t = String::from("Resources:\n");
        for i in 0..depth.min(1000) {
            t.push_str(&" ".repeat(i + 1));
            t.push_str("a:\n");
        }
        let e = load_on_small_stack(t).expect_err("too deep");
        assert!(e.contains("nest too deeply"), "{depth}: {e}");
    }
}

#[test]
fn deep_intrinsic_nesting_is_an_error_not_a_crash() {
    // Each Fn::Join adds three levels (mapping, argument list, item list).
    let join = |n: usize| format!("{}x{}", "{'Fn::Join': ['', [".repeat(n), "]]}".repeat(n));
    assert_eq!(load_on_small_stack(role_with(&join(30))), Ok(()));
    let e = load_on_small_stack(role_with(&join(60))).expect_err("too deep");
    assert!(e.contains("nest too deeply"), "{e}");
    let e = load_on_small_stack(role_with(&join(200))).expect_err("too deep");
    assert!(
        e.contains("nest too deeply") || e.contains("recursion limit"),
        "{e}"
    );
}

#[test]
fn long_chains_of_conditions_are_an_error_not_a_crash() {
    for n in [50, 5000] {
        let mut t = String::from("Conditions:\n");
        for i in 0..n {
            t.push_str(&format!("  C{i}: !Condition C{}\n", i + 1));
        }
        t.push_str(&format!("  C{n}: !Equals [a, a]\nResources:\n  R:\n    Type: AWS::Logs::LogGroup\n    Condition: C0\n"));
        let r = load_on_small_stack(t);
        if n < 100 {
            assert_eq!(r, Ok(()));
        } else {
            assert!(r.expect_err("too deep").contains("nested too deeply"));
        }
    }
}

#[test]
fn long_chains_of_nested_stacks_load() {
    let r = on_small_stack(|| {
        let dir = Dir::new();
        let n = 60;
        for i in 0..n {
            dir.write(
                &format!("n{i}.yaml"),
                &format!("Resources:\n  S:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: n{}.yaml\n", i + 1),
            );
        }
        dir.write(
            &format!("n{n}.yaml"),
            "Resources:\n  L:\n    Type: AWS::Logs::LogGroup\n",
        );
        load(Path::new(&dir.path("n0.yaml")), &opts(None), &Offline)
            .map(|d| {
                d.resources
                    .iter()
                    .map(|r| r.address.matches('.').count())
                    .collect::<Vec<_>>()
            })
            .map_err(|e| render(&e))
    });
    assert_eq!(r, Ok(vec![60]));
}
