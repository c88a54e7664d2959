//! `AWS::SSM::Parameter`: its properties ([`Spec`]) and the create / update / delete / read /
//! find flow. Its keys are generated from the schema (`scripts/generate-mappings`,
//! `crates/infra-aws/mappings/ssm.toml`).
//!
//! | property | create | update |
//! |---|---|---|
//! | `Name` (generated when absent) | PutParameter | create-only (replacement) |
//! | `Type` (`String` or `StringList`) | PutParameter | PutParameter `Overwrite` |
//! | `Value`, `DataType` | PutParameter | PutParameter `Overwrite` (removed `DataType`: `text`) |
//! | `Description`, `AllowedPattern`, `Policies` | PutParameter | PutParameter `Overwrite` (removed: empty, no policies `[]`) |
//! | `Tier` | PutParameter | PutParameter `Overwrite` (removed: the parameter keeps its tier; AWS never turns an advanced parameter back into a standard one) |
//! | `Tags` (a map in this schema) | PutParameter, with infra's tags | AddTagsToResource / RemoveTagsFromResource (PutParameter cannot tag when it overwrites) |
//!
//! `Type: SecureString` is refused: CloudFormation does not create secure strings (the schema's
//! `Type` is `String` or `StringList`). `Ref` is the name; `Fn::GetAtt Arn`, and the
//! properties cfn-lint lists as attributes (`Type`, `Value`, `Name`, `DataType`, and the
//! `Description`, `AllowedPattern`, `Tier` and `Policies` the template sets).
//!
//! A create waits until GetParameters shows the parameter: one of `DataType: aws:ec2:image` is
//! validated asynchronously and appears only once its value is found to name an AMI. A create
//! that finds the name taken adopts the parameter only when it carries this resource's
//! `infra:*` tags; `find` looks the name up the same way.
//!
//! Refresh: GetParameters, 10 names per call (a name not found is gone); DescribeParameters
//! (`Name` `Equals`, 50 names per call, pages followed) only for the parameters whose
//! template manages `Description`, `AllowedPattern`, `Tier` or `Policies`; tags per parameter,
//! only when managed. A `StringList` value that differs only by spaces around its commas, and
//! an `Intelligent-Tiering` tier that AWS resolved to a tier, read as last applied.

use std::collections::BTreeMap;

use crate::providers::kit::prelude::*;
use aws_sdk_ssm::operation::put_parameter::builders::PutParameterInputBuilder;
use aws_sdk_ssm::types::{
    Parameter, ParameterInlinePolicy, ParameterMetadata, ParameterStringFilter,
    ResourceTypeForTagging, Tag,
};

use super::{Ssm, Tags, observed_tag_map};
use crate::generated::ssm::{PARAMETER as KEYS, put_parameter};
use crate::providers::kit::convert::R;
use crate::providers::kit::{in_batches, one_of, pages};

pub(crate) const TYPE: &str = "AWS::SSM::Parameter";

/// The resource type of a parameter for the tagging calls.
const PARAMETER: ResourceTypeForTagging = ResourceTypeForTagging::Parameter;

/// The properties DescribeParameters reports (GetParameters does not).
const METADATA: &[&str] = &["AllowedPattern", "Description", "Policies", "Tier"];

/// The parameter as the template describes it.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Spec {
    pub(crate) name: Option<String>,
    /// PutParameter's request without the name: `Value`, `Type`, `Description`,
    /// `AllowedPattern`, `Tier`, `DataType` (the generated reader) and the policies as JSON text
    /// (a list written in the template is sent as its text).
    pub(crate) put: PutParameterInputBuilder,
    /// Sorted by key.
    pub(crate) tags: Vec<(String, String)>,
}

pub(crate) fn parse(value: &Value, ctx: Ctx<'_>) -> Result<Spec, ProviderError> {
    let p = Props::root(value, ctx, KEYS)?;
    let kind = p.required_str("Type")?;
    if kind == "SecureString" {
        return Err(p.fatal(
            "Type",
            "CloudFormation does not create SecureString parameters (the type is String or \
             StringList), and infra does as CloudFormation does: create it outside the template \
             and read it with {{resolve:ssm-secure:NAME}}",
        ));
    }
    let kind: String = one_of(&kind, &["String", "StringList"], &p.at("Type"), ctx)?;
    let policies = match p.get("Policies") {
        Some(list @ Value::Array(_)) => Some(list.to_string()),
        _ => p.str("Policies")?,
    };
    let tags: Tags = p.str_map("Tags")?.unwrap_or_default().into_iter().collect();
    let name = p.str("Name")?;
    let put = put_parameter(&p, PutParameterInputBuilder::default())?;
    Ok(Spec {
        name,
        put: put.r#type(kind.as_str().into()).set_policies(policies),
        tags: tags.into_iter().collect(),
    })
}

/// What create, update, find and read report: the name, the ARN, and the properties cfn-lint
/// lists as attributes (the write-only ones as `props`, the last applied properties, set them).
fn output(param: &Parameter, props: &Value) -> ResourceOutput {
    let name = param.name().unwrap_or_default();
    let kind = param.r#type().map(|t| t.as_str());
    let attributes = [
        ("Arn", json!(param.arn())),
        ("Name", json!(name)),
        ("Type", json!(kind)),
        ("Value", json!(param.value())),
        ("DataType", json!(param.data_type())),
    ];
    let mut out = output_of(name, attributes);
    for key in METADATA {
        if let Some(v) = props.get(*key).filter(|v| !v.is_null()) {
            out.attributes.insert((*key).to_owned(), v.clone());
        }
    }
    out
}

/// GetParameters of `names` (at most 10): those that exist.
async fn get(ssm: &Ssm, ctx: Ctx<'_>, names: &[String]) -> Result<Vec<Parameter>, ProviderError> {
    let request = ssm.client.get_parameters().set_names(Some(names.to_vec()));
    let out = send!(ssm, ctx, request, "reading parameters")?;
    Ok(out.parameters().to_vec())
}

/// The parameter's tags (ListTagsForResource).
async fn tags_of(ssm: &Ssm, ctx: Ctx<'_>, name: &str) -> R<Tags> {
    let request = ssm.client.list_tags_for_resource().resource_type(PARAMETER);
    let request = request.resource_id(name);
    let out = send!(ssm, ctx, request, "reading tags")?;
    let pair = |t: &Tag| (t.key().to_owned(), t.value().to_owned());
    Ok(out.tag_list().iter().map(pair).collect())
}

#[derive(Debug)]
pub(crate) struct ParameterProvider {
    pub(crate) ssm: Ssm,
}

impl ParameterProvider {
    /// PutParameter of `spec` as `name`: a new parameter, or (with the `before` it replaces)
    /// an overwrite, where what `before` set and `spec` does not is cleared.
    fn put(name: &str, spec: &Spec, before: Option<&Spec>) -> PutParameterInputBuilder {
        type Text = fn(&PutParameterInputBuilder) -> &Option<String>;
        let cleared = |text: Text, empty: &str| {
            let was_set = before.is_some_and(|b| text(&b.put).is_some());
            let given = text(&spec.put).clone();
            given.or_else(|| was_set.then(|| empty.to_owned()))
        };
        let b = spec.put.clone().name(name);
        b.set_description(cleared(PutParameterInputBuilder::get_description, ""))
            .set_allowed_pattern(cleared(PutParameterInputBuilder::get_allowed_pattern, ""))
            .set_policies(cleared(PutParameterInputBuilder::get_policies, "[]"))
            .set_data_type(cleared(PutParameterInputBuilder::get_data_type, "text"))
            .set_overwrite(before.is_some().then_some(true))
    }

    /// PutParameter `request`, overwriting the parameter.
    async fn overwrite(&self, ctx: Ctx<'_>, request: PutParameterInputBuilder) -> R<()> {
        let sent = request.send_with(&self.ssm.client).await;
        sent.map(drop)
            .map_err(|e| kit::failed(&self.ssm, ctx, "overwriting", e))
    }

    /// GetParameters of `name` until it is there (see the module doc).
    async fn wait(&self, ctx: Ctx<'_>, name: &str) -> Result<Parameter, ProviderError> {
        let names = [name.to_owned()];
        let found = kit::poll(kit::PROPAGATION_TIMEOUT, || async {
            Ok(get(&self.ssm, ctx, &names).await?.into_iter().next())
        });
        let secs = kit::PROPAGATION_TIMEOUT.as_secs();
        found.await?.ok_or_else(|| {
            ctx.fatal(format!(
                "parameter {name} could not be read {secs} s after it was written; with \
                 DataType aws:ec2:image, check that the value names an AMI of this account"
            ))
        })
    }

    /// AddTagsToResource / RemoveTagsFromResource from the tags `old` to `new`.
    async fn retag(&self, ctx: Ctx<'_>, name: &str, old: &Tags, new: &Tags) -> R<()> {
        let (ssm, c) = (&self.ssm, &self.ssm.client);
        let untag = |keys| async move {
            let request = c.remove_tags_from_resource().resource_type(PARAMETER);
            let request = request.resource_id(name).set_tag_keys(Some(keys));
            send!(ssm, ctx, request, "untagging").map(|_| ())
        };
        let tag = |set: Tags| async move {
            let request = c.add_tags_to_resource().resource_type(PARAMETER);
            let request = request.resource_id(name);
            let request = request.set_tags(Some(kit::sdk_tags!(Tag, ctx, set)?));
            send!(ssm, ctx, request, "tagging").map(|_| ())
        };
        kit::retag(old, new, untag, tag).await
    }

    /// DescribeParameters of `names` (at most 50), pages followed.
    async fn describe(&self, ctx: Ctx<'_>, names: &[String]) -> R<Vec<ParameterMetadata>> {
        let filter = ParameterStringFilter::builder().key("Name");
        let filter = filter.option("Equals");
        let filter = filter.set_values(Some(names.to_vec())).build();
        let filter = filter.map_err(|e| ctx.fatal(format!("describing parameters: {e}")))?;
        let (ssm, filter) = (&self.ssm, &filter);
        pages(|token| async move {
            let request = ssm.client.describe_parameters().max_results(50);
            let request = request.parameter_filters(filter.clone());
            let request = request.set_next_token(token);
            let page = send!(ssm, ctx, request, "describing")?;
            let next = page.next_token().map(str::to_owned);
            Ok((page.parameters().to_vec(), next))
        })
        .await
    }
}

impl kit::Provider for ParameterProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = Coverage::native(
        Refresh::Batched,
        "GetParameters (10 names per call); DescribeParameters (50 names per call) for Description, AllowedPattern, Tier and Policies when managed; tags per parameter when managed",
        Find::Name,
        "GetParameters of the name, infra tags checked (ListTagsForResource)",
    );

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let spec = parse(&input.properties, ctx)?;
        let name = kit::create_name(ctx, spec.name.as_ref(), input, "Name")?;
        let tags = merge_tags(&spec.tags, &input.tags);
        let request = Self::put(&name, &spec, None);
        let sdk = kit::sdk_tags!(Tag, ctx, tags)?;
        let request = request.set_tags(Some(sdk));
        let sent = request.send_with(&self.ssm.client).await;
        if let Err(e) = sent {
            let err = self.ssm.err(e);
            let doing = format!("creating parameter {name}");
            if !has_code(&err, "ParameterAlreadyExists") {
                return Err(on_create(ctx.fail(doing, err)));
            }
            let found = tags_of(&self.ssm, ctx, &name).await?;
            if !owned_by(&found, &input.tags) {
                return Err(kit::not_ours(ctx, &doing, "a parameter", "Name"));
            }
            // An earlier attempt of this create made it: brought to the template's values.
            let request = Self::put(&name, &spec, Some(&Spec::default()));
            self.overwrite(ctx, request).await?;
            self.retag(ctx, &name, &found, &tags).await?;
        }
        let param = self.wait(ctx, &name).await?;
        Ok(output(&param, &input.properties))
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let before = parse(&input.before, ctx)?;
        let after = parse(&input.after, ctx)?;
        let name = &input.physical_id;
        if before.put != after.put {
            self.overwrite(ctx, Self::put(name, &after, Some(&before)))
                .await?;
        }
        let old = merge_tags(&before.tags, &input.tags);
        self.retag(ctx, name, &old, &merge_tags(&after.tags, &input.tags))
            .await?;
        let param = self.wait(ctx, name).await?;
        Ok(output(&param, &input.after))
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> Result<(), ProviderError> {
        let request = self.ssm.client.delete_parameter().name(&input.physical_id);
        let sent = request.send();
        unless_gone(&self.ssm, ctx, "deleting", sent).await
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        let Some(ctx) = kit::batch_ctx(TYPE, items) else {
            return Ok(BTreeMap::new());
        };
        let names: Vec<String> = items.iter().map(|i| i.physical_id.clone()).collect();
        let fetch = |batch: Vec<String>| async move { get(&self.ssm, ctx, &batch).await };
        let found = in_batches(&names, 10, fetch, Parameter::name).await?;
        let manages = |i: &ReadInput| METADATA.iter().any(|k| !i.properties[*k].is_null());
        let described: Vec<String> = items
            .iter()
            .filter(|i| found.contains_key(&i.physical_id) && manages(i))
            .map(|i| i.physical_id.clone())
            .collect();
        let describe = |batch: Vec<String>| async move { self.describe(ctx, &batch).await };
        let meta = in_batches(&described, 50, describe, ParameterMetadata::name).await?;
        kit::read_each(items, |item| {
            let (ssm, item) = (self.ssm.clone(), item.clone());
            let param = found.get(&item.physical_id).cloned();
            let meta = meta.get(&item.physical_id).cloned();
            async move {
                let seen = match param {
                    None => Observation::Gone,
                    Some(param) => observe(&ssm, &item, &param, meta.as_ref()).await?,
                };
                Ok((item.address, seen))
            }
        })
        .await
    }

    async fn find(&self, ctx: Ctx<'_>, input: &FindInput) -> Found {
        let name = name_to_find(input, "Name", ctx)?;
        let found = get(&self.ssm, ctx, std::slice::from_ref(&name)).await?;
        let Some(param) = found.first() else {
            return Ok(None);
        };
        let tags = tags_of(&self.ssm, ctx, &name).await?;
        Ok(owned_by(&tags, &input.tags).then(|| output(param, &input.properties)))
    }
}

/// One parameter as the template writes it (the managed properties only).
async fn observe(
    ssm: &Ssm,
    item: &ReadInput,
    param: &Parameter,
    meta: Option<&ParameterMetadata>,
) -> Result<Observation, ProviderError> {
    let ctx = Ctx::new(TYPE, &item.address);
    let last = &item.properties;
    let prev = |k: &str| last.get(k).filter(|v| !v.is_null());
    let kind = param.r#type().map(|t| t.as_str()).unwrap_or_default();
    let value = param.value().unwrap_or_default();
    fn items(list: &str) -> Vec<&str> {
        list.split(',').map(str::trim).collect()
    }
    let same_list = |w: &Value| scalar_text(w).is_some_and(|w| items(&w) == items(value));
    let written = prev("Value").filter(|w| kind == "StringList" && same_list(w));
    let value = written.cloned().unwrap_or_else(|| json!(value));
    let mut tags = None;
    if prev("Tags").is_some() {
        let found = tags_of(ssm, ctx, &item.physical_id).await?;
        tags = Some(observed_tag_map(&found, prev("Tags")));
    }
    let tier = meta.and_then(|m| m.tier()).map(|t| match prev("Tier") {
        Some(p) if p == "Intelligent-Tiering" => p.clone(),
        _ => json!(t.as_str()),
    });
    let found = json!({
        "Name": param.name(),
        "Type": kind,
        "Value": value,
        "DataType": param.data_type(),
        "Description": meta.and_then(|m| m.description()),
        "AllowedPattern": meta.and_then(|m| m.allowed_pattern()),
        "Tier": tier,
        "Policies": meta.map(|m| observed_policies(m.policies(), prev("Policies"))),
        "Tags": tags,
    });
    Ok(Observation::Present {
        properties: observed(found, last),
        attributes: output(param, last).attributes,
    })
}

/// The policies of a parameter as JSON text: `previous` itself when it holds the same list of
/// documents.
pub(crate) fn observed_policies(
    found: &[ParameterInlinePolicy],
    previous: Option<&Value>,
) -> Value {
    let docs: Vec<Value> = found
        .iter()
        .filter_map(ParameterInlinePolicy::policy_text)
        .map(|t| serde_json::from_str(t).unwrap_or_else(|_| Value::String(t.to_owned())))
        .collect();
    let written = previous.and_then(|p| match p {
        Value::String(text) => serde_json::from_str::<Value>(text).ok(),
        other => Some(other.clone()),
    });
    match previous {
        Some(prev) if written.as_ref() == Some(&Value::Array(docs.clone())) => prev.clone(),
        _ => Value::String(Value::Array(docs).to_string()),
    }
}
