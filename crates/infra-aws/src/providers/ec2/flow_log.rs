//! `AWS::EC2::FlowLog`, an [`Object`]: `CreateFlowLogs` for its one resource, with its tags
//! (the API reports a failure per resource in its answer rather than as an error); every
//! property but the tags is create-only, so only tags change in place; `DescribeFlowLogs`
//! filtered by `flow-log-id` (200 per filter, pages followed); `DeleteFlowLogs`; found by its
//! infra tags.
//!
//! `Ref` and `Fn::GetAtt Id` are the flow log id. `ResourceType` is not reported by the API
//! (it is kept as last applied). Not supported yet, as the SDK in use cannot send it:
//! `TagFieldSpecifications`.

use crate::providers::ec2::find::tag_coverage;
use aws_sdk_ec2::types::UnsuccessfulItem;
use aws_sdk_ec2::types::{
    DestinationFileFormat, DestinationOptionsRequest, FlowLog, FlowLogsResourceType,
    LogDestinationType, ResourceType, TrafficType,
};
use serde_json::{Map, Value, json};

use super::api::{Ec2, call, returned};
use super::object::{New, Object, paged_describe};
use super::props::{Props, Spec, put, spec};
use crate::provider::{Coverage, ProviderError};
use crate::providers::kit::errors::code_class;
use crate::providers::kit::observed_scalar;

pub(crate) const TYPE: &str = "AWS::EC2::FlowLog";

pub(crate) const SPEC: Spec = spec!(TYPE, FLOW_LOG);

/// The keys of `DestinationOptions` (all three are required by the schema).
const DESTINATION_OPTIONS: &[&str] =
    &["FileFormat", "HiveCompatiblePartitions", "PerHourPartition"];

/// The flow log type.
#[derive(Debug)]
pub(crate) struct FlowLogType {
    pub(crate) ec2: Ec2,
}

/// `DestinationOptions` as the API takes it.
fn destination_options(
    props: &Props<'_>,
) -> Result<Option<DestinationOptionsRequest>, ProviderError> {
    let Some(value) = props.get("DestinationOptions") else {
        return Ok(None);
    };
    let options = props.nested("DestinationOptions.", value, DESTINATION_OPTIONS, &[])?;
    Ok(Some(
        DestinationOptionsRequest::builder()
            .set_file_format(
                options
                    .str("FileFormat")?
                    .map(|f| DestinationFileFormat::from(f.as_str())),
            )
            .set_hive_compatible_partitions(options.bool("HiveCompatiblePartitions")?)
            .set_per_hour_partition(options.bool("PerHourPartition")?)
            .build(),
    ))
}

/// The error of the first item a `CreateFlowLogs` or `DeleteFlowLogs` answer reports as failed.
fn unsuccessful(
    items: &[UnsuccessfulItem],
    operation: &str,
    doing: &str,
) -> Result<(), ProviderError> {
    let Some(error) = items.first().and_then(UnsuccessfulItem::error) else {
        return Ok(());
    };
    let (code, message) = (
        error.code().unwrap_or_default(),
        error.message().unwrap_or_default(),
    );
    Err(ProviderError {
        class: code_class(code, message),
        message: format!("{doing}: {operation} failed: {code}: {message}"),
    })
}

impl Object for FlowLogType {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = tag_coverage!(
        "DescribeFlowLogs",
        "filtered by id (200 per filter, pages followed)"
    );
    const SPEC: Spec = SPEC;
    const WHAT: &'static str = "flow log";
    const WRITE_ONLY: &'static [&'static str] = &["ResourceType"];
    const RESOURCE_TYPE: ResourceType = ResourceType::VpcFlowLog;
    const ID_FILTER: Option<&'static str> = Some("flow-log-id");
    type Seen = FlowLog;

    fn ec2(&self) -> &Ec2 {
        &self.ec2
    }

    async fn create(&self, new: New<'_>) -> Result<String, ProviderError> {
        let request = self
            .ec2
            .client
            .create_flow_logs()
            .resource_ids(new.props.required_str("ResourceId")?)
            .resource_type(FlowLogsResourceType::from(
                new.props.required_str("ResourceType")?.as_str(),
            ))
            .set_traffic_type(
                new.props
                    .str("TrafficType")?
                    .map(|t| TrafficType::from(t.as_str())),
            )
            .set_log_destination_type(
                new.props
                    .str("LogDestinationType")?
                    .map(|t| LogDestinationType::from(t.as_str())),
            )
            .set_log_destination(new.props.str("LogDestination")?)
            .set_log_group_name(new.props.str("LogGroupName")?)
            .set_deliver_logs_permission_arn(new.props.str("DeliverLogsPermissionArn")?)
            .set_deliver_cross_account_role(new.props.str("DeliverCrossAccountRole")?)
            .set_log_format(new.props.str("LogFormat")?)
            .set_max_aggregation_interval(new.props.int("MaxAggregationInterval")?)
            .set_destination_options(destination_options(new.props)?)
            .set_tag_specifications(new.tags);
        let created = call!(self.ec2, request, "CreateFlowLogs", new.doing)?;
        unsuccessful(created.unsuccessful(), "CreateFlowLogs", new.doing)?;
        let id = created.flow_log_ids().first().map(String::as_str);
        returned(id, "CreateFlowLogs", new.doing)
    }

    paged_describe!(
        FlowLog,
        describe_flow_logs,
        set_flow_log_ids,
        set_filter,
        "DescribeFlowLogs",
        flow_logs
    );

    async fn delete(&self, id: &str, doing: &str) -> Result<(), ProviderError> {
        let answer = self
            .ec2
            .client
            .delete_flow_logs()
            .flow_log_ids(id)
            .send()
            .await
            .map_err(|e| self.ec2.error("DeleteFlowLogs", doing, e))?;
        unsuccessful(answer.unsuccessful(), "DeleteFlowLogs", doing)
    }

    fn observe(log: &FlowLog, last: &Value) -> Map<String, Value> {
        let mut map = Map::new();
        put(&mut map, "ResourceId", log.resource_id());
        put(
            &mut map,
            "TrafficType",
            log.traffic_type().map(|t| t.as_str()),
        );
        put(
            &mut map,
            "LogDestinationType",
            log.log_destination_type().map(|t| t.as_str()),
        );
        put(&mut map, "LogDestination", log.log_destination());
        put(&mut map, "LogGroupName", log.log_group_name());
        put(
            &mut map,
            "DeliverLogsPermissionArn",
            log.deliver_logs_permission_arn(),
        );
        put(
            &mut map,
            "DeliverCrossAccountRole",
            log.deliver_cross_account_role(),
        );
        put(&mut map, "LogFormat", log.log_format());
        if let Some(interval) = log.max_aggregation_interval() {
            map.insert(
                "MaxAggregationInterval".into(),
                observed_scalar(json!(interval), last.get("MaxAggregationInterval")),
            );
        }
        if let Some(options) = log.destination_options() {
            let mut o = Map::new();
            put(
                &mut o,
                "FileFormat",
                options.file_format().map(|f| f.as_str()),
            );
            put(
                &mut o,
                "HiveCompatiblePartitions",
                options.hive_compatible_partitions(),
            );
            put(&mut o, "PerHourPartition", options.per_hour_partition());
            map.insert("DestinationOptions".into(), Value::Object(o));
        }
        map
    }
}

#[cfg(test)]
#[path = "tests/flow_log.rs"]
mod tests;
