//! Monitoring and messaging: CloudWatch Logs, CloudWatch, SQS, SNS and EventBridge.

use super::Lifecycle::{Create, Delete, Update};
use super::OperationMapping;

service!(logs, "logs");
service!(cloudwatch, "monitoring");
service!(sqs, "sqs");
service!(sns, "sns");
service!(events, "events");

/// The rows of this family, one a line.
#[rustfmt::skip]
pub(super) const ROWS: &[OperationMapping] = &[
    // CloudWatch Logs.
    logs("AWS::Logs::LogGroup", Create, "CreateLogGroup"),
    logs("AWS::Logs::LogGroup", Delete, "DeleteLogGroup"),
    logs("AWS::Logs::ResourcePolicy", Create, "PutResourcePolicy"),
    logs("AWS::Logs::ResourcePolicy", Update, "PutResourcePolicy"),
    logs("AWS::Logs::ResourcePolicy", Delete, "DeleteResourcePolicy"),
    // CloudWatch.
    cloudwatch("AWS::CloudWatch::Alarm", Create, "PutMetricAlarm"),
    cloudwatch("AWS::CloudWatch::Alarm", Delete, "DeleteAlarms"),
    cloudwatch("AWS::CloudWatch::Dashboard", Create, "PutDashboard"),
    cloudwatch("AWS::CloudWatch::Dashboard", Delete, "DeleteDashboards"),
    // SQS. `SetQueueAttributes` is a queue policy's create and delete (an empty `Policy`), and
    // also a queue's update, which costs a policy's time.
    sqs("AWS::SQS::Queue", Create, "CreateQueue"),
    sqs("AWS::SQS::Queue", Delete, "DeleteQueue"),
    sqs("AWS::SQS::QueuePolicy", Create, "SetQueueAttributes"),
    sqs("AWS::SQS::QueuePolicy", Delete, "SetQueueAttributes"),
    // SNS. `SetTopicAttributes` is a topic policy's create and delete (the default policy back),
    // and also a topic's update, which costs a policy's time.
    sns("AWS::SNS::Topic", Create, "CreateTopic"),
    sns("AWS::SNS::Topic", Delete, "DeleteTopic"),
    sns("AWS::SNS::Subscription", Create, "Subscribe"),
    sns("AWS::SNS::Subscription", Update, "SetSubscriptionAttributes"),
    sns("AWS::SNS::Subscription", Delete, "Unsubscribe"),
    sns("AWS::SNS::TopicPolicy", Create, "SetTopicAttributes"),
    sns("AWS::SNS::TopicPolicy", Delete, "SetTopicAttributes"),
    // EventBridge. `PutTargets` / `RemoveTargets` run inside a rule's create, update and delete.
    events("AWS::Events::Rule", Create, "PutRule"),
    events("AWS::Events::Rule", Update, "PutRule"),
    events("AWS::Events::Rule", Delete, "DeleteRule"),
];
