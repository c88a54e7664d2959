//! `AWS::AutoScaling::AutoScalingGroup` `find`: the group an interrupted create made, by name
//! (`AutoScalingGroupName`, else the generated one), when it carries this resource's `infra:*`
//! tags and is not being deleted (`Status: Delete in progress`). Only reads
//! (DescribeAutoScalingGroups).

use std::collections::BTreeMap;

use aws_sdk_autoscaling::types::AutoScalingGroup;

use super::read::output;
use super::{AutoScalingGroupProvider, TYPE};
use crate::provider::FindInput;
use crate::providers::compute::name_to_find;
use crate::providers::kit::{Ctx, Found, owned_by};

impl AutoScalingGroupProvider {
    pub(super) async fn find_made(&self, input: &FindInput) -> Found {
        let ctx = Ctx::new(TYPE, &input.address);
        let name = name_to_find(input, ctx, "AutoScalingGroupName")?;
        // `describe_one` leaves out a group being deleted.
        let found = self
            .describe_one(ctx, &name)
            .await?
            .filter(|g| owned_by(&group_tags(g), &input.tags));
        Ok(found.map(|g| output(&g)))
    }
}

/// A group's tags as a map.
pub(super) fn group_tags(group: &AutoScalingGroup) -> BTreeMap<String, String> {
    group
        .tags()
        .iter()
        .filter_map(|t| {
            Some((
                t.key()?.to_owned(),
                t.value().unwrap_or_default().to_owned(),
            ))
        })
        .collect()
}
