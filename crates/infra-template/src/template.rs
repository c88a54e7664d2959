//! The sections of one template file (`Parameters`, `Mappings`, `Conditions`, `Resources`,
//! `Outputs`), read from the document tree with every malformed entry reported.

use crate::diagnostic::Diagnostic;
use crate::expr::{Expr, Name, parse_condition, parse_expr};
use crate::node::{Key, Node, NodeKind};
use crate::params::{ParamType, ParameterDecl};
use crate::source::{FileId, Span};

/// One template file, section by section.
#[derive(Debug, Clone)]
pub struct Template {
    /// The file it was read from.
    pub file: FileId,
    /// The span of the whole document.
    pub span: Span,
    /// `Description`.
    pub description: Option<String>,
    /// `Transform` entries.
    pub transforms: Vec<Name>,
    /// `Parameters`, in order.
    pub parameters: Vec<ParameterDecl>,
    /// `Mappings`: map name → top-level key → second-level key → value.
    pub mappings: Vec<(Name, Node)>,
    /// `Conditions`, in order.
    pub conditions: Vec<(Name, Expr)>,
    /// `Resources`, in order.
    pub resources: Vec<ResourceDecl>,
    /// `Outputs`, in order.
    pub outputs: Vec<OutputDecl>,
}

/// One entry of `Resources`.
#[derive(Debug, Clone)]
pub struct ResourceDecl {
    /// The logical id and where it is written.
    pub name: Name,
    /// `Type`.
    pub type_name: Name,
    /// `Properties`, if present.
    pub properties: Option<Expr>,
    /// `DependsOn` (a name or a list of names).
    pub depends_on: Vec<Name>,
    /// `Condition`.
    pub condition: Option<Name>,
    /// `DeletionPolicy`.
    pub deletion_policy: Option<Name>,
    /// `UpdateReplacePolicy`.
    pub update_replace_policy: Option<Name>,
    /// `UpdatePolicy` (literal; CloudFormation allows few intrinsics there).
    pub update_policy: Option<Node>,
}

/// One entry of `Outputs`.
#[derive(Debug, Clone)]
pub struct OutputDecl {
    /// The output's name.
    pub name: Name,
    /// `Value`.
    pub value: Expr,
    /// `Export.Name`.
    pub export: Option<Expr>,
    /// `Condition`.
    pub condition: Option<Name>,
    /// `Description`.
    pub description: Option<String>,
}

const TOP_LEVEL: &[&str] = &[
    "AWSTemplateFormatVersion",
    "Description",
    "Metadata",
    "Parameters",
    "Rules",
    "Mappings",
    "Conditions",
    "Transform",
    "Resources",
    "Outputs",
    "Hooks",
];

const RESOURCE_KEYS: &[&str] = &[
    "Type",
    "Properties",
    "DependsOn",
    "Condition",
    "DeletionPolicy",
    "UpdateReplacePolicy",
    "UpdatePolicy",
    "CreationPolicy",
    "Metadata",
];

/// The values CloudFormation accepts for `DeletionPolicy` and `UpdateReplacePolicy`.
const DELETION_POLICIES: &[&str] = &["Delete", "Retain", "RetainExceptOnCreate", "Snapshot"];
const UPDATE_REPLACE_POLICIES: &[&str] = &["Delete", "Retain", "Snapshot"];

/// Reads a template from its document tree. Problems are pushed to `errors`; what could be
/// read is returned so that later stages can report their problems too.
pub fn read_template(file: FileId, root: &Node, errors: &mut Vec<Diagnostic>) -> Template {
    let mut t = Template {
        file,
        span: root.span,
        description: None,
        transforms: Vec::new(),
        parameters: Vec::new(),
        mappings: Vec::new(),
        conditions: Vec::new(),
        resources: Vec::new(),
        outputs: Vec::new(),
    };
    let Some(entries) = root.as_map() else {
        errors.push(Diagnostic::at(
            root.span,
            format!(
                "a template must be a mapping of sections, got {}",
                root.describe()
            ),
        ));
        return t;
    };
    for (key, value) in entries {
        match key.name.as_str() {
            "AWSTemplateFormatVersion" => {
                if value.as_scalar_text().as_deref() != Some("2010-09-09") {
                    errors.push(Diagnostic::at(
                        value.span,
                        "AWSTemplateFormatVersion must be \"2010-09-09\"",
                    ));
                }
            }
            "Description" => t.description = value.as_scalar_text(),
            "Transform" => t.transforms = names(value, "Transform", errors),
            "Parameters" => {
                for (k, v) in section(key, value, errors) {
                    if let Some(p) = read_parameter(k, v, errors) {
                        t.parameters.push(p);
                    }
                }
            }
            "Mappings" => {
                for (k, v) in section(key, value, errors) {
                    check_mapping(k, v, errors);
                    t.mappings.push((name(k), v.clone()));
                }
            }
            "Conditions" => {
                for (k, v) in section(key, value, errors) {
                    t.conditions.push((name(k), parse_condition(v, errors)));
                }
            }
            "Resources" => {
                for (k, v) in section(key, value, errors) {
                    if let Some(r) = read_resource(k, v, errors) {
                        t.resources.push(r);
                    }
                }
                if matches!(&value.kind, NodeKind::Map(m) if m.is_empty())
                    || value.kind == NodeKind::Null
                {
                    errors.push(Diagnostic::at(
                        key.span,
                        "Resources must declare at least one resource",
                    ));
                }
            }
            "Outputs" => {
                for (k, v) in section(key, value, errors) {
                    if let Some(o) = read_output(k, v, errors) {
                        t.outputs.push(o);
                    }
                }
            }
            "Metadata" | "Rules" | "Hooks" => {}
            other => errors.push(Diagnostic::at(
                key.span,
                format!(
                    "unknown top-level section `{other}` (expected one of {})",
                    TOP_LEVEL.join(", ")
                ),
            )),
        }
    }
    if root.get("Resources").is_none() {
        errors.push(Diagnostic::at(
            root.span,
            "template has no Resources section",
        ));
    }
    t
}

fn name(k: &Key) -> Name {
    Name {
        text: k.name.clone(),
        span: k.span,
    }
}

fn section<'a>(key: &Key, value: &'a Node, errors: &mut Vec<Diagnostic>) -> &'a [(Key, Node)] {
    match &value.kind {
        NodeKind::Map(entries) => entries,
        NodeKind::Null => &[],
        _ => {
            errors.push(Diagnostic::at(
                value.span,
                format!("{} must be a mapping, got {}", key.name, value.describe()),
            ));
            &[]
        }
    }
}

fn names(value: &Node, what: &str, errors: &mut Vec<Diagnostic>) -> Vec<Name> {
    let one = |n: &Node, errors: &mut Vec<Diagnostic>| match &n.kind {
        NodeKind::String(s) => Some(Name {
            text: s.clone(),
            span: n.span,
        }),
        _ => {
            errors.push(Diagnostic::at(
                n.span,
                format!(
                    "{what} expects a name or a list of names, got {}",
                    n.describe()
                ),
            ));
            None
        }
    };
    match &value.kind {
        NodeKind::Seq(items) => items.iter().filter_map(|i| one(i, errors)).collect(),
        _ => one(value, errors).into_iter().collect(),
    }
}

fn check_mapping(k: &Key, v: &Node, errors: &mut Vec<Diagnostic>) {
    let ok = v
        .as_map()
        .is_some_and(|tops| tops.iter().all(|(_, second)| second.as_map().is_some()));
    if !ok {
        errors.push(Diagnostic::at(
            v.span,
            format!(
                "mapping `{}` must be a mapping of top-level keys to mappings of second-level keys",
                k.name
            ),
        ));
    }
}

fn read_resource(k: &Key, v: &Node, errors: &mut Vec<Diagnostic>) -> Option<ResourceDecl> {
    let Some(entries) = v.as_map() else {
        errors.push(Diagnostic::at(
            v.span,
            format!(
                "resource `{}` must be a mapping with a Type, got {}",
                k.name,
                v.describe()
            ),
        ));
        return None;
    };
    if !k.name.chars().all(|c| c.is_ascii_alphanumeric()) {
        errors.push(Diagnostic::at(
            k.span,
            format!("logical id `{}` must be alphanumeric (A-Za-z0-9)", k.name),
        ));
    }
    for (key, _) in entries {
        if !RESOURCE_KEYS.contains(&key.name.as_str()) {
            errors.push(Diagnostic::at(
                key.span,
                format!(
                    "unknown resource attribute `{}` in `{}` (expected one of {})",
                    key.name,
                    k.name,
                    RESOURCE_KEYS.join(", ")
                ),
            ));
        }
    }
    let type_name = match v.get("Type") {
        Some(t) => match &t.kind {
            NodeKind::String(s) => Name {
                text: s.clone(),
                span: t.span,
            },
            _ => {
                errors.push(Diagnostic::at(
                    t.span,
                    format!("resource `{}`: Type must be a string", k.name),
                ));
                return None;
            }
        },
        None => {
            errors.push(Diagnostic::at(
                k.span,
                format!("resource `{}` has no Type", k.name),
            ));
            return None;
        }
    };
    let properties = v.get("Properties").and_then(|p| match &p.kind {
        NodeKind::Map(_) => Some(parse_expr(p, errors)),
        NodeKind::Null => None,
        _ => {
            let e = parse_expr(p, errors);
            if matches!(e.kind, crate::expr::ExprKind::If { .. }) {
                Some(e)
            } else {
                errors.push(Diagnostic::at(
                    p.span,
                    format!(
                        "resource `{}`: Properties must be a mapping, got {}",
                        k.name,
                        p.describe()
                    ),
                ));
                None
            }
        }
    });
    let single = |key: &str, errors: &mut Vec<Diagnostic>| {
        v.get(key).and_then(|n| match &n.kind {
            NodeKind::String(s) => Some(Name {
                text: s.clone(),
                span: n.span,
            }),
            _ => {
                errors.push(Diagnostic::at(
                    n.span,
                    format!(
                        "resource `{}`: {key} must be a string, got {}",
                        k.name,
                        n.describe()
                    ),
                ));
                None
            }
        })
    };
    let condition = single("Condition", errors);
    let deletion_policy = single("DeletionPolicy", errors);
    let update_replace_policy = single("UpdateReplacePolicy", errors);
    let resource = format!("resource `{}` ({})", k.name, type_name.text);
    if let Some(p) = &deletion_policy {
        check_policy(&resource, "DeletionPolicy", p, DELETION_POLICIES, errors);
    }
    if let Some(p) = &update_replace_policy {
        check_policy(
            &resource,
            "UpdateReplacePolicy",
            p,
            UPDATE_REPLACE_POLICIES,
            errors,
        );
    }
    Some(ResourceDecl {
        name: name(k),
        type_name,
        properties,
        depends_on: v
            .get("DependsOn")
            .map(|d| names(d, "DependsOn", errors))
            .unwrap_or_default(),
        condition,
        deletion_policy,
        update_replace_policy,
        update_policy: v.get("UpdatePolicy").cloned(),
    })
}

/// Reports a `DeletionPolicy` or `UpdateReplacePolicy` (`attribute`) of `resource` that
/// CloudFormation does not accept (`accepted` lists what it does), or that infra cannot honour
/// (`Snapshot`: no type supports it yet).
fn check_policy(
    resource: &str,
    attribute: &str,
    policy: &Name,
    accepted: &[&str],
    errors: &mut Vec<Diagnostic>,
) {
    let text = policy.text.as_str();
    if text == "Snapshot" {
        errors.push(
            Diagnostic::at(
                policy.span,
                format!(
                    "{resource}: {attribute} Snapshot is not supported yet: infra snapshots no resource type"
                ),
            )
            .with_note(
                None,
                format!(
                    "use {attribute}: Retain to keep the resource in AWS, or Delete (the default)"
                ),
            ),
        );
        return;
    }
    if accepted.contains(&text) {
        return;
    }
    let mut d = Diagnostic::at(
        policy.span,
        format!(
            "{resource}: unknown {attribute} `{text}` (expected one of {})",
            accepted.join(", ")
        ),
    );
    if let Some(meant) = DELETION_POLICIES
        .iter()
        .find(|p| p.eq_ignore_ascii_case(text) && accepted.contains(p))
    {
        d = d.with_note(
            None,
            format!("policies are case-sensitive: did you mean `{meant}`?"),
        );
    } else if text == "RetainExceptOnCreate" {
        d = d.with_note(
            None,
            "RetainExceptOnCreate is a DeletionPolicy only; a replacement keeps its old object with UpdateReplacePolicy: Retain",
        );
    }
    errors.push(d);
}

fn read_output(k: &Key, v: &Node, errors: &mut Vec<Diagnostic>) -> Option<OutputDecl> {
    let Some(value) = v.get("Value") else {
        errors.push(Diagnostic::at(
            k.span,
            format!("output `{}` has no Value", k.name),
        ));
        return None;
    };
    let export = v.get("Export").and_then(|e| match e.get("Name") {
        Some(n) => Some(parse_expr(n, errors)),
        None => {
            errors.push(Diagnostic::at(
                e.span,
                format!("output `{}`: Export needs a Name", k.name),
            ));
            None
        }
    });
    let condition = v.get("Condition").and_then(|c| match &c.kind {
        NodeKind::String(s) => Some(Name {
            text: s.clone(),
            span: c.span,
        }),
        _ => {
            errors.push(Diagnostic::at(
                c.span,
                format!("output `{}`: Condition must be a string", k.name),
            ));
            None
        }
    });
    Some(OutputDecl {
        name: name(k),
        value: parse_expr(value, errors),
        export,
        condition,
        description: v.get("Description").and_then(Node::as_scalar_text),
    })
}

const PARAMETER_KEYS: &[&str] = &[
    "Type",
    "Default",
    "Description",
    "AllowedValues",
    "AllowedPattern",
    "MinLength",
    "MaxLength",
    "MinValue",
    "MaxValue",
    "NoEcho",
    "ConstraintDescription",
];

fn read_parameter(k: &Key, v: &Node, errors: &mut Vec<Diagnostic>) -> Option<ParameterDecl> {
    let Some(entries) = v.as_map() else {
        errors.push(Diagnostic::at(
            v.span,
            format!("parameter `{}` must be a mapping", k.name),
        ));
        return None;
    };
    for (key, _) in entries {
        if !PARAMETER_KEYS.contains(&key.name.as_str()) {
            errors.push(Diagnostic::at(
                key.span,
                format!("unknown parameter attribute `{}` in `{}`", key.name, k.name),
            ));
        }
    }
    let Some(type_node) = v.get("Type") else {
        errors.push(Diagnostic::at(
            k.span,
            format!("parameter `{}` has no Type", k.name),
        ));
        return None;
    };
    let type_text = type_node.as_scalar_text().unwrap_or_default();
    let ty = match ParamType::parse(&type_text) {
        Some(ty) => ty,
        None => {
            errors.push(Diagnostic::at(
                type_node.span,
                format!("parameter `{}` has an unknown type `{type_text}`", k.name),
            ));
            // Keep the declaration so that references to it are not reported as well.
            ParamType::String
        }
    };
    let number = |key: &str, errors: &mut Vec<Diagnostic>| -> Option<(f64, Span)> {
        let n = v.get(key)?;
        match n
            .as_scalar_text()
            .and_then(|t| t.trim().parse::<f64>().ok())
        {
            Some(x) => Some((x, n.span)),
            None => {
                errors.push(Diagnostic::at(
                    n.span,
                    format!("parameter `{}`: {key} must be a number", k.name),
                ));
                None
            }
        }
    };
    let allowed_values = match v.get("AllowedValues") {
        None => None,
        Some(n) => match &n.kind {
            NodeKind::Seq(items) => Some(items.iter().filter_map(Node::as_scalar_text).collect()),
            _ => {
                errors.push(Diagnostic::at(
                    n.span,
                    format!("parameter `{}`: AllowedValues must be a list", k.name),
                ));
                None
            }
        },
    };
    let allowed_pattern = v.get("AllowedPattern").and_then(|p| {
        let text = p.as_scalar_text()?;
        match regex::Regex::new(&format!("^(?:{text})$")) {
            Ok(re) => Some((re, text)),
            Err(e) => {
                errors.push(Diagnostic::at(
                    p.span,
                    format!(
                        "parameter `{}`: AllowedPattern is not a valid regular expression: {e}",
                        k.name
                    ),
                ));
                None
            }
        }
    });
    let no_echo = v
        .get("NoEcho")
        .and_then(Node::as_scalar_text)
        .is_some_and(|t| t.eq_ignore_ascii_case("true"));
    let to_len = |x: Option<(f64, Span)>| x.map(|(x, _)| x.max(0.0) as usize);
    Some(ParameterDecl {
        name: name(k),
        ty,
        default: v.get("Default").cloned(),
        allowed_values,
        allowed_pattern,
        min_length: to_len(number("MinLength", errors)),
        max_length: to_len(number("MaxLength", errors)),
        min_value: number("MinValue", errors).map(|(x, _)| x),
        max_value: number("MaxValue", errors).map(|(x, _)| x),
        no_echo,
        description: v.get("Description").and_then(Node::as_scalar_text),
        constraint_description: v
            .get("ConstraintDescription")
            .and_then(Node::as_scalar_text),
    })
}
