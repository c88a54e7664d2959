//! The REST-JSON services (Lambda, EFS) and Route 53 (REST-XML): their operations by method
//! and path.

/// Lambda's REST operations by method and path (API versions `2015-03-31` and friends).
pub(super) fn lambda_operation(method: &str, path: &str) -> Option<&'static str> {
    let rest = rest_of(path, |version| {
        version.len() == 10 && version.starts_with("20")
    })?;
    let op = match (method, rest.as_slice()) {
        ("POST", ["functions"]) => "CreateFunction",
        ("GET", ["functions"]) => "ListFunctions",
        ("GET", ["functions", _]) => "GetFunction",
        ("DELETE", ["functions", _]) => "DeleteFunction",
        ("GET", ["functions", _, "configuration"]) => "GetFunctionConfiguration",
        ("PUT", ["functions", _, "configuration"]) => "UpdateFunctionConfiguration",
        ("PUT", ["functions", _, "code"]) => "UpdateFunctionCode",
        ("POST", ["functions", _, "invocations"]) => "Invoke",
        ("PUT", ["functions", _, "concurrency"]) => "PutFunctionConcurrency",
        ("DELETE", ["functions", _, "concurrency"]) => "DeleteFunctionConcurrency",
        ("GET", ["functions", _, "concurrency"]) => "GetFunctionConcurrency",
        ("PUT", ["functions", _, "code-signing-config"]) => "PutFunctionCodeSigningConfig",
        ("DELETE", ["functions", _, "code-signing-config"]) => "DeleteFunctionCodeSigningConfig",
        ("GET", ["functions", _, "code-signing-config"]) => "GetFunctionCodeSigningConfig",
        ("PUT", ["functions", _, "recursion-config"]) => "PutFunctionRecursionConfig",
        ("GET", ["functions", _, "recursion-config"]) => "GetFunctionRecursionConfig",
        ("PUT", ["functions", _, "runtime-management-config"]) => "PutRuntimeManagementConfig",
        ("GET", ["functions", _, "runtime-management-config"]) => "GetRuntimeManagementConfig",
        ("POST", ["functions", _, "policy"]) => "AddPermission",
        ("GET", ["functions", _, "policy"]) => "GetPolicy",
        ("DELETE", ["functions", _, "policy", _]) => "RemovePermission",
        ("POST", ["functions", _, "versions"]) => "PublishVersion",
        ("GET", ["functions", _, "versions"]) => "ListVersionsByFunction",
        ("POST", ["tags", ..]) => "TagResource",
        ("DELETE", ["tags", ..]) => "UntagResource",
        ("GET", ["tags", ..]) => "ListTags",
        _ => return None,
    };
    Some(op)
}

/// EFS's REST operations by method and path (API version `2015-02-01`).
pub(super) fn efs_operation(method: &str, path: &str) -> Option<&'static str> {
    let rest = rest_of(path, |version| version == "2015-02-01")?;
    let op = match (method, rest.as_slice()) {
        ("POST", ["file-systems"]) => "CreateFileSystem",
        ("GET", ["file-systems"]) => "DescribeFileSystems",
        ("PUT", ["file-systems", _]) => "UpdateFileSystem",
        ("DELETE", ["file-systems", _]) => "DeleteFileSystem",
        ("PUT", ["file-systems", _, "protection"]) => "UpdateFileSystemProtection",
        ("GET", ["file-systems", _, "policy"]) => "DescribeFileSystemPolicy",
        ("PUT", ["file-systems", _, "policy"]) => "PutFileSystemPolicy",
        ("DELETE", ["file-systems", _, "policy"]) => "DeleteFileSystemPolicy",
        ("GET", ["file-systems", _, "backup-policy"]) => "DescribeBackupPolicy",
        ("PUT", ["file-systems", _, "backup-policy"]) => "PutBackupPolicy",
        ("GET", ["file-systems", _, "lifecycle-configuration"]) => "DescribeLifecycleConfiguration",
        ("PUT", ["file-systems", _, "lifecycle-configuration"]) => "PutLifecycleConfiguration",
        ("GET", ["file-systems", "replication-configurations"]) => {
            "DescribeReplicationConfigurations"
        }
        ("POST", ["file-systems", _, "replication-configuration"]) => {
            "CreateReplicationConfiguration"
        }
        ("DELETE", ["file-systems", _, "replication-configuration"]) => {
            "DeleteReplicationConfiguration"
        }
        ("POST", ["mount-targets"]) => "CreateMountTarget",
        ("GET", ["mount-targets"]) => "DescribeMountTargets",
        ("DELETE", ["mount-targets", _]) => "DeleteMountTarget",
        ("GET", ["mount-targets", _, "security-groups"]) => "DescribeMountTargetSecurityGroups",
        ("PUT", ["mount-targets", _, "security-groups"]) => "ModifyMountTargetSecurityGroups",
        ("POST", ["access-points"]) => "CreateAccessPoint",
        ("GET", ["access-points"]) => "DescribeAccessPoints",
        ("DELETE", ["access-points", _]) => "DeleteAccessPoint",
        ("GET", ["account-preferences"]) => "DescribeAccountPreferences",
        ("PUT", ["account-preferences"]) => "PutAccountPreferences",
        ("GET", ["resource-tags", _]) => "ListTagsForResource",
        ("POST", ["resource-tags", _]) => "TagResource",
        ("DELETE", ["resource-tags", _]) => "UntagResource",
        ("GET", ["tags", _]) => "DescribeTags",
        ("POST", ["create-tags", _]) => "CreateTags",
        ("POST", ["delete-tags", _]) => "DeleteTags",
        _ => return None,
    };
    Some(op)
}

/// Route 53's REST operations by method and path (API version `2013-04-01`): hosted zones,
/// their record sets, changes and tags.
pub(super) fn route53_operation(method: &str, path: &str) -> Option<&'static str> {
    let rest = rest_of(path, |version| version == "2013-04-01")?;
    let op = match (method, rest.as_slice()) {
        ("POST", ["hostedzone"]) => "CreateHostedZone",
        ("GET", ["hostedzone"]) => "ListHostedZones",
        ("GET", ["hostedzonesbyname"]) => "ListHostedZonesByName",
        ("GET", ["hostedzonecount"]) => "GetHostedZoneCount",
        ("GET", ["hostedzone", _]) => "GetHostedZone",
        ("POST", ["hostedzone", _]) => "UpdateHostedZoneComment",
        ("DELETE", ["hostedzone", _]) => "DeleteHostedZone",
        ("POST", ["hostedzone", _, "rrset"]) => "ChangeResourceRecordSets",
        ("GET", ["hostedzone", _, "rrset"]) => "ListResourceRecordSets",
        ("POST", ["hostedzone", _, "associatevpc"]) => "AssociateVPCWithHostedZone",
        ("POST", ["hostedzone", _, "disassociatevpc"]) => "DisassociateVPCFromHostedZone",
        ("POST", ["hostedzone", _, "features"]) => "UpdateHostedZoneFeatures",
        ("GET", ["hostedzone", _, "dnssec"]) => "GetDNSSEC",
        ("GET", ["change", _]) => "GetChange",
        ("GET", ["delegationset", _]) => "GetReusableDelegationSet",
        ("POST", ["queryloggingconfig"]) => "CreateQueryLoggingConfig",
        ("GET", ["queryloggingconfig"]) => "ListQueryLoggingConfigs",
        ("GET", ["queryloggingconfig", _]) => "GetQueryLoggingConfig",
        ("DELETE", ["queryloggingconfig", _]) => "DeleteQueryLoggingConfig",
        ("POST", ["tags", _]) => "ListTagsForResources",
        ("GET", ["tags", _, _]) => "ListTagsForResource",
        ("POST", ["tags", _, _]) => "ChangeTagsForResource",
        _ => return None,
    };
    Some(op)
}

/// The path's segments after its API version, when the first segment is a version `accepts`.
fn rest_of(path: &str, accepts: impl Fn(&str) -> bool) -> Option<Vec<&str>> {
    let mut segments = path.trim_matches('/').split('/');
    let version = segments.next()?;
    accepts(version).then(|| segments.collect())
}
