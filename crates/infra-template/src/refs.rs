//! The reference check: every name an expression uses (`Ref`, `Fn::GetAtt`, `${...}`,
//! conditions, mappings, `DependsOn`) must exist. Runs over the whole template, including
//! branches that evaluation skips, so a typo in an unused `Fn::If` branch is still caught.

use std::collections::BTreeSet;

use crate::diagnostic::Diagnostic;
use crate::eval::PSEUDO_PARAMETERS;
use crate::expr::{Expr, ExprKind, Name, SubPart};
use crate::template::Template;

/// What a logical id is, as far as references care.
#[derive(Debug, Clone)]
pub(crate) enum Target {
    /// A resource; `attributes` is `None` when any attribute is accepted.
    Resource {
        type_name: String,
        attributes: Option<Vec<&'static str>>,
    },
    /// A nested stack (`Outputs.X` attributes).
    Stack,
}

pub(crate) struct RefCheck<'t> {
    template: &'t Template,
    params: BTreeSet<&'t str>,
    conditions: BTreeSet<&'t str>,
    mappings: BTreeSet<&'t str>,
    targets: std::collections::BTreeMap<String, Target>,
}

impl<'t> RefCheck<'t> {
    pub(crate) fn new(
        template: &'t Template,
        targets: std::collections::BTreeMap<String, Target>,
    ) -> Self {
        RefCheck {
            template,
            params: template
                .parameters
                .iter()
                .map(|p| p.name.text.as_str())
                .collect(),
            conditions: template
                .conditions
                .iter()
                .map(|(n, _)| n.text.as_str())
                .collect(),
            mappings: template
                .mappings
                .iter()
                .map(|(n, _)| n.text.as_str())
                .collect(),
            targets,
        }
    }

    /// Checks the whole template.
    pub(crate) fn run(&self, errors: &mut Vec<Diagnostic>) {
        let t = self.template;
        for p in &t.parameters {
            if self.targets.contains_key(&p.name.text) {
                errors.push(Diagnostic::at(
                    p.name.span,
                    format!(
                        "`{}` is declared both as a parameter and as a resource",
                        p.name.text
                    ),
                ));
            }
        }
        for (_, cond) in &t.conditions {
            self.expr(cond, true, errors);
        }
        for r in &t.resources {
            if let Some(c) = &r.condition {
                self.condition(c, errors);
            }
            if let Some(p) = &r.properties {
                self.expr(p, false, errors);
            }
            for d in &r.depends_on {
                if d.text == r.name.text {
                    errors.push(Diagnostic::at(
                        d.span,
                        format!("resource `{}` depends on itself", d.text),
                    ));
                } else if !self.targets.contains_key(&d.text) {
                    errors.push(Diagnostic::at(
                        d.span,
                        format!(
                            "DependsOn names unknown resource `{}`{}",
                            d.text,
                            suggest(&d.text, self.targets.keys().map(String::as_str))
                        ),
                    ));
                }
            }
        }
        for o in &t.outputs {
            if let Some(c) = &o.condition {
                self.condition(c, errors);
            }
            self.expr(&o.value, false, errors);
            if let Some(e) = &o.export {
                self.expr(e, false, errors);
            }
        }
    }

    fn condition(&self, name: &Name, errors: &mut Vec<Diagnostic>) {
        if !self.conditions.contains(name.text.as_str()) {
            errors.push(Diagnostic::at(
                name.span,
                format!(
                    "unknown condition `{}`: not declared in Conditions{}",
                    name.text,
                    suggest(&name.text, self.conditions.iter().copied())
                ),
            ));
        }
    }

    fn expr(&self, e: &Expr, in_condition: bool, errors: &mut Vec<Diagnostic>) {
        e.walk(&mut |x| match &x.kind {
            ExprKind::Ref(name) => self.reference(name, "Ref", in_condition, errors),
            ExprKind::GetAtt {
                resource,
                attribute,
            } => {
                self.get_att(resource, attribute.as_str(), in_condition, errors);
            }
            ExprKind::Sub { parts, vars } => {
                for p in parts {
                    let SubPart::Var(name) = p else { continue };
                    if vars.iter().any(|(k, _)| k.name == name.text) {
                        continue;
                    }
                    match name.text.split_once('.') {
                        Some((r, a)) if !name.text.starts_with("AWS::") => {
                            let res = Name {
                                text: r.to_string(),
                                span: name.span,
                            };
                            self.get_att(&res, Some(a), in_condition, errors);
                        }
                        _ => self.reference(name, "Fn::Sub variable", in_condition, errors),
                    }
                }
            }
            ExprKind::If { condition, .. } | ExprKind::Condition(condition) => {
                self.condition(condition, errors);
            }
            ExprKind::FindInMap { map, .. } => {
                if let Some(m) = map.as_str()
                    && !self.mappings.contains(m)
                {
                    errors.push(Diagnostic::at(
                        map.span,
                        format!(
                            "Fn::FindInMap: mapping `{m}` is not declared in Mappings{}",
                            suggest(m, self.mappings.iter().copied())
                        ),
                    ));
                }
            }
            _ => {}
        });
    }

    fn reference(&self, name: &Name, what: &str, in_condition: bool, errors: &mut Vec<Diagnostic>) {
        let n = name.text.as_str();
        if PSEUDO_PARAMETERS.contains(&n) || self.params.contains(n) {
            return;
        }
        if self.targets.contains_key(n) {
            if in_condition {
                errors.push(Diagnostic::at(
                    name.span,
                    format!("conditions can only reference parameters and pseudo parameters, not resource `{n}`"),
                ));
            }
            return;
        }
        let candidates = PSEUDO_PARAMETERS
            .iter()
            .copied()
            .chain(self.params.iter().copied())
            .chain(self.targets.keys().map(String::as_str));
        errors.push(Diagnostic::at(
            name.span,
            format!(
                "unresolved reference: {what} `{n}` is not a parameter, resource or pseudo parameter of this template{}",
                suggest(n, candidates)
            ),
        ));
    }

    fn get_att(
        &self,
        resource: &Name,
        attribute: Option<&str>,
        in_condition: bool,
        errors: &mut Vec<Diagnostic>,
    ) {
        let r = resource.text.as_str();
        if in_condition {
            errors.push(Diagnostic::at(
                resource.span,
                format!("conditions can only reference parameters and pseudo parameters, not Fn::GetAtt of `{r}`"),
            ));
            return;
        }
        match self.targets.get(r) {
            None => errors.push(Diagnostic::at(
                resource.span,
                format!(
                    "unresolved reference: Fn::GetAtt of unknown resource `{r}`{}",
                    suggest(r, self.targets.keys().map(String::as_str))
                ),
            )),
            Some(Target::Stack) => {
                if let Some(a) = attribute
                    && !a.starts_with("Outputs.")
                {
                    errors.push(Diagnostic::at(
                        resource.span,
                        format!(
                            "nested stack `{r}` has no attribute `{a}` (use `{r}.Outputs.NAME`)"
                        ),
                    ));
                }
            }
            Some(Target::Resource {
                type_name,
                attributes: Some(attrs),
            }) => {
                if let Some(a) = attribute
                    && !attrs.contains(&a)
                {
                    errors.push(Diagnostic::at(
                            resource.span,
                            format!(
                                "resource `{r}` ({type_name}) has no attribute `{a}`{}; its attributes include: {}",
                                suggest(a, attrs.iter().copied()),
                                attribute_list(type_name, attrs)
                            ),
                        ));
                }
            }
            Some(Target::Resource {
                attributes: None, ..
            }) => {}
        }
    }
}

/// ` (did you mean `X`?)` when a candidate is close to `name`, else empty.
pub(crate) fn suggest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    let limit = (name.len() / 3).max(1);
    candidates
        .filter(|c| *c != name)
        .map(|c| (distance(&name.to_lowercase(), &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| format!(" (did you mean `{c}`?)"))
        .unwrap_or_default()
}

/// Levenshtein distance.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The attributes worth listing: the read-only ones first (ids, ARNs), at most a dozen.
fn attribute_list(type_name: &str, attrs: &[&'static str]) -> String {
    let read_only = |a: &&str| {
        infra_registry::resource_type(type_name)
            .and_then(|t| t.attribute(a))
            .is_some_and(|x| x.read_only)
    };
    let mut shown: Vec<&str> = attrs
        .iter()
        .copied()
        .filter(|a| read_only(a) && !a.contains('.'))
        .collect();
    shown.extend(
        attrs
            .iter()
            .copied()
            .filter(|a| !read_only(a) && !a.contains('.')),
    );
    let more = attrs.len().saturating_sub(12);
    shown.truncate(12);
    let mut text = shown.join(", ");
    if more > 0 {
        text.push_str(&format!(" (and {more} more)"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_pick_the_closest_name() {
        assert_eq!(
            suggest(
                "PublicSubnetOen",
                ["PublicSubnetOne", "PublicSubnetTwo"].into_iter()
            ),
            " (did you mean `PublicSubnetOne`?)"
        );
        assert_eq!(suggest("Zzz", ["PublicSubnetOne"].into_iter()), "");
    }
}
