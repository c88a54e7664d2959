//! `create`: the checkpoint, resubmission, resuming, and failures.

use super::*;

#[tokio::test(start_paused = true)]
async fn create_saves_its_checkpoint_before_the_call_and_after_the_answer() {
    let fake = Fake::default();
    let (checkpoint, saves) = recorded(&fake, None);
    let out = provider(&fake)
        .create(&create_input(
            QUEUE,
            json!({"VisibilityTimeout": 5}),
            checkpoint,
        ))
        .await
        .expect("create");
    assert_eq!(out.physical_id, "generated-1");
    assert_eq!(out.attributes["Arn"], json!("Arn:generated-1"));
    assert_eq!(out.attributes["QueueUrl"], json!("generated-1"));
    let saves = saves.lock().expect("saves").clone();
    let token = create_token(KEY, 1).expect("token");
    // Before the call: attempt and token, no request yet.
    assert_eq!(saves[0].1, 0);
    assert_eq!(saves[0].0["attempt"], json!(1));
    assert_eq!(saves[0].0["client_token"], json!(token));
    assert!(saves[0].0.get("request_token").is_none());
    assert!(saves[0].0["saved_at"].as_u64().is_some());
    // As soon as it answered: the request token.
    assert_eq!(saves[1].1, 1);
    assert_eq!(saves[1].0["request_token"], json!("request-2"));
    // The first poll revealed the identifier.
    assert_eq!(saves[2].0["identifier"], json!("generated-1"));
    // What was sent: the template's properties, infra's tags and the generated name.
    let state = fake.state();
    let stored = &state.resources[&(QUEUE.to_owned(), "generated-1".to_owned())];
    assert_eq!(stored["QueueName"], json!("app-Queue-GEN"));
    assert_eq!(stored["VisibilityTimeout"], json!(5));
    assert_eq!(
        stored["Tags"],
        json!([{"Key": "infra:address", "Value": "App.Queue"}, {"Key": "infra:stack", "Value": "app"}])
    );
}

#[tokio::test(start_paused = true)]
async fn transient_handler_failures_are_resubmitted_with_the_next_token() {
    let fake = Fake::default();
    fake.fail_events("CreateResource", &["Throttling", "ServiceInternalError"]);
    let (checkpoint, saves) = recorded(&fake, None);
    let out = provider(&fake)
        .create(&create_input(QUEUE, json!({}), checkpoint.clone()))
        .await
        .expect("create");
    assert_eq!(fake.calls("CreateResource"), 3);
    assert_eq!(fake.count(QUEUE), 1);
    let last = Saved::from_value(&checkpoint.last().expect("saved"));
    assert_eq!(last.attempt, 3);
    assert_eq!(last.client_token, create_token(KEY, 3));
    assert_eq!(last.identifier.as_deref(), Some(out.physical_id.as_str()));
    // Each failed attempt was marked before the next was sent.
    let saves = saves.lock().expect("saves").clone();
    let failed: Vec<_> = saves
        .iter()
        .filter_map(|(v, _)| v.get("failed").cloned())
        .collect();
    assert_eq!(failed, [json!("Throttling"), json!("ServiceInternalError")]);
}

#[tokio::test(start_paused = true)]
async fn a_create_gives_up_retryably_and_the_next_one_goes_on_with_a_new_attempt() {
    let fake = Fake::default();
    fake.fail_events("CreateResource", &["Throttling"; 8]);
    let (checkpoint, _) = recorded(&fake, None);
    let input = create_input(QUEUE, json!({}), checkpoint.clone());
    let err = provider(&fake).create(&input).await.expect_err("gives up");
    assert_eq!(err.class, FailureClass::Retryable);
    assert!(
        err.message.contains("AWS::SQS::Queue App.Queue"),
        "{}",
        err.message
    );
    assert!(err.message.contains("8 times"), "{}", err.message);
    assert_eq!(fake.count(QUEUE), 0);
    let last = Saved::from_value(&checkpoint.last().expect("saved"));
    assert_eq!(
        (last.attempt, last.failed.as_deref()),
        (8, Some("Throttling"))
    );
    // The engine's retry: attempt 9, a new token.
    provider(&fake).create(&input).await.expect("create");
    let last = Saved::from_value(&checkpoint.last().expect("saved"));
    assert_eq!(last.attempt, 9);
    assert_eq!(fake.count(QUEUE), 1);
}

#[tokio::test(start_paused = true)]
async fn a_create_called_again_polls_the_request_it_made() {
    let fake = Fake::default();
    fake.state().polls = 3;
    // A first create, interrupted (its future dropped) after the call answered.
    let (checkpoint, saves) = recorded(&fake, None);
    let input = create_input(QUEUE, json!({}), checkpoint.clone());
    let cc = provider(&fake);
    let first =
        tokio::time::timeout(std::time::Duration::from_millis(100), cc.create(&input)).await;
    assert!(first.is_err(), "still polling");
    assert!(saves.lock().expect("saves").len() >= 2);
    let out = cc.create(&input).await.expect("create");
    assert_eq!(
        fake.calls("CreateResource"),
        1,
        "the request is polled, not made again"
    );
    assert_eq!(out.physical_id, "generated-1");
}

#[tokio::test(start_paused = true)]
async fn a_create_interrupted_before_the_answer_sends_the_same_token() {
    let fake = Fake::default();
    let props = json!({});
    let entry = infra_registry::catalog::lookup(QUEUE).expect("queue");
    let desired = desired_state(entry, &props, &tags("App.Queue"), Some("app-Queue-GEN"));
    let text = canonical(&desired);
    let token = create_token(KEY, 1).expect("token");
    // The call reached Cloud Control; the answer was lost with the process.
    crate::cloudcontrol::api::Api::create(&fake, QUEUE, &text, Some(&token))
        .await
        .expect("first call");
    let last = json!({"attempt": 1, "client_token": token, "desired_hash": sha256_hex(&text), "saved_at": now_secs()});
    let (checkpoint, _) = recorded(&fake, Some(last));
    let out = provider(&fake)
        .create(&create_input(QUEUE, props, checkpoint))
        .await
        .expect("create");
    assert_eq!(fake.calls("CreateResource"), 2);
    assert_eq!(
        fake.count(QUEUE),
        1,
        "one resource: the token made the second call a replay"
    );
    assert_eq!(out.physical_id, "generated-1");
}

#[tokio::test(start_paused = true)]
async fn already_exists_adopts_only_a_resource_tagged_as_this_one() {
    let fake = Fake::default();
    let entry = infra_registry::catalog::lookup(PARAMETER).expect("parameter");
    let props = json!({"Name": "/app/p", "Type": "String", "Value": "v"});
    fake.put(
        PARAMETER,
        "/app/p",
        json!({"Name": "/app/p", "Type": "String", "Value": "v"}),
    );
    let (checkpoint, _) = recorded(&fake, None);
    let mut input = create_input(PARAMETER, props.clone(), checkpoint);
    let err = provider(&fake).create(&input).await.expect_err("taken");
    assert_eq!(err.class, FailureClass::Fatal);
    assert!(
        err.message.contains("AWS::SSM::Parameter App.Queue"),
        "{}",
        err.message
    );
    assert!(err.message.contains("already exists"), "{}", err.message);
    assert!(err.message.contains("/app/p"), "{}", err.message);
    // Made by an earlier attempt whose answer was lost: it carries this resource's tags.
    let desired = desired_state(entry, &props, &tags("App.Queue"), None);
    fake.put(PARAMETER, "/app/p", desired);
    input.checkpoint = recorded_as(&fake, &fresh_key(), None).0;
    let out = provider(&fake).create(&input).await.expect("adopted");
    assert_eq!(out.physical_id, "/app/p");
}

#[tokio::test(start_paused = true)]
async fn handler_failures_are_reported_with_their_status_message() {
    let fake = Fake::default();
    fake.fail_events("CreateResource", &["NotStabilized", "InvalidRequest"]);
    let cc = provider(&fake);
    let err = cc
        .create(&create_input(QUEUE, json!({}), recorded(&fake, None).0))
        .await
        .expect_err("not stabilised");
    assert_eq!(err.class, FailureClass::Fatal);
    assert!(err.message.contains("NotStabilized"), "{}", err.message);
    assert!(err.message.contains("may exist"), "{}", err.message);
    let err = cc
        .create(&create_input(
            QUEUE,
            json!({}),
            recorded_as(&fake, &fresh_key(), None).0,
        ))
        .await
        .expect_err("invalid");
    assert_eq!(err.class, FailureClass::Fatal);
    assert!(
        err.message.starts_with("AWS::SQS::Queue App.Queue: Cloud Control CreateResource failed: InvalidRequest: InvalidRequest (injected)"),
        "{}",
        err.message
    );
}

#[tokio::test(start_paused = true)]
async fn refused_calls_are_classed() {
    let fake = Fake::default();
    let cc = provider(&fake);
    let input = || create_input(QUEUE, json!({}), Checkpoint::detached(KEY, None));
    fake.fail_calls("CreateResource", &["ThrottlingException"]);
    let err = cc.create(&input()).await.expect_err("throttled");
    assert_eq!(err.class, FailureClass::Retryable);
    assert!(err.message.contains("CreateResource"), "{}", err.message);
    fake.fail_calls("CreateResource", &["ClientTokenConflictException"]);
    let err = cc.create(&input()).await.expect_err("conflict");
    assert_eq!(err.class, FailureClass::Fatal);
    fake.fail_calls("CreateResource", &["UnsupportedActionException"]);
    let err = cc.create(&input()).await.expect_err("unsupported");
    assert!(err.message.contains("no handler"), "{}", err.message);
    let mut unknown = input();
    unknown.type_name = "AWS::Nope::Thing".into();
    let err = cc.create(&unknown).await.expect_err("unknown type");
    assert!(
        err.message.contains("AWS::Nope::Thing App.Queue"),
        "{}",
        err.message
    );
    let mut cfn_only = input();
    cfn_only.type_name = "AWS::AppMesh::Mesh".into();
    let err = cc.create(&cfn_only).await.expect_err("no handlers");
    assert!(err.message.contains("no create handler"), "{}", err.message);
    // Polls refused retryably count as "in progress".
    fake.fail_calls(
        "GetResourceRequestStatus",
        &["ThrottlingException", "ServiceInternalErrorException"],
    );
    cc.create(&input()).await.expect("create");
}
