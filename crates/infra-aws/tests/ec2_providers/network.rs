//! The network types of an isolated VPC: network ACLs with their entries and subnet
//! associations, DHCP options and their VPC association, further CIDR blocks (IPv4 and
//! Amazon-provided IPv6) with an egress-only internet gateway, gateway and interface VPC
//! endpoints, flow logs and key pairs: create → read → update → find → delete for each.

use std::collections::BTreeMap;

use aws_sdk_ec2::types::Filter;
use infra_aws::provider::{FailureClass, Observation};
use serde_json::{Value, json};

use crate::harness::{Harness, Made, tags};

impl Harness {
    /// The network ACL the subnet `subnet` uses, and its association id.
    async fn acl_of(&self, subnet: &str) -> (String, String) {
        let acls = self
            .client
            .describe_network_acls()
            .filters(
                Filter::builder()
                    .name("association.subnet-id")
                    .values(subnet)
                    .build(),
            )
            .send()
            .await
            .unwrap_or_else(|e| panic!("DescribeNetworkAcls: {e:?}"));
        acls.network_acls()
            .iter()
            .find_map(|acl| {
                let association = acl
                    .associations()
                    .iter()
                    .find(|a| a.subnet_id() == Some(subnet))?;
                Some((
                    acl.network_acl_id()?.to_owned(),
                    association.network_acl_association_id()?.to_owned(),
                ))
            })
            .unwrap_or_else(|| panic!("subnet {subnet} has no network ACL"))
    }

    /// The attributes a read reports for `made`.
    async fn attributes(&self, made: &Made) -> BTreeMap<String, Value> {
        match self.read(made).await {
            Observation::Present { attributes, .. } => attributes,
            Observation::Gone => panic!("{} reads as gone", made.address),
        }
    }

    /// A taggable object made (and found) with `props` and a `Name` tag, checked (its id
    /// starts with `prefix` and is `Fn::GetAtt id_attribute`), read back, then its tag changed
    /// in place.
    async fn tagged(
        &self,
        address: &str,
        type_name: &'static str,
        props: Value,
        (prefix, id_attribute): (&str, &str),
    ) -> Made {
        let named = |name: &str| {
            let mut p = props.clone();
            p["Tags"] = tags(&[("Name", name)]);
            p
        };
        let made = self
            .create_found(address, type_name, named("first"), None)
            .await;
        assert!(made.id().starts_with(prefix), "{:?}", made.out);
        assert_eq!(made.attr(id_attribute), made.id());
        self.assert_present(&made).await;
        let made = self.update(&made, named("second")).await;
        self.assert_present(&made).await;
        assert_eq!(
            self.aws_tags(made.id())
                .await
                .get("Name")
                .map(String::as_str),
            Some("second")
        );
        made
    }
}

#[tokio::test]
async fn network_acl_entries_and_subnet_association() {
    let h = Harness::new("nacl-life").await;
    let vpc = h.vpc("10.60.0.0/16").await;
    let subnet = h
        .create(
            "Net.Subnet",
            "AWS::EC2::Subnet",
            json!({"VpcId": vpc.id(), "CidrBlock": "10.60.1.0/24"}),
        )
        .await;
    let (default_acl, first_association) = h.acl_of(subnet.id()).await;
    assert_eq!(default_acl, vpc.attr("DefaultNetworkAcl"));

    let acl = h
        .tagged(
            "Net.Acl",
            "AWS::EC2::NetworkAcl",
            json!({"VpcId": vpc.id()}),
            ("acl-", "Id"),
        )
        .await;

    let entry_props = |port: u16| {
        json!({"NetworkAclId": acl.id(), "RuleNumber": 100, "Protocol": 6, "RuleAction": "allow",
               "CidrBlock": "10.60.0.0/16", "PortRange": {"From": port, "To": port}})
    };
    let entry = h
        .create_found(
            "Net.HttpsIn",
            "AWS::EC2::NetworkAclEntry",
            entry_props(443),
            Some(
                json!({"NetworkAclId": acl.id(), "RuleNumber": 100, "Protocol": 6,
                "RuleAction": "deny", "CidrBlock": "10.60.0.0/16"}),
            ),
        )
        .await;
    assert_eq!(entry.id(), format!("{}|ingress|100", acl.id()));
    h.assert_present(&entry).await;
    // The same entry made again (a retried create) is adopted; another one of that number is
    // an error.
    let again = h
        .create("Net.HttpsIn", "AWS::EC2::NetworkAclEntry", entry_props(443))
        .await;
    assert_eq!(again.out, entry.out);
    let err = h
        .try_create(
            "Net.HttpsIn",
            "AWS::EC2::NetworkAclEntry",
            entry_props(8443),
        )
        .await
        .expect_err("rule 100 is taken");
    assert!(
        err.message.contains("NetworkAclEntryAlreadyExists"),
        "{err}"
    );
    let entry = h.update(&entry, entry_props(8443)).await;
    h.assert_present(&entry).await;
    let egress = h
        .create(
            "Net.AllOut",
            "AWS::EC2::NetworkAclEntry",
            json!({"NetworkAclId": acl.id(), "RuleNumber": "100", "Protocol": "-1",
                   "RuleAction": "ALLOW", "Egress": true, "CidrBlock": "0.0.0.0/0"}),
        )
        .await;
    assert_eq!(egress.id(), format!("{}|egress|100", acl.id()));
    // The template's spelling (`ALLOW`, `"-1"`, `"100"`) reads back as written.
    h.assert_present(&egress).await;

    let association = h
        .create_found(
            "Net.AclAssociation",
            "AWS::EC2::SubnetNetworkAclAssociation",
            json!({"SubnetId": subnet.id(), "NetworkAclId": acl.id()}),
            Some(json!({"SubnetId": subnet.id(), "NetworkAclId": default_acl})),
        )
        .await;
    assert!(
        association.id().starts_with("aclassoc-"),
        "{:?}",
        association.out
    );
    assert_eq!(association.attr("AssociationId"), association.id());
    assert_ne!(association.id(), first_association);
    assert_eq!(
        h.acl_of(subnet.id()).await,
        (acl.id().to_owned(), association.id().to_owned())
    );
    h.assert_present(&association).await;
    // The subnet's network ACL association is read again, not kept from its record.
    assert_eq!(
        h.attributes(&subnet).await.get("NetworkAclAssociationId"),
        Some(&json!(association.id()))
    );
    // In use: the ACL cannot go yet.
    let err = h.try_delete(&acl).await.expect_err("still associated");
    assert_eq!(err.class, FailureClass::DependencyViolation, "{err}");

    // Deleting the association gives the subnet back to the VPC's default ACL.
    h.delete(&association).await;
    assert_eq!(h.acl_of(subnet.id()).await.0, default_acl);
    assert_eq!(
        h.find(&h.find_input(
            &association.address,
            association.type_name,
            &association.properties
        ))
        .await,
        None
    );

    h.try_delete(&egress)
        .await
        .unwrap_or_else(|e| panic!("deleting {}: {e}", egress.address));
    h.assert_gone(&egress).await;
    // moto answers a DeleteNetworkAclEntry of an entry that is not there with a 500 (an
    // unhandled StopIteration); AWS answers InvalidNetworkAclEntry.NotFound, which the provider
    // takes as success. So the second delete is made with the ACL gone instead below.
    h.try_delete(&entry)
        .await
        .unwrap_or_else(|e| panic!("deleting {}: {e}", entry.address));
    h.delete(&acl).await;
    // The ACL gone, the entry is gone with it (InvalidNetworkAclID.NotFound is success).
    h.delete(&entry).await;
    h.delete(&subnet).await;
    h.delete(&vpc).await;
}

#[tokio::test]
async fn dhcp_options_and_their_vpc_association() {
    let h = Harness::new("dhcp-life").await;
    let vpc = h.vpc("10.61.0.0/16").await;
    let props = json!({"DomainName": "isolated.internal", "DomainNameServers": ["AmazonProvidedDNS"],
        "NtpServers": ["169.254.169.123"], "NetbiosNodeType": 2});
    let options = h
        .create("Net.Dhcp", "AWS::EC2::DHCPOptions", props.clone())
        .await;
    assert!(options.id().starts_with("dopt-"), "{:?}", options.out);
    assert_eq!(options.attr("DhcpOptionsId"), options.id());
    h.assert_present(&options).await;
    let input = h.find_input(&options.address, options.type_name, &options.properties);
    assert_eq!(h.find(&input).await.as_ref(), Some(&options.out));
    let mut with_tags = props.clone();
    with_tags["Tags"] = tags(&[("Name", "isolated")]);
    let options = h.update(&options, with_tags).await;
    h.assert_present(&options).await;

    let association = h
        .create_found(
            "Net.DhcpAssociation",
            "AWS::EC2::VPCDHCPOptionsAssociation",
            json!({"VpcId": vpc.id(), "DhcpOptionsId": options.id()}),
            Some(json!({"VpcId": vpc.id(), "DhcpOptionsId": "dopt-00000000"})),
        )
        .await;
    assert_eq!(association.id(), format!("{}|{}", options.id(), vpc.id()));
    h.assert_present(&association).await;
    // Used by the VPC: the options cannot go yet.
    let err = h.try_delete(&options).await.expect_err("in use");
    assert_eq!(err.class, FailureClass::DependencyViolation, "{err}");

    // Deleting the association puts the VPC back on `default`.
    h.delete(&association).await;
    let vpcs = h
        .client
        .describe_vpcs()
        .vpc_ids(vpc.id())
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(vpcs.vpcs()[0].dhcp_options_id(), Some("default"));
    h.delete(&options).await;
    h.delete(&vpc).await;
}

#[tokio::test]
async fn cidr_blocks_and_an_egress_only_gateway() {
    let h = Harness::new("eigw-life").await;
    let vpc = h.vpc("10.62.0.0/16").await;
    let ipv6 = h
        .create_found(
            "Net.Ipv6",
            "AWS::EC2::VPCCidrBlock",
            json!({"VpcId": vpc.id(), "AmazonProvidedIpv6CidrBlock": true}),
            Some(json!({"VpcId": vpc.id(), "CidrBlock": "10.63.0.0/16"})),
        )
        .await;
    assert!(ipv6.id().starts_with("vpc-cidr-assoc-"), "{:?}", ipv6.out);
    assert_eq!(ipv6.attr("Id"), ipv6.id());
    h.assert_present(&ipv6).await;
    let ipv4 = h
        .create_found(
            "Net.Secondary",
            "AWS::EC2::VPCCidrBlock",
            json!({"VpcId": vpc.id(), "CidrBlock": "10.63.0.0/16"}),
            Some(json!({"VpcId": vpc.id(), "CidrBlock": "10.64.0.0/16"})),
        )
        .await;
    h.assert_present(&ipv4).await;
    // The VPC's blocks are read again, not kept from its record.
    let vpc_attributes = h.attributes(&vpc).await;
    let blocks = vpc_attributes["Ipv6CidrBlocks"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(blocks.len(), 1, "{vpc_attributes:?}");
    assert!(
        vpc_attributes["CidrBlockAssociations"]
            .as_array()
            .is_some_and(|a| a.contains(&json!(ipv4.id()))),
        "{vpc_attributes:?}"
    );

    let gateway = h
        .tagged(
            "Net.Eigw",
            "AWS::EC2::EgressOnlyInternetGateway",
            json!({"VpcId": vpc.id()}),
            ("eigw-", "Id"),
        )
        .await;

    let table = h
        .create(
            "Net.Routes",
            "AWS::EC2::RouteTable",
            json!({"VpcId": vpc.id()}),
        )
        .await;
    let route = h
        .create(
            "Net.Ipv6Out",
            "AWS::EC2::Route",
            json!({"RouteTableId": table.id(), "DestinationIpv6CidrBlock": "::/0",
                   "EgressOnlyInternetGatewayId": gateway.id()}),
        )
        .await;
    h.assert_present(&route).await;

    h.delete(&route).await;
    h.delete(&table).await;
    h.delete(&gateway).await;
    h.delete(&ipv4).await;
    h.delete(&ipv6).await;
    let vpc_attributes = h.attributes(&vpc).await;
    assert_eq!(
        vpc_attributes["Ipv6CidrBlocks"],
        json!([]),
        "{vpc_attributes:?}"
    );
    h.delete(&vpc).await;
}

#[tokio::test]
async fn gateway_and_interface_endpoints() {
    let h = Harness::new("vpce-life").await;
    let vpc = h.vpc("10.65.0.0/16").await;
    let subnet = h
        .create(
            "Net.Subnet",
            "AWS::EC2::Subnet",
            json!({"VpcId": vpc.id(), "CidrBlock": "10.65.1.0/24"}),
        )
        .await;
    let table = h
        .create(
            "Net.Routes",
            "AWS::EC2::RouteTable",
            json!({"VpcId": vpc.id()}),
        )
        .await;
    let table2 = h
        .create(
            "Net.Routes2",
            "AWS::EC2::RouteTable",
            json!({"VpcId": vpc.id()}),
        )
        .await;
    let group = h
        .create(
            "Net.EndpointSG",
            "AWS::EC2::SecurityGroup",
            json!({"GroupDescription": "endpoints", "VpcId": vpc.id()}),
        )
        .await;
    let policy = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}]});
    let gateway_props = |tables: &[&Made], policy: &Value| {
        json!({"VpcId": vpc.id(), "ServiceName": "com.amazonaws.us-east-1.s3",
               "VpcEndpointType": "Gateway",
               "RouteTableIds": tables.iter().map(|t| t.id()).collect::<Vec<_>>(),
               "PolicyDocument": policy, "Tags": tags(&[("Name", "s3")])})
    };
    let s3 = h
        .create_found(
            "Net.S3",
            "AWS::EC2::VPCEndpoint",
            gateway_props(&[&table], &policy),
            None,
        )
        .await;
    assert!(s3.id().starts_with("vpce-"), "{:?}", s3.out);
    assert_eq!(s3.attr("Id"), s3.id());
    h.assert_present(&s3).await;
    // Another table and another policy (written as a string) in place, then the table
    // removed again. moto's ModifyVpcEndpoint does not add the prefix-list route of an added
    // table (AWS does), and its DeleteVpcEndpoints then fails on the missing route: so the
    // endpoint goes back to its first table before it is deleted.
    let policy2 = json!(
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": "*", "Action": "s3:*", "Resource": "*"}]})
        .to_string()
    );
    let s3 = h
        .update(&s3, gateway_props(&[&table, &table2], &policy2))
        .await;
    h.assert_present(&s3).await;
    let s3 = h.update(&s3, gateway_props(&[&table], &policy2)).await;
    h.assert_present(&s3).await;

    let logs = h
        .create_found(
            "Net.Logs",
            "AWS::EC2::VPCEndpoint",
            json!({"VpcId": vpc.id(), "ServiceName": "com.amazonaws.us-east-1.logs",
                   "VpcEndpointType": "Interface", "SubnetIds": [subnet.id()],
                   "SecurityGroupIds": [group.id()], "PrivateDnsEnabled": true}),
            None,
        )
        .await;
    h.assert_present(&logs).await;
    assert_eq!(
        logs.out.attributes["NetworkInterfaceIds"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    assert!(
        logs.out.attributes["DnsEntries"]
            .as_array()
            .and_then(|e| e.first())
            .and_then(Value::as_str)
            .is_some_and(|e| e.contains(':')),
        "{:?}",
        logs.out
    );
    assert!(logs.out.attributes.contains_key("CreationTimestamp"));

    h.delete(&logs).await;
    h.delete(&s3).await;
    h.delete(&group).await;
    h.delete(&table2).await;
    h.delete(&table).await;
    h.delete(&subnet).await;
    h.delete(&vpc).await;
}

#[tokio::test]
async fn flow_log_to_s3() {
    let h = Harness::new("flow-life").await;
    let vpc = h.vpc("10.66.0.0/16").await;
    let s3 = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(&crate::harness::emulator_config().await)
            .force_path_style(true)
            .build(),
    );
    let bucket = "infra-flow-life-logs";
    s3.create_bucket()
        .bucket(bucket)
        .send()
        .await
        .unwrap_or_else(|e| panic!("CreateBucket: {e:?}"));
    let log = h
        .tagged(
            "Net.FlowLog",
            "AWS::EC2::FlowLog",
            json!({"ResourceId": vpc.id(), "ResourceType": "VPC", "TrafficType": "REJECT",
                   "LogDestinationType": "s3", "LogDestination": format!("arn:aws:s3:::{bucket}"),
                   "MaxAggregationInterval": "60"}),
            ("fl-", "Id"),
        )
        .await;
    h.delete(&log).await;
    h.delete(&vpc).await;
}

#[tokio::test]
async fn key_pairs_created_and_imported() {
    let h = Harness::new("key-life").await;
    let created = h
        .create_found(
            "App.Key",
            "AWS::EC2::KeyPair",
            json!({"KeyName": "infra-key-life", "KeyType": "ed25519",
                   "Tags": tags(&[("Name", "app")])}),
            None,
        )
        .await;
    assert_eq!(created.id(), "infra-key-life");
    let key_id = created.attr("KeyPairId").to_owned();
    assert!(key_id.starts_with("key-"), "{:?}", created.out);
    assert!(!created.attr("KeyFingerprint").is_empty());
    // The private key is in Systems Manager, as CloudFormation keeps it.
    let parameter = h
        .ssm
        .get_parameter()
        .name(format!("/ec2/keypair/{key_id}"))
        .with_decryption(true)
        .send()
        .await
        .unwrap_or_else(|e| panic!("GetParameter: {e:?}"));
    assert!(
        parameter
            .parameter()
            .and_then(|p| p.value())
            .is_some_and(|v| v.contains("PRIVATE KEY")),
        "{parameter:?}"
    );
    h.assert_present(&created).await;
    // The name taken by this resource's own key pair (a retried create) is adopted; by
    // another's, it is an error.
    let again = h
        .create("App.Key", "AWS::EC2::KeyPair", created.properties.clone())
        .await;
    assert_eq!(again.out, created.out);
    let err = h
        .try_create("App.Other", "AWS::EC2::KeyPair", created.properties.clone())
        .await
        .expect_err("the name is taken");
    assert!(err.message.contains("already exists"), "{err}");

    let public = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJgyQwNvmcAsX5Mgm808yRqOSw3XIlUnx9Cj5HHRcrd4";
    let imported = h
        .create(
            "App.Imported",
            "AWS::EC2::KeyPair",
            json!({"KeyName": "infra-key-imported", "PublicKeyMaterial": public}),
        )
        .await;
    h.assert_present(&imported).await;

    h.delete(&imported).await;
    h.delete(&created).await;
    let gone = h
        .ssm
        .get_parameter()
        .name(format!("/ec2/keypair/{key_id}"))
        .send()
        .await;
    assert!(
        gone.is_err(),
        "the private key's parameter is deleted: {gone:?}"
    );
}
