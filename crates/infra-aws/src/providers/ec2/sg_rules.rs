//! Security group rules as templates write them (the inline `SecurityGroupIngress` /
//! `SecurityGroupEgress` items of `AWS::EC2::SecurityGroup` and the standalone
//! `AWS::EC2::SecurityGroupIngress` / `AWS::EC2::SecurityGroupEgress`), their EC2 form
//! (`IpPermission`), what EC2 reports back, how two rules are compared, and the calls that
//! authorize, describe and revoke rules of either direction.
//!
//! Two rules are the same rule when protocol, ports and peer are the same the way EC2 means
//! them: `6` is `tcp`, `-1` is every protocol and then ports do not matter, ICMP without ports
//! is type and code `-1`. The description is not part of a rule's identity (EC2 updates it in
//! place).

use crate::providers::kit::prelude::*;
use aws_sdk_ec2::types::{
    IpPermission, IpRange, Ipv6Range, PrefixListId, SecurityGroupRule, UserIdGroupPair,
};

use super::api::{Ec2, call, deleted};
use super::props::put;
use crate::generated::ec2::{EGRESS, INGRESS};

/// Inbound or outbound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    /// Inbound: the peer is a source.
    Ingress,
    /// Outbound: the peer is a destination.
    Egress,
}

impl Direction {
    /// `ingress` or `egress`, whichever is of this direction.
    pub(crate) fn pick<T>(self, ingress: T, egress: T) -> T {
        match self {
            Direction::Ingress => ingress,
            Direction::Egress => egress,
        }
    }

    /// The property naming a prefix list peer.
    fn prefix_list_key(self) -> &'static str {
        self.pick("SourcePrefixListId", "DestinationPrefixListId")
    }

    /// The property naming a security group peer by id.
    fn group_key(self) -> &'static str {
        self.pick("SourceSecurityGroupId", "DestinationSecurityGroupId")
    }

    /// The keys of one rule (inline or standalone, without `GroupId` / `GroupName`), generated
    /// from the schema's `Ingress` / `Egress` definitions (`mappings/ec2.toml`).
    pub(crate) fn rule_keys(self) -> &'static [&'static str] {
        self.pick(INGRESS.supported, EGRESS.supported)
    }

    /// `AuthorizeSecurityGroupIngress` / `AuthorizeSecurityGroupEgress` of `permissions` on
    /// the group `group_id` (or, inbound only, the default VPC's group `group_name`): the
    /// rules EC2 made.
    pub(crate) async fn authorize(
        self,
        ec2: &Ec2,
        group_id: Option<String>,
        group_name: Option<String>,
        permissions: Vec<IpPermission>,
        doing: &str,
    ) -> Result<Vec<SecurityGroupRule>, ProviderError> {
        let (id, p) = (group_id, Some(permissions));
        let rules = match self {
            Direction::Ingress => {
                let r = ec2.client.authorize_security_group_ingress();
                let r = r.set_group_name(group_name).set_group_id(id);
                call!(ec2, r.set_ip_permissions(p), doing)?.security_group_rules
            }
            Direction::Egress => {
                let r = ec2.client.authorize_security_group_egress();
                call!(ec2, r.set_group_id(id).set_ip_permissions(p), doing)?.security_group_rules
            }
        };
        Ok(rules.unwrap_or_default())
    }

    /// `UpdateSecurityGroupRuleDescriptionsIngress` / `...Egress`: the descriptions of
    /// `permissions` in `group_id`.
    pub(crate) async fn describe(
        self,
        ec2: &Ec2,
        group_id: &str,
        permissions: Vec<IpPermission>,
        doing: &str,
    ) -> Result<(), ProviderError> {
        let p = Some(permissions);
        match self {
            Direction::Ingress => {
                let r = ec2.client.update_security_group_rule_descriptions_ingress();
                call!(ec2, r.group_id(group_id).set_ip_permissions(p), doing).map(drop)
            }
            Direction::Egress => {
                let r = ec2.client.update_security_group_rule_descriptions_egress();
                call!(ec2, r.group_id(group_id).set_ip_permissions(p), doing).map(drop)
            }
        }
    }

    /// `RevokeSecurityGroupIngress` / `RevokeSecurityGroupEgress` of `permissions`, or of the
    /// rules `rule_ids`, in `group_id`; a rule or group already gone is success.
    pub(crate) async fn revoke(
        self,
        ec2: &Ec2,
        group_id: &str,
        permissions: Option<Vec<IpPermission>>,
        rule_ids: Option<Vec<String>>,
        doing: &str,
    ) -> Result<(), ProviderError> {
        let (p, ids) = (permissions, rule_ids);
        let revoked = match self {
            Direction::Ingress => {
                let r = ec2.client.revoke_security_group_ingress();
                let r = r.group_id(group_id).set_ip_permissions(p);
                call!(ec2, r.set_security_group_rule_ids(ids), doing).map(drop)
            }
            Direction::Egress => {
                let r = ec2.client.revoke_security_group_egress();
                let r = r.group_id(group_id).set_ip_permissions(p);
                call!(ec2, r.set_security_group_rule_ids(ids), doing).map(drop)
            }
        };
        deleted(revoked).map(drop)
    }
}

/// Who a rule lets in (or out to).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Peer {
    /// An IPv4 range.
    Cidr(String),
    /// An IPv6 range.
    Cidr6(String),
    /// A managed prefix list.
    PrefixList(String),
    /// A security group, by id or (default VPC) name, of an account.
    Group {
        /// `sg-...`.
        id: Option<String>,
        /// The group's name.
        name: Option<String>,
        /// The account that owns it.
        owner: Option<String>,
    },
}

/// One rule.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Rule {
    /// As written (`tcp`, `6`, `-1`, ...).
    pub protocol: String,
    pub from: Option<i32>,
    pub to: Option<i32>,
    pub peer: Peer,
    pub description: Option<String>,
    /// The rule as the template wrote it, when it came from a template.
    pub written: Option<Value>,
}

/// `FromPort` and `ToPort`.
type Ports = (Option<i32>, Option<i32>);

/// `6` → `tcp`, `17` → `udp`, `1` → `icmp`, `58` → `icmpv6`, `all` → `-1`.
pub(crate) fn protocol(p: &str) -> String {
    let p = p.trim().to_ascii_lowercase();
    match p.as_str() {
        "6" => "tcp".into(),
        "17" => "udp".into(),
        "1" => "icmp".into(),
        "58" => "icmpv6".into(),
        "all" => "-1".into(),
        _ => p,
    }
}

impl Rule {
    /// A rule as EC2 reports it: protocol (`-1` when none), ports, peer and description (an
    /// empty one is none).
    pub(crate) fn seen(p: Option<&str>, ports: Ports, peer: Peer, d: Option<&str>) -> Rule {
        Rule {
            protocol: p.unwrap_or("-1").to_owned(),
            from: ports.0,
            to: ports.1,
            peer,
            description: d.filter(|d| !d.is_empty()).map(str::to_owned),
            written: None,
        }
    }

    /// A rule from a template object (`props` holds its keys at the top level, as in a
    /// standalone rule, or is the nested item of an inline list).
    pub(crate) fn parse(props: &Props<'_>, direction: Direction) -> Result<Rule, ProviderError> {
        let type_name = props.ctx().type_name;
        let (list_key, group_key) = (direction.prefix_list_key(), direction.group_key());
        let id = props.str(group_key)?;
        let (name, owner) = match direction {
            Direction::Ingress => (
                props.str("SourceSecurityGroupName")?,
                props.str("SourceSecurityGroupOwnerId")?,
            ),
            Direction::Egress => (None, None),
        };
        if id.is_none() && name.is_none() && owner.is_some() {
            return Err(ProviderError::fatal(format!(
                "{type_name}: SourceSecurityGroupOwnerId needs SourceSecurityGroupId or \
                 SourceSecurityGroupName",
            )));
        }
        let group = (id.is_some() || name.is_some()).then_some(Peer::Group { id, name, owner });
        let mut peers: Vec<(&str, Peer)> = [
            ("CidrIp", props.str("CidrIp")?.map(Peer::Cidr)),
            ("CidrIpv6", props.str("CidrIpv6")?.map(Peer::Cidr6)),
            (list_key, props.str(list_key)?.map(Peer::PrefixList)),
            (group_key, group),
        ]
        .into_iter()
        .filter_map(|(key, peer)| Some((key, peer?)))
        .collect();
        if peers.len() != 1 {
            let message = match peers.as_slice() {
                [] => format!(
                    "a rule needs one of CidrIp, CidrIpv6, {list_key}, {group_key}{}",
                    direction.pick(" or SourceSecurityGroupName", "")
                ),
                many => format!(
                    "a rule takes only one of {}",
                    many.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(", ")
                ),
            };
            return Err(ProviderError::fatal(format!("{type_name}: {message}")));
        }
        Ok(Rule {
            protocol: props.required_str("IpProtocol")?,
            from: props.i32("FromPort")?,
            to: props.i32("ToPort")?,
            peer: peers.remove(0).1,
            description: props.str("Description")?,
            written: None,
        })
    }

    /// The inline rules of a security group's `key` (`SecurityGroupIngress` /
    /// `SecurityGroupEgress`).
    pub(crate) fn parse_list(
        props: &Props<'_>,
        key: &str,
        direction: Direction,
    ) -> Result<Vec<Rule>, ProviderError> {
        let items = props.list(key)?.iter();
        let rules = props.objs(key, Keys::new(direction.rule_keys()))?;
        (rules.iter().zip(items))
            .map(|(rule, item)| {
                let written = Some(item.clone());
                Ok(Rule {
                    written,
                    ..Rule::parse(rule, direction)?
                })
            })
            .collect()
    }

    /// Protocol and ports the way EC2 means them.
    fn normalized(&self) -> (String, Option<i32>, Option<i32>) {
        let p = protocol(&self.protocol);
        match p.as_str() {
            "tcp" | "udp" => (p, self.from, self.to),
            "icmp" | "icmpv6" => (
                p,
                Some(self.from.unwrap_or(-1)),
                Some(self.to.unwrap_or(-1)),
            ),
            _ => (p, None, None),
        }
    }

    /// Whether two rules are the same rule (descriptions aside).
    pub(crate) fn same(&self, other: &Rule) -> bool {
        self.normalized() == other.normalized()
            && match (&self.peer, &other.peer) {
                (Peer::Group { id: Some(a), .. }, Peer::Group { id: Some(b), .. }) => a == b,
                (Peer::Group { name: a, .. }, Peer::Group { name: b, .. }) => a.is_some() && a == b,
                (a, b) => a == b,
            }
    }

    /// Whether the descriptions differ (absent and empty are the same).
    pub(crate) fn description_differs(&self, other: &Rule) -> bool {
        self.description.as_deref().unwrap_or_default()
            != other.description.as_deref().unwrap_or_default()
    }

    /// The rule as one EC2 `IpPermission`.
    pub(crate) fn permission(&self) -> IpPermission {
        let d = self.description.clone();
        let builder = IpPermission::builder()
            .ip_protocol(&self.protocol)
            .set_from_port(self.from)
            .set_to_port(self.to);
        match &self.peer {
            Peer::Cidr(cidr) => {
                builder.ip_ranges(IpRange::builder().cidr_ip(cidr).set_description(d).build())
            }
            Peer::Cidr6(cidr) => {
                let range = Ipv6Range::builder().cidr_ipv6(cidr).set_description(d);
                builder.ipv6_ranges(range.build())
            }
            Peer::PrefixList(id) => {
                let list = PrefixListId::builder()
                    .prefix_list_id(id)
                    .set_description(d);
                builder.prefix_list_ids(list.build())
            }
            Peer::Group { id, name, owner } => builder.user_id_group_pairs(
                UserIdGroupPair::builder()
                    .set_group_id(id.clone())
                    .set_group_name(if id.is_some() { None } else { name.clone() })
                    .set_user_id(owner.clone())
                    .set_description(d)
                    .build(),
            ),
        }
        .build()
    }

    /// The rules of EC2 `IpPermission`s, one per peer.
    pub(crate) fn from_permissions(permissions: &[IpPermission]) -> Vec<Rule> {
        let mut out = Vec::new();
        for p in permissions {
            let ports = (p.from_port(), p.to_port());
            let mut rule = |peer: Option<Peer>, description: Option<&str>| {
                out.extend(peer.map(|peer| Rule::seen(p.ip_protocol(), ports, peer, description)));
            };
            for r in p.ip_ranges() {
                rule(r.cidr_ip().map(|c| Peer::Cidr(c.into())), r.description());
            }
            for r in p.ipv6_ranges() {
                let peer = r.cidr_ipv6().map(|c| Peer::Cidr6(c.into()));
                rule(peer, r.description());
            }
            for r in p.prefix_list_ids() {
                let peer = r.prefix_list_id().map(|id| Peer::PrefixList(id.into()));
                rule(peer, r.description());
            }
            for g in p.user_id_group_pairs() {
                let peer = Peer::Group {
                    id: g.group_id().map(str::to_owned),
                    name: g.group_name().map(str::to_owned),
                    owner: g.user_id().map(str::to_owned),
                };
                rule(Some(peer), g.description());
            }
        }
        out
    }

    /// A rule as `DescribeSecurityGroupRules` reports it.
    pub(crate) fn from_sdk(rule: &SecurityGroupRule) -> Option<Rule> {
        let peer = if let Some(cidr) = rule.cidr_ipv4() {
            Peer::Cidr(cidr.into())
        } else if let Some(cidr) = rule.cidr_ipv6() {
            Peer::Cidr6(cidr.into())
        } else if let Some(id) = rule.prefix_list_id() {
            Peer::PrefixList(id.into())
        } else {
            let group = rule.referenced_group_info()?;
            Peer::Group {
                id: group.group_id().map(str::to_owned),
                name: None,
                owner: group.user_id().map(str::to_owned),
            }
        };
        let (ports, d) = ((rule.from_port(), rule.to_port()), rule.description());
        Some(Rule::seen(rule.ip_protocol(), ports, peer, d))
    }

    /// The rule's keys as a template writes them.
    pub(crate) fn to_template(&self, direction: Direction) -> Map<String, Value> {
        let mut map = Map::new();
        map.insert("IpProtocol".into(), json!(self.protocol));
        let (p, from, to) = self.normalized();
        if p != "-1" {
            put(&mut map, "FromPort", from);
            put(&mut map, "ToPort", to);
        }
        match &self.peer {
            Peer::Cidr(c) => put(&mut map, "CidrIp", Some(c.as_str())),
            Peer::Cidr6(c) => put(&mut map, "CidrIpv6", Some(c.as_str())),
            Peer::PrefixList(id) => put(&mut map, direction.prefix_list_key(), Some(id.as_str())),
            Peer::Group { id, name, .. } => match id {
                Some(id) => put(&mut map, direction.group_key(), Some(id.as_str())),
                None => put(&mut map, "SourceSecurityGroupName", name.as_deref()),
            },
        }
        put(&mut map, "Description", self.description.as_deref());
        map
    }
}

/// Observed rules as a template writes them, in the order of `last` (the rules last applied),
/// then the others: a rule that is one of `last` (same rule, same description) is written
/// exactly as `last` wrote it, so that `6` stays `6`; others in EC2's terms.
pub(crate) fn report_rules(observed: &[Rule], last: &[Rule], direction: Direction) -> Value {
    let mut left: Vec<&Rule> = observed.iter().collect();
    let mut out = Vec::new();
    let template = |rule: &Rule| Value::Object(rule.to_template(direction));
    for l in last {
        if let Some(at) = left.iter().position(|o| l.same(o)) {
            let rule = left.remove(at);
            let written = l.written.clone().filter(|_| !l.description_differs(rule));
            out.push(written.unwrap_or_else(|| template(rule)));
        }
    }
    out.extend(left.into_iter().map(template));
    Value::Array(out)
}

/// What changes turn `before` into `after`: rules to add, rules to remove, and rules whose
/// description changes.
pub(crate) fn diff<'r>(
    before: &'r [Rule],
    after: &'r [Rule],
) -> (Vec<&'r Rule>, Vec<&'r Rule>, Vec<&'r Rule>) {
    let missing = |of: &'r [Rule], from: &'r [Rule]| -> Vec<&'r Rule> {
        of.iter()
            .filter(|r| !from.iter().any(|o| o.same(r)))
            .collect()
    };
    let described = after
        .iter()
        .filter(|a| before.iter().any(|b| b.same(a) && b.description_differs(a)))
        .collect();
    (missing(after, before), missing(before, after), described)
}

#[cfg(test)]
#[path = "tests/sg_rules.rs"]
mod tests;
