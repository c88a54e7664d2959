"""The Cloud Control operations, on moto's CloudFormation resource models.

Imported on the first Cloud Control request only (it imports `moto.cloudformation.parsing`,
which imports every service's models). The behaviour, and where it differs from AWS, is
documented in the package doc (`cloudcontrol/__init__.py`).
"""

import json
import os
import re
import time
from typing import Any

import moto
import moto.cloudformation.parsing as parsing

from . import patch as json_patch
from . import readers, schemas
from .api import (
    CALL_EXCEPTIONS,
    ApiError,
    Failed,
    Record,
    Request,
    State,
    credentials,
    parse_json_object,
)
from .readers import Ctx

TYPE_NAME = re.compile(r"^[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}$")


def not_found(type_name: str, identifier: str) -> str:
    return f"Resource of type '{type_name}' with identifier '{identifier}' was not found."


def _json_safe(value: Any) -> bool:
    try:
        json.dumps(value)
        return True
    except (TypeError, ValueError):
        return False


class Engine:
    def __init__(self, state: State):
        self.state = state
        self.models = parsing.get_model_map()

    def reset(self) -> None:
        """Nothing beyond `State.reset()`: moto's own reset empties the backends."""

    # dispatch ------------------------------------------------------------------------------

    def handle(self, operation: str, params: dict[str, Any], environ: dict[str, Any]) -> Any:
        handler = getattr(self, f"op_{operation}", None)
        if handler is None:
            raise ApiError("UnknownOperationException", f"Unknown operation {operation}")
        access_key, region = credentials(environ)
        ctx = Ctx(self._account(environ, access_key), region)
        with self.state.lock:
            self._call_fault(operation, params.get("TypeName"))
            return handler(ctx, params)

    @staticmethod
    def _account(environ: dict[str, Any], access_key: str) -> str:
        # As moto decides the account of any request (moto/core/responses.py).
        if "MOTO_ACCOUNT_ID" in os.environ:
            return os.environ["MOTO_ACCOUNT_ID"]
        if environ.get("HTTP_X_MOTO_ACCOUNT_ID"):
            return environ["HTTP_X_MOTO_ACCOUNT_ID"]
        from moto.iam.models import get_account_id_from

        return get_account_id_from(access_key)

    # faults --------------------------------------------------------------------------------

    def _call_fault(self, operation: str, type_name: str | None) -> None:
        for fault in self.state.faults:
            if fault.matches(operation, type_name, "call"):
                fault.fire()
                code, status = CALL_EXCEPTIONS[fault.error]
                raise ApiError(code, _fault_message(fault), status)

    def _event_fault(self, operation: str, type_name: str) -> Any:
        for fault in self.state.faults:
            if fault.matches(operation, type_name, "event"):
                fault.fire()
                return fault
        return None

    # shared steps --------------------------------------------------------------------------

    @staticmethod
    def _required(params: dict[str, Any], name: str) -> Any:
        value = params.get(name)
        if value is None or value == "":
            raise ApiError(
                "ValidationException", f"1 validation error detected: {name} is required"
            )
        return value

    def _schema(self, ctx: Ctx, type_name: str, handler: str) -> schemas.Schema:
        if not TYPE_NAME.match(type_name):
            raise ApiError(
                "ValidationException",
                f"1 validation error detected: Value '{type_name}' at 'typeName' failed to "
                "satisfy constraint: Member must satisfy regular expression pattern",
            )
        schema = schemas.schema(type_name, ctx.region)
        if schema is None:
            raise ApiError("TypeNotFoundException", f"The type '{type_name}' cannot be found.")
        if handler not in schema.handlers:
            raise ApiError(
                "UnsupportedActionException",
                f"Resource type {type_name} does not support {handler.upper()} action",
            )
        return schema

    def _client_token(self, ctx: Ctx, token: str | None, fingerprint: Any) -> Request | None:
        if not token:
            return None
        entry = self.state.client_tokens.get((ctx.account, ctx.region, token))
        if entry is None:
            return None
        request_token, used = entry
        if time.time() - used >= float(self.state.config["client_token_ttl_seconds"]):
            return None
        request = self.state.requests.get(request_token)
        if request is None:
            return None
        if request.fingerprint != fingerprint:
            raise ApiError(
                "ClientTokenConflictException",
                f"The client token {token} has already been used in another resource request.",
            )
        return request

    def _new_request(
        self, ctx: Ctx, operation: str, type_name: str, fingerprint: Any, token: str | None
    ) -> Request:
        request = Request(ctx, operation, type_name, fingerprint)
        self.state.requests[request.token] = request
        if token:
            key = (ctx.account, ctx.region, token)
            self.state.client_tokens[key] = (request.token, time.time())
        return request

    def _busy(self, ctx: Ctx, type_name: str, identifier: str) -> None:
        for request in self.state.requests.values():
            if (
                request.account == ctx.account
                and request.region == ctx.region
                and request.type_name == type_name
                and request.identifier == identifier
                and not request.cancelled
                and not request.finished(self.state.config)
            ):
                raise ApiError(
                    "ConcurrentOperationException",
                    "Another resource operation is currently being performed on this resource "
                    f"(request {request.token}).",
                )

    def _run(self, request: Request, operation: str, work: Any) -> None:
        fault = self._event_fault(operation, request.type_name)
        if fault is not None and not fault.applied:
            self._fail(request, fault.error, _fault_message(fault))
            return
        try:
            work()
        except Failed as e:
            self._fail(request, e.error_code, e.message)
            return
        except Exception as e:  # what moto raised: the handler's failure
            code, message = _classify(e)
            self._fail(request, code, message)
            return
        if fault is not None:
            self._fail(request, fault.error, _fault_message(fault))

    @staticmethod
    def _fail(request: Request, code: str, message: str) -> None:
        request.error_code = code
        request.status_message = message

    def _validate(
        self, schema: schemas.Schema, props: dict[str, Any], changed: set[str] | None = None
    ) -> None:
        """AWS's model validation of a desired state: required keys, unknown keys when the
        schema allows no others, and the JSON types of the values (of the top-level
        properties in `changed` only, for an update: what the emulator reads back of the others
        is its own doing, not the client's)."""
        for key in schema.required:
            if key not in props:
                raise Failed(
                    "InvalidRequest",
                    f"Model validation failed (#: required key [{key}] not found)",
                )
        if not schema.additional_properties:
            for key in props:
                if key not in schema.properties:
                    raise Failed(
                        "InvalidRequest",
                        f"Model validation failed (#: extraneous key [{key}] is not permitted)",
                    )
        errors = schema.type_errors(props, changed)
        if errors:
            raise Failed("InvalidRequest", f"Model validation failed ({', '.join(errors)})")

    def _model_class(self, type_name: str) -> Any:
        return self.models.get(type_name)

    @staticmethod
    def _attribute(model: Any, name: str) -> Any:
        try:
            value = model.get_cfn_attribute(name)
        except Exception:
            return None
        return value if _json_safe(value) else None

    def _identifier(self, schema: schemas.Schema, model: Any, props: dict[str, Any]) -> str:
        """Cloud Control's identifier: the primary identifier's properties joined with `|`.

        Each property is the desired state's value when the template gives it (a name), else
        moto's physical resource id (for the first property not given), except that an `...Arn`
        property whose physical id is not an ARN is the model's attribute of that name; a
        further property not given is the model's attribute of that name."""
        support = readers.SUPPORTS.get(schema.type_name)
        if support is not None:
            return support.identifier(model)
        if schema.type_name in IDENTIFIER_ATTRIBUTES:
            return str(getattr(model, IDENTIFIER_ATTRIBUTES[schema.type_name]))
        physical = getattr(model, "physical_resource_id", None)
        parts = []
        physical_used = False
        for name in schema.primary:
            value = props.get(name)
            if value is None and not physical_used:
                physical_used = True
                value = physical
                if name.endswith("Arn") and not str(physical or "").startswith("arn:"):
                    value = self._attribute(model, name) or physical
            if value is None:
                value = self._attribute(model, name)
            parts.append("" if value is None else str(value))
        return "|".join(parts)

    @staticmethod
    def _normalize_identifier(schema: schemas.Schema, identifier: str) -> str:
        """A JSON object naming the primary identifier's properties, as Cloud Control accepts
        it, becomes the `|`-joined string."""
        text = identifier.strip()
        if text.startswith("{"):
            try:
                value = json.loads(text)
            except ValueError:
                return identifier
            if isinstance(value, dict) and all(p in value for p in schema.primary):
                return "|".join(str(value[p]) for p in schema.primary)
        return identifier

    def _locate(self, ctx: Ctx, schema: schemas.Schema, identifier: str) -> Record | None:
        key = (ctx.account, ctx.region, schema.type_name, identifier)
        record = self.state.records.get(key)
        support = readers.SUPPORTS.get(schema.type_name)
        if support is None:
            return record
        live = support.find(ctx, identifier)
        if live is None:
            self.state.records.pop(key, None)  # deleted through its own API
            return None
        if record is None:  # made outside Cloud Control
            props = schema.without_read_only(schema.strip_write_only(support.read(ctx, live)))
            name = self._name(self._model_class(schema.type_name), schema.type_name, props)
            return Record(schema.type_name, identifier, live, props, name)
        record.model = live
        return record

    def _view(self, ctx: Ctx, schema: schemas.Schema, record: Record) -> dict[str, Any]:
        """The properties GetResource answers."""
        support = readers.SUPPORTS.get(schema.type_name)
        if support is not None:
            props = support.read(ctx, record.model)
        else:
            props = json.loads(json.dumps(record.desired))
            parts = record.identifier.split("|")
            if len(parts) == len(schema.primary):
                for name, part in zip(schema.primary, parts):
                    props.setdefault(name, part)
            for name in sorted(schema.read_only_top - set(props)):
                value = self._attribute(record.model, name)
                if value is not None:
                    props[name] = value
        return schema.strip_write_only(schema.only_known(props))

    def _name(self, cls: Any, type_name: str, props: dict[str, Any]) -> str:
        """The name moto's model is given: the template's, else one generated as CloudFormation
        does (`parsing.generate_resource_name`, with `CloudControl` for the stack name)."""
        short = type_name.split("::")[-1]
        for name_property in (cls.cloudformation_name_type(), f"{short}Name", "Name"):
            if name_property and props.get(name_property):
                return str(props[name_property])
        name = parsing.generate_resource_name(type_name, "CloudControl", short)
        if (type_name == "AWS::SQS::Queue" and props.get("FifoQueue")) or (
            type_name == "AWS::SNS::Topic" and props.get("FifoTopic")
        ):
            name += ".fifo"
        return name

    @staticmethod
    def _for_moto(schema: schemas.Schema, support: Any, props: dict[str, Any]) -> dict[str, Any]:
        """The properties handed to moto's model: a copy, with the schema's defaults of the
        top-level properties the desired state leaves out (as AWS's handlers apply them)."""
        out = json.loads(json.dumps(support.prepare(props) if support else props))
        for name, definition in schema.properties.items():
            if name not in out and isinstance(definition, dict) and "default" in definition:
                out[name] = definition["default"]
        return out

    # operations ----------------------------------------------------------------------------

    def op_CreateResource(self, ctx: Ctx, params: dict[str, Any]) -> Any:
        type_name = self._required(params, "TypeName")
        desired = parse_json_object(self._required(params, "DesiredState"), "DesiredState")
        token = params.get("ClientToken")
        fingerprint = ("CREATE", type_name, json.dumps(desired, sort_keys=True))
        previous = self._client_token(ctx, token, fingerprint)
        if previous is not None:
            return {"ProgressEvent": previous.event(self.state.config)}
        schema = self._schema(ctx, type_name, "create")
        request = self._new_request(ctx, "CREATE", type_name, fingerprint, token)
        if schema.primary and all(p in desired for p in schema.primary):
            request.identifier = "|".join(str(desired[p]) for p in schema.primary)
            request.identifier_at_start = True
        self._run(request, "CreateResource", lambda: self._create(ctx, request, schema, desired))
        return {"ProgressEvent": request.event(self.state.config, initial=True)}

    def _create(
        self, ctx: Ctx, request: Request, schema: schemas.Schema, desired: dict[str, Any]
    ) -> None:
        type_name = schema.type_name
        cls = self._model_class(type_name)
        if cls is None:
            raise Failed(
                "InvalidRequest",
                f"{type_name} is not supported by this emulator: moto {moto.__version__} has no "
                "CloudFormation model for it (AWS would provision it)",
            )
        self._validate(schema, desired)
        identifier = request.identifier or ""
        if request.identifier_at_start and self._locate(ctx, schema, identifier) is not None:
            raise Failed(
                "AlreadyExists",
                f"Resource of type '{type_name}' with identifier '{identifier}' already exists.",
            )
        support = readers.SUPPORTS.get(type_name)
        name = self._name(cls, type_name, desired)
        props = self._for_moto(schema, support, desired)
        model = cls.create_from_cloudformation_json(
            name,
            {"Type": type_name, "Properties": props},
            ctx.account,
            ctx.region,
            LogicalId=type_name.split("::")[-1],
            StackId=None,
            ResourceType=type_name,
        )
        if support is not None:
            support.after_create(ctx, model, desired)
        identifier = self._identifier(schema, model, desired)
        record = Record(type_name, identifier, model, json.loads(json.dumps(desired)), name)
        self.state.records[(ctx.account, ctx.region, type_name, identifier)] = record
        request.identifier = identifier
        request.resource_model = json.dumps(self._view(ctx, schema, record))

    def op_UpdateResource(self, ctx: Ctx, params: dict[str, Any]) -> Any:
        type_name = self._required(params, "TypeName")
        identifier = self._required(params, "Identifier")
        patch_text = self._required(params, "PatchDocument")
        token = params.get("ClientToken")
        try:
            patch = json_patch.validate(json.loads(patch_text))
        except (ValueError, json_patch.PatchSyntaxError) as e:
            raise ApiError("InvalidRequestException", f"Invalid PatchDocument: {e}")
        fingerprint = ("UPDATE", type_name, identifier, json.dumps(patch, sort_keys=True))
        previous = self._client_token(ctx, token, fingerprint)
        if previous is not None:
            return {"ProgressEvent": previous.event(self.state.config)}
        schema = self._schema(ctx, type_name, "update")
        identifier = self._normalize_identifier(schema, identifier)
        self._busy(ctx, type_name, identifier)
        request = self._new_request(ctx, "UPDATE", type_name, fingerprint, token)
        request.identifier = identifier
        request.identifier_at_start = True
        self._run(request, "UpdateResource", lambda: self._update(ctx, request, schema, patch))
        return {"ProgressEvent": request.event(self.state.config, initial=True)}

    def _update(self, ctx: Ctx, request: Request, schema: schemas.Schema, patch: Any) -> None:
        type_name = schema.type_name
        identifier = request.identifier or ""
        cls = self._model_class(type_name)
        record = self._locate(ctx, schema, identifier) if cls is not None else None
        if record is None:
            raise Failed("NotFound", not_found(type_name, identifier))
        view = self._view(ctx, schema, record)
        try:
            patched = json_patch.apply(view, patch)
        except json_patch.PatchConflict as e:
            raise Failed("InvalidRequest", f"Invalid patch update: {e}")
        if not isinstance(patched, dict):
            raise Failed("InvalidRequest", "Invalid patch update: the result is not an object")
        def touched(paths: list[str]) -> str:
            value_at = schemas.value_at
            return ", ".join(p for p in paths if value_at(view, p) != value_at(patched, p))

        if touched(schema.read_only):
            raise Failed(
                "InvalidRequest",
                f"Invalid patch update: readOnlyProperties [{touched(schema.read_only)}] "
                "cannot be updated",
            )
        if touched(schema.create_only):
            raise Failed(
                "NotUpdatable",
                f"Invalid patch update: createOnlyProperties [{touched(schema.create_only)}] "
                "cannot be updated",
            )
        old = schema.without_read_only(view)
        new = schema.without_read_only(patched)
        self._validate(schema, new, {k for k in set(old) | set(new) if old.get(k) != new.get(k)})
        changed = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
        support = readers.SUPPORTS.get(type_name)
        model = record.model
        if not changed:
            pass
        elif support is not None and support.updatable is not None:
            beyond = [k for k in changed if k not in support.updatable]
            if beyond:
                raise Failed(
                    "InvalidRequest",
                    f"This emulator cannot update {', '.join(beyond)} of {type_name} "
                    "(AWS would); it can update "
                    f"{', '.join(sorted(support.updatable))}",
                )
            model = support.update(ctx, model, old, new)
        elif not hasattr(cls.update_from_cloudformation_json, "__isabstractmethod__"):
            props = self._for_moto(schema, support, new)
            model = cls.update_from_cloudformation_json(
                original_resource=model,
                new_resource_name=record.name,
                cloudformation_json={"Type": type_name, "Properties": props},
                account_id=ctx.account,
                region_name=ctx.region,
            )
            if support is not None:
                support.after_update(ctx, model, old, new)
        else:
            raise Failed(
                "InvalidRequest",
                f"This emulator cannot update {type_name}: moto {moto.__version__}'s "
                "CloudFormation model for it has no update (AWS would update it)",
            )
        # As on AWS, write-only properties not re-sent in the patch are gone from now on.
        desired = dict(new)
        self.state.records.pop((ctx.account, ctx.region, type_name, identifier), None)
        new_identifier = self._identifier(schema, model, new)
        record = Record(type_name, new_identifier, model, desired, record.name)
        self.state.records[(ctx.account, ctx.region, type_name, new_identifier)] = record
        if new_identifier != identifier:
            request.identifier = new_identifier
        request.resource_model = json.dumps(self._view(ctx, schema, record))

    def op_DeleteResource(self, ctx: Ctx, params: dict[str, Any]) -> Any:
        type_name = self._required(params, "TypeName")
        identifier = self._required(params, "Identifier")
        token = params.get("ClientToken")
        fingerprint = ("DELETE", type_name, identifier)
        previous = self._client_token(ctx, token, fingerprint)
        if previous is not None:
            return {"ProgressEvent": previous.event(self.state.config)}
        schema = self._schema(ctx, type_name, "delete")
        identifier = self._normalize_identifier(schema, identifier)
        self._busy(ctx, type_name, identifier)
        request = self._new_request(ctx, "DELETE", type_name, fingerprint, token)
        request.identifier = identifier
        request.identifier_at_start = True
        self._run(request, "DeleteResource", lambda: self._delete(ctx, schema, identifier))
        return {"ProgressEvent": request.event(self.state.config, initial=True)}

    def _delete(self, ctx: Ctx, schema: schemas.Schema, identifier: str) -> None:
        type_name = schema.type_name
        cls = self._model_class(type_name)
        record = self._locate(ctx, schema, identifier) if cls is not None else None
        if record is None:
            raise Failed("NotFound", not_found(type_name, identifier))
        model = record.model
        before = readers.BEFORE_DELETE.get(type_name)
        if before is not None:
            before(ctx, model)
        # As moto deletes a stack's resource (ResourceMap._delete_resource).
        try:
            model.delete(ctx.account, ctx.region)
        except (TypeError, AttributeError):
            if hasattr(cls.delete_from_cloudformation_json, "__isabstractmethod__"):
                raise Failed(
                    "InvalidRequest",
                    f"This emulator cannot delete {type_name}: moto's model for it has no delete",
                )
            physical = getattr(model, "physical_resource_id", None) or identifier
            cls.delete_from_cloudformation_json(
                physical,
                {"Type": type_name, "Properties": json.loads(json.dumps(record.desired))},
                ctx.account,
                ctx.region,
            )
        self.state.records.pop((ctx.account, ctx.region, type_name, identifier), None)

    def op_GetResource(self, ctx: Ctx, params: dict[str, Any]) -> Any:
        type_name = self._required(params, "TypeName")
        identifier = self._required(params, "Identifier")
        schema = self._schema(ctx, type_name, "read")
        identifier = self._normalize_identifier(schema, identifier)
        record = self._locate(ctx, schema, identifier) if self._model_class(type_name) else None
        if record is None:
            raise ApiError("ResourceNotFoundException", not_found(type_name, identifier))
        return {
            "TypeName": type_name,
            "ResourceDescription": {
                "Identifier": identifier,
                "Properties": json.dumps(self._view(ctx, schema, record)),
            },
        }

    def op_ListResources(self, ctx: Ctx, params: dict[str, Any]) -> Any:
        type_name = self._required(params, "TypeName")
        schema = self._schema(ctx, type_name, "list")
        descriptions = []
        support = readers.SUPPORTS.get(type_name)
        if support is not None:
            for live in support.list(ctx):
                identifier = support.identifier(live)
                record = self._locate(ctx, schema, identifier)
                if record is not None:
                    descriptions.append(self._description(ctx, schema, record, identifier))
        elif self._model_class(type_name) is not None:
            for (account, region, kind, identifier), record in list(self.state.records.items()):
                if (account, region, kind) == (ctx.account, ctx.region, type_name):
                    descriptions.append(self._description(ctx, schema, record, identifier))
        return {"TypeName": type_name, "ResourceDescriptions": descriptions}

    def _description(
        self, ctx: Ctx, schema: schemas.Schema, record: Record, identifier: str
    ) -> dict[str, str]:
        return {"Identifier": identifier, "Properties": json.dumps(self._view(ctx, schema, record))}

    def _request(self, ctx: Ctx, token: str) -> Request:
        request = self.state.requests.get(token)
        if request is not None and time.time() - request.started >= float(
            self.state.config["request_ttl_seconds"]
        ):
            del self.state.requests[token]
            request = None
        if request is None or (request.account, request.region) != (ctx.account, ctx.region):
            raise ApiError(
                "RequestTokenNotFoundException", f"Request with token {token} was not found"
            )
        return request

    def op_GetResourceRequestStatus(self, ctx: Ctx, params: dict[str, Any]) -> Any:
        request = self._request(ctx, self._required(params, "RequestToken"))
        request.polls += 1
        return {"ProgressEvent": request.event(self.state.config)}

    def op_ListResourceRequests(self, ctx: Ctx, params: dict[str, Any]) -> Any:
        config = self.state.config
        wanted = params.get("ResourceRequestStatusFilter") or {}
        operations = set(wanted.get("Operations") or [])
        statuses = set(wanted.get("OperationStatuses") or [])
        events = []
        for request in sorted(self.state.requests.values(), key=lambda r: r.started, reverse=True):
            if (request.account, request.region) != (ctx.account, ctx.region):
                continue
            if operations and request.operation not in operations:
                continue
            event = request.event(config)
            if statuses and event["OperationStatus"] not in statuses:
                continue
            events.append(event)
        start = int(params.get("NextToken") or 0)
        size = int(params.get("MaxResults") or 20)
        out: dict[str, Any] = {"ResourceRequestStatusSummaries": events[start : start + size]}
        if start + size < len(events):
            out["NextToken"] = str(start + size)
        return out

    def op_CancelResourceRequest(self, ctx: Ctx, params: dict[str, Any]) -> Any:
        request = self._request(ctx, self._required(params, "RequestToken"))
        if request.cancelled or request.finished(self.state.config):
            raise ApiError(
                "ConcurrentModificationException",
                f"Request {request.token} has already finished and cannot be cancelled",
            )
        request.cancelled = True
        request.polls = 0
        request.monotonic = time.monotonic()
        return {"ProgressEvent": request.event(self.state.config)}


def _fault_message(fault: Any) -> str:
    return fault.message or f"{fault.error} (injected by the emulator)"


#: Types whose identifier is this attribute of moto's model: AWS::IoT::Policy's `Id` is the
#: policy name (its `Ref` and `Fn::GetAtt Id`); moto's model has no physical id and answers
#: `Id` as NAME_VERSION, which changes with every update.
IDENTIFIER_ATTRIBUTES = {"AWS::IoT::Policy": "name"}


def _classify(error: Exception) -> tuple[str, str]:
    """The HandlerErrorCode of an exception moto raised while doing the work."""
    code = getattr(error, "error_type", None)
    if not isinstance(code, str):
        code = getattr(error, "code", None)
    code = code if isinstance(code, str) else type(error).__name__
    message = getattr(error, "message", None) or str(error) or type(error).__name__
    text = f"{code}: {message}"
    if any(word in code for word in ("AlreadyExist", "Duplicate", "EntityAlreadyExists")):
        return "AlreadyExists", text
    if any(word in code for word in ("NotFound", "NoSuch", "DoesNotExist", "NonExistent")):
        return "NotFound", text
    if any(word in code for word in ("DependencyViolation", "InUse", "Conflict")):
        return "ResourceConflict", text
    if any(word in code for word in ("Limit", "Quota")):
        return "ServiceLimitExceeded", text
    from moto.core.exceptions import ServiceException, _RESTError

    if isinstance(error, (ServiceException, _RESTError)):
        return "InvalidRequest", text
    return "InternalFailure", f"the emulator's model failed: {type(error).__name__}: {error}"
