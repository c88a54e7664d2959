use super::*;

#[test]
fn rules_parse() {
    let rule = FailRule::parse("CreateVpc=403:UnauthorizedOperation").expect("rule");
    assert_eq!(
        rule,
        FailRule {
            operation: "CreateVpc".into(),
            status: 403,
            code: "UnauthorizedOperation".into(),
            times: None,
            message: None,
        }
    );
    let rule = FailRule::parse("GetCallerIdentity=403:ExpiredTokenx2").expect("rule");
    assert_eq!((rule.code.as_str(), rule.times), ("ExpiredToken", Some(2)));
    let rule = FailRule::parse("ec2:CreateVpc=400:Boom:it broke: badly").expect("rule");
    assert_eq!(rule.operation, "ec2:CreateVpc");
    assert_eq!(rule.message.as_deref(), Some("it broke: badly"));
    assert_eq!(rule.to_string(), "ec2:CreateVpc=400:Boom:it broke: badly");
    for bad in [
        "CreateVpc",
        "CreateVpc=403",
        "CreateVpc=200:Ok",
        "CreateVpc=abc:X",
        "=403:X",
        "Create Vpc=403:X",
    ] {
        assert!(FailRule::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn rules_match_the_operation_and_optionally_the_service() {
    let any = FailRule::parse("DeletePolicy=403:AccessDenied").expect("rule");
    assert!(any.matches("iam", "DeletePolicy") && any.matches("autoscaling", "DeletePolicy"));
    let iam = FailRule::parse("iam:DeletePolicy=403:AccessDenied").expect("rule");
    assert!(iam.matches("iam", "DeletePolicy") && !iam.matches("autoscaling", "DeletePolicy"));
    let s3 = FailRule::parse("S3:PUT=503:SlowDown").expect("rule");
    assert!(s3.matches("s3", "S3:PUT"));
    // `S3:METHOD` covers the named S3 operations sent with that method, and only S3's.
    assert!(s3.matches("s3", "PutObject") && s3.matches("s3", "PutBucketPolicy"));
    assert!(s3.matches("s3", "CreateBucket"));
    assert!(!s3.matches("s3", "GetObject") && !s3.matches("s3", "DeleteBucket"));
    assert!(!s3.matches("dynamodb", "PutItem") && !s3.matches("sqs", "PutObject"));
    let named = FailRule::parse("s3:PutBucketPolicy=403:AccessDenied").expect("rule");
    assert!(named.matches("s3", "PutBucketPolicy") && !named.matches("s3", "PutObject"));
}

#[test]
fn access_denied_messages_name_the_action_as_aws_does() {
    let rule = FailRule::parse("CreateVpc=403:UnauthorizedOperation").expect("rule");
    let message = rule.message_for("ec2", "CreateVpc");
    assert!(
        message.contains("is not authorized to perform: ec2:CreateVpc"),
        "{message}"
    );
    let rule = FailRule::parse("GetCallerIdentity=403:ExpiredToken").expect("rule");
    assert!(!rule.message_for("sts", "GetCallerIdentity").is_empty());
}

fn rates(throttle: f64, server_error: f64, drop: f64) -> Rates {
    Rates {
        throttle,
        server_error,
        drop,
        only: None,
    }
}

#[test]
fn draws_are_deterministic_per_seed_operation_and_index() {
    let r = rates(0.2, 0.05, 0.05);
    let run = |seed| {
        (0..200)
            .map(|i| r.draw(seed, "CreateVpc", i))
            .collect::<Vec<_>>()
    };
    assert_eq!(run(42), run(42));
    assert_ne!(run(42), run(43));
    let other: Vec<_> = (0..200).map(|i| r.draw(42, "CreateSubnet", i)).collect();
    assert_ne!(run(42), other, "operations draw independently");
}

#[test]
fn draws_meet_the_rates() {
    let r = rates(0.2, 0.05, 0.01);
    let n = 100_000u64;
    let (mut throttles, mut errors, mut drops, mut codes) = (0u64, 0u64, 0u64, [0u64; 2]);
    for i in 0..n {
        match r.draw(7, "DescribeVpcs", i) {
            Fate::Throttle => throttles += 1,
            Fate::ServerError(s) => {
                errors += 1;
                codes[usize::from(s == 503)] += 1;
            }
            Fate::Drop => drops += 1,
            Fate::Forward => {}
            Fate::Fail { .. } => panic!("no rules here"),
        }
    }
    let share = |k: u64| k as f64 / n as f64;
    assert!((share(throttles) - 0.2).abs() < 0.01, "{throttles}");
    assert!((share(errors) - 0.05).abs() < 0.005, "{errors}");
    assert!((share(drops) - 0.01).abs() < 0.003, "{drops}");
    assert!(codes[0] > 0 && codes[1] > 0, "both 500 and 503: {codes:?}");
}

#[test]
fn zero_rates_forward_everything_and_only_limits_the_operations() {
    let r = rates(0.0, 0.0, 0.0);
    assert!((0..1000).all(|i| r.draw(1, "CreateVpc", i) == Fate::Forward));
    let mut all = rates(1.0, 0.0, 0.0);
    all.only = Some(["CreateVpc".to_owned()].into());
    assert_eq!(all.draw(1, "CreateVpc", 0), Fate::Throttle);
    assert_eq!(all.draw(1, "DescribeVpcs", 0), Fate::Forward);
}

#[test]
fn rates_are_checked() {
    assert!(rates(0.2, 0.05, 0.01).check().is_ok());
    assert!(rates(1.5, 0.0, 0.0).check().is_err());
    assert!(rates(-0.1, 0.0, 0.0).check().is_err());
    assert!(rates(0.6, 0.6, 0.0).check().is_err());
    assert!(rates(f64::NAN, 0.0, 0.0).check().is_err());
}
