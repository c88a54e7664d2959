"""The fidelity fixes of `emulator/fidelity_apps/identities.py`, through the emulator's IAM API."""

import json
import unittest
import uuid

from .support import Emulator

POLICY = json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
)


def _name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


class IdentitiesFidelityTest(unittest.TestCase):
    emulator: Emulator

    @classmethod
    def setUpClass(cls) -> None:
        cls.emulator = Emulator.via_server()
        cls.iam = cls.emulator.client("iam")

    @classmethod
    def tearDownClass(cls) -> None:
        cls.emulator.stop()

    def assert_conflict(self, call, **kwargs) -> None:
        with self.assertRaises(self.iam.exceptions.DeleteConflictException):
            call(**kwargs)

    def test_delete_user_refuses_while_things_are_attached(self) -> None:
        # Fix 1: a login profile, an access key, a group membership each block DeleteUser.
        iam = self.iam
        user, group = _name("u"), _name("g")
        iam.create_user(UserName=user)
        iam.create_group(GroupName=group)
        iam.create_login_profile(UserName=user, Password="Pa55word!x")
        key = iam.create_access_key(UserName=user)["AccessKey"]["AccessKeyId"]
        iam.add_user_to_group(GroupName=group, UserName=user)
        self.assert_conflict(iam.delete_user, UserName=user)
        iam.delete_login_profile(UserName=user)
        self.assert_conflict(iam.delete_user, UserName=user)
        iam.delete_access_key(UserName=user, AccessKeyId=key)
        self.assert_conflict(iam.delete_user, UserName=user)
        iam.remove_user_from_group(GroupName=group, UserName=user)
        iam.delete_user(UserName=user)
        with self.assertRaises(iam.exceptions.NoSuchEntityException):
            iam.get_user(UserName=user)
        iam.delete_group(GroupName=group)

    def test_delete_group_refuses_while_it_has_members_or_policies(self) -> None:
        # Fix 2.
        iam = self.iam
        user, group = _name("u"), _name("g")
        iam.create_user(UserName=user)
        iam.create_group(GroupName=group)
        iam.add_user_to_group(GroupName=group, UserName=user)
        iam.put_group_policy(GroupName=group, PolicyName="p", PolicyDocument=POLICY)
        arn = iam.create_policy(PolicyName=_name("m"), PolicyDocument=POLICY)["Policy"]["Arn"]
        iam.attach_group_policy(GroupName=group, PolicyArn=arn)
        self.assert_conflict(iam.delete_group, GroupName=group)
        iam.remove_user_from_group(GroupName=group, UserName=user)
        self.assert_conflict(iam.delete_group, GroupName=group)
        iam.detach_group_policy(GroupName=group, PolicyArn=arn)
        self.assert_conflict(iam.delete_group, GroupName=group)
        iam.delete_group_policy(GroupName=group, PolicyName="p")
        iam.delete_group(GroupName=group)
        iam.delete_user(UserName=user)

    def test_update_group_moves_it_to_a_new_path(self) -> None:
        # Fix 3.
        group = _name("g")
        self.iam.create_group(GroupName=group)
        self.iam.update_group(GroupName=group, NewPath="/teams/")
        described = self.iam.get_group(GroupName=group)["Group"]
        self.assertEqual(described["Path"], "/teams/")
        self.assertTrue(described["Arn"].endswith(f":group/teams/{group}"), described["Arn"])
        self.iam.delete_group(GroupName=group)

    def test_update_user_keeps_its_tags(self) -> None:
        # Fix 7.
        user = _name("u")
        self.iam.create_user(UserName=user, Tags=[{"Key": "team", "Value": "a"}])
        self.iam.update_user(UserName=user, NewPath="/staff/")
        got = self.iam.get_user(UserName=user)["User"]
        self.assertEqual(got["Path"], "/staff/")
        self.assertEqual(got["Tags"], [{"Key": "team", "Value": "a"}])
        tags = self.iam.list_user_tags(UserName=user)["Tags"]
        self.assertEqual(tags, [{"Key": "team", "Value": "a"}])
        self.iam.delete_user(UserName=user)

    def test_user_permissions_boundary(self) -> None:
        # Fix 4.
        iam = self.iam
        arn = iam.create_policy(PolicyName=_name("b"), PolicyDocument=POLICY)["Policy"]["Arn"]
        user = _name("u")
        created = iam.create_user(UserName=user, PermissionsBoundary=arn)["User"]
        self.assertEqual(created["PermissionsBoundary"]["PermissionsBoundaryArn"], arn)
        got = iam.get_user(UserName=user)["User"]
        self.assertEqual(got["PermissionsBoundary"]["PermissionsBoundaryArn"], arn)
        listed = [u for u in iam.list_users()["Users"] if u["UserName"] == user]
        self.assertNotIn("PermissionsBoundary", listed[0])
        iam.delete_user_permissions_boundary(UserName=user)
        self.assertNotIn("PermissionsBoundary", iam.get_user(UserName=user)["User"])
        iam.put_user_permissions_boundary(UserName=user, PermissionsBoundary=arn)
        got = iam.get_user(UserName=user)["User"]
        self.assertEqual(got["PermissionsBoundary"]["PermissionsBoundaryType"], "PermissionsBoundaryPolicy")
        with self.assertRaises(iam.exceptions.ClientError) as refused:
            iam.put_user_permissions_boundary(UserName=user, PermissionsBoundary="arn:aws:iam::123456789012:role/not-a-policy")
        self.assertEqual(refused.exception.response["Error"]["Code"], "InvalidParameterValue")
        iam.delete_user(UserName=user)

    def test_login_profile_flags(self) -> None:
        # Fix 5.
        user = _name("u")
        self.iam.create_user(UserName=user)
        made = self.iam.create_login_profile(
            UserName=user, Password="Pa55word!x", PasswordResetRequired=True
        )
        self.assertTrue(made["LoginProfile"]["PasswordResetRequired"])
        got = self.iam.get_login_profile(UserName=user)["LoginProfile"]
        self.assertTrue(got["PasswordResetRequired"])
        # Fix 6: the flag alone keeps the password (and so the login profile).
        self.iam.update_login_profile(UserName=user, PasswordResetRequired=False)
        got = self.iam.get_login_profile(UserName=user)["LoginProfile"]
        self.assertFalse(got["PasswordResetRequired"])
        self.iam.update_login_profile(UserName=user, Password="Other-Pa55!")
        got = self.iam.get_login_profile(UserName=user)["LoginProfile"]
        self.assertFalse(got["PasswordResetRequired"])
        self.iam.delete_login_profile(UserName=user)
        self.iam.delete_user(UserName=user)


if __name__ == "__main__":
    unittest.main()
