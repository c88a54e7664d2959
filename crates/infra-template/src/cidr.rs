//! `Fn::Cidr`: split an address block into `count` subnets with `bits` host bits each.

use std::net::{Ipv4Addr, Ipv6Addr};

/// The subnets `Fn::Cidr [block, count, bits]` returns, or why it cannot.
pub fn cidr(block: &str, count: u32, bits: u32) -> Result<Vec<String>, String> {
    let (addr, prefix) = block
        .split_once('/')
        .ok_or_else(|| format!("`{block}` is not a CIDR block (expected address/prefix)"))?;
    let prefix: u32 = prefix
        .parse()
        .map_err(|_| format!("`{block}` has an invalid prefix length"))?;
    if !(1..=256).contains(&count) {
        let shown = if count == u32::MAX {
            "a larger number".to_string()
        } else {
            count.to_string()
        };
        return Err(format!("count must be between 1 and 256, got {shown}"));
    }
    if let Ok(v4) = addr.parse::<Ipv4Addr>() {
        let subnets = split(u128::from(u32::from(v4)), 32, prefix, count, bits)?;
        Ok(subnets
            .into_iter()
            .map(|(a, p)| format!("{}/{p}", Ipv4Addr::from(a as u32)))
            .collect())
    } else if let Ok(v6) = addr.parse::<Ipv6Addr>() {
        let subnets = split(u128::from(v6), 128, prefix, count, bits)?;
        Ok(subnets
            .into_iter()
            .map(|(a, p)| format!("{}/{p}", Ipv6Addr::from(a)))
            .collect())
    } else {
        Err(format!("`{addr}` is not an IPv4 or IPv6 address"))
    }
}

fn split(
    addr: u128,
    width: u32,
    prefix: u32,
    count: u32,
    bits: u32,
) -> Result<Vec<(u128, u32)>, String> {
    if prefix > width {
        return Err(format!(
            "prefix length {prefix} is longer than {width} bits"
        ));
    }
    if bits == 0 || bits > width - prefix {
        return Err(format!(
            "cidrBits {bits} does not fit in a /{prefix} block (at most {})",
            width - prefix
        ));
    }
    let sub_prefix = width - bits;
    let available = 1u128 << (sub_prefix - prefix).min(127);
    if u128::from(count) > available {
        return Err(format!(
            "a /{prefix} block holds only {available} subnets of /{sub_prefix}, {count} requested"
        ));
    }
    let host_mask = if width - prefix >= 128 {
        u128::MAX
    } else {
        (1u128 << (width - prefix)) - 1
    };
    let base = addr & !host_mask;
    Ok((0..u128::from(count))
        // `bits` may be the whole width (`::/0` into /128s): then only `i == 0` is possible,
        // and `i << 128` would overflow.
        .map(|i| (base + i.checked_shl(bits).unwrap_or(0), sub_prefix))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::cidr;

    #[test]
    fn ipv4_blocks_split_like_cloudformation() {
        assert_eq!(
            cidr("10.0.0.0/16", 4, 12).expect("valid"),
            vec![
                "10.0.0.0/20",
                "10.0.16.0/20",
                "10.0.32.0/20",
                "10.0.48.0/20"
            ]
        );
        assert_eq!(
            cidr("192.168.0.0/24", 6, 5).expect("valid")[5],
            "192.168.0.160/27"
        );
    }

    #[test]
    fn ipv6_blocks_split() {
        assert_eq!(
            cidr("2001:db8::/56", 2, 64).expect("valid"),
            vec!["2001:db8::/64", "2001:db8:0:1::/64"]
        );
    }

    #[test]
    fn impossible_splits_are_errors() {
        assert!(cidr("10.0.0.0/24", 3, 8).is_err());
        assert!(cidr("10.0.0.0/24", 1, 9).is_err());
        assert!(cidr("10.0.0.0/24", 0, 4).is_err());
        assert!(cidr("10.0.0.0", 1, 4).is_err());
        assert!(cidr("10.0.0.300/24", 1, 4).is_err());
    }
}
