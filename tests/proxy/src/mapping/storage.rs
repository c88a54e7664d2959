//! Storage: EFS, S3 and DynamoDB.

use super::Lifecycle::{Create, Delete, Update};
use super::OperationMapping;

service!(efs, "elasticfilesystem");
service!(s3, "s3");
service!(dynamodb, "dynamodb");

/// The rows of this family, one a line.
#[rustfmt::skip]
pub(super) const ROWS: &[OperationMapping] = &[
    // EFS. Each create and delete is followed by DescribeFileSystems / DescribeMountTargets /
    // DescribeAccessPoints polls until the lifecycle state is reached; the call carries the time.
    efs("AWS::EFS::FileSystem", Create, "CreateFileSystem"),
    efs("AWS::EFS::FileSystem", Update, "UpdateFileSystem"),
    efs("AWS::EFS::FileSystem", Delete, "DeleteFileSystem"),
    efs("AWS::EFS::MountTarget", Create, "CreateMountTarget"),
    efs("AWS::EFS::MountTarget", Update, "ModifyMountTargetSecurityGroups"),
    efs("AWS::EFS::MountTarget", Delete, "DeleteMountTarget"),
    efs("AWS::EFS::AccessPoint", Create, "CreateAccessPoint"),
    efs("AWS::EFS::AccessPoint", Delete, "DeleteAccessPoint"),
    // S3. A bucket's configurations (`PutBucketVersioning`, `PutBucketEncryption`, ...) are set
    // inside its create as in its update: no row, an API call each.
    s3("AWS::S3::Bucket", Create, "CreateBucket"),
    s3("AWS::S3::Bucket", Delete, "DeleteBucket"),
    s3("AWS::S3::BucketPolicy", Create, "PutBucketPolicy"),
    s3("AWS::S3::BucketPolicy", Update, "PutBucketPolicy"),
    s3("AWS::S3::BucketPolicy", Delete, "DeleteBucketPolicy"),
    // DynamoDB. CreateTable / UpdateTable / DeleteTable answer at once and DescribeTable polls wait
    // for `ACTIVE` or gone; the call carries the time. `UpdateTimeToLive` and
    // `UpdateContinuousBackups` run inside a table's create too: no row.
    dynamodb("AWS::DynamoDB::Table", Create, "CreateTable"),
    dynamodb("AWS::DynamoDB::Table", Update, "UpdateTable"),
    dynamodb("AWS::DynamoDB::Table", Delete, "DeleteTable"),
];
