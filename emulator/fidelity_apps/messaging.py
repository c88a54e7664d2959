"""Fidelity fixes of the messaging group (Amazon SQS, Amazon SNS), in the form of
`emulator/fidelity.py`.

1. SQS `SetQueueAttributes` changes the attributes it is sent and no other: "Sets the value of
   one or more queue attributes"
   (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html).
   moto reset the queue's `Policy` whenever a call did not send one, so changing a queue's
   visibility timeout dropped the policy that lets a topic send to it.

2. SQS `GetQueueAttributes` returns `RedriveAllowPolicy`, asked for by name or with `All`: the
   attribute is listed among those the call returns
   (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueAttributes.html,
   "RedriveAllowPolicy – The string that includes the parameters for the permissions for the
   dead-letter queue redrive permission"). moto kept the value `CreateQueue` and
   `SetQueueAttributes` were sent but never returned it, and refused the name
   (`InvalidAttributeName`). An empty value removes it, as for `RedrivePolicy`.

3. SNS `GetTopicAttributes` returns the topic attributes `CreateTopic` and `SetTopicAttributes`
   set: `SignatureVersion`, `TracingConfig`, `ArchivePolicy`, `FifoThroughputScope` and the
   delivery status attributes (`<Protocol>SuccessFeedbackRoleArn`,
   `<Protocol>SuccessFeedbackSampleRate`, `<Protocol>FailureFeedbackRoleArn`), as the call's
   reference lists them
   (https://docs.aws.amazon.com/sns/latest/api/API_GetTopicAttributes.html). moto kept them and
   returned a fixed few (`DisplayName`, `Policy`, `DeliveryPolicy`, ...). An attribute set to
   an empty value is not returned.

4. SNS data protection policies: `CreateTopic`'s `DataProtectionPolicy`
   (https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html),
   `PutDataProtectionPolicy` and `GetDataProtectionPolicy`
   (https://docs.aws.amazon.com/sns/latest/api/API_PutDataProtectionPolicy.html,
   https://docs.aws.amazon.com/sns/latest/api/API_GetDataProtectionPolicy.html). moto ignored
   the parameter and answered the two calls "not implemented". A topic that does not exist is
   `NotFound`, as for its other calls.

5. SQS `CreateQueue` of a name that exists, sent with tags other than the queue's, fails with
   `QueueAlreadyExists` (`QueueNameExists`) and leaves the queue as it is. The API reference
   documents the error for attributes that differ
   (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html#API_CreateQueue_Errors);
   for tags it is AWS's observed answer, which AWS's own SQS temporary queues client works
   around ("Remove tagging inside of CreateQueueRequest to avoid QueueNameExistsException",
   https://github.com/awslabs/amazon-sqs-java-temporary-queues-client/pull/70). moto answered
   the existing queue and replaced its tags with those sent, so a queue of another owner looked
   like this create's.

6. SNS `CreateTopic` of a name the account has, sent with tags other than the topic's, fails
   with `InvalidParameter` ("Invalid parameter: Tags Reason: Topic already exists with
   different tags") and leaves the topic as it is. `CreateTopic` "is idempotent, so if the
   requester already owns a topic with the specified name, that topic's ARN is returned"
   (https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html) for the same request; the
   answer to other tags is AWS's observed one (reported against another emulator in
   https://github.com/localstack/localstack/issues/2405). moto answered the existing topic
   whatever the tags, so a topic of another owner looked like this create's.
"""

from collections.abc import Callable
from typing import Any


def _patch_sqs_attributes() -> None:
    from moto.sqs.models import Queue, SQSBackend

    set_attributes = Queue._set_attributes

    def _set_attributes(self: Any, attributes: dict[str, Any], now: Any = None) -> None:
        # Fix 1: a call that does not name Policy leaves it alone.
        kept = getattr(self, "_policy_json", None)
        set_attributes(self, attributes, now)
        if "Policy" not in attributes and kept is not None:
            self._policy_json = kept

    Queue._set_attributes = _set_attributes

    queue_attributes = Queue.attributes

    def attributes(self: Any) -> dict[str, Any]:
        # Fix 2: RedriveAllowPolicy, when set.
        result = queue_attributes.fget(self)
        allow = getattr(self, "redrive_allow_policy", None)
        if allow:
            result["RedriveAllowPolicy"] = allow
        return result

    Queue.attributes = property(attributes)

    get_queue_attributes = SQSBackend.get_queue_attributes

    def get_by_name(self: Any, queue_name: str, attribute_names: list[str]) -> dict[str, Any]:
        names = [n for n in attribute_names if n != "RedriveAllowPolicy"]
        if len(names) == len(attribute_names):
            return get_queue_attributes(self, queue_name, attribute_names)
        result = get_queue_attributes(self, queue_name, names) if names else {}
        allow = self.get_queue(queue_name).attributes.get("RedriveAllowPolicy")
        if allow:
            result["RedriveAllowPolicy"] = allow
        return result

    SQSBackend.get_queue_attributes = get_by_name

    create_queue = SQSBackend.create_queue

    def create(self: Any, name: str, tags: Any = None, **kwargs: Any) -> Any:
        # Fix 5: other tags for an existing queue are refused, the queue left alone.
        from moto.sqs.exceptions import QueueAlreadyExists

        existing = self.queues.get(name)
        if existing is not None and tags and tags != existing.tags:
            raise QueueAlreadyExists("The specified queue already exists.")
        return create_queue(self, name, tags, **kwargs)

    SQSBackend.create_queue = create


def _patch_sns_topic_attributes() -> None:
    from moto.sns.responses import SNSResponse

    def recorded(response: Any, arn: str) -> dict[str, str]:
        topic = response.backend.get_topic(arn)
        if not hasattr(topic, "_given_attributes"):
            topic._given_attributes = {}
        return topic._given_attributes

    create_topic = SNSResponse.create_topic

    def create(self: Any) -> Any:
        result = create_topic(self)
        arn = result.result["TopicArn"]
        given = self._get_param("Attributes", {}) or {}
        record = recorded(self, arn)
        for name, value in given.items():
            record.setdefault(name, str(value))
        policy = self._get_param("DataProtectionPolicy")  # fix 4
        if policy and not hasattr(self.backend.get_topic(arn), "_data_protection_policy"):
            self.backend.get_topic(arn)._data_protection_policy = policy
        return result

    set_topic_attributes = SNSResponse.set_topic_attributes

    def set_attribute(self: Any) -> Any:
        result = set_topic_attributes(self)
        name = self._get_param("AttributeName")
        recorded(self, self._get_param("TopicArn"))[name] = self._get_param("AttributeValue")
        return result

    get_topic_attributes = SNSResponse.get_topic_attributes

    def get(self: Any) -> Any:
        result = get_topic_attributes(self)
        answer = result.result["Attributes"]
        for name, value in recorded(self, self._get_param("TopicArn")).items():
            if name in answer or name in ("Policy", "DisplayName", "DeliveryPolicy"):
                continue
            if value not in ("", None):
                answer[name] = value
        return result

    def put_data_protection_policy(self: Any) -> Any:
        from moto.core.responses import EmptyResult

        topic = self.backend.get_topic(self._get_param("ResourceArn"))
        topic._data_protection_policy = self._get_param("DataProtectionPolicy") or ""
        return EmptyResult()

    def get_data_protection_policy(self: Any) -> Any:
        from moto.core.responses import ActionResult

        topic = self.backend.get_topic(self._get_param("ResourceArn"))
        policy = getattr(topic, "_data_protection_policy", "")
        return ActionResult({"DataProtectionPolicy": policy} if policy else {})

    SNSResponse.create_topic = create

    from moto.sns.exceptions import InvalidParameterValue
    from moto.sns.models import SNSBackend

    backend_create_topic = SNSBackend.create_topic

    def create_topic_once(self: Any, name: str, attributes: Any = None, tags: Any = None) -> Any:
        # Fix 6: an existing topic answers only a create with its own tags.
        existing = [t for t in self.topics.values() if t.name == name]
        if existing and tags and tags != existing[0]._tags:
            raise InvalidParameterValue(
                "Invalid parameter: Tags Reason: Topic already exists with different tags"
            )
        return backend_create_topic(self, name, attributes, tags)

    SNSBackend.create_topic = create_topic_once
    SNSResponse.set_topic_attributes = set_attribute
    SNSResponse.get_topic_attributes = get
    SNSResponse.put_data_protection_policy = put_data_protection_policy
    SNSResponse.get_data_protection_policy = get_data_protection_policy


#: (moto module, fix) pairs.
FIXES: list[tuple[str, Callable[[], None]]] = [
    ("moto.sqs.models", _patch_sqs_attributes),
    ("moto.sns.responses", _patch_sns_topic_attributes),
]
