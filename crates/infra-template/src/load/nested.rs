//! Nested stacks: the sibling order their parameters need, reading each child template
//! (local files only, include cycles refused), and the parameters that flow down with the
//! resources they read.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::{Input, Loader, NESTED_TYPES, StackLoad};
use crate::dep::{Dep, EdgeKind};
use crate::diagnostic::Diagnostic;
use crate::eval::{Entity, Eval, Scope};
use crate::expr::{Expr, ExprKind, SubPart};
use crate::params::ParamInput;
use crate::template::{ResourceDecl, Template};
use crate::value::{Unknown, Value};

impl Loader<'_> {
    pub(super) fn load_children(
        &mut self,
        template: &Template,
        load: &StackLoad,
        stack_index: usize,
        scope: &mut Scope<'_>,
        active: &BTreeMap<&str, bool>,
    ) {
        let nested: Vec<&ResourceDecl> = template
            .resources
            .iter()
            .filter(|r| active.contains_key(r.name.text.as_str()))
            .filter(|r| matches!(scope.entities.get(&r.name.text), Some(Entity::Stack)))
            .collect();
        let names: BTreeSet<&str> = nested.iter().map(|r| r.name.text.as_str()).collect();
        let mut reads: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
        for r in &nested {
            let mut set = BTreeSet::new();
            if let Some(p) = &r.properties {
                sibling_reads(p, &names, &mut set);
            }
            for d in &r.depends_on {
                if names.contains(d.text.as_str()) {
                    set.insert(d.text.clone());
                }
            }
            set.remove(r.name.text.as_str());
            reads.insert(r.name.text.as_str(), set);
        }
        // Load siblings in an order where each one's inputs are ready.
        let mut done: BTreeSet<String> = BTreeSet::new();
        let mut order = Vec::new();
        while order.len() < nested.len() {
            let ready: Vec<&ResourceDecl> = nested
                .iter()
                .copied()
                .filter(|r| !done.contains(&r.name.text))
                .filter(|r| reads[r.name.text.as_str()].iter().all(|x| done.contains(x)))
                .collect();
            if ready.is_empty() {
                let stuck: Vec<&ResourceDecl> = nested
                    .iter()
                    .copied()
                    .filter(|r| !done.contains(&r.name.text))
                    .collect();
                let mut d = Diagnostic::at(
                    stuck[0].name.span,
                    format!(
                        "cycle between nested stacks: {} read each other's outputs",
                        stuck
                            .iter()
                            .map(|r| format!("`{}`", r.name.text))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
                for r in &stuck[1..] {
                    d = d.with_note(
                        Some(r.name.span),
                        format!("`{}` is part of the cycle", r.name.text),
                    );
                }
                self.errors.push(d);
                break;
            }
            for r in ready {
                done.insert(r.name.text.clone());
                order.push(r);
            }
        }
        let base_dir = load
            .path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let own_canonical = std::fs::canonicalize(&load.path).unwrap_or_else(|_| load.path.clone());
        for r in order {
            let child_address = scope.address(&r.name.text);
            let Some(mut child) = self.child_load(
                r,
                scope,
                &base_dir,
                &own_canonical,
                load,
                stack_index,
                &child_address,
            ) else {
                continue;
            };
            child.condition_unknown = load.condition_unknown
                || active.get(r.name.text.as_str()).copied().unwrap_or(false);
            let sibling_reads: Vec<String> = reads[r.name.text.as_str()]
                .iter()
                .map(|s| scope.address(s))
                .collect();
            if let Some((idx, outputs)) = self.load_stack(child) {
                if let Some(s) = self.stacks.get_mut(idx) {
                    s.reads = sibling_reads;
                }
                scope.child_outputs.insert(r.name.text.clone(), outputs);
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn child_load(
        &mut self,
        r: &ResourceDecl,
        scope: &Scope<'_>,
        base_dir: &Path,
        own_canonical: &Path,
        load: &StackLoad,
        stack_index: usize,
        child_address: &str,
    ) -> Option<StackLoad> {
        let (type_name, location_key, allowed) = NESTED_TYPES
            .iter()
            .find(|(n, _, _)| *n == r.type_name.text)
            .copied()?;
        let props = match &r.properties {
            Some(Expr {
                kind: ExprKind::Map(entries),
                ..
            }) => entries.as_slice(),
            _ => {
                self.error_at(
                    Some(r.name.span),
                    format!(
                        "nested stack `{}` ({type_name}) needs Properties with {location_key}",
                        r.name.text
                    ),
                );
                return None;
            }
        };
        for (k, _) in props {
            if !allowed.contains(&k.name.as_str()) {
                self.errors.push(Diagnostic::at(
                    k.span,
                    format!(
                        "unknown property `{}` of nested stack `{}` ({type_name}); expected one of {}",
                        k.name,
                        r.name.text,
                        allowed.join(", ")
                    ),
                ));
            }
        }
        let Some((_, location)) = props.iter().find(|(k, _)| k.name == location_key) else {
            self.error_at(
                Some(r.name.span),
                format!(
                    "nested stack `{}` ({type_name}) has no {location_key}",
                    r.name.text
                ),
            );
            return None;
        };
        let mut ev = Eval::new(scope);
        let location_text = match ev.value(location) {
            Ok(v) => v.as_text(),
            Err(d) => {
                ev.errors.push(d);
                None
            }
        };
        self.errors.append(&mut ev.errors);
        let Some(location_text) = location_text else {
            self.error_at(
                Some(location.span),
                format!(
                    "{location_key} of nested stack `{}` must be a path to a local template file",
                    r.name.text
                ),
            );
            return None;
        };
        if location_text.contains("://") {
            self.error_at(
                Some(location.span),
                format!(
                    "{location_key} `{location_text}` of nested stack `{}` is a URL; infra reads nested templates from local files (a path relative to the including template)",
                    r.name.text
                ),
            );
            return None;
        }
        let path: PathBuf = base_dir
            .join(&location_text)
            .components()
            .filter(|c| !matches!(c, std::path::Component::CurDir))
            .collect();
        if !path.is_file() {
            self.error_at(
                Some(location.span),
                format!(
                    "cannot read nested template `{}` of nested stack `{}`: {}",
                    path.display(),
                    r.name.text,
                    if path.exists() {
                        "not a file"
                    } else {
                        "no such file"
                    }
                ),
            );
            return None;
        }
        let canonical = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
        let mut chain = load.chain.clone();
        chain.push(own_canonical.to_path_buf());
        if chain.contains(&canonical) {
            let names: Vec<String> = chain
                .iter()
                .skip_while(|p| **p != canonical)
                .chain(std::iter::once(&canonical))
                .map(|p| {
                    p.file_name().map_or_else(
                        || p.display().to_string(),
                        |f| f.to_string_lossy().into_owned(),
                    )
                })
                .collect();
            self.error_at(
                Some(location.span),
                format!(
                    "nested stack `{}` includes a template that includes itself: {}",
                    r.name.text,
                    names.join(" -> ")
                ),
            );
            return None;
        }

        // Parameters flow down with the resources they read.
        let mut inputs = BTreeMap::new();
        if let Some((_, params)) = props.iter().find(|(k, _)| k.name == "Parameters") {
            match &params.kind {
                ExprKind::Map(entries) => {
                    for (k, v) in entries {
                        let mut ev = Eval::new(scope);
                        let value = match ev.eval(v) {
                            Ok(Some(v)) => v,
                            Ok(None) => continue,
                            Err(d) => {
                                ev.errors.push(d);
                                Value::Unknown(Unknown::Derived)
                            }
                        };
                        let deps = std::mem::take(&mut ev.deps);
                        self.errors.append(&mut ev.errors);
                        inputs.insert(
                            k.name.clone(),
                            Input {
                                value: ParamInput {
                                    value,
                                    span: Some(v.span),
                                },
                                deps,
                                key_span: Some(k.span),
                            },
                        );
                    }
                }
                _ => self.errors.push(Diagnostic::at(
                    params.span,
                    format!(
                        "Parameters of nested stack `{}` must be a mapping",
                        r.name.text
                    ),
                )),
            }
        }
        let mut inherited = load.inherited.clone();
        for d in &r.depends_on {
            inherited.push(Dep {
                target: scope.address(&d.text),
                kind: EdgeKind::DependsOn,
                span: d.span,
            });
        }
        Some(StackLoad {
            path,
            address: child_address.to_string(),
            stack_name: format!("{}-{}", load.stack_name, r.name.text),
            parent: Some(stack_index),
            include_span: Some(r.name.span),
            inputs,
            inherited,
            chain,
            condition_unknown: load.condition_unknown,
            deletion_policy: super::declared_deletion_policy(r).max(load.deletion_policy),
        })
    }
}

/// The sibling stacks an expression reads (`Fn::GetAtt S.Outputs.X`, `Ref S`, `${S.Outputs.X}`).
fn sibling_reads(e: &Expr, siblings: &BTreeSet<&str>, out: &mut BTreeSet<String>) {
    e.walk(&mut |x| match &x.kind {
        ExprKind::Ref(n) | ExprKind::GetAtt { resource: n, .. }
            if siblings.contains(n.text.as_str()) =>
        {
            out.insert(n.text.clone());
        }
        ExprKind::Sub { parts, .. } => {
            for p in parts {
                if let SubPart::Var(n) = p {
                    let head = n.text.split('.').next().unwrap_or("");
                    if siblings.contains(head) {
                        out.insert(head.to_string());
                    }
                }
            }
        }
        _ => {}
    });
}
