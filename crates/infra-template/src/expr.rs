//! The intrinsic-function AST: a template value with every `Ref`, `Fn::*` and `Condition`
//! recognised, checked for arity and shape, and positioned.
//!
//! Parsing an [`Expr`] never evaluates anything; [`crate::eval`] does that.

use crate::diagnostic::Diagnostic;
use crate::node::{Key, Node, NodeKind};
use crate::source::Span;

/// A name written in a template (a logical id, parameter, condition, attribute) and where.
#[derive(Debug, Clone, PartialEq)]
pub struct Name {
    /// The name.
    pub text: String,
    /// Where it is written.
    pub span: Span,
}

/// A template value that may contain intrinsic functions.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    /// Where the value (or the intrinsic's key or tag) is.
    pub span: Span,
    /// What it is.
    pub kind: ExprKind,
}

/// The literal shapes and intrinsic functions of CloudFormation.
#[derive(Debug, Clone, PartialEq)]
#[allow(missing_docs)]
pub enum ExprKind {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    List(Vec<Expr>),
    Map(Vec<(Key, Expr)>),
    /// `Ref`: a parameter, resource or pseudo parameter.
    Ref(Name),
    /// `Fn::GetAtt [Resource, Attribute]`; the attribute may be dotted (`Outputs.VpcId`).
    GetAtt {
        resource: Name,
        attribute: Box<Expr>,
    },
    /// `Fn::Sub` in its string or `[string, {vars}]` form.
    Sub {
        parts: Vec<SubPart>,
        vars: Vec<(Key, Expr)>,
    },
    Join {
        separator: Box<Expr>,
        items: Box<Expr>,
    },
    Select {
        index: Box<Expr>,
        list: Box<Expr>,
    },
    Split {
        separator: Box<Expr>,
        source: Box<Expr>,
    },
    FindInMap {
        map: Box<Expr>,
        top: Box<Expr>,
        second: Box<Expr>,
        default: Option<Box<Expr>>,
    },
    GetAZs(Box<Expr>),
    Base64(Box<Expr>),
    Cidr {
        block: Box<Expr>,
        count: Box<Expr>,
        bits: Box<Expr>,
    },
    If {
        condition: Name,
        then: Box<Expr>,
        otherwise: Box<Expr>,
    },
    Equals(Box<Expr>, Box<Expr>),
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Not(Box<Expr>),
    /// `{Condition: Name}` inside `Fn::And`, `Fn::Or`, `Fn::Not`.
    Condition(Name),
    ImportValue(Box<Expr>),
    /// `Fn::Length` (AWS::LanguageExtensions).
    Length(Box<Expr>),
    /// `Fn::ToJsonString` (AWS::LanguageExtensions).
    ToJsonString(Box<Expr>),
    /// A malformed intrinsic, already reported; evaluates to an unknown value so that one
    /// mistake is reported once.
    Invalid,
}

/// A piece of an `Fn::Sub` string.
#[derive(Debug, Clone, PartialEq)]
pub enum SubPart {
    /// Text copied as is (`${!X}` has already become `${X}` here).
    Literal(String),
    /// `${Name}` or `${Resource.Attribute}`.
    Var(Name),
}

impl Expr {
    /// Every intrinsic function call in this expression (pre-order), with its name.
    pub fn walk<'a>(&'a self, f: &mut dyn FnMut(&'a Expr)) {
        f(self);
        match &self.kind {
            ExprKind::Null
            | ExprKind::Invalid
            | ExprKind::Bool(_)
            | ExprKind::Number(_)
            | ExprKind::String(_)
            | ExprKind::Ref(_)
            | ExprKind::Condition(_) => {}
            ExprKind::List(items) | ExprKind::And(items) | ExprKind::Or(items) => {
                items.iter().for_each(|i| i.walk(f));
            }
            ExprKind::Map(entries) => entries.iter().for_each(|(_, v)| v.walk(f)),
            ExprKind::GetAtt { attribute, .. } => attribute.walk(f),
            ExprKind::Sub { vars, .. } => vars.iter().for_each(|(_, v)| v.walk(f)),
            ExprKind::Join {
                separator: a,
                items: b,
            }
            | ExprKind::Select { index: a, list: b }
            | ExprKind::Split {
                separator: a,
                source: b,
            }
            | ExprKind::Equals(a, b) => {
                a.walk(f);
                b.walk(f);
            }
            ExprKind::FindInMap {
                map,
                top,
                second,
                default,
            } => {
                map.walk(f);
                top.walk(f);
                second.walk(f);
                if let Some(d) = default {
                    d.walk(f);
                }
            }
            ExprKind::GetAZs(e)
            | ExprKind::Base64(e)
            | ExprKind::Not(e)
            | ExprKind::ImportValue(e)
            | ExprKind::Length(e)
            | ExprKind::ToJsonString(e) => e.walk(f),
            ExprKind::Cidr { block, count, bits } => {
                block.walk(f);
                count.walk(f);
                bits.walk(f);
            }
            ExprKind::If {
                then, otherwise, ..
            } => {
                then.walk(f);
                otherwise.walk(f);
            }
        }
    }

    /// The literal string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            ExprKind::String(s) => Some(s),
            _ => None,
        }
    }
}

/// Where an expression sits: `Condition` is an intrinsic only inside condition functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ctx {
    Value,
    Condition,
}

/// Parses a template value into an [`Expr`], collecting every malformed intrinsic.
pub fn parse_expr(node: &Node, errors: &mut Vec<Diagnostic>) -> Expr {
    parse_in(node, Ctx::Value, errors)
}

/// Parses a condition body (the value of an entry under `Conditions`).
pub fn parse_condition(node: &Node, errors: &mut Vec<Diagnostic>) -> Expr {
    parse_in(node, Ctx::Condition, errors)
}

fn parse_in(node: &Node, ctx: Ctx, errors: &mut Vec<Diagnostic>) -> Expr {
    let kind = match &node.kind {
        NodeKind::Null => ExprKind::Null,
        NodeKind::Bool(b) => ExprKind::Bool(*b),
        NodeKind::Number(n) => ExprKind::Number(n.clone()),
        NodeKind::String(s) => ExprKind::String(s.clone()),
        NodeKind::Seq(items) => {
            ExprKind::List(items.iter().map(|i| parse_in(i, ctx, errors)).collect())
        }
        NodeKind::Map(entries) => {
            if let [(key, arg)] = entries.as_slice()
                && let Some(kind) = intrinsic(key, arg, ctx, errors)
            {
                return Expr {
                    span: key.span,
                    kind,
                };
            }
            ExprKind::Map(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), parse_in(v, ctx, errors)))
                    .collect(),
            )
        }
    };
    Expr {
        span: node.span,
        kind,
    }
}

/// An error expression: parsing goes on so that every problem is reported in one run.
fn bad(span: Span, errors: &mut Vec<Diagnostic>, message: String) -> ExprKind {
    errors.push(Diagnostic::at(span, message));
    ExprKind::Invalid
}

fn args<'a>(
    name: &str,
    arg: &'a Node,
    n: std::ops::RangeInclusive<usize>,
    shape: &str,
    errors: &mut Vec<Diagnostic>,
) -> Option<&'a [Node]> {
    match &arg.kind {
        NodeKind::Seq(items) if n.contains(&items.len()) => Some(items),
        _ => {
            let got = match &arg.kind {
                NodeKind::Seq(items) => format!("a list of {} item(s)", items.len()),
                _ => arg.describe().to_string(),
            };
            errors.push(Diagnostic::at(
                arg.span,
                format!("{name} expects {shape}, got {got}"),
            ));
            None
        }
    }
}

fn name_of(kind: &str, node: &Node, errors: &mut Vec<Diagnostic>) -> Option<Name> {
    match &node.kind {
        NodeKind::String(s) if !s.is_empty() => Some(Name {
            text: s.clone(),
            span: node.span,
        }),
        _ => {
            errors.push(Diagnostic::at(
                node.span,
                format!(
                    "{kind} expects a name (a non-empty string), got {}",
                    node.describe()
                ),
            ));
            None
        }
    }
}

fn intrinsic(key: &Key, arg: &Node, ctx: Ctx, errors: &mut Vec<Diagnostic>) -> Option<ExprKind> {
    let sub = |n: &Node, errors: &mut Vec<Diagnostic>| Box::new(parse_in(n, Ctx::Value, errors));
    let cond =
        |n: &Node, errors: &mut Vec<Diagnostic>| Box::new(parse_in(n, Ctx::Condition, errors));
    let span = key.span;
    let kind = match key.name.as_str() {
        "Ref" => match name_of("Ref", arg, errors) {
            Some(n) => ExprKind::Ref(n),
            None => ExprKind::Invalid,
        },
        "Condition" if ctx == Ctx::Condition => match name_of("Condition", arg, errors) {
            Some(n) => ExprKind::Condition(n),
            None => ExprKind::Invalid,
        },
        "Fn::GetAtt" => parse_getatt(arg, errors),
        "Fn::Sub" => parse_sub(arg, errors),
        "Fn::Join" => match args("Fn::Join", arg, 2..=2, "a list of two items [separator, list]", errors) {
            Some([sep, items]) => ExprKind::Join {
                separator: sub(sep, errors),
                items: sub(items, errors),
            },
            _ => ExprKind::Invalid,
        },
        "Fn::Select" => match args("Fn::Select", arg, 2..=2, "a list of two items [index, list]", errors) {
            Some([i, l]) => ExprKind::Select {
                index: sub(i, errors),
                list: sub(l, errors),
            },
            _ => ExprKind::Invalid,
        },
        "Fn::Split" => match args("Fn::Split", arg, 2..=2, "a list of two items [separator, string]", errors) {
            Some([s, src]) => ExprKind::Split {
                separator: sub(s, errors),
                source: sub(src, errors),
            },
            _ => ExprKind::Invalid,
        },
        "Fn::FindInMap" => match args(
            "Fn::FindInMap",
            arg,
            3..=4,
            "a list [MapName, TopLevelKey, SecondLevelKey] (and optionally {DefaultValue: ...})",
            errors,
        ) {
            Some(items) => {
                let default = items.get(3).and_then(|d| match d.get("DefaultValue") {
                    Some(v) if d.as_map().is_some_and(|m| m.len() == 1) => Some(sub(v, errors)),
                    _ => {
                        errors.push(Diagnostic::at(
                            d.span,
                            "Fn::FindInMap expects its fourth item to be {DefaultValue: value}",
                        ));
                        None
                    }
                });
                ExprKind::FindInMap {
                    map: sub(&items[0], errors),
                    top: sub(&items[1], errors),
                    second: sub(&items[2], errors),
                    default,
                }
            }
            None => ExprKind::Invalid,
        },
        "Fn::GetAZs" => ExprKind::GetAZs(sub(arg, errors)),
        "Fn::Base64" => ExprKind::Base64(sub(arg, errors)),
        "Fn::Cidr" => match args("Fn::Cidr", arg, 3..=3, "a list of three items [ipBlock, count, cidrBits]", errors) {
            Some([b, c, bits]) => ExprKind::Cidr {
                block: sub(b, errors),
                count: sub(c, errors),
                bits: sub(bits, errors),
            },
            _ => ExprKind::Invalid,
        },
        "Fn::If" => match args("Fn::If", arg, 3..=3, "a list of three items [condition, value_if_true, value_if_false]", errors) {
            Some([c, t, f]) => match name_of("Fn::If", c, errors) {
                Some(condition) => ExprKind::If {
                    condition,
                    then: Box::new(parse_in(t, ctx, errors)),
                    otherwise: Box::new(parse_in(f, ctx, errors)),
                },
                None => ExprKind::Invalid,
            },
            _ => ExprKind::Invalid,
        },
        "Fn::Equals" => match args("Fn::Equals", arg, 2..=2, "a list of two values to compare", errors) {
            Some([a, b]) => ExprKind::Equals(sub(a, errors), sub(b, errors)),
            _ => ExprKind::Invalid,
        },
        "Fn::And" | "Fn::Or" => {
            let shape = "a list of 2 to 10 conditions";
            match args(&key.name, arg, 2..=10, shape, errors) {
                Some(items) => {
                    let items = items.iter().map(|i| *cond(i, errors)).collect();
                    if key.name == "Fn::And" {
                        ExprKind::And(items)
                    } else {
                        ExprKind::Or(items)
                    }
                }
                None => ExprKind::Invalid,
            }
        }
        "Fn::Not" => match args("Fn::Not", arg, 1..=1, "a list of one condition", errors) {
            Some([c]) => ExprKind::Not(cond(c, errors)),
            _ => ExprKind::Invalid,
        },
        "Fn::ImportValue" => ExprKind::ImportValue(sub(arg, errors)),
        "Fn::Length" => ExprKind::Length(sub(arg, errors)),
        "Fn::ToJsonString" => ExprKind::ToJsonString(sub(arg, errors)),
        "Fn::Transform" => bad(
            span,
            errors,
            "Fn::Transform (template macros) is not supported: infra deploys without CloudFormation"
                .into(),
        ),
        other if other.starts_with("Fn::") => bad(
            span,
            errors,
            format!("unknown intrinsic function `{other}`"),
        ),
        _ => return None,
    };
    Some(kind)
}

fn parse_getatt(arg: &Node, errors: &mut Vec<Diagnostic>) -> ExprKind {
    let items = match &arg.kind {
        // The long form also accepts "Resource.Attribute".
        NodeKind::String(s) => {
            let (r, a) = s.split_once('.').unwrap_or((s, ""));
            vec![
                Node {
                    span: arg.span,
                    kind: NodeKind::String(r.into()),
                },
                Node {
                    span: arg.span,
                    kind: NodeKind::String(a.into()),
                },
            ]
        }
        NodeKind::Seq(items) if items.len() == 2 => items.clone(),
        _ => {
            let _ = args(
                "Fn::GetAtt",
                arg,
                2..=2,
                "[Resource, Attribute] or \"Resource.Attribute\"",
                errors,
            );
            return ExprKind::Invalid;
        }
    };
    let Some(resource) = name_of("Fn::GetAtt", &items[0], errors) else {
        return ExprKind::Invalid;
    };
    if items[1].as_scalar_text().is_some_and(|a| a.is_empty()) {
        return bad(
            arg.span,
            errors,
            format!(
                "Fn::GetAtt expects \"Resource.Attribute\", got `{}` with no attribute",
                resource.text
            ),
        );
    }
    ExprKind::GetAtt {
        resource,
        attribute: Box::new(parse_in(&items[1], Ctx::Value, errors)),
    }
}

fn parse_sub(arg: &Node, errors: &mut Vec<Diagnostic>) -> ExprKind {
    let (text, vars) = match &arg.kind {
        NodeKind::String(s) => ((s.as_str(), arg.span), Vec::new()),
        NodeKind::Seq(items) if items.len() == 2 => {
            let NodeKind::String(s) = &items[0].kind else {
                return bad(
                    items[0].span,
                    errors,
                    format!(
                        "Fn::Sub expects its first item to be a string, got {}",
                        items[0].describe()
                    ),
                );
            };
            let Some(map) = items[1].as_map() else {
                return bad(
                    items[1].span,
                    errors,
                    format!(
                        "Fn::Sub expects its second item to be a mapping of variables, got {}",
                        items[1].describe()
                    ),
                );
            };
            let vars = map
                .iter()
                .map(|(k, v)| (k.clone(), parse_in(v, Ctx::Value, errors)))
                .collect();
            ((s.as_str(), items[0].span), vars)
        }
        _ => {
            let _ = args(
                "Fn::Sub",
                arg,
                2..=2,
                "a string or a list [string, {variables}]",
                errors,
            );
            return ExprKind::Invalid;
        }
    };
    match parse_sub_string(text.0, text.1) {
        Ok(parts) => ExprKind::Sub { parts, vars },
        Err(d) => {
            errors.push(d);
            ExprKind::Invalid
        }
    }
}

/// Splits an `Fn::Sub` string into literal text and `${...}` variables.
pub fn parse_sub_string(s: &str, span: Span) -> Result<Vec<SubPart>, Diagnostic> {
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("${") {
        literal.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let Some(end) = after.find('}') else {
            return Err(Diagnostic::at(
                span,
                format!(
                    "Fn::Sub string has an unclosed `${{` in `{}`",
                    abbreviate(s)
                ),
            ));
        };
        let var = &after[..end];
        if let Some(lit) = var.strip_prefix('!') {
            literal.push_str("${");
            literal.push_str(lit);
            literal.push('}');
        } else {
            let name = var.trim();
            if name.is_empty() {
                return Err(Diagnostic::at(span, "Fn::Sub string has an empty `${}`"));
            }
            if !literal.is_empty() {
                parts.push(SubPart::Literal(std::mem::take(&mut literal)));
            }
            parts.push(SubPart::Var(Name {
                text: name.to_string(),
                span,
            }));
        }
        rest = &after[end + 1..];
    }
    literal.push_str(rest);
    if !literal.is_empty() {
        parts.push(SubPart::Literal(literal));
    }
    Ok(parts)
}

fn abbreviate(s: &str) -> String {
    let first = s.lines().next().unwrap_or("");
    if first.chars().count() > 60 {
        format!("{}...", first.chars().take(60).collect::<String>())
    } else {
        first.to_string()
    }
}

#[cfg(test)]
#[path = "expr_tests.rs"]
mod tests;
