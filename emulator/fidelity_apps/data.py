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


#: (moto module, fix) pairs.
FIXES: list[tuple[str, Callable[[], None]]] = [
    ("moto.s3.responses", _patch_create_bucket_tags),
    ("moto.s3.responses", _patch_s3_answer_roots),
    ("moto.s3.responses", _patch_notification_event_bridge),
]
