//! `AWS::EC2::SecurityGroupEgress`: an outbound rule of a VPC security group (`GroupId`). See [`super::standalone_rule`] for what each
//! operation does. `Ref` is the rule id (`sgr-...`). Every documented property is supported.

use super::sg_rules::Direction;
use super::standalone_rule::RuleType;
use crate::providers::kit::prelude::*;

pub(crate) const TYPE: &str = "AWS::EC2::SecurityGroupEgress";
pub(crate) const SPEC: Keys = crate::generated::ec2::SECURITY_GROUP_EGRESS;

/// The egress rule type.
#[derive(Debug)]
pub(crate) struct Egress;

impl RuleType for Egress {
    const TYPE: &'static str = TYPE;
    const FIND: &'static str = "the same egress rule (protocol, ports, peer) of GroupId";
    const DIRECTION: Direction = Direction::Egress;
    const SPEC: Keys<'static> = SPEC;
}
