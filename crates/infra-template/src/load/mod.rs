//! Loading a template tree: read each file, resolve its parameters and conditions, load nested
//! stacks (parameters flow down, outputs flow up as dependencies), evaluate every resource and
//! flatten everything into one [`Deployment`].

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use crate::check::check_properties;
use crate::custom::replace_asg_destroyers;
use crate::dep::{Dep, EdgeKind};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::eval::{Entity, Eval, Lookups, Pseudo, Resolved, Scope};
use crate::expr::{Expr, ExprKind};
use crate::model::{
    DeletionPolicy, Deployment, LoadError, Resource, StackInfo, UpdateReplacePolicy,
};
use crate::package::{Artifacts, replace_local_code};
use crate::params::ParamInput;
use crate::refs::{RefCheck, Target};
use crate::source::{Sources, Span};
use crate::template::{ResourceDecl, Template, read_template};
use crate::value::{Unknown, Value};
use crate::yaml::{Format, parse};

mod nested;
mod outputs;
mod sensitive;

/// What a load needs besides the files.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Values for the root stack's parameters (`--parameter K=V`, `--parameters-file`).
    pub parameters: BTreeMap<String, String>,
    /// Pseudo parameters: region, account, stack name.
    pub pseudo: Pseudo,
    /// The text of every file a load read, by path, shared by the clones of these options:
    /// a later load with them reads the same text, not the file again (an apply evaluates the
    /// template it planned, even if a file changes meanwhile, and reads no file twice).
    pub texts: SourceTexts,
    /// Where the packages of local code paths go, and the packages made so far (shared by the
    /// clones of these options, like `texts`).
    pub artifacts: Artifacts,
}

/// File texts by path, as [`LoadOptions::texts`] keeps them.
#[derive(Debug, Clone, Default)]
pub struct SourceTexts(Arc<Mutex<BTreeMap<PathBuf, Arc<str>>>>);

impl SourceTexts {
    /// The text of `path`: as read before, or read now and kept.
    fn read(&self, path: &Path) -> std::io::Result<Arc<str>> {
        let mut texts = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(text) = texts.get(path) {
            return Ok(Arc::clone(text));
        }
        let text: Arc<str> = std::fs::read_to_string(path)?.into();
        texts.insert(path.to_path_buf(), Arc::clone(&text));
        Ok(text)
    }
}

/// Resource types that are nested stacks, and the property naming the child template.
const NESTED_TYPES: &[(&str, &str, &[&str])] = &[
    (
        "AWS::CloudFormation::Stack",
        "TemplateURL",
        &[
            "TemplateURL",
            "Parameters",
            "Tags",
            "NotificationARNs",
            "TimeoutInMinutes",
        ],
    ),
    (
        "AWS::Serverless::Application",
        "Location",
        &[
            "Location",
            "Parameters",
            "Tags",
            "NotificationARNs",
            "TimeoutInMinutes",
        ],
    ),
];

/// The transforms a template may declare. SAM is accepted for `AWS::Serverless::Application`
/// only; other SAM types are reported as unsupported.
const TRANSFORMS: &[&str] = &["AWS::Serverless-2016-10-31", "AWS::LanguageExtensions"];

/// Loads the template at `path` and every nested template it includes.
pub fn load(
    path: &Path,
    opts: &LoadOptions,
    lookups: &dyn Lookups,
) -> Result<Deployment, LoadError> {
    let mut loader = Loader {
        opts,
        lookups,
        sources: Sources::default(),
        errors: Vec::new(),
        stacks: Vec::new(),
        resources: Vec::new(),
        teardowns: Vec::new(),
        secrets: Vec::new(),
        exports: BTreeMap::new(),
        output_descriptions: BTreeMap::new(),
    };
    let inputs = opts
        .parameters
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                Input {
                    value: ParamInput {
                        value: Value::String(v.clone()),
                        span: None,
                    },
                    deps: Vec::new(),
                    key_span: None,
                },
            )
        })
        .collect();
    let root = StackLoad {
        path: path.to_path_buf(),
        address: String::new(),
        stack_name: opts.pseudo.stack_name.clone(),
        parent: None,
        include_span: None,
        inputs,
        inherited: Vec::new(),
        chain: Vec::new(),
        condition_unknown: false,
        deletion_policy: DeletionPolicy::Delete,
    };
    let outputs = loader.load_stack(root);
    if loader.errors.is_empty()
        && let Some((_, outputs)) = outputs
    {
        sensitive::collect(&loader.resources, &mut loader.secrets);
        return Ok(Deployment {
            sources: loader.sources,
            stacks: loader.stacks,
            resources: loader.resources,
            native_teardowns: loader.teardowns,
            outputs,
            exports: loader.exports,
            output_descriptions: loader.output_descriptions,
            secrets: loader.secrets,
        });
    }
    // NoEcho values may reach a message through an intrinsic (`got `...``): hide them.
    let mut errors = loader.errors;
    if !loader.secrets.is_empty() {
        for d in &mut errors {
            d.message = redact(&d.message, &loader.secrets);
            for n in &mut d.notes {
                n.message = redact(&n.message, &loader.secrets);
            }
        }
    }
    Err(LoadError {
        sources: loader.sources,
        diagnostics: Diagnostics(errors),
    })
}

/// `text` with every NoEcho value replaced by `****`. Values shorter than four characters are
/// replaced only where they stand as a whole word, so that a secret `a` does not mangle text.
fn redact(text: &str, secrets: &[String]) -> String {
    let mut out = text.to_string();
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        let bounded = secret.chars().count() < 4;
        let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        let mut result = String::with_capacity(out.len());
        let mut last = 0;
        for (i, m) in out.match_indices(secret.as_str()) {
            let before = out[..i].chars().next_back();
            let after = out[i + m.len()..].chars().next();
            if bounded && (word(before) || word(after)) {
                continue;
            }
            result.push_str(&out[last..i]);
            result.push_str("****");
            last = i + m.len();
        }
        result.push_str(&out[last..]);
        out = result;
    }
    out
}

struct Loader<'o> {
    opts: &'o LoadOptions,
    lookups: &'o dyn Lookups,
    sources: Sources,
    errors: Vec<Diagnostic>,
    stacks: Vec<StackInfo>,
    resources: Vec<Resource>,
    teardowns: Vec<crate::model::NativeTeardown>,
    secrets: Vec<String>,
    /// The root stack's export names, by output name.
    exports: BTreeMap<String, String>,
    /// The root stack's output descriptions, by output name.
    output_descriptions: BTreeMap<String, String>,
}

/// A parameter value passed to a stack, with the resources it reads.
struct Input {
    value: ParamInput,
    deps: Vec<Dep>,
    /// Where the parameter's key is written in the parent's `Parameters`.
    key_span: Option<Span>,
}

struct StackLoad {
    path: PathBuf,
    address: String,
    stack_name: String,
    parent: Option<usize>,
    include_span: Option<Span>,
    inputs: BTreeMap<String, Input>,
    /// Dependencies every resource of the stack inherits (the stack resource's `DependsOn`).
    inherited: Vec<Dep>,
    /// Canonical paths of the including files, outermost first.
    chain: Vec<PathBuf>,
    /// True when the nested stack resource (or one enclosing it) has a `Condition` that
    /// depends on values not known yet: then every resource of the stack does too.
    condition_unknown: bool,
    /// The strongest `DeletionPolicy` of the nested stack resources around this stack:
    /// CloudFormation keeps a retained nested stack, and with it everything in it, so every
    /// resource of the stack keeps at least this much.
    deletion_policy: DeletionPolicy,
}

type Outputs = BTreeMap<String, Resolved>;

/// The `DeletionPolicy` `r` declares (`Delete` when none, or one the template reader refused).
fn declared_deletion_policy(r: &ResourceDecl) -> DeletionPolicy {
    r.deletion_policy
        .as_ref()
        .and_then(|p| DeletionPolicy::parse(&p.text))
        .unwrap_or_default()
}

impl Loader<'_> {
    fn error_at(&mut self, span: Option<Span>, message: String) {
        self.errors.push(match span {
            Some(s) => Diagnostic::at(s, message),
            None => Diagnostic::global(message),
        });
    }

    fn load_stack(&mut self, load: StackLoad) -> Option<(usize, Outputs)> {
        let text = match self.opts.texts.read(&load.path) {
            Ok(t) => t.to_string(),
            Err(e) => {
                let what = if load.parent.is_some() {
                    "nested template"
                } else {
                    "template"
                };
                self.error_at(
                    load.include_span,
                    format!("cannot read {what} `{}`: {e}", load.path.display()),
                );
                return None;
            }
        };
        let format = match load.path.extension().and_then(|e| e.to_str()) {
            Some("json") => Format::Json,
            Some("yaml" | "yml") => Format::Yaml,
            _ => Format::sniff(&text),
        };
        let file = self.sources.add(load.path.clone(), text);
        let node = match parse(
            file,
            self.sources.get(file).map_or("", |f| f.text.as_str()),
            format,
        ) {
            Ok(n) => n,
            Err(d) => {
                self.errors.push(d);
                return None;
            }
        };
        let template = read_template(file, &node, &mut self.errors);
        for t in &template.transforms {
            if !TRANSFORMS.contains(&t.text.as_str()) {
                self.errors.push(Diagnostic::at(
                    t.span,
                    format!(
                        "unsupported Transform `{}` (supported: {})",
                        t.text,
                        TRANSFORMS.join(", ")
                    ),
                ));
            }
        }
        let stack_index = self.stacks.len();
        self.stacks.push(StackInfo {
            address: load.address.clone(),
            file,
            parent: load.parent,
            span: load.include_span,
            reads: Vec::new(),
            parameters: Vec::new(),
        });
        let prefix = if load.address.is_empty() {
            String::new()
        } else {
            format!("{}.", load.address)
        };
        let mut scope = Scope::new(
            prefix,
            load.stack_name.clone(),
            &template,
            &self.opts.pseudo,
            self.lookups,
        );

        // What each logical id is.
        let mut targets = BTreeMap::new();
        for r in &template.resources {
            let (entity, target) = self.classify(r);
            scope.entities.insert(r.name.text.clone(), entity);
            if let Some(t) = target {
                targets.insert(r.name.text.clone(), t);
            }
        }
        RefCheck::new(&template, targets).run(&mut self.errors);

        self.resolve_parameters(&template, &load, stack_index, &mut scope);

        // Evaluate every condition once, so errors in unused ones are reported too.
        for (name, _) in &template.conditions {
            scope.condition(&name.text, &mut self.errors);
        }
        let mut active: BTreeMap<&str, bool> = BTreeMap::new();
        for r in &template.resources {
            let state = match &r.condition {
                Some(c) => scope.condition(&c.text, &mut self.errors),
                None => Some(true),
            };
            if state == Some(false) {
                let condition = r
                    .condition
                    .as_ref()
                    .map(|c| c.text.clone())
                    .unwrap_or_default();
                scope
                    .entities
                    .insert(r.name.text.clone(), Entity::ConditionFalse(condition));
            } else {
                active.insert(r.name.text.as_str(), state.is_none());
            }
        }

        self.load_children(&template, &load, stack_index, &mut scope, &active);

        // Evaluate the resources of this stack.
        let first_resource = self.resources.len();
        for r in &template.resources {
            let Some(&condition_unknown) = active.get(r.name.text.as_str()) else {
                continue;
            };
            if !matches!(
                scope.entities.get(&r.name.text),
                Some(Entity::Resource { .. })
            ) {
                continue;
            }
            let mut ev = Eval::new(&scope);
            let mut properties = match &r.properties {
                Some(p) => match ev.eval(p) {
                    Ok(Some(v)) => v,
                    Ok(None) => Value::Map(BTreeMap::new()),
                    Err(d) => {
                        ev.errors.push(d);
                        Value::Unknown(Unknown::Derived)
                    }
                },
                None => Value::Map(BTreeMap::new()),
            };
            let mut deps = std::mem::take(&mut ev.deps);
            self.errors.append(&mut ev.errors);
            self.check_required_after_eval(r, &properties);
            replace_local_code(
                r,
                &load.path,
                &mut properties,
                &self.opts.artifacts,
                &mut self.errors,
            );
            for d in &r.depends_on {
                deps.push(Dep {
                    target: scope.address(&d.text),
                    kind: EdgeKind::DependsOn,
                    span: d.span,
                });
            }
            deps.extend(load.inherited.iter().cloned());
            self.resources.push(Resource {
                address: scope.address(&r.name.text),
                logical_id: r.name.text.clone(),
                stack: stack_index,
                type_name: r.type_name.text.clone(),
                span: r.name.span,
                properties,
                deps,
                condition_unknown: condition_unknown || load.condition_unknown,
                deletion_policy: declared_deletion_policy(r).max(load.deletion_policy),
                update_replace_policy: r
                    .update_replace_policy
                    .as_ref()
                    .and_then(|p| UpdateReplacePolicy::parse(&p.text))
                    .unwrap_or_default(),
                update_policy: r.update_policy.as_ref().map(crate::eval::node_value),
                native_teardown: false,
            });
        }
        for r in &template.resources {
            if let (Some(Entity::Resource { type_name }), Some(props)) =
                (scope.entities.get(&r.name.text), &r.properties)
            {
                check_properties(type_name, r, props, &template, &mut self.errors);
            } else if let (Some(Entity::Resource { type_name }), None) =
                (scope.entities.get(&r.name.text), &r.properties)
            {
                check_properties(
                    type_name,
                    r,
                    &empty_map(r.name.span),
                    &template,
                    &mut self.errors,
                );
            }
        }
        let removed = replace_asg_destroyers(
            &mut self.resources,
            first_resource,
            &template,
            &mut self.teardowns,
            &mut self.errors,
        );
        for address in removed {
            if let Some(logical) = address.strip_prefix(&scope.prefix) {
                scope.entities.insert(logical.to_string(), Entity::Absent);
            }
        }

        let outputs = self.load_outputs(&template, &scope, stack_index);
        Some((stack_index, outputs))
    }

    /// A required property written in the template but evaluating to `AWS::NoValue`.
    fn check_required_after_eval(&mut self, r: &ResourceDecl, properties: &Value) {
        let (Some(rt), Value::Map(evaluated)) =
            (infra_registry::resource_type(&r.type_name.text), properties)
        else {
            return;
        };
        let Some(Expr {
            kind: ExprKind::Map(written),
            ..
        }) = &r.properties
        else {
            return;
        };
        for req in rt.required {
            if evaluated.contains_key(*req) {
                continue;
            }
            if let Some((k, _)) = written.iter().find(|(k, _)| k.name == *req) {
                self.errors.push(Diagnostic::at(
                    k.span,
                    format!(
                        "`{}` ({}): missing required property `{req}`: it evaluates to AWS::NoValue here",
                        r.name.text, r.type_name.text
                    ),
                ));
            }
        }
    }

    fn classify(&mut self, r: &ResourceDecl) -> (Entity, Option<Target>) {
        let t = r.type_name.text.as_str();
        if NESTED_TYPES.iter().any(|(n, _, _)| *n == t) {
            return (Entity::Stack, Some(Target::Stack));
        }
        if let Some(missing) = cloud_control_cannot_provision(t) {
            self.errors.push(Diagnostic::at(
                r.type_name.span,
                format!(
                    "resource type `{t}` of `{}` cannot be deployed: infra has no native provider for it, and AWS Cloud Control cannot provision it (its schema has no {missing} handler); only CloudFormation itself can",
                    r.name.text
                ),
            ));
            let target = Target::Resource {
                type_name: t.to_string(),
                attributes: None,
            };
            return (Entity::Absent, Some(target));
        }
        if let Some(rt) = infra_registry::resource_type(t) {
            let attributes = rt.attributes.iter().map(|a| a.name).collect();
            return (
                Entity::Resource {
                    type_name: t.to_string(),
                },
                Some(Target::Resource {
                    type_name: t.to_string(),
                    attributes: Some(attributes),
                }),
            );
        }
        if t == crate::custom::ASG_DESTROYER {
            return (
                Entity::Resource {
                    type_name: t.to_string(),
                },
                Some(Target::Resource {
                    type_name: t.to_string(),
                    attributes: None,
                }),
            );
        }
        let target = Target::Resource {
            type_name: t.to_string(),
            attributes: None,
        };
        if t.starts_with("Custom::") || t == "AWS::CloudFormation::CustomResource" {
            self.errors.push(Diagnostic::at(
                r.type_name.span,
                format!(
                    "custom resource type `{t}` of `{}` is not supported: infra deploys without CloudFormation, so no Lambda-backed custom resource can run (only {} is replaced by a native step)",
                    r.name.text,
                    crate::custom::ASG_DESTROYER
                ),
            ));
        } else {
            self.errors.push(Diagnostic::at(
                r.type_name.span,
                format!(
                    "unsupported resource type `{t}` of `{}`{}",
                    r.name.text,
                    suggest_type(t)
                ),
            ));
        }
        (Entity::Absent, Some(target))
    }

    fn resolve_parameters(
        &mut self,
        template: &Template,
        load: &StackLoad,
        stack_index: usize,
        scope: &mut Scope<'_>,
    ) {
        let declared: BTreeSet<&str> = template
            .parameters
            .iter()
            .map(|p| p.name.text.as_str())
            .collect();
        for (name, input) in &load.inputs {
            if !declared.contains(name.as_str()) {
                let msg = if load.parent.is_some() {
                    format!(
                        "nested stack `{}` passes parameter `{name}`, which `{}` does not declare",
                        load.address,
                        load.path.display()
                    )
                } else {
                    format!(
                        "parameter `{name}` is given a value but the template does not declare it"
                    )
                };
                self.error_at(input.key_span.or(input.value.span), msg);
            }
        }
        for decl in &template.parameters {
            let name = &decl.name.text;
            let (input, deps) = match load.inputs.get(name) {
                Some(i) => (i.value.clone(), i.deps.clone()),
                None => match decl.default_input() {
                    Some(d) => (d, Vec::new()),
                    None => {
                        match &load.include_span {
                            Some(parent) => self.errors.push(
                                Diagnostic::at(
                                    *parent,
                                    format!(
                                        "no value for parameter `{name}`: nested stack `{}` does not pass it in its Parameters and it has no Default",
                                        load.address
                                    ),
                                )
                                .with_note(Some(decl.name.span), format!("`{name}` is declared here")),
                            ),
                            None => self.error_at(
                                Some(decl.name.span),
                                format!("no value for parameter `{name}`: pass --parameter {name}=VALUE (it has no Default)"),
                            ),
                        }
                        scope.params.insert(
                            name.clone(),
                            Resolved {
                                value: Value::Unknown(Unknown::Derived),
                                deps: Vec::new(),
                            },
                        );
                        continue;
                    }
                },
            };
            let mut value = match decl.resolve(&input, decl.name.span) {
                Ok(v) => v,
                Err(d) => {
                    self.errors.push(d);
                    Value::Unknown(Unknown::Derived)
                }
            };
            if let (crate::params::ParamType::Ssm(inner), Value::Unknown(Unknown::Lookup(_))) =
                (&decl.ty, &value)
                && let Some(ssm_name) = input.value.as_text()
                && let Some(found) = self.lookups.ssm_parameter(&ssm_name)
            {
                value = match (inner.is_list(), found) {
                    (true, Value::String(s)) => {
                        Value::List(s.split(',').map(|x| Value::string(x.trim())).collect())
                    }
                    (_, v) => v,
                };
            }
            if decl.no_echo {
                // Every item of a list parameter is secret too.
                let texts: Vec<String> = match &value {
                    Value::List(items) => items.iter().filter_map(Value::as_text).collect(),
                    v => v.as_text().into_iter().collect(),
                };
                for t in texts {
                    if !t.is_empty() && !self.secrets.contains(&t) {
                        self.secrets.push(t);
                    }
                }
            }
            if let Some(s) = self.stacks.get_mut(stack_index) {
                s.parameters
                    .push((name.clone(), value.clone(), decl.no_echo));
            }
            scope.params.insert(name.clone(), Resolved { value, deps });
        }
    }
}

fn empty_map(span: Span) -> Expr {
    Expr {
        span,
        kind: ExprKind::Map(Vec::new()),
    }
}

/// A supported type close to `t` in the same service (`AWS::EC2::Subnett` → `AWS::EC2::Subnet`).
fn suggest_type(t: &str) -> String {
    let Some((service, name)) = t.rsplit_once("::") else {
        return String::new();
    };
    let same_service: Vec<(&str, &str)> = infra_registry::supported_types()
        .iter()
        .filter_map(|s| s.name.rsplit_once("::").map(|(svc, n)| (svc, n, s.name)))
        .filter(|(svc, _, _)| svc.eq_ignore_ascii_case(service))
        .map(|(_, n, full)| (n, full))
        .collect();
    // Compare the type names within the service, so the shared prefix does not count.
    let hint = crate::refs::suggest(name, same_service.iter().map(|(n, _)| *n));
    match same_service
        .iter()
        .find(|(n, _)| hint.contains(&format!("`{n}`")))
    {
        Some((_, full)) => format!(" (did you mean `{full}`?)"),
        None => String::new(),
    }
}

/// For a type without a native provider: the first of the create, read and delete handlers its
/// schema lacks, without which AWS Cloud Control cannot provision it. `None` for a native type
/// or one Cloud Control can deploy.
fn cloud_control_cannot_provision(type_name: &str) -> Option<&'static str> {
    if infra_registry::lookup(type_name).is_some() {
        return None;
    }
    let handlers = infra_registry::catalog::lookup(type_name)?.handlers;
    [
        (handlers.create, "create"),
        (handlers.read, "read"),
        (handlers.delete, "delete"),
    ]
    .into_iter()
    .find_map(|(has, name)| (!has).then_some(name))
}
