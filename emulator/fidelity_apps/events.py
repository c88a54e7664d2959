"""Fidelity fixes of the events group (EventBridge rules, Lambda permissions, CloudWatch Logs
resource policies), in the form of `fidelity.py`'s fixes.

1. Lambda `AddPermission` with a statement id the function's policy already holds fails with
   `ResourceConflictException` (HTTP 409): "The resource already exists"
   (https://docs.aws.amazon.com/lambda/latest/api/API_AddPermission.html#API_AddPermission_Errors;
   the statement id "differentiates the statement from others in the same policy", same page).
   AWS's message is "The statement id (X) provided already exists. Please provide a new
   statement id, or remove the existing statement." moto appended a second statement with the
   same `Sid`, so a retried AddPermission could not be told from a new one.

2. Lambda `AddPermission`'s `EventSourceToken`, `FunctionUrlAuthType` and
   `InvokedViaFunctionUrl` become conditions of the statement GetPolicy returns:
   `"StringEquals": {"lambda:EventSourceToken": …}`, `"StringEquals":
   {"lambda:FunctionUrlAuthType": …}` and `"Bool": {"lambda:InvokedViaFunctionUrl": "true"}`
   (the policies shown at https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html, and the
   parameters at https://docs.aws.amazon.com/lambda/latest/api/API_AddPermission.html). moto
   dropped the token and copied the other two into the statement as keys IAM does not have.
"""

import json
from collections.abc import Callable
from typing import Any

#: AddPermission parameters that Lambda writes as conditions: (parameter, operator, key).
_CONDITIONS = (
    ("EventSourceToken", "StringEquals", "lambda:EventSourceToken"),
    ("FunctionUrlAuthType", "StringEquals", "lambda:FunctionUrlAuthType"),
    ("InvokedViaFunctionUrl", "Bool", "lambda:InvokedViaFunctionUrl"),
)


def _fix_lambda_permissions() -> None:
    from moto.awslambda.exceptions import LambdaClientError
    from moto.awslambda.policy import Policy

    original_add = Policy.add_statement
    original_decode = Policy.decode_policy

    def add_statement(self: Any, raw: str, qualifier: Any = None) -> Any:
        sid = json.loads(raw).get("StatementId")
        if sid is not None and any(s.get("Sid") == sid for s in self.statements):
            error = LambdaClientError(
                "ResourceConflictException",
                f"The statement id ({sid}) provided already exists. Please provide a new "
                "statement id, or remove the existing statement.",
            )
            error.code = 409
            raise error
        return original_add(self, raw, qualifier)

    def decode_policy(self: Any, obj: dict[str, Any]) -> Any:
        conditions: dict[str, dict[str, Any]] = {}
        for parameter, operator, key in _CONDITIONS:
            if parameter in obj:
                value = obj.pop(parameter)
                if isinstance(value, bool):
                    value = "true" if value else "false"
                conditions.setdefault(operator, {})[key] = value
        policy = original_decode(self, obj)
        if conditions:
            merged = policy.statements[0].setdefault("Condition", {})
            for operator, pairs in conditions.items():
                merged.setdefault(operator, {}).update(pairs)
        return policy

    Policy.add_statement = add_statement
    Policy.decode_policy = decode_policy


#: (moto module, fix) pairs.
FIXES: list[tuple[str, Callable[[], None]]] = [
    ("moto.awslambda.policy", _fix_lambda_permissions),
]
