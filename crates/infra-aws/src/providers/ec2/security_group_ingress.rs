//! `AWS::EC2::SecurityGroupIngress`: an inbound rule of a security group (`GroupId`, or `GroupName` in a
//! default VPC). See [`super::standalone_rule`] for what each
//! operation does. `Ref` is the rule id (`sgr-...`). Every documented property is supported.

use super::sg_rules::Direction;
use super::standalone_rule::RuleType;
use crate::providers::kit::prelude::*;

pub(crate) const TYPE: &str = "AWS::EC2::SecurityGroupIngress";
pub(crate) const SPEC: Keys = crate::generated::ec2::SECURITY_GROUP_INGRESS;

/// The ingress rule type.
#[derive(Debug)]
pub(crate) struct Ingress;

impl RuleType for Ingress {
    const TYPE: &'static str = TYPE;
    const FIND: &'static str =
        "the same ingress rule (protocol, ports, peer) of GroupId, or GroupName in the default VPC";
    const DIRECTION: Direction = Direction::Ingress;
    const SPEC: Keys<'static> = SPEC;
}
