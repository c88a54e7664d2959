"""The data group's fidelity fixes (`emulator/fidelity_apps/data.py`), through S3's and
DynamoDB's APIs."""

import unittest
import urllib.request
import uuid

from .support import Emulator


class DataFidelityTest(unittest.TestCase):
    emulator: Emulator

    @classmethod
    def setUpClass(cls) -> None:
        cls.emulator = Emulator.via_server()
        cls.s3 = cls.emulator.client("s3")

    @classmethod
    def tearDownClass(cls) -> None:
        cls.emulator.stop()

    def test_create_bucket_sets_the_tags_of_its_configuration(self) -> None:  # fix 1
        name = f"tagged-{uuid.uuid4().hex[:12]}"
        self.s3.create_bucket(
            Bucket=name,
            CreateBucketConfiguration={
                "Tags": [{"Key": "team", "Value": "data"}, {"Key": "infra:stack", "Value": "s"}]
            },
        )
        tags = self.s3.get_bucket_tagging(Bucket=name)["TagSet"]
        self.assertEqual(
            sorted((t["Key"], t["Value"]) for t in tags),
            [("infra:stack", "s"), ("team", "data")],
        )
        # A create of a bucket that exists (us-east-1 answers 200) leaves its tags alone.
        self.s3.create_bucket(
            Bucket=name, CreateBucketConfiguration={"Tags": [{"Key": "other", "Value": "x"}]}
        )
        tags = self.s3.get_bucket_tagging(Bucket=name)["TagSet"]
        self.assertEqual(len(tags), 2, tags)
        # Without tags, a bucket has none.
        plain = f"plain-{uuid.uuid4().hex[:12]}"
        self.s3.create_bucket(Bucket=plain)
        with self.assertRaises(self.s3.exceptions.ClientError) as raised:
            self.s3.get_bucket_tagging(Bucket=plain)
        self.assertEqual(raised.exception.response["Error"]["Code"], "NoSuchTagSet")

    def test_versioning_and_acceleration_answer_with_aws_root_elements(self) -> None:  # fix 2
        name = f"roots-{uuid.uuid4().hex[:12]}"
        self.s3.create_bucket(Bucket=name)
        self.s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
        self.s3.put_bucket_accelerate_configuration(
            Bucket=name, AccelerateConfiguration={"Status": "Enabled"}
        )
        for query, root in [("versioning", "VersioningConfiguration"), ("accelerate", "AccelerateConfiguration")]:
            with urllib.request.urlopen(f"{self.emulator.endpoint}/{name}?{query}") as answer:
                body = answer.read().decode()
            self.assertRegex(body, rf"<{root}[ >]", body)
            self.assertIn("<Status>Enabled</Status>", body)
        self.assertEqual(self.s3.get_bucket_versioning(Bucket=name)["Status"], "Enabled")

    def test_notifications_to_eventbridge_are_reported(self) -> None:  # fix 3
        name = f"bridge-{uuid.uuid4().hex[:12]}"
        self.s3.create_bucket(Bucket=name)
        self.assertNotIn("EventBridgeConfiguration", self.s3.get_bucket_notification_configuration(Bucket=name))
        self.s3.put_bucket_notification_configuration(
            Bucket=name, NotificationConfiguration={"EventBridgeConfiguration": {}}
        )
        got = self.s3.get_bucket_notification_configuration(Bucket=name)
        self.assertEqual(got.get("EventBridgeConfiguration"), {}, got)
        self.s3.put_bucket_notification_configuration(Bucket=name, NotificationConfiguration={})
        self.assertNotIn("EventBridgeConfiguration", self.s3.get_bucket_notification_configuration(Bucket=name))

    def test_a_table_keeps_its_class_on_demand_maximum_and_encryption(self) -> None:  # fix 4
        ddb = self.emulator.client("dynamodb")
        name = f"settings-{uuid.uuid4().hex[:12]}"
        ddb.create_table(
            TableName=name,
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            BillingMode="PAY_PER_REQUEST",
            TableClass="STANDARD_INFREQUENT_ACCESS",
            OnDemandThroughput={"MaxReadRequestUnits": 100, "MaxWriteRequestUnits": 50},
        )
        table = ddb.describe_table(TableName=name)["Table"]
        self.assertEqual(table["TableClassSummary"]["TableClass"], "STANDARD_INFREQUENT_ACCESS")
        self.assertEqual(table["OnDemandThroughput"]["MaxReadRequestUnits"], 100)
        self.assertNotIn("SSEDescription", table)
        ddb.update_table(TableName=name, TableClass="STANDARD")
        ddb.update_table(TableName=name, SSESpecification={"Enabled": True})
        table = ddb.describe_table(TableName=name)["Table"]
        self.assertEqual(table["TableClassSummary"]["TableClass"], "STANDARD")
        self.assertEqual(table["SSEDescription"]["Status"], "ENABLED")
        ddb.update_table(TableName=name, SSESpecification={"Enabled": False})
        self.assertNotIn("SSEDescription", ddb.describe_table(TableName=name)["Table"])

    def test_a_deleted_index_takes_its_attribute_definition(self) -> None:  # fix 5
        ddb = self.emulator.client("dynamodb")
        name = f"indexed-{uuid.uuid4().hex[:12]}"
        ddb.create_table(
            TableName=name,
            AttributeDefinitions=[
                {"AttributeName": "id", "AttributeType": "S"},
                {"AttributeName": "day", "AttributeType": "S"},
            ],
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            BillingMode="PAY_PER_REQUEST",
            GlobalSecondaryIndexes=[
                {
                    "IndexName": "by-day",
                    "KeySchema": [{"AttributeName": "day", "KeyType": "HASH"}],
                    "Projection": {"ProjectionType": "KEYS_ONLY"},
                }
            ],
        )
        ddb.update_table(
            TableName=name, GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "by-day"}}]
        )
        table = ddb.describe_table(TableName=name)["Table"]
        self.assertEqual(table["AttributeDefinitions"], [{"AttributeName": "id", "AttributeType": "S"}])


if __name__ == "__main__":
    unittest.main()
