//! Identity and secrets: IAM, KMS, Secrets Manager and SSM parameters.

use super::Lifecycle::{Create, Delete, Update};
use super::OperationMapping;

service!(iam, "iam");
service!(kms, "kms");
service!(secrets, "secretsmanager");
service!(ssm, "ssm");

/// The rows of this family, one a line.
#[rustfmt::skip]
pub(super) const ROWS: &[OperationMapping] = &[
    // IAM. `AddUserToGroup` also adds a user's own `Groups` (its create and update), and costs a
    // membership's time there.
    iam("AWS::IAM::Role", Create, "CreateRole"),
    iam("AWS::IAM::Role", Update, "UpdateAssumeRolePolicy"),
    iam("AWS::IAM::Role", Delete, "DeleteRole"),
    iam("AWS::IAM::InstanceProfile", Create, "CreateInstanceProfile"),
    iam("AWS::IAM::InstanceProfile", Delete, "DeleteInstanceProfile"),
    iam("AWS::IAM::Policy", Create, "PutRolePolicy"),
    iam("AWS::IAM::Policy", Update, "PutRolePolicy"),
    iam("AWS::IAM::Policy", Delete, "DeleteRolePolicy"),
    iam("AWS::IAM::ManagedPolicy", Create, "CreatePolicy"),
    iam("AWS::IAM::ManagedPolicy", Update, "CreatePolicyVersion"),
    iam("AWS::IAM::ManagedPolicy", Delete, "DeletePolicy"),
    iam("AWS::IAM::User", Create, "CreateUser"),
    iam("AWS::IAM::User", Update, "UpdateUser"),
    iam("AWS::IAM::User", Delete, "DeleteUser"),
    iam("AWS::IAM::Group", Create, "CreateGroup"),
    iam("AWS::IAM::Group", Update, "UpdateGroup"),
    iam("AWS::IAM::Group", Delete, "DeleteGroup"),
    iam("AWS::IAM::UserToGroupAddition", Create, "AddUserToGroup"),
    iam("AWS::IAM::UserToGroupAddition", Delete, "RemoveUserFromGroup"),
    iam("AWS::IAM::AccessKey", Create, "CreateAccessKey"),
    iam("AWS::IAM::AccessKey", Delete, "DeleteAccessKey"),
    // KMS. `DisableKey` / `EnableKeyRotation` also run inside a key's create: no row.
    kms("AWS::KMS::Key", Create, "CreateKey"),
    kms("AWS::KMS::Key", Update, "UpdateKeyDescription"),
    kms("AWS::KMS::Key", Update, "PutKeyPolicy"),
    kms("AWS::KMS::Key", Delete, "ScheduleKeyDeletion"),
    kms("AWS::KMS::Alias", Create, "CreateAlias"),
    kms("AWS::KMS::Alias", Update, "UpdateAlias"),
    kms("AWS::KMS::Alias", Delete, "DeleteAlias"),
    // Secrets Manager. `GetRandomPassword` (a generated value) costs an API call.
    secrets("AWS::SecretsManager::Secret", Create, "CreateSecret"),
    secrets("AWS::SecretsManager::Secret", Update, "UpdateSecret"),
    secrets("AWS::SecretsManager::Secret", Update, "PutSecretValue"),
    secrets("AWS::SecretsManager::Secret", Delete, "DeleteSecret"),
    // SSM. An `AWS::EC2::KeyPair` create also stores its private key with `PutParameter`, and
    // so costs a parameter's time on top of the key pair's.
    ssm("AWS::SSM::Parameter", Create, "PutParameter"),
    ssm("AWS::SSM::Parameter", Update, "PutParameter"),
    ssm("AWS::SSM::Parameter", Delete, "DeleteParameter"),
];
