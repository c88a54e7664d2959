//! How one side of a change looks before it is laid out: scalars, multi-line strings (heredocs),
//! embedded JSON documents (pretty-printed with sorted keys), NoEcho redaction, and the line
//! diffs (`similar`) that multi-line strings and documents get.

use std::collections::BTreeMap;

use infra_template::Value;
use similar::{Algorithm, DiffOp, capture_diff_slices};

use super::style::{Mark, Style, indent};

/// What a redacted value prints.
pub(crate) const SENSITIVE: &str = "(sensitive value)";
/// What a value not known before apply prints.
pub(crate) const UNKNOWN: &str = "(known after apply)";

/// Properties whose mapping value is a JSON document (IAM and resource policies): they are
/// shown as pretty JSON with a line diff instead of nested blocks.
const DOCUMENT_KEYS: &[&str] = &[
    "AssumeRolePolicyDocument",
    "PolicyDocument",
    "KeyPolicy",
    "PolicyText",
    "RepositoryPolicyText",
    "LifecyclePolicyText",
    "AccessPolicies",
    "ResourcePolicy",
];

/// Unchanged lines kept around each changed line of a line diff.
const CONTEXT: usize = 3;

/// NoEcho values to keep out of the output.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Secrets<'a>(pub(crate) &'a [String]);

impl Secrets<'_> {
    /// True when `text` is, or contains, a secret (or was already redacted in a saved plan).
    pub(crate) fn hit(self, text: &str) -> bool {
        text == SENSITIVE
            || self
                .0
                .iter()
                .any(|s| !s.is_empty() && text.contains(s.as_str()))
    }

    /// Free text (notes, reasons, keys) with every secret replaced.
    pub(crate) fn scrub(self, text: &str) -> String {
        let mut out = text.to_string();
        for s in self.0.iter().filter(|s| !s.is_empty()) {
            out = out.replace(s.as_str(), SENSITIVE);
        }
        out
    }
}

/// One side of a change, classified for display.
#[derive(Debug)]
pub(crate) enum Shape<'a> {
    /// Not there (before a create, after a delete, a missing key).
    Absent,
    /// Known after apply.
    Unknown,
    /// Contains a secret.
    Sensitive,
    /// A number, boolean or null, as printed.
    Scalar(String),
    /// A string (quoted when it is one line, a heredoc otherwise).
    Str(&'a str),
    /// A JSON document, pretty-printed with sorted keys, one entry per line.
    Json(Vec<String>),
    /// A mapping: nested attributes.
    Map(&'a BTreeMap<String, Value>),
    /// A list.
    List(&'a [Value]),
}

/// Classifies a value found under `key` (the property name it is the value of, if any).
pub(crate) fn shape<'a>(
    value: Option<&'a Value>,
    key: Option<&str>,
    secrets: Secrets<'_>,
) -> Shape<'a> {
    let Some(value) = value else {
        return Shape::Absent;
    };
    let is_document = key.is_some_and(|k| DOCUMENT_KEYS.contains(&k));
    match value {
        Value::Unknown(_) => Shape::Unknown,
        Value::Null => Shape::Scalar("null".into()),
        Value::Bool(b) => Shape::Scalar(b.to_string()),
        Value::Number(n) if secrets.hit(n) => Shape::Sensitive,
        Value::Number(n) => Shape::Scalar(n.clone()),
        Value::String(s) if secrets.hit(s) => Shape::Sensitive,
        Value::String(s) => match json_document(s) {
            Some(doc) => Shape::Json(pretty_lines(&doc)),
            None => Shape::Str(s),
        },
        Value::Map(_) | Value::List(_) if is_document => match value.to_json() {
            Some(doc) => {
                let lines = pretty_lines(&doc);
                if lines.iter().any(|l| secrets.hit(l)) {
                    Shape::Sensitive
                } else {
                    Shape::Json(lines)
                }
            }
            None => structural(value),
        },
        _ => structural(value),
    }
}

fn structural(value: &Value) -> Shape<'_> {
    match value {
        Value::Map(m) => Shape::Map(m),
        Value::List(l) => Shape::List(l),
        _ => Shape::Unknown,
    }
}

/// A string that holds a JSON object or array.
fn json_document(s: &str) -> Option<serde_json::Value> {
    let t = s.trim_start();
    if !(t.starts_with('{') || t.starts_with('[')) {
        return None;
    }
    serde_json::from_str::<serde_json::Value>(s)
        .ok()
        .filter(|j| j.is_object() || j.is_array())
}

/// Pretty JSON with every object's keys sorted, so key order never shows as a change.
fn pretty_lines(doc: &serde_json::Value) -> Vec<String> {
    let sorted = sort_keys(doc);
    serde_json::to_string_pretty(&sorted)
        .unwrap_or_else(|_| sorted.to_string())
        .lines()
        .map(str::to_string)
        .collect()
}

fn sort_keys(doc: &serde_json::Value) -> serde_json::Value {
    match doc {
        serde_json::Value::Object(o) => {
            let mut entries: Vec<_> = o.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            serde_json::Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.clone(), sort_keys(v)))
                    .collect(),
            )
        }
        serde_json::Value::Array(a) => serde_json::Value::Array(a.iter().map(sort_keys).collect()),
        other => other.clone(),
    }
}

/// A string quoted with JSON escaping.
pub(crate) fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("{s:?}"))
}

/// A heredoc or document line made safe to print: control characters (escape codes
/// included) are shown escaped.
fn printable(line: &str) -> String {
    line.chars()
        .map(|c| {
            if c.is_control() && c != '\t' {
                c.escape_default().collect()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// The lines of a multi-line string. A heredoc's text ends with a newline, so one final
/// newline is not shown as an empty line, unless `keep_final` (the other side of a line diff
/// lacks it, and the difference must show).
pub(crate) fn string_lines(s: &str, keep_final: bool) -> Vec<String> {
    let s = if keep_final {
        s
    } else {
        s.strip_suffix('\n').unwrap_or(s)
    };
    s.split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l).to_string())
        .collect()
}

/// Which wrapper a block of lines gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Wrapper {
    /// `<<-EOT` ... `EOT`.
    Heredoc,
    /// `jsonencode(` ... `)`.
    Json,
}

/// Lays out lines (each with its own mark, already made printable) as the value of an
/// attribute at `level`.
pub(crate) fn block(
    style: Style,
    wrapper: Wrapper,
    lines: &[(Mark, String)],
    level: usize,
) -> String {
    if wrapper == Wrapper::Json && lines.len() == 1 && lines[0].0 == Mark::Same {
        return format!("jsonencode({})", lines[0].1);
    }
    let body: Vec<String> = lines
        .iter()
        .map(|(mark, text)| {
            let line = format!("{}{} {}", indent(level + 1), style.mark(*mark), text);
            line.trim_end().to_string()
        })
        .collect();
    match wrapper {
        Wrapper::Heredoc => format!("<<-EOT\n{}\n{}    EOT", body.join("\n"), indent(level)),
        Wrapper::Json => format!("jsonencode(\n{}\n{})", body.join("\n"), indent(level + 1)),
    }
}

/// Every line unmarked (a created or destroyed value shows its content plainly, as Terraform does).
pub(crate) fn plain(lines: &[String]) -> Vec<(Mark, String)> {
    lines.iter().map(|l| (Mark::Same, printable(l))).collect()
}

/// A line diff of `old` against `new`; unless `show_unchanged`, runs of unchanged lines further
/// than a few lines from any change collapse into `# (N unchanged lines hidden)`.
pub(crate) fn line_diff(
    style: Style,
    old: &[String],
    new: &[String],
    show_unchanged: bool,
) -> Vec<(Mark, String)> {
    let mut all: Vec<(Mark, &str)> = Vec::new();
    fn take<'a>(all: &mut Vec<(Mark, &'a str)>, mark: Mark, lines: &'a [String]) {
        all.extend(lines.iter().map(|l| (mark, l.as_str())));
    }
    for op in capture_diff_slices(Algorithm::Myers, old, new) {
        let (o, n) = (op.old_range(), op.new_range());
        match op {
            DiffOp::Equal { .. } => take(&mut all, Mark::Same, &old[o]),
            DiffOp::Delete { .. } => take(&mut all, Mark::Delete, &old[o]),
            DiffOp::Insert { .. } => take(&mut all, Mark::Create, &new[n]),
            DiffOp::Replace { .. } => {
                take(&mut all, Mark::Delete, &old[o]);
                take(&mut all, Mark::Create, &new[n]);
            }
        }
    }
    if show_unchanged {
        return all.into_iter().map(|(m, l)| (m, printable(l))).collect();
    }
    // Distance from each line to the nearest changed line, in two passes.
    let mut distance = vec![usize::MAX; all.len()];
    let mut last = None;
    for (i, (mark, _)) in all.iter().enumerate() {
        if *mark != Mark::Same {
            last = Some(i);
        }
        distance[i] = last.map_or(usize::MAX, |c| i - c);
    }
    last = None;
    for (i, (mark, _)) in all.iter().enumerate().rev() {
        if *mark != Mark::Same {
            last = Some(i);
        }
        distance[i] = distance[i].min(last.map_or(usize::MAX, |c| c - i));
    }
    // Runs of far lines collapse into one comment; a run of one line stays (the comment would
    // be no shorter).
    let mut out = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    let flush = |run: &mut Vec<&str>, out: &mut Vec<(Mark, String)>| {
        match run.as_slice() {
            [] => {}
            [line] => out.push((Mark::Same, printable(line))),
            lines => out.push((Mark::Same, style.hidden(lines.len(), "line"))),
        }
        run.clear();
    };
    for (i, (mark, line)) in all.iter().enumerate() {
        if distance[i] > CONTEXT {
            run.push(line);
            continue;
        }
        flush(&mut run, &mut out);
        out.push((*mark, printable(line)));
    }
    flush(&mut run, &mut out);
    out
}
