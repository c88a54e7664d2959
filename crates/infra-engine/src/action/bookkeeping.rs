//! What an operation needs around its provider call: the provider of its type and path, the
//! sink its checkpoints go to, the object a replacement replaces, writes to the state (recorded,
//! saved, flushed) and progress events.

use super::*;

impl Runner<'_> {
    pub(super) fn provider(
        &self,
        type_name: &str,
        path: ResourcePath,
    ) -> Result<&dyn ResourceProvider, Failure> {
        crate::recover::provider_on(self.providers, type_name, path).ok_or_else(|| {
            Failure::new(format!(
                "no provider for type {type_name} on the {} path",
                path.as_str()
            ))
        })
    }

    /// Where the create at `address` saves its checkpoint: into its intent, on disk before
    /// the provider goes on.
    pub(super) fn checkpoint_sink(&self, address: &str) -> Arc<CheckpointSink> {
        let writer = self.writer.clone();
        let address = address.to_owned();
        Arc::new(move |data| {
            let writer = writer.clone();
            let address = address.clone();
            Box::pin(async move {
                let stopped = || ProviderError::fatal("the state writer stopped");
                writer
                    .send(StateMsg::Checkpoint { address, data })
                    .map_err(|_| stopped())?;
                let (reply, answer) = oneshot::channel();
                writer.send(StateMsg::Flush(reply)).map_err(|_| stopped())?;
                match answer.await {
                    Ok(Ok(())) => Ok(()),
                    Ok(Err(error)) => Err(ProviderError::fatal(format!(
                        "cannot save the state: {error}"
                    ))),
                    Err(_) => Err(stopped()),
                }
            })
        })
    }

    /// The object as the apply began (from the state, else from the plan).
    pub(super) fn old_object(&self, change: &ResourceChange) -> Result<OldObject, Failure> {
        if let Some(record) = self.initial.resources.get(&change.address) {
            return Ok(OldObject {
                resource_type: record.resource_type.clone(),
                path: record.path,
                physical_id: record.physical_id.clone(),
                properties: record.properties.clone(),
                attributes: record.attributes.clone(),
                deletion_policy: record.deletion_policy,
                update_replace_policy: record.update_replace_policy,
            });
        }
        let Some(physical_id) = change.physical_id.clone() else {
            return Err(Failure::new(
                "it has no physical id in the state or the plan, so it cannot be deleted",
            ));
        };
        Ok(OldObject {
            resource_type: change.type_name.clone(),
            path: change.path,
            physical_id,
            properties: change
                .before
                .as_ref()
                .and_then(|before| before.to_json())
                .unwrap_or_else(|| serde_json::Value::Object(serde_json::Map::new())),
            attributes: BTreeMap::new(),
            deletion_policy: change.deletion_policy,
            update_replace_policy: change.update_replace_policy,
        })
    }

    /// Records a finished action's `message` and waits until it is in the published state,
    /// not until it is on disk: dependents flush their own intent (which saves it too) before
    /// they call AWS, and a write that fails is reported by the next flush and at the end.
    pub(super) async fn record(&self, message: StateMsg) -> Result<(), Failure> {
        let stopped = writer_stopped;
        let (reply, answer) = oneshot::channel();
        self.writer.send(message).map_err(|_| stopped())?;
        self.writer
            .send(StateMsg::Recorded(reply))
            .map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())
    }

    /// Records `message` and waits until it is saved. A failure halts the apply.
    pub(super) async fn save(&self, message: StateMsg) -> Result<(), Failure> {
        self.writer.send(message).map_err(|_| writer_stopped())?;
        self.flush().await
    }

    /// Waits until everything sent to the writer so far is saved. A failure halts the apply.
    pub(super) async fn flush(&self) -> Result<(), Failure> {
        let stopped = writer_stopped;
        let (reply, answer) = oneshot::channel();
        self.writer
            .send(StateMsg::Flush(reply))
            .map_err(|_| stopped())?;
        match answer.await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(error)) => Err(Failure {
                message: format!("cannot save the state: {error}"),
                halt: true,
            }),
            Err(_) => Err(stopped()),
        }
    }

    pub(super) fn started(&self, node: &ActionNode) -> Instant {
        self.emit(Event::Started {
            address: node.address.clone(),
            action: node.operation,
        });
        Instant::now()
    }

    pub(super) fn finished(&self, node: &ActionNode, started: Instant, physical_id: String) {
        self.emit(Event::Finished {
            address: node.address.clone(),
            action: node.operation,
            elapsed: started.elapsed(),
            physical_id,
        });
    }

    pub(super) fn emit(&self, event: Event) {
        // Nobody listening is fine: events only inform.
        let _ = self.events.send(event);
    }
}
