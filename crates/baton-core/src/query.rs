//! Record-level queries the dashboards need beside the aggregated
//! [`Analysis`](crate::analysis::Analysis): one session's operations for its
//! timeline, failed operations of one error type, and the values the filters
//! can take. They read the dataset and return small owned lists, so a web
//! worker can answer them without sending the dataset across.

use std::cmp::Ordering;
use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::analysis::OperationRef;
use crate::model::{Dataset, Operation, Outcome};

/// Values the filters can take: every agent, model, operation kind and
/// session in the data, sorted and without repeats.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choices {
    /// Agents.
    pub agents: Vec<String>,
    /// Models.
    pub models: Vec<String>,
    /// Operation kinds.
    pub kinds: Vec<String>,
    /// Sessions (from session records and from operations).
    pub sessions: Vec<String>,
}

/// An operation as a list row, its names resolved.
pub fn operation_ref(ds: &Dataset, op: &Operation) -> OperationRef {
    OperationRef {
        id: ds.name(op.id).to_string(),
        kind: ds.name(op.kind).to_string(),
        agent: ds.name(op.agent).to_string(),
        session: op.session.map(|s| ds.name(s).to_string()),
        model: op.model.map(|m| ds.name(m).to_string()),
        start: op.start.map(|t| t.to_rfc3339()),
        duration: op.duration,
        cost: op.cost,
        outcome: op.outcome,
        error_type: op.error_type.map(|e| ds.name(e).to_string()),
        error_message: op.error_message.clone(),
    }
}

/// The operations of session `id`, by start time (operations without a start
/// last, in load order). Empty when no such session exists.
pub fn session_operations(ds: &Dataset, id: &str) -> Vec<OperationRef> {
    let Some(sym) = ds.names.get(id) else {
        return Vec::new();
    };
    let mut ops: Vec<&Operation> = ds
        .operations
        .iter()
        .filter(|o| o.session == Some(sym))
        .collect();
    // Stable sort: ties keep load order.
    crate::sort::sort_by(&mut ops, |a, b| match (a.start, b.start) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    });
    ops.into_iter().map(|o| operation_ref(ds, o)).collect()
}

/// Failed operations, newest first (by end, else start; undated last), at
/// most `limit`. `error_type` None keeps every failure; `Some("")` keeps the
/// failures that record no error type; any other value keeps that type.
pub fn failed_operations(
    ds: &Dataset,
    error_type: Option<&str>,
    limit: usize,
) -> Vec<OperationRef> {
    let wanted = match error_type {
        None => None,
        Some("") => Some(None),
        Some(name) => match ds.names.get(name) {
            Some(sym) => Some(Some(sym)),
            None => return Vec::new(),
        },
    };
    let mut ops: Vec<&Operation> = ds
        .operations
        .iter()
        .filter(|o| o.outcome == Outcome::Failure)
        .filter(|o| wanted.is_none_or(|w| o.error_type == w))
        .collect();
    let when = |o: &Operation| o.end.or(o.start);
    crate::sort::sort_by(&mut ops, |a, b| match (when(a), when(b)) {
        (Some(x), Some(y)) => y.cmp(&x),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    });
    ops.into_iter()
        .take(limit)
        .map(|o| operation_ref(ds, o))
        .collect()
}

/// Every agent, model, kind and session in the data, for the filter menus.
pub fn choices(ds: &Dataset) -> Choices {
    let mut agents = BTreeSet::new();
    let mut models = BTreeSet::new();
    let mut kinds = BTreeSet::new();
    let mut sessions = BTreeSet::new();
    for op in &ds.operations {
        agents.insert(op.agent);
        kinds.insert(op.kind);
        if let Some(m) = op.model {
            models.insert(m);
        }
        if let Some(s) = op.session {
            sessions.insert(s);
        }
    }
    for s in &ds.sessions {
        sessions.insert(s.id);
    }
    let names = |set: BTreeSet<crate::model::Sym>| -> Vec<String> {
        let mut v: Vec<String> = set
            .into_iter()
            .map(|s| ds.name(s).to_string())
            .filter(|s| !s.is_empty())
            .collect();
        crate::sort::sort(&mut v);
        v.dedup();
        v
    };
    Choices {
        agents: names(agents),
        models: names(models),
        kinds: names(kinds),
        sessions: names(sessions),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Session, SourceId, Timestamp};

    fn op(ds: &mut Dataset, id: &str, session: Option<&str>, start: Option<i64>) -> Operation {
        Operation {
            session: session.map(|s| ds.intern(s)),
            start: start.map(Timestamp),
            ..Operation::new(
                ds.intern(id),
                SourceId(0),
                ds.intern("build"),
                ds.intern("coder"),
                Outcome::Success,
            )
        }
    }

    fn ids(list: &[OperationRef]) -> Vec<&str> {
        list.iter().map(|o| o.id.as_str()).collect()
    }

    #[test]
    fn session_operations_are_sorted_by_start_undated_last() {
        let mut ds = Dataset::new();
        for o in [
            op(&mut ds, "c", Some("s1"), Some(3_000)),
            op(&mut ds, "x", Some("s2"), Some(1_000)),
            op(&mut ds, "n", Some("s1"), None),
            op(&mut ds, "a", Some("s1"), Some(1_000)),
            op(&mut ds, "b", Some("s1"), Some(2_000)),
        ] {
            ds.insert_operation(o);
        }
        let got = session_operations(&ds, "s1");
        assert_eq!(ids(&got), ["a", "b", "c", "n"]);
        let first = got
            .first()
            .map(|o| (o.session.as_deref(), o.start.as_deref()));
        assert_eq!(first, Some((Some("s1"), Some("1970-01-01T00:00:01Z"))));
        assert!(session_operations(&ds, "nope").is_empty());
    }

    #[test]
    fn failures_filter_by_type_newest_first_with_limit() {
        let mut ds = Dataset::new();
        let timeout = ds.intern("timeout");
        let syntax = ds.intern("syntax");
        let specs: [(&str, Option<_>, i64, Outcome); 5] = [
            ("f1", Some(timeout), 1_000, Outcome::Failure),
            ("f2", Some(syntax), 5_000, Outcome::Failure),
            ("f3", Some(timeout), 3_000, Outcome::Failure),
            ("f4", None, 4_000, Outcome::Failure),
            ("ok", Some(timeout), 9_000, Outcome::Success),
        ];
        for (id, et, start, outcome) in specs {
            let mut o = op(&mut ds, id, None, Some(start));
            o.error_type = et;
            o.outcome = outcome;
            ds.insert_operation(o);
        }
        // All failures, newest first: f2 (5 s), f4 (4 s), f3 (3 s), f1 (1 s).
        assert_eq!(
            ids(&failed_operations(&ds, None, 10)),
            ["f2", "f4", "f3", "f1"]
        );
        assert_eq!(ids(&failed_operations(&ds, None, 2)), ["f2", "f4"]);
        // Successes are never failures, even with an error type.
        assert_eq!(
            ids(&failed_operations(&ds, Some("timeout"), 10)),
            ["f3", "f1"]
        );
        assert_eq!(ids(&failed_operations(&ds, Some(""), 10)), ["f4"]);
        assert!(failed_operations(&ds, Some("unknown-type"), 10).is_empty());
    }

    #[test]
    fn choices_list_each_name_once_sorted() {
        let mut ds = Dataset::new();
        let mut a = op(&mut ds, "1", Some("s2"), None);
        a.agent = ds.intern("tester");
        a.model = Some(ds.intern("gpt-4o"));
        let mut b = op(&mut ds, "2", Some("s1"), None);
        b.model = Some(ds.intern("claude"));
        let c = op(&mut ds, "3", None, None);
        for o in [a, b, c] {
            ds.insert_operation(o);
        }
        let s3 = ds.intern("s3");
        ds.insert_session(Session {
            id: s3,
            source: SourceId(0),
            start: None,
            end: None,
            duration: None,
            outcome: None,
            status: None,
            mode: None,
            llm: None,
            description: None,
            project: None,
            tasks_total: None,
            tasks_completed: None,
            tasks_failed: None,
            commit: None,
            current_phase: None,
            progress: None,
        });
        let c = choices(&ds);
        assert_eq!(c.agents, ["coder", "tester"]);
        assert_eq!(c.models, ["claude", "gpt-4o"]);
        assert_eq!(c.kinds, ["build"]);
        assert_eq!(c.sessions, ["s1", "s2", "s3"]);
    }
}
