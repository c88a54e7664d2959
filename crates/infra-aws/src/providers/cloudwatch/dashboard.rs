//! `AWS::CloudWatch::Dashboard`: PutDashboard (create and update: it replaces the body),
//! GetDashboard, DeleteDashboards.
//!
//! `DashboardBody` is a JSON document held in a string: it is compared as a document, so
//! another spacing or key order is not drift, and refresh reports the template's own string
//! while AWS holds the same document. `Ref` is the name; the type has no `Fn::GetAtt`.
//!
//! - **Create**: GetDashboard for the name first (PutDashboard is an upsert): a taken name is
//!   adopted only when that dashboard already holds the body the create writes (what an
//!   interrupted create of this resource left), else refused.
//! - **Read**: GetDashboard per dashboard, a few at once: no call returns many bodies
//!   (ListDashboards gives names and sizes only). A body that is not JSON is reported as text.
//! - **Find**: GetDashboard by the name the create used (dashboards carry no tags infra sets).
//!
//! Refused: `Tags`: the SDK in use (aws-sdk-cloudwatch 1.98) has no `Tags` on PutDashboard and
//! documents TagResource for alarms and Contributor Insights rules only. The keys and this
//! refusal are generated from the schema (`mappings/cloudwatch.toml`).

use std::collections::BTreeMap;

use crate::providers::kit::convert::R;
use crate::providers::kit::prelude::*;

use super::Cw;
use crate::generated::cloudwatch::DASHBOARD;

pub(crate) const TYPE: &str = "AWS::CloudWatch::Dashboard";

/// The dashboard provider.
#[derive(Debug)]
pub(crate) struct DashboardProvider {
    pub(crate) cw: Cw,
}

/// The name and body of the template's properties.
pub(super) fn parse(value: &Value, ctx: Ctx<'_>) -> R<(Option<String>, String)> {
    let props = Props::root(value, ctx, DASHBOARD)?;
    let body = props.required_str("DashboardBody")?;
    if let Err(e) = serde_json::from_str::<Value>(&body) {
        return Err(props.fatal("DashboardBody", format!("is not valid JSON: {e}")));
    }
    Ok((props.str("DashboardName")?, body))
}

/// GetDashboard: the body of `name`, `None` when there is no such dashboard.
async fn body_of(cw: &Cw, ctx: Ctx<'_>, name: &str) -> R<Option<String>> {
    let sent = cw.client.get_dashboard().dashboard_name(name).send();
    let doing = format!("reading dashboard {name}");
    let out = kit::found(cw, ctx, doing, sent).await?;
    Ok(out.map(|o| o.dashboard_body().unwrap_or_default().to_owned()))
}

impl DashboardProvider {
    async fn put(&self, ctx: Ctx<'_>, name: &str, body: String) -> R<()> {
        let request = self.cw.client.put_dashboard().dashboard_name(name);
        let doing = format!("writing dashboard {name}");
        send!(&self.cw, ctx, request.dashboard_body(body), doing).map(drop)
    }
}

impl kit::Provider for DashboardProvider {
    const TYPE: &'static str = TYPE;
    const COVERAGE: Coverage = Coverage::native(
        Refresh::PerResource,
        "GetDashboard per dashboard (no call returns many dashboard bodies)",
        Find::Name,
        "GetDashboard of DashboardName",
    );

    async fn create(&self, ctx: Ctx<'_>, input: &CreateInput) -> Made {
        let (name, body) = parse(&input.properties, ctx)?;
        let name = kit::create_name(ctx, name.as_ref(), input, "DashboardName")?;
        if let Some(found) = body_of(&self.cw, ctx, &name).await?
            && !same_document(&json!(found), &json!(body))
        {
            return Err(ctx.fatal(format!(
                "a dashboard named {name} already exists with another body; choose another \
                 DashboardName or import it"
            )));
        }
        self.put(ctx, &name, body).await?;
        Ok(output_of(&name, []))
    }

    async fn update(&self, ctx: Ctx<'_>, input: &UpdateInput) -> Made {
        let (_, body) = parse(&input.after, ctx)?;
        self.put(ctx, &input.physical_id, body).await?;
        Ok(output_of(&input.physical_id, []))
    }

    async fn delete(&self, ctx: Ctx<'_>, input: &DeleteInput) -> R<()> {
        let name = input.physical_id.as_str();
        let request = self.cw.client.delete_dashboards().dashboard_names(name);
        let doing = format!("deleting dashboard {name}");
        request.send().deleted(&self.cw, ctx, doing).await
    }

    async fn read(&self, items: &[ReadInput]) -> Reads {
        kit::read_found(&self.cw, items, |cw, item| async move {
            let ctx = Ctx::new(TYPE, &item.address);
            let Some(body) = body_of(&cw, ctx, &item.physical_id).await? else {
                return Ok(None);
            };
            let last = |key: &str| item.properties.get(key).filter(|v| !v.is_null());
            let mut props = Map::new();
            let body = match last("DashboardBody") {
                Some(prev) if same_document(prev, &json!(body)) => prev.clone(),
                // Not the same: the document, as text (the property is a string).
                _ => match observed_document(&body, false, None) {
                    Value::String(text) => json!(text),
                    doc => json!(doc.to_string()),
                },
            };
            props.insert("DashboardBody".into(), body);
            if let Some(prev) = last("DashboardName") {
                let name = observed_scalar(json!(item.physical_id), Some(prev));
                props.insert("DashboardName".into(), name);
            }
            Ok(Some(Observation::Present {
                properties: Value::Object(props),
                attributes: BTreeMap::new(),
            }))
        })
        .await
    }

    async fn find(&self, ctx: Ctx<'_>, input: &FindInput) -> Found {
        let name = name_to_find(input, "DashboardName", ctx)?;
        let found = body_of(&self.cw, ctx, &name).await?;
        Ok(found.map(|_| output_of(&name, [])))
    }
}
