//! The property check: each resource's `Properties` against its type's schema from the
//! registry (unknown property, wrong shape, missing required property), done on the
//! expression tree so every error points at the key or value that is wrong.

use infra_registry::{ObjectShape, Property, Shape};

use crate::diagnostic::Diagnostic;
use crate::eval::PSEUDO_PARAMETERS;
use crate::expr::{Expr, ExprKind};
use crate::refs::suggest;
use crate::template::{ResourceDecl, Template};

/// What an intrinsic evaluates to, as far as shape goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Produces {
    Scalar,
    List,
    Anything,
}

struct Checker<'t> {
    template: &'t Template,
    resource: &'t ResourceDecl,
    errors: &'t mut Vec<Diagnostic>,
}

/// Checks the properties of resource `r` (of the registry type `type_name`).
pub(crate) fn check_properties(
    type_name: &str,
    r: &ResourceDecl,
    props: &Expr,
    template: &Template,
    errors: &mut Vec<Diagnostic>,
) {
    let Some(rt) = infra_registry::resource_type(type_name) else {
        return;
    };
    let mut c = Checker {
        template,
        resource: r,
        errors,
    };
    c.object(props, rt.properties, rt.required, false, "");
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

impl Checker<'_> {
    fn who(&self) -> String {
        format!(
            "`{}` ({})",
            self.resource.name.text, self.resource.type_name.text
        )
    }

    fn at(path: &str) -> String {
        if path.is_empty() {
            String::new()
        } else {
            format!(" at {path}")
        }
    }

    fn object(
        &mut self,
        e: &Expr,
        properties: &'static [Property],
        required: &[&str],
        additional: bool,
        path: &str,
    ) {
        match &e.kind {
            ExprKind::Map(entries) => {
                for (k, v) in entries {
                    match properties.iter().find(|p| p.name == k.name) {
                        Some(p) => self.value(v, &p.shape, &join(path, p.name)),
                        None if additional => {}
                        None => {
                            let hint = suggest(&k.name, properties.iter().map(|p| p.name));
                            self.errors.push(Diagnostic::at(
                                k.span,
                                format!(
                                    "{}: unknown property `{}`{}{hint}",
                                    self.who(),
                                    k.name,
                                    Self::at(path)
                                ),
                            ));
                        }
                    }
                }
                for req in required {
                    if !entries.iter().any(|(k, _)| k.name == *req) {
                        let span = if path.is_empty() {
                            self.resource.name.span
                        } else {
                            e.span
                        };
                        self.errors.push(Diagnostic::at(
                            span,
                            format!(
                                "{}: missing required property `{req}`{}",
                                self.who(),
                                Self::at(path)
                            ),
                        ));
                    }
                }
            }
            _ => self.intrinsic(e, Produces::Anything, "an object", path),
        }
    }

    fn value(&mut self, e: &Expr, shape: &Shape, path: &str) {
        match shape {
            Shape::Json | Shape::Any => {}
            Shape::Object(obj) => self.object_shape(e, obj, path),
            Shape::List(item) => match &e.kind {
                ExprKind::List(items) => {
                    for (i, it) in items.iter().enumerate() {
                        self.value(it, item, &format!("{path}[{i}]"));
                    }
                }
                ExprKind::Map(_)
                | ExprKind::String(_)
                | ExprKind::Number(_)
                | ExprKind::Bool(_) => {
                    self.mismatch(e, "a list", path);
                }
                _ => self.intrinsic(e, Produces::List, "a list", path),
            },
            Shape::String | Shape::Integer | Shape::Number | Shape::Boolean => match &e.kind {
                ExprKind::List(_) | ExprKind::Map(_) => self.mismatch(e, scalar_name(shape), path),
                ExprKind::String(s) => self.scalar_text(e, s, shape, path),
                ExprKind::Number(n) => {
                    if *shape == Shape::Boolean {
                        self.mismatch(e, "a boolean", path);
                    } else if *shape == Shape::Integer && n.parse::<i64>().is_err() {
                        self.mismatch(e, "a whole number", path);
                    }
                }
                ExprKind::Bool(_) => {
                    if matches!(shape, Shape::Integer | Shape::Number) {
                        self.mismatch(e, scalar_name(shape), path);
                    }
                }
                ExprKind::Null => {}
                _ => self.intrinsic(e, Produces::Scalar, scalar_name(shape), path),
            },
        }
    }

    fn object_shape(&mut self, e: &Expr, obj: &'static ObjectShape, path: &str) {
        match &e.kind {
            // A local code path, packaged when the template is loaded.
            ExprKind::String(_)
                if crate::package::takes_local_path(&self.resource.type_name.text, path) => {}
            ExprKind::Map(_) => self.object(
                e,
                obj.properties,
                obj.required,
                obj.additional_properties,
                path,
            ),
            ExprKind::List(_) | ExprKind::String(_) | ExprKind::Number(_) | ExprKind::Bool(_) => {
                self.mismatch(e, "a mapping", path);
            }
            _ => self.intrinsic(e, Produces::Scalar, "a mapping", path),
        }
    }

    fn scalar_text(&mut self, e: &Expr, s: &str, shape: &Shape, path: &str) {
        let ok = match shape {
            Shape::Integer => s.trim().parse::<i64>().is_ok(),
            Shape::Number => s.trim().parse::<f64>().is_ok(),
            Shape::Boolean => matches!(s, "true" | "false" | "True" | "False"),
            _ => true,
        };
        if !ok {
            self.errors.push(Diagnostic::at(
                e.span,
                format!(
                    "{}: expected {}{}, got the string \"{s}\"",
                    self.who(),
                    scalar_name(shape),
                    Self::at(path)
                ),
            ));
        }
    }

    fn mismatch(&mut self, e: &Expr, expected: &str, path: &str) {
        let got = match &e.kind {
            ExprKind::List(_) => "a list",
            ExprKind::Map(_) => "a mapping",
            ExprKind::String(_) => "a string",
            ExprKind::Number(_) => "a number",
            ExprKind::Bool(_) => "a boolean",
            _ => "another kind of value",
        };
        self.errors.push(Diagnostic::at(
            e.span,
            format!(
                "{}: expected {expected}{}, got {got}",
                self.who(),
                Self::at(path)
            ),
        ));
    }

    /// Checks an intrinsic where a value of shape `expected` (which needs `want`) goes.
    fn intrinsic(&mut self, e: &Expr, want: Produces, expected: &str, path: &str) {
        let produces = match &e.kind {
            ExprKind::If {
                then, otherwise, ..
            } => {
                // Each branch must fit; AWS::NoValue fits anywhere.
                for b in [then, otherwise] {
                    if !matches!(&b.kind, ExprKind::Ref(n) if n.text == "AWS::NoValue") {
                        self.branch(b, want, expected, path);
                    }
                }
                return;
            }
            ExprKind::Ref(n) => {
                if PSEUDO_PARAMETERS.contains(&n.text.as_str()) {
                    if n.text == "AWS::NotificationARNs" {
                        Produces::List
                    } else {
                        Produces::Scalar
                    }
                } else if let Some(p) = self
                    .template
                    .parameters
                    .iter()
                    .find(|p| p.name.text == n.text)
                {
                    if p.ty.is_list() {
                        Produces::List
                    } else {
                        Produces::Scalar
                    }
                } else {
                    Produces::Scalar
                }
            }
            ExprKind::Sub { .. }
            | ExprKind::Join { .. }
            | ExprKind::Base64(_)
            | ExprKind::ImportValue(_)
            | ExprKind::ToJsonString(_)
            | ExprKind::Length(_) => Produces::Scalar,
            ExprKind::Split { .. } | ExprKind::GetAZs(_) | ExprKind::Cidr { .. } => Produces::List,
            _ => Produces::Anything,
        };
        let fits = match (want, produces) {
            (_, Produces::Anything) | (Produces::Anything, _) => true,
            (a, b) => a == b,
        };
        // A mapping is expected but a scalar intrinsic (a Ref of a string parameter) is given.
        let object_expected = expected == "a mapping"
            && matches!(
                e.kind,
                ExprKind::Sub { .. }
                    | ExprKind::Join { .. }
                    | ExprKind::Split { .. }
                    | ExprKind::GetAZs(_)
                    | ExprKind::Cidr { .. }
                    | ExprKind::Base64(_)
            );
        if !fits || object_expected {
            let what = match produces {
                Produces::List => "a list",
                _ => "a single value",
            };
            self.errors.push(Diagnostic::at(
                e.span,
                format!(
                    "{}: expected {expected}{}, but this intrinsic returns {what}",
                    self.who(),
                    Self::at(path)
                ),
            ));
        }
    }

    fn branch(&mut self, b: &Expr, want: Produces, expected: &str, path: &str) {
        match (&b.kind, want) {
            (ExprKind::List(_), Produces::Scalar) | (ExprKind::Map(_), Produces::List) => {
                self.mismatch(b, expected, path)
            }
            (ExprKind::String(_) | ExprKind::Number(_) | ExprKind::Bool(_), Produces::List) => {
                self.mismatch(b, expected, path)
            }
            (
                ExprKind::List(_)
                | ExprKind::Map(_)
                | ExprKind::String(_)
                | ExprKind::Number(_)
                | ExprKind::Bool(_)
                | ExprKind::Null,
                _,
            ) => {}
            _ => self.intrinsic(b, want, expected, path),
        }
    }
}

fn scalar_name(shape: &Shape) -> &'static str {
    match shape {
        Shape::Integer => "a whole number",
        Shape::Number => "a number",
        Shape::Boolean => "a boolean",
        _ => "a string",
    }
}
