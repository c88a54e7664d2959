//! Dynamic references at apply time: the values of the `{{resolve:...}}` references a plan's
//! creates and updates hold are fetched once before the first operation
//! ([`resolve_for_apply`]), and every provider is wrapped ([`Dereferencing`]) so that it gets
//! the values while the engine records the references.
//!
//! So the plan shows the reference, the state records it, the value reaches AWS only; a value
//! from `ssm-secure` or `secretsmanager` is also returned to the caller as a secret, for every
//! printer and the state writer to redact. Refresh reports a recorded reference as it is while
//! AWS still holds its value (a changed value is drift): before a refresh the values of plain
//! `ssm` references are fetched ([`resolve_for_refresh`]); secret ones never are before an
//! apply (a drifted value would be printed in the plan) and are reported as recorded.

use std::collections::BTreeMap;
use std::sync::Arc;

use infra_plan::{Action, Plan};
use infra_provider::{
    BoxFuture, Coverage, CreateInput, DeleteInput, FindInput, Observation, ProviderError,
    Providers, ReadInput, ResourceOutput, ResourceProvider, UpdateInput,
};
use infra_template::dynamic::{self, DynamicRef};
use serde_json::Value;

/// What [`resolve_for_apply`] fetched.
#[derive(Debug, Default, Clone)]
pub struct Resolved {
    /// Value by reference as written.
    pub values: BTreeMap<String, String>,
    /// The values of secret references (`ssm-secure`, `secretsmanager`), to redact.
    pub secrets: Vec<String>,
}

/// A dynamic reference that does not parse or cannot be fetched.
#[derive(Debug, thiserror::Error)]
pub enum DynamicError {
    /// A reference in the plan does not parse.
    #[error("`{address}`: {message}")]
    Parse {
        /// The resource.
        address: String,
        /// Why.
        message: String,
    },
    /// Fetching failed.
    #[error(transparent)]
    Fetch(#[from] Box<infra_aws::dynamic_refs::ResolveError>),
}

/// The dynamic references of the plan's creates, updates and replacements, each once.
pub fn references_of(plan: &Plan) -> Result<Vec<DynamicRef>, DynamicError> {
    let mut all: Vec<DynamicRef> = Vec::new();
    for change in &plan.changes {
        let writes =
            matches!(change.action, Action::Create | Action::Update) || change.action.is_replace();
        let Some(after) = change.after.as_ref().filter(|_| writes) else {
            continue;
        };
        let json = infra_plan::plan::json::known(after);
        let found = dynamic::references(&json).map_err(|message| DynamicError::Parse {
            address: change.address.clone(),
            message,
        })?;
        for reference in found {
            if !all.contains(&reference) {
                all.push(reference);
            }
        }
    }
    Ok(all)
}

/// The plain (`ssm`, not secret) dynamic references the state's records hold, each once.
pub fn plain_references_of(state: &infra_state::State) -> Vec<DynamicRef> {
    let mut all: Vec<DynamicRef> = Vec::new();
    for record in state.resources.values() {
        for reference in dynamic::references(&record.properties).unwrap_or_default() {
            if !reference.is_secret() && !all.contains(&reference) {
                all.push(reference);
            }
        }
    }
    all
}

/// For a refresh: the values of the state's plain `ssm` references, so that a value AWS no
/// longer holds shows as drift. Secret references are never fetched before an apply (a
/// drifted value would be printed in the plan), and a reference that cannot be fetched now is
/// left out (reported as recorded; the apply that needs it fails naming it).
pub async fn resolve_for_refresh(
    aws: &infra_aws::AwsSession,
    state: &infra_state::State,
) -> Resolved {
    let mut values = BTreeMap::new();
    for reference in plain_references_of(state) {
        if let Ok(found) =
            infra_aws::dynamic_refs::resolve(aws, std::slice::from_ref(&reference)).await
        {
            values.extend(found);
        }
    }
    Resolved {
        values,
        secrets: Vec::new(),
    }
}

/// Fetches the values of the plan's dynamic references (none: no call).
pub async fn resolve_for_apply(
    aws: &infra_aws::AwsSession,
    plan: &Plan,
) -> Result<Resolved, DynamicError> {
    let references = references_of(plan)?;
    if references.is_empty() {
        return Ok(Resolved::default());
    }
    let values = infra_aws::dynamic_refs::resolve(aws, &references)
        .await
        .map_err(Box::new)?;
    let secrets = references
        .iter()
        .filter(|r| r.is_secret())
        .filter_map(|r| values.get(&r.to_string()).cloned())
        .filter(|v| !v.is_empty())
        .collect();
    Ok(Resolved { values, secrets })
}

/// `providers`, each wrapped to get the values of `resolved` in place of the references.
pub fn dereferencing(providers: Providers, resolved: &Resolved) -> Providers {
    if resolved.values.is_empty() {
        return providers;
    }
    wrap(providers, resolved.values.clone())
}

fn wrap(providers: Providers, values: BTreeMap<String, String>) -> Providers {
    let values = Arc::new(values);
    providers.map(|inner| {
        Box::new(Dereferencing {
            inner,
            values: Arc::clone(&values),
        })
    })
}

/// A provider that sees the values of dynamic references; see the module documentation.
pub struct Dereferencing {
    inner: Box<dyn ResourceProvider>,
    values: Arc<BTreeMap<String, String>>,
}

impl std::fmt::Debug for Dereferencing {
    /// Names the type and the references, never their values.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Dereferencing")
            .field("type", &self.inner.type_name())
            .field("references", &self.values.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl Dereferencing {
    fn values_in(&self, properties: &Value) -> Result<Value, ProviderError> {
        dynamic::substitute(properties, &self.values).map_err(ProviderError::fatal)
    }
}

impl ResourceProvider for Dereferencing {
    fn type_name(&self) -> &'static str {
        self.inner.type_name()
    }

    fn coverage(&self) -> Coverage {
        self.inner.coverage()
    }

    fn create<'a>(
        &'a self,
        input: &'a CreateInput,
    ) -> BoxFuture<'a, Result<ResourceOutput, ProviderError>> {
        Box::pin(async move {
            let input = CreateInput {
                properties: self.values_in(&input.properties)?,
                ..input.clone()
            };
            self.inner.create(&input).await
        })
    }

    fn update<'a>(
        &'a self,
        input: &'a UpdateInput,
    ) -> BoxFuture<'a, Result<ResourceOutput, ProviderError>> {
        Box::pin(async move {
            let input = UpdateInput {
                before: self
                    .values_in(&input.before)
                    .unwrap_or_else(|_| input.before.clone()),
                after: self.values_in(&input.after)?,
                ..input.clone()
            };
            self.inner.update(&input).await
        })
    }

    fn delete<'a>(&'a self, input: &'a DeleteInput) -> BoxFuture<'a, Result<(), ProviderError>> {
        self.inner.delete(input)
    }

    fn read<'a>(
        &'a self,
        items: &'a [ReadInput],
    ) -> BoxFuture<'a, Result<BTreeMap<String, Observation>, ProviderError>> {
        Box::pin(async move {
            let mut seen = self.inner.read(items).await?;
            for item in items {
                if let Some(Observation::Present { properties, .. }) = seen.get_mut(&item.address) {
                    keep_references(properties, &item.properties, &self.values);
                }
            }
            Ok(seen)
        })
    }

    fn find<'a>(
        &'a self,
        input: &'a FindInput,
    ) -> BoxFuture<'a, Result<Option<ResourceOutput>, ProviderError>> {
        Box::pin(async move {
            let input = FindInput {
                properties: self
                    .values_in(&input.properties)
                    .unwrap_or_else(|_| input.properties.clone()),
                ..input.clone()
            };
            self.inner.find(&input).await
        })
    }
}

/// Where `recorded` holds a string with dynamic references, `observed` reports it as recorded
/// when AWS holds the references' values (or when they were not fetched).
pub fn keep_references(observed: &mut Value, recorded: &Value, values: &BTreeMap<String, String>) {
    match (observed, recorded) {
        (observed, Value::String(text)) if dynamic::has_reference(text) => {
            let same = match dynamic::substitute(recorded, values) {
                Ok(value) => value == *observed,
                // Not fetched: nothing to compare with.
                Err(_) => true,
            };
            if same {
                *observed = recorded.clone();
            }
        }
        (Value::Object(seen), Value::Object(was)) => {
            for (key, value) in was {
                if let Some(current) = seen.get_mut(key) {
                    keep_references(current, value, values);
                }
            }
        }
        (Value::Array(seen), Value::Array(was)) if seen.len() == was.len() => {
            for (current, value) in seen.iter_mut().zip(was) {
                keep_references(current, value, values);
            }
        }
        _ => {}
    }
}

/// Every provider of `providers`, wrapped so that a refresh without fetched values reports
/// recorded references as they are.
pub fn for_refresh(providers: Providers) -> Providers {
    wrap(providers, BTreeMap::new())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_recorded_reference_stays_while_aws_holds_its_value() {
        let values: BTreeMap<String, String> = [(
            "{{resolve:ssm:/db/host}}".to_owned(),
            "db.internal".to_owned(),
        )]
        .into();
        let recorded =
            json!({"Env": [{"Name": "HOST", "Value": "{{resolve:ssm:/db/host}}"}], "N": 1});
        let mut same = json!({"Env": [{"Name": "HOST", "Value": "db.internal"}], "N": 1});
        keep_references(&mut same, &recorded, &values);
        assert_eq!(same, recorded);
        let mut changed = json!({"Env": [{"Name": "HOST", "Value": "other"}], "N": 1});
        keep_references(&mut changed, &recorded, &values);
        assert_eq!(
            changed["Env"][0]["Value"], "other",
            "a changed value is drift"
        );
        let mut unfetched = json!({"Env": [{"Name": "HOST", "Value": "whatever"}], "N": 1});
        keep_references(&mut unfetched, &recorded, &BTreeMap::new());
        assert_eq!(unfetched, recorded, "without values, the record stands");
    }
}
