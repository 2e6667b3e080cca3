//! The phone's outbox as it is stored (one JSON text per operation in IndexedDB): its
//! format version, how an older format is read after an upgrade, and the order entries
//! keep. Pure, so the browser and the tests use the same rules.
//!
//! - Entries are ordered by `seq`, a counter the phone keeps (never the clock: a clock
//!   that steps back would put `add_lines` before the `open_table` it needs, and the
//!   server would answer `retry` for ever).
//! - Every entry carries its format `v`. Version 1 (no `v`, a clock-based `seq`) reads as
//!   it is and is written back as the current version.
//! - An entry this version cannot read is kept, not dropped, and shown to the waiter: an
//!   order must never vanish without a word.

use crate::api::Op;
use serde::{Deserialize, Serialize};

/// The format this version writes.
pub const FORMAT: u32 = 2;

fn first_format() -> u32 {
    1
}

/// An operation waiting in the outbox; `seq` keeps the order it was made in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Queued {
    #[serde(default = "first_format")]
    pub v: u32,
    pub seq: f64,
    pub op: Op,
}

/// A stored entry this version could not read: kept as it was, never sent.
#[derive(Clone, Debug, PartialEq)]
pub struct Unreadable {
    /// Its key in the outbox (the operation's id), when even that cannot be found: None.
    pub key: Option<String>,
    pub raw: String,
    pub why: String,
}

/// One stored entry, read.
#[derive(Clone, Debug, PartialEq)]
pub enum Stored {
    /// Readable; `migrated` when it was in an older format and must be written back.
    Ready {
        queued: Queued,
        migrated: bool,
    },
    Unreadable(Unreadable),
}

/// Reads one stored entry.
pub fn read(raw: &str) -> Stored {
    let value = serde_json::from_str::<serde_json::Value>(raw).ok();
    let unreadable = |why: String| {
        let key = value
            .as_ref()
            .and_then(|v| v.pointer("/op/op_id")?.as_str().map(str::to_owned));
        Stored::Unreadable(Unreadable {
            key,
            raw: raw.to_owned(),
            why,
        })
    };
    // The version first: a newer format may not even parse as this one.
    let version = value
        .as_ref()
        .and_then(|v| v.get("v")?.as_u64())
        .unwrap_or(1);
    if version > u64::from(FORMAT) {
        return unreadable(format!(
            "it was saved by a newer version of Comanda (format {version})"
        ));
    }
    match serde_json::from_str::<Queued>(raw) {
        Ok(mut queued) => {
            let migrated = queued.v < FORMAT;
            queued.v = FORMAT;
            Stored::Ready { queued, migrated }
        }
        Err(e) => unreadable(format!("it is damaged ({e})")),
    }
}

/// The `seq` for a new entry: after the phone's counter (`counter`, None on first use)
/// and after the newest entry already queued (which may be from the clock-based format),
/// so a new operation always sorts after every one made before it.
pub fn next_seq(counter: Option<f64>, newest_queued: Option<f64>) -> f64 {
    let last = counter.unwrap_or(0.0).max(newest_queued.unwrap_or(0.0));
    if last.is_finite() {
        last.floor() + 1.0
    } else {
        1.0
    }
}

/// How many orders have changes waiting in `outbox`: what a waiter counts, not the
/// operations it took to make them.
pub fn orders_waiting(outbox: &[Queued]) -> usize {
    let mut orders: Vec<_> = outbox.iter().map(|q| q.op.action.order_id()).collect();
    orders.sort();
    orders.dedup();
    orders.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::OpAction;
    use crate::domain::{OpId, OrderId, TableId};

    fn open_table() -> Op {
        Op {
            op_id: OpId::new_v7(),
            action: OpAction::OpenTable {
                order_id: OrderId::new_v7(),
                table_id: TableId::new_v7(),
                guests: None,
            },
        }
    }

    #[test]
    fn waiting_counts_orders_not_operations() {
        let first = open_table();
        let order_id = first.action.order_id();
        let queued = |op: Op| Queued { v: 1, seq: 1.0, op };
        let send = Op {
            op_id: OpId::new_v7(),
            action: OpAction::SendOrder {
                order_id,
                up_to_course: None,
            },
        };
        let outbox = [queued(first), queued(send), queued(open_table())];
        assert_eq!(orders_waiting(&outbox), 2);
        assert_eq!(orders_waiting(&[]), 0);
    }

    #[test]
    fn new_entries_sort_after_every_earlier_one_whatever_the_clock() {
        assert_eq!(next_seq(None, None), 1.0);
        assert_eq!(next_seq(Some(7.0), None), 8.0);
        // After an upgrade: clock-based entries still queued come first.
        assert_eq!(
            next_seq(Some(7.0), Some(1_764_600_000_000.5)),
            1_764_600_000_001.0
        );
        assert_eq!(next_seq(Some(f64::NAN), None), 1.0);
    }

    #[test]
    fn an_entry_of_the_first_format_is_read_and_written_back() {
        let op = open_table();
        let old = serde_json::json!({ "seq": 1_764_600_000_000.0, "op": op }).to_string();
        match read(&old) {
            Stored::Ready { queued, migrated } => {
                assert!(migrated);
                assert_eq!(queued.v, FORMAT);
                assert_eq!(queued.op, op);
            }
            other => panic!("{other:?}"),
        }
        let current = serde_json::to_string(&Queued {
            v: FORMAT,
            seq: 3.0,
            op: op.clone(),
        })
        .unwrap();
        assert!(matches!(
            read(&current),
            Stored::Ready {
                migrated: false,
                ..
            }
        ));
    }

    #[test]
    fn an_entry_that_cannot_be_read_is_kept_with_its_key() {
        let op = open_table();
        let future = serde_json::json!({ "v": FORMAT + 1, "seq": 1.0, "op": op }).to_string();
        match read(&future) {
            Stored::Unreadable(u) => {
                assert_eq!(u.key, Some(op.op_id.to_string()));
                assert_eq!(u.raw, future);
                assert!(u.why.contains("newer version"), "{}", u.why);
            }
            other => panic!("{other:?}"),
        }
        let mangled = r#"{"seq": 1, "op": {"op_id": "x", "type": "fly_away"}}"#;
        assert!(matches!(
            read(mangled),
            Stored::Unreadable(Unreadable { key: Some(k), .. }) if k == "x"
        ));
        assert!(matches!(
            read("not json"),
            Stored::Unreadable(Unreadable { key: None, .. })
        ));
    }
}
