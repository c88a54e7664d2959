"""The messaging group's fidelity fixes (`emulator/fidelity_apps/messaging.py`), through SQS's
and SNS's APIs."""

import json
import unittest
import uuid

from .support import Emulator

POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage", "Resource": "*"}
    ],
}


class MessagingFidelityTest(unittest.TestCase):
    emulator: Emulator

    @classmethod
    def setUpClass(cls) -> None:
        cls.emulator = Emulator.via_server()
        cls.sqs = cls.emulator.client("sqs")
        cls.sns = cls.emulator.client("sns")

    @classmethod
    def tearDownClass(cls) -> None:
        cls.emulator.stop()

    def test_set_queue_attributes_changes_only_what_it_is_sent(self) -> None:  # fix 1
        url = self.sqs.create_queue(
            QueueName=f"q-{uuid.uuid4().hex[:8]}", Attributes={"Policy": json.dumps(POLICY)}
        )["QueueUrl"]
        self.sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "60"})
        attrs = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        self.assertEqual(attrs["VisibilityTimeout"], "60")
        self.assertEqual(json.loads(attrs["Policy"]), POLICY)
        # An empty Policy still removes it.
        self.sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": ""})
        attrs = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        self.assertNotIn("Policy", attrs)

    def test_redrive_allow_policy_is_returned(self) -> None:  # fix 2
        allow = {"redrivePermission": "denyAll"}
        url = self.sqs.create_queue(
            QueueName=f"dlq-{uuid.uuid4().hex[:8]}",
            Attributes={"RedriveAllowPolicy": json.dumps(allow)},
        )["QueueUrl"]
        for names in (["All"], ["RedriveAllowPolicy"], ["RedriveAllowPolicy", "QueueArn"]):
            attrs = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=names)
            self.assertEqual(json.loads(attrs["Attributes"]["RedriveAllowPolicy"]), allow, names)
        self.assertIn("QueueArn", attrs["Attributes"])
        self.sqs.set_queue_attributes(QueueUrl=url, Attributes={"RedriveAllowPolicy": ""})
        attrs = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        self.assertNotIn("RedriveAllowPolicy", attrs)

    def test_create_queue_of_an_existing_name_keeps_its_tags(self) -> None:  # fix 5
        name = f"t-{uuid.uuid4().hex[:8]}"
        url = self.sqs.create_queue(QueueName=name, tags={"owner": "a"})["QueueUrl"]
        with self.assertRaises(self.sqs.exceptions.QueueNameExists):
            self.sqs.create_queue(QueueName=name, tags={"owner": "b"})
        self.assertEqual(self.sqs.list_queue_tags(QueueUrl=url)["Tags"], {"owner": "a"})
        # The same tags, or none: the existing queue's URL.
        again = self.sqs.create_queue(QueueName=name, tags={"owner": "a"})["QueueUrl"]
        self.assertEqual(again, url)
        self.assertEqual(self.sqs.create_queue(QueueName=name)["QueueUrl"], url)

    def test_create_topic_of_an_existing_name_keeps_its_tags(self) -> None:  # fix 6
        name = f"t-{uuid.uuid4().hex[:8]}"
        tags = [{"Key": "owner", "Value": "a"}]
        arn = self.sns.create_topic(Name=name, Tags=tags)["TopicArn"]
        with self.assertRaises(self.sns.exceptions.InvalidParameterException) as raised:
            self.sns.create_topic(Name=name, Tags=[{"Key": "owner", "Value": "b"}])
        self.assertIn("already exists with different tags", str(raised.exception))
        self.assertEqual(self.sns.list_tags_for_resource(ResourceArn=arn)["Tags"], tags)
        self.assertEqual(self.sns.create_topic(Name=name, Tags=tags)["TopicArn"], arn)
        self.assertEqual(self.sns.create_topic(Name=name)["TopicArn"], arn)

    def test_get_topic_attributes_returns_what_was_set(self) -> None:  # fix 3
        arn = self.sns.create_topic(
            Name=f"t-{uuid.uuid4().hex[:8]}",
            Attributes={"TracingConfig": "Active", "SQSSuccessFeedbackSampleRate": "50"},
        )["TopicArn"]
        self.sns.set_topic_attributes(
            TopicArn=arn, AttributeName="SignatureVersion", AttributeValue="2"
        )
        self.sns.set_topic_attributes(
            TopicArn=arn, AttributeName="SQSSuccessFeedbackSampleRate", AttributeValue=""
        )
        attrs = self.sns.get_topic_attributes(TopicArn=arn)["Attributes"]
        self.assertEqual(attrs["TracingConfig"], "Active")
        self.assertEqual(attrs["SignatureVersion"], "2")
        self.assertNotIn("SQSSuccessFeedbackSampleRate", attrs)
        self.assertEqual(attrs["TopicArn"], arn)

    def test_data_protection_policies(self) -> None:  # fix 4
        policy = {"Name": "p", "Version": "2021-06-01", "Statement": []}
        arn = self.sns.create_topic(
            Name=f"d-{uuid.uuid4().hex[:8]}", DataProtectionPolicy=json.dumps(policy)
        )["TopicArn"]
        got = self.sns.get_data_protection_policy(ResourceArn=arn)["DataProtectionPolicy"]
        self.assertEqual(json.loads(got), policy)
        self.sns.put_data_protection_policy(ResourceArn=arn, DataProtectionPolicy="")
        self.assertNotIn(
            "DataProtectionPolicy", self.sns.get_data_protection_policy(ResourceArn=arn)
        )
        with self.assertRaises(self.sns.exceptions.NotFoundException):
            self.sns.get_data_protection_policy(ResourceArn=arn + "-missing")


if __name__ == "__main__":
    unittest.main()
