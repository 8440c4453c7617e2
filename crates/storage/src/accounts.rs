//! Accounts, sessions, teams and networks.

use std::collections::HashSet;

use careinbox_domain::{Conflict, Error, NetworkId, TeamId, TeamRole, UserId};
use uuid::Uuid;

use crate::{
    DirectoryUser, SessionUser, StaffRow, TeamMembership, TeamRef, Tx, UserRow, db, unique_is,
};

/// The teams a user may address (R2): their own teams and every team that
/// shares a network with one of them. Used as a sub-query by the directory.
const REACHABLE_TEAMS: &str = "
    SELECT tm.team_id FROM team_members tm WHERE tm.user_id = $1
    UNION
    SELECT nt2.team_id
    FROM team_members tm
    JOIN network_teams nt1 ON nt1.team_id = tm.team_id
    JOIN network_teams nt2 ON nt2.network_id = nt1.network_id
    WHERE tm.user_id = $1";

fn role(raw: &str) -> TeamRole {
    if raw == "admin" {
        TeamRole::Admin
    } else {
        TeamRole::Member
    }
}

/// A new account as stored: the password is already hashed.
pub struct NewUser<'a> {
    pub id: UserId,
    pub email: &'a str,
    pub name: &'a str,
    pub profession: &'a str,
    pub password_hash: &'a str,
    pub instance_admin: bool,
}

impl Tx {
    pub async fn insert_user(&mut self, user: &NewUser<'_>, now: i64) -> Result<(), Error> {
        let sql = "INSERT INTO users
            (id, email, name, profession, password_hash, instance_admin, active, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, TRUE, $7)";
        let result = self
            .query(sql)
            .bind(user.id.0)
            .bind(user.email)
            .bind(user.name)
            .bind(user.profession)
            .bind(user.password_hash)
            .bind(user.instance_admin)
            .bind(now)
            .execute()
            .await
            .map(drop);
        result.map_err(unique_is(Conflict::EmailTaken))
    }

    pub async fn count_users(&mut self) -> Result<i64, Error> {
        let sql = "SELECT COUNT(*) FROM users";
        self.query(sql).scalar().await.map_err(db)
    }

    pub async fn instance_admins(&mut self) -> Result<Vec<UserId>, Error> {
        let sql = "SELECT id FROM users WHERE instance_admin AND active ORDER BY created_at";
        let rows: Vec<Uuid> = self.query(sql).scalars().await.map_err(db)?;
        Ok(rows.into_iter().map(UserId).collect())
    }

    /// The id, password hash and active flag of the account with `email`.
    pub async fn credentials(
        &mut self,
        email: &str,
    ) -> Result<Option<(UserId, String, bool)>, Error> {
        let sql = "SELECT id, password_hash, active FROM users WHERE email = $1";
        let row: Option<(Uuid, String, bool)> = self
            .query(sql)
            .bind(email)
            .fetch_optional()
            .await
            .map_err(db)?;
        Ok(row.map(|(id, hash, active)| (UserId(id), hash, active)))
    }

    /// The active account with this (lower-cased) email.
    pub async fn user_by_email(&mut self, email: &str) -> Result<Option<UserRow>, Error> {
        let sql = "SELECT id FROM users WHERE email = $1 AND active";
        let id: Option<Uuid> = self
            .query(sql)
            .bind(email)
            .scalar_optional()
            .await
            .map_err(db)?;
        match id {
            Some(id) => self.user(UserId(id)).await,
            None => Ok(None),
        }
    }

    pub async fn user(&mut self, id: UserId) -> Result<Option<UserRow>, Error> {
        let sql = "SELECT id, email, name, profession, instance_admin, active
            FROM users WHERE id = $1";
        let row: Option<(Uuid, String, String, String, bool, bool)> = self
            .query(sql)
            .bind(id.0)
            .fetch_optional()
            .await
            .map_err(db)?;
        Ok(row.map(
            |(id, email, name, profession, instance_admin, active)| UserRow {
                id: UserId(id),
                email,
                name,
                profession,
                instance_admin,
                active,
            },
        ))
    }

    /// Which of `ids` are active accounts, with each one's teams.
    pub async fn teams_of_users(
        &mut self,
        ids: &[UserId],
    ) -> Result<Vec<(UserId, Option<TeamId>)>, Error> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT u.id, tm.team_id FROM users u
             LEFT JOIN team_members tm ON tm.user_id = u.id
             WHERE u.active AND u.id IN ({})",
            crate::placeholders(1, ids.len())
        );
        let mut q = self.query(&sql);
        for id in ids {
            q = q.bind(id.0);
        }
        let rows: Vec<(Uuid, Option<Uuid>)> = q.fetch_all().await.map_err(db)?;
        Ok(rows
            .into_iter()
            .map(|(u, t)| (UserId(u), t.map(TeamId)))
            .collect())
    }

    pub async fn deactivate_user(&mut self, id: UserId) -> Result<bool, Error> {
        let sql = "UPDATE users SET active = FALSE WHERE id = $1 AND active";
        let done = self.query(sql).bind(id.0).execute().await.map_err(db)?;
        Ok(done == 1)
    }

    pub async fn insert_session(
        &mut self,
        token_hash: &[u8],
        user: UserId,
        now: i64,
        expires: i64,
    ) -> Result<(), Error> {
        let sql = "INSERT INTO sessions (token_hash, user_id, created_at, expires_at)
            VALUES ($1, $2, $3, $4)";
        self.query(sql)
            .bind(token_hash)
            .bind(user.0)
            .bind(now)
            .bind(expires)
            .execute()
            .await
            .map(drop)
            .map_err(db)
    }

    /// The active account behind an unexpired session token.
    pub async fn delete_session(&mut self, token_hash: &[u8]) -> Result<(), Error> {
        let sql = "DELETE FROM sessions WHERE token_hash = $1";
        self.query(sql)
            .bind(token_hash)
            .execute()
            .await
            .map(drop)
            .map_err(db)
    }

    /// Ends every session of `user`, and expired sessions of anyone.
    pub async fn delete_sessions_of(&mut self, user: UserId, now: i64) -> Result<(), Error> {
        let sql = "DELETE FROM sessions WHERE user_id = $1 OR expires_at <= $2";
        self.query(sql)
            .bind(user.0)
            .bind(now)
            .execute()
            .await
            .map(drop)
            .map_err(db)
    }

    pub async fn insert_team(&mut self, id: TeamId, name: &str, now: i64) -> Result<(), Error> {
        let sql = "INSERT INTO teams (id, name, created_at) VALUES ($1, $2, $3)";
        self.query(sql)
            .bind(id.0)
            .bind(name)
            .bind(now)
            .execute()
            .await
            .map(drop)
            .map_err(db)
    }

    pub async fn team(&mut self, id: TeamId) -> Result<Option<TeamRef>, Error> {
        let sql = "SELECT id, name FROM teams WHERE id = $1";
        let row: Option<(Uuid, String)> = self
            .query(sql)
            .bind(id.0)
            .fetch_optional()
            .await
            .map_err(db)?;
        Ok(row.map(|(id, name)| TeamRef {
            id: TeamId(id),
            name,
        }))
    }

    pub async fn insert_network(
        &mut self,
        id: NetworkId,
        name: &str,
        now: i64,
    ) -> Result<(), Error> {
        let sql = "INSERT INTO networks (id, name, created_at) VALUES ($1, $2, $3)";
        self.query(sql)
            .bind(id.0)
            .bind(name)
            .bind(now)
            .execute()
            .await
            .map(drop)
            .map_err(db)
    }

    pub async fn network_exists(&mut self, id: NetworkId) -> Result<bool, Error> {
        let sql = "SELECT COUNT(*) FROM networks WHERE id = $1";
        let n: i64 = self.query(sql).bind(id.0).scalar().await.map_err(db)?;
        Ok(n > 0)
    }

    pub async fn insert_network_team(
        &mut self,
        network: NetworkId,
        team: TeamId,
    ) -> Result<(), Error> {
        let sql = "INSERT INTO network_teams (network_id, team_id) VALUES ($1, $2)";
        let result = self
            .query(sql)
            .bind(network.0)
            .bind(team.0)
            .execute()
            .await
            .map(drop);
        result.map_err(unique_is(Conflict::AlreadyInNetwork))
    }

    pub async fn team_role(
        &mut self,
        team: TeamId,
        user: UserId,
    ) -> Result<Option<TeamRole>, Error> {
        let sql = "SELECT role FROM team_members WHERE team_id = $1 AND user_id = $2";
        let row: Option<String> = self
            .query(sql)
            .bind(team.0)
            .bind(user.0)
            .scalar_optional()
            .await
            .map_err(db)?;
        Ok(row.as_deref().map(role))
    }

    pub async fn insert_team_member(
        &mut self,
        team: TeamId,
        user: UserId,
        role: TeamRole,
    ) -> Result<(), Error> {
        let sql = "INSERT INTO team_members (team_id, user_id, role) VALUES ($1, $2, $3)";
        let result = self
            .query(sql)
            .bind(team.0)
            .bind(user.0)
            .bind(role.as_str())
            .execute()
            .await
            .map(drop);
        result.map_err(unique_is(Conflict::AlreadyMember))
    }

    pub async fn delete_team_member(&mut self, team: TeamId, user: UserId) -> Result<bool, Error> {
        let sql = "DELETE FROM team_members WHERE team_id = $1 AND user_id = $2";
        let done = self
            .query(sql)
            .bind(team.0)
            .bind(user.0)
            .execute()
            .await
            .map_err(db)?;
        Ok(done == 1)
    }

    pub async fn team_staff(&mut self, team: TeamId) -> Result<Vec<StaffRow>, Error> {
        let sql = "SELECT u.id, u.name, u.profession, tm.role FROM team_members tm
            JOIN users u ON u.id = tm.user_id
            WHERE tm.team_id = $1 AND u.active ORDER BY u.name, u.id";
        let rows: Vec<(Uuid, String, String, String)> =
            self.query(sql).bind(team.0).fetch_all().await.map_err(db)?;
        Ok(rows
            .into_iter()
            .map(|(id, name, profession, r)| StaffRow {
                user: UserId(id),
                name,
                profession,
                role: role(&r),
            })
            .collect())
    }

    pub async fn teams_of(&mut self, user: UserId) -> Result<Vec<TeamMembership>, Error> {
        let sql = "SELECT t.id, t.name, tm.role FROM team_members tm
            JOIN teams t ON t.id = tm.team_id WHERE tm.user_id = $1 ORDER BY t.name, t.id";
        let rows: Vec<(Uuid, String, String)> =
            self.query(sql).bind(user.0).fetch_all().await.map_err(db)?;
        Ok(rows
            .into_iter()
            .map(|(id, name, r)| TeamMembership {
                team: TeamRef {
                    id: TeamId(id),
                    name,
                },
                role: role(&r),
            })
            .collect())
    }

    /// R2: the teams `user` may address.
    pub async fn reachable_teams(&mut self, user: UserId) -> Result<HashSet<TeamId>, Error> {
        let rows: Vec<Uuid> = self
            .query(REACHABLE_TEAMS)
            .bind(user.0)
            .scalars()
            .await
            .map_err(db)?;
        Ok(rows.into_iter().map(TeamId).collect())
    }

    /// Active professionals of reachable teams whose name or team name
    /// contains `pattern` (lower case), except the caller.
    pub async fn directory_users(
        &mut self,
        user: UserId,
        pattern: &str,
        limit: i64,
    ) -> Result<Vec<DirectoryUser>, Error> {
        let sql = format!(
            "SELECT u.id, u.name, u.profession, t.id, t.name
             FROM team_members tm
             JOIN users u ON u.id = tm.user_id
             JOIN teams t ON t.id = tm.team_id
             WHERE tm.team_id IN ({REACHABLE_TEAMS}) AND u.active AND u.id <> $1
               AND (lower(u.name) LIKE $2 OR lower(t.name) LIKE $2)
             ORDER BY u.name, u.id, t.name
             LIMIT $3"
        );
        let rows: Vec<(Uuid, String, String, Uuid, String)> = self
            .query(&sql)
            .bind(user.0)
            .bind(pattern)
            .bind(limit)
            .fetch_all()
            .await
            .map_err(db)?;
        let mut out: Vec<DirectoryUser> = Vec::new();
        for (id, name, profession, team_id, team_name) in rows {
            let team = TeamRef {
                id: TeamId(team_id),
                name: team_name,
            };
            match out.last_mut() {
                Some(last) if last.id.0 == id => last.teams.push(team),
                _ => out.push(DirectoryUser {
                    id: UserId(id),
                    name,
                    profession,
                    teams: vec![team],
                }),
            }
        }
        Ok(out)
    }
}

const SESSION_USER: &str = "SELECT u.id, u.instance_admin FROM sessions s
    JOIN users u ON u.id = s.user_id
    WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active";

impl crate::Store {
    /// The active account behind an unexpired session token. Asked on every
    /// request, so it is one statement on the read pool, outside any
    /// transaction.
    pub async fn session_user(
        &self,
        token_hash: &[u8],
        now: i64,
    ) -> Result<Option<SessionUser>, Error> {
        let row: Option<(Uuid, bool)> = match self {
            crate::Store::Sqlite(_) => {
                let mut tx = self.read().await?;
                let q = tx.query(SESSION_USER).bind(token_hash).bind(now);
                q.fetch_optional().await?
            }
            crate::Store::Postgres(pool) => sqlx::query_as(SESSION_USER)
                .bind(token_hash)
                .bind(now)
                .fetch_optional(pool)
                .await
                .map_err(Error::internal)?,
        };
        Ok(row.map(|(id, instance_admin)| SessionUser {
            user: UserId(id),
            instance_admin,
        }))
    }
}
