//! `AWS::EC2::SecurityGroupIngress`: an inbound rule of a security group (`GroupId`, or `GroupName` in a
//! default VPC). See [`super::standalone_rule`] for what each
//! operation does. `Ref` is the rule id (`sgr-...`). Every documented property is supported.

use std::collections::BTreeMap;

use super::standalone_rule::StandaloneRule;
use crate::provider::{
    Coverage, CreateInput, DeleteInput, Find, FindInput, Observation, ProviderError, ReadInput,
    Refresh, ResourceOutput, UpdateInput,
};
use crate::providers::kit;

pub(crate) const TYPE: &str = "AWS::EC2::SecurityGroupIngress";

/// What `infra types` lists for this type: how its `read` refreshes it and how its `find`
/// locates what an interrupted create made.
const COVERAGE: Coverage = Coverage::native(
    Refresh::Batched,
    "DescribeSecurityGroupRules (200 rule ids per filter, pages followed)",
    Find::NaturalKey,
    "the same ingress rule (protocol, ports, peer) of GroupId, or GroupName in the default VPC",
);

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

impl kit::Provider for SecurityGroupIngressProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = COVERAGE;

    async fn create(&self, input: &CreateInput) -> Result<ResourceOutput, ProviderError> {
        self.rule.create(input).await
    }

    async fn update(&self, input: &UpdateInput) -> Result<ResourceOutput, ProviderError> {
        self.rule.update(input).await
    }

    async fn delete(&self, input: &DeleteInput) -> Result<(), ProviderError> {
        self.rule.delete(input).await
    }

    async fn read(
        &self,
        items: &[ReadInput],
    ) -> Result<BTreeMap<String, Observation>, ProviderError> {
        self.rule.read(items).await
    }

    async fn find(&self, input: &FindInput) -> Result<Option<ResourceOutput>, ProviderError> {
        self.rule.find(input).await
    }
}
