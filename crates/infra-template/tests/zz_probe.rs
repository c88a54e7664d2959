use infra_template::yaml::{parse, Format};
use infra_template::FileId;
#[test]
fn probe() {
    for t in [
        "a: 010\nb: 012345678901\nc: +5\nd: 12345678901234567890\ne: 0x1F\nf: !!str 5\ng: !!int '7'\nh: 1e3\ni: .5\nj: -0\n",
        "a: &x 1\nb: *x\n",
        "a: &x 1\n",
        "\u{FEFF}a: 1\nb: !Ref X\n",
        "a:\r\n  b: 1\r\n  c: !Sub |\r\n    x${A}\r\n    y\r\n",
        "a:\n\tb: 1\n",
        "a: \"x\ty\"\nb: 1\t# c\n",
        "a: !Sub >\n  one\n  two\n\n  three\n",
        "a: !!binary aGVsbG8=\n",
        "a: !!float 1\n",
        "? [a]\n: 1\n",
        "a: {}\n", 
        "!!map {a: 1}\n",
        "a: !Ref\n",
        "a: !Sub\n",
        "a: 0o\n",
    ] {
        println!("{t:?} => {:?}", parse(FileId(0), t, Format::Yaml).map(|n| format!("{:?}", n.kind)));
    }
    println!("{:?}", parse(FileId(0), "\u{FEFF}{\"a\": 1}", Format::Json).map(|n| format!("{:?}", n.kind)));
}
