//! Unit tests of `vpc_cidr_block`.

use aws_sdk_ec2::types::{
    VpcCidrBlockAssociation, VpcCidrBlockState, VpcCidrBlockStateCode, VpcIpv6CidrBlockAssociation,
};

use super::*;

fn vpc() -> Vpc {
    let state = |s: VpcCidrBlockStateCode| VpcCidrBlockState::builder().state(s).build();
    Vpc::builder()
        .vpc_id("vpc-1")
        .cidr_block("10.0.0.0/16")
        .cidr_block_association_set(
            VpcCidrBlockAssociation::builder()
                .association_id("vpc-cidr-assoc-primary")
                .cidr_block("10.0.0.0/16")
                .cidr_block_state(state(VpcCidrBlockStateCode::Associated))
                .build(),
        )
        .cidr_block_association_set(
            VpcCidrBlockAssociation::builder()
                .association_id("vpc-cidr-assoc-4")
                .cidr_block("10.1.0.0/16")
                .cidr_block_state(state(VpcCidrBlockStateCode::Associated))
                .build(),
        )
        .ipv6_cidr_block_association_set(
            VpcIpv6CidrBlockAssociation::builder()
                .association_id("vpc-cidr-assoc-6")
                .ipv6_cidr_block("2600:1f18::/56")
                .ipv6_pool("Amazon")
                .ipv6_cidr_block_state(state(VpcCidrBlockStateCode::Associated))
                .build(),
        )
        .build()
}

#[test]
fn the_primary_block_is_never_one_of_them() {
    let ids: Vec<String> = blocks(&vpc()).into_iter().map(|b| b.id).collect();
    assert_eq!(ids, ["vpc-cidr-assoc-4", "vpc-cidr-assoc-6"]);
}

#[test]
fn find_matches_the_family_and_the_block_or_pool() -> Result<(), ProviderError> {
    let found = blocks(&vpc());
    let wanted = |value: Value| -> Result<Vec<String>, ProviderError> {
        let props = Props::root(&value, Ctx::new(TYPE, "Net.Resource"), SPEC)?;
        let mut out = Vec::new();
        for b in &found {
            if is_wanted(b, &props)? {
                out.push(b.id.clone());
            }
        }
        Ok(out)
    };
    assert_eq!(
        wanted(json!({"VpcId": "vpc-1", "AmazonProvidedIpv6CidrBlock": true}))?,
        ["vpc-cidr-assoc-6"]
    );
    assert_eq!(
        wanted(json!({"VpcId": "vpc-1", "CidrBlock": "10.1.0.0/16"}))?,
        ["vpc-cidr-assoc-4"]
    );
    assert!(wanted(json!({"VpcId": "vpc-1", "CidrBlock": "10.2.0.0/16"}))?.is_empty());
    let block = &found[1];
    assert_eq!(
        block.observed("vpc-1").get("Ipv6CidrBlock"),
        Some(&json!("2600:1f18::/56"))
    );
    Ok(())
}
