//! Editing a stack's template so that deleting the stack deletes nothing: every resource gets
//! `DeletionPolicy: Retain`, except nested stacks (`AWS::CloudFormation::Stack`), which are
//! deleted with their parent (a `Retain` on one becomes `Delete`) while their own resources,
//! retained in their own templates, stay.
//! Nothing else changes: CloudFormation does not touch a resource when only its
//! `DeletionPolicy` changes, so the stack update that carries this template is safe.

use std::collections::BTreeMap;

use serde_json::Value;

use super::NESTED_STACK_TYPE;

/// What is wrong with a template that cannot be edited.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RetainError {
    /// The template is not a mapping with a `Resources` mapping.
    #[error("the template has no `Resources` mapping")]
    NoResources,
    /// A resource is not a mapping with a `Type`.
    #[error("resource `{0}` is not a mapping with a `Type`")]
    BadResource(String),
    /// A nested stack resource whose edited template has no location.
    #[error("nested stack `{0}` has no uploaded template to point at")]
    NoNestedLocation(String),
}

/// Sets `DeletionPolicy: Retain` on every resource of `template` but its nested stacks, and
/// points each nested stack named in `nested_urls` (logical id → URL of its edited template)
/// at its new template. Returns whether anything changed.
pub fn retain_all(
    template: &mut Value,
    nested_urls: &BTreeMap<String, String>,
) -> Result<bool, RetainError> {
    let resources = template
        .get_mut("Resources")
        .and_then(Value::as_object_mut)
        .ok_or(RetainError::NoResources)?;
    let mut changed = false;
    for (logical, resource) in resources.iter_mut() {
        let resource = resource
            .as_object_mut()
            .filter(|r| r.get("Type").is_some_and(Value::is_string))
            .ok_or_else(|| RetainError::BadResource(logical.clone()))?;
        if resource.get("Type").and_then(Value::as_str) == Some(NESTED_STACK_TYPE) {
            if let Some(url) = nested_urls.get(logical) {
                let properties = resource
                    .entry("Properties")
                    .or_insert_with(|| Value::Object(Default::default()))
                    .as_object_mut()
                    .ok_or_else(|| RetainError::BadResource(logical.clone()))?;
                if properties.get("TemplateURL").and_then(Value::as_str) != Some(url) {
                    properties.insert("TemplateURL".into(), Value::String(url.clone()));
                    changed = true;
                }
            }
            // A retained nested stack would outlive its parent and still own its resources:
            // it must go with the parent (what is in it stays by its own template's policies).
            if resource
                .get("DeletionPolicy")
                .is_some_and(|p| p.as_str() != Some("Delete"))
            {
                resource.insert("DeletionPolicy".into(), Value::String("Delete".into()));
                changed = true;
            }
            continue;
        }
        if resource.get("DeletionPolicy").and_then(Value::as_str) != Some("Retain") {
            resource.insert("DeletionPolicy".into(), Value::String("Retain".into()));
            changed = true;
        }
    }
    for logical in nested_urls.keys() {
        if !resources.contains_key(logical) {
            return Err(RetainError::NoNestedLocation(logical.clone()));
        }
    }
    // A template already processed (the form GetTemplate returns for the deployed stack) must
    // not be transformed again.
    if let Some(object) = template.as_object_mut()
        && object.remove("Transform").is_some()
    {
        changed = true;
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn every_resource_but_nested_stacks_is_retained_and_nested_stacks_point_at_their_copy() {
        let mut template = json!({
            "Parameters": {"Cidr": {"Type": "String"}},
            "Resources": {
                "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": {"Ref": "Cidr"}}},
                "Db": {"Type": "AWS::RDS::DBInstance", "DeletionPolicy": "Snapshot"},
                "Net": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": "https://old"}},
            },
        });
        let urls = BTreeMap::from([("Net".to_owned(), "https://new".to_owned())]);
        assert_eq!(retain_all(&mut template, &urls), Ok(true));
        assert_eq!(
            template,
            json!({
                "Parameters": {"Cidr": {"Type": "String"}},
                "Resources": {
                    "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": {"Ref": "Cidr"}}, "DeletionPolicy": "Retain"},
                    "Db": {"Type": "AWS::RDS::DBInstance", "DeletionPolicy": "Retain"},
                    "Net": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": "https://new"}},
                },
            })
        );
        // Again: nothing left to change, so a re-run makes no stack update.
        assert_eq!(retain_all(&mut template, &urls), Ok(false));
    }

    #[test]
    fn a_retained_nested_stack_goes_with_its_parent() {
        let mut template = json!({"Resources": {
            "Net": {"Type": "AWS::CloudFormation::Stack", "DeletionPolicy": "Retain", "Properties": {"TemplateURL": "https://old"}},
        }});
        assert_eq!(retain_all(&mut template, &BTreeMap::new()), Ok(true));
        assert_eq!(template["Resources"]["Net"]["DeletionPolicy"], "Delete");
    }

    #[test]
    fn a_nested_stack_without_a_new_template_keeps_its_url() {
        let mut template = json!({"Resources": {
            "Net": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": "https://old"}},
        }});
        assert_eq!(retain_all(&mut template, &BTreeMap::new()), Ok(false));
        assert_eq!(
            template["Resources"]["Net"]["Properties"]["TemplateURL"],
            "https://old"
        );
    }

    #[test]
    fn a_processed_template_loses_its_transform() {
        let mut template = json!({
            "Transform": "AWS::Serverless-2016-10-31",
            "Resources": {"Fn": {"Type": "AWS::Lambda::Function", "DeletionPolicy": "Retain"}},
        });
        assert_eq!(retain_all(&mut template, &BTreeMap::new()), Ok(true));
        assert!(template.get("Transform").is_none());
    }

    #[test]
    fn malformed_templates_are_named() {
        assert_eq!(
            retain_all(&mut json!({"Outputs": {}}), &BTreeMap::new()),
            Err(RetainError::NoResources)
        );
        assert_eq!(
            retain_all(&mut json!({"Resources": {"X": 3}}), &BTreeMap::new()),
            Err(RetainError::BadResource("X".into()))
        );
        let urls = BTreeMap::from([("Gone".to_owned(), "https://new".to_owned())]);
        assert_eq!(
            retain_all(&mut json!({"Resources": {}}), &urls),
            Err(RetainError::NoNestedLocation("Gone".into()))
        );
    }
}
