//! Secret attributes (an access key's `SecretAccessKey`, see
//! [`infra_registry::sensitive_attributes`]) are kept only where the template reads them.
//!
//! AWS returns such a value once, when the object is made. When the template reads it through
//! `Fn::GetAtt` (directly or in an `Fn::Sub`), a later plan needs it, so the state keeps it in
//! clear in the resource's own record (the state writer redacts it everywhere else, and every
//! printer redacts it). When nothing reads it, [`keeping_read`] drops it from what the
//! provider returns, so it is never written anywhere.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use infra_provider::{
    BoxFuture, Coverage, CreateInput, DeleteInput, FindInput, Observation, ProviderError,
    Providers, ReadInput, ResourceOutput, ResourceProvider, UpdateInput,
};

/// (resource address, attribute) pairs a template reads through `Fn::GetAtt`.
pub type AttributesRead = BTreeSet<(String, String)>;

/// `providers`, each dropping the secret attributes `read` does not list from what it returns.
pub fn keeping_read(providers: Providers, read: &AttributesRead) -> Providers {
    let read = Arc::new(read.clone());
    providers.map(|inner| {
        Box::new(KeepingRead {
            inner,
            read: Arc::clone(&read),
        })
    })
}

/// A provider whose outputs hold only the secret attributes the template reads.
struct KeepingRead {
    inner: Box<dyn ResourceProvider>,
    read: Arc<AttributesRead>,
}

impl std::fmt::Debug for KeepingRead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeepingRead")
            .field("type", &self.inner.type_name())
            .finish_non_exhaustive()
    }
}

impl KeepingRead {
    fn keep(&self, type_name: &str, address: &str, output: &mut ResourceOutput) {
        drop_unread(&self.read, type_name, address, &mut output.attributes);
    }
}

/// Removes from `attributes` every secret attribute of `type_name` that `read` does not list
/// for `address`.
pub fn drop_unread(
    read: &AttributesRead,
    type_name: &str,
    address: &str,
    attributes: &mut BTreeMap<String, serde_json::Value>,
) {
    for name in infra_registry::sensitive_attributes(type_name) {
        if !read.contains(&(address.to_owned(), (*name).to_owned())) {
            attributes.remove(*name);
        }
    }
}

impl ResourceProvider for KeepingRead {
    fn type_name(&self) -> &'static str {
        self.inner.type_name()
    }

    fn coverage(&self) -> Coverage {
        self.inner.coverage()
    }

    fn create<'a>(
        &'a self,
        input: &'a CreateInput,
    ) -> BoxFuture<'a, Result<ResourceOutput, ProviderError>> {
        Box::pin(async move {
            let mut out = self.inner.create(input).await?;
            self.keep(&input.type_name, &input.address, &mut out);
            Ok(out)
        })
    }

    fn update<'a>(
        &'a self,
        input: &'a UpdateInput,
    ) -> BoxFuture<'a, Result<ResourceOutput, ProviderError>> {
        Box::pin(async move {
            let mut out = self.inner.update(input).await?;
            self.keep(&input.type_name, &input.address, &mut out);
            Ok(out)
        })
    }

    fn delete<'a>(&'a self, input: &'a DeleteInput) -> BoxFuture<'a, Result<(), ProviderError>> {
        self.inner.delete(input)
    }

    fn read<'a>(
        &'a self,
        items: &'a [ReadInput],
    ) -> BoxFuture<'a, Result<BTreeMap<String, Observation>, ProviderError>> {
        self.inner.read(items)
    }

    fn find<'a>(
        &'a self,
        input: &'a FindInput,
    ) -> BoxFuture<'a, Result<Option<ResourceOutput>, ProviderError>> {
        Box::pin(async move {
            let mut found = self.inner.find(input).await?;
            if let Some(out) = &mut found {
                self.keep(&input.type_name, &input.address, out);
            }
            Ok(found)
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn unread_secret_attributes_are_dropped_and_read_ones_kept() {
        let attributes = || {
            BTreeMap::from([
                ("SecretAccessKey".to_owned(), json!("wJalr-secret")),
                ("Id".to_owned(), json!("AKIA1")),
            ])
        };
        let key = "AWS::IAM::AccessKey";
        let mut unread = attributes();
        drop_unread(&AttributesRead::new(), key, "Key", &mut unread);
        assert_eq!(unread.keys().collect::<Vec<_>>(), ["Id"]);

        let read = AttributesRead::from([("Key".to_owned(), "SecretAccessKey".to_owned())]);
        let mut kept = attributes();
        drop_unread(&read, key, "Key", &mut kept);
        assert_eq!(kept, attributes());
        let mut other = attributes();
        drop_unread(&read, key, "OtherKey", &mut other);
        assert!(!other.contains_key("SecretAccessKey"));

        let mut role = BTreeMap::from([("SecretAccessKey".to_owned(), json!("x"))]);
        drop_unread(&AttributesRead::new(), "AWS::IAM::Role", "R", &mut role);
        assert_eq!(
            role.len(),
            1,
            "only the type's own secret attributes are dropped"
        );
    }
}
