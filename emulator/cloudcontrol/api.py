"""The Cloud Control API (awsJson1_0, target prefix `CloudApiService`) and the emulator's
control endpoints, as a WSGI middleware in front of moto's server app.

What it does and where it differs from AWS is in the package doc (`cloudcontrol/__init__.py`).
Nothing of moto is imported until the first Cloud Control request: moto's CloudFormation
models (`moto.cloudformation.parsing`, which imports every service's models) cost about 1.1 s
and 150 MB, and most emulators never serve Cloud Control.
"""

import json
import os
import random
import re
import sys
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Iterable
from typing import Any


TARGET_PREFIX = "CloudApiService."
CONTROL_PREFIX = "/infra-emulator/"
CONTENT_TYPE = "application/x-amz-json-1.0"

#: ErrorCodes a fault may inject: Cloud Control's HandlerErrorCode values.
HANDLER_ERROR_CODES = (
    "NotUpdatable",
    "InvalidRequest",
    "AccessDenied",
    "UnauthorizedTaggingOperation",
    "InvalidCredentials",
    "AlreadyExists",
    "NotFound",
    "ResourceConflict",
    "Throttling",
    "ServiceLimitExceeded",
    "NotStabilized",
    "GeneralServiceException",
    "ServiceInternalError",
    "ServiceTimeout",
    "NetworkFailure",
    "InternalFailure",
)

#: The exception a `"when": "call"` fault answers for each ErrorCode, and its HTTP status.
CALL_EXCEPTIONS = {
    "Throttling": ("ThrottlingException", 400),
    "ServiceInternalError": ("ServiceInternalErrorException", 500),
    "InternalFailure": ("HandlerInternalFailureException", 500),
    "NetworkFailure": ("NetworkFailureException", 500),
    "NotStabilized": ("NotStabilizedException", 400),
    "GeneralServiceException": ("GeneralServiceException", 400),
    "ServiceLimitExceeded": ("ServiceLimitExceededException", 400),
    "InvalidRequest": ("InvalidRequestException", 400),
    "ResourceConflict": ("ResourceConflictException", 400),
    "NotFound": ("ResourceNotFoundException", 400),
    "AlreadyExists": ("AlreadyExistsException", 400),
    "NotUpdatable": ("NotUpdatableException", 400),
    "InvalidCredentials": ("InvalidCredentialsException", 400),
    "AccessDenied": ("HandlerFailureException", 400),
    "UnauthorizedTaggingOperation": ("HandlerFailureException", 400),
    "ServiceTimeout": ("HandlerFailureException", 400),
}

OPERATIONS = {
    "CreateResource": "CREATE",
    "UpdateResource": "UPDATE",
    "DeleteResource": "DELETE",
}

DEFAULT_CONFIG: dict[str, Any] = {
    # GetResourceRequestStatus calls that answer IN_PROGRESS before the final status.
    "in_progress_polls": 1,
    # ...unless the request is this old: then it has finished whether polled or not.
    "settle_seconds": 2.0,
    # RetryAfter of an IN_PROGRESS event: this long after the answer.
    "retry_after_seconds": 0.1,
    # Cloud Control keeps a client token 36 hours and a request 7 days.
    "client_token_ttl_seconds": 36 * 3600,
    "request_ttl_seconds": 7 * 24 * 3600,
    # Seed of the random draws of faults with a probability (None: not reproducible).
    "seed": None,
}


class ApiError(Exception):
    """An error answer: `__type` and HTTP status."""

    def __init__(self, code: str, message: str, status: int = 400):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


class Failed(Exception):
    """Ends a request FAILED with a HandlerErrorCode."""

    def __init__(self, error_code: str, message: str):
        super().__init__(message)
        self.error_code = error_code
        self.message = message


# --- state ----------------------------------------------------------------------------------


class Fault:
    def __init__(self, spec: dict[str, Any], rng: random.Random):
        error = spec.get("error")
        if error not in HANDLER_ERROR_CODES:
            raise ValueError(f"error must be one of {', '.join(HANDLER_ERROR_CODES)}")
        self.error: str = error
        self.operation: str = spec.get("operation") or "*"
        self.type: str = spec.get("type") or "*"
        self.when: str = spec.get("when") or "event"
        if self.when not in ("event", "call"):
            raise ValueError('when must be "event" or "call"')
        if self.when == "event" and self.operation not in ("*", *OPERATIONS):
            raise ValueError(
                "an event fault is for CreateResource, UpdateResource or DeleteResource"
            )
        self.probability = float(spec.get("probability", 1.0))
        if not 0.0 <= self.probability <= 1.0:
            raise ValueError("probability must be between 0 and 1")
        times = spec.get("times", 1 if "probability" not in spec else None)
        self.times: int | None = None if times is None else int(times)
        self.applied = bool(spec.get("applied", False))
        self.message: str | None = spec.get("message")
        self.fired = 0
        self.id = uuid.uuid4().hex[:12]
        self._rng = rng

    def matches(self, operation: str, type_name: str | None, when: str) -> bool:
        if self.when != when or (self.times is not None and self.times <= 0):
            return False
        if self.operation not in ("*", operation):
            return False
        if self.type != "*" and self.type != type_name:
            return False
        return self.probability >= 1.0 or self._rng.random() < self.probability

    def fire(self) -> None:
        self.fired += 1
        if self.times is not None:
            self.times -= 1

    def describe(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "operation": self.operation,
            "type": self.type,
            "error": self.error,
            "when": self.when,
            "times": self.times,
            "probability": self.probability,
            "applied": self.applied,
            "fired": self.fired,
        }


class Request:
    """One CreateResource, UpdateResource or DeleteResource request."""

    def __init__(self, ctx: Any, operation: str, type_name: str, fingerprint: Any):
        self.token = str(uuid.uuid4())
        self.account = ctx.account
        self.region = ctx.region
        self.operation = operation
        self.type_name = type_name
        self.fingerprint = fingerprint
        self.identifier: str | None = None
        self.identifier_at_start = False
        self.started = time.time()
        self.monotonic = time.monotonic()
        self.polls = 0
        self.error_code: str | None = None
        self.status_message: str | None = None
        self.resource_model: str | None = None
        self.cancelled = False

    def finished(self, config: dict[str, Any]) -> bool:
        return (
            self.polls > int(config["in_progress_polls"])
            or time.monotonic() - self.monotonic >= float(config["settle_seconds"])
        )

    def status(self, config: dict[str, Any]) -> str:
        if self.cancelled:
            return "CANCEL_COMPLETE" if self.finished(config) else "CANCEL_IN_PROGRESS"
        if not self.finished(config):
            return "IN_PROGRESS"
        return "FAILED" if self.error_code else "SUCCESS"

    def event(self, config: dict[str, Any], initial: bool = False) -> dict[str, Any]:
        status = "IN_PROGRESS" if initial else self.status(config)
        out: dict[str, Any] = {
            "TypeName": self.type_name,
            "RequestToken": self.token,
            "Operation": self.operation,
            "OperationStatus": status,
            "EventTime": self.started,
        }
        if self.identifier is not None and (not initial or self.identifier_at_start):
            out["Identifier"] = self.identifier
        if status in ("IN_PROGRESS", "CANCEL_IN_PROGRESS"):
            out["RetryAfter"] = time.time() + float(config["retry_after_seconds"])
        elif status == "FAILED":
            out["ErrorCode"] = self.error_code
            out["StatusMessage"] = self.status_message
        elif status == "SUCCESS" and self.resource_model is not None:
            out["ResourceModel"] = self.resource_model
        return out


class Record:
    """A resource made through Cloud Control."""

    def __init__(
        self, type_name: str, identifier: str, model: Any, desired: dict[str, Any], name: str
    ):
        self.type_name = type_name
        self.identifier = identifier
        self.model = model
        self.desired = desired
        self.name = name


class State:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.config = dict(DEFAULT_CONFIG)
        self.rng = random.Random()
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.requests: dict[str, Request] = {}
            self.client_tokens: dict[tuple[str, str, str], tuple[str, float]] = {}
            self.records: dict[tuple[str, str, str, str], Record] = {}
            self.faults: list[Fault] = []

    def configure(self, changes: dict[str, Any]) -> None:
        unknown = [k for k in changes if k not in DEFAULT_CONFIG]
        if unknown:
            raise ValueError(f"unknown settings: {', '.join(unknown)}")
        with self.lock:
            self.config.update(changes)
            if "seed" in changes:
                self.rng.seed(changes["seed"])


# --- the middleware -------------------------------------------------------------------------


class CloudControlMiddleware:
    """Serves Cloud Control and `/infra-emulator/`; hands every other request to `app`."""

    def __init__(self, app: Callable[..., Iterable[bytes]]):
        self.app = app
        self.state = State()
        self._engine: Any = None
        self._engine_lock = threading.Lock()

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path.startswith(CONTROL_PREFIX):
            return self._control(environ, start_response, path, method)
        if path.rstrip("/") == "/moto-api/reset" and method == "POST":
            self.state.reset()
            if self._engine is not None:
                self._engine.reset()
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        if target.startswith(TARGET_PREFIX):
            return self._cloudcontrol(environ, start_response, target[len(TARGET_PREFIX) :])
        return self.app(environ, start_response)

    def engine(self) -> Any:
        """The part that needs moto's models, loaded on first use."""
        with self._engine_lock:
            if self._engine is None:
                from .engine import Engine

                self._engine = Engine(self.state)
            return self._engine

    # Cloud Control ------------------------------------------------------------------------

    def _cloudcontrol(self, environ: dict[str, Any], start_response: Any, operation: str) -> Any:
        request_id = str(uuid.uuid4())
        try:
            body = _read_body(environ)
            try:
                params = json.loads(body or b"{}")
            except ValueError:
                raise ApiError("SerializationException", "The request body is not JSON")
            if not isinstance(params, dict):
                raise ApiError("SerializationException", "The request body is not a JSON object")
            result = self.engine().handle(operation, params, environ)
            return _respond(start_response, 200, result, request_id)
        except ApiError as e:
            return _respond(
                start_response,
                e.status,
                {"__type": e.code, "Message": e.message},
                request_id,
                error=e.code,
            )
        except Exception as e:  # a bug of the emulator: say so, as JSON the SDKs can read
            traceback.print_exc(file=sys.stderr)
            code = "ServiceInternalErrorException"
            return _respond(
                start_response,
                500,
                {"__type": code, "Message": f"emulator failure: {type(e).__name__}: {e}"},
                request_id,
                error=code,
            )

    # control endpoints --------------------------------------------------------------------

    def _control(self, environ: dict[str, Any], start_response: Any, path: str, method: str) -> Any:
        state = self.state
        name = path[len(CONTROL_PREFIX) :].strip("/")
        try:
            if name == "faults":
                if method == "GET":
                    # A snapshot without the lock: a Cloud Control request holds it while it
                    # runs, and a test reading what fired must not wait behind one.
                    faults = list(state.faults)
                    return _respond(start_response, 200, {"faults": [f.describe() for f in faults]})
                if method == "DELETE":
                    with state.lock:
                        state.faults.clear()
                    return _respond(start_response, 200, {"faults": []})
                if method == "POST":
                    spec = json.loads(_read_body(environ) or b"{}")
                    specs = spec if isinstance(spec, list) else [spec]
                    with state.lock:
                        added = [Fault(s, state.rng) for s in specs]
                        state.faults.extend(added)
                        described = [f.describe() for f in added]
                        return _respond(start_response, 200, {"faults": described})
            elif name == "config":
                if method == "POST":
                    state.configure(json.loads(_read_body(environ) or b"{}"))
                if method in ("GET", "POST"):
                    with state.lock:
                        return _respond(start_response, 200, dict(state.config))
            elif name == "reset" and method == "POST":
                state.reset()
                if self._engine is not None:
                    self._engine.reset()
                return _respond(start_response, 200, {})
            elif name == "" and method == "GET":
                return _respond(
                    start_response,
                    200,
                    {
                        "endpoints": ["faults", "config", "reset"],
                        # Whether the Cloud Control engine, and so moto's CloudFormation
                        # models, are loaded (they load on the first Cloud Control request).
                        "cloudcontrol_loaded": self._engine is not None,
                        "moto_cloudformation_loaded": "moto.cloudformation.parsing" in sys.modules,
                    },
                )
            return _respond(start_response, 404, {"message": f"no {method} {path}"})
        except (ValueError, TypeError, AttributeError) as e:
            return _respond(start_response, 400, {"message": str(e)})


def _read_body(environ: dict[str, Any]) -> bytes:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    stream = environ.get("wsgi.input")
    if stream is None:
        return b""
    return stream.read(length) if length > 0 else stream.read()


_STATUS_TEXT = {200: "OK", 400: "Bad Request", 404: "Not Found", 500: "Internal Server Error"}


def _respond(
    start_response: Any,
    status: int,
    payload: Any,
    request_id: str | None = None,
    error: str | None = None,
) -> list[bytes]:
    body = json.dumps(payload).encode("utf-8")
    headers = [
        ("Content-Type", CONTENT_TYPE if request_id else "application/json"),
        ("Content-Length", str(len(body))),
    ]
    if request_id:
        headers.append(("x-amzn-RequestId", request_id))
    if error:
        headers.append(("x-amzn-ErrorType", error))
    start_response(f"{status} {_STATUS_TEXT.get(status, 'Error')}", headers)
    return [body]


# --- helpers shared with the engine ---------------------------------------------------------

_CREDENTIAL = re.compile(r"Credential=([^/,\s]+)/[^/]+/([^/]+)/")


def credentials(environ: dict[str, Any]) -> tuple[str, str]:
    """(access key, region) of a SigV4-signed request."""
    match = _CREDENTIAL.search(environ.get("HTTP_AUTHORIZATION", ""))
    if not match:
        return "AKIAEXAMPLE", os.environ.get("AWS_DEFAULT_REGION", "us-east-1")
    return match.group(1), match.group(2)


def parse_json_object(text: Any, what: str) -> dict[str, Any]:
    if isinstance(text, dict):
        return text
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        raise ApiError("InvalidRequestException", f"{what} is not valid JSON")
    if not isinstance(value, dict):
        raise ApiError("InvalidRequestException", f"{what} is not a JSON object")
    return value


__all__ = [
    "ApiError",
    "CloudControlMiddleware",
    "Failed",
    "Record",
    "Request",
    "State",
    "credentials",
    "parse_json_object",
]
