//! Shared inboxes: creation, settings, membership (R11, R12) and the
//! removal of a member, which unlinks them (R6). Also the directory (R13).

use careinbox_domain::rules::InboxAccess;
use careinbox_domain::{Description, Error, Guidelines, InboxId, Name, TeamId, TeamRole, UserId};
use careinbox_storage::{DirectoryUser, InboxMemberRow, InboxRow, InboxSettings, Tx, now_us};

use crate::events::Event;
use crate::{Caller, Service, audit};

/// At most this many `participants_changed` events for one removal (R6).
const PARTICIPANT_EVENTS: usize = 1000;

/// Changes to an inbox's settings; `None` leaves a setting as it is.
#[derive(Debug, Default)]
pub struct InboxChanges {
    pub name: Option<Name>,
    pub description: Option<Description>,
    pub guidelines: Option<Guidelines>,
    pub active: Option<bool>,
}

impl Service {
    pub async fn create_inbox(
        &self,
        caller: &Caller,
        team: TeamId,
        name: Name,
        description: Description,
        guidelines: Guidelines,
    ) -> Result<InboxId, Error> {
        self.write_as(caller, move |tx, caller| {
            Box::pin(async move {
                Self::require_team_admin(tx, caller, team).await?;
                let id = InboxId::new();
                let settings = InboxSettings {
                    name: name.as_str(),
                    description: description.as_str(),
                    guidelines: guidelines.as_str(),
                    active: true,
                };
                tx.insert_inbox(id, team, &settings, now_us()).await?;
                let mut entry = audit(caller, "inbox.create", "inbox");
                entry.object_id = Some(id.0);
                entry.team = Some(team);
                entry.inbox = Some(id);
                tx.insert_audit(&entry, now_us()).await?;

                Ok((id, vec![]))
            })
        })
        .await
    }

    /// An inbox's public face: for anyone who may address it (R2, R13), and
    /// for staff of its team.
    pub async fn inbox(&self, caller: &Caller, inbox: InboxId) -> Result<InboxRow, Error> {
        let mut tx = self.store.read().await?;
        let found = tx.inbox(inbox).await?.ok_or(Error::NotFound)?;
        if !caller.instance_admin
            && !tx
                .reachable_teams(caller.user)
                .await?
                .contains(&found.team.id)
        {
            return Err(Error::NotFound);
        }
        Ok(found)
    }

    /// R12: rename, describe, set guidelines, deactivate or reactivate.
    pub async fn update_inbox(
        &self,
        caller: &Caller,
        inbox: InboxId,
        changes: InboxChanges,
    ) -> Result<InboxRow, Error> {
        self.write_as(caller, move |tx, caller| {
            Box::pin(async move {
                let (current, _) = Self::managed_inbox(tx, caller, inbox).await?;
                let settings = InboxSettings {
                    name: changes
                        .name
                        .as_ref()
                        .map_or(current.name.as_str(), |n| n.as_str()),
                    description: changes
                        .description
                        .as_ref()
                        .map_or(current.description.as_str(), |d| d.as_str()),
                    guidelines: changes
                        .guidelines
                        .as_ref()
                        .map_or(current.guidelines.as_str(), |g| g.as_str()),
                    active: changes.active.unwrap_or(current.active),
                };
                tx.update_inbox(inbox, &settings).await?;
                let action = match changes.active {
                    Some(false) if current.active => "inbox.deactivate",
                    Some(true) if !current.active => "inbox.reactivate",
                    _ => "inbox.update",
                };
                let mut entry = audit(caller, action, "inbox");
                entry.object_id = Some(inbox.0);
                entry.inbox = Some(inbox);
                entry.team = Some(current.team.id);
                tx.insert_audit(&entry, now_us()).await?;
                let updated = tx.inbox(inbox).await?.ok_or(Error::NotFound)?;
                let event = Event::new("inbox_changed").inbox(inbox);

                Ok((updated, vec![event]))
            })
        })
        .await
    }

    /// Every inbox of a team, deactivated ones too, for the team's staff
    /// and the instance admin (inbox management).
    pub async fn team_inboxes(
        &self,
        caller: &Caller,
        team: TeamId,
    ) -> Result<Vec<InboxRow>, Error> {
        let mut tx = self.store.read().await?;
        tx.team(team).await?.ok_or(Error::NotFound)?;
        if !caller.instance_admin && tx.team_role(team, caller.user).await?.is_none() {
            return Err(Error::NotFound);
        }
        tx.team_inboxes(team).await
    }

    /// R15: only staff of the team see who the members are.
    pub async fn inbox_members(
        &self,
        caller: &Caller,
        inbox: InboxId,
    ) -> Result<Vec<InboxMemberRow>, Error> {
        let mut tx = self.store.read().await?;
        let (_, access) = Self::inbox_access(&mut tx, caller, inbox).await?;
        access.check_see_members()?;
        tx.inbox_members(inbox).await
    }

    /// R12: managers and team admins add members, who must be staff of the
    /// inbox's team. The new member is not linked to earlier conversations
    /// (R5).
    pub async fn add_inbox_member(
        &self,
        caller: &Caller,
        inbox: InboxId,
        user: UserId,
        manager: bool,
    ) -> Result<(), Error> {
        self.write_as(caller, move |tx, caller| {
            Box::pin(async move {
                let (found, _) = Self::managed_inbox(tx, caller, inbox).await?;
                if tx.team_role(found.team.id, user).await?.is_none()
                    || !tx.user(user).await?.is_some_and(|u| u.active)
                {
                    return Err(Error::invalid("user", "not a member of the inbox's team"));
                }
                tx.lock_inbox(inbox, true).await?;
                tx.insert_inbox_member(inbox, user, manager, now_us())
                    .await?;
                let mut entry = audit(caller, "inbox.member_add", "inbox");
                entry.object_id = Some(inbox.0);
                entry.inbox = Some(inbox);
                entry.team = Some(found.team.id);
                entry.subject_user = Some(user);
                tx.insert_audit(&entry, now_us()).await?;
                let event = Event::new("inbox_membership_changed")
                    .inbox(inbox)
                    .user(user);

                Ok(((), vec![event]))
            })
        })
        .await
    }

    /// R6: the removed member loses every participation via the inbox, at
    /// once, in every conversation; other participations remain.
    pub async fn remove_inbox_member(
        &self,
        caller: &Caller,
        inbox: InboxId,
        user: UserId,
    ) -> Result<(), Error> {
        self.write_as(caller, move |tx, caller| {
            Box::pin(async move {
                let (found, _) = Self::managed_inbox(tx, caller, inbox).await?;
                let events = Self::unlink(tx, caller, &found, user).await?;
                if events.is_empty() {
                    return Err(Error::NotFound);
                }

                Ok(((), events))
            })
        })
        .await
    }

    /// R17: removes `user` from every inbox (of `team`, when given), applying
    /// R6 to each.
    pub(crate) async fn leave_inboxes(
        tx: &mut Tx,
        caller: &Caller,
        user: UserId,
        team: Option<TeamId>,
    ) -> Result<Vec<Event>, Error> {
        // Lock every inbox first, in id order like a conversation start does,
        // so that two use cases never wait for each other's locks; events are
        // recorded last, after all locks are held.
        let mut ids: Vec<InboxId> = tx
            .inboxes_of(user, team)
            .await?
            .iter()
            .map(|i| i.id)
            .collect();
        ids.sort();
        for id in &ids {
            tx.lock_inbox(*id, true).await?;
        }
        let mut events = Vec::new();
        for id in ids {
            let inbox = tx.inbox(id).await?.ok_or(Error::NotFound)?;
            events.extend(Self::unlink(tx, caller, &inbox, user).await?);
        }
        Ok(events)
    }

    /// R6 inside `tx`: removes the membership and every participation via the
    /// inbox. Returns no events when `user` was not a member.
    async fn unlink(
        tx: &mut Tx,
        caller: &Caller,
        inbox: &InboxRow,
        user: UserId,
    ) -> Result<Vec<Event>, Error> {
        tx.lock_inbox(inbox.id, true).await?;
        if !tx.delete_inbox_member(inbox.id, user).await? {
            return Ok(Vec::new());
        }
        let now = now_us();
        let lost = tx
            .unlink_member(inbox.id, user, Some(caller.user), now)
            .await?;

        let mut entry = audit(caller, "inbox.member_remove", "inbox");
        entry.object_id = Some(inbox.id.0);
        entry.inbox = Some(inbox.id);
        entry.team = Some(inbox.team.id);
        entry.subject_user = Some(user);
        tx.insert_audit(&entry, now).await?;

        let membership = Event::new("inbox_membership_changed")
            .inbox(inbox.id)
            .user(user);
        // The other participants' screens follow the change too, up to a
        // bound: past it, a removal at scale would write an event per
        // conversation for a change their lists show on the next load.
        let mut events: Vec<Event> = if lost.len() <= PARTICIPANT_EVENTS {
            lost.iter()
                .map(|c| Event::new("participants_changed").conversation(*c))
                .collect()
        } else {
            Vec::new()
        };
        let mut access_lost = Event::new("access_lost").inbox(inbox.id).user(user);
        access_lost.lost = lost;
        events.extend([membership, access_lost]);
        Ok(events)
    }

    /// The inbox, if the caller may change it (R12).
    async fn managed_inbox(
        tx: &mut Tx,
        caller: &Caller,
        inbox: InboxId,
    ) -> Result<(InboxRow, InboxAccess), Error> {
        let (found, access) = Self::inbox_access(tx, caller, inbox).await?;
        access.check_manage()?;
        Ok((found, access))
    }

    pub(crate) async fn inbox_access(
        tx: &mut Tx,
        caller: &Caller,
        inbox: InboxId,
    ) -> Result<(InboxRow, InboxAccess), Error> {
        let found = tx.inbox(inbox).await?.ok_or(Error::NotFound)?;
        let standing = tx.inbox_standing(inbox, found.team.id, caller.user).await?;
        let access = InboxAccess {
            team_staff: standing.team_role.is_some(),
            inbox_member: standing.member.is_some(),
            team_admin: standing.team_role == Some(TeamRole::Admin),
            inbox_manager: standing.member == Some(true),
            instance_admin: caller.instance_admin,
        };
        Ok((found, access))
    }

    /// R13: the professionals and active inboxes the caller may address,
    /// matched on name or team name.
    pub async fn directory(
        &self,
        caller: &Caller,
        query: &str,
    ) -> Result<(Vec<DirectoryUser>, Vec<InboxRow>), Error> {
        let cleaned: String = query
            .trim()
            .to_lowercase()
            .chars()
            .filter(|c| *c != '%' && *c != '_')
            .take(100)
            .collect();
        let pattern = format!("%{cleaned}%");
        let mut tx = self.store.read().await?;
        let users = tx.directory_users(caller.user, &pattern, 100).await?;
        let inboxes = tx.directory_inboxes(caller.user, &pattern, 100).await?;
        Ok((users, inboxes))
    }
}
