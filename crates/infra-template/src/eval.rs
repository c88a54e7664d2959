//! Evaluation of intrinsic functions within one stack's scope.
//!
//! Evaluation never fails on a value it cannot know: it returns [`Value::Unknown`] and goes on.
//! It records every resource a value reads as a [`Dep`], which is how the graph gets its edges.
//! References to names that do not exist are reported by [`crate::refs`] (which also sees
//! branches that evaluation skips), so here they only yield an unknown value.

use std::collections::BTreeMap;

use base64::Engine as _;

use crate::cidr::cidr;
use crate::dep::{Dep, EdgeKind};
use crate::diagnostic::Diagnostic;
use crate::expr::{Expr, ExprKind, Name, SubPart};
use crate::node::{Node, NodeKind};
use crate::source::Span;
use crate::value::{Unknown, Value};

pub(crate) use crate::scope::{Entity, Scope};
pub use crate::scope::{Lookups, Offline, PSEUDO_PARAMETERS, Pseudo, Resolved};

/// One evaluation: the deps and the errors it found.
pub(crate) struct Eval<'s, 'a> {
    scope: &'s Scope<'a>,
    pub deps: Vec<Dep>,
    pub errors: Vec<Diagnostic>,
}

type EvalResult = Result<Option<Value>, Diagnostic>;

fn derived() -> Value {
    Value::Unknown(Unknown::Derived)
}

impl<'s, 'a> Eval<'s, 'a> {
    pub(crate) fn new(scope: &'s Scope<'a>) -> Self {
        Eval {
            scope,
            deps: Vec::new(),
            errors: Vec::new(),
        }
    }

    /// Evaluates to a value, or `None` for `AWS::NoValue`.
    pub(crate) fn eval(&mut self, e: &Expr) -> EvalResult {
        let v = match &e.kind {
            ExprKind::Null => Value::Null,
            ExprKind::Invalid => derived(),
            ExprKind::Bool(b) => Value::Bool(*b),
            ExprKind::Number(n) => Value::Number(n.clone()),
            ExprKind::String(s) => Value::String(s.clone()),
            ExprKind::List(items) => {
                let mut out = Vec::with_capacity(items.len());
                for i in items {
                    if let Some(v) = self.eval(i)? {
                        out.push(v);
                    }
                }
                Value::List(out)
            }
            ExprKind::Map(entries) => {
                let mut out = BTreeMap::new();
                for (k, v) in entries {
                    if let Some(v) = self.eval(v)? {
                        out.insert(k.name.clone(), v);
                    }
                }
                Value::Map(out)
            }
            ExprKind::Ref(name) => return Ok(self.reference(name, EdgeKind::Ref)),
            ExprKind::GetAtt {
                resource,
                attribute,
            } => {
                let attr = self.value(attribute)?;
                match attr.as_text() {
                    Some(a) => self.get_att(resource, &a, EdgeKind::GetAtt, e.span)?,
                    None if matches!(attr, Value::Unknown(_)) => derived(),
                    None => {
                        return Err(Diagnostic::at(
                            attribute.span,
                            format!(
                                "Fn::GetAtt expects an attribute name, got {}",
                                attr.describe()
                            ),
                        ));
                    }
                }
            }
            ExprKind::Sub { parts, vars } => self.sub(parts, vars, e.span)?,
            ExprKind::Join { separator, items } => {
                let sep = self.string_arg("Fn::Join", "separator", separator)?;
                let items_v = self.value(items)?;
                match (sep, items_v) {
                    (Some(sep), Value::List(items_v)) => {
                        let mut texts = Vec::with_capacity(items_v.len());
                        let mut unknown = false;
                        for i in &items_v {
                            match i {
                                Value::Unknown(_) => unknown = true,
                                v => match v.as_text() {
                                    Some(t) => texts.push(t),
                                    None => {
                                        return Err(Diagnostic::at(
                                            items.span,
                                            format!(
                                                "Fn::Join expects a list of strings, got an item that is {}",
                                                v.describe()
                                            ),
                                        ));
                                    }
                                },
                            }
                        }
                        if unknown {
                            derived()
                        } else {
                            Value::String(texts.join(&sep))
                        }
                    }
                    (_, Value::Unknown(_)) | (None, _) => derived(),
                    (_, other) => {
                        return Err(Diagnostic::at(
                            items.span,
                            format!(
                                "Fn::Join expects a list of values to join, got {}",
                                other.describe()
                            ),
                        ));
                    }
                }
            }
            ExprKind::Select { index, list } => self.select(index, list)?,
            ExprKind::Split { separator, source } => {
                let sep = self.string_arg("Fn::Split", "separator", separator)?;
                let src = self.string_arg("Fn::Split", "source string", source)?;
                match (sep, src) {
                    (Some(sep), Some(src)) if !sep.is_empty() => {
                        Value::List(src.split(sep.as_str()).map(Value::string).collect())
                    }
                    (Some(_), Some(_)) => {
                        return Err(Diagnostic::at(
                            separator.span,
                            "Fn::Split separator must not be empty",
                        ));
                    }
                    _ => derived(),
                }
            }
            ExprKind::FindInMap {
                map,
                top,
                second,
                default,
            } => self.find_in_map(map, top, second, default.as_deref())?,
            ExprKind::GetAZs(region) => {
                let r = self.string_arg("Fn::GetAZs", "region", region)?;
                let region = match r {
                    Some(r) if !r.is_empty() => Some(r),
                    Some(_) => self.scope.pseudo.region.clone(),
                    None => None,
                };
                match region.and_then(|r| self.scope.lookups.availability_zones(&r).map(|z| (r, z)))
                {
                    Some((_, zones)) => Value::List(zones.into_iter().map(Value::String).collect()),
                    None => Value::Unknown(Unknown::Lookup("availability zones".into())),
                }
            }
            ExprKind::Base64(inner) => match self.string_arg("Fn::Base64", "string", inner)? {
                Some(s) => Value::String(base64::engine::general_purpose::STANDARD.encode(s)),
                None => derived(),
            },
            ExprKind::Cidr { block, count, bits } => {
                let b = self.string_arg("Fn::Cidr", "ipBlock", block)?;
                let c = self.number_arg("Fn::Cidr", "count", count)?;
                let n = self.number_arg("Fn::Cidr", "cidrBits", bits)?;
                match (b, c, n) {
                    (Some(_), Some(c), Some(_)) if !(1..=256).contains(&c) => {
                        return Err(Diagnostic::at(
                            count.span,
                            format!("Fn::Cidr: count must be between 1 and 256, got {c}"),
                        ));
                    }
                    // Out-of-range numbers saturate (and are then rejected) instead of wrapping.
                    (Some(b), Some(c), Some(n)) => match cidr(
                        &b,
                        u32::try_from(c).unwrap_or(u32::MAX),
                        u32::try_from(n).unwrap_or(u32::MAX),
                    ) {
                        Ok(list) => Value::List(list.into_iter().map(Value::String).collect()),
                        Err(msg) => return Err(Diagnostic::at(e.span, format!("Fn::Cidr: {msg}"))),
                    },
                    _ => derived(),
                }
            }
            ExprKind::If {
                condition,
                then,
                otherwise,
            } => {
                return match self.scope.condition(&condition.text, &mut self.errors) {
                    Some(true) => self.eval(then),
                    Some(false) => self.eval(otherwise),
                    None => {
                        let a = self.eval(then)?;
                        let b = self.eval(otherwise)?;
                        Ok(if a == b { a } else { Some(derived()) })
                    }
                };
            }
            ExprKind::Equals(a, b) => {
                let a = self.value(a)?;
                let b = self.value(b)?;
                if a.has_unknown() || b.has_unknown() {
                    derived()
                } else {
                    Value::Bool(match (a.as_text(), b.as_text()) {
                        (Some(x), Some(y)) => x == y,
                        _ => a == b,
                    })
                }
            }
            ExprKind::And(items) | ExprKind::Or(items) => {
                let is_and = matches!(e.kind, ExprKind::And(_));
                let mut unknown = false;
                for i in items {
                    match self.boolean(i)? {
                        Some(b) if b != is_and => return Ok(Some(Value::Bool(b))),
                        Some(_) => {}
                        None => unknown = true,
                    }
                }
                if unknown {
                    derived()
                } else {
                    Value::Bool(is_and)
                }
            }
            ExprKind::Not(inner) => match self.boolean(inner)? {
                Some(b) => Value::Bool(!b),
                None => derived(),
            },
            ExprKind::Condition(name) => match self.scope.condition(&name.text, &mut self.errors) {
                Some(b) => Value::Bool(b),
                None => derived(),
            },
            ExprKind::ImportValue(name) => {
                match self.string_arg("Fn::ImportValue", "export name", name)? {
                    Some(n) => {
                        self.scope.lookups.import_value(&n).unwrap_or_else(|| {
                            Value::Unknown(Unknown::Lookup(format!("export {n}")))
                        })
                    }
                    None => derived(),
                }
            }
            ExprKind::Length(inner) => match self.value(inner)? {
                Value::List(items) => Value::Number(items.len().to_string()),
                Value::Unknown(_) => derived(),
                other => {
                    return Err(Diagnostic::at(
                        inner.span,
                        format!("Fn::Length expects a list, got {}", other.describe()),
                    ));
                }
            },
            ExprKind::ToJsonString(inner) => {
                let v = self.value(inner)?;
                match v.to_json() {
                    Some(j) => Value::String(j.to_string()),
                    None => derived(),
                }
            }
        };
        Ok(Some(v))
    }

    /// Evaluates where a value is required (`AWS::NoValue` is not allowed).
    pub(crate) fn value(&mut self, e: &Expr) -> Result<Value, Diagnostic> {
        self.eval(e)?.ok_or_else(|| {
            Diagnostic::at(
                e.span,
                "AWS::NoValue can only stand for a whole property or list item",
            )
        })
    }

    fn boolean(&mut self, e: &Expr) -> Result<Option<bool>, Diagnostic> {
        match self.value(e)? {
            Value::Bool(b) => Ok(Some(b)),
            Value::String(s) if s == "true" || s == "false" => Ok(Some(s == "true")),
            Value::Unknown(_) => Ok(None),
            other => Err(Diagnostic::at(
                e.span,
                format!("expected a condition (a boolean), got {}", other.describe()),
            )),
        }
    }

    fn string_arg(
        &mut self,
        func: &str,
        what: &str,
        e: &Expr,
    ) -> Result<Option<String>, Diagnostic> {
        match self.value(e)? {
            Value::Unknown(_) => Ok(None),
            v => v.as_text().map(Some).ok_or_else(|| {
                Diagnostic::at(
                    e.span,
                    format!(
                        "{func} expects the {what} to be a string, got {}",
                        v.describe()
                    ),
                )
            }),
        }
    }

    fn number_arg(&mut self, func: &str, what: &str, e: &Expr) -> Result<Option<i64>, Diagnostic> {
        match self.string_arg(func, what, e)? {
            None => Ok(None),
            Some(t) => t.trim().parse::<i64>().map(Some).map_err(|_| {
                Diagnostic::at(
                    e.span,
                    format!("{func} expects the {what} to be a whole number, got `{t}`"),
                )
            }),
        }
    }

    fn not_created(&self, name: &str, condition: &str, span: Span) -> Diagnostic {
        Diagnostic::at(
            span,
            format!(
                "`{name}` is not created (its condition `{condition}` is false), so it cannot be referenced here; guard this reference with `Fn::If [{condition}, ...]` or give the reader the same Condition"
            ),
        )
    }

    fn add_dep(&mut self, logical: &str, kind: EdgeKind, span: Span) {
        self.deps.push(Dep {
            target: self.scope.address(logical),
            kind,
            span,
        });
    }

    /// `Ref` of a name: pseudo parameter, parameter, or resource. `None` for `AWS::NoValue`.
    fn reference(&mut self, name: &Name, kind: EdgeKind) -> Option<Value> {
        let pseudo = self.scope.pseudo;
        let n = name.text.as_str();
        let v = match n {
            "AWS::NoValue" => return None,
            "AWS::Region" => pseudo.region.clone().map_or_else(
                || Value::Unknown(Unknown::Lookup("region".into())),
                Value::String,
            ),
            "AWS::AccountId" => pseudo.account_id.clone().map_or_else(
                || Value::Unknown(Unknown::Lookup("account id".into())),
                Value::String,
            ),
            "AWS::Partition" => Value::string(pseudo.partition()),
            "AWS::URLSuffix" => Value::string(pseudo.url_suffix()),
            "AWS::StackName" => Value::String(self.scope.stack_name.clone()),
            "AWS::StackId" => Value::Unknown(Unknown::Lookup("stack id".into())),
            "AWS::NotificationARNs" => Value::List(Vec::new()),
            _ => {
                if let Some(p) = self.scope.params.get(n) {
                    let p = p.clone();
                    self.deps.extend(p.deps.into_iter().map(|d| Dep {
                        target: d.target,
                        kind: EdgeKind::Nested,
                        span: name.span,
                    }));
                    return Some(p.value);
                }
                match self.scope.entities.get(n) {
                    Some(Entity::Resource { .. }) | Some(Entity::Stack) => {
                        self.add_dep(n, kind, name.span);
                        let address = self.scope.address(n);
                        self.scope
                            .lookups
                            .resource_ref(&address)
                            .unwrap_or(Value::Unknown(Unknown::Ref { address }))
                    }
                    Some(Entity::ConditionFalse(c)) => {
                        let c = c.clone();
                        self.errors.push(self.not_created(n, &c, name.span));
                        derived()
                    }
                    // Unknown names are reported by the reference check.
                    _ => derived(),
                }
            }
        };
        Some(v)
    }

    fn get_att(
        &mut self,
        resource: &Name,
        attribute: &str,
        kind: EdgeKind,
        span: Span,
    ) -> Result<Value, Diagnostic> {
        let r = resource.text.as_str();
        match self.scope.entities.get(r) {
            Some(Entity::ConditionFalse(c)) => {
                let c = c.clone();
                Err(self.not_created(r, &c, resource.span))
            }
            Some(Entity::Stack) => {
                // A missing `Outputs.` prefix is reported by the reference check.
                let Some(output) = attribute.strip_prefix("Outputs.") else {
                    return Ok(derived());
                };
                let outputs = self.scope.child_outputs.get(r);
                match outputs.and_then(|o| o.get(output)) {
                    Some(res) => {
                        let res = res.clone();
                        self.deps.extend(res.deps.into_iter().map(|d| Dep {
                            target: d.target,
                            kind: EdgeKind::Nested,
                            span: resource.span,
                        }));
                        Ok(res.value)
                    }
                    // The child did not load (its errors are reported) or is conditioned out.
                    None if outputs.is_none() => Ok(derived()),
                    None => Err(Diagnostic::at(
                        span,
                        format!(
                            "nested stack `{r}` has no attribute `Outputs.{output}`: its template declares no output `{output}`"
                        ),
                    )),
                }
            }
            Some(Entity::Resource { .. }) => {
                self.add_dep(r, kind, resource.span);
                let address = self.scope.address(r);
                Ok(self
                    .scope
                    .lookups
                    .resource_attribute(&address, attribute)
                    .unwrap_or(Value::Unknown(Unknown::Attribute {
                        address,
                        attribute: attribute.to_string(),
                    })))
            }
            _ => Ok(derived()),
        }
    }

    fn sub(
        &mut self,
        parts: &[SubPart],
        vars: &[(crate::node::Key, Expr)],
        span: Span,
    ) -> Result<Value, Diagnostic> {
        let mut out = String::new();
        let mut unknown = false;
        for part in parts {
            let v = match part {
                SubPart::Literal(s) => {
                    out.push_str(s);
                    continue;
                }
                SubPart::Var(name) => {
                    if let Some((_, e)) = vars.iter().find(|(k, _)| k.name == name.text) {
                        self.value(e)?
                    } else if let Some((res, attr)) = name.text.split_once('.') {
                        let res = Name {
                            text: res.to_string(),
                            span: name.span,
                        };
                        self.get_att(&res, attr, EdgeKind::Sub, span)?
                    } else {
                        self.reference(name, EdgeKind::Sub).unwrap_or_else(derived)
                    }
                }
            };
            match v {
                Value::Unknown(_) => unknown = true,
                v => match v.as_text() {
                    Some(t) => out.push_str(&t),
                    None => {
                        let SubPart::Var(name) = part else { continue };
                        return Err(Diagnostic::at(
                            name.span,
                            format!(
                                "Fn::Sub variable `{}` is {}, not a string",
                                name.text,
                                v.describe()
                            ),
                        ));
                    }
                },
            }
        }
        Ok(if unknown {
            derived()
        } else {
            Value::String(out)
        })
    }

    fn select(&mut self, index: &Expr, list: &Expr) -> Result<Value, Diagnostic> {
        let i = self.number_arg("Fn::Select", "index", index)?;
        let l = self.value(list)?;
        match (i, l) {
            (Some(i), Value::List(items)) => {
                if i < 0 || i as usize >= items.len() {
                    return Err(Diagnostic::at(
                        index.span,
                        format!(
                            "Fn::Select index {i} is out of range for a list of {} item(s)",
                            items.len()
                        ),
                    ));
                }
                Ok(items[i as usize].clone())
            }
            (_, Value::Unknown(_)) | (None, _) => Ok(derived()),
            (Some(_), other) => Err(Diagnostic::at(
                list.span,
                format!(
                    "Fn::Select expects a list to select from, got {}",
                    other.describe()
                ),
            )),
        }
    }

    fn find_in_map(
        &mut self,
        map: &Expr,
        top: &Expr,
        second: &Expr,
        default: Option<&Expr>,
    ) -> Result<Value, Diagnostic> {
        let m = self.string_arg("Fn::FindInMap", "map name", map)?;
        let t = self.string_arg("Fn::FindInMap", "top-level key", top)?;
        let s = self.string_arg("Fn::FindInMap", "second-level key", second)?;
        let (Some(m), Some(t), Some(s)) = (m, t, s) else {
            return Ok(derived());
        };
        let Some((_, mapping)) = self
            .scope
            .template
            .mappings
            .iter()
            .find(|(n, _)| n.text == m)
        else {
            // A missing mapping is reported by the reference check when the name is literal.
            return Err(Diagnostic::at(
                map.span,
                format!("Fn::FindInMap: mapping `{m}` is not declared in Mappings"),
            ));
        };
        match mapping.get(&t).and_then(|tl| tl.get(&s)) {
            Some(node) => Ok(node_value(node)),
            None => match default {
                Some(d) => self.value(d),
                None => {
                    let span = if mapping.get(&t).is_none() {
                        top.span
                    } else {
                        second.span
                    };
                    Err(Diagnostic::at(
                        span,
                        format!("Fn::FindInMap: key [{t}, {s}] not found in mapping `{m}`"),
                    ))
                }
            },
        }
    }
}

/// The value of a literal document node (mapping values hold no intrinsics).
pub(crate) fn node_value(n: &Node) -> Value {
    match &n.kind {
        NodeKind::Null => Value::Null,
        NodeKind::Bool(b) => Value::Bool(*b),
        NodeKind::Number(s) => Value::Number(s.clone()),
        NodeKind::String(s) => Value::String(s.clone()),
        NodeKind::Seq(items) => Value::List(items.iter().map(node_value).collect()),
        NodeKind::Map(entries) => Value::Map(
            entries
                .iter()
                .map(|(k, v)| (k.name.clone(), node_value(v)))
                .collect(),
        ),
    }
}
