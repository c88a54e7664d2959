//! `AWS::EC2::KeyPair`, an [`Object`]:
//!
//! - create: with `PublicKeyMaterial`, `ImportKeyPair`; without, `CreateKeyPair`, whose private
//!   key infra stores, as CloudFormation does, in the Systems Manager parameter
//!   `/ec2/keypair/<key pair id>` (`SecureString`); it is never in the state nor the plan. Both
//!   with their tags. A name already taken by a key pair that carries this resource's infra
//!   tags (a create retried after the call) is adopted.
//! - update: every property is create-only (tags included); the plan replaces it.
//! - read: `DescribeKeyPairs` filtered by `key-name` (200 per filter; the API has no pages).
//! - delete: `DeleteKeyPair`, then `DeleteParameter` of its private key (a missing parameter is
//!   success).
//! - find: by its infra tags. A create interrupted between `CreateKeyPair` and `PutParameter`
//!   leaves a key pair whose private key is lost (AWS shows it once): it is adopted as it is;
//!   rename the key pair to get a new one.
//!
//! `Ref` is the key name; `Fn::GetAtt` gives `KeyPairId` and `KeyFingerprint`. `KeyFormat`
//! and `PublicKeyMaterial` are not reported by the API and are kept as last applied. Every
//! documented property is supported.

use std::collections::BTreeMap;

use crate::providers::kit::prelude::*;
use aws_sdk_ec2::primitives::Blob;
use aws_sdk_ec2::types::{Filter, KeyPairInfo, Tag, TagSpecification};
use aws_sdk_ssm::types::ParameterType;

use super::api::{Ec2, call, deleted, has_code};
use super::object::{New, Object, object_header, reported, seen};
use crate::generated::ec2::{create_key_pair, report_key_pair_info};
use crate::providers::kit::{INFRA_TAG_PREFIX, tag_pairs};

pub(crate) const TYPE: &str = "AWS::EC2::KeyPair";

pub(crate) const SPEC: Keys = crate::generated::ec2::KEY_PAIR;

/// The Systems Manager client.
pub(crate) type Ssm = Service<aws_sdk_ssm::Client>;

/// The key pair type.
#[derive(Debug)]
pub(crate) struct KeyPairType {
    pub(crate) ssm: Ssm,
}

/// The error code of a name already taken.
const DUPLICATE: &str = "InvalidKeyPair.Duplicate";

/// Where the private key of the key pair `id` is kept, as CloudFormation keeps it.
pub(crate) fn parameter_name(id: &str) -> String {
    format!("/ec2/keypair/{id}")
}

impl KeyPairType {
    /// `CreateKeyPair`, then its private key kept in Systems Manager; `false` when the name
    /// is taken.
    async fn make(
        &self,
        ec2: &Ec2,
        props: &Props<'_>,
        tags: &Option<Vec<TagSpecification>>,
        doing: &str,
    ) -> Result<bool, ProviderError> {
        let request = create_key_pair(props, ec2.client.create_key_pair())?;
        let sent = request.set_tag_specifications(tags.clone()).send().await;
        let created = match sent {
            Err(e) if has_code(&e, DUPLICATE) => return Ok(false),
            other => other.map_err(|e| ec2.error(doing, e))?,
        };
        let (Some(id), Some(material)) = (created.key_pair_id(), created.key_material()) else {
            return Err(ProviderError::fatal(format!(
                "{doing}: CreateKeyPair returned no key pair id or key material"
            )));
        };
        let request = (self.ssm.client.put_parameter().name(parameter_name(id)))
            .value(material)
            .r#type(ParameterType::SecureString)
            .description(format!("The private key of the EC2 key pair {id}"));
        call!(self.ssm, request, doing)?;
        Ok(true)
    }

    /// `ImportKeyPair` of the template's public key; `false` when the name is taken.
    async fn import(
        ec2: &Ec2,
        props: &Props<'_>,
        material: String,
        tags: &Option<Vec<TagSpecification>>,
        doing: &str,
    ) -> Result<bool, ProviderError> {
        let sent = ec2
            .client
            .import_key_pair()
            .key_name(props.required_str("KeyName")?)
            .public_key_material(Blob::new(material))
            .set_tag_specifications(tags.clone())
            .send()
            .await;
        match sent {
            Ok(_) => Ok(true),
            Err(e) if has_code(&e, DUPLICATE) => Ok(false),
            Err(e) => Err(ec2.error(doing, e)),
        }
    }
}

impl Object for KeyPairType {
    object_header!(
        KeyPairInfo,
        KeyPair,
        "key pair",
        "DescribeKeyPairs",
        "filtered by name (200 per filter)"
    );
    const WRITE_ONLY: &'static [&'static str] = &["KeyFormat", "PublicKeyMaterial"];
    const ID_FILTER: Option<&'static str> = Some("key-name");

    async fn create(&self, ec2: &Ec2, new: New<'_>) -> Result<String, ProviderError> {
        let (props, doing) = (new.props, new.doing);
        let name = props.required_str("KeyName")?;
        let made = match props.str("PublicKeyMaterial")? {
            Some(material) => Self::import(ec2, props, material, &new.tags, doing).await?,
            None => self.make(ec2, props, &new.tags, doing).await?,
        };
        if made {
            return Ok(name);
        }
        // The name is taken: by this resource's key pair (a retried create), which is adopted,
        // or by another one, which is an error.
        let tag_map = |tags: &[Tag]| tag_pairs(tags, |t| (t.key(), t.value()));
        let given = new.tags.iter().flatten().flat_map(TagSpecification::tags);
        let mut infra = tag_map(&given.cloned().collect::<Vec<_>>());
        infra.retain(|k, _| k.starts_with(INFRA_TAG_PREFIX));
        let found = seen(self, ec2, &name, doing).await?;
        if found.is_some_and(|k| owned_by(&tag_map(k.tags()), &infra)) {
            return Ok(name);
        }
        Err(ProviderError::fatal(format!(
            "{doing}: a key pair named {name} already exists ({DUPLICATE}) and is not this \
             resource's"
        )))
    }

    /// `DescribeKeyPairs` has no pages, and its list of names fails as a whole when one is
    /// missing: `ID_FILTER` selects by name.
    async fn describe(
        &self,
        ec2: &Ec2,
        names: Option<Vec<String>>,
        filters: Option<Vec<Filter>>,
        doing: &str,
    ) -> Result<Vec<KeyPairInfo>, ProviderError> {
        let request = ec2.client.describe_key_pairs().set_key_names(names);
        let found = call!(ec2, request.set_filters(filters), doing)?;
        Ok(found.key_pairs.unwrap_or_default())
    }

    /// `DeleteKeyPair` by name (the type's primary identifier), then the private key's
    /// parameter, named by the key pair's id.
    async fn delete(&self, ec2: &Ec2, name: &str, doing: &str) -> Result<(), ProviderError> {
        let found = seen(self, ec2, name, doing).await?;
        let Some(id) = found.as_ref().and_then(KeyPairInfo::key_pair_id) else {
            return Ok(());
        };
        let request = ec2.client.delete_key_pair().key_name(name);
        call!(ec2, request, doing)?;
        // `ParameterNotFound`: already gone.
        let request = self.ssm.client.delete_parameter().name(parameter_name(id));
        deleted(call!(self.ssm, request, doing)).map(drop)
    }

    fn observe(key: &KeyPairInfo, last: &Value) -> Map<String, Value> {
        reported(report_key_pair_info(key), last)
    }

    fn attributes(key: &KeyPairInfo) -> BTreeMap<String, Value> {
        let mut map = BTreeMap::new();
        map.insert("KeyPairId".to_owned(), json!(key.key_pair_id()));
        map.insert("KeyFingerprint".to_owned(), json!(key.key_fingerprint()));
        map
    }
}
