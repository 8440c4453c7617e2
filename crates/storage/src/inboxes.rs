//! Shared inboxes, their members, and the removal of a member (R6).

use careinbox_domain::{Conflict, ConversationId, Error, InboxId, TeamId, UserId};
use uuid::Uuid;

use crate::{InboxMemberRow, InboxRow, InboxStanding, MyInboxRow, TeamRef, Tx, db, unique_is};

type InboxTuple = (Uuid, Uuid, String, String, String, String, bool);

fn inbox_row(
    (id, team_id, team_name, name, description, guidelines, active): InboxTuple,
) -> InboxRow {
    InboxRow {
        id: InboxId(id),
        team: TeamRef {
            id: TeamId(team_id),
            name: team_name,
        },
        name,
        description,
        guidelines,
        active,
    }
}

const INBOX_COLUMNS: &str = "i.id, t.id, t.name, i.name, i.description, i.guidelines, i.active";

/// The settings of an inbox as stored.
pub struct InboxSettings<'a> {
    pub name: &'a str,
    pub description: &'a str,
    pub guidelines: &'a str,
    pub active: bool,
}

impl Tx {
    pub async fn insert_inbox(
        &mut self,
        id: InboxId,
        team: TeamId,
        settings: &InboxSettings<'_>,
        now: i64,
    ) -> Result<(), Error> {
        let sql =
            "INSERT INTO inboxes (id, team_id, name, description, guidelines, active, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7)";
        self.query(sql)
            .bind(id.0)
            .bind(team.0)
            .bind(settings.name)
            .bind(settings.description)
            .bind(settings.guidelines)
            .bind(settings.active)
            .bind(now)
            .execute()
            .await
            .map(drop)
            .map_err(db)
    }

    pub async fn update_inbox(
        &mut self,
        id: InboxId,
        settings: &InboxSettings<'_>,
    ) -> Result<(), Error> {
        let sql = "UPDATE inboxes SET name = $2, description = $3, guidelines = $4, active = $5
            WHERE id = $1";
        self.query(sql)
            .bind(id.0)
            .bind(settings.name)
            .bind(settings.description)
            .bind(settings.guidelines)
            .bind(settings.active)
            .execute()
            .await
            .map(drop)
            .map_err(db)
    }

    pub async fn inbox(&mut self, id: InboxId) -> Result<Option<InboxRow>, Error> {
        let sql = format!(
            "SELECT {INBOX_COLUMNS} FROM inboxes i JOIN teams t ON t.id = i.team_id WHERE i.id = $1"
        );
        let row: Option<InboxTuple> = self
            .query(&sql)
            .bind(id.0)
            .fetch_optional()
            .await
            .map_err(db)?;
        Ok(row.map(inbox_row))
    }

    /// The inboxes with these ids, in no particular order; unknown ids are
    /// simply missing from the answer.
    pub async fn inboxes(&mut self, ids: &[InboxId]) -> Result<Vec<InboxRow>, Error> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {INBOX_COLUMNS} FROM inboxes i JOIN teams t ON t.id = i.team_id
             WHERE i.id IN ({})",
            crate::placeholders(1, ids.len())
        );
        let mut q = self.query(&sql);
        for id in ids {
            q = q.bind(id.0);
        }
        let rows: Vec<InboxTuple> = q.fetch_all().await.map_err(db)?;
        Ok(rows.into_iter().map(inbox_row).collect())
    }

    /// Active inboxes of the teams `user` may address (R2, R13) whose name or
    /// team name contains `pattern` (lower case).
    pub async fn directory_inboxes(
        &mut self,
        user: UserId,
        pattern: &str,
        limit: i64,
    ) -> Result<Vec<InboxRow>, Error> {
        let sql = format!(
            "SELECT {INBOX_COLUMNS} FROM inboxes i JOIN teams t ON t.id = i.team_id
             WHERE i.active AND i.team_id IN (
                 SELECT tm.team_id FROM team_members tm WHERE tm.user_id = $1
                 UNION
                 SELECT nt2.team_id FROM team_members tm
                 JOIN network_teams nt1 ON nt1.team_id = tm.team_id
                 JOIN network_teams nt2 ON nt2.network_id = nt1.network_id
                 WHERE tm.user_id = $1)
               AND (lower(i.name) LIKE $2 OR lower(t.name) LIKE $2)
             ORDER BY t.name, i.name, i.id LIMIT $3"
        );
        let rows: Vec<InboxTuple> = self
            .query(&sql)
            .bind(user.0)
            .bind(pattern)
            .bind(limit)
            .fetch_all()
            .await
            .map_err(db)?;
        Ok(rows.into_iter().map(inbox_row).collect())
    }

    /// Every inbox of a team, active or not, by name.
    pub async fn team_inboxes(&mut self, team: TeamId) -> Result<Vec<InboxRow>, Error> {
        let sql = format!(
            "SELECT {INBOX_COLUMNS} FROM inboxes i JOIN teams t ON t.id = i.team_id
             WHERE i.team_id = $1 ORDER BY i.name, i.id"
        );
        let rows: Vec<InboxTuple> = self
            .query(&sql)
            .bind(team.0)
            .fetch_all()
            .await
            .map_err(db)?;
        Ok(rows.into_iter().map(inbox_row).collect())
    }

    /// The caller's role in the inbox's team and membership of the inbox.
    pub async fn inbox_standing(
        &mut self,
        inbox: InboxId,
        team: TeamId,
        user: UserId,
    ) -> Result<InboxStanding, Error> {
        let sql = "SELECT
              (SELECT role FROM team_members WHERE team_id = $2 AND user_id = $3),
              (SELECT manager FROM inbox_members WHERE inbox_id = $1 AND user_id = $3)";
        let (role, member): (Option<String>, Option<bool>) = self
            .query(sql)
            .bind(inbox.0)
            .bind(team.0)
            .bind(user.0)
            .fetch_one()
            .await
            .map_err(db)?;
        let team_role = role.as_deref().map(|r| {
            if r == "admin" {
                careinbox_domain::TeamRole::Admin
            } else {
                careinbox_domain::TeamRole::Member
            }
        });
        Ok(InboxStanding { team_role, member })
    }

    /// Serialises R4 snapshots with membership changes on PostgreSQL: a
    /// snapshot takes the inbox row in share mode, a membership change takes
    /// it exclusively, so a snapshot sees a membership change wholly or not
    /// at all. SQLite needs nothing: it has one writer at a time.
    pub async fn lock_inbox(&mut self, inbox: InboxId, exclusive: bool) -> Result<(), Error> {
        if !self.is_postgres() {
            return Ok(());
        }
        let sql = if exclusive {
            "SELECT id FROM inboxes WHERE id = $1 FOR UPDATE"
        } else {
            "SELECT id FROM inboxes WHERE id = $1 FOR SHARE"
        };
        self.query(sql)
            .bind(inbox.0)
            .scalar_optional::<Uuid>()
            .await?;
        Ok(())
    }

    pub async fn inbox_members(&mut self, inbox: InboxId) -> Result<Vec<InboxMemberRow>, Error> {
        let sql = "SELECT u.id, u.name, u.profession, m.manager FROM inbox_members m
            JOIN users u ON u.id = m.user_id WHERE m.inbox_id = $1 ORDER BY u.name, u.id";
        let rows: Vec<(Uuid, String, String, bool)> = self
            .query(sql)
            .bind(inbox.0)
            .fetch_all()
            .await
            .map_err(db)?;
        Ok(rows
            .into_iter()
            .map(|(id, name, profession, manager)| InboxMemberRow {
                user: UserId(id),
                name,
                profession,
                manager,
            })
            .collect())
    }

    pub async fn insert_inbox_member(
        &mut self,
        inbox: InboxId,
        user: UserId,
        manager: bool,
        now: i64,
    ) -> Result<(), Error> {
        let sql = "INSERT INTO inbox_members (inbox_id, user_id, manager, added_at)
            VALUES ($1, $2, $3, $4)";
        let result = self
            .query(sql)
            .bind(inbox.0)
            .bind(user.0)
            .bind(manager)
            .bind(now)
            .execute()
            .await
            .map(drop);
        result.map_err(unique_is(Conflict::AlreadyMember))
    }

    pub async fn delete_inbox_member(
        &mut self,
        inbox: InboxId,
        user: UserId,
    ) -> Result<bool, Error> {
        let sql = "DELETE FROM inbox_members WHERE inbox_id = $1 AND user_id = $2";
        let done = self
            .query(sql)
            .bind(inbox.0)
            .bind(user.0)
            .execute()
            .await
            .map_err(db)?;
        Ok(done == 1)
    }

    /// The inboxes `user` is a member of, optionally only those of `team`.
    pub async fn inboxes_of(
        &mut self,
        user: UserId,
        team: Option<TeamId>,
    ) -> Result<Vec<MyInboxRow>, Error> {
        let sql = "SELECT i.id, i.name, t.id, t.name, m.manager, i.active FROM inbox_members m
            JOIN inboxes i ON i.id = m.inbox_id JOIN teams t ON t.id = i.team_id
            WHERE m.user_id = $1 AND ($2 IS NULL OR i.team_id = $2)
            ORDER BY t.name, i.name, i.id";
        let rows: Vec<(Uuid, String, Uuid, String, bool, bool)> = self
            .query(sql)
            .bind(user.0)
            .bind(team.map(|t| t.0))
            .fetch_all()
            .await
            .map_err(db)?;
        Ok(rows
            .into_iter()
            .map(
                |(id, name, team_id, team_name, manager, active)| MyInboxRow {
                    id: InboxId(id),
                    name,
                    team: TeamRef {
                        id: TeamId(team_id),
                        name: team_name,
                    },
                    manager,
                    active,
                },
            )
            .collect())
    }

    /// R6: `user` loses every participation via `inbox`, in every
    /// conversation, with a `member_removed` event in each timeline. Two
    /// set-based statements, whatever the number of conversations. Returns
    /// the conversations in which `user` lost a participation.
    pub async fn unlink_member(
        &mut self,
        inbox: InboxId,
        user: UserId,
        actor: Option<UserId>,
        now: i64,
    ) -> Result<Vec<ConversationId>, Error> {
        let record = "INSERT INTO timeline
            (conversation_id, kind, author_id, event, target_user, target_inbox, at)
            SELECT conversation_id, 'event', $3, 'member_removed', $2, $1, $4
            FROM participations WHERE user_id = $2 AND via_inbox = $1";
        let unlink = "DELETE FROM participations WHERE user_id = $2 AND via_inbox = $1
            RETURNING conversation_id";
        self.query(record)
            .bind(inbox.0)
            .bind(user.0)
            .bind(actor.map(|a| a.0))
            .bind(now)
            .execute()
            .await?;
        let lost: Vec<Uuid> = self
            .query(unlink)
            .bind(inbox.0)
            .bind(user.0)
            .scalars()
            .await?;
        Ok(lost.into_iter().map(ConversationId).collect())
    }
}
