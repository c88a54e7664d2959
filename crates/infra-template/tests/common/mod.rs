//! Helpers shared by the integration tests: templates written to a temporary directory,
//! loaded with [`infra_template::load`], and small accessors for the results.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use infra_template::{Deployment, LoadError, LoadOptions, Lookups, Offline, Pseudo, Value, load};

/// A temporary directory holding template files.
pub struct Dir {
    pub dir: tempfile::TempDir,
}

impl Dir {
    pub fn new() -> Self {
        Dir {
            dir: tempfile::tempdir().expect("create a temporary directory"),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes `text` to `name` (creating parent directories) and returns its path.
    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.path(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("create directories");
        }
        std::fs::write(&p, text).expect("write template");
        p
    }

    pub fn load(
        &self,
        name: &str,
        opts: &LoadOptions,
        lookups: &dyn Lookups,
    ) -> Result<Deployment, LoadError> {
        load(&self.path(name), opts, lookups)
    }
}

/// Options with the stack name `demo` and the region given.
pub fn opts(region: Option<&str>) -> LoadOptions {
    LoadOptions {
        texts: Default::default(),
        artifacts: Default::default(),
        parameters: BTreeMap::new(),
        pseudo: Pseudo {
            region: region.map(str::to_string),
            account_id: None,
            stack_name: "demo".to_string(),
        },
    }
}

/// Options in `us-east-1` with the parameters given.
pub fn with_params(params: &[(&str, &str)]) -> LoadOptions {
    let mut o = opts(Some("us-east-1"));
    for (k, v) in params {
        o.parameters.insert((*k).to_string(), (*v).to_string());
    }
    o
}

/// Writes `text` as `template.yaml` in a fresh directory and loads it.
pub fn load_text(
    text: &str,
    opts: &LoadOptions,
    lookups: &dyn Lookups,
) -> Result<Deployment, LoadError> {
    load_named("template.yaml", text, opts, lookups)
}

pub fn load_named(
    name: &str,
    text: &str,
    opts: &LoadOptions,
    lookups: &dyn Lookups,
) -> Result<Deployment, LoadError> {
    let d = Dir::new();
    d.write(name, text);
    d.load(name, opts, lookups)
}

/// Loads and expects success, showing every diagnostic otherwise.
pub fn ok(text: &str, opts: &LoadOptions, lookups: &dyn Lookups) -> Deployment {
    match load_text(text, opts, lookups) {
        Ok(d) => d,
        Err(e) => panic!(
            "expected the template to load, got:\n{}\n--- template ---\n{text}",
            render(&e)
        ),
    }
}

/// Loads and expects failure; returns every message (with notes).
pub fn err(text: &str, opts: &LoadOptions, lookups: &dyn Lookups) -> LoadError {
    match load_text(text, opts, lookups) {
        Ok(_) => panic!("expected the template to fail to load\n--- template ---\n{text}"),
        Err(e) => e,
    }
}

/// Every message and note of a load error, one per line, each prefixed with `line:col`.
pub fn render(e: &LoadError) -> String {
    let mut out = String::new();
    for d in &e.diagnostics.0 {
        match d.span {
            Some(s) => out.push_str(&format!(
                "{}:{}:{}: {}\n",
                e.sources.path(s.file).display(),
                s.line,
                s.col,
                d.message
            )),
            None => out.push_str(&format!("{}\n", d.message)),
        }
        for n in &d.notes {
            out.push_str(&format!("  note: {}\n", n.message));
        }
    }
    out
}

/// Asserts that some diagnostic message contains `needle`, and returns that diagnostic.
pub fn has_error<'e>(e: &'e LoadError, needle: &str) -> &'e infra_template::Diagnostic {
    e.diagnostics
        .0
        .iter()
        .find(|d| d.message.contains(needle))
        .unwrap_or_else(|| panic!("no diagnostic contains {needle:?}; got:\n{}", render(e)))
}

/// A template whose resource `R` (an IAM role; its policy document takes any JSON) holds
/// `expr` under `AssumeRolePolicyDocument.V`. `head` goes before `Resources` (Parameters,
/// Mappings, Conditions), `more` after `R` inside `Resources` (indented by two spaces).
pub fn value_template(head: &str, more: &str, expr: &str) -> String {
    format!(
        "{head}\nResources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        V: {expr}\n{more}\n"
    )
}

/// The value of `V` in [`value_template`]'s resource `R`; `None` when it was removed.
pub fn v_of(d: &Deployment) -> Option<Value> {
    let r = d.resource("R").expect("resource R");
    match &r.properties {
        Value::Map(m) => match m.get("AssumeRolePolicyDocument") {
            Some(Value::Map(doc)) => doc.get("V").cloned(),
            other => panic!("AssumeRolePolicyDocument is not a mapping: {other:?}"),
        },
        other => panic!("properties are not a mapping: {other:?}"),
    }
}

/// Evaluates `expr` in [`value_template`] (in us-east-1, offline) and returns `V`.
pub fn eval(head: &str, expr: &str) -> Value {
    eval_with(head, "", expr, &opts(Some("us-east-1")), &Offline)
}

pub fn eval_with(
    head: &str,
    more: &str,
    expr: &str,
    opts: &LoadOptions,
    lookups: &dyn Lookups,
) -> Value {
    let d = ok(&value_template(head, more, expr), opts, lookups);
    v_of(&d).expect("V is present")
}

/// Loads [`value_template`] and expects an error containing `needle`.
pub fn eval_err(head: &str, expr: &str, needle: &str) -> LoadError {
    let e = err(
        &value_template(head, "", expr),
        &opts(Some("us-east-1")),
        &Offline,
    );
    has_error(&e, needle);
    e
}

/// A property of a resource.
pub fn prop<'d>(d: &'d Deployment, address: &str, key: &str) -> &'d Value {
    let r = d.resource(address).unwrap_or_else(|| {
        panic!(
            "no resource {address}; have {:?}",
            d.resources.iter().map(|r| &r.address).collect::<Vec<_>>()
        )
    });
    match &r.properties {
        Value::Map(m) => m
            .get(key)
            .unwrap_or_else(|| panic!("{address} has no property {key}: {:?}", r.properties)),
        other => panic!("properties of {address} are not a mapping: {other:?}"),
    }
}

/// The (target, kind) pairs of a resource's dependencies, sorted and deduplicated.
pub fn deps(d: &Deployment, address: &str) -> Vec<(String, &'static str)> {
    let r = d
        .resource(address)
        .unwrap_or_else(|| panic!("no resource {address}"));
    let mut v: Vec<_> = r
        .deps
        .iter()
        .map(|d| (d.target.clone(), d.kind.as_str()))
        .collect();
    v.sort();
    v.dedup();
    v
}

pub fn s(x: &str) -> Value {
    Value::String(x.to_string())
}

pub fn list(items: &[&str]) -> Value {
    Value::List(items.iter().map(|i| s(i)).collect())
}

/// Values AWS would know, for tests.
#[derive(Default)]
pub struct Fake {
    pub zones: BTreeMap<String, Vec<String>>,
    pub ssm: BTreeMap<String, Value>,
    pub exports: BTreeMap<String, Value>,
    pub refs: BTreeMap<String, Value>,
    pub attributes: BTreeMap<(String, String), Value>,
}

impl Lookups for Fake {
    fn resource_ref(&self, address: &str) -> Option<Value> {
        self.refs.get(address).cloned()
    }
    fn resource_attribute(&self, address: &str, attribute: &str) -> Option<Value> {
        self.attributes
            .get(&(address.to_string(), attribute.to_string()))
            .cloned()
    }
    fn availability_zones(&self, region: &str) -> Option<Vec<String>> {
        self.zones.get(region).cloned()
    }
    fn ssm_parameter(&self, name: &str) -> Option<Value> {
        self.ssm.get(name).cloned()
    }
    fn import_value(&self, name: &str) -> Option<Value> {
        self.exports.get(name).cloned()
    }
}

/// The path of the reference fixture directory, or a panic explaining where it was looked for.
pub fn fixture_dir() -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/fixtures/container-patterns/public-facing-api-ecs-ec2");
    assert!(
        p.join("parent.yml").is_file(),
        "fixture templates not found at {} (expected the shared fixtures beside the checkout)",
        p.display()
    );
    p
}
