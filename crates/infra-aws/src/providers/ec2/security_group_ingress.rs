//! `AWS::EC2::SecurityGroupIngress`: an inbound rule of a security group (`GroupId`, or `GroupName` in a
//! default VPC). See [`super::standalone_rule`] for what each
//! operation does. `Ref` is the rule id (`sgr-...`). Every documented property is supported.

use std::collections::BTreeMap;

use super::standalone_rule::StandaloneRule;
use crate::provider::{
    CreateInput, DeleteInput, FindInput, Observation, ProviderError, ReadInput, ResourceOutput,
    UpdateInput,
};

pub(crate) const TYPE: &str = "AWS::EC2::SecurityGroupIngress";

pub(crate) const SPEC: super::props::Spec = super::props::Spec {
    type_name: TYPE,
    supported: &[
        "CidrIp",
        "CidrIpv6",
        "Description",
        "FromPort",
        "GroupId",
        "GroupName",
        "IpProtocol",
        "SourcePrefixListId",
        "SourceSecurityGroupId",
        "SourceSecurityGroupName",
        "SourceSecurityGroupOwnerId",
        "ToPort",
    ],
    unsupported: &[],
};

/// The provider.
#[derive(Debug)]
pub(crate) struct SecurityGroupIngressProvider {
    pub(crate) rule: StandaloneRule,
}

impl SecurityGroupIngressProvider {
    async fn do_create(&self, input: &CreateInput) -> Result<ResourceOutput, ProviderError> {
        self.rule.create(input).await
    }

    async fn do_update(&self, input: &UpdateInput) -> Result<ResourceOutput, ProviderError> {
        self.rule.update(input).await
    }

    async fn do_delete(&self, input: &DeleteInput) -> Result<(), ProviderError> {
        self.rule.delete(input).await
    }

    async fn do_read(
        &self,
        items: &[ReadInput],
    ) -> Result<BTreeMap<String, Observation>, ProviderError> {
        self.rule.read(items).await
    }

    async fn do_find(&self, input: &FindInput) -> Result<Option<ResourceOutput>, ProviderError> {
        self.rule.find(input).await
    }
}

super::provider_impl!(SecurityGroupIngressProvider, TYPE);
