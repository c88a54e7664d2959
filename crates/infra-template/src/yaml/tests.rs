use super::*;

fn parse_yaml(text: &str) -> Result<Node, Diagnostic> {
    parse(FileId(0), text, Format::Yaml)
}

fn get<'a>(n: &'a Node, key: &str) -> &'a Node {
    n.get(key).unwrap_or_else(|| panic!("no key {key}"))
}

#[test]
fn yaml_1_2_scalars_stay_strings_where_1_1_would_convert() {
    let n = parse_yaml(
        "a: 2012-10-17\nb: yes\nc: on\nd: off\ne: no\nf: 0o17\ng: 1.10\nh: '10'\ni: ~\nj: true\n",
    )
    .expect("parses");
    assert_eq!(get(&n, "a").kind, NodeKind::String("2012-10-17".into()));
    assert_eq!(get(&n, "b").kind, NodeKind::String("yes".into()));
    assert_eq!(get(&n, "c").kind, NodeKind::String("on".into()));
    assert_eq!(get(&n, "d").kind, NodeKind::String("off".into()));
    assert_eq!(get(&n, "e").kind, NodeKind::String("no".into()));
    assert_eq!(get(&n, "f").kind, NodeKind::Number("15".into()));
    assert_eq!(get(&n, "g").kind, NodeKind::Number("1.10".into()));
    assert_eq!(get(&n, "h").kind, NodeKind::String("10".into()));
    assert_eq!(get(&n, "i").kind, NodeKind::Null);
    assert_eq!(get(&n, "j").kind, NodeKind::Bool(true));
}

#[test]
fn short_forms_become_long_forms_with_the_tag_position() {
    let n = parse_yaml("x:\n  a: !Ref Foo\n  b: !GetAtt Res.Outputs.Name\n").expect("parses");
    let a = get(get(&n, "x"), "a");
    let r = get(a, "Ref");
    assert_eq!(r.kind, NodeKind::String("Foo".into()));
    assert_eq!((a.span.line, a.span.col), (2, 6));
    let b = get(get(&n, "x"), "b");
    match &get(b, "Fn::GetAtt").kind {
        NodeKind::Seq(items) => {
            assert_eq!(items[0].kind, NodeKind::String("Res".into()));
            assert_eq!(items[1].kind, NodeKind::String("Outputs.Name".into()));
        }
        other => panic!("expected a list, got {other:?}"),
    }
}

#[test]
fn nested_short_forms_and_sequences() {
    let n =
        parse_yaml("a: !Select [0, !GetAZs '']\nb: !Sub\n  - '${X}'\n  - X: 1\n").expect("parses");
    let sel = get(get(&n, "a"), "Fn::Select");
    match &sel.kind {
        NodeKind::Seq(items) => assert!(items[1].get("Fn::GetAZs").is_some()),
        other => panic!("expected a list, got {other:?}"),
    }
    assert!(get(&n, "b").get("Fn::Sub").is_some());
}

#[test]
fn duplicate_keys_are_an_error_with_position() {
    let e = parse_yaml("Resources:\n  A: 1\n  A: 2\n").expect_err("duplicate");
    assert!(e.message.contains("duplicate"), "{}", e.message);
    assert_eq!(e.span.map(|s| s.line), Some(3));
}

#[test]
fn unknown_tags_are_rejected() {
    let e = parse_yaml("a: !Reff X\n").expect_err("unknown tag");
    assert!(e.message.contains("unknown tag `!Reff`"), "{}", e.message);
}

#[test]
fn empty_documents_are_an_error() {
    for text in ["", "   \n", "# only a comment\n", "~\n"] {
        let e = parse_yaml(text).expect_err("empty");
        assert!(
            e.message.contains("empty template"),
            "{text:?}: {}",
            e.message
        );
    }
}

#[test]
fn syntax_errors_name_the_line() {
    let e = parse_yaml("a:\n  b: [1, 2\nc: 3\n").expect_err("bad yaml");
    assert!(e.message.starts_with("invalid YAML"), "{}", e.message);
    assert!(e.span.is_some_and(|s| s.line >= 2));
}

#[test]
fn json_is_read_strictly_with_positions() {
    let ok = parse(
        FileId(0),
        "{\"A\": {\"Ref\": \"B\"}, \"n\": 1.50}",
        Format::Json,
    )
    .expect("json");
    assert_eq!(get(&ok, "n").kind, NodeKind::Number("1.50".into()));
    let e = parse(FileId(0), "{\n  \"a\": 1,\n}\n", Format::Json).expect_err("trailing comma");
    assert!(e.message.contains("trailing comma"), "{}", e.message);
    assert_eq!(
        e.span.map(|s| s.line),
        Some(2),
        "points at the comma, where the fix goes"
    );
    let dup = parse(FileId(0), "{\"a\": 1, \"a\": 2}", Format::Json).expect_err("dup");
    assert!(dup.message.contains("duplicate"), "{}", dup.message);
}

#[test]
fn format_is_sniffed_from_the_first_character() {
    assert_eq!(Format::sniff("  {\"a\":1}"), Format::Json);
    assert_eq!(Format::sniff("a: 1"), Format::Yaml);
}

#[test]
fn non_ascii_text_keeps_byte_offsets_right() {
    let text = "é: x\nb: !Ref Zoë\n";
    let n = parse_yaml(text).expect("parses");
    let b = get(&n, "b");
    assert_eq!(&text[b.span.start..b.span.start + 4], "!Ref");
}
