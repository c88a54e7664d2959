//! The scaling providers wired to the emulator (every provider of `providers::all`, so the
//! scaling family is the one the CLI runs), the service clients to check with, and the calls
//! as the engine makes them (a checkpoint key per address, so the names the providers make up
//! are the same for `create` and `find`).

use std::collections::BTreeMap;

use crate::support::{self, Emulator};
use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use infra_aws::provider::{
    CreateInput, DeleteInput, FindInput, Observation, ProviderError, Providers, ReadInput,
    ResourceOutput, ResourceProvider, UpdateInput,
};
use infra_aws::{AwsSettings, load_config};
use infra_provider::Checkpoint;
use serde_json::Value;

pub(crate) struct Env {
    pub(crate) providers: Providers,
    pub(crate) autoscaling: aws_sdk_autoscaling::Client,
    pub(crate) app: aws_sdk_applicationautoscaling::Client,
    pub(crate) ecs: aws_sdk_ecs::Client,
}

impl Env {
    pub(crate) async fn new() -> Env {
        let settings = AwsSettings {
            region: Some(support::REGION.into()),
            profile: None,
            endpoint_url: Some(Emulator::shared().endpoint.clone()),
        };
        let config = load_config(&settings)
            .await
            .unwrap_or_else(|e| panic!("load_config: {e}"))
            .into_builder()
            .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
                "testing", "testing", None, None, "emulator",
            )))
            .build();
        Env {
            providers: infra_aws::providers::all(&config),
            autoscaling: aws_sdk_autoscaling::Client::new(&config),
            app: aws_sdk_applicationautoscaling::Client::new(&config),
            ecs: aws_sdk_ecs::Client::new(&config),
        }
    }

    pub(crate) fn provider(&self, type_name: &str) -> &dyn ResourceProvider {
        self.providers
            .get(type_name)
            .unwrap_or_else(|| panic!("no native provider for {type_name}"))
    }

    fn checkpoint(address: &str) -> Checkpoint {
        Checkpoint::detached(format!("intent-of-{address}"), None)
    }

    fn tags(address: &str) -> BTreeMap<String, String> {
        BTreeMap::from([
            ("infra:stack".to_owned(), "scaling".to_owned()),
            ("infra:address".to_owned(), address.to_owned()),
        ])
    }

    fn generated(address: &str) -> String {
        format!("scaling-{}-GEN", address.replace('.', "-"))
    }

    pub(crate) async fn try_create(
        &self,
        type_name: &str,
        address: &str,
        properties: &Value,
    ) -> Result<ResourceOutput, ProviderError> {
        self.provider(type_name)
            .create(&CreateInput {
                address: address.to_owned(),
                type_name: type_name.to_owned(),
                properties: properties.clone(),
                tags: Self::tags(address),
                generated_name: Some(Self::generated(address)),
                checkpoint: Self::checkpoint(address),
            })
            .await
    }

    /// `find` as after an interrupted create of `address`; `replacing` is the object a
    /// replacement replaces.
    pub(crate) async fn find(
        &self,
        type_name: &str,
        address: &str,
        properties: &Value,
        replacing: Option<&str>,
    ) -> Option<ResourceOutput> {
        self.provider(type_name)
            .find(&FindInput {
                address: address.to_owned(),
                type_name: type_name.to_owned(),
                properties: properties.clone(),
                tags: Self::tags(address),
                name: Some(Self::generated(address)),
                replacing: replacing.map(str::to_owned),
                checkpoint: Self::checkpoint(address),
            })
            .await
            .unwrap_or_else(|e| panic!("find {address}: {e} ({:?})", e.class))
    }

    /// Creates, checking `find` around it: nothing before; after it, what the create returned,
    /// except when that is the object a replacement replaces.
    pub(crate) async fn create(
        &self,
        type_name: &str,
        address: &str,
        properties: &Value,
    ) -> ResourceOutput {
        assert_eq!(
            self.find(type_name, address, properties, None).await,
            None,
            "{address}: before"
        );
        let out = self
            .try_create(type_name, address, properties)
            .await
            .unwrap_or_else(|e| panic!("create {address}: {e} ({:?})", e.class));
        let found = self.find(type_name, address, properties, None).await;
        assert_eq!(found.as_ref(), Some(&out), "{address}: find after create");
        let replacing = self
            .find(type_name, address, properties, Some(&out.physical_id))
            .await;
        assert_eq!(
            replacing, None,
            "{address}: the replaced object is never found"
        );
        out
    }

    /// What a refresh of `(address, output, properties)` reports, by address.
    pub(crate) async fn read(
        &self,
        type_name: &str,
        items: &[(&str, &ResourceOutput, &Value)],
    ) -> BTreeMap<String, Observation> {
        let inputs: Vec<ReadInput> = items
            .iter()
            .map(|(address, out, properties)| ReadInput {
                address: (*address).to_owned(),
                type_name: type_name.to_owned(),
                physical_id: out.physical_id.clone(),
                properties: (*properties).clone(),
                attributes: out.attributes.clone(),
            })
            .collect();
        self.provider(type_name)
            .read(&inputs)
            .await
            .unwrap_or_else(|e| panic!("read {type_name}: {e}"))
    }

    /// The properties a refresh of one resource reports (it must be present).
    pub(crate) async fn read_one(
        &self,
        type_name: &str,
        address: &str,
        out: &ResourceOutput,
        properties: &Value,
    ) -> Value {
        match self
            .read(type_name, &[(address, out, properties)])
            .await
            .remove(address)
        {
            Some(Observation::Present { properties, .. }) => properties,
            other => panic!("{address}: expected present, read {other:?}"),
        }
    }

    pub(crate) async fn update(
        &self,
        type_name: &str,
        address: &str,
        out: &ResourceOutput,
        before: &Value,
        after: &Value,
    ) -> ResourceOutput {
        self.provider(type_name)
            .update(&UpdateInput {
                address: address.to_owned(),
                type_name: type_name.to_owned(),
                physical_id: out.physical_id.clone(),
                before: before.clone(),
                after: after.clone(),
                attributes: out.attributes.clone(),
                tags: Self::tags(address),
            })
            .await
            .unwrap_or_else(|e| panic!("update {address}: {e} ({:?})", e.class))
    }

    /// Deletes twice (the second finds it gone: success), then checks a refresh reads it gone.
    pub(crate) async fn delete(
        &self,
        type_name: &str,
        address: &str,
        out: &ResourceOutput,
        properties: &Value,
    ) {
        let input = DeleteInput {
            address: address.to_owned(),
            type_name: type_name.to_owned(),
            physical_id: out.physical_id.clone(),
            properties: properties.clone(),
            attributes: out.attributes.clone(),
        };
        for attempt in ["delete", "delete again"] {
            self.provider(type_name)
                .delete(&input)
                .await
                .unwrap_or_else(|e| panic!("{attempt} {address}: {e} ({:?})", e.class));
        }
        let seen = self.read(type_name, &[(address, out, properties)]).await;
        assert_eq!(seen.get(address), Some(&Observation::Gone), "{address}");
    }
}
