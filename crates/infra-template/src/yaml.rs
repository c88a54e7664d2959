//! YAML 1.2 and JSON reading into [`Node`]s.
//!
//! saphyr parses YAML 1.2 (so `2012-10-17` and `yes` stay strings), rejects duplicate keys and
//! keeps a span on every node and the tag of every short-form intrinsic. JSON is read by the
//! same parser (JSON is YAML 1.2 flow syntax) after serde_json has checked that it is strict JSON,
//! so JSON errors name the line and column serde_json found.

use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};

use crate::diagnostic::Diagnostic;
use crate::node::{Key, Node, NodeKind};
use crate::source::{CharIndex, FileId, Span};

/// The short-form tags CloudFormation defines, and the long form each stands for.
const SHORT_FORMS: &[(&str, &str)] = &[
    ("Ref", "Ref"),
    ("Condition", "Condition"),
    ("GetAtt", "Fn::GetAtt"),
    ("Sub", "Fn::Sub"),
    ("Join", "Fn::Join"),
    ("Select", "Fn::Select"),
    ("Split", "Fn::Split"),
    ("FindInMap", "Fn::FindInMap"),
    ("GetAZs", "Fn::GetAZs"),
    ("Base64", "Fn::Base64"),
    ("Cidr", "Fn::Cidr"),
    ("If", "Fn::If"),
    ("Equals", "Fn::Equals"),
    ("And", "Fn::And"),
    ("Or", "Fn::Or"),
    ("Not", "Fn::Not"),
    ("ImportValue", "Fn::ImportValue"),
    ("Transform", "Fn::Transform"),
    ("Length", "Fn::Length"),
    ("ToJsonString", "Fn::ToJsonString"),
];

/// Which syntax a template file is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// YAML 1.2 with CloudFormation's short-form tags.
    Yaml,
    /// JSON.
    Json,
}

impl Format {
    /// JSON when the text's first non-blank character opens an object, YAML otherwise (as
    /// CloudFormation decides).
    pub fn sniff(text: &str) -> Format {
        match text
            .trim_start_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}')
            .chars()
            .next()
        {
            Some('{') => Format::Json,
            _ => Format::Yaml,
        }
    }
}

/// How deeply values may nest. Templates need a dozen levels or so; the limit keeps every
/// recursive walk (here, in evaluation, in checks) far from the end of a 2 MiB thread stack.
pub const MAX_DEPTH: usize = 100;

/// saphyr recurses once per level of block collections and overflows the stack a few hundred
/// levels down. Every block level needs a column of indentation or an indicator (`- `, `? `,
/// `: `), so a line whose content starts further right than this may nest too deeply for it.
/// (Flow collections are limited by saphyr itself.)
const MAX_BLOCK_COLUMN: usize = 4 * MAX_DEPTH;

/// Where a line's content starts, past indentation and block indicators.
fn block_column(line: &str) -> usize {
    let b = line.as_bytes();
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        match c {
            b' ' | b'\t' => i += 1,
            b'-' | b'?' | b':' if b.get(i + 1).is_none_or(|n| matches!(n, b' ' | b'\t')) => i += 1,
            _ => break,
        }
    }
    // Blank and comment lines open nothing, however far they are indented.
    let indicators = b[..i].iter().any(|c| !matches!(c, b' ' | b'\t'));
    if !indicators && matches!(b.get(i), None | Some(b'#' | b'\r')) {
        return 0;
    }
    i
}

fn too_deep(span: Span) -> Diagnostic {
    Diagnostic::at(
        span,
        format!("values nest too deeply here: a template may nest at most {MAX_DEPTH} levels"),
    )
}

/// Parses one template file. An empty document is an error: a template needs `Resources`.
pub fn parse(file: FileId, text: &str, format: Format) -> Result<Node, Diagnostic> {
    let index = CharIndex::new(text);
    if format == Format::Json {
        check_strict_json(file, text)?;
    }
    if let Some((i, _)) = text
        .lines()
        .enumerate()
        .find(|(_, l)| block_column(l) > MAX_BLOCK_COLUMN)
    {
        let start = byte_of_line_col(text, i + 1, 1);
        return Err(too_deep(Span {
            file,
            line: u32::try_from(i + 1).unwrap_or(u32::MAX),
            col: 1,
            start,
            end: start,
        }));
    }
    let mut docs = MarkedYaml::load_from_str(text).map_err(|e| {
        let m = e.marker();
        let span = span_at(file, text, &index, m.index(), m.line(), m.col());
        let what = if format == Format::Json {
            "JSON"
        } else {
            "YAML"
        };
        let mut info = e.info().to_string();
        if info.contains("duplicated key") {
            // Name the key: the marker points at the repeated one.
            let key: String = text[span.start..]
                .chars()
                .take_while(|c| !matches!(c, ':' | '\n' | '\r'))
                .collect();
            let key = key.trim().trim_matches(['"', '\'']);
            if !key.is_empty() {
                info = format!("duplicate key `{key}` in mapping");
            }
        }
        let mut d = Diagnostic::at(span, format!("invalid {what}: {info}"));
        if let Some((line, col)) = unclosed_flow(text, span.line).filter(|_| format == Format::Yaml)
        {
            d = d.with_note(
                Some(Span {
                    file,
                    line,
                    col,
                    start: byte_of_line_col(text, line as usize, col as usize),
                    end: byte_of_line_col(text, line as usize, col as usize) + 1,
                }),
                "this bracket is never closed",
            );
        }
        d
    })?;
    if docs.len() > 1 {
        return Err(Diagnostic::at(
            Span {
                file,
                line: 1,
                col: 1,
                ..Span::default()
            },
            "a template file must hold one YAML document, found several (`---`)",
        ));
    }
    let Some(doc) = docs.pop() else {
        return Err(empty(file));
    };
    let conv = Converter {
        file,
        text,
        index: &index,
        depth: std::cell::Cell::new(0),
    };
    let node = conv.node(&doc, None)?;
    if node.kind == NodeKind::Null {
        return Err(empty(file));
    }
    Ok(node)
}

fn empty(file: FileId) -> Diagnostic {
    Diagnostic::at(
        Span {
            file,
            line: 1,
            col: 1,
            ..Span::default()
        },
        "empty template: the file holds no document (a template needs at least `Resources`)",
    )
}

fn check_strict_json(file: FileId, text: &str) -> Result<(), Diagnostic> {
    // A byte order mark is not JSON, but editors write one; the YAML reader that reads the file
    // next skips it too.
    let (json, bom) = match text.strip_prefix('\u{FEFF}') {
        Some(rest) => (rest, text.len() - rest.len()),
        None => (text, 0),
    };
    match serde_json::from_str::<serde::de::IgnoredAny>(json) {
        Ok(_) => Ok(()),
        Err(e) => {
            let line = e.line().max(1);
            let col = e.column().max(1);
            let start = (bom + byte_of_line_col(json, line, col)).min(text.len());
            let msg = e.to_string();
            // serde_json appends " at line L column C"; the position is shown separately.
            let msg = msg
                .rsplit_once(" at line ")
                .map_or(msg.as_str(), |(m, _)| m)
                .to_string();
            // Point where the fix goes: at a trailing comma, or just after the value that
            // lacks its comma, rather than at the token after it.
            let before = text[..start].trim_end();
            let at_closer = text[start..].trim_start().starts_with(['}', ']'])
                || text[..start].ends_with(['}', ']']);
            let (offset, msg) = if before.ends_with(',')
                && (at_closer
                    || msg.contains("trailing comma")
                    || msg.contains("key must be a string"))
            {
                (
                    before.len() - 1,
                    "trailing comma (JSON allows no comma after the last item)".to_string(),
                )
            } else if msg.starts_with("expected `,`") {
                (
                    before.len(),
                    format!("{msg}: a comma is missing after this value"),
                )
            } else {
                (start, msg)
            };
            let (l, c) = line_col_of(text, offset);
            Err(Diagnostic::at(
                Span {
                    file,
                    line: l,
                    col: c,
                    start: offset,
                    end: (offset + 1).min(text.len()),
                },
                format!("invalid JSON: {msg}"),
            ))
        }
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col_of(text: &str, offset: usize) -> (u32, u32) {
    let head = &text[..offset.min(text.len())];
    let line = head.matches('\n').count() + 1;
    let col = head.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line as u32, col as u32)
}

fn byte_of_line_col(text: &str, line: usize, col: usize) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            return offset
                + l.char_indices()
                    .nth(col.saturating_sub(1))
                    .map_or(l.len(), |(b, _)| b);
        }
        offset += l.len();
    }
    text.len()
}

fn span_at(
    file: FileId,
    text: &str,
    index: &CharIndex,
    char_index: usize,
    line: usize,
    col: usize,
) -> Span {
    let start = index.byte(char_index).min(text.len());
    Span {
        file,
        line: line.max(1) as u32,
        col: col as u32 + 1,
        start,
        end: start,
    }
}

struct Converter<'a> {
    file: FileId,
    text: &'a str,
    index: &'a CharIndex,
    /// How many nodes enclose the one being converted.
    depth: std::cell::Cell<usize>,
}

impl Converter<'_> {
    fn span(&self, y: &MarkedYaml<'_>) -> Span {
        let s = y.span.start;
        let e = y.span.end;
        let start = self.index.byte(s.index()).min(self.text.len());
        let end = self.index.byte(e.index()).clamp(start, self.text.len());
        Span {
            file: self.file,
            line: s.line().max(1) as u32,
            col: s.col() as u32 + 1,
            start,
            end,
        }
    }

    /// saphyr expands an alias (`*name`) into a copy of its anchor's node, spanned at the alias;
    /// no plain scalar can start with `*`, so a node whose text starts with one is an alias.
    fn reject_alias(&self, span: Span) -> Result<(), Diagnostic> {
        if self
            .text
            .get(span.start..)
            .is_some_and(|t| t.starts_with('*'))
        {
            return Err(Diagnostic::at(
                span,
                "YAML aliases (`*name`) are not supported in templates (CloudFormation does not support anchors and aliases): repeat the value instead",
            ));
        }
        Ok(())
    }

    /// `outer` is the span of an enclosing tag: tagged scalars carry no span of their own.
    fn node(&self, y: &MarkedYaml<'_>, outer: Option<Span>) -> Result<Node, Diagnostic> {
        let depth = self.depth.get();
        if depth >= MAX_DEPTH {
            return Err(too_deep(outer.unwrap_or_else(|| self.span(y))));
        }
        self.depth.set(depth + 1);
        let node = self.node_at_depth(y, outer);
        self.depth.set(depth);
        node
    }

    fn node_at_depth(&self, y: &MarkedYaml<'_>, outer: Option<Span>) -> Result<Node, Diagnostic> {
        let own = self.span(y);
        let span = match outer {
            Some(o) if own.line == 1 && own.col == 1 && own.start == 0 && own.end == 0 => o,
            _ => own,
        };
        self.reject_alias(span)?;
        let kind = match &y.data {
            YamlData::Value(scalar) => self.scalar(scalar, span),
            YamlData::Representation(text, _, _) => NodeKind::String(text.to_string()),
            YamlData::Sequence(items) => NodeKind::Seq(
                items
                    .iter()
                    .map(|i| self.node(i, None))
                    .collect::<Result<_, _>>()?,
            ),
            YamlData::Mapping(map) => {
                let mut entries = Vec::with_capacity(map.len());
                for (k, v) in map {
                    let key_span = self.span(k);
                    self.reject_alias(key_span)?;
                    let name = match &k.data {
                        YamlData::Value(s) => match self.scalar(s, key_span) {
                            NodeKind::String(s) | NodeKind::Number(s) => s,
                            NodeKind::Bool(b) => b.to_string(),
                            _ => {
                                return Err(Diagnostic::at(
                                    key_span,
                                    "a mapping key must be a string",
                                ));
                            }
                        },
                        _ => {
                            return Err(Diagnostic::at(key_span, "a mapping key must be a string"));
                        }
                    };
                    entries.push((
                        Key {
                            name,
                            span: key_span,
                        },
                        self.node(v, None)?,
                    ));
                }
                NodeKind::Map(entries)
            }
            YamlData::Tagged(tag, inner) => {
                return self.tagged(&tag.handle, &tag.suffix, inner, span);
            }
            YamlData::Alias(_) => {
                return Err(Diagnostic::at(
                    span,
                    "YAML aliases are not supported in templates",
                ));
            }
            YamlData::BadValue => {
                return Err(Diagnostic::at(span, "invalid YAML: value cannot be read"));
            }
        };
        Ok(Node { span, kind })
    }

    fn tagged(
        &self,
        handle: &str,
        suffix: &str,
        inner: &MarkedYaml<'_>,
        span: Span,
    ) -> Result<Node, Diagnostic> {
        if handle == "!"
            && let Some((_, long)) = SHORT_FORMS.iter().find(|(s, _)| *s == suffix)
        {
            let mut value = self.node(inner, Some(span))?;
            // `!GetAtt A.B` is the string form of `Fn::GetAtt: [A, B]`.
            if *long == "Fn::GetAtt"
                && let NodeKind::String(s) = &value.kind
            {
                value = split_getatt(s, value.span);
            }
            return Ok(Node {
                span,
                kind: NodeKind::Map(vec![(
                    Key {
                        name: (*long).to_string(),
                        span,
                    },
                    value,
                )]),
            });
        }
        if handle == "tag:yaml.org,2002:" || handle == "!!" {
            // Core-schema tags (`!!str 5`) are resolved by the parser; keep the value.
            return self.node(inner, Some(span));
        }
        Err(Diagnostic::at(
            span,
            format!(
                "unknown tag `{handle}{suffix}`: CloudFormation short forms are !Ref, !GetAtt, !Sub, !Join, !Select, !Split, !FindInMap, !GetAZs, !Base64, !Cidr, !If, !Equals, !And, !Or, !Not, !Condition, !ImportValue"
            ),
        ))
    }

    fn scalar(&self, s: &Scalar<'_>, span: Span) -> NodeKind {
        match s {
            Scalar::Null => NodeKind::Null,
            Scalar::Boolean(b) => NodeKind::Bool(*b),
            Scalar::Integer(i) => {
                // Keep leading zeros as written: `012345678901` is an account id, and
                // CloudFormation's YAML reads it as the string it looks like.
                let digits = self.text.get(span.start..span.end).map(str::trim);
                match digits {
                    Some(r)
                        if r.trim_start_matches('-').len() > 1
                            && r.trim_start_matches('-').starts_with('0')
                            && r.trim_start_matches('-')
                                .bytes()
                                .all(|b| b.is_ascii_digit()) =>
                    {
                        NodeKind::Number(r.to_string())
                    }
                    _ => NodeKind::Number(i.to_string()),
                }
            }
            Scalar::FloatingPoint(f) => {
                // Keep the number as written (`1.10` must not become `1.1`).
                let raw = self.text.get(span.start..span.end).map(str::trim);
                match raw {
                    Some(r) if !r.is_empty() && r.parse::<f64>().is_ok() => {
                        NodeKind::Number(r.to_string())
                    }
                    _ => NodeKind::Number(f.to_string()),
                }
            }
            Scalar::String(s) => NodeKind::String(s.to_string()),
        }
    }
}

/// `A.B.C` → `[A, B.C]`: the resource is everything before the first dot.
fn split_getatt(s: &str, span: Span) -> Node {
    let (res, attr) = s.split_once('.').unwrap_or((s, ""));
    let item = |t: &str| Node {
        span,
        kind: NodeKind::String(t.to_string()),
    };
    Node {
        span,
        kind: NodeKind::Seq(vec![item(res), item(attr)]),
    }
}

#[cfg(test)]
mod tests;

/// The last `[` or `{` left open on a line before `error_line` (outside quotes), if any:
/// YAML reports an unclosed flow collection where it gives up, often lines later.
fn unclosed_flow(text: &str, error_line: u32) -> Option<(u32, u32)> {
    let mut open: Vec<(u32, u32)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = i as u32 + 1;
        if n >= error_line {
            break;
        }
        let mut quote: Option<char> = None;
        for (c_idx, c) in line.chars().enumerate() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '\'' | '"') => quote = Some(c),
                (None, '#') => break,
                (None, '[' | '{') => open.push((n, c_idx as u32 + 1)),
                (None, ']' | '}') => {
                    open.pop();
                }
                _ => {}
            }
        }
    }
    open.last().copied()
}
