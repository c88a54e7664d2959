"""Fidelity fixes of the config and secrets group (Systems Manager parameters, Secrets Manager,
KMS), in the form of `emulator/fidelity.py`.

1. KMS `ScheduleKeyDeletion` of a key that is already pending deletion fails with
   `KMSInvalidStateException`: the key state table lists `ScheduleKeyDeletion` as refused in
   the `PendingDeletion` state
   (https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html, and the error in
   https://docs.aws.amazon.com/kms/latest/APIReference/API_ScheduleKeyDeletion.html#API_ScheduleKeyDeletion_Errors:
   "The key state of the KMS key is not compatible with the operation"). AWS words it
   "<key ARN> is pending deletion.", as Terraform's AWS provider reads it. moto scheduled the
   deletion again, moving its date.

2. KMS `EnableKeyRotation` takes `RotationPeriodInDays` (90 to 2560, 365 when not given) and
   `GetKeyRotationStatus` returns it for a key whose rotation is enabled
   (https://docs.aws.amazon.com/kms/latest/APIReference/API_EnableKeyRotation.html,
   https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyRotationStatus.html:
   "RotationPeriodInDays: The number of days between each automatic rotation. The default value
   is 365 days."). moto ignored the parameter and never returned it.
"""

import json
from collections.abc import Callable
from typing import Any


def _patch_kms_key_states() -> None:
    from moto.core.exceptions import JsonRESTError
    from moto.kms.responses import KmsResponse

    class KMSInvalidStateException(JsonRESTError):
        code = 400

        def __init__(self, message: str):
            super().__init__("KMSInvalidStateException", message)

    schedule_key_deletion = KmsResponse.schedule_key_deletion

    def schedule(self: Any) -> str:
        # Fix 1: a key already pending deletion is refused.
        key_id = self._get_param("KeyId")
        self._validate_cmk_id(key_id)
        key = self.kms_backend.describe_key(self.kms_backend.get_key_id(key_id))
        if key.key_state == "PendingDeletion":
            raise KMSInvalidStateException(f"{key.arn} is pending deletion.")
        return schedule_key_deletion(self)

    enable_key_rotation = KmsResponse.enable_key_rotation

    def enable_rotation(self: Any) -> str:
        # Fix 2: the rotation period is kept.
        result = enable_key_rotation(self)
        key_id = self.kms_backend.get_key_id(self._get_param("KeyId"))
        period = self._get_param("RotationPeriodInDays")
        self.kms_backend.keys[key_id].rotation_period_in_days = int(period or 365)
        return result

    get_key_rotation_status = KmsResponse.get_key_rotation_status

    def rotation_status(self: Any) -> str:
        answer = json.loads(get_key_rotation_status(self))
        key = self.kms_backend.keys[self.kms_backend.get_key_id(self._get_param("KeyId"))]
        if answer.get("KeyRotationEnabled"):
            answer["RotationPeriodInDays"] = getattr(key, "rotation_period_in_days", 365)
        return json.dumps(answer)

    KmsResponse.schedule_key_deletion = schedule
    KmsResponse.enable_key_rotation = enable_rotation
    KmsResponse.get_key_rotation_status = rotation_status


#: (moto module, fix) pairs.
FIXES: list[tuple[str, Callable[[], None]]] = [
    ("moto.kms.responses", _patch_kms_key_states),
]
