//! The rules of SPEC.md section 2 that can be decided from facts alone. The
//! service layer gathers the facts inside its transaction and asks here, so a
//! rule reads the same whichever database answers.

use std::collections::HashSet;

use crate::error::{Conflict, Error};
use crate::ids::{InboxId, TeamId, UserId};
use crate::values::Source;

/// At most this many recipients (professionals plus inboxes) per conversation.
pub const MAX_RECIPIENTS: usize = 50;

/// R2: a conversation needs at least one recipient, at most
/// [`MAX_RECIPIENTS`], each named once, and the starter cannot address
/// themself.
pub fn check_recipients(
    starter: UserId,
    users: &[UserId],
    inboxes: &[InboxId],
) -> Result<(), Error> {
    if users.is_empty() && inboxes.is_empty() {
        return Err(Error::invalid(
            "recipients",
            "name at least one professional or inbox",
        ));
    }
    if users.len() + inboxes.len() > MAX_RECIPIENTS {
        return Err(Error::invalid("recipients", "at most 50 recipients"));
    }
    if users.contains(&starter) {
        return Err(Error::invalid(
            "recipients.users",
            "the starter cannot address themself",
        ));
    }
    let distinct_users: HashSet<_> = users.iter().collect();
    let distinct_inboxes: HashSet<_> = inboxes.iter().collect();
    if distinct_users.len() != users.len() || distinct_inboxes.len() != inboxes.len() {
        return Err(Error::invalid(
            "recipients",
            "each recipient may be named once",
        ));
    }
    Ok(())
}

/// R2: whether every target team is one the caller may address: their own
/// teams and the teams sharing a network with one of them (`reachable`).
/// Unknown and unreachable recipients get the same answer, so nothing leaks.
pub fn check_addressable(reachable: &HashSet<TeamId>, targets: &[TeamId]) -> Result<(), Error> {
    if targets.iter().all(|team| reachable.contains(team)) {
        Ok(())
    } else {
        Err(Error::invalid(
            "recipients",
            "unknown recipient, or one you cannot address",
        ))
    }
}

/// R8: a professional who participates by any source is not added again.
pub fn check_not_participant(current: &[Source]) -> Result<(), Error> {
    if current.is_empty() {
        Ok(())
    } else {
        Err(Conflict::AlreadyParticipant.into())
    }
}

/// R4: the participations created when `inbox` becomes a party: exactly its
/// members at that moment, each via the inbox.
pub fn snapshot(inbox: InboxId, members: &[UserId]) -> Vec<(UserId, Source)> {
    members
        .iter()
        .map(|&user| (user, Source::Via(inbox)))
        .collect()
}

/// R9: only a participant via `inbox` archives within it. Another participant
/// learns that they may not (403); anyone else learns nothing (404, R15).
pub fn check_may_archive_in_inbox(caller: &[Source], inbox: InboxId) -> Result<(), Error> {
    if caller.contains(&Source::Via(inbox)) {
        Ok(())
    } else if caller.is_empty() {
        Err(Error::NotFound)
    } else {
        Err(Error::Forbidden(
            "only participants via this inbox archive within it",
        ))
    }
}

/// R10: only a direct participant archives in their personal view.
pub fn check_may_archive_personally(caller: &[Source]) -> Result<(), Error> {
    if caller.contains(&Source::Direct) {
        Ok(())
    } else if caller.is_empty() {
        Err(Error::NotFound)
    } else {
        Err(Error::Forbidden(
            "only direct participants archive in their personal view",
        ))
    }
}

/// R15: a conversation exists for the caller only while they participate.
pub fn check_participates(caller: &[Source]) -> Result<(), Error> {
    if caller.is_empty() {
        Err(Error::NotFound)
    } else {
        Ok(())
    }
}

/// What the caller may do with a team's inboxes (R12, R15).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InboxAccess {
    pub team_staff: bool,
    pub inbox_member: bool,
    pub team_admin: bool,
    pub inbox_manager: bool,
    pub instance_admin: bool,
}

impl InboxAccess {
    /// R15: only staff of the team see member lists; to others the inbox's
    /// internals do not exist.
    pub fn check_see_members(self) -> Result<(), Error> {
        if self.team_staff || self.instance_admin {
            Ok(())
        } else {
            Err(Error::NotFound)
        }
    }

    /// An inbox's view is for its members; other staff may not look (403),
    /// others learn nothing (404).
    pub fn check_see_view(self) -> Result<(), Error> {
        if self.inbox_member {
            Ok(())
        } else if self.team_staff {
            Err(Error::Forbidden(
                "only members of the inbox see its conversations",
            ))
        } else {
            Err(Error::NotFound)
        }
    }

    /// R12: managers and team admins change members and settings; other staff
    /// see the inbox but may not change it (403).
    pub fn check_manage(self) -> Result<(), Error> {
        if self.team_admin || self.inbox_manager || self.instance_admin {
            Ok(())
        } else if self.team_staff {
            Err(Error::Forbidden(
                "only inbox managers and team admins change an inbox",
            ))
        } else {
            Err(Error::NotFound)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn users(n: usize) -> Vec<UserId> {
        (0..n).map(|_| UserId::new()).collect()
    }

    #[test]
    fn r2_recipients_are_checked() {
        let me = UserId::new();
        let one = users(1);

        assert!(check_recipients(me, &[], &[]).is_err());
        assert!(check_recipients(me, &one, &[]).is_ok());
        assert!(check_recipients(me, &users(51), &[]).is_err());
        assert!(check_recipients(me, &[one[0], one[0]], &[]).is_err());
        assert!(check_recipients(me, &[me], &[]).is_err());
    }

    #[test]
    fn r2_only_reachable_teams_are_addressable() {
        let (own, partner, stranger) = (TeamId::new(), TeamId::new(), TeamId::new());
        let reachable = HashSet::from([own, partner]);

        assert!(check_addressable(&reachable, &[own, partner]).is_ok());
        assert!(check_addressable(&reachable, &[partner, stranger]).is_err());
    }

    #[test]
    fn r4_snapshot_links_exactly_the_members_via_the_inbox() {
        let inbox = InboxId::new();
        let members = users(3);

        let links = snapshot(inbox, &members);

        assert_eq!(links.len(), 3);
        assert!(
            links
                .iter()
                .all(|(_, source)| *source == Source::Via(inbox))
        );
        assert_eq!(links.iter().map(|(u, _)| *u).collect::<Vec<_>>(), members);
    }

    #[test]
    fn r8_any_source_blocks_a_second_addition() {
        assert!(check_not_participant(&[]).is_ok());
        let err = check_not_participant(&[Source::Via(InboxId::new())]).unwrap_err();
        assert!(matches!(err, Error::Conflict(Conflict::AlreadyParticipant)));
    }

    #[test]
    fn r9_archive_within_inbox_needs_participation_via_it() {
        let (x, y) = (InboxId::new(), InboxId::new());

        assert!(check_may_archive_in_inbox(&[Source::Via(x)], x).is_ok());
        assert!(matches!(
            check_may_archive_in_inbox(&[Source::Via(y)], x),
            Err(Error::Forbidden(_))
        ));
        assert!(matches!(
            check_may_archive_in_inbox(&[], x),
            Err(Error::NotFound)
        ));
    }

    #[test]
    fn r10_personal_archive_needs_a_direct_participation() {
        assert!(check_may_archive_personally(&[Source::Direct]).is_ok());
        let via = [Source::Via(InboxId::new())];
        assert!(matches!(
            check_may_archive_personally(&via),
            Err(Error::Forbidden(_))
        ));
        assert!(matches!(
            check_may_archive_personally(&[]),
            Err(Error::NotFound)
        ));
    }

    #[test]
    fn r12_only_managers_and_admins_manage_and_strangers_see_nothing() {
        let staff = InboxAccess {
            team_staff: true,
            inbox_member: false,
            team_admin: false,
            inbox_manager: false,
            instance_admin: false,
        };

        assert!(matches!(staff.check_manage(), Err(Error::Forbidden(_))));
        assert!(
            InboxAccess {
                inbox_manager: true,
                ..staff
            }
            .check_manage()
            .is_ok()
        );
        assert!(
            InboxAccess {
                team_admin: true,
                ..staff
            }
            .check_manage()
            .is_ok()
        );
        let stranger = InboxAccess {
            team_staff: false,
            ..staff
        };
        assert!(matches!(stranger.check_manage(), Err(Error::NotFound)));
        assert!(matches!(stranger.check_see_members(), Err(Error::NotFound)));
        assert!(matches!(stranger.check_see_view(), Err(Error::NotFound)));
        assert!(matches!(staff.check_see_view(), Err(Error::Forbidden(_))));
        let member = InboxAccess {
            inbox_member: true,
            ..staff
        };
        assert!(member.check_see_view().is_ok());
    }
}
