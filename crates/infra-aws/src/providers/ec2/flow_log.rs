//! `AWS::EC2::FlowLog`, an [`Object`]: `CreateFlowLogs` for its one resource, with its tags
//! (the API reports a failure per resource in its answer rather than as an error); every
//! property but the tags is create-only, so only tags change in place; `DescribeFlowLogs`
//! filtered by `flow-log-id` (200 per filter, pages followed); `DeleteFlowLogs`; found by its
//! infra tags.
//!
//! The request and what a read reports are converted by code generated from the schema
//! (`generated/ec2.rs`, mapped in `mappings/ec2.toml`).
//!
//! `Ref` and `Fn::GetAtt Id` are the flow log id. `ResourceType` is not reported by the API
//! (it is kept as last applied). Not supported yet, as the SDK in use cannot send it:
//! `TagFieldSpecifications`.

use crate::providers::kit::prelude::*;
use aws_sdk_ec2::types::FlowLog;

use super::api::{Ec2, call, returned, unsuccessful};
use super::object::{New, Object, object_header, paged_describe, reported};
use crate::generated::ec2::{create_flow_logs, report_flow_log};

pub(crate) const TYPE: &str = "AWS::EC2::FlowLog";

pub(crate) const SPEC: Keys = crate::generated::ec2::FLOW_LOG;

/// The flow log type.
#[derive(Debug)]
pub(crate) struct FlowLogType;

impl Object for FlowLogType {
    object_header!(
        FlowLog,
        VpcFlowLog,
        "flow log",
        "DescribeFlowLogs",
        "filtered by id (200 per filter, pages followed)"
    );
    const WRITE_ONLY: &'static [&'static str] = &["ResourceType"];
    const ID_FILTER: Option<&'static str> = Some("flow-log-id");

    async fn create(&self, ec2: &Ec2, new: New<'_>) -> Result<String, ProviderError> {
        let request = create_flow_logs(new.props, ec2.client.create_flow_logs())?;
        let request = request.set_tag_specifications(new.tags);
        let created = call!(ec2, request, new.doing)?;
        unsuccessful(
            created.unsuccessful(),
            "CreateFlowLogs failed",
            "",
            new.doing,
        )?;
        let id = created.flow_log_ids().first().map(String::as_str);
        returned(id, "CreateFlowLogs", new.doing)
    }

    paged_describe!(
        FlowLog,
        describe_flow_logs,
        set_flow_log_ids,
        set_filter,
        flow_logs
    );

    async fn delete(&self, ec2: &Ec2, id: &str, doing: &str) -> Result<(), ProviderError> {
        let request = ec2.client.delete_flow_logs().flow_log_ids(id);
        let answer = call!(ec2, request, doing)?;
        unsuccessful(answer.unsuccessful(), "DeleteFlowLogs failed", "", doing)
    }

    fn observe(log: &FlowLog, last: &Value) -> Map<String, Value> {
        reported(report_flow_log(log), last)
    }
}

#[cfg(test)]
#[path = "tests/flow_log.rs"]
mod tests;
