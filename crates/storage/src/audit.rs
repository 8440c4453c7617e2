//! The append-only audit log (R16).

use careinbox_domain::{ConversationId, Error, InboxId, TeamId, UserId};
use uuid::Uuid;

use crate::{AuditEntry, AuditRow, Tx, db};

impl Tx {
    pub async fn insert_audit(&mut self, entry: &AuditEntry, now: i64) -> Result<(), Error> {
        let sql = "INSERT INTO audit_log (at, actor_id, action, object_type, object_id, team_id,
              inbox_id, conversation_id, subject_user, ip, outcome)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
        self.query(sql)
            .bind(now)
            .bind(entry.actor.map(|u| u.0))
            .bind(entry.action)
            .bind(entry.object_type)
            .bind(entry.object_id)
            .bind(entry.team.map(|t| t.0))
            .bind(entry.inbox.map(|i| i.0))
            .bind(entry.conversation.map(|c| c.0))
            .bind(entry.subject_user.map(|u| u.0))
            .bind(entry.ip.as_deref())
            .bind(entry.outcome)
            .execute()
            .await
            .map(drop)
            .map_err(db)
    }

    /// Audit entries about `team`: its staff, its inboxes, and conversations
    /// that one of its inboxes is a party of; newest first, below the cursor.
    pub async fn audit_for_team(
        &mut self,
        team: TeamId,
        before_seq: i64,
        limit: i64,
    ) -> Result<Vec<AuditRow>, Error> {
        let sql = "SELECT a.seq, a.at, a.actor_id, a.action, a.object_type, a.object_id,
              a.inbox_id, a.conversation_id, a.subject_user, a.ip, a.outcome
            FROM audit_log a
            WHERE a.seq < $2 AND (
              a.team_id = $1
              OR a.inbox_id IN (SELECT id FROM inboxes WHERE team_id = $1)
              OR a.conversation_id IN (
                SELECT ci.conversation_id FROM conversation_inboxes ci
                JOIN inboxes i ON i.id = ci.inbox_id WHERE i.team_id = $1))
            ORDER BY a.seq DESC LIMIT $3";
        type Row = (
            i64,
            i64,
            Option<Uuid>,
            String,
            String,
            Option<Uuid>,
            Option<Uuid>,
            Option<Uuid>,
            Option<Uuid>,
            Option<String>,
            String,
        );
        let rows: Vec<Row> = self
            .query(sql)
            .bind(team.0)
            .bind(before_seq)
            .bind(limit)
            .fetch_all()
            .await
            .map_err(db)?;
        Ok(rows
            .into_iter()
            .map(
                |(
                    seq,
                    at,
                    actor,
                    action,
                    object_type,
                    object_id,
                    inbox,
                    conversation,
                    subject_user,
                    ip,
                    outcome,
                )| AuditRow {
                    seq,
                    at,
                    actor: actor.map(UserId),
                    action,
                    object_type,
                    object_id,
                    inbox: inbox.map(InboxId),
                    conversation: conversation.map(ConversationId),
                    subject_user: subject_user.map(UserId),
                    ip,
                    outcome,
                },
            )
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use crate::{AuditEntry, Store, now_us};

    fn entry() -> AuditEntry {
        AuditEntry {
            actor: None,
            action: "login",
            object_type: "session",
            object_id: None,
            team: None,
            inbox: None,
            conversation: None,
            subject_user: None,
            ip: Some("127.0.0.1".into()),
            outcome: "failure",
        }
    }

    /// Appends one entry, then tries to change and to delete it.
    async fn tamper(store: &Store) -> (bool, bool) {
        let mut tx = store.write().await.expect("a transaction");
        tx.insert_audit(&entry(), now_us()).await.expect("an entry");
        tx.commit().await.expect("committed");
        let update = "UPDATE audit_log SET outcome = 'success'";
        let delete = "DELETE FROM audit_log";
        let mut tx = store.write().await.expect("a transaction");
        let update_refused = tx.query(update).execute().await.is_err();
        let delete_refused = tx.query(delete).execute().await.is_err();
        (update_refused, delete_refused)
    }

    #[tokio::test]
    async fn r16_the_sqlite_audit_log_refuses_updates_and_deletes() {
        let dir = std::env::temp_dir().join(format!("careinbox-audit-{}", uuid::Uuid::new_v4()));
        let store = Store::open_sqlite(&dir).await.expect("a database");

        let (update_refused, delete_refused) = tamper(&store).await;

        store.close().await;
        let _ = std::fs::remove_dir_all(&dir);
        assert!(update_refused && delete_refused);
    }
}
