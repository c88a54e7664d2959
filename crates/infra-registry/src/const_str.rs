//! String comparison usable in `const` evaluation, for the hand-written tables
//! that the generated statics read at compile time.

/// Whether `a` and `b` are the same string.
pub(crate) const fn eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::eq;

    #[test]
    fn compares_whole_strings() {
        assert!(eq("AWS::EC2::VPC", "AWS::EC2::VPC"));
        assert!(!eq("AWS::EC2::VPC", "AWS::EC2::VPCGatewayAttachment"));
        assert!(!eq("AWS::EC2::VPC", "AWS::EC2::VPD"));
        assert!(eq("", ""));
    }
}
