//! Parameter declarations, their types and constraints, and turning the values a user (or a
//! parent stack) passes into the values `Ref` returns.

use regex::Regex;

use crate::diagnostic::Diagnostic;
use crate::expr::Name;
use crate::node::{Node, NodeKind};
use crate::source::Span;
use crate::value::{Unknown, Value};

/// AWS-specific parameter types, with the prefix a literal id of that type has.
const AWS_TYPES: &[(&str, Option<&str>)] = &[
    ("AWS::EC2::AvailabilityZone::Name", None),
    ("AWS::EC2::Image::Id", Some("ami-")),
    ("AWS::EC2::Instance::Id", Some("i-")),
    ("AWS::EC2::KeyPair::KeyName", None),
    ("AWS::EC2::SecurityGroup::GroupName", None),
    ("AWS::EC2::SecurityGroup::Id", Some("sg-")),
    ("AWS::EC2::Subnet::Id", Some("subnet-")),
    ("AWS::EC2::Volume::Id", Some("vol-")),
    ("AWS::EC2::VPC::Id", Some("vpc-")),
    ("AWS::Route53::HostedZone::Id", None),
    ("AWS::SSM::Parameter::Name", None),
];

/// A parameter's `Type`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamType {
    /// `String`.
    String,
    /// `Number`: validated as a number; `Ref` returns it as a string.
    Number,
    /// `List<Number>`.
    NumberList,
    /// `CommaDelimitedList`.
    CommaDelimitedList,
    /// An AWS-specific type such as `AWS::EC2::VPC::Id`.
    Aws(&'static str),
    /// `List<AWS::EC2::Subnet::Id>` and the like.
    AwsList(&'static str),
    /// `AWS::SSM::Parameter::Value<T>`: the value is an SSM parameter name, resolved at plan time.
    Ssm(Box<ParamType>),
}

impl ParamType {
    /// Parses a `Type` string; `None` when CloudFormation does not know it.
    pub fn parse(s: &str) -> Option<ParamType> {
        let s = s.trim();
        if let Some(inner) = s
            .strip_prefix("AWS::SSM::Parameter::Value<")
            .and_then(|r| r.strip_suffix('>'))
        {
            let inner = ParamType::parse(inner)?;
            return match inner {
                ParamType::Ssm(_) | ParamType::Number | ParamType::NumberList => None,
                t => Some(ParamType::Ssm(Box::new(t))),
            };
        }
        if let Some(inner) = s.strip_prefix("List<").and_then(|r| r.strip_suffix('>')) {
            return match inner {
                "Number" => Some(ParamType::NumberList),
                "String" => Some(ParamType::CommaDelimitedList),
                _ => aws_type(inner).map(ParamType::AwsList),
            };
        }
        match s {
            "String" => Some(ParamType::String),
            "Number" => Some(ParamType::Number),
            "CommaDelimitedList" => Some(ParamType::CommaDelimitedList),
            _ => aws_type(s).map(ParamType::Aws),
        }
    }

    /// True when `Ref` of the parameter returns a list.
    pub fn is_list(&self) -> bool {
        match self {
            ParamType::NumberList | ParamType::CommaDelimitedList | ParamType::AwsList(_) => true,
            ParamType::Ssm(inner) => inner.is_list(),
            _ => false,
        }
    }
}

fn aws_type(s: &str) -> Option<&'static str> {
    AWS_TYPES.iter().find(|(t, _)| *t == s).map(|(t, _)| *t)
}

fn id_prefix(t: &str) -> Option<&'static str> {
    AWS_TYPES
        .iter()
        .find(|(n, _)| *n == t)
        .and_then(|(_, p)| *p)
}

/// One declared parameter.
#[derive(Debug, Clone)]
#[allow(missing_docs)]
pub struct ParameterDecl {
    pub name: Name,
    pub ty: ParamType,
    pub default: Option<Node>,
    pub allowed_values: Option<Vec<String>>,
    /// The compiled pattern (anchored at both ends, as CloudFormation matches) and its text.
    pub allowed_pattern: Option<(Regex, String)>,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub min_value: Option<f64>,
    pub max_value: Option<f64>,
    pub no_echo: bool,
    pub description: Option<String>,
    pub constraint_description: Option<String>,
}

/// A value given for a parameter: from the command line, a parameters file, a parent stack's
/// `Parameters`, or the declaration's `Default`.
#[derive(Debug, Clone)]
pub struct ParamInput {
    /// The value; a string from users, any value from a parent stack.
    pub value: Value,
    /// Where the value is written, when it is in a template.
    pub span: Option<Span>,
}

impl ParameterDecl {
    /// Checks `input` against the type and constraints and returns what `Ref` of the parameter
    /// evaluates to. `where_` names where the value came from for messages.
    pub fn resolve(&self, input: &ParamInput, where_: Span) -> Result<Value, Diagnostic> {
        let span = input.span.unwrap_or(where_);
        let err = |msg: String| {
            let mut d = Diagnostic::at(span, msg);
            if let Some(c) = &self.constraint_description {
                d = d.with_note(Some(self.name.span), c.clone());
            }
            d
        };
        let shown = |v: &str| -> String {
            if self.no_echo {
                "****".to_string()
            } else {
                format!("\"{v}\"")
            }
        };
        let text = match &input.value {
            Value::Unknown(_) => return Ok(input.value.clone()),
            Value::List(items) if self.ty.is_list() || matches!(self.ty, ParamType::Ssm(_)) => {
                if items.iter().any(Value::has_unknown) {
                    return Ok(input.value.clone());
                }
                items
                    .iter()
                    .map(|i| i.as_text().unwrap_or_default())
                    .collect::<Vec<_>>()
                    .join(",")
            }
            v => match v.as_text() {
                Some(t) => t,
                None => {
                    return Err(err(format!(
                        "parameter `{}` expects a string value, got {}",
                        self.name.text,
                        v.describe()
                    )));
                }
            },
        };
        let (ty, is_ssm) = match &self.ty {
            ParamType::Ssm(inner) => (inner.as_ref(), true),
            t => (t, false),
        };
        let items: Vec<String> = if ty.is_list() {
            if text.trim().is_empty() {
                Vec::new()
            } else {
                text.split(',').map(|s| s.trim().to_string()).collect()
            }
        } else {
            vec![text.clone()]
        };
        if !is_ssm {
            for item in &items {
                self.check_item(ty, item, &shown).map_err(err)?;
            }
        }
        // String-wide constraints apply to the whole value.
        let len = text.chars().count();
        if let Some(min) = self.min_length
            && len < min
        {
            return Err(err(format!(
                "value {} of parameter `{}` is shorter than MinLength {min}",
                shown(&text),
                self.name.text
            )));
        }
        if let Some(max) = self.max_length
            && len > max
        {
            return Err(err(format!(
                "value {} of parameter `{}` is longer than MaxLength {max}",
                shown(&text),
                self.name.text
            )));
        }
        if let Some((re, pattern)) = &self.allowed_pattern
            && !re.is_match(&text)
        {
            return Err(err(format!(
                "value {} of parameter `{}` does not match pattern AllowedPattern `{pattern}`",
                shown(&text),
                self.name.text
            )));
        }
        if is_ssm {
            // The value is the name of an SSM parameter; what `Ref` returns is looked up later.
            return Ok(Value::Unknown(Unknown::Lookup(format!(
                "SSM parameter {text}"
            ))));
        }
        Ok(if ty.is_list() {
            Value::List(items.into_iter().map(Value::String).collect())
        } else {
            Value::String(text)
        })
    }

    fn check_item(
        &self,
        ty: &ParamType,
        item: &str,
        shown: &dyn Fn(&str) -> String,
    ) -> Result<(), String> {
        let name = &self.name.text;
        if let Some(allowed) = &self.allowed_values
            && !allowed.iter().any(|a| a == item)
        {
            let list = if allowed.len() > 12 {
                format!(
                    "{}, ... ({} values)",
                    allowed[..12].join(", "),
                    allowed.len()
                )
            } else {
                allowed.join(", ")
            };
            return Err(format!(
                "value {} of parameter `{name}` is not one of the allowed values: {list}",
                shown(item)
            ));
        }
        match ty {
            ParamType::Number | ParamType::NumberList => {
                // `f64::from_str` also reads "NaN" and "inf", which are not numbers here.
                let Some(x) = item.trim().parse::<f64>().ok().filter(|x| x.is_finite()) else {
                    return Err(format!(
                        "value {} of parameter `{name}` is not a number",
                        shown(item)
                    ));
                };
                if let Some(min) = self.min_value
                    && x < min
                {
                    return Err(format!(
                        "value {} of parameter `{name}` is less than MinValue {min}",
                        shown(item)
                    ));
                }
                if let Some(max) = self.max_value
                    && x > max
                {
                    return Err(format!(
                        "value {} of parameter `{name}` is greater than MaxValue {max}",
                        shown(item)
                    ));
                }
            }
            ParamType::Aws(t) | ParamType::AwsList(t) => {
                if let Some(prefix) = id_prefix(t)
                    && !item.starts_with(prefix)
                {
                    return Err(format!(
                        "value {} of parameter `{name}` is not a valid {t} (expected an id starting with `{prefix}`)",
                        shown(item)
                    ));
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// The default as a parameter input, if declared.
    pub fn default_input(&self) -> Option<ParamInput> {
        let d = self.default.as_ref()?;
        let value = match &d.kind {
            NodeKind::Seq(items) => Value::List(
                items
                    .iter()
                    .map(|i| Value::String(i.as_scalar_text().unwrap_or_default()))
                    .collect(),
            ),
            NodeKind::Null => Value::String(String::new()),
            _ => Value::String(d.as_scalar_text().unwrap_or_default()),
        };
        Some(ParamInput {
            value,
            span: Some(d.span),
        })
    }
}

#[cfg(test)]
#[path = "params_tests.rs"]
mod tests;
