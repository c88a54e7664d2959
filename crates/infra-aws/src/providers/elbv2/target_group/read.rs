//! `AWS::ElasticLoadBalancingV2::TargetGroup` reading: DescribeTargetGroups (batched, ARN by ARN
//! when a batch names one that is gone), the attributes and registered targets read per target
//! group, the properties refresh reports (the generated `report_target_group` and
//! `report_target_description`), and the `Fn::GetAtt` attributes.

use crate::providers::kit::prelude::*;
use aws_sdk_elasticloadbalancingv2::types::{
    TargetDescription, TargetGroup, TargetHealthDescription, TargetHealthStateEnum,
};

use super::TYPE;
use crate::error::AwsError;
use crate::generated::elbv2::{report_target_description, report_target_group};
use crate::providers::elbv2::attributes::read_attributes;
use crate::providers::elbv2::report::Report;
use crate::providers::elbv2::shared::{Described, Reported};
use crate::providers::elbv2::{Elb, Pairs};

impl Reported for TargetGroup {
    const TYPE: &'static str = TYPE;
    const EXTRA_KEYS: &'static [&'static str] = &["TargetGroupAttributes", "Targets"];
    type Extras = Extras;

    fn output(&self) -> ResourceOutput {
        let arn = self.target_group_arn().unwrap_or_default();
        // arn:aws:elasticloadbalancing:region:account:targetgroup/name/id → targetgroup/name/id
        let full_name = arn.rsplit(':').next().unwrap_or_default();
        let name = self.target_group_name().unwrap_or_default();
        let attributes = [
            ("TargetGroupArn", json!(arn)),
            ("TargetGroupFullName", json!(full_name)),
            ("TargetGroupName", json!(name)),
            ("LoadBalancerArns", json!(self.load_balancer_arns())),
        ];
        output_of(arn, attributes)
    }

    fn arn(&self) -> Option<&str> {
        self.target_group_arn()
    }

    async fn extras(
        elb: Elb,
        address: String,
        arn: String,
        wanted: Vec<&'static str>,
    ) -> Result<(String, Extras), ProviderError> {
        let ctx = Ctx::new(TYPE, &address);
        let mut out = Extras::default();
        if wanted.contains(&"TargetGroupAttributes") {
            let call = elb.client.describe_target_group_attributes();
            let call = call.target_group_arn(&arn).send();
            out.attributes = read_attributes(&elb, ctx, call, |o| o.attributes()).await?;
        }
        if wanted.contains(&"Targets") {
            let call = elb.client.describe_target_health();
            let call = call.target_group_arn(&arn).send();
            let doing = "reading the registered targets";
            let found = kit::found(&elb, ctx, doing, call).await?;
            // Targets being deregistered are on their way out.
            let draining = Some(&TargetHealthStateEnum::Draining);
            let registered = |d: &&TargetHealthDescription| {
                d.target_health().and_then(|h| h.state()) != draining
            };
            out.targets = found.map(|found| {
                let found = found.target_health_descriptions().iter().filter(registered);
                found.filter_map(|d| d.target().cloned()).collect()
            });
        }
        Ok((arn, out))
    }

    /// One target group as refresh reports it (see the module comment of `providers::elbv2`).
    fn observe(
        &self,
        item: &ReadInput,
        tags: Option<&Pairs>,
        extras: Option<&Extras>,
    ) -> Observation {
        let mut report = Report::new(item, report_target_group(self), &[]);
        let attributes = extras.and_then(|e| e.attributes.as_ref());
        report.pairs("TargetGroupAttributes", attributes);
        if let Some(found) = extras.and_then(|e| e.targets.as_ref()) {
            let targets = found.iter().map(report_target_description).collect();
            report.put("Targets", Value::Array(targets));
        }
        report.done(tags, self.output().attributes)
    }
}

impl Described for TargetGroup {
    const NOUN: &'static str = "target group";
    const CREATE: [&'static str; 2] = ["CreateTargetGroup", "DuplicateTargetGroupName"];

    async fn describe(elb: &Elb, ids: Vec<String>, by_name: bool) -> Result<Vec<Self>, AwsError> {
        let request = elb.client.describe_target_groups();
        let request = match by_name {
            true => request.set_names(Some(ids)),
            false => request.set_target_group_arns(Some(ids)),
        };
        let out = request.send().await.map_err(|e| elb.api.err(e))?;
        Ok(out.target_groups.unwrap_or_default())
    }

    fn name(&self) -> Option<&str> {
        self.target_group_name()
    }
}

/// What a read needs beyond DescribeTargetGroups, per target group.
#[derive(Debug, Default)]
pub(in crate::providers::elbv2) struct Extras {
    attributes: Option<Pairs>,
    targets: Option<Vec<TargetDescription>>,
}
