//! The resolution and conflict rules of exports and imports.

use std::collections::{BTreeMap, BTreeSet};

use infra_state::{ImportRecord, OutputRecord, RecordedValue, State};
use infra_template::{Unknown, Value};
use serde_json::json;

use super::*;

fn exporting(stack: &str, exports: &[(&str, &str)]) -> State {
    let mut state = State::new(stack);
    for (name, value) in exports {
        state.outputs.insert(
            format!("Out{name}"),
            OutputRecord {
                value: RecordedValue::plain(json!(value)),
                description: None,
                export_name: Some((*name).to_owned()),
            },
        );
    }
    state
}

fn importing(stack: &str, exporter: &str, names: &[&str]) -> State {
    let mut state = State::new(stack);
    for name in names {
        state.imports.insert(
            (*name).to_owned(),
            ImportRecord {
                exporter: exporter.to_owned(),
                value: json!("x"),
            },
        );
    }
    state
}

fn cloudformation(name: &str, value: &str) -> Export {
    Export {
        name: name.to_owned(),
        value: value.to_owned(),
        exporter: Exporter::CloudFormation("arn:aws:cloudformation:::stack/legacy/1".to_owned()),
    }
}

fn wanted(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|n| (*n).to_owned()).collect()
}

#[test]
fn imports_resolve_from_infra_stacks_and_cloudformation() {
    let neighbours = [exporting("network", &[("net:VpcId", "vpc-1")])];
    let (available, errors) =
        available_exports("app", &neighbours, &[cloudformation("legacy:Bucket", "b")]);
    assert!(errors.is_empty(), "{errors:?}");
    let resolved = resolve_imports(&wanted(&["net:VpcId", "legacy:Bucket"]), &available, &[])
        .expect("resolved");
    assert_eq!(resolved["net:VpcId"].value, "vpc-1");
    assert_eq!(
        resolved["net:VpcId"].exporter,
        Exporter::Infra("network".into())
    );
    assert_eq!(resolved["legacy:Bucket"].value, "b");
}

#[test]
fn a_stack_does_not_import_its_own_exports() {
    let neighbours = [exporting("app", &[("app:Id", "1")])];
    let (available, _) = available_exports("app", &neighbours, &[]);
    assert!(available.is_empty());
}

#[test]
fn an_import_nobody_exports_names_it_and_where_it_looked() {
    let looked = vec![
        "state".to_owned(),
        "CloudFormation exports in eu-west-1".to_owned(),
    ];
    let errors =
        resolve_imports(&wanted(&["nope"]), &BTreeMap::new(), &looked).expect_err("missing");
    assert_eq!(
        errors[0].to_string(),
        "Fn::ImportValue: no stack exports `nope` (looked in state and CloudFormation exports \
         in eu-west-1)"
    );
}

#[test]
fn two_exporters_of_one_name_are_an_error() {
    let neighbours = [
        exporting("a", &[("shared", "1")]),
        exporting("b", &[("shared", "2")]),
    ];
    let (_, errors) = available_exports("app", &neighbours, &[cloudformation("shared", "3")]);
    assert_eq!(errors.len(), 2);
    assert!(
        errors[0]
            .to_string()
            .contains("`shared` is exported by both infra stack `a` and infra stack `b`"),
        "{}",
        errors[0]
    );
}

#[test]
fn a_new_export_already_exported_elsewhere_is_an_error() {
    let (available, _) = available_exports("app", &[], &[cloudformation("taken", "3")]);
    let new = BTreeMap::from([("taken".to_owned(), Value::String("4".into()))]);
    let errors = check_own_exports(&State::new("app"), &new, &available, &BTreeMap::new());
    assert!(matches!(&errors[..], [ExportError::Duplicate { name, .. }] if name == "taken"));
}

#[test]
fn deleting_or_changing_an_imported_export_is_refused_naming_the_importer() {
    let state = exporting("network", &[("net:VpcId", "vpc-1"), ("net:Free", "f")]);
    let neighbours = [importing("app", "network", &["net:VpcId"])];
    let importers = infra_importers("network", &neighbours);
    assert_eq!(importers["net:VpcId"], ["infra stack `app`"]);
    let none = BTreeMap::new();

    // Destroy, or an export left out of the template.
    let errors = check_own_exports(&state, &BTreeMap::new(), &none, &importers);
    assert_eq!(
        errors.iter().map(ToString::to_string).collect::<Vec<_>>(),
        [
            "export `net:VpcId` is imported by infra stack `app`; this plan would delete it: \
          remove the imports first"
        ]
    );
    // A new value, or one known only after apply.
    for value in [
        Value::String("vpc-2".into()),
        Value::Unknown(Unknown::Derived),
    ] {
        let new = BTreeMap::from([("net:VpcId".to_owned(), value)]);
        let errors = check_own_exports(&state, &new, &none, &importers);
        assert!(
            matches!(&errors[..], [ExportError::InUse { .. }]),
            "{errors:?}"
        );
    }
    // The same value, and exports nobody imports, are fine.
    let new = BTreeMap::from([("net:VpcId".to_owned(), Value::String("vpc-1".into()))]);
    assert!(check_own_exports(&state, &new, &none, &importers).is_empty());
}

#[test]
fn imports_of_other_exporters_do_not_count() {
    let neighbours = [importing("app", "elsewhere", &["net:VpcId"])];
    assert!(infra_importers("network", &neighbours).is_empty());
}

#[test]
fn a_redacted_export_is_not_imported() {
    let mut state = State::new("secrets");
    state.outputs.insert(
        "Password".into(),
        OutputRecord {
            value: RecordedValue::redact(&json!("hunter2")),
            description: None,
            export_name: Some("db:Password".into()),
        },
    );
    let (available, _) = available_exports("app", &[state], &[]);
    let errors = resolve_imports(&wanted(&["db:Password"]), &available, &[]).expect_err("redacted");
    assert!(matches!(&errors[..], [ExportError::Redacted { .. }]));
}

#[test]
fn a_duplicate_elsewhere_fails_only_the_stacks_that_import_or_export_it() {
    let cf = [cloudformation("shared", "1"), cloudformation("other", "2")];
    let neighbours = [exporting("a", &[("shared", "x")])];
    let (available, duplicates) = available_exports("app", &neighbours, &cf);
    assert_eq!(duplicates.len(), 1);
    // Importing the other name works; importing the duplicated one names both exporters.
    let wanted = BTreeSet::from(["other".to_owned()]);
    assert!(resolve_imports(&wanted, &available, &[]).is_ok());
    let wanted = BTreeSet::from(["shared".to_owned()]);
    let errors = resolve_imports(&wanted, &available, &[]).expect_err("duplicated");
    assert!(matches!(&errors[..], [ExportError::Duplicate { name, .. }] if name == "shared"));
}
