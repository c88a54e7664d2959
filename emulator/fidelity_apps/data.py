"""Fidelity fixes of the data group (Amazon S3, Amazon DynamoDB), in the form of
`emulator/fidelity.py`.

1. `CreateBucket` tags the bucket it creates with `CreateBucketConfiguration.Tags`: "An array
   of tags that you can apply to the bucket that you're creating"
   (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html#API_CreateBucket_RequestSyntax,
   https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucketConfiguration.html), which
   `GetBucketTagging` then returns. moto read only `LocationConstraint` from the configuration
   and made the bucket without tags. A bucket that already existed (us-east-1 answers 200 to a
   create of a bucket the account owns) keeps its tags.

2. `GetBucketVersioning` and `GetBucketAccelerateConfiguration` answer with the root elements
   AWS documents, `<VersioningConfiguration>` and `<AccelerateConfiguration>`
   (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketVersioning.html#API_GetBucketVersioning_ResponseSyntax,
   https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketAccelerateConfiguration.html#API_GetBucketAccelerateConfiguration_ResponseSyntax).
   moto wrapped them in `<GetBucketVersioningResponse>` and
   `<GetBucketAccelerateConfigurationResponse>`, which SDKs that check the root (the Rust SDK)
   refuse.

3. `GetBucketNotificationConfiguration` answers `<EventBridgeConfiguration/>` for a bucket that
   sends its events to Amazon EventBridge
   (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketNotificationConfiguration.html#API_GetBucketNotificationConfiguration_ResponseSyntax,
   https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-event-notifications-eventbridge.html).
   moto stored the setting (and sent the events) but left it out of the answer.

4. DynamoDB keeps a table's `TableClass` and `OnDemandThroughput` from `CreateTable` and
   `UpdateTable`, and `DescribeTable` reports them in `TableClassSummary.TableClass` and
   `OnDemandThroughput`; `UpdateTable` changes the table's encryption with
   `SSESpecification` (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html,
   https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTable.html,
   https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TableDescription.html).
   moto ignored all three (every table read as `STANDARD`, without an on-demand maximum, with
   the encryption it was created with).

5. A table's `AttributeDefinitions` are the attributes of its and its indexes' key schemas
   ("Each of these objects describes one attribute in the table and index key schema",
   https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TableDescription.html):
   the definition of an attribute only a deleted global secondary index used goes with it.
   moto kept every definition it was ever sent.
"""

import re
from collections.abc import Callable
from typing import Any


def _patch_create_bucket_tags() -> None:
    import xmltodict
    from moto.s3.responses import S3Response

    original = S3Response._bucket_response_put

    def _bucket_response_put(
        self: Any, request: Any, bucket_name: str, querystring: dict[str, Any]
    ) -> Any:
        creating = not querystring and bucket_name not in self.backend.buckets
        result = original(self, request, bucket_name, querystring)
        if not creating or not self.body or bucket_name not in self.backend.buckets:
            return result
        try:
            configuration = xmltodict.parse(self.body).get("CreateBucketConfiguration") or {}
        except Exception:  # not XML: moto answered it already
            return result
        tags = (configuration.get("Tags") or {}).get("Tag") or []
        if isinstance(tags, dict):
            tags = [tags]
        if tags:
            self.backend.put_bucket_tagging(
                bucket_name, {t["Key"]: t.get("Value") or "" for t in tags}
            )
        return result

    S3Response._bucket_response_put = _bucket_response_put


#: The root element AWS documents for the answers moto wraps in `<{Operation}Response>`.
_ROOTS = {
    "get_bucket_versioning": ("GetBucketVersioningResponse", "VersioningConfiguration"),
    "get_bucket_accelerate_configuration": (
        "GetBucketAccelerateConfigurationResponse",
        "AccelerateConfiguration",
    ),
}


def _patch_s3_answer_roots() -> None:
    from moto.s3.responses import S3Response

    def renaming(method: str, wrong: str, right: str) -> Callable[..., Any]:
        original = getattr(S3Response, method)

        def answer(self: Any, *args: Any, **kwargs: Any) -> Any:
            result = original(self, *args, **kwargs)
            if not isinstance(result, tuple) or len(result) != 3:
                return result
            status, headers, body = result
            if isinstance(body, bytes):
                body = body.replace(wrong.encode(), right.encode())
            elif isinstance(body, str):
                body = body.replace(wrong, right)
            return status, headers, body

        return answer

    for method, (wrong, right) in _ROOTS.items():
        setattr(S3Response, method, renaming(method, wrong, right))


def _patch_notification_event_bridge() -> None:
    from moto.s3.responses import S3Response

    original = S3Response.get_bucket_notification

    def get_bucket_notification(self: Any) -> Any:
        result = original(self)
        configuration = self.backend.get_bucket_notification_configuration(self.bucket_name)
        if getattr(configuration, "event_bridge", None) is None:
            return result
        status, headers, body = result
        text = body.decode() if isinstance(body, bytes) else str(body)
        if "<EventBridgeConfiguration" not in text:
            bridge = "<EventBridgeConfiguration></EventBridgeConfiguration>"
            end = "</NotificationConfiguration>"
            empty = re.compile(r"<NotificationConfiguration([^>]*?)/>")
            if empty.search(text):  # moto's answer when EventBridge is all there is
                text = empty.sub(rf"<NotificationConfiguration\1>{bridge}{end}", text)
            else:
                text = text.replace(end, bridge + end, 1)
        return status, headers, text.encode() if isinstance(body, bytes) else text

    S3Response.get_bucket_notification = get_bucket_notification


def _patch_dynamodb_table_settings() -> None:
    from moto.dynamodb.models.table import Table
    from moto.dynamodb.responses import DynamoHandler, DynamoResult

    describe = Table.describe

    def described(self: Any, base_key: str = "TableDescription") -> dict[str, Any]:
        result = describe(self, base_key)
        table_class = getattr(self, "fidelity_table_class", None)
        if table_class:
            result[base_key]["TableClassSummary"] = {"TableClass": table_class}
        on_demand = getattr(self, "fidelity_on_demand", None)
        if on_demand:
            result[base_key]["OnDemandThroughput"] = on_demand
        return result

    def remembering(original: Callable[..., Any], updating: bool) -> Callable[..., Any]:
        def handler(self: Any) -> Any:
            result = original(self)
            body = self.body
            table = self.dynamodb_backend.get_table(body["TableName"])
            if "TableClass" in body:
                table.fidelity_table_class = body["TableClass"]
            if "OnDemandThroughput" in body:
                table.fidelity_on_demand = body["OnDemandThroughput"]
            sse = body.get("SSESpecification")
            if updating and sse is not None:
                sse = dict(sse)
                if sse.get("Enabled") and "KMSMasterKeyId" not in sse:
                    sse["KMSMasterKeyId"] = table._get_default_encryption_key(
                        table.account_id, table.region_name
                    )
                table.sse_specification = sse
            if updating:  # fix 5
                keys = [table.schema, *(i.schema for i in table.global_indexes)]
                keys += [i.schema for i in table.indexes]
                used = {k["AttributeName"] for schema in keys for k in schema}
                table.attr = [a for a in table.attr if a["AttributeName"] in used]
            return DynamoResult(table.describe())

        return handler

    Table.describe = described
    DynamoHandler.create_table = remembering(DynamoHandler.create_table, False)
    DynamoHandler.update_table = remembering(DynamoHandler.update_table, True)


#: (moto module, fix) pairs.
FIXES: list[tuple[str, Callable[[], None]]] = [
    ("moto.s3.responses", _patch_create_bucket_tags),
    ("moto.s3.responses", _patch_s3_answer_roots),
    ("moto.s3.responses", _patch_notification_event_bridge),
    ("moto.dynamodb.responses", _patch_dynamodb_table_settings),
]
