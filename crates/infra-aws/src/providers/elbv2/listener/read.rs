//! `AWS::ElasticLoadBalancingV2::Listener` reading: DescribeListeners per load balancer (pages
//! followed), the attributes read per listener, the properties refresh reports (the generated
//! `report_listener`, the default actions compared their own way), and the `Fn::GetAtt`
//! attributes.

use std::collections::HashMap;

use crate::providers::kit::prelude::*;
use aws_sdk_elasticloadbalancingv2::types::Listener;

use super::TYPE;
use crate::error::AwsError;
use crate::generated::elbv2::report_listener;
use crate::providers::elbv2::actions::observed_actions;
use crate::providers::elbv2::attributes::read_attributes;
use crate::providers::elbv2::report::Report;
use crate::providers::elbv2::shared::{Listed, Reported, by_arn};
use crate::providers::elbv2::{Elb, Pairs};

impl Reported for Listener {
    const TYPE: &'static str = TYPE;
    const EXTRA_KEYS: &'static [&'static str] = &["ListenerAttributes"];
    /// The attributes, `None` when the listener is gone.
    type Extras = Option<Pairs>;

    fn arn(&self) -> Option<&str> {
        self.listener_arn()
    }

    fn output(&self) -> ResourceOutput {
        output(self.listener_arn().unwrap_or_default())
    }

    async fn extras(
        elb: Elb,
        address: String,
        arn: String,
        _wanted: Vec<&'static str>,
    ) -> Result<(String, Self::Extras), ProviderError> {
        let ctx = Ctx::new(TYPE, &address);
        let call = elb.client.describe_listener_attributes();
        let call = call.listener_arn(&arn).send();
        let found = read_attributes(&elb, ctx, call, |o| o.attributes()).await?;
        Ok((arn, found))
    }

    /// One listener as refresh reports it (see the module comment of `providers::elbv2`).
    fn observe(
        &self,
        item: &ReadInput,
        tags: Option<&Pairs>,
        extras: Option<&Self::Extras>,
    ) -> Observation {
        let lists = ["Certificates", "AlpnPolicy"];
        let mut report = Report::new(item, report_listener(self), &lists);
        report.set("DefaultActions", |prev| {
            observed_actions(self.default_actions(), prev)
        });
        report.pairs("ListenerAttributes", extras.and_then(Option::as_ref));
        report.done(tags, self.output().attributes)
    }
}

impl Listed for Listener {
    const PARENT: [&'static str; 3] = ["LoadBalancerArn", ":listener/", ":loadbalancer/"];
    const NOUNS: [&'static str; 2] = ["listeners", "load balancer"];

    /// The listeners of a load balancer by ARN (pages followed); `None` when it does not exist.
    async fn list(elb: &Elb, balancer: &str) -> Result<Option<HashMap<String, Self>>, AwsError> {
        let request = elb.client.describe_listeners().load_balancer_arn(balancer);
        let pages = request.into_paginator().send();
        let pages = pages.collect::<Result<Vec<_>, _>>().await;
        let pages = pages.map_err(|e| elb.api.err(e));
        by_arn(pages, |p| p.listeners(), Listener::listener_arn)
    }

    fn key(&self) -> Option<String> {
        self.port().map(|p| p.to_string())
    }

    /// Its load balancer and port.
    fn natural_key(value: &Value, ctx: Ctx<'_>) -> Result<(String, Option<String>), ProviderError> {
        let spec = super::parse(value, ctx)?;
        let port = spec.create.get_port().map(|p| p.to_string());
        Ok((spec.load_balancer().to_owned(), port))
    }
}

pub(in crate::providers::elbv2) fn output(arn: &str) -> ResourceOutput {
    output_of(arn, [("ListenerArn", json!(arn))])
}
