use super::*;
use crate::error::LockError;
use crate::read::read_state;
use uuid::Uuid;

fn backend(dir: &tempfile::TempDir) -> LocalBackend {
    LocalBackend::new(&dir.path().join("demo.json"))
}

#[test]
fn the_local_backend_writes_through_the_store_trait() {
    let dir = tempfile::tempdir().expect("tempdir");
    let backend = backend(&dir);
    let (mut store, mut state) = load_or_new(&backend, "demo").expect("new");
    assert_eq!(state.serial, 0);
    store.write(&mut state).expect("first write");
    store.write(&mut state).expect("second write");
    assert_eq!(state.serial, 2);
    assert_eq!(store.location(), backend.location());
    let on_disk = read_state(backend.path())
        .expect("readable")
        .expect("exists");
    assert_eq!((on_disk.lineage, on_disk.serial), (state.lineage, 2));
}

#[test]
fn another_stack_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let backend = backend(&dir);
    let (mut store, mut state) = load_or_new(&backend, "demo").expect("new");
    store.write(&mut state).expect("write");
    let error = load_or_new(&backend, "other").expect_err("other stack");
    assert!(
        matches!(error, StoreError::State(StateError::StackMismatch { .. })),
        "{error}"
    );
}

#[test]
fn a_held_local_lock_refuses_another_and_is_released_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let backend = backend(&dir);
    let lock = backend.lock("apply").expect("lock");
    let holder = backend.read_lock().expect("read").expect("locked");
    assert_eq!(&holder, lock.info());
    let refused = backend.lock("plan").expect_err("held");
    assert!(
        matches!(refused, StoreError::Lock(LockError::Held { .. })),
        "{refused}"
    );
    lock.release().expect("released");
    lock.release().expect("a second release does nothing");
    assert!(backend.read_lock().expect("read").is_none());
    backend
        .lock("plan")
        .expect("free again")
        .release()
        .expect("released");
}

#[test]
fn force_unlock_needs_the_holders_id() {
    let dir = tempfile::tempdir().expect("tempdir");
    let backend = backend(&dir);
    let lock = backend.lock("apply").expect("lock");
    let wrong = backend.force_unlock(&Uuid::new_v4().to_string());
    assert!(
        matches!(wrong, Err(StoreError::Lock(LockError::IdMismatch { .. }))),
        "{wrong:?}"
    );
    let removed = backend
        .force_unlock(&lock.info().id.to_string())
        .expect("removed");
    assert_eq!(&removed, lock.info());
    assert!(backend.read_lock().expect("read").is_none());
}

#[test]
fn a_copy_keeps_the_lineage_and_refuses_another() {
    let dir = tempfile::tempdir().expect("tempdir");
    let source = LocalBackend::new(&dir.path().join("a.json"));
    let target = LocalBackend::new(&dir.path().join("b.json"));
    let (mut store, mut state) = load_or_new(&source, "demo").expect("new");
    store.write(&mut state).expect("write");

    let (mut to, existing) = target.open().expect("open");
    let copied = copy_state(&state, to.as_mut(), existing.as_ref()).expect("copied");
    assert_eq!(copied, Copied::Written { serial: 2 });
    let written = target.read().expect("read").expect("exists");
    assert_eq!(written.lineage, state.lineage);

    // The same state again: nothing to do.
    let (mut to, existing) = target.open().expect("open");
    let mut newer = written.clone();
    let again = copy_state(&newer, to.as_mut(), existing.as_ref()).expect("same");
    assert_eq!(again, Copied::AlreadyThere);

    // An older serial of the same lineage is refused.
    let error = copy_state(&state, to.as_mut(), existing.as_ref()).expect_err("older");
    assert!(
        matches!(
            error,
            StoreError::State(StateError::DestinationNewer { .. })
        ),
        "{error}"
    );

    // Another lineage is refused, and the destination is unchanged.
    let stranger = State::new("demo");
    let error = copy_state(&stranger, to.as_mut(), existing.as_ref()).expect_err("lineage");
    assert!(
        matches!(error, StoreError::State(StateError::LineageMismatch { .. })),
        "{error}"
    );
    let after = target.read().expect("read").expect("exists");
    assert_eq!(
        (after.lineage, after.serial),
        (written.lineage, written.serial)
    );

    // A newer version of the same lineage replaces it.
    newer.outputs.clear();
    newer.serial += 5;
    newer.stack = "demo".into();
    let replaced = copy_state(&newer, to.as_mut(), existing.as_ref()).expect("newer");
    assert_eq!(replaced, Copied::Written { serial: 3 });
}

#[test]
fn neighbours_are_the_states_of_the_directory() {
    let dir = tempfile::tempdir().expect("tempdir");
    for stack in ["demo", "network"] {
        let backend = LocalBackend::new(&dir.path().join(format!("{stack}.json")));
        let (mut store, mut state) = load_or_new(&backend, stack).expect("new");
        store.write(&mut state).expect("write");
    }
    // Not states: a JSON document without a version, a backup, a lock.
    std::fs::write(dir.path().join("schema.json"), "{\"title\": \"x\"}").expect("write");
    let backend = backend(&dir);
    let stacks: Vec<String> = backend
        .neighbours()
        .expect("listed")
        .into_iter()
        .map(|s| s.stack)
        .collect();
    assert_eq!(stacks, ["demo", "network"]);
    assert_eq!(backend.neighbourhood(), dir.path().display().to_string());
    // A broken state is an error: its exports would go unseen.
    std::fs::write(dir.path().join("broken.json"), "{\"version\": 2").expect("write");
    assert!(backend.neighbours().is_err());
}
