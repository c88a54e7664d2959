"""The config group's fidelity fixes (`emulator/fidelity_apps/config.py`), through KMS's API."""

import unittest

from .support import Emulator


class ConfigFidelityTest(unittest.TestCase):
    emulator: Emulator

    @classmethod
    def setUpClass(cls) -> None:
        cls.emulator = Emulator.via_server()
        cls.kms = cls.emulator.client("kms")

    @classmethod
    def tearDownClass(cls) -> None:
        cls.emulator.stop()

    def test_a_key_pending_deletion_cannot_be_scheduled_again(self) -> None:  # fix 1
        key = self.kms.create_key(Description="once")["KeyMetadata"]
        first = self.kms.schedule_key_deletion(KeyId=key["KeyId"], PendingWindowInDays=7)
        with self.assertRaises(self.kms.exceptions.ClientError) as raised:
            self.kms.schedule_key_deletion(KeyId=key["KeyId"], PendingWindowInDays=30)
        error = raised.exception.response["Error"]
        self.assertEqual(error["Code"], "KMSInvalidStateException")
        self.assertIn("is pending deletion", error["Message"])
        described = self.kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
        self.assertEqual(described["DeletionDate"], first["DeletionDate"])
        # A key that does not exist is still NotFoundException.
        with self.assertRaises(self.kms.exceptions.NotFoundException):
            self.kms.schedule_key_deletion(KeyId="11111111-2222-3333-4444-555555555555")

    def test_rotation_keeps_its_period(self) -> None:  # fix 2
        key = self.kms.create_key()["KeyMetadata"]["KeyId"]
        status = self.kms.get_key_rotation_status(KeyId=key)
        self.assertFalse(status["KeyRotationEnabled"])
        self.assertNotIn("RotationPeriodInDays", status)
        self.kms.enable_key_rotation(KeyId=key, RotationPeriodInDays=180)
        status = self.kms.get_key_rotation_status(KeyId=key)
        self.assertTrue(status["KeyRotationEnabled"])
        self.assertEqual(status["RotationPeriodInDays"], 180)
        self.kms.enable_key_rotation(KeyId=key)
        self.assertEqual(self.kms.get_key_rotation_status(KeyId=key)["RotationPeriodInDays"], 365)


if __name__ == "__main__":
    unittest.main()
