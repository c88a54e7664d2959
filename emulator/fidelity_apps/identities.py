"""Fidelity fixes of the identities group (IAM users, groups, access keys), in the form of
`fidelity.py` (see the package's docstring). Each fix cites the AWS documentation it follows.

1. `DeleteUser` fails with `DeleteConflict` while the user still has a password (login
   profile), access keys or group memberships: "when you delete a user programmatically, you
   must delete the items attached to the user manually, or the deletion fails. [...] Before
   attempting to delete a user, remove the following items: Password (DeleteLoginProfile),
   Access keys (DeleteAccessKey), [...] Group memberships (RemoveUserFromGroup)"
   (https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteUser.html). moto checked
   policies only, deleted the rest silently and left the deleted user in its groups.

2. `DeleteGroup` fails with `DeleteConflict` while the group has members or policies: "The
   group must not contain any users or have any attached policies"
   (https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteGroup.html; the IAM User
   Guide's "Delete an IAM group" has the API remove the users, then the inline policies, then
   the managed ones: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_groups_manage_delete.html).
   moto deleted the group whatever it held.

3. `UpdateGroup` with `NewPath` alone moves the group to that path: it "Updates the name
   and/or the path of the specified IAM group"
   (https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateGroup.html). moto changed
   the path only together with a new name.

4. A user's permissions boundary: `CreateUser` sets the one given as `PermissionsBoundary`
   (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateUser.html),
   `PutUserPermissionsBoundary` and `DeleteUserPermissionsBoundary` set and remove it
   (https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutUserPermissionsBoundary.html,
   https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteUserPermissionsBoundary.html),
   and `GetUser` returns it in `User.PermissionsBoundary`
   (https://docs.aws.amazon.com/IAM/latest/APIReference/API_User.html; `ListUsers` does not:
   https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListUsers.html). moto ignored the
   parameter and answered the two calls "not implemented".

5. `CreateLoginProfile` sets `PasswordResetRequired` ("Specifies whether the user is required
   to set a new password on next sign-in",
   https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateLoginProfile.html); moto
   honoured it only in `UpdateLoginProfile`.

6. `UpdateLoginProfile` changes only what it is sent: `Password` and `PasswordResetRequired`
   are both optional ("Required: No",
   https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateLoginProfile.html), so a call
   that only sets `PasswordResetRequired` keeps the password. moto set the password to the
   missing value, which deleted the login profile, and the flag to `None`.

7. `UpdateUser` with `NewPath` (or `NewUserName`) keeps the user's tags: tags are attached to
   the user (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags_users.html), and
   `UpdateUser` changes only the name and path
   (https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateUser.html). moto keys tags
   by ARN, which holds the path, and lost them.
"""

from collections.abc import Callable
from typing import Any

PATH = "moto.iam.models"
RESPONSES = "moto.iam.responses"


def _conflict(message: str) -> Exception:
    from moto.iam.exceptions import DeleteConflictException

    return DeleteConflictException(message)


def _patch_user_and_group_deletion() -> None:
    """Fixes 1 and 2."""
    from moto.iam.models import IAMBackend

    original_delete_user = IAMBackend.delete_user
    original_delete_group = IAMBackend.delete_group

    def delete_user(self: Any, user_name: str) -> None:
        user = self.get_user(user_name)
        if user.password:
            raise _conflict("Cannot delete entity, must delete login profile first.")
        if user.access_keys:
            raise _conflict("Cannot delete entity, must delete access keys first.")
        if self.get_groups_for_user(user_name):
            raise _conflict("Cannot delete entity, must remove users from group first.")
        original_delete_user(self, user_name)

    def delete_group(self: Any, group_name: str) -> None:
        group = self.get_group(group_name)
        if group.users:
            raise _conflict("Cannot delete entity, must remove users from group first.")
        if group.managed_policies:
            raise _conflict("Cannot delete entity, must detach all policies first.")
        if group.policies:
            raise _conflict("Cannot delete entity, must delete policies first.")
        original_delete_group(self, group_name)

    IAMBackend.delete_user = delete_user
    IAMBackend.delete_group = delete_group


def _patch_paths() -> None:
    """Fixes 3 and 7."""
    from moto.iam.models import IAMBackend

    original = IAMBackend.update_group

    def update_group(
        self: Any, group_name: str, new_group_name: str | None, new_path: str | None
    ) -> None:
        if new_group_name:
            original(self, group_name, new_group_name, new_path)
        elif new_path:
            self.get_group(group_name).path = new_path

    IAMBackend.update_group = update_group

    original_update_user = IAMBackend.update_user

    def update_user(
        self: Any, user_name: str, new_path: str | None = None, new_user_name: str | None = None
    ) -> None:
        """Fix 7."""
        old_arn = self.get_user(user_name).arn
        tags = self.tagger.list_tags_for_resource(old_arn)["Tags"]
        original_update_user(self, user_name, new_path, new_user_name)
        self.tagger.delete_all_tags_for_resource(old_arn)
        self.tagger.tag_resource(self.get_user(new_user_name or user_name).arn, tags)

    IAMBackend.update_user = update_user


def _patch_login_profiles() -> None:
    """Fixes 5 and 6."""
    from moto.iam.responses import IamResponse

    original = IamResponse.create_login_profile

    def create_login_profile(self: Any) -> Any:
        reset = self._get_param("PasswordResetRequired")
        user = self.backend.get_user(self._get_param("UserName"))
        if reset is not None and not user.password:
            user.password_reset_required = str(reset).lower() == "true"
        return original(self)

    IamResponse.create_login_profile = create_login_profile

    def update_login_profile(self: Any) -> Any:
        """Fix 6."""
        from moto.core.responses import EmptyResult

        user = self.backend.get_login_profile(self._get_param("UserName"))
        password = self._get_param("Password")
        reset = self._get_param("PasswordResetRequired")
        if password:
            user.password = password
        if reset is not None:
            user.password_reset_required = str(reset).lower() == "true"
        return EmptyResult()

    IamResponse.update_login_profile = update_login_profile


def _patch_user_permissions_boundary() -> None:
    """Fix 4."""
    from moto.core.responses import EmptyResult
    from moto.core.serialize import never_return, return_if_not_empty
    from moto.iam.exceptions import IAMException
    from moto.iam.models import User
    from moto.iam.responses import IamResponse

    def permissions_boundary(self: Any) -> dict[str, str] | None:
        arn = getattr(self, "_permissions_boundary_arn", None)
        if not arn:
            return None
        return {"PermissionsBoundaryType": "PermissionsBoundaryPolicy", "PermissionsBoundaryArn": arn}

    User.permissions_boundary = property(permissions_boundary)
    IamResponse.RESPONSE_KEY_PATH_TO_TRANSFORMER.update(
        {
            "CreateUserResponse.User.PermissionsBoundary": return_if_not_empty,
            "GetUserResponse.User.PermissionsBoundary": return_if_not_empty,
            "ListUsersResponse.Users.User.PermissionsBoundary": never_return,
        }
    )

    def boundary(response: Any) -> str:
        arn = response._get_param("PermissionsBoundary")
        if arn and not response.backend.policy_arn_regex.match(arn):
            raise IAMException(
                "InvalidParameterValue",
                f"Value ({arn}) for parameter PermissionsBoundary is invalid.",
            )
        return arn

    original_create = IamResponse.create_user

    def create_user(self: Any) -> Any:
        arn = boundary(self)
        result = original_create(self)
        if arn:
            self.backend.get_user(self._get_param("UserName"))._permissions_boundary_arn = arn
        return result

    def put_user_permissions_boundary(self: Any) -> Any:
        arn = boundary(self)
        self.backend.get_user(self._get_param("UserName"))._permissions_boundary_arn = arn
        return EmptyResult()

    def delete_user_permissions_boundary(self: Any) -> Any:
        self.backend.get_user(self._get_param("UserName"))._permissions_boundary_arn = None
        return EmptyResult()

    IamResponse.create_user = create_user
    IamResponse.put_user_permissions_boundary = put_user_permissions_boundary
    IamResponse.delete_user_permissions_boundary = delete_user_permissions_boundary


#: (moto module, fix) pairs.
FIXES: list[tuple[str, Callable[[], None]]] = [
    (PATH, _patch_user_and_group_deletion),
    (PATH, _patch_paths),
    (RESPONSES, _patch_login_profiles),
    (RESPONSES, _patch_user_permissions_boundary),
]
