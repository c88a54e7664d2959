"""The types the Cloud Control end-to-end tests of infra use (tests/cloudcontrol_e2e.rs):
each is created, updated and deleted through the Cloud Control endpoint and checked through
its own service's API, so a regression of the emulator shows here, not as a failure of infra."""

import json
import time
import unittest
from typing import Any

from .support import Emulator

ACCOUNT = "123456789012"


class CloudControlServicesTest(unittest.TestCase):
    emulator: Emulator

    @classmethod
    def setUpClass(cls) -> None:
        cls.emulator = Emulator.via_script()
        cls.cc = cls.emulator.client("cloudcontrol")

    @classmethod
    def tearDownClass(cls) -> None:
        cls.emulator.stop()

    def finish(self, event: dict[str, Any]) -> dict[str, Any]:
        for _ in range(100):
            event = self.cc.get_resource_request_status(RequestToken=event["RequestToken"])[
                "ProgressEvent"
            ]
            if event["OperationStatus"] not in ("PENDING", "IN_PROGRESS"):
                self.assertEqual(event["OperationStatus"], "SUCCESS", event)
                return event
            time.sleep(0.02)
        self.fail(f"request {event['RequestToken']} never finished")

    def create(self, type_name: str, props: dict[str, Any]) -> str:
        event = self.cc.create_resource(TypeName=type_name, DesiredState=json.dumps(props))
        return self.finish(event["ProgressEvent"])["Identifier"]

    def update(self, type_name: str, identifier: str, patch: list[Any]) -> None:
        event = self.cc.update_resource(
            TypeName=type_name, Identifier=identifier, PatchDocument=json.dumps(patch)
        )
        self.finish(event["ProgressEvent"])

    def delete(self, type_name: str, identifier: str) -> None:
        self.finish(
            self.cc.delete_resource(TypeName=type_name, Identifier=identifier)["ProgressEvent"]
        )

    def test_the_lifecycle_types_are_visible_to_their_own_services(self) -> None:
        e = self.emulator
        sqs, sns, ssm = e.client("sqs"), e.client("sns"), e.client("ssm")
        kinesis, events, sfn, iam = (
            e.client("kinesis"),
            e.client("events"),
            e.client("stepfunctions"),
            e.client("iam"),
        )
        role = iam.create_role(
            RoleName="svc-flow",
            AssumeRolePolicyDocument=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": "states.amazonaws.com"},
                            "Action": "sts:AssumeRole",
                        }
                    ],
                }
            ),
        )["Role"]["Arn"]

        queue = self.create("AWS::SQS::Queue", {"QueueName": "svc-jobs", "VisibilityTimeout": 30})
        self.assertEqual(queue, f"https://sqs.us-east-1.amazonaws.com/{ACCOUNT}/svc-jobs")
        queue_arn = f"arn:aws:sqs:us-east-1:{ACCOUNT}:svc-jobs"
        topic = self.create("AWS::SNS::Topic", {"TopicName": "svc-alarms", "DisplayName": "A"})
        stream = self.create(
            "AWS::Kinesis::Stream",
            {"Name": "svc-clicks", "ShardCount": 1, "RetentionPeriodHours": 24},
        )
        bus = self.create("AWS::Events::EventBus", {"Name": "svc-bus"})
        rule = self.create(
            "AWS::Events::Rule",
            {
                "Name": "svc-jobs",
                "EventBusName": bus,
                "EventPattern": {"source": ["svc"]},
                "Targets": [{"Id": "jobs", "Arn": queue_arn}],
            },
        )
        parameter = self.create(
            "AWS::SSM::Parameter", {"Name": "/svc/jobs-url", "Type": "String", "Value": queue}
        )
        definition = {
            "StartAt": "Notify",
            "States": {
                "Notify": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::sns:publish",
                    "Parameters": {"TopicArn": topic, "Message": "m"},
                    "End": True,
                }
            },
        }
        machine = self.create(
            "AWS::StepFunctions::StateMachine",
            {
                "StateMachineName": "svc-flow",
                "RoleArn": role,
                "DefinitionString": json.dumps(definition),
            },
        )

        # Created: each service's own API has them, with the desired values.
        attrs = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["All"])["Attributes"]
        self.assertEqual((attrs["QueueArn"], attrs["VisibilityTimeout"]), (queue_arn, "30"))
        self.assertEqual(sns.get_topic_attributes(TopicArn=topic)["Attributes"]["DisplayName"], "A")
        summary = kinesis.describe_stream_summary(StreamName=stream)["StreamDescriptionSummary"]
        self.assertEqual(summary["RetentionPeriodHours"], 24)
        self.assertEqual(events.describe_event_bus(Name=bus)["Name"], "svc-bus")
        self.assertEqual(rule, f"arn:aws:events:us-east-1:{ACCOUNT}:rule/svc-bus/svc-jobs")
        targets = events.list_targets_by_rule(Rule="svc-jobs", EventBusName=bus)["Targets"]
        self.assertEqual(targets, [{"Id": "jobs", "Arn": queue_arn}])
        self.assertEqual(ssm.get_parameter(Name=parameter)["Parameter"]["Value"], queue)
        described = sfn.describe_state_machine(stateMachineArn=machine)
        self.assertEqual(described["roleArn"], role)
        self.assertEqual(json.loads(described["definition"]), definition)

        # Updated in place: same identifiers, new values.
        def replace(path: str, value: Any) -> list[dict[str, Any]]:
            return [{"op": "replace", "path": path, "value": value}]

        other = f"arn:aws:sqs:us-east-1:{ACCOUNT}:svc-other"
        self.update("AWS::SQS::Queue", queue, replace("/VisibilityTimeout", 45))
        self.update("AWS::SNS::Topic", topic, replace("/DisplayName", "B"))
        self.update("AWS::Kinesis::Stream", stream, replace("/RetentionPeriodHours", 48))
        self.update("AWS::SSM::Parameter", parameter, replace("/Value", "v2"))
        self.update("AWS::Events::Rule", rule, replace("/Targets/0/Arn", other))
        attrs = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["VisibilityTimeout"])
        self.assertEqual(attrs["Attributes"]["VisibilityTimeout"], "45")
        self.assertEqual(sns.get_topic_attributes(TopicArn=topic)["Attributes"]["DisplayName"], "B")
        summary = kinesis.describe_stream_summary(StreamName=stream)["StreamDescriptionSummary"]
        self.assertEqual(summary["RetentionPeriodHours"], 48)
        self.assertEqual(ssm.get_parameter(Name=parameter)["Parameter"]["Value"], "v2")
        targets = events.list_targets_by_rule(Rule="svc-jobs", EventBusName=bus)["Targets"]
        self.assertEqual(targets, [{"Id": "jobs", "Arn": other}])

        # Deleted: gone from every service.
        for type_name, identifier in [
            ("AWS::StepFunctions::StateMachine", machine),
            ("AWS::SSM::Parameter", parameter),
            ("AWS::Events::Rule", rule),
            ("AWS::Events::EventBus", bus),
            ("AWS::Kinesis::Stream", stream),
            ("AWS::SNS::Topic", topic),
            ("AWS::SQS::Queue", queue),
        ]:
            self.delete(type_name, identifier)
        self.assertEqual(sqs.list_queues(QueueNamePrefix="svc-").get("QueueUrls", []), [])
        self.assertNotIn(topic, [t["TopicArn"] for t in sns.list_topics()["Topics"]])
        self.assertNotIn(stream, kinesis.list_streams()["StreamNames"])
        self.assertEqual(events.list_event_buses(NamePrefix="svc-")["EventBuses"], [])
        with self.assertRaises(ssm.exceptions.ParameterNotFound):
            ssm.get_parameter(Name=parameter)
        self.assertNotIn(
            machine, [m["stateMachineArn"] for m in sfn.list_state_machines()["stateMachines"]]
        )

    def test_values_of_another_json_type_than_the_schema_says_are_refused(self) -> None:
        # As AWS: Cloud Control validates the desired state with its JSON types as they are
        # (CloudFormation converts a template's "24" to the schema's integer; Cloud Control
        # does not), on create and on update.
        event = self.cc.create_resource(
            TypeName="AWS::Kinesis::Stream",
            DesiredState=json.dumps(
                {"Name": "svc-typed", "ShardCount": 1, "RetentionPeriodHours": "24"}
            ),
        )["ProgressEvent"]
        for _ in range(100):
            event = self.cc.get_resource_request_status(RequestToken=event["RequestToken"])[
                "ProgressEvent"
            ]
            if event["OperationStatus"] not in ("PENDING", "IN_PROGRESS"):
                break
        self.assertEqual(event["OperationStatus"], "FAILED", event)
        self.assertEqual(event["ErrorCode"], "InvalidRequest")
        self.assertEqual(
            event["StatusMessage"],
            "Model validation failed "
            "(#/RetentionPeriodHours: expected type: Integer, found: String)",
        )
        self.assertNotIn("svc-typed", self.emulator.client("kinesis").list_streams()["StreamNames"])

        # Nested values too (a tag's Value is a string), and booleans (FifoQueue).
        event = self.cc.create_resource(
            TypeName="AWS::SQS::Queue",
            DesiredState=json.dumps(
                {"QueueName": "svc-typed", "Tags": [{"Key": "n", "Value": 1}], "FifoQueue": "false"}
            ),
        )["ProgressEvent"]
        for _ in range(100):
            event = self.cc.get_resource_request_status(RequestToken=event["RequestToken"])[
                "ProgressEvent"
            ]
            if event["OperationStatus"] not in ("PENDING", "IN_PROGRESS"):
                break
        self.assertEqual(event["OperationStatus"], "FAILED", event)
        self.assertIn(
            "#/Tags/0/Value: expected type: String, found: Integer", event["StatusMessage"]
        )
        self.assertIn("#/FifoQueue: expected type: Boolean, found: String", event["StatusMessage"])

        # An update that sends a string for an integer fails and changes nothing.
        queue = self.create("AWS::SQS::Queue", {"QueueName": "svc-typed", "VisibilityTimeout": 30})
        event = self.cc.update_resource(
            TypeName="AWS::SQS::Queue",
            Identifier=queue,
            PatchDocument=json.dumps(
                [{"op": "replace", "path": "/VisibilityTimeout", "value": "45"}]
            ),
        )["ProgressEvent"]
        for _ in range(100):
            event = self.cc.get_resource_request_status(RequestToken=event["RequestToken"])[
                "ProgressEvent"
            ]
            if event["OperationStatus"] not in ("PENDING", "IN_PROGRESS"):
                break
        self.assertEqual(event["OperationStatus"], "FAILED", event)
        self.assertEqual(
            event["StatusMessage"],
            "Model validation failed (#/VisibilityTimeout: expected type: Integer, found: String)",
        )
        attrs = self.emulator.client("sqs").get_queue_attributes(
            QueueUrl=queue, AttributeNames=["VisibilityTimeout"]
        )["Attributes"]
        self.assertEqual(attrs["VisibilityTimeout"], "30")
        self.delete("AWS::SQS::Queue", queue)


if __name__ == "__main__":
    unittest.main()
