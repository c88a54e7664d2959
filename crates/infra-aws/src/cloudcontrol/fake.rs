//! A fake Cloud Control for the unit tests: resources in memory, requests that end after a
//! number of polls, client tokens, scripted failures (a request that ends `FAILED` with a code,
//! a call refused with an exception) and a log of every call.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use infra_registry::catalog;
use serde_json::{Map, Value, json};

use super::api::{Api, Described, Event, Page, Status};
use crate::error::AwsError;

#[derive(Debug, Clone)]
struct Request {
    polls_left: u32,
    identifier: Option<String>,
    identifier_at_start: bool,
    failure: Option<(String, String)>,
    model: Option<String>,
    fingerprint: String,
}

#[derive(Debug, Default)]
pub(crate) struct State {
    /// (type, identifier) → stored properties (write-only ones included).
    pub(crate) resources: BTreeMap<(String, String), Value>,
    requests: BTreeMap<String, Request>,
    tokens: BTreeMap<String, String>,
    /// Operation → handler error codes the next requests end with.
    pub(crate) event_faults: BTreeMap<String, VecDeque<String>>,
    /// Operation → exception codes the next calls are refused with.
    pub(crate) call_faults: BTreeMap<String, VecDeque<String>>,
    /// Every call: `Operation` and its main argument.
    pub(crate) calls: Vec<String>,
    /// Every patch document sent.
    pub(crate) patches: Vec<Value>,
    /// Polls a request answers `IN_PROGRESS` before its end.
    pub(crate) polls: u32,
    /// Resources per `ListResources` page.
    pub(crate) page_size: usize,
    /// `ListResources` answers identifiers only (as many AWS list handlers do).
    pub(crate) list_identifiers_only: bool,
    next_id: u64,
}

/// The fake (cloning shares it).
#[derive(Debug, Clone)]
pub(crate) struct Fake(pub(crate) Arc<Mutex<State>>);

impl Default for Fake {
    fn default() -> Self {
        Fake(Arc::new(Mutex::new(State {
            polls: 1,
            page_size: 100,
            ..State::default()
        })))
    }
}

fn error(operation: &str, code: &str) -> AwsError {
    if code == "ThrottlingException" {
        return AwsError::Throttled {
            service: "cloudcontrolapi".into(),
            operation: operation.into(),
            code: code.into(),
            message: "Rate exceeded".into(),
        };
    }
    AwsError::Service {
        service: "cloudcontrolapi".into(),
        operation: operation.into(),
        code: code.into(),
        message: format!("{code} (fake)"),
        request_id: None,
    }
}

impl Fake {
    pub(crate) fn state(&self) -> MutexGuard<'_, State> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Requests of `operation` end `FAILED` with each of `codes`, in turn.
    pub(crate) fn fail_events(&self, operation: &str, codes: &[&str]) {
        self.state()
            .event_faults
            .entry(operation.into())
            .or_default()
            .extend(codes.iter().map(|c| (*c).to_owned()));
    }

    /// Calls of `operation` are refused with each of `codes`, in turn.
    pub(crate) fn fail_calls(&self, operation: &str, codes: &[&str]) {
        self.state()
            .call_faults
            .entry(operation.into())
            .or_default()
            .extend(codes.iter().map(|c| (*c).to_owned()));
    }

    /// The calls made so far of `operation`.
    pub(crate) fn calls(&self, operation: &str) -> usize {
        self.state()
            .calls
            .iter()
            .filter(|c| c.split(' ').next() == Some(operation))
            .count()
    }

    /// The resources of `type_name`.
    pub(crate) fn count(&self, type_name: &str) -> usize {
        self.state()
            .resources
            .keys()
            .filter(|(t, _)| t == type_name)
            .count()
    }

    /// Puts a resource in place, as if made outside infra.
    pub(crate) fn put(&self, type_name: &str, identifier: &str, properties: Value) {
        self.state()
            .resources
            .insert((type_name.into(), identifier.into()), properties);
    }

    fn begin(&self, operation: &str, detail: &str) -> Result<MutexGuard<'_, State>, AwsError> {
        let mut state = self.state();
        state.calls.push(format!("{operation} {detail}"));
        if let Some(code) = state
            .call_faults
            .get_mut(operation)
            .and_then(VecDeque::pop_front)
        {
            return Err(error(operation, &code));
        }
        Ok(state)
    }
}

/// What `GetResource` shows of stored properties: without write-only ones.
fn view(type_name: &str, stored: &Value) -> Value {
    let Some(entry) = catalog::lookup(type_name) else {
        return stored.clone();
    };
    let mut out = stored.clone();
    if let Some(map) = out.as_object_mut() {
        map.retain(|k, _| !entry.is_write_only(k));
    }
    out
}

fn event(token: &str, request: &Request, initial: bool) -> Event {
    let status = if initial || request.polls_left > 0 {
        Status::InProgress
    } else if request.failure.is_some() {
        Status::Failed
    } else {
        Status::Success
    };
    let show_identifier = !initial || request.identifier_at_start;
    Event {
        status: status.clone(),
        request_token: Some(token.to_owned()),
        identifier: request.identifier.clone().filter(|_| show_identifier),
        error_code: request
            .failure
            .as_ref()
            .filter(|_| status == Status::Failed)
            .map(|f| f.0.clone()),
        status_message: request
            .failure
            .as_ref()
            .filter(|_| status == Status::Failed)
            .map(|f| f.1.clone()),
        resource_model: request.model.clone().filter(|_| status == Status::Success),
        retry_after: None,
    }
}

impl Request {
    /// A request about the existing resource `identifier`.
    fn on(identifier: &str, fingerprint: String) -> Self {
        Request {
            polls_left: 0,
            identifier: Some(identifier.to_owned()),
            identifier_at_start: true,
            failure: None,
            model: None,
            fingerprint,
        }
    }
}

impl State {
    /// Whether a failure is scripted for the next request of `operation`.
    fn faulted(&self, operation: &str) -> bool {
        self.event_faults
            .get(operation)
            .is_some_and(|q| !q.is_empty())
    }

    fn request(
        &mut self,
        operation: &str,
        fingerprint: String,
        token: Option<&str>,
    ) -> Result<Option<(String, Event)>, AwsError> {
        if let Some(token) = token
            && let Some(request_token) = self.tokens.get(token).cloned()
            && let Some(request) = self.requests.get(&request_token)
        {
            if request.fingerprint != fingerprint {
                return Err(error(operation, "ClientTokenConflictException"));
            }
            let event = event(&request_token, request, false);
            return Ok(Some((request_token, event)));
        }
        Ok(None)
    }

    fn add(&mut self, operation: &str, token: Option<&str>, mut request: Request) -> Event {
        self.next_id += 1;
        let request_token = format!("request-{}", self.next_id);
        if request.failure.is_none()
            && let Some(code) = self
                .event_faults
                .get_mut(operation)
                .and_then(VecDeque::pop_front)
        {
            request.failure = Some((code.clone(), format!("{code} (injected)")));
        }
        request.polls_left = self.polls;
        if let Some(token) = token {
            self.tokens.insert(token.to_owned(), request_token.clone());
        }
        let first = event(&request_token, &request, true);
        self.requests.insert(request_token, request);
        first
    }
}

impl Api for Fake {
    async fn create(
        &self,
        type_name: &str,
        desired: &str,
        token: Option<&str>,
    ) -> Result<Event, AwsError> {
        let mut state = self.begin("CreateResource", type_name)?;
        let fingerprint = format!("create {type_name} {desired}");
        if let Some((_, event)) = state.request("CreateResource", fingerprint.clone(), token)? {
            return Ok(event);
        }
        let desired: Value = serde_json::from_str(desired)
            .map_err(|_| error("CreateResource", "InvalidRequestException"))?;
        let entry = catalog::lookup(type_name)
            .ok_or_else(|| error("CreateResource", "TypeNotFoundException"))?;
        let named: Option<Vec<String>> = entry
            .primary_identifier
            .iter()
            .map(|p| desired.get(*p).and_then(Value::as_str).map(str::to_owned))
            .collect();
        let faulted = state.faulted("CreateResource");
        let mut request = Request {
            polls_left: 0,
            identifier: named.as_ref().map(|parts| parts.join("|")),
            identifier_at_start: named.is_some(),
            failure: None,
            model: None,
            fingerprint,
        };
        let exists = request.identifier.as_ref().is_some_and(|id| {
            state
                .resources
                .contains_key(&(type_name.to_owned(), id.clone()))
        });
        if exists {
            request.failure = Some(("AlreadyExists".into(), "Resource already exists".into()));
        } else if !faulted {
            let identifier = match &request.identifier {
                Some(id) => id.clone(),
                None => {
                    state.next_id += 1;
                    format!("generated-{}", state.next_id)
                }
            };
            let mut stored: Map<String, Value> = desired.as_object().cloned().unwrap_or_default();
            for path in entry.primary_identifier {
                stored
                    .entry(path.to_string())
                    .or_insert_with(|| json!(identifier));
            }
            for p in entry.properties.iter().filter(|p| p.read_only) {
                stored
                    .entry(p.name.to_string())
                    .or_insert_with(|| json!(format!("{}:{identifier}", p.name)));
            }
            let stored = Value::Object(stored);
            request.model = Some(view(type_name, &stored).to_string());
            state
                .resources
                .insert((type_name.to_owned(), identifier.clone()), stored);
            request.identifier = Some(identifier);
        }
        Ok(state.add("CreateResource", token, request))
    }

    async fn update(
        &self,
        type_name: &str,
        identifier: &str,
        patch: &str,
        token: Option<&str>,
    ) -> Result<Event, AwsError> {
        let mut state = self.begin("UpdateResource", identifier)?;
        let fingerprint = format!("update {type_name} {identifier} {patch}");
        if let Some((_, event)) = state.request("UpdateResource", fingerprint.clone(), token)? {
            return Ok(event);
        }
        let ops: Value = serde_json::from_str(patch)
            .map_err(|_| error("UpdateResource", "InvalidRequestException"))?;
        state.patches.push(ops.clone());
        let faulted = state.faulted("UpdateResource");
        let key = (type_name.to_owned(), identifier.to_owned());
        let mut request = Request::on(identifier, fingerprint);
        match state.resources.get(&key).cloned() {
            None => request.failure = Some(("NotFound".into(), "not found".into())),
            Some(_) if faulted => {}
            Some(stored) => {
                let mut model = view(type_name, &stored);
                for op in ops.as_array().into_iter().flatten() {
                    let path = op["path"]
                        .as_str()
                        .unwrap_or_default()
                        .trim_start_matches('/')
                        .to_owned();
                    let Some(map) = model.as_object_mut() else {
                        continue;
                    };
                    match op["op"].as_str() {
                        Some("add" | "replace") => {
                            map.insert(path, op["value"].clone());
                        }
                        Some("remove") => {
                            map.remove(&path);
                        }
                        _ => {}
                    }
                }
                request.model = Some(view(type_name, &model).to_string());
                state.resources.insert(key, model);
            }
        }
        Ok(state.add("UpdateResource", token, request))
    }

    async fn delete(
        &self,
        type_name: &str,
        identifier: &str,
        token: Option<&str>,
    ) -> Result<Event, AwsError> {
        let mut state = self.begin("DeleteResource", identifier)?;
        let fingerprint = format!("delete {type_name} {identifier}");
        if let Some((_, event)) = state.request("DeleteResource", fingerprint.clone(), token)? {
            return Ok(event);
        }
        let faulted = state.faulted("DeleteResource");
        let key = (type_name.to_owned(), identifier.to_owned());
        let mut request = Request::on(identifier, fingerprint);
        if !state.resources.contains_key(&key) {
            request.failure = Some(("NotFound".into(), "not found".into()));
        } else if !faulted {
            state.resources.remove(&key);
        }
        Ok(state.add("DeleteResource", token, request))
    }

    async fn status(&self, request_token: &str) -> Result<Event, AwsError> {
        let mut state = self.begin("GetResourceRequestStatus", request_token)?;
        let Some(request) = state.requests.get_mut(request_token) else {
            return Err(error(
                "GetResourceRequestStatus",
                "RequestTokenNotFoundException",
            ));
        };
        request.polls_left = request.polls_left.saturating_sub(1);
        Ok(event(request_token, request, false))
    }

    async fn get(&self, type_name: &str, identifier: &str) -> Result<Described, AwsError> {
        let state = self.begin("GetResource", identifier)?;
        let stored = state
            .resources
            .get(&(type_name.to_owned(), identifier.to_owned()))
            .ok_or_else(|| error("GetResource", "ResourceNotFoundException"))?;
        Ok(Described {
            identifier: identifier.to_owned(),
            properties: view(type_name, stored).to_string(),
        })
    }

    async fn list(&self, type_name: &str, next: Option<&str>) -> Result<Page, AwsError> {
        let state = self.begin("ListResources", next.unwrap_or(type_name))?;
        let start: usize = next.and_then(|n| n.parse().ok()).unwrap_or(0);
        let all: Vec<Described> = state
            .resources
            .iter()
            .filter(|((t, _), _)| t == type_name)
            .map(|((_, id), stored)| Described {
                identifier: id.clone(),
                properties: if state.list_identifiers_only {
                    "{}".to_owned()
                } else {
                    view(type_name, stored).to_string()
                },
            })
            .collect();
        let end = (start + state.page_size).min(all.len());
        Ok(Page {
            resources: all
                .get(start..end)
                .map(<[Described]>::to_vec)
                .unwrap_or_default(),
            next: (end < all.len()).then(|| end.to_string()),
        })
    }
}
