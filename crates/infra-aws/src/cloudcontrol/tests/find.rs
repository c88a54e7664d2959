//! `find`: the saved request, the client token sent again, the fallbacks.

use super::*;

#[tokio::test(start_paused = true)]
async fn find_follows_the_saved_request() {
    let fake = Fake::default();
    fake.state().polls = 2;
    let (checkpoint, _) = recorded(&fake, None);
    let out = provider(&fake)
        .create(&create_input(QUEUE, json!({}), checkpoint.clone()))
        .await
        .expect("create");
    let found = provider(&fake)
        .find(&find_input(
            json!({}),
            Checkpoint::detached(KEY, checkpoint.last()),
        ))
        .await
        .expect("find");
    assert_eq!(found, Some(out.clone()));
    // A failed request made nothing.
    fake.fail_events("CreateResource", &["InvalidRequest"]);
    let (failed, _) = recorded_as(&fake, &fresh_key(), None);
    let _ = provider(&fake)
        .create(&create_input(
            QUEUE,
            json!({"QueueName": "other"}),
            failed.clone(),
        ))
        .await;
    let found = provider(&fake)
        .find(&find_input(
            json!({"QueueName": "other"}),
            Checkpoint::detached(KEY, failed.last()),
        ))
        .await
        .expect("find");
    assert_eq!(found, None);
    // The object a replacement replaces is never the answer.
    let mut replacing = find_input(json!({}), Checkpoint::detached(KEY, checkpoint.last()));
    replacing.replacing = Some(out.physical_id.clone());
    assert_eq!(provider(&fake).find(&replacing).await.expect("find"), None);
}

#[tokio::test(start_paused = true)]
async fn find_sends_a_create_again_only_with_a_recent_token_and_the_same_state() {
    let fake = Fake::default();
    let entry = infra_registry::catalog::lookup(QUEUE).expect("queue");
    let desired = desired_state(entry, &json!({}), &tags("App.Queue"), Some("app-Queue-GEN"));
    let text = canonical(&desired);
    let token = create_token(KEY, 1).expect("token");
    let saved = |at: u64| json!({"attempt": 1, "client_token": token, "desired_hash": sha256_hex(&text), "saved_at": at});
    // Too old: the token may be forgotten, so nothing is sent; the fallbacks find nothing.
    let old = Checkpoint::detached(KEY, Some(saved(now_secs() - 40 * 3600)));
    assert_eq!(
        provider(&fake)
            .find(&find_input(json!({}), old))
            .await
            .expect("find"),
        None
    );
    assert_eq!(fake.calls("CreateResource"), 0);
    // Recent: sent again. The first call never arrived: it is made now, once.
    let recent = Checkpoint::detached(KEY, Some(saved(now_secs())));
    let found = provider(&fake)
        .find(&find_input(json!({}), recent.clone()))
        .await
        .expect("find")
        .expect("made");
    let again = provider(&fake)
        .find(&find_input(json!({}), recent))
        .await
        .expect("find")
        .expect("the same");
    assert_eq!(found, again);
    assert_eq!(fake.count(QUEUE), 1);
    // Another desired state under the saved hash: no create.
    let other = Checkpoint::detached(KEY, Some(saved(now_secs())));
    let calls = fake.calls("CreateResource");
    let _ = provider(&fake)
        .find(&find_input(json!({"DelaySeconds": 1}), other))
        .await;
    assert_eq!(fake.calls("CreateResource"), calls);
}

#[tokio::test(start_paused = true)]
async fn find_falls_back_to_the_identifier_then_the_tags() {
    let fake = Fake::default();
    let entry = infra_registry::catalog::lookup(PARAMETER).expect("parameter");
    // By the identifier the desired state names, when tagged as this resource.
    let props = json!({"Name": "/p", "Type": "String", "Value": "v"});
    fake.put(
        PARAMETER,
        "/p",
        desired_state(entry, &props, &tags("App.Queue"), None),
    );
    let input = FindInput {
        type_name: PARAMETER.into(),
        ..find_input(props.clone(), Checkpoint::detached(KEY, None))
    };
    let found = provider(&fake)
        .find(&input)
        .await
        .expect("find")
        .expect("found");
    assert_eq!(found.physical_id, "/p");
    fake.put(PARAMETER, "/p", props.clone());
    assert_eq!(
        provider(&fake).find(&input).await.expect("find"),
        None,
        "not ours"
    );
    // By tags, over pages of identifiers only; an unknown request token falls through.
    let queue = infra_registry::catalog::lookup(QUEUE).expect("queue");
    for i in 0..5 {
        let address = if i == 3 {
            "App.Queue".to_owned()
        } else {
            format!("App.Other{i}")
        };
        fake.put(
            QUEUE,
            &format!("q{i}"),
            desired_state(queue, &json!({}), &tags(&address), None),
        );
    }
    {
        let mut state = fake.state();
        state.page_size = 2;
        state.list_identifiers_only = true;
    }
    let lists = fake.calls("ListResources");
    let lost = Checkpoint::detached(
        KEY,
        Some(json!({"attempt": 1, "request_token": "forgotten"})),
    );
    let found = provider(&fake)
        .find(&FindInput {
            name: None,
            ..find_input(json!({}), lost)
        })
        .await
        .expect("find")
        .expect("found by tags");
    assert_eq!(found.physical_id, "q3");
    assert_eq!(fake.calls("ListResources") - lists, 3);
}
