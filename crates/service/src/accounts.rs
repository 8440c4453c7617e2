//! Sessions, instance administration, teams and networks.

use careinbox_domain::{
    Email, Error, Name, NetworkId, Password, Profession, TeamId, TeamRole, UserId,
};
use careinbox_storage::{NewUser, SessionUser, StaffRow, TeamRef, Tx, UserRow, now_us};

use crate::events::Event;
use crate::{Caller, Service, audit, audit_entry, password};

/// A professional's own overview (`GET /api/v1/me`).
#[derive(Debug, Clone)]
pub struct Me {
    pub user: UserRow,
    pub teams: Vec<careinbox_storage::TeamMembership>,
    pub inboxes: Vec<(careinbox_storage::MyInboxRow, i64)>,
    pub personal_unread: i64,
}

/// A new account as asked for by the instance admin.
pub struct NewAccount {
    pub email: Email,
    pub name: Name,
    pub profession: Profession,
    pub password: Password,
}

impl Service {
    /// Creates the instance admin on the first start, when the database has
    /// no account yet. Returns the generated password when none was given.
    pub async fn bootstrap_admin(
        &self,
        email: &Email,
        password: Option<Password>,
    ) -> Result<Option<String>, Error> {
        let mut tx = self.store.write().await?;
        if tx.count_users().await? > 0 {
            return Ok(None);
        }
        let (password, generated) = match password {
            Some(p) => (p, None),
            None => {
                let raw = password::generate_password();
                (
                    Password::parse(&raw).map_err(|e| Error::Invalid(vec![e]))?,
                    Some(raw),
                )
            }
        };
        let hash = password::hash(password.expose().to_owned()).await?;
        let user = NewUser {
            id: UserId::new(),
            email: email.as_str(),
            name: "Beheerder",
            profession: "beheerder",
            password_hash: &hash,
            instance_admin: true,
        };
        match tx.insert_user(&user, now_us()).await {
            // Another node starting on the same empty database was first.
            Err(Error::Conflict(careinbox_domain::Conflict::EmailTaken)) => return Ok(None),
            result => result?,
        }
        tx.commit().await?;
        Ok(generated)
    }

    /// The instance admin of a database that holds no other account yet
    /// (for loading demo data into an empty database).
    pub async fn fresh_instance_admin(&self) -> Result<Option<UserId>, Error> {
        let mut tx = self.store.read().await?;
        if tx.count_users().await? != 1 {
            return Ok(None);
        }
        Ok(tx.instance_admins().await?.first().copied())
    }

    /// Checks the password and opens a session. Unknown email, wrong
    /// password and deactivated account all get the same answer.
    pub async fn login(
        &self,
        email: &str,
        password: &str,
        ip: Option<String>,
    ) -> Result<(String, i64), Error> {
        let email = Email::parse(email).map_err(|_| Error::Unauthenticated)?;
        let mut keys = vec![format!("email:{}", email.as_str())];
        keys.extend(ip.as_ref().map(|ip| format!("ip:{ip}")));
        if self.logins.blocked(&keys) {
            return Err(Error::RateLimited);
        }
        let mut tx = self.store.read().await?;
        let account = tx.credentials(email.as_str()).await?;
        drop(tx);

        let (user, hash) = match account {
            Some((user, hash, true)) => (Some(user), Some(hash)),
            _ => (None, None),
        };
        let verified = password::verify(password.to_owned(), hash).await?;

        let session_seconds = self.settings.session_seconds;
        let opened = self
            .write(move |tx| {
                Box::pin(async move {
                    let now = now_us();
                    let mut entry = audit_entry(user, ip, "login", "session");
                    let opened = match (user, verified) {
                        (Some(user), true) => {
                            let (token, hash) = password::new_token();
                            let expires = now + session_seconds * 1_000_000;
                            tx.insert_session(&hash, user, now, expires).await?;
                            Some((token, expires))
                        }
                        _ => {
                            entry.outcome = "failure";
                            None
                        }
                    };
                    tx.insert_audit(&entry, now).await?;
                    Ok((opened, vec![]))
                })
            })
            .await?;
        if opened.is_none() {
            self.logins.failed(&keys);
        }
        opened.ok_or(Error::Unauthenticated)
    }

    /// The professional behind a bearer token, if the session is valid.
    pub async fn authenticate(&self, token: &str) -> Result<SessionUser, Error> {
        let hash = password::token_hash(token);
        let found = self.store.session_user(&hash, now_us()).await?;
        found.ok_or(Error::Unauthenticated)
    }

    pub async fn logout(&self, caller: &Caller, token: &str) -> Result<(), Error> {
        let entry = audit(caller, "logout", "session");
        let hash = password::token_hash(token);
        self.write(move |tx| {
            Box::pin(async move {
                tx.delete_session(&hash).await?;
                tx.insert_audit(&entry, now_us()).await?;
                Ok(((), vec![]))
            })
        })
        .await
    }

    pub async fn me(&self, caller: &Caller) -> Result<Me, Error> {
        let mut tx = self.store.read().await?;
        let user = tx.user(caller.user).await?.ok_or(Error::Unauthenticated)?;
        let teams = tx.teams_of(caller.user).await?;
        let inboxes = tx.inboxes_of(caller.user, None).await?;
        let counts = tx.unread_counts(caller.user).await?;

        let count = |inbox| {
            counts
                .iter()
                .find(|(via, _)| *via == inbox)
                .map_or(0, |(_, n)| *n)
        };
        let personal_unread = count(None);
        let inboxes = inboxes
            .into_iter()
            .map(|i| {
                let n = count(Some(i.id));
                (i, n)
            })
            .collect();
        Ok(Me {
            user,
            teams,
            inboxes,
            personal_unread,
        })
    }

    /// Finds an active account by its email, for those who add people to a
    /// team: team admins and the instance admin. Others learn nothing (404).
    pub async fn find_user(&self, caller: &Caller, email: &str) -> Result<UserRow, Error> {
        let email = Email::parse(email).map_err(|e| Error::Invalid(vec![e]))?;
        let mut tx = self.store.read().await?;
        let admin = caller.instance_admin
            || tx
                .teams_of(caller.user)
                .await?
                .iter()
                .any(|t| t.role == TeamRole::Admin);
        if !admin {
            return Err(Error::NotFound);
        }
        tx.user_by_email(email.as_str())
            .await?
            .ok_or(Error::NotFound)
    }

    pub async fn create_team(&self, caller: &Caller, name: Name) -> Result<TeamId, Error> {
        require_instance_admin(caller)?;
        let id = TeamId::new();
        self.write_as(caller, move |tx, caller| {
            Box::pin(async move {
                tx.insert_team(id, name.as_str(), now_us()).await?;
                let mut entry = audit(caller, "team.create", "team");
                entry.object_id = Some(id.0);
                entry.team = Some(id);
                tx.insert_audit(&entry, now_us()).await?;

                Ok((id, vec![]))
            })
        })
        .await
    }

    pub async fn create_user(&self, caller: &Caller, account: NewAccount) -> Result<UserId, Error> {
        require_instance_admin(caller)?;
        let hash = password::hash(account.password.expose().to_owned()).await?;
        let id = UserId::new();
        self.write_as(caller, move |tx, caller| {
            Box::pin(async move {
                let user = NewUser {
                    id,
                    email: account.email.as_str(),
                    name: account.name.as_str(),
                    profession: account.profession.as_str(),
                    password_hash: &hash,
                    instance_admin: false,
                };
                tx.insert_user(&user, now_us()).await?;
                let mut entry = audit(caller, "user.create", "user");
                entry.object_id = Some(id.0);
                entry.subject_user = Some(id);
                tx.insert_audit(&entry, now_us()).await?;

                Ok((id, vec![]))
            })
        })
        .await
    }

    /// R17: deactivating an account ends its sessions and removes it from
    /// every inbox, applying R6.
    pub async fn deactivate_user(&self, caller: &Caller, user: UserId) -> Result<(), Error> {
        require_instance_admin(caller)?;
        self.write_as(caller, move |tx, caller| {
            Box::pin(async move {
                if !tx.deactivate_user(user).await? {
                    return Err(Error::NotFound);
                }
                let now = now_us();
                tx.delete_sessions_of(user, now).await?;
                let mut events = Self::leave_inboxes(tx, caller, user, None).await?;
                let mut entry = audit(caller, "user.deactivate", "user");
                entry.object_id = Some(user.0);
                entry.subject_user = Some(user);
                tx.insert_audit(&entry, now).await?;
                events.push(Event::new("account_deactivated").user(user));

                Ok(((), events))
            })
        })
        .await
    }

    pub async fn create_network(&self, caller: &Caller, name: Name) -> Result<NetworkId, Error> {
        require_instance_admin(caller)?;
        let id = NetworkId::new();
        self.write_as(caller, move |tx, caller| {
            Box::pin(async move {
                tx.insert_network(id, name.as_str(), now_us()).await?;
                let mut entry = audit(caller, "network.create", "network");
                entry.object_id = Some(id.0);
                tx.insert_audit(&entry, now_us()).await?;

                Ok((id, vec![]))
            })
        })
        .await
    }

    pub async fn add_network_team(
        &self,
        caller: &Caller,
        network: NetworkId,
        team: TeamId,
    ) -> Result<(), Error> {
        require_instance_admin(caller)?;
        self.write_as(caller, move |tx, caller| {
            Box::pin(async move {
                if !tx.network_exists(network).await? {
                    return Err(Error::NotFound);
                }
                if tx.team(team).await?.is_none() {
                    return Err(Error::invalid("team", "unknown team"));
                }
                tx.insert_network_team(network, team).await?;
                let mut entry = audit(caller, "network.add_team", "network");
                entry.object_id = Some(network.0);
                entry.team = Some(team);
                tx.insert_audit(&entry, now_us()).await?;

                Ok(((), vec![]))
            })
        })
        .await
    }

    /// Team staff: team admins manage it; the instance admin appoints a new
    /// team's first admin.
    pub async fn add_team_member(
        &self,
        caller: &Caller,
        team: TeamId,
        user: UserId,
        role: TeamRole,
    ) -> Result<(), Error> {
        self.write_as(caller, move |tx, caller| {
            Box::pin(async move {
                Self::require_team_admin(tx, caller, team).await?;
                if !tx.user(user).await?.is_some_and(|u| u.active) {
                    return Err(Error::invalid("user", "unknown user"));
                }
                tx.insert_team_member(team, user, role).await?;
                let mut entry = audit(caller, "team.member_add", "team");
                entry.object_id = Some(team.0);
                entry.team = Some(team);
                entry.subject_user = Some(user);
                tx.insert_audit(&entry, now_us()).await?;
                let event = Event::new("team_changed").user(user);

                Ok(((), vec![event]))
            })
        })
        .await
    }

    /// R17: leaving a team removes the professional from the team's inboxes,
    /// applying R6 to each.
    pub async fn remove_team_member(
        &self,
        caller: &Caller,
        team: TeamId,
        user: UserId,
    ) -> Result<(), Error> {
        self.write_as(caller, move |tx, caller| {
            Box::pin(async move {
                Self::require_team_admin(tx, caller, team).await?;
                let mut events = Self::leave_inboxes(tx, caller, user, Some(team)).await?;
                if !tx.delete_team_member(team, user).await? {
                    return Err(Error::NotFound);
                }
                let mut entry = audit(caller, "team.member_remove", "team");
                entry.object_id = Some(team.0);
                entry.team = Some(team);
                entry.subject_user = Some(user);
                tx.insert_audit(&entry, now_us()).await?;
                events.push(Event::new("team_changed").user(user));

                Ok(((), events))
            })
        })
        .await
    }

    /// Team staff, for staff of the team and the instance admin (R15).
    pub async fn team_staff(&self, caller: &Caller, team: TeamId) -> Result<Vec<StaffRow>, Error> {
        let mut tx = self.store.read().await?;
        tx.team(team).await?.ok_or(Error::NotFound)?;
        if !caller.instance_admin && tx.team_role(team, caller.user).await?.is_none() {
            return Err(Error::NotFound);
        }
        tx.team_staff(team).await
    }

    /// R16: the audit entries about the team, for its admins.
    pub async fn team_audit(
        &self,
        caller: &Caller,
        team: TeamId,
        cursor: Option<i64>,
        limit: Option<u32>,
    ) -> Result<crate::Page<careinbox_storage::AuditRow>, Error> {
        let limit = self.page_size(limit)?;
        let mut tx = self.store.read().await?;
        Self::require_team_admin(&mut tx, caller, team).await?;
        let mut items = tx
            .audit_for_team(team, cursor.unwrap_or(i64::MAX), limit + 1)
            .await?;
        drop(tx);

        let next_cursor = if items.len() as i64 > limit {
            items.truncate(limit as usize);
            items.last().map(|a| a.seq)
        } else {
            None
        };
        let mut entry = audit(caller, "audit.read", "team");
        entry.object_id = Some(team.0);
        entry.team = Some(team);
        self.audit_read(entry).await?;
        Ok(crate::Page { items, next_cursor })
    }

    /// The team, if the caller administers it (team admin or instance admin).
    /// Other staff learn they may not (403); others that it is not there.
    pub(crate) async fn require_team_admin(
        tx: &mut Tx,
        caller: &Caller,
        team: TeamId,
    ) -> Result<TeamRef, Error> {
        let found = tx.team(team).await?.ok_or(Error::NotFound)?;
        if caller.instance_admin {
            return Ok(found);
        }
        match tx.team_role(team, caller.user).await? {
            Some(TeamRole::Admin) => Ok(found),
            Some(TeamRole::Member) => Err(Error::Forbidden("only team admins manage the team")),
            None => Err(Error::NotFound),
        }
    }
}

fn require_instance_admin(caller: &Caller) -> Result<(), Error> {
    if caller.instance_admin {
        Ok(())
    } else {
        Err(Error::Forbidden("only the instance admin does this"))
    }
}
