//! The calls of the native providers' emulator tests, as the engine makes them: the providers
//! wired to the shared emulator, one resource made through its provider (`Made`), and create,
//! update, delete, read and find with the inputs the engine would send. It owns what every such
//! test shares; what differs from one family to the next is a rule given to `Harness`: the
//! stack, which types get a generated name and its form, which resources carry infra's tags,
//! the name `find` is given, the checkpoint keys' lineage, and whether the generated name is
//! recorded in the properties. The service clients, the checks through the service's own API
//! and the scenarios stay in each test file, whose `Env` derefs to its `Harness`.
//!
//! Include it beside `support` with `#[path = "support/provider_harness.rs"] mod
//! provider_harness;` (`crate::support` gives the emulator).

#![allow(dead_code)]

use std::collections::BTreeMap;

use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use infra_aws::provider::{
    CreateInput, DeleteInput, FindInput, Observation, ProviderError, Providers, ReadInput,
    ResourceOutput, ResourceProvider, UpdateInput,
};
use infra_aws::{AwsSettings, load_config};
use infra_provider::checkpoint::Checkpoint;
use serde_json::{Value, json};

use crate::support::{self, Emulator};

/// The SDK configuration of the shared emulator, loaded as the CLI loads it (`load_config`,
/// with its timeouts and retries), with test credentials.
pub async fn emulator_config() -> aws_config::SdkConfig {
    let settings = AwsSettings {
        region: Some(support::REGION.into()),
        profile: None,
        endpoint_url: Some(Emulator::shared().endpoint.clone()),
    };
    load_config(&settings)
        .await
        .unwrap_or_else(|e| panic!("load_config: {e}"))
        .into_builder()
        .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
            "testing", "testing", None, None, "emulator",
        )))
        .build()
}

/// `Deref` of a test file's `Env` (its `harness` field and its own service clients) to its
/// `Harness`, so the scenarios call `env.create(…)` and `env.s3` alike.
macro_rules! env_derefs_to_harness {
    ($env:ident) => {
        impl std::ops::Deref for $env {
            type Target = $crate::provider_harness::Harness;
            fn deref(&self) -> &Self::Target {
                &self.harness
            }
        }
    };
}
pub(crate) use env_derefs_to_harness;

/// The name the engine generates for `address` of `stack` (before a family's own form).
pub fn generated(stack: &str, address: &str) -> String {
    format!("{stack}-{}", address.replace('.', "-"))
}

/// One resource made through its provider, with the create's checkpoint (what `find` gets back).
#[derive(Debug, Clone)]
pub struct Made {
    pub address: String,
    pub type_name: &'static str,
    pub properties: Value,
    pub out: ResourceOutput,
    pub checkpoint: Checkpoint,
}

impl Made {
    pub fn id(&self) -> &str {
        &self.out.physical_id
    }
}

/// Every provider of `providers::all` against the emulator, and the rules of one test family.
pub struct Harness {
    pub providers: Providers,
    /// The stack of infra's tags (`infra:stack`).
    pub stack: String,
    /// The first part of the checkpoint keys (`lineage/address/n`); the stack unless told.
    lineage: String,
    /// The generated name of a create: `(stack, address, type_name)`; none unless told.
    naming: fn(&str, &str, &str) -> Option<String>,
    /// Whether a resource carries infra's tags: `(address, type_name)`; all unless told.
    tagged: fn(&str, &str) -> bool,
    /// The name `find` is given for what `made` was created as; none unless told.
    found_by: fn(&Made) -> Option<String>,
    /// The property the engine records the generated name in, when it has none of its own.
    name_property: Option<&'static str>,
}

impl Harness {
    pub fn new(config: &aws_config::SdkConfig, stack: &str) -> Harness {
        Harness {
            providers: infra_aws::providers::all(config),
            stack: stack.to_owned(),
            lineage: stack.to_owned(),
            naming: |_, _, _| None,
            tagged: |_, _| true,
            found_by: |_| None,
            name_property: None,
        }
    }

    pub fn naming(self, naming: fn(&str, &str, &str) -> Option<String>) -> Harness {
        Harness { naming, ..self }
    }

    pub fn tagged(self, tagged: fn(&str, &str) -> bool) -> Harness {
        Harness { tagged, ..self }
    }

    pub fn found_by(self, found_by: fn(&Made) -> Option<String>) -> Harness {
        Harness { found_by, ..self }
    }

    pub fn lineage(self, lineage: &str) -> Harness {
        let lineage = lineage.to_owned();
        Harness { lineage, ..self }
    }

    /// The engine records the generated name as `property` (when the template sets none), and
    /// keeps it through updates.
    pub fn recording_name_as(self, property: &'static str) -> Harness {
        let name_property = Some(property);
        Harness {
            name_property,
            ..self
        }
    }

    pub fn provider(&self, type_name: &str) -> &dyn ResourceProvider {
        self.providers
            .get(type_name)
            .unwrap_or_else(|| panic!("no provider for {type_name}"))
    }

    /// infra's tags of `address`, for a resource that carries them.
    pub fn tags(&self, address: &str, type_name: &str) -> BTreeMap<String, String> {
        if !(self.tagged)(address, type_name) {
            return BTreeMap::new();
        }
        BTreeMap::from([
            ("infra:stack".to_owned(), self.stack.clone()),
            ("infra:address".to_owned(), address.to_owned()),
        ])
    }

    pub fn generated_name(&self, address: &str, type_name: &str) -> Option<String> {
        (self.naming)(&self.stack, address, type_name)
    }

    /// The checkpoint of `address` under the key `key` (`1` is the create's).
    pub fn checkpoint(&self, address: &str, key: &str) -> Checkpoint {
        Checkpoint::detached(format!("{}/{address}/{key}", self.lineage), None)
    }

    pub fn create_input(&self, address: &str, type_name: &str, properties: &Value) -> CreateInput {
        CreateInput {
            address: address.to_owned(),
            type_name: type_name.to_owned(),
            properties: properties.clone(),
            tags: self.tags(address, type_name),
            generated_name: self.generated_name(address, type_name),
            checkpoint: self.checkpoint(address, "1"),
        }
    }

    /// The create of `input` (of `type_name`), as made.
    pub async fn try_create_input(
        &self,
        type_name: &'static str,
        input: CreateInput,
    ) -> Result<Made, ProviderError> {
        let out = self.provider(type_name).create(&input).await?;
        let properties = match self.name_property {
            // As the engine records it: with the generated name.
            Some(key) => with(key, input.properties, input.generated_name.as_deref()),
            None => input.properties,
        };
        Ok(Made {
            address: input.address,
            type_name,
            properties,
            out,
            checkpoint: input.checkpoint,
        })
    }

    pub async fn try_create(
        &self,
        address: &str,
        type_name: &'static str,
        properties: Value,
    ) -> Result<Made, ProviderError> {
        let input = self.create_input(address, type_name, &properties);
        self.try_create_input(type_name, input).await
    }

    pub async fn create(&self, address: &str, type_name: &'static str, properties: Value) -> Made {
        self.try_create(address, type_name, properties)
            .await
            .unwrap_or_else(|e| panic!("creating {address}: {e} ({:?})", e.class))
    }

    /// A create with the checkpoint `checkpoint` (another attempt's, or a fresh one).
    pub async fn try_create_at(
        &self,
        address: &str,
        type_name: &'static str,
        properties: Value,
        checkpoint: &Checkpoint,
    ) -> Result<Made, ProviderError> {
        let mut input = self.create_input(address, type_name, &properties);
        input.checkpoint = checkpoint.clone();
        self.try_create_input(type_name, input).await
    }

    /// A create with the generated name `name`.
    pub async fn try_create_named(
        &self,
        address: &str,
        type_name: &'static str,
        properties: Value,
        name: Option<&str>,
    ) -> Result<Made, ProviderError> {
        let mut input = self.create_input(address, type_name, &properties);
        input.generated_name = name.map(str::to_owned);
        self.try_create_input(type_name, input).await
    }

    pub async fn create_named(
        &self,
        address: &str,
        type_name: &'static str,
        properties: Value,
        name: Option<&str>,
    ) -> Made {
        self.try_create_named(address, type_name, properties, name)
            .await
            .unwrap_or_else(|e| panic!("creating {address}: {e} ({:?})", e.class))
    }

    /// The update of `made` from `before` (what the state holds) to `after`.
    pub async fn try_update_from(
        &self,
        made: &Made,
        before: Value,
        after: Value,
    ) -> Result<Made, ProviderError> {
        let after = match self.name_property {
            // As the engine does: a generated name is kept.
            Some(key) => {
                let name = made.properties.get(key).and_then(Value::as_str);
                with(key, after, name)
            }
            None => after,
        };
        let input = UpdateInput {
            address: made.address.clone(),
            type_name: made.type_name.to_owned(),
            physical_id: made.id().to_owned(),
            before,
            after: after.clone(),
            attributes: made.out.attributes.clone(),
            tags: self.tags(&made.address, made.type_name),
        };
        let out = self.provider(made.type_name).update(&input).await?;
        Ok(Made {
            properties: after,
            out,
            ..made.clone()
        })
    }

    pub async fn try_update(&self, made: &Made, after: Value) -> Result<Made, ProviderError> {
        self.try_update_from(made, made.properties.clone(), after)
            .await
    }

    pub async fn update_from(&self, made: &Made, before: Value, after: Value) -> Made {
        self.try_update_from(made, before, after)
            .await
            .unwrap_or_else(|e| panic!("updating {}: {e}", made.address))
    }

    pub async fn update(&self, made: &Made, after: Value) -> Made {
        self.update_from(made, made.properties.clone(), after).await
    }

    pub async fn try_delete(&self, made: &Made) -> Result<(), ProviderError> {
        let input = DeleteInput {
            address: made.address.clone(),
            type_name: made.type_name.to_owned(),
            physical_id: made.id().to_owned(),
            properties: made.properties.clone(),
            attributes: made.out.attributes.clone(),
        };
        self.provider(made.type_name).delete(&input).await
    }

    pub async fn delete(&self, made: &Made) {
        self.try_delete(made)
            .await
            .unwrap_or_else(|e| panic!("deleting {}: {e}", made.address));
    }

    /// One read of all of `made` (of the first one's type).
    pub async fn read_all(&self, made: &[&Made]) -> BTreeMap<String, Observation> {
        let items: Vec<ReadInput> = made
            .iter()
            .map(|m| ReadInput {
                address: m.address.clone(),
                type_name: m.type_name.to_owned(),
                physical_id: m.id().to_owned(),
                properties: m.properties.clone(),
                attributes: m.out.attributes.clone(),
            })
            .collect();
        self.provider(made[0].type_name)
            .read(&items)
            .await
            .unwrap_or_else(|e| panic!("reading: {e}"))
    }

    pub async fn read(&self, made: &Made) -> Option<Observation> {
        self.read_all(&[made]).await.remove(&made.address)
    }

    /// Reads `made`: present with exactly its last applied properties and its attributes.
    pub async fn assert_present(&self, made: &Made) {
        self.assert_present_with(made, &made.out.attributes).await;
    }

    /// Reads `made`: present with exactly its last applied properties and the attributes read
    /// reports (`attributes`).
    pub async fn assert_present_with(&self, made: &Made, attributes: &BTreeMap<String, Value>) {
        match self.read(made).await {
            Some(Observation::Present {
                properties,
                attributes: seen,
            }) => {
                assert_eq!(properties, made.properties, "{} as read", made.address);
                assert_eq!(&seen, attributes, "{} attributes", made.address);
            }
            other => panic!("{} reads as {other:?}", made.address),
        }
    }

    pub async fn assert_gone(&self, made: &Made) {
        let seen = self.read(made).await;
        assert_eq!(seen, Some(Observation::Gone), "{}", made.address);
    }

    /// What `find` is asked for `made` as its create was asked (its tags, the name of the
    /// family's rule, the create's checkpoint).
    pub fn find_input(&self, made: &Made) -> FindInput {
        FindInput {
            address: made.address.clone(),
            type_name: made.type_name.to_owned(),
            properties: made.properties.clone(),
            tags: self.tags(&made.address, made.type_name),
            name: (self.found_by)(made),
            replacing: None,
            checkpoint: made.checkpoint.clone(),
        }
    }

    pub async fn find_with(&self, input: &FindInput) -> Option<ResourceOutput> {
        self.provider(&input.type_name)
            .find(input)
            .await
            .unwrap_or_else(|e| panic!("finding {}: {e}", input.address))
    }

    /// `find` of what `made`'s create was asked.
    pub async fn find(&self, made: &Made) -> Option<ResourceOutput> {
        self.find_with(&self.find_input(made)).await
    }

    /// `find` of what `made`'s create was asked: the physical id.
    pub async fn find_id(&self, made: &Made) -> Option<String> {
        self.find(made).await.map(|o| o.physical_id)
    }

    /// `find` of what `made`'s create was asked, by the checkpoint key `key`.
    pub async fn find_keyed(&self, made: &Made, key: &str) -> Option<ResourceOutput> {
        let mut input = self.find_input(made);
        input.checkpoint = self.checkpoint(&made.address, key);
        self.find_with(&input).await
    }

    /// `find` of what `made`'s create was asked, for `address` (its tags) by the key `key`.
    pub async fn find_at(&self, made: &Made, address: &str, key: &str) -> Option<ResourceOutput> {
        let mut input = self.find_input(made);
        input.address = address.to_owned();
        input.tags = self.tags(address, made.type_name);
        input.checkpoint = self.checkpoint(address, key);
        self.find_with(&input).await
    }

    /// `find` of what `made`'s create was asked, as the stack `stack` would ask it (its tags,
    /// its checkpoint key).
    pub async fn find_as(&self, made: &Made, stack: &str) -> Option<ResourceOutput> {
        let mut input = self.find_input(made);
        if !input.tags.is_empty() {
            input
                .tags
                .insert("infra:stack".to_owned(), stack.to_owned());
        }
        input.checkpoint = Checkpoint::detached(format!("{stack}/{}/1", made.address), None);
        self.find_with(&input).await
    }
}

/// `properties` with `key` set to `name` when they have none.
fn with(key: &str, mut properties: Value, name: Option<&str>) -> Value {
    if let (Some(map), Some(name)) = (properties.as_object_mut(), name) {
        map.entry(key).or_insert_with(|| json!(name));
    }
    properties
}
