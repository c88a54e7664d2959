//! `AWS::EC2::NetworkAclEntry`: one numbered rule of a network ACL, in one direction.
//!
//! - create: `CreateNetworkAclEntry`; an entry already there with the same rule number and
//!   direction is adopted only when it is this one (an apply interrupted after the call).
//! - update: `NetworkAclId`, `RuleNumber` and `Egress` are create-only (they name the entry);
//!   the rest changes in place with `ReplaceNetworkAclEntry`.
//! - read: the entries' network ACLs, `DescribeNetworkAcls` by `NetworkAclIds` (200 per call,
//!   pages followed).
//! - delete: `DeleteNetworkAclEntry` (a missing entry or ACL is success).
//! - find: not taggable, so by its natural key: the ACL's entry of that number and direction,
//!   with the template's values.
//!
//! The `CreateNetworkAclEntry` and `ReplaceNetworkAclEntry` requests and the entry read back
//! are generated from the schema (`mappings/ec2.toml`); this module reads the entry to compare
//! it, sets `RuleAction` (lowercased) and keeps the template's spelling in what it reports.
//!
//! Not taggable. `Ref` and `Fn::GetAtt Id` are `acl-...|ingress|100` (`egress` for an egress
//! rule): the ACL, the direction and the rule number, which together name an entry. Every
//! documented property is supported.

use crate::providers::kit::prelude::*;
use aws_sdk_ec2::types::{NetworkAcl, NetworkAclEntry, RuleAction};

use super::api::{call, deleted, has_code, id_output};
use super::association::{Association, Observed, Undone, association};
use super::network_acl;
use super::props::{fields, put};
use crate::generated::ec2::{
    ICMP, PORT_RANGE, create_network_acl_entry, replace_network_acl_entry, report_network_acl_entry,
};

association!(
    NetworkAclEntryProvider,
    "AWS::EC2::NetworkAclEntry",
    NETWORK_ACL_ENTRY,
    refresh: "DescribeNetworkAcls of the entries' ACLs (200 ids per call, pages followed)",
    find: "the entry of NetworkAclId with its rule number and direction, holding the template's values"
);

/// An entry as the template describes it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entry {
    acl: String,
    egress: bool,
    rule: i32,
    protocol: String,
    action: String,
    cidr: Option<String>,
    ipv6_cidr: Option<String>,
    icmp: Option<Pair>,
    ports: Option<Pair>,
}

/// `Icmp` (`Code`, `Type`) or `PortRange` (`From`, `To`).
type Pair = (Option<i32>, Option<i32>);

/// An optional nested object of two integers, `keys` (`Icmp` `Code`/`Type`, `PortRange`
/// `From`/`To`).
fn pair(props: &Props<'_>, key: &str, keys: Keys) -> Result<Option<Pair>, ProviderError> {
    let (Some(nested), [first, second]) = (props.obj(key, keys)?, keys.supported) else {
        return Ok(None);
    };
    Ok(Some((nested.i32(first)?, nested.i32(second)?)))
}

impl Entry {
    fn of(props: &Props<'_>) -> Result<Entry, ProviderError> {
        let cidr = props.str("CidrBlock")?;
        let ipv6_cidr = props.str("Ipv6CidrBlock")?;
        if cidr.is_some() == ipv6_cidr.is_some() {
            return Err(ProviderError::fatal(format!(
                "{TYPE}: specify one of CidrBlock and Ipv6CidrBlock"
            )));
        }
        Ok(Entry {
            acl: props.required_str("NetworkAclId")?,
            egress: props.bool("Egress")?.unwrap_or(false),
            rule: (props.i32("RuleNumber")?).ok_or_else(|| props.missing("RuleNumber"))?,
            protocol: props.required_str("Protocol")?,
            action: props.required_str("RuleAction")?.to_ascii_lowercase(),
            cidr,
            ipv6_cidr,
            icmp: pair(props, "Icmp", ICMP)?,
            ports: pair(props, "PortRange", PORT_RANGE)?,
        })
    }

    fn rule_action(&self) -> RuleAction {
        RuleAction::from(self.action.as_str())
    }

    /// `acl-...|ingress|100`.
    fn id(&self) -> String {
        let direction = if self.egress { "egress" } else { "ingress" };
        format!("{}|{direction}|{}", self.acl, self.rule)
    }

    fn output(&self) -> ResourceOutput {
        id_output("Id", &self.id())
    }

    /// This entry in `acl`, if it is there (any values).
    fn in_acl<'a>(&self, acl: &'a NetworkAcl) -> Option<&'a NetworkAclEntry> {
        acl.entries()
            .iter()
            .find(|e| e.egress() == Some(self.egress) && e.rule_number() == Some(self.rule))
    }

    /// Whether `seen` holds this entry's values.
    fn matches(&self, seen: &NetworkAclEntry) -> bool {
        seen.protocol() == Some(self.protocol.as_str())
            && seen.rule_action().map(RuleAction::as_str) == Some(self.action.as_str())
            && seen.cidr_block() == self.cidr.as_deref()
            && seen.ipv6_cidr_block() == self.ipv6_cidr.as_deref()
            && seen.port_range().map(|p| (p.from(), p.to())) == self.ports
            && seen.icmp_type_code().map(|i| (i.code(), i.r#type())) == self.icmp
    }
}

/// Properties as a template writes them (the report generated from the schema, with the
/// ACL; `RuleNumber`, `Protocol` and `RuleAction` in the template's spelling when they say the
/// same).
fn observed_properties(acl_id: &str, entry: &NetworkAclEntry, last: &Value) -> Map<String, Value> {
    let mut map = fields(report_network_acl_entry(entry));
    put(&mut map, "NetworkAclId", Some(acl_id));
    for key in ["RuleNumber", "Protocol"] {
        if let Some(value) = map.remove(key) {
            map.insert(key.into(), observed_scalar(value, last.get(key)));
        }
    }
    if let Some(action) = entry.rule_action().map(RuleAction::as_str) {
        let same = |p: &&Value| p.as_str().is_some_and(|p| p.eq_ignore_ascii_case(action));
        let previous = last.get("RuleAction").filter(same).cloned();
        map.insert(
            "RuleAction".into(),
            previous.unwrap_or_else(|| json!(action)),
        );
    }
    map
}

impl NetworkAclEntryProvider {
    /// The entry of `entry`'s number and direction in its ACL, if the ACL and it exist.
    async fn seen(
        &self,
        entry: &Entry,
        doing: &str,
    ) -> Result<Option<NetworkAclEntry>, ProviderError> {
        let acls = network_acl::describe(&self.ec2, [entry.acl.as_str()], doing).await?;
        Ok(acls.iter().find_map(|acl| entry.in_acl(acl)).cloned())
    }
}

impl Association for NetworkAclEntryProvider {
    const OF: Option<&'static str> = None;
    type Key = Entry;

    fn key(props: &Props<'_>) -> Result<Entry, ProviderError> {
        Entry::of(props)
    }

    async fn make(&self, entry: &Entry, input: &CreateInput, doing: &str) -> Made {
        let props = Props::root(&input.properties, Ctx::new(TYPE, &input.address), SPEC)?;
        let request = create_network_acl_entry(&props, self.ec2.client.create_network_acl_entry())?;
        if let Err(e) = request.rule_action(entry.rule_action()).send().await {
            // The same entry already there (an apply interrupted after the call) is what this
            // create makes; another entry of that number and direction is an error.
            let adopt = has_code(&e, "NetworkAclEntryAlreadyExists")
                && (self.seen(entry, doing).await?).is_some_and(|seen| entry.matches(&seen));
            if !adopt {
                return Err(self.ec2.error(doing, e));
            }
        }
        Ok(entry.output())
    }

    /// `NetworkAclId`, `RuleNumber` and `Egress` name the entry; the rest changes in place.
    async fn change(
        &self,
        input: &UpdateInput,
        before: &Entry,
        after: &Entry,
        doing: &str,
    ) -> Made {
        if before.id() != after.id() {
            return Err(ProviderError::fatal(format!(
                "{doing}: NetworkAclId, RuleNumber and Egress cannot change in place; the entry \
                 must be replaced"
            )));
        }
        let props = Props::root(&input.after, Ctx::new(TYPE, &input.address), SPEC)?;
        let request = self.ec2.client.replace_network_acl_entry();
        let request = replace_network_acl_entry(&props, request)?;
        let request = request.rule_action(after.rule_action());
        call!(self.ec2, request, doing)?;
        Ok(after.output())
    }

    async fn undo(&self, _: &DeleteInput, entry: &Entry, doing: &str) -> Undone {
        let request = (self.ec2.client.delete_network_acl_entry())
            .network_acl_id(&entry.acl)
            .egress(entry.egress)
            .rule_number(entry.rule);
        deleted(call!(self.ec2, request, doing)).map(drop)
    }

    async fn observe(&self, items: &[ReadInput], entries: &[Entry], doing: &str) -> Observed {
        let acls = entries.iter().map(|e| e.acl.as_str());
        let acls = network_acl::describe(&self.ec2, acls, doing).await?;
        Ok((items.iter().zip(entries))
            .map(|(item, entry)| {
                let seen = acls
                    .iter()
                    .filter(|acl| acl.network_acl_id() == Some(entry.acl.as_str()))
                    .find_map(|acl| entry.in_acl(acl))?;
                let properties = observed_properties(&entry.acl, seen, &item.properties);
                Some((properties, entry.output().attributes))
            })
            .collect())
    }

    /// By its natural key: the ACL's entry of that number and direction, when it holds the
    /// template's values (another entry there is not what the create made).
    async fn existing(&self, entry: &Entry, _: &FindInput, doing: &str) -> Found {
        let seen = self.seen(entry, doing).await?;
        Ok(seen
            .filter(|seen| entry.matches(seen))
            .map(|_| entry.output()))
    }
}

#[cfg(test)]
#[path = "tests/network_acl_entry.rs"]
mod tests;
