//! How signals join cases, without I/O: the rule that merges a new signal into an open case, and
//! the plan that places a whole group of reports (several may name the same subject) before the
//! report writer writes the group.

use std::collections::HashMap;
use tutela_core::{CaseUpsert, Queue};

/// The parts of an open case that a new signal can change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct OpenCase {
    pub queue: Queue,
    /// Stored priority (0 low .. 3 critical).
    pub priority: i64,
    pub due_at: Option<i64>,
    pub bank_on_confirm: Vec<String>,
}

impl OpenCase {
    /// The mergeable columns of a stored case row.
    pub fn from_stored(
        queue: &str,
        priority: i64,
        due_at: Option<i64>,
        bank_on_confirm: &str,
    ) -> Result<OpenCase, String> {
        Ok(OpenCase {
            queue: queue.parse()?,
            priority,
            due_at,
            bank_on_confirm: serde_json::from_str(bank_on_confirm).unwrap_or_default(),
        })
    }

    /// A case as a first signal opens it.
    pub fn opened_by(c: &CaseUpsert) -> OpenCase {
        OpenCase {
            queue: c.queue,
            priority: crate::priority_to(c.priority),
            due_at: c.due_at,
            bank_on_confirm: c.bank_on_confirm.clone(),
        }
    }

    /// A later signal joins: the child-safety queue sticks, the higher priority and the earlier
    /// due time win, and confirmed content goes to every bank any signal asked for.
    pub fn join(&mut self, c: &CaseUpsert) {
        if c.queue == Queue::ChildSafety {
            self.queue = Queue::ChildSafety;
        }
        self.priority = self.priority.max(crate::priority_to(c.priority));
        self.due_at = match (self.due_at, c.due_at) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        for b in &c.bank_on_confirm {
            if !self.bank_on_confirm.contains(b) {
                self.bank_on_confirm.push(b.clone());
            }
        }
    }
}

/// Where one report of a group lands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    /// A case that was open before the group.
    Existing(i64),
    /// The n-th case the group opens.
    New(usize),
}

/// A group's writes: cases to open, open cases to update, and each report's case.
#[derive(Debug, Default)]
pub(crate) struct GroupPlan {
    /// Index of the report whose subject opens each new case, and the case's merged state.
    pub opened: Vec<(usize, OpenCase)>,
    /// Cases open before the group that the group joins, with their new state, time, and
    /// whether anything but the time changed (a join only ever raises a case, so a later report
    /// cannot undo an earlier one's change).
    pub joined: Vec<(i64, OpenCase, i64, bool)>,
    /// Per report: its case, and whether it joined a case already open (as one report at a time
    /// would have seen it: the second report of a new subject in the same group has joined).
    pub targets: Vec<(Target, bool)>,
}

/// Places reports (`(case upsert, time)` in arrival order) given the subjects' open cases before
/// the group, keyed by `(subject kind, subject id)`.
pub(crate) fn plan_group(
    reports: &[(&CaseUpsert, i64)],
    mut open: HashMap<(String, String), (i64, OpenCase)>,
) -> GroupPlan {
    let mut plan = GroupPlan::default();
    let mut opened_here: HashMap<(String, String), usize> = HashMap::new();
    let mut joined_at: HashMap<i64, usize> = HashMap::new();
    for (i, (c, at)) in reports.iter().enumerate() {
        let key = (c.subject_kind.name().to_string(), c.subject_id.clone());
        if let Some((id, state)) = open.get_mut(&key) {
            let before = state.clone();
            state.join(c);
            let changed = *state != before;
            match joined_at.get(id) {
                Some(&slot) => {
                    let entry = &mut plan.joined[slot];
                    entry.1 = state.clone();
                    entry.2 = entry.2.max(*at);
                    entry.3 |= changed;
                }
                None => {
                    joined_at.insert(*id, plan.joined.len());
                    plan.joined.push((*id, state.clone(), *at, changed));
                }
            }
            plan.targets.push((Target::Existing(*id), true));
        } else if let Some(&n) = opened_here.get(&key) {
            plan.opened[n].1.join(c);
            plan.targets.push((Target::New(n), true));
        } else {
            opened_here.insert(key, plan.opened.len());
            plan.targets.push((Target::New(plan.opened.len()), false));
            plan.opened.push((i, OpenCase::opened_by(c)));
        }
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use tutela_core::{Priority, SubjectKind, Surface};

    fn upsert(subject: &str, queue: Queue, priority: Priority, due: Option<i64>) -> CaseUpsert {
        CaseUpsert {
            subject_kind: SubjectKind::Content,
            subject_id: subject.into(),
            content_id: Some(subject.into()),
            uploader_id: None,
            surface: Surface::Post,
            queue,
            priority,
            due_at: due,
            title: "report".into(),
            media_hashes: json!({}),
            bank_on_confirm: vec![],
            signals: vec![],
        }
    }

    #[test]
    fn joining_keeps_the_child_safety_queue_the_higher_priority_and_the_earlier_due_time() {
        let mut case = OpenCase::opened_by(&upsert("a", Queue::ChildSafety, Priority::High, None));
        let mut later = upsert("a", Queue::General, Priority::Critical, Some(50));
        later.bank_on_confirm = vec!["confirmed".into()];
        case.join(&later);
        case.join(&upsert("a", Queue::General, Priority::Low, Some(90)));
        assert_eq!(case.queue, Queue::ChildSafety);
        assert_eq!(case.priority, 3);
        assert_eq!(case.due_at, Some(50));
        assert_eq!(case.bank_on_confirm, vec!["confirmed".to_string()]);
    }

    #[test]
    fn a_group_opens_one_case_per_new_subject_and_joins_open_ones_once() {
        let a1 = upsert("a", Queue::General, Priority::Normal, Some(100));
        let b = upsert("b", Queue::General, Priority::Normal, None);
        let a2 = upsert("a", Queue::ChildSafety, Priority::Critical, Some(10));
        let old1 = upsert("old", Queue::General, Priority::Normal, Some(500));
        let old2 = upsert("old", Queue::General, Priority::High, None);
        let open = HashMap::from([(
            ("content".to_string(), "old".to_string()),
            (
                7,
                OpenCase::opened_by(&upsert("old", Queue::General, Priority::Low, None)),
            ),
        )]);
        let plan = plan_group(&[(&a1, 1), (&b, 2), (&a2, 3), (&old1, 4), (&old2, 5)], open);
        assert_eq!(
            plan.targets,
            vec![
                (Target::New(0), false),
                (Target::New(1), false),
                (Target::New(0), true),
                (Target::Existing(7), true),
                (Target::Existing(7), true),
            ]
        );
        assert_eq!(plan.opened.len(), 2);
        let (first, a) = &plan.opened[0];
        assert_eq!(
            *first, 0,
            "the first report of a subject gives the case its title"
        );
        assert_eq!(
            (a.queue, a.priority, a.due_at),
            (Queue::ChildSafety, 3, Some(10))
        );
        assert_eq!(plan.joined.len(), 1, "one update per joined case");
        let (id, old, at, _) = &plan.joined[0];
        assert_eq!((*id, old.priority, old.due_at, *at), (7, 2, Some(500), 5));
    }
}
