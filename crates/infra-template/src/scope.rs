//! What one stack's expressions can see: the values only AWS knows ([`Lookups`]), the pseudo
//! parameters, the stack's parameters, its logical ids and its conditions (evaluated lazily,
//! once each, with cycles reported).

use std::cell::RefCell;
use std::collections::BTreeMap;

use crate::dep::Dep;
use crate::diagnostic::Diagnostic;
use crate::eval::Eval;
use crate::template::Template;
use crate::value::Value;

/// Values only AWS (or the state file) knows. Every method may answer `None`, and evaluation
/// then yields an unknown value; `validate` uses [`Offline`], which knows nothing.
pub trait Lookups {
    /// What `Ref` of the resource at `address` returns, if it exists already.
    fn resource_ref(&self, address: &str) -> Option<Value> {
        let _ = address;
        None
    }
    /// An attribute of the resource at `address`, if it exists already.
    fn resource_attribute(&self, address: &str, attribute: &str) -> Option<Value> {
        let _ = (address, attribute);
        None
    }
    /// The availability zones of `region`.
    fn availability_zones(&self, region: &str) -> Option<Vec<String>> {
        let _ = region;
        None
    }
    /// The value of an SSM parameter.
    fn ssm_parameter(&self, name: &str) -> Option<Value> {
        let _ = name;
        None
    }
    /// The value exported under `name` by another stack.
    fn import_value(&self, name: &str) -> Option<Value> {
        let _ = name;
        None
    }
}

/// Knows nothing: every AWS-side value is unknown.
#[derive(Debug, Clone, Copy, Default)]
pub struct Offline;
impl Lookups for Offline {}

/// The pseudo parameters (`AWS::Region` and friends) of a deployment.
#[derive(Debug, Clone, Default)]
pub struct Pseudo {
    /// `AWS::Region`, when known.
    pub region: Option<String>,
    /// `AWS::AccountId`, when known.
    pub account_id: Option<String>,
    /// `AWS::StackName` of the root stack.
    pub stack_name: String,
}

impl Pseudo {
    /// `AWS::Partition` for the region (`aws` when the region is unknown).
    pub fn partition(&self) -> &'static str {
        match self.region.as_deref() {
            Some(r) if r.starts_with("cn-") => "aws-cn",
            Some(r) if r.starts_with("us-gov-") => "aws-us-gov",
            _ => "aws",
        }
    }

    /// `AWS::URLSuffix` for the region.
    pub fn url_suffix(&self) -> &'static str {
        if self.partition() == "aws-cn" {
            "amazonaws.com.cn"
        } else {
            "amazonaws.com"
        }
    }
}

/// The pseudo parameters CloudFormation defines.
pub const PSEUDO_PARAMETERS: &[&str] = &[
    "AWS::AccountId",
    "AWS::NotificationARNs",
    "AWS::NoValue",
    "AWS::Partition",
    "AWS::Region",
    "AWS::StackId",
    "AWS::StackName",
    "AWS::URLSuffix",
];

/// A value together with the resources it reads.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    /// The value.
    pub value: Value,
    /// The resources it reads.
    pub deps: Vec<Dep>,
}

/// What a logical id names within a stack.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Entity {
    /// A resource of a supported type.
    Resource { type_name: String },
    /// A nested stack.
    Stack,
    /// A resource taken out of the graph (replaced natively, or not supported).
    Absent,
    /// A resource whose `Condition` is false: it is not created, so nothing may read it.
    ConditionFalse(String),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum CondState {
    Visiting,
    Done(Option<bool>),
}

/// Everything one stack's expressions can see.
pub(crate) struct Scope<'a> {
    /// Address prefix of the stack's resources: `""` at the root, `"VpcStack."` below it.
    pub prefix: String,
    /// `AWS::StackName` of this stack.
    pub stack_name: String,
    pub template: &'a Template,
    pub params: BTreeMap<String, Resolved>,
    pub entities: BTreeMap<String, Entity>,
    /// Outputs of nested stacks already loaded: child logical id → output name → value.
    pub child_outputs: BTreeMap<String, BTreeMap<String, Resolved>>,
    pub pseudo: &'a Pseudo,
    pub lookups: &'a dyn Lookups,
    conditions: RefCell<BTreeMap<String, CondState>>,
    /// How many conditions are being evaluated, each inside the previous one.
    condition_depth: std::cell::Cell<usize>,
}

impl<'a> Scope<'a> {
    pub(crate) fn new(
        prefix: String,
        stack_name: String,
        template: &'a Template,
        pseudo: &'a Pseudo,
        lookups: &'a dyn Lookups,
    ) -> Self {
        Scope {
            prefix,
            stack_name,
            template,
            params: BTreeMap::new(),
            entities: BTreeMap::new(),
            child_outputs: BTreeMap::new(),
            pseudo,
            lookups,
            conditions: RefCell::new(BTreeMap::new()),
            condition_depth: std::cell::Cell::new(0),
        }
    }

    /// The value of a condition: `Some(true/false)`, or `None` when it depends on unknown values.
    pub(crate) fn condition(&self, name: &str, errors: &mut Vec<Diagnostic>) -> Option<bool> {
        let state = self.conditions.borrow().get(name).copied();
        match state {
            Some(CondState::Done(v)) => return v,
            Some(CondState::Visiting) => {
                if let Some((n, _)) = self
                    .template
                    .conditions
                    .iter()
                    .find(|(n, _)| n.text == name)
                {
                    errors.push(Diagnostic::at(
                        n.span,
                        format!("condition `{name}` refers to itself (a cycle of conditions)"),
                    ));
                }
                self.conditions
                    .borrow_mut()
                    .insert(name.to_string(), CondState::Done(None));
                return None;
            }
            None => {}
        }
        let (cond_name, expr) = self
            .template
            .conditions
            .iter()
            .find(|(n, _)| n.text == name)?;
        // A long chain of conditions would otherwise recurse until the stack overflows.
        let depth = self.condition_depth.get();
        if depth >= crate::yaml::MAX_DEPTH {
            errors.push(Diagnostic::at(
                cond_name.span,
                format!(
                    "condition `{name}` is nested too deeply: conditions may refer to each other at most {} levels deep",
                    crate::yaml::MAX_DEPTH
                ),
            ));
            self.conditions
                .borrow_mut()
                .insert(name.to_string(), CondState::Done(None));
            return None;
        }
        self.conditions
            .borrow_mut()
            .insert(name.to_string(), CondState::Visiting);
        let mut ev = Eval::new(self);
        self.condition_depth.set(depth + 1);
        let evaluated = ev.eval(expr);
        self.condition_depth.set(depth);
        let value = match evaluated {
            Ok(Some(Value::Bool(b))) => Some(b),
            Ok(Some(Value::Unknown(_))) => None,
            Ok(Some(other)) => {
                ev.errors.push(Diagnostic::at(
                    expr.span,
                    format!(
                        "condition `{name}` must evaluate to a boolean (use Fn::Equals, Fn::And, Fn::Or, Fn::Not), got {}",
                        other.describe()
                    ),
                ));
                None
            }
            Ok(None) => None,
            Err(d) => {
                ev.errors.push(d);
                None
            }
        };
        errors.append(&mut ev.errors);
        // Only record the first result: a cycle may already have recorded `None`.
        let mut conds = self.conditions.borrow_mut();
        if conds.get(name) == Some(&CondState::Visiting) {
            conds.insert(name.to_string(), CondState::Done(value));
        }
        value
    }

    pub(crate) fn address(&self, logical: &str) -> String {
        format!("{}{logical}", self.prefix)
    }
}
