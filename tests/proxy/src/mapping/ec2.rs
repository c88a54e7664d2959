//! EC2: the network types, key pairs and launch templates.

use super::Lifecycle::{Create, Delete, Update};
use super::OperationMapping;

service!(ec2, "ec2");

/// The rows of this family, one a line.
#[rustfmt::skip]
pub(super) const ROWS: &[OperationMapping] = &[
    // Network.
    ec2("AWS::EC2::VPC", Create, "CreateVpc"),
    ec2("AWS::EC2::VPC", Delete, "DeleteVpc"),
    ec2("AWS::EC2::Subnet", Create, "CreateSubnet"),
    ec2("AWS::EC2::Subnet", Delete, "DeleteSubnet"),
    ec2("AWS::EC2::InternetGateway", Create, "CreateInternetGateway"),
    ec2("AWS::EC2::InternetGateway", Delete, "DeleteInternetGateway"),
    ec2("AWS::EC2::VPCGatewayAttachment", Create, "AttachInternetGateway"),
    ec2("AWS::EC2::VPCGatewayAttachment", Delete, "DetachInternetGateway"),
    ec2("AWS::EC2::RouteTable", Create, "CreateRouteTable"),
    ec2("AWS::EC2::RouteTable", Delete, "DeleteRouteTable"),
    ec2("AWS::EC2::Route", Create, "CreateRoute"),
    ec2("AWS::EC2::Route", Update, "ReplaceRoute"),
    ec2("AWS::EC2::Route", Delete, "DeleteRoute"),
    ec2("AWS::EC2::SubnetRouteTableAssociation", Create, "AssociateRouteTable"),
    ec2("AWS::EC2::SubnetRouteTableAssociation", Update, "ReplaceRouteTableAssociation"),
    ec2("AWS::EC2::SubnetRouteTableAssociation", Delete, "DisassociateRouteTable"),
    ec2("AWS::EC2::EIP", Create, "AllocateAddress"),
    ec2("AWS::EC2::EIP", Delete, "ReleaseAddress"),
    ec2("AWS::EC2::NatGateway", Create, "CreateNatGateway"),
    ec2("AWS::EC2::NatGateway", Delete, "DeleteNatGateway"),
    ec2("AWS::EC2::SecurityGroup", Create, "CreateSecurityGroup"),
    ec2("AWS::EC2::SecurityGroup", Delete, "DeleteSecurityGroup"),
    ec2("AWS::EC2::SecurityGroupIngress", Create, "AuthorizeSecurityGroupIngress"),
    ec2("AWS::EC2::SecurityGroupIngress", Update, "UpdateSecurityGroupRuleDescriptionsIngress"),
    ec2("AWS::EC2::SecurityGroupIngress", Delete, "RevokeSecurityGroupIngress"),
    ec2("AWS::EC2::SecurityGroupEgress", Create, "AuthorizeSecurityGroupEgress"),
    ec2("AWS::EC2::SecurityGroupEgress", Update, "UpdateSecurityGroupRuleDescriptionsEgress"),
    ec2("AWS::EC2::SecurityGroupEgress", Delete, "RevokeSecurityGroupEgress"),
    ec2("AWS::EC2::NetworkAcl", Create, "CreateNetworkAcl"),
    ec2("AWS::EC2::NetworkAcl", Delete, "DeleteNetworkAcl"),
    ec2("AWS::EC2::NetworkAclEntry", Create, "CreateNetworkAclEntry"),
    ec2("AWS::EC2::NetworkAclEntry", Update, "ReplaceNetworkAclEntry"),
    ec2("AWS::EC2::NetworkAclEntry", Delete, "DeleteNetworkAclEntry"),
    ec2("AWS::EC2::SubnetNetworkAclAssociation", Create, "ReplaceNetworkAclAssociation"),
    ec2("AWS::EC2::SubnetNetworkAclAssociation", Delete, "ReplaceNetworkAclAssociation"),
    ec2("AWS::EC2::EgressOnlyInternetGateway", Create, "CreateEgressOnlyInternetGateway"),
    ec2("AWS::EC2::EgressOnlyInternetGateway", Delete, "DeleteEgressOnlyInternetGateway"),
    ec2("AWS::EC2::VPCCidrBlock", Create, "AssociateVpcCidrBlock"),
    ec2("AWS::EC2::VPCCidrBlock", Delete, "DisassociateVpcCidrBlock"),
    ec2("AWS::EC2::VPCEndpoint", Create, "CreateVpcEndpoint"),
    ec2("AWS::EC2::VPCEndpoint", Update, "ModifyVpcEndpoint"),
    ec2("AWS::EC2::VPCEndpoint", Delete, "DeleteVpcEndpoints"),
    ec2("AWS::EC2::FlowLog", Create, "CreateFlowLogs"),
    ec2("AWS::EC2::FlowLog", Delete, "DeleteFlowLogs"),
    ec2("AWS::EC2::KeyPair", Create, "CreateKeyPair"),
    ec2("AWS::EC2::KeyPair", Create, "ImportKeyPair"),
    ec2("AWS::EC2::KeyPair", Delete, "DeleteKeyPair"),
    ec2("AWS::EC2::DHCPOptions", Create, "CreateDhcpOptions"),
    ec2("AWS::EC2::DHCPOptions", Delete, "DeleteDhcpOptions"),
    ec2("AWS::EC2::VPCDHCPOptionsAssociation", Create, "AssociateDhcpOptions"),
    ec2("AWS::EC2::VPCDHCPOptionsAssociation", Delete, "AssociateDhcpOptions"),
    // Launch templates.
    ec2("AWS::EC2::LaunchTemplate", Create, "CreateLaunchTemplate"),
    ec2("AWS::EC2::LaunchTemplate", Update, "CreateLaunchTemplateVersion"),
    ec2("AWS::EC2::LaunchTemplate", Delete, "DeleteLaunchTemplate"),
];
