//! `AWS::EC2::SecurityGroupIngress`: an inbound rule of a security group (`GroupId`, or `GroupName` in a
//! default VPC). See [`super::standalone_rule`] for what each
//! operation does. `Ref` is the rule id (`sgr-...`). Every documented property is supported.

use super::sg_rules::Direction;
use super::standalone_rule::RuleType;
use crate::providers::kit::prelude::*;

pub(crate) const TYPE: &str = "AWS::EC2::SecurityGroupIngress";

/// What `infra types` lists for this type: how its `read` refreshes it and how its `find`
/// locates what an interrupted create made.
const COVERAGE: Coverage = Coverage::native(
    Refresh::Batched,
    "DescribeSecurityGroupRules (200 rule ids per filter, pages followed)",
    Find::NaturalKey,
    "the same ingress rule (protocol, ports, peer) of GroupId, or GroupName in the default VPC",
);

pub(crate) const SPEC: Keys = crate::generated::ec2::SECURITY_GROUP_INGRESS;

/// The ingress rule type.
#[derive(Debug)]
pub(crate) struct Ingress;

impl RuleType for Ingress {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = COVERAGE;
    const DIRECTION: Direction = Direction::Ingress;
    const SPEC: Keys<'static> = SPEC;
}
