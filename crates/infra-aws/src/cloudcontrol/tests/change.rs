//! `update`, `delete` and `read`.

use super::*;

#[tokio::test(start_paused = true)]
async fn update_sends_a_patch_with_write_only_properties_again() {
    let fake = Fake::default();
    let before = json!({"Name": "/p", "Type": "String", "Value": "a", "Description": "d"});
    let out = created(&fake, PARAMETER, before.clone()).await;
    let after = json!({"Name": "/p", "Type": "String", "Value": "b", "Description": "d"});
    let cc = provider(&fake);
    let updated = cc
        .update(&update_input(
            before.clone(),
            after.clone(),
            &out.physical_id,
            PARAMETER,
        ))
        .await
        .expect("update");
    assert_eq!(updated.physical_id, "/p");
    assert_eq!(
        fake.state().patches,
        [json!([
            {"op": "replace", "path": "/Value", "value": "b"},
            {"op": "add", "path": "/Description", "value": "d"}
        ])]
    );
    // The write-only description survived the update.
    assert_eq!(
        fake.state().resources[&(PARAMETER.to_owned(), "/p".to_owned())]["Description"],
        json!("d")
    );
    // Nothing to change: no call, the current output.
    let same = cc
        .update(&update_input(after.clone(), after.clone(), "/p", PARAMETER))
        .await
        .expect("no-op");
    assert_eq!(fake.calls("UpdateResource"), 1);
    assert_eq!(same.attributes.get("Arn"), Some(&json!("Arn:/p")));
}

#[tokio::test(start_paused = true)]
async fn update_failures() {
    let fake = Fake::default();
    let out = created(&fake, QUEUE, json!({"VisibilityTimeout": 1})).await;
    let cc = provider(&fake);
    let change = |n| {
        update_input(
            json!({"VisibilityTimeout": 1}),
            json!({"VisibilityTimeout": n}),
            &out.physical_id,
            QUEUE,
        )
    };
    fake.fail_events("UpdateResource", &["Throttling"]);
    cc.update(&change(2)).await.expect("resubmitted");
    assert_eq!(fake.calls("UpdateResource"), 2);
    fake.fail_calls("UpdateResource", &["ConcurrentOperationException"]);
    let err = cc.update(&change(3)).await.expect_err("busy");
    assert_eq!(err.class, FailureClass::Retryable);
    let gone = update_input(
        json!({"VisibilityTimeout": 1}),
        json!({"VisibilityTimeout": 4}),
        "nope",
        QUEUE,
    );
    let err = cc.update(&gone).await.expect_err("gone");
    assert_eq!(err.class, FailureClass::NotFound);
    assert!(err.message.contains("UpdateResource"), "{}", err.message);
}

#[tokio::test(start_paused = true)]
async fn delete_is_idempotent_and_resubmits_transient_failures() {
    let fake = Fake::default();
    let out = created(&fake, QUEUE, json!({})).await;
    let cc = provider(&fake);
    fake.fail_events("DeleteResource", &["Throttling"]);
    cc.delete(&delete_input(&out.physical_id))
        .await
        .expect("delete");
    assert_eq!(fake.count(QUEUE), 0);
    assert_eq!(fake.calls("DeleteResource"), 2);
    // Already gone: the request ends NotFound, or the call says so.
    cc.delete(&delete_input(&out.physical_id))
        .await
        .expect("gone");
    fake.fail_calls("DeleteResource", &["ResourceNotFoundException"]);
    cc.delete(&delete_input(&out.physical_id))
        .await
        .expect("gone");
    let out = created(&fake, QUEUE, json!({})).await;
    fake.fail_events("DeleteResource", &["ResourceConflict"]);
    let err = cc
        .delete(&delete_input(&out.physical_id))
        .await
        .expect_err("in use");
    assert_eq!(err.class, FailureClass::DependencyViolation);
    fake.fail_calls("DeleteResource", &["ConcurrentOperationException"]);
    let err = cc
        .delete(&delete_input(&out.physical_id))
        .await
        .expect_err("busy");
    assert_eq!(err.class, FailureClass::Retryable);
}

#[tokio::test(start_paused = true)]
async fn read_reports_each_resource_as_the_template_writes_it() {
    let fake = Fake::default();
    let props = json!({"VisibilityTimeout": "5", "Tags": [{"Key": "team", "Value": "a"}]});
    let out = created(&fake, QUEUE, props.clone()).await;
    let item = |address: &str, id: &str| ReadInput {
        address: address.into(),
        type_name: QUEUE.into(),
        physical_id: id.into(),
        properties: props.clone(),
        attributes: BTreeMap::new(),
    };
    let got = provider(&fake)
        .read(&[
            item("App.Queue", &out.physical_id),
            item("App.Gone", "missing"),
        ])
        .await
        .expect("read");
    assert_eq!(got["App.Gone"], Observation::Gone);
    let Observation::Present {
        properties,
        attributes,
    } = &got["App.Queue"]
    else {
        panic!("present: {got:?}");
    };
    assert_eq!(
        properties, &props,
        "no drift: same number, infra's tags left out"
    );
    assert_eq!(
        attributes.get("Arn"),
        Some(&json!(format!("Arn:{}", out.physical_id)))
    );
}
