//! `AWS::Logs::LogGroup` properties: the supported and refused tables, and the template's
//! properties parsed and checked into a [`Spec`].

use serde_json::Value;

use super::TYPE;
use crate::provider::ProviderError;
use crate::providers::kit::{self, Ctx, Props};

const SUPPORTED: &[&str] = &[
    "BearerTokenAuthenticationEnabled",
    "DataProtectionPolicy",
    "DeletionProtectionEnabled",
    "FieldIndexPolicies",
    "KmsKeyId",
    "LogGroupClass",
    "LogGroupName",
    "RetentionInDays",
    "Tags",
];

const UNSUPPORTED: &[(&str, &str)] = &[(
    "ResourcePolicyDocument",
    "infra does not yet create log-group-scoped resource policies (PutResourcePolicy with a \
     resourceArn); use an account-level AWS::Logs::ResourcePolicy or leave it out",
)];

/// The top-level properties refused whatever their value (the names of [`UNSUPPORTED`]).
static REFUSED: [&str; UNSUPPORTED.len()] = crate::providers::names(UNSUPPORTED);

/// The top-level properties `type_name` refuses whatever their value, `None` for a type this
/// module does not provide.
pub(crate) fn refused_properties(type_name: &str) -> Option<&'static [&'static str]> {
    (type_name == TYPE).then_some(&REFUSED[..])
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Spec {
    pub(super) name: Option<String>,
    pub(super) retention: Option<i32>,
    pub(super) kms: Option<String>,
    pub(super) class: Option<String>,
    pub(super) deletion_protection: Option<bool>,
    pub(super) data_protection: Option<Value>,
    pub(super) index_policy: Option<Value>,
    pub(super) tags: Vec<(String, String)>,
}

pub(super) fn parse(value: &Value, ctx: Ctx<'_>) -> Result<Spec, ProviderError> {
    let props = Props::new(value, ctx, SUPPORTED, UNSUPPORTED)?;
    if props.bool("BearerTokenAuthenticationEnabled")? == Some(true) {
        return Err(ctx.fatal(
            "property BearerTokenAuthenticationEnabled: true is not supported yet (the AWS SDK \
             infra is built with has no call to enable it); leave it out or set it to false",
        ));
    }
    let index_policy = match props.get("FieldIndexPolicies") {
        None => None,
        Some(Value::Array(items)) if items.len() <= 1 => items
            .first()
            .map(|doc| {
                kit::parse_document(doc)
                    .map_err(|why| ctx.fatal(format!("property FieldIndexPolicies: {why}")))
            })
            .transpose()?,
        Some(Value::Array(items)) => {
            return Err(ctx.fatal(format!(
                "property FieldIndexPolicies holds {} policies; a log group has at most one",
                items.len()
            )));
        }
        Some(_) => {
            return Err(ctx.fatal("property FieldIndexPolicies must be a list of policy documents"));
        }
    };
    Ok(Spec {
        name: props.str("LogGroupName")?,
        retention: props.i32("RetentionInDays")?,
        kms: props.str("KmsKeyId")?,
        class: props.str("LogGroupClass")?,
        deletion_protection: props.bool("DeletionProtectionEnabled")?,
        data_protection: props.document("DataProtectionPolicy")?,
        index_policy,
        tags: props.tags("Tags")?,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::provider::FailureClass;

    fn ctx() -> Ctx<'static> {
        Ctx::new(TYPE, "Logs")
    }

    #[test]
    fn parses_every_mapped_property() {
        let spec = parse(
            &json!({
                "LogGroupName": "/ecs/demo",
                "RetentionInDays": "14",
                "KmsKeyId": "arn:aws:kms:us-east-1:1:key/k",
                "LogGroupClass": "STANDARD",
                "DeletionProtectionEnabled": "false",
                "BearerTokenAuthenticationEnabled": false,
                "DataProtectionPolicy": "{\"Name\":\"p\"}",
                "FieldIndexPolicies": [{"Fields": ["a"]}],
                "Tags": [{"Key": "team", "Value": "x"}]
            }),
            ctx(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(spec.retention, Some(14));
        assert_eq!(spec.deletion_protection, Some(false));
        assert_eq!(spec.data_protection, Some(json!({"Name": "p"})));
        assert_eq!(spec.index_policy, Some(json!({"Fields": ["a"]})));
        assert_eq!(spec.tags, vec![("team".to_owned(), "x".to_owned())]);
    }

    #[test]
    fn refuses_what_it_cannot_do_naming_the_property() {
        for (props, named) in [
            (
                json!({"ResourcePolicyDocument": {"Version": "2012-10-17"}}),
                "ResourcePolicyDocument",
            ),
            (
                json!({"BearerTokenAuthenticationEnabled": true}),
                "BearerTokenAuthenticationEnabled",
            ),
            (
                json!({"FieldIndexPolicies": [{}, {}]}),
                "FieldIndexPolicies",
            ),
            (json!({"Retention": 3}), "Retention"),
        ] {
            let err = parse(&props, ctx()).expect_err("refused");
            assert_eq!(err.class, FailureClass::Fatal);
            assert!(err.message.contains(named), "{}", err.message);
            assert!(
                err.message.contains("AWS::Logs::LogGroup Logs"),
                "{}",
                err.message
            );
        }
    }
}
