"""The AWS Cloud Control API for the test emulator, built on moto's CloudFormation models.

moto has no Cloud Control API. This package serves one in the emulator's process
(`emulator/server.py`): a WSGI middleware (`CloudControlMiddleware`) takes the requests whose
`X-Amz-Target` starts with `CloudApiService.` (Cloud Control is awsJson1_0,
https://docs.aws.amazon.com/cloudcontrolapi/latest/APIReference/Welcome.html) and hands every
other request to moto. Resources are made, changed and deleted with moto's own CloudFormation
resource models (`moto.cloudformation.parsing.get_model_map()`:
`create_from_cloudformation_json`, `update_from_cloudformation_json`,
`delete_from_cloudformation_json`/`delete`, `get_cfn_attribute`, `physical_resource_id`), so
a resource made through Cloud Control is visible to its service's own API (an `AWS::EC2::VPC`
made with `CreateResource` is in EC2 `DescribeVpcs`). Those models are imported on the first
Cloud Control request (about 1.1 s and 150 MB); until then the emulator starts and runs as
moto alone. Type facts (which types exist, their handlers, primary identifier, required,
read-only, write-only and create-only properties) come from the provider schemas in the pinned
cfn-lint (`schemas.py`).

Operations: CreateResource, GetResource, UpdateResource, DeleteResource, ListResources,
GetResourceRequestStatus, ListResourceRequests, CancelResourceRequest.

Requests and ProgressEvents
---------------------------
(https://docs.aws.amazon.com/cloudcontrolapi/latest/APIReference/API_ProgressEvent.html)

- Create, update and delete answer a ProgressEvent with `OperationStatus: IN_PROGRESS`. The
  first `GetResourceRequestStatus` of a request answers `IN_PROGRESS` too, with `RetryAfter`;
  the next one answers the final status, `SUCCESS` or `FAILED` (`ErrorCode` and
  `StatusMessage`). A request not polled is final anyway `settle_seconds` (2 s) after it was
  made, so a client that crashed and comes back later finds it finished.
- Events carry `TypeName`, `RequestToken`, `Operation`, `OperationStatus`, `EventTime` (when
  the request was made), `Identifier` as soon as it is known (CREATE: in the first answer when
  the desired state names the resource, else from the first poll on; UPDATE/DELETE: always),
  `RetryAfter` while in progress, and `ResourceModel` (the properties `GetResource` would
  answer) on a successful create or update.
- `ClientToken`: the same token again (same account and region) with the same request returns
  the first request's ProgressEvent as it now stands (same `RequestToken`), and nothing is done
  a second time; with a different request it is `ClientTokenConflictException`. A token is
  kept 36 hours, a request 7 days (then `RequestTokenNotFoundException`), as AWS documents
  (https://docs.aws.amazon.com/cloudcontrolapi/latest/userguide/resource-operations.html#resource-operations-idempotency,
  https://docs.aws.amazon.com/cloudcontrolapi/latest/userguide/resource-operations-manage-requests.html).
- A create, update or delete of a resource with a request still in progress is
  `ConcurrentOperationException`.
- `CancelResourceRequest` of a request in progress answers `CANCEL_IN_PROGRESS`, then
  `CANCEL_COMPLETE`; of a finished one, `ConcurrentModificationException`.

Types
-----
- A type AWS's registry does not have in the request's region: `TypeNotFoundException`. A
  type without the handler an operation needs (`AWS::AppMesh::Mesh` has none):
  `UnsupportedActionException` ("Resource type X does not support CREATE action"). Both
  synchronous, as on AWS.
- A type AWS has but moto has no CloudFormation model for (`AWS::Bedrock::Agent`): the create
  is accepted and ends `FAILED` with `ErrorCode: InvalidRequest` and a `StatusMessage` naming
  the type ("... is not supported by this emulator: moto 5.2.5 has no CloudFormation model for
  it"). `InvalidRequest`, not `UnsupportedAction`: Cloud Control's HandlerErrorCode has no
  `UnsupportedAction`. `GetResource` of such a type is `ResourceNotFoundException`,
  `ListResources` is empty, updates and deletes end `FAILED` with `NotFound`.

Identifiers
-----------
Cloud Control's identifier is the primary identifier of the type's schema, the values of a
composite one joined with `|` (https://docs.aws.amazon.com/cloudcontrolapi/latest/userguide/resource-identifier.html);
an identifier given as a JSON object of the primary identifier's properties is accepted too.
It is moto's `physical_resource_id` where that is the primary identifier, which holds for the
types tests use (VPC, subnet and security group ids, log group, table, bucket, parameter,
stream and state machine names or ARNs, queue URLs, topic ARNs), with these exceptions:

- A primary identifier property the desired state gives (a name) is taken from it.
- `AWS::Events::Rule`: the rule's ARN (moto's physical id is the rule's name).
- `AWS::IoT::Policy`: the policy name (moto's model has no physical id, and answers `Id` as
  NAME_VERSION, which would change with every update).
- An `...Arn` primary identifier whose physical id is not an ARN: the model's attribute of that
  name. Further parts of a composite identifier the desired state does not give: the model's
  attribute of that name (best effort: moto's attributes do not cover every composite type).
- `AWS::SQS::Queue`: the URL is AWS's (`https://sqs.REGION.amazonaws.com/ACCOUNT/NAME`), as
  moto's physical id; the emulator's own SQS API answers queue URLs on its own host. Either
  form finds the queue.

Reading: GetResource and ListResources
--------------------------------------
`GetResource` answers `ResourceDescription{Identifier, Properties}` (a JSON string), without
write-only properties, as AWS never returns them. For the types in `readers.py` (AWS::EC2::VPC,
AWS::EC2::Subnet, AWS::EC2::SecurityGroup, AWS::Logs::LogGroup, AWS::SQS::Queue,
AWS::SNS::Topic, AWS::SSM::Parameter, AWS::S3::Bucket, AWS::DynamoDB::Table,
AWS::Events::Rule) the properties are read from the live moto object, so a change made
through the service's own API shows (drift), a resource deleted through its own API is not
found, and resources made outside Cloud Control are found and listed. For every other type
the answer is the desired state stored at the last successful create or update, plus the
read-only properties moto's model answers through `get_cfn_attribute` (an ARN, an id): a
change made outside Cloud Control does not show, and a resource deleted outside it is still
found. `ListResources` answers every resource of the type with its properties, in one page
(`NextToken` is never set; `ResourceModel` filters are ignored); for types without a reader
it lists only resources made through Cloud Control.

Writing: CreateResource, UpdateResource, DeleteResource
-------------------------------------------------------
- Create: the desired state is checked against the schema's required properties and, when the
  schema allows no others, its property names ("Model validation failed (#: required key [X]
  not found)", "... extraneous key [X] is not permitted": `InvalidRequest`), and the JSON
  types of its values, nested ones included ("Model validation failed
  (#/RetentionPeriodHours: expected type: Integer, found: String)"): Cloud Control takes the
  desired state's types as they are, where CloudFormation would convert a template's `"24"`
  to the schema's integer. An update checks the types of the properties it changes. A
  desired state naming a resource that already exists ends `AlreadyExists`. A name the desired state leaves
  out is generated as moto's CloudFormation does for a stack named `CloudControl`
  (`CloudControl-Queue-1A2B3C4D5E6F`; lower case for buckets; `.fifo` added for FIFO queues
  and topics). moto's model gets a copy of the desired state with the schema's defaults of
  the properties it leaves out. `readers.py` lists what the emulator adds where moto's model
  drops a property.
- Update: the `PatchDocument` (RFC 6902: add, remove, replace, test, move, copy; `patch.py`) is
  applied to the resource's current properties as `GetResource` answers them
  (https://docs.aws.amazon.com/cloudcontrolapi/latest/userguide/resource-operations-update.html).
  A malformed patch is `InvalidRequestException`; a patch that does not apply (missing path,
  failed `test`) ends `InvalidRequest`. Changing a create-only property ends `NotUpdatable`
  ("Invalid patch update: createOnlyProperties [/properties/X] cannot be updated"); changing a
  read-only one ends `InvalidRequest`. A write-only property not re-sent in the patch is
  dropped, as on AWS. The result goes to the type's updater in `readers.py`, else to moto's
  `update_from_cloudformation_json`. Several moto models update by deleting the resource and
  making it anew under the same name, so with the same identifier (SSM parameters and
  documents, event buses and rules; `readers.py` updates security groups and SNS topics in
  place instead); the emulator does what the model does. A type whose moto model has no
  update (and no updater in `readers.py`) ends `InvalidRequest` ("This emulator cannot update
  X"); the emulator never replaces a resource on its own. An updater ends `InvalidRequest`
  naming any property it cannot change.
- Delete: as moto deletes a stack's resource (the model's `delete`, else the class's
  `delete_from_cloudformation_json`). An identifier that names no resource is accepted and the
  request ends `FAILED` with `ErrorCode: NotFound` ("Resource of type 'X' with identifier 'Y'
  was not found."), as on AWS: the handler contract has a delete handler fail with `NotFound`
  when the resource does not exist
  (https://docs.aws.amazon.com/cloudformation-cli/latest/userguide/resource-type-test-contract.html,
  https://docs.aws.amazon.com/cloudformation-cli/latest/userguide/resource-type-test-contract-errors.html),
  and Cloud Control reports a handler's failure in the request's ProgressEvent (a
  DeleteResource of a missing resource, answered that way through GetResourceRequestStatus:
  https://github.com/aws-cloudformation/cloudformation-coverage-roadmap/issues/2133).
  `GetResource` of a missing resource is the synchronous `ResourceNotFoundException`.
- What moto raises while doing the work ends the request `FAILED`: `AlreadyExists`,
  `NotFound`, `ResourceConflict` (dependency violations, in use), `ServiceLimitExceeded` by the
  error's code, `InvalidRequest` for any other moto service error, `InternalFailure` for a
  failure of moto's model itself (a bug; the message names the Python exception).

Fault injection and settings
----------------------------
`POST /infra-emulator/faults` with a JSON object (or a list of them) adds faults:

    {"operation": "CreateResource", "type": "AWS::EC2::VPC", "error": "Throttling", "times": 1}

- `error`: a Cloud Control HandlerErrorCode (`Throttling`, `NotStabilized`,
  `ServiceInternalError`, `NetworkFailure`, `InternalFailure`, `NotFound`, ...). Required.
- `operation`: the Cloud Control operation it hits, or `"*"` (default).
- `type`: the resource type it hits, or `"*"` (default).
- `when`: `"event"` (default): the request is accepted as usual and ends `FAILED` with that
  `ErrorCode`, asynchronously, as Cloud Control reports a handler's failure; for
  CreateResource, UpdateResource, DeleteResource. `"call"`: the API call itself is refused
  with the matching exception (`ThrottlingException`, HTTP 400;
  `ServiceInternalErrorException`, HTTP 500; ...); for any operation, GetResourceRequestStatus
  included.
- `times`: how many requests it hits (default 1; unlimited when `probability` is given and
  `times` is not). `probability`: the chance (0 to 1) that a matching request is hit (default
  1); draws use the `seed` setting.
- `applied`: for event faults, whether the operation is carried out before the request fails
  (default false: nothing is created, changed or deleted). `true` models a `NotStabilized`
  after which the resource exists.
- `message`: the `StatusMessage`/exception message (default "ERROR (injected by the emulator)").

`GET /infra-emulator/faults` lists the faults with what is left of them; `DELETE
/infra-emulator/faults` clears them. `GET`/`POST /infra-emulator/config` reads/changes the
settings: `in_progress_polls` (1), `settle_seconds` (2.0), `retry_after_seconds` (0.1),
`client_token_ttl_seconds` (129600), `request_ttl_seconds` (604800), `seed` (null).
`POST /moto-api/reset` (moto's reset) and `POST /infra-emulator/reset` forget every request,
client token, stored resource and fault; the settings stay.

Where the emulator differs from AWS
-----------------------------------
- The work is done when the request is accepted; only the reported status goes through
  `IN_PROGRESS` (never `PENDING`). A resource is therefore visible through its service's API
  while its request still says `IN_PROGRESS`, as it often is on AWS too; a cancelled request has
  done its work (AWS does not roll back a cancelled request either).
- Status timing is by polls (and `settle_seconds`), not by the resource's real progress;
  `RetryAfter` is `retry_after_seconds` after the answer.
- Resources whose type has no reader in `readers.py` answer from the stored desired state
  (above), and are listed only when made through Cloud Control.
- Schema validation covers required and unknown top-level properties and JSON types
  (through `properties`, `patternProperties`, `items` and `$ref`; not `oneOf`/`anyOf`/`allOf`,
  patterns, enums, lengths or ranges); moto's model may refuse more, or less, than AWS.
- `ListResources` is one page and ignores `ResourceModel`; `TypeVersionId`, `RoleArn` and
  Hooks are ignored (no `HooksProgressEvent`).
- Types moto has no CloudFormation model for cannot be provisioned (`InvalidRequest`, above).
- Updates of properties moto's model (or the updater in `readers.py`) cannot change end
  `InvalidRequest`, and moto's updates of some types delete and re-create the resource
  (above); `AWS::IoT::Thing`'s moto model fails on an `AttributePayload` object (create and
  update end `InternalFailure`).
- Identifiers follow moto's physical ids with the exceptions listed above.
- Generated names follow moto's CloudFormation scheme, not each handler's own.
- Error messages are modelled on AWS's but not copied from every handler.
"""

from .api import CloudControlMiddleware

__all__ = ["CloudControlMiddleware"]
