//! Unit tests of `wait`.

use super::*;

#[tokio::test]
async fn ready_after_some_polls() -> Result<(), ProviderError> {
    let mut polls = 0;
    let got = until("a thing", Duration::from_secs(5), || {
        polls += 1;
        let n = polls;
        async move {
            Ok(if n < 3 {
                Poll::Pending(format!("pending {n}"))
            } else {
                Poll::Ready(n)
            })
        }
    })
    .await?;
    assert_eq!(got, 3);
    Ok(())
}

#[tokio::test]
async fn times_out_with_the_last_state() {
    let err = until::<(), _, _>(
        "NAT gateway nat-1 to become available",
        Duration::from_millis(500),
        || async { Ok(Poll::Pending("pending".into())) },
    )
    .await
    .expect_err("times out");
    assert_eq!(
        err.message,
        "timed out after 500ms waiting for NAT gateway nat-1 to become available (last seen: pending)"
    );
}

#[tokio::test]
async fn retryable_errors_are_polled_again_and_others_are_not() {
    let mut polls = 0;
    let got = until("a thing", Duration::from_secs(5), || {
        polls += 1;
        let n = polls;
        async move {
            match n {
                1 => Err(ProviderError {
                    class: FailureClass::Retryable,
                    message: "throttled".into(),
                }),
                _ => Ok(Poll::Ready(n)),
            }
        }
    })
    .await;
    assert_eq!(got.expect("polled again"), 2);
    let err = until::<(), _, _>("a thing", Duration::from_secs(5), || async {
        Err(ProviderError::fatal("denied"))
    })
    .await
    .expect_err("fatal");
    assert_eq!(err.message, "denied");
}

#[test]
fn durations_read_well() {
    assert_eq!(human(Duration::from_secs(600)), "10m");
    assert_eq!(human(Duration::from_secs(90)), "1m30s");
    assert_eq!(human(Duration::from_secs(45)), "45s");
}
