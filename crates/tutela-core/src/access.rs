//! Who may do what: console roles for people, scopes for platform API keys.

use crate::model::Queue;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A person's role in the review console.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything, including users, keys, banks and child-safety cases.
    Admin,
    /// Reviews general cases (not child-safety ones).
    Reviewer,
    /// Reviews every case, including child-safety cases and their media.
    ChildSafetyReviewer,
    /// Reads the audit log and case history; changes nothing.
    Auditor,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Admin,
        Role::Reviewer,
        Role::ChildSafetyReviewer,
        Role::Auditor,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Reviewer => "reviewer",
            Role::ChildSafetyReviewer => "child_safety_reviewer",
            Role::Auditor => "auditor",
        }
    }

    /// May this role see cases of this queue (and their signals and media)?
    pub fn can_view_queue(self, queue: Queue) -> bool {
        match queue {
            Queue::ChildSafety => matches!(self, Role::Admin | Role::ChildSafetyReviewer),
            Queue::General => matches!(
                self,
                Role::Admin | Role::Reviewer | Role::ChildSafetyReviewer
            ),
        }
    }

    /// May this role take and decide cases of this queue?
    pub fn can_decide(self, queue: Queue) -> bool {
        self != Role::Auditor && self.can_view_queue(queue)
    }

    /// May this role read the audit log?
    pub fn can_read_audit(self) -> bool {
        matches!(self, Role::Admin | Role::Auditor)
    }

    /// May this role manage users, API keys, evidence holds and webhooks?
    pub fn is_admin(self) -> bool {
        self == Role::Admin
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Role, String> {
        Role::ALL
            .into_iter()
            .find(|r| r.name() == s)
            .ok_or_else(|| {
                format!("unknown role {s:?}: use admin, reviewer, child_safety_reviewer or auditor")
            })
    }
}

/// What a platform API key may call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// `POST /v1/scan` and its batch variant.
    Scan,
    /// Submitting user reports and appeals.
    Report,
    /// Reading case status and scan events (for backtests).
    Read,
}

impl Scope {
    pub const ALL: [Scope; 3] = [Scope::Scan, Scope::Report, Scope::Read];

    pub fn name(self) -> &'static str {
        match self {
            Scope::Scan => "scan",
            Scope::Report => "report",
            Scope::Read => "read",
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Scope {
    type Err = String;
    fn from_str(s: &str) -> Result<Scope, String> {
        Scope::ALL
            .into_iter()
            .find(|r| r.name() == s)
            .ok_or_else(|| format!("unknown scope {s:?}: use scan, report or read"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_child_safety_roles_see_child_safety_cases() {
        let allowed: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|r| r.can_view_queue(Queue::ChildSafety))
            .collect();
        assert_eq!(allowed, vec![Role::Admin, Role::ChildSafetyReviewer]);
        assert!(!Role::Auditor.can_decide(Queue::General));
        assert!(Role::Reviewer.can_decide(Queue::General));
    }

    #[test]
    fn names_round_trip() {
        for r in Role::ALL {
            assert_eq!(r.name().parse::<Role>().unwrap(), r);
        }
        for s in Scope::ALL {
            assert_eq!(s.name().parse::<Scope>().unwrap(), s);
        }
        assert!("root".parse::<Role>().is_err());
    }
}
