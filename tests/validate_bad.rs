//! `infra validate` on the bad templates under `tests/bad/`: each names a realistic mistake,
//! and `infra` must reject it with exit code 1, a `FILE:LINE:COL: error:` line at the line
//! where the mistake is, a message naming the problem, the source line with a caret under
//! it, and a final `error: template is not valid: N errors`. It must never panic.
//!
//! The table below was written from what `infra` prints, line by line, and then checked
//! against the template: where the product is wrong, the expectation stays the correct one.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root (this file's package is `crates/infra-cli`).
fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// What one run of `infra validate` left behind.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    /// The command line, for failure messages.
    cmd: String,
}

/// Runs `infra validate -t tests/bad/<file> <args>` from the repository root, so that
/// the paths it prints are `tests/bad/...`.
fn validate(file: &str, args: &[&str]) -> Run {
    let template = format!("tests/bad/{file}");
    assert!(
        repo_root().join(&template).is_file(),
        "missing test template {template}"
    );
    let out = Command::new(env!("CARGO_BIN_EXE_infra"))
        .current_dir(repo_root())
        .env("NO_COLOR", "1")
        .env_remove("AWS_REGION")
        .arg("validate")
        .arg("-t")
        .arg(&template)
        .args(args)
        .output()
        .expect("run infra");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        cmd: format!("infra validate -t {template} {}", args.join(" ")),
    }
}

impl Run {
    fn context(&self) -> String {
        format!(
            "\n$ {}\nexit code: {:?}\n--- stdout ---\n{}--- stderr ---\n{}",
            self.cmd, self.code, self.stdout, self.stderr
        )
    }

    /// The lines that carry a message: `FILE:LINE:COL: error|note: ...` and `error: ...`
    /// (not the quoted source lines, which would match any keyword taken from the template).
    fn message_lines(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| {
                l.starts_with("error:") || l.contains(": error: ") || l.contains(": note: ")
            })
            .collect()
    }

    fn has_caret_line(&self) -> bool {
        self.stderr.lines().any(|l| {
            l.trim_start()
                .strip_prefix('|')
                .is_some_and(|rest| rest.trim_start().starts_with('^'))
        })
    }

    /// Exit 1, no panic, a caret line, and `errors` problems in the final line.
    fn assert_rejected(&self, errors: usize) {
        let ctx = self.context();
        assert!(
            !self.stderr.contains("panicked") && !self.stdout.contains("panicked"),
            "infra panicked{ctx}"
        );
        assert_eq!(self.code, Some(1), "expected exit code 1{ctx}");
        assert!(
            self.has_caret_line(),
            "expected the source line with a caret line (`   | ^^^`) under it{ctx}"
        );
        let plural = if errors == 1 { "error" } else { "errors" };
        let summary = format!("error: template is not valid: {errors} {plural}");
        assert!(
            self.stderr.lines().any(|l| l.trim_end() == summary),
            "expected the final line `{summary}` (one problem per file: no cascade, no duplicate){ctx}"
        );
    }

    /// A diagnostic (error, or a note of one) at `tests/bad/<file>:<line>:`, and `keyword`
    /// (case-insensitive) in a message line.
    fn assert_reports(&self, file: &str, line: u32, keyword: &str) {
        let ctx = self.context();
        let place = format!("tests/bad/{file}:{line}:");
        assert!(
            self.stderr
                .lines()
                .any(|l| l.starts_with(&place)
                    && (l.contains(": error: ") || l.contains(": note: "))),
            "expected a diagnostic at `{place}`{ctx}"
        );
        let kw = keyword.to_lowercase();
        assert!(
            self.message_lines()
                .iter()
                .any(|l| l.to_lowercase().contains(&kw)),
            "expected a message naming `{keyword}`{ctx}"
        );
    }
}

/// One `#[test]` per case:
/// `name: "root.yml" [extra args] => [in "file-with-the-error.yml"] at LINE, "keyword";`
/// Every case holds exactly one problem, so exactly one error must be reported.
macro_rules! bad_templates {
    ($(
        $name:ident : $file:literal [$($arg:literal),* $(,)?]
            => $(in $efile:literal)? at $line:literal, $kw:literal;
    )*) => {$(
        #[test]
        fn $name() {
            let run = validate($file, &[$($arg),*]);
            #[allow(unused_mut, unused_assignments)]
            let mut at: &str = $file;
            $(at = $efile;)?
            run.assert_rejected(1);
            run.assert_reports(at, $line, $kw);
        }
    )*};
}

bad_templates! {
    // Syntax.
    yaml_bad_indent: "yaml-bad-indent.yml" [] => at 8, "invalid YAML";
    // The mistake is the `[` left open on line 7; an error (or a note) must point there.
    yaml_unclosed_flow: "yaml-unclosed-flow.yml" [] => at 7, "unclosed";
    yaml_tab_indent: "yaml-tab-indent.yml" [] => at 6, "tab";
    // The trailing comma is on line 8; line 9 only holds the `}` after it.
    json_trailing_comma: "json-trailing-comma.json" [] => at 8, "trailing comma";
    // The comma is missing at the end of line 5.
    json_missing_comma: "json-missing-comma.json" [] => at 5, "expected `,`";
    json_duplicate_key: "json-duplicate-key.json" [] => at 8, "duplicate";
    json_unknown_ref: "json-unknown-ref.json" [] => at 11, "MyVPC";
    duplicate_key: "duplicate-key.yml" [] => at 8, "duplicate";
    duplicate_resource: "duplicate-resource.yml" [] => at 7, "duplicate";
    empty_file: "empty.yml" [] => at 1, "empty";
    unknown_tag: "unknown-tag.yml" [] => at 10, "!Reff";

    // Sections and resources.
    unknown_section: "unknown-section.yml" [] => at 7, "Output";
    resources_empty: "resources-empty.yml" [] => at 3, "resource";
    missing_type: "missing-type.yml" [] => at 3, "Type";
    unsupported_type_typo: "unsupported-type-typo.yml" [] => at 4, "AWS::EC2::Instancee";
    // No native provider and no Cloud Control handlers: nothing but CloudFormation can make it.
    unprovisionable_type: "unprovisionable-type.yml" [] => at 8, "AWS Cloud Control cannot provision it";
    custom_resource: "custom-resource.yml" [] => at 4, "Custom::Other";
    unknown_property: "unknown-property.yml" [] => at 6, "CidrBlok";
    // A documented property the provider refuses whatever its value: reported before apply.
    unsupported_property: "unsupported-property.yml" [] => at 3, "not supported yet";
    missing_required_property: "missing-required-property.yml" [] => at 7, "GroupDescription";
    // `!If` with a false condition removes the only GroupDescription.
    required_property_novalue: "required-property-novalue.yml" [] => at 12, "GroupDescription";
    wrong_property_type_list: "wrong-property-type-list.yml" [] => at 7, "boolean";
    wrong_property_type_mapping: "wrong-property-type-mapping.yml" [] => at 7, "expected a string";

    // References.
    unknown_ref: "unknown-ref.yml" [] => at 10, "MyVPC";
    output_unknown_ref: "output-unknown-ref.yml" [] => at 9, "PublicSubnet";
    getatt_unknown_attribute: "getatt-unknown-attribute.yml" [] => at 9, "Arn";
    getatt_unknown_resource: "getatt-unknown-resource.yml" [] => at 15, "WebSecurityGroup";
    getatt_no_attribute: "getatt-no-attribute.yml" [] => at 9, "Resource.Attribute";
    sub_unknown_variable: "sub-unknown-variable.yml" [] => at 13, "EnvName";
    sub_unknown_attribute: "sub-unknown-attribute.yml" [] => at 10, "VpcIdentifier";
    unknown_intrinsic: "unknown-intrinsic.yml" [] => at 7, "Fn::Foo";
    // The stack name defaults to the file name, so IsProd is false and ProdVpc does not exist.
    ref_to_conditional_resource: "ref-to-conditional-resource.yml" [] => at 13, "ProdVpc";

    // Dependencies.
    dependency_cycle: "dependency-cycle.yml" [] => at 7, "cycle";
    dependson_unknown: "dependson-unknown.yml" [] => at 16, "GatewayAttachment";
    dependson_self: "dependson-self.yml" [] => at 5, "itself";

    // Intrinsic functions.
    select_arity: "select-arity.yml" [] => at 12, "Fn::Select";
    join_arity: "join-arity.yml" [] => at 10, "Fn::Join";
    if_arity: "if-arity.yml" [] => at 8, "Fn::If";
    equals_arity: "equals-arity.yml" [] => at 7, "Fn::Equals";
    select_out_of_range: "select-out-of-range.yml" [] => at 6, "out of range";
    findinmap_miss: "findinmap-miss.yml" [] => at 12, "large";
    cidr_impossible: "cidr-impossible.yml" [] => at 11, "Fn::Cidr";
    // The message must quote the count as written, not a truncated one.
    cidr_count_overflow: "cidr-count-overflow.yml" [] => at 11, "99999999999";

    // Conditions.
    if_undefined_condition: "if-undefined-condition.yml" [] => at 8, "IsProduction";
    resource_undefined_condition: "resource-undefined-condition.yml" [] => at 7, "IsProduction";
    condition_cycle: "condition-cycle.yml" [] => at 3, "cycle";
    ref_resource_in_conditions: "ref-resource-in-conditions.yml" [] => at 3, "MyVpc";

    // Parameters.
    missing_parameter_value: "missing-parameter-value.yml" [] => at 3, "EnvironmentName";
    allowed_values: "allowed-values.yml" ["--parameter", "InstanceType=t3.nano"]
        => at 3, "allowed values";
    allowed_pattern: "allowed-pattern.yml" ["--parameter", "EnvironmentName=Demo_1"]
        => at 3, "pattern";
    min_length: "min-length.yml" ["--parameter", "EnvironmentName=ab"] => at 3, "MinLength";
    max_length: "max-length.yml" ["--parameter", "EnvironmentName=abcdefghijklmnopqrstuvwxyz"]
        => at 3, "MaxLength";
    min_value: "min-value.yml" ["--parameter", "RetentionDays=0"] => at 3, "MinValue";
    max_value: "max-value.yml" ["--parameter", "RetentionDays=400"] => at 3, "MaxValue";
    number_parameter_not_number: "number-parameter-not-number.yml" ["--parameter", "RetentionDays=seven"]
        => at 3, "not a number";
    vpc_id_parameter_wrong: "vpc-id-parameter-wrong.yml" ["--parameter", "VpcId=subnet-123"]
        => at 3, "AWS::EC2::VPC::Id";
    default_not_allowed: "default-not-allowed.yml" [] => at 5, "allowed values";
    parameter_unknown_type: "parameter-unknown-type.yml" [] => at 4, "Strng";

    // Nested stacks (helpers live in tests/bad/nested/).
    // The mistake is the TemplateURL value on line 6, not the logical id.
    nested_missing_file: "nested-missing-file.yml" [] => at 6, "nope.yml";
    nested_include_cycle: "nested-include-cycle.yml" [] => in "nested/cycle-b.yml" at 8, "includes itself";
    nested_url_template: "nested-url-template.yml" [] => at 6, "URL";
    nested_undeclared_parameter: "nested-undeclared-parameter.yml" [] => at 9, "EnvironmentName";
    // The fix goes in the parent, which does not pass the value: point there (error or note).
    nested_missing_child_parameter: "nested-missing-child-parameter.yml" [] => at 3, "EnvironmentName";
    nested_unknown_output: "nested-unknown-output.yml" [] => at 11, "VpcID";
    nested_getatt_without_outputs: "nested-getatt-without-outputs.yml" [] => at 11, "Outputs";
    nested_child_syntax: "nested-child-syntax.yml" [] => in "nested/broken-child.yml" at 9, "invalid YAML";
    nested_child_unknown_ref: "nested-child-unknown-ref.yml" [] => in "nested/bad-ref-child.yml" at 10, "Vpc";
}

/// Two independent mistakes in one file: both are reported, each at its own line.
#[test]
fn two_errors_both_reported() {
    let run = validate("two-errors.yml", &[]);
    run.assert_rejected(2);
    run.assert_reports("two-errors.yml", 10, "MyVPC");
    run.assert_reports("two-errors.yml", 13, "AWS::CodeBuild::Project");
}

/// A resource cycle names every member and points at each edge of it.
#[test]
fn dependency_cycle_points_at_both_refs() {
    let run = validate("dependency-cycle.yml", &[]);
    run.assert_rejected(1);
    run.assert_reports("dependency-cycle.yml", 16, "LbSg");
    run.assert_reports("dependency-cycle.yml", 26, "AppSg");
}

/// `AWS::EC2::Instancee` is one letter off `AWS::EC2::Instance`; suggesting an unrelated
/// supported type misleads.
#[test]
fn unsupported_type_typo_suggests_nothing_unrelated() {
    let run = validate("unsupported-type-typo.yml", &[]);
    run.assert_rejected(1);
    assert!(
        !run.stderr.contains("did you mean `AWS::EC2::Subnet`"),
        "suggests an unrelated type for AWS::EC2::Instancee{}",
        run.context()
    );
}

/// Every template under tests/bad/ (not the nested helpers) is exercised by a case above.
#[test]
fn every_bad_template_has_a_case() {
    let this = std::fs::read_to_string(repo_root().join("tests/validate_bad.rs"))
        .expect("read tests/validate_bad.rs");
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(repo_root().join("tests/bad")).expect("read tests/bad") {
        let entry = entry.expect("dir entry");
        if entry.path().is_file() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !this.contains(&format!("\"{name}\"")) {
                missing.push(name);
            }
        }
    }
    missing.sort();
    assert!(missing.is_empty(), "templates without a case: {missing:?}");
}
