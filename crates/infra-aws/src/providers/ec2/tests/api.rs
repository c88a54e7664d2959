//! Unit tests of `api`.

use super::*;

#[test]
fn ids_are_deduplicated_and_chunked() {
    let ids: Vec<String> = (0..450).map(|i| format!("subnet-{i}")).collect();
    let mut with_dups: Vec<&str> = ids.iter().map(String::as_str).collect();
    with_dups.push("subnet-1");
    with_dups.push("");
    let chunks = id_chunks(with_dups);
    assert_eq!(
        chunks.iter().map(Vec::len).collect::<Vec<_>>(),
        [200, 200, 50]
    );
}
