"""The events group's fidelity fixes (`emulator/fidelity_apps/events.py`), through the
emulator's own APIs."""

import io
import json
import unittest
import uuid
import zipfile

from .support import Emulator

TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "lambda.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}


def _package() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.py", "def handler(event, context):\n    return event\n")
    return buffer.getvalue()


class EventsFidelityTest(unittest.TestCase):
    emulator: Emulator

    @classmethod
    def setUpClass(cls) -> None:
        cls.emulator = Emulator.via_server()

    @classmethod
    def tearDownClass(cls) -> None:
        cls.emulator.stop()

    def _function(self) -> str:
        iam = self.emulator.client("iam")
        name = f"f-{uuid.uuid4().hex[:8]}"
        role = iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(TRUST))
        self.emulator.client("lambda").create_function(
            FunctionName=name,
            Runtime="python3.12",
            Role=role["Role"]["Arn"],
            Handler="index.handler",
            Code={"ZipFile": _package()},
        )
        return name

    def test_a_statement_id_already_in_the_policy_is_a_conflict(self) -> None:
        lam = self.emulator.client("lambda")
        name = self._function()
        args = {
            "FunctionName": name,
            "StatementId": "events",
            "Action": "lambda:InvokeFunction",
            "Principal": "events.amazonaws.com",
        }
        lam.add_permission(**args)
        with self.assertRaises(lam.exceptions.ResourceConflictException) as raised:
            lam.add_permission(**args)
        self.assertEqual(raised.exception.response["ResponseMetadata"]["HTTPStatusCode"], 409)
        self.assertIn("already exists", str(raised.exception))
        policy = json.loads(lam.get_policy(FunctionName=name)["Policy"])
        self.assertEqual([s["Sid"] for s in policy["Statement"]], ["events"])

    def test_token_and_function_url_parameters_are_conditions(self) -> None:
        lam = self.emulator.client("lambda")
        name = self._function()
        lam.add_permission(
            FunctionName=name,
            StatementId="url",
            Action="lambda:InvokeFunction",
            Principal="*",
            FunctionUrlAuthType="NONE",
            InvokedViaFunctionUrl=True,
        )
        lam.add_permission(
            FunctionName=name,
            StatementId="alexa",
            Action="lambda:InvokeFunction",
            Principal="alexa-appkit.amazon.com",
            EventSourceToken="amzn1.ask.skill.1",
        )
        statements = {
            s["Sid"]: s for s in json.loads(lam.get_policy(FunctionName=name)["Policy"])["Statement"]
        }
        url = statements["url"]
        self.assertEqual(
            url["Condition"],
            {
                "StringEquals": {"lambda:FunctionUrlAuthType": "NONE"},
                "Bool": {"lambda:InvokedViaFunctionUrl": "true"},
            },
        )
        self.assertNotIn("FunctionUrlAuthType", url)
        self.assertEqual(
            statements["alexa"]["Condition"],
            {"StringEquals": {"lambda:EventSourceToken": "amzn1.ask.skill.1"}},
        )


if __name__ == "__main__":
    unittest.main()
