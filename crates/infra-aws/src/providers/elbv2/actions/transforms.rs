//! Rule transforms (host header and URL rewrites): from the template to the SDK's
//! [`RuleTransform`], and back in the template's shape.

use aws_sdk_elasticloadbalancingv2::types::{
    HostHeaderRewriteConfig, RewriteConfig, RuleTransform, TransformTypeEnum, UrlRewriteConfig,
};
use serde_json::{Value, json};

use crate::provider::ProviderError;
use crate::providers::elbv2::json::{object, s};
use crate::providers::kit::Ctx;
use crate::providers::kit::{self, Keys, Props};

const TRANSFORM_KEYS: &[&str] = &["Type", "HostHeaderRewriteConfig", "UrlRewriteConfig"];

/// A rule's `Transforms` (absent = none).
pub(in crate::providers::elbv2) fn parse_transforms(
    value: Option<&Value>,
    path: &str,
    ctx: Ctx<'_>,
) -> Result<Vec<RuleTransform>, ProviderError> {
    let Some(value) = value else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (i, item) in kit::list(value, path, ctx)?.iter().enumerate() {
        let item_path = format!("{path}[{i}]");
        let obj = Props::object(
            item,
            &item_path,
            ctx,
            Keys::with(TRANSFORM_KEYS, &[]).listed(),
        )?;
        let kind: TransformTypeEnum = kit::one_of(
            &obj.required_str("Type")?,
            TransformTypeEnum::values(),
            &obj.at("Type"),
            ctx,
        )?;
        let rewrites = |key: &str| -> Result<Option<Vec<RewriteConfig>>, ProviderError> {
            let Some(v) = obj.get(key) else {
                return Ok(None);
            };
            let o = Props::object(v, obj.at(key), ctx, Keys::with(&["Rewrites"], &[]).listed())?;
            let mut list = Vec::new();
            for (j, r) in o.list("Rewrites")?.iter().enumerate() {
                let r_path = format!("{}[{j}]", o.at("Rewrites"));
                let rewrite = Props::object(
                    r,
                    &r_path,
                    ctx,
                    Keys::with(&["Regex", "Replace"], &[]).listed(),
                )?;
                list.push(
                    RewriteConfig::builder()
                        .regex(rewrite.required_str("Regex")?)
                        .replace(rewrite.required_str("Replace")?)
                        .build(),
                );
            }
            Ok(Some(list))
        };
        let mut transform = RuleTransform::builder().r#type(kind);
        if let Some(list) = rewrites("HostHeaderRewriteConfig")? {
            transform = transform.host_header_rewrite_config(
                HostHeaderRewriteConfig::builder()
                    .set_rewrites(Some(list))
                    .build(),
            );
        }
        if let Some(list) = rewrites("UrlRewriteConfig")? {
            transform = transform
                .url_rewrite_config(UrlRewriteConfig::builder().set_rewrites(Some(list)).build());
        }
        out.push(transform.build());
    }
    Ok(out)
}

/// A transform as the template writes it.
pub(in crate::providers::elbv2) fn transform_json(t: &RuleTransform) -> Value {
    let rewrites = |list: &[RewriteConfig]| {
        json!({"Rewrites": list.iter().map(|r| object(vec![
            ("Regex", s(r.regex())),
            ("Replace", s(r.replace())),
        ])).collect::<Vec<_>>()})
    };
    object(vec![
        ("Type", s(t.r#type().map(|k| k.as_str()))),
        (
            "HostHeaderRewriteConfig",
            t.host_header_rewrite_config()
                .map(|h| rewrites(h.rewrites())),
        ),
        (
            "UrlRewriteConfig",
            t.url_rewrite_config().map(|u| rewrites(u.rewrites())),
        ),
    ])
}
