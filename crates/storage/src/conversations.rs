//! Conversations, their parties and participations, the timeline, the views
//! and read state.

use std::collections::HashMap;

use careinbox_domain::{
    AttachmentId, Conflict, ConversationId, Error, InboxId, MessageId, Source, TeamId, UserId,
};
use uuid::Uuid;

use crate::{
    AttachmentMeta, AttachmentRow, ConversationRow, InboxRef, ParticipantRow, PartyInbox,
    PersonRef, TeamRef, TimelineKind, TimelineRow, Tx, ViewRow, db, unique_is,
};

/// A view row as queried: the conversation's columns, then the read
/// position and the archived flag of the participation.
type ViewTuple = (Uuid, String, Uuid, String, i64, i64, i64, i64, bool);

type ConversationTuple = (Uuid, String, Uuid, String, i64, i64, i64);

fn conversation_row(
    (id, subject, by, by_name, created, last_at, last_seq): ConversationTuple,
) -> ConversationRow {
    ConversationRow {
        id: ConversationId(id),
        subject,
        started_by: PersonRef {
            id: UserId(by),
            name: by_name,
        },
        created_at: created,
        last_message_at: last_at,
        last_message_seq: last_seq,
    }
}

const CONVERSATION_COLUMNS: &str =
    "c.id, c.subject, c.started_by, u.name, c.created_at, c.last_message_at, c.last_message_seq";

/// A view to list: the personal view (direct participations) or an inbox's.
#[derive(Debug, Clone, Copy)]
pub enum ViewOf {
    Personal,
    Inbox(InboxId),
}

impl Tx {
    /// Creates the conversation row; its first message follows with
    /// [`Tx::insert_message`].
    pub async fn insert_conversation(
        &mut self,
        id: ConversationId,
        subject: &str,
        started_by: UserId,
        now: i64,
    ) -> Result<(), Error> {
        let sql = "INSERT INTO conversations
            (id, subject, started_by, created_at, last_message_seq, last_message_at)
            VALUES ($1, $2, $3, $4, 0, $4)";
        self.query(sql)
            .bind(id.0)
            .bind(subject)
            .bind(started_by.0)
            .bind(now)
            .execute()
            .await
            .map(drop)
            .map_err(db)
    }

    pub async fn conversation(
        &mut self,
        id: ConversationId,
    ) -> Result<Option<ConversationRow>, Error> {
        let sql = format!(
            "SELECT {CONVERSATION_COLUMNS} FROM conversations c
             JOIN users u ON u.id = c.started_by WHERE c.id = $1"
        );
        let row: Option<ConversationTuple> = self
            .query(&sql)
            .bind(id.0)
            .fetch_optional()
            .await
            .map_err(db)?;
        Ok(row.map(conversation_row))
    }

    /// Appends a message and makes it the conversation's newest activity:
    /// every participation's view moves it to the top and out of the archive
    /// (R9, R10), and the author has read up to it. Returns its seq.
    pub async fn insert_message(
        &mut self,
        conversation: ConversationId,
        id: MessageId,
        author: UserId,
        on_behalf_of: Option<InboxId>,
        body: &str,
        now: i64,
    ) -> Result<i64, Error> {
        // On PostgreSQL the one statement also bumps the conversation and
        // spreads the message to its participations: one round trip
        // instead of three, and round trips and executor starts are where
        // a post spends most of its database time.
        let together = self.is_postgres();
        let append = if together {
            "WITH m AS (
              INSERT INTO timeline
                (conversation_id, kind, message_id, author_id, on_behalf_of, body, at)
              VALUES ($1, 'message', $2, $3, $4, $5, $6) RETURNING seq),
            bump AS (UPDATE conversations SET last_message_seq = m.seq, last_message_at = $6
              FROM m WHERE id = $1),
            spread AS (UPDATE participations SET last_message_seq = m.seq, archived = FALSE,
                last_read_seq = CASE WHEN user_id = $3 THEN m.seq ELSE last_read_seq END
              FROM m WHERE conversation_id = $1)
            SELECT seq FROM m"
        } else {
            "INSERT INTO timeline
            (conversation_id, kind, message_id, author_id, on_behalf_of, body, at)
            VALUES ($1, 'message', $2, $3, $4, $5, $6) RETURNING seq"
        };
        let bump = "UPDATE conversations SET last_message_seq = $2, last_message_at = $3
            WHERE id = $1";
        let spread = "UPDATE participations SET last_message_seq = $2, archived = FALSE,
              last_read_seq = CASE WHEN user_id = $3 THEN $2 ELSE last_read_seq END
            WHERE conversation_id = $1";
        let seq: i64 = self
            .query(append)
            .bind(conversation.0)
            .bind(id.0)
            .bind(author.0)
            .bind(on_behalf_of.map(|i| i.0))
            .bind(body)
            .bind(now)
            .scalar()
            .await?;
        if together {
            return Ok(seq);
        }
        self.query(bump)
            .bind(conversation.0)
            .bind(seq)
            .bind(now)
            .execute()
            .await?;
        self.query(spread)
            .bind(conversation.0)
            .bind(seq)
            .bind(author.0)
            .execute()
            .await?;
        Ok(seq)
    }

    /// Appends a system event ("Carla added POH Somatiek"). Events do not
    /// count as activity: they change neither unread state nor view order.
    pub async fn insert_event(
        &mut self,
        conversation: ConversationId,
        event: &str,
        actor: Option<UserId>,
        target: Target,
        now: i64,
    ) -> Result<i64, Error> {
        let sql = "INSERT INTO timeline
            (conversation_id, kind, author_id, event, target_user, target_inbox, at)
            VALUES ($1, 'event', $2, $3, $4, $5, $6) RETURNING seq";
        let (user, inbox) = match target {
            Target::User(u) => (Some(u.0), None),
            Target::Inbox(i) => (None, Some(i.0)),
        };
        self.query(sql)
            .bind(conversation.0)
            .bind(actor.map(|a| a.0))
            .bind(event)
            .bind(user)
            .bind(inbox)
            .bind(now)
            .scalar()
            .await
            .map_err(db)
    }

    /// Makes `inbox` a party of the conversation; R8 refuses a second time.
    pub async fn insert_party_inbox(
        &mut self,
        conversation: ConversationId,
        inbox: InboxId,
        added_by: UserId,
        now: i64,
    ) -> Result<(), Error> {
        let sql = "INSERT INTO conversation_inboxes (conversation_id, inbox_id, added_by, added_at)
            VALUES ($1, $2, $3, $4)";
        let result = self
            .query(sql)
            .bind(conversation.0)
            .bind(inbox.0)
            .bind(added_by.0)
            .bind(now)
            .execute()
            .await
            .map(drop);
        result.map_err(unique_is(Conflict::InboxAlreadyParty))
    }

    /// Adds one participation. A professional who already participates by
    /// another source keeps their read position.
    pub async fn insert_participation(
        &mut self,
        conversation: ConversationId,
        user: UserId,
        source: Source,
        now: i64,
    ) -> Result<(), Error> {
        let sql = "INSERT INTO participations
            (conversation_id, user_id, via_inbox, added_at, archived, last_message_seq, last_read_seq)
            SELECT c.id, $2, $3, $4, FALSE, c.last_message_seq,
              COALESCE((SELECT MAX(p.last_read_seq) FROM participations p
                        WHERE p.conversation_id = c.id AND p.user_id = $2), 0)
            FROM conversations c WHERE c.id = $1";
        let result = self
            .query(sql)
            .bind(conversation.0)
            .bind(user.0)
            .bind(source.inbox().map(|i| i.0))
            .bind(now)
            .execute()
            .await
            .map(drop);
        result.map_err(unique_is(Conflict::AlreadyParticipant))
    }

    /// R4: links exactly the current members of `inbox` as participants via
    /// it, in one statement. Call [`Tx::lock_inbox`] first. Returns them.
    pub async fn link_inbox_members(
        &mut self,
        conversation: ConversationId,
        inbox: InboxId,
        now: i64,
    ) -> Result<Vec<UserId>, Error> {
        let sql = "INSERT INTO participations
            (conversation_id, user_id, via_inbox, added_at, archived, last_message_seq, last_read_seq)
            SELECT c.id, m.user_id, m.inbox_id, $3, FALSE, c.last_message_seq,
              COALESCE((SELECT MAX(p.last_read_seq) FROM participations p
                        WHERE p.conversation_id = c.id AND p.user_id = m.user_id), 0)
            FROM inbox_members m JOIN conversations c ON c.id = $1
            WHERE m.inbox_id = $2
            RETURNING user_id";
        let rows: Vec<Uuid> = self
            .query(sql)
            .bind(conversation.0)
            .bind(inbox.0)
            .bind(now)
            .scalars()
            .await
            .map_err(db)?;
        Ok(rows.into_iter().map(UserId).collect())
    }

    /// The sources through which `user` participates in the conversation;
    /// empty when they do not (R15).
    pub async fn sources(
        &mut self,
        conversation: ConversationId,
        user: UserId,
    ) -> Result<Vec<Source>, Error> {
        let sql =
            "SELECT via_inbox FROM participations WHERE conversation_id = $1 AND user_id = $2";
        let rows: Vec<Option<Uuid>> = self
            .query(sql)
            .bind(conversation.0)
            .bind(user.0)
            .scalars()
            .await
            .map_err(db)?;
        Ok(rows
            .into_iter()
            .map(|via| via.map_or(Source::Direct, |i| Source::Via(InboxId(i))))
            .collect())
    }

    pub async fn party_inboxes(
        &mut self,
        conversation: ConversationId,
    ) -> Result<Vec<PartyInbox>, Error> {
        let sql = "SELECT i.id, i.name, t.id, t.name FROM conversation_inboxes ci
            JOIN inboxes i ON i.id = ci.inbox_id JOIN teams t ON t.id = i.team_id
            WHERE ci.conversation_id = $1 ORDER BY ci.added_at, i.name";
        let rows: Vec<(Uuid, String, Uuid, String)> = self
            .query(sql)
            .bind(conversation.0)
            .fetch_all()
            .await
            .map_err(db)?;
        Ok(rows
            .into_iter()
            .map(|(id, name, team_id, team_name)| PartyInbox {
                id: InboxId(id),
                name,
                team: TeamRef {
                    id: TeamId(team_id),
                    name: team_name,
                },
            })
            .collect())
    }

    pub async fn participants(
        &mut self,
        conversation: ConversationId,
    ) -> Result<Vec<ParticipantRow>, Error> {
        let sql = "SELECT u.id, u.name, u.profession, p.via_inbox FROM participations p
            JOIN users u ON u.id = p.user_id
            WHERE p.conversation_id = $1 ORDER BY u.name, u.id, p.added_at";
        let rows: Vec<(Uuid, String, String, Option<Uuid>)> = self
            .query(sql)
            .bind(conversation.0)
            .fetch_all()
            .await
            .map_err(db)?;
        Ok(rows
            .into_iter()
            .map(|(id, name, profession, via)| ParticipantRow {
                user: UserId(id),
                name,
                profession,
                via: via.map(InboxId),
            })
            .collect())
    }

    /// The participants and the teams taking part of a page of
    /// conversations: two queries, whatever the page's size. The first reads
    /// only the participations index; the few people it names are then read
    /// once each with their teams, not once per participation.
    pub async fn page_details(
        &mut self,
        ids: &[ConversationId],
    ) -> Result<HashMap<ConversationId, (Vec<ParticipantRow>, Vec<TeamRef>)>, Error> {
        let mut details: HashMap<ConversationId, (Vec<ParticipantRow>, Vec<TeamRef>)> =
            HashMap::new();
        if ids.is_empty() {
            return Ok(details);
        }
        let sql = format!(
            "SELECT conversation_id, user_id, via_inbox FROM participations
             WHERE conversation_id IN ({})",
            crate::placeholders(1, ids.len())
        );
        let mut q = self.query(&sql);
        for id in ids {
            q = q.bind(id.0);
        }
        let links: Vec<(Uuid, Uuid, Option<Uuid>)> = q.fetch_all().await?;

        let mut people: Vec<Uuid> = links.iter().map(|(_, user, _)| *user).collect();
        people.sort_unstable();
        people.dedup();
        let sql = format!(
            "SELECT u.id, u.name, u.profession, t.id, t.name FROM users u
             LEFT JOIN team_members tm ON tm.user_id = u.id
             LEFT JOIN teams t ON t.id = tm.team_id
             WHERE u.id IN ({})",
            crate::placeholders(1, people.len())
        );
        let mut q = self.query(&sql);
        for id in &people {
            q = q.bind(*id);
        }
        let rows: Vec<PersonWithTeam> = q.fetch_all().await?;
        let mut who: HashMap<Uuid, (String, String, Vec<TeamRef>)> = HashMap::new();
        for (user, name, profession, team, team_name) in rows {
            let person = who
                .entry(user)
                .or_insert_with(|| (name, profession, Vec::new()));
            if let (Some(id), Some(name)) = (team, team_name) {
                person.2.push(TeamRef {
                    id: TeamId(id),
                    name,
                });
            }
        }

        for (conversation, user, via) in links {
            let Some((name, profession, teams)) = who.get(&user) else {
                continue;
            };
            let entry = details.entry(ConversationId(conversation)).or_default();
            entry.0.push(ParticipantRow {
                user: UserId(user),
                name: name.clone(),
                profession: profession.clone(),
                via: via.map(InboxId),
            });
            for team in teams {
                if !entry.1.iter().any(|t| t.id == team.id) {
                    entry.1.push(team.clone());
                }
            }
        }
        for (participants, teams) in details.values_mut() {
            participants.sort_by(|a, b| (&a.name, a.user.0).cmp(&(&b.name, b.user.0)));
            teams.sort_by(|a, b| (&a.name, a.id.0).cmp(&(&b.name, b.id.0)));
        }
        Ok(details)
    }

    /// The caller's own participations in a conversation, with the state of
    /// the view each one puts it in.
    pub async fn own_participations(
        &mut self,
        conversation: ConversationId,
        user: UserId,
    ) -> Result<Vec<crate::OwnParticipation>, Error> {
        let sql = "SELECT via_inbox, archived, last_message_seq > last_read_seq
            FROM participations WHERE conversation_id = $1 AND user_id = $2";
        let rows: Vec<(Option<Uuid>, bool, bool)> = self
            .query(sql)
            .bind(conversation.0)
            .bind(user.0)
            .fetch_all()
            .await
            .map_err(db)?;
        Ok(rows
            .into_iter()
            .map(|(via, archived, unread)| crate::OwnParticipation {
                via: via.map(InboxId),
                archived,
                unread,
            })
            .collect())
    }

    /// Timeline items after `after_seq`, oldest first.
    pub async fn timeline(
        &mut self,
        conversation: ConversationId,
        after_seq: i64,
        limit: i64,
    ) -> Result<Vec<TimelineRow>, Error> {
        let sql = "SELECT t.seq, t.at, t.kind, t.message_id, t.body, t.event,
              a.id, a.name, b.id, b.name, tu.id, tu.name, ti.id, ti.name
            FROM timeline t
            LEFT JOIN users a ON a.id = t.author_id
            LEFT JOIN inboxes b ON b.id = t.on_behalf_of
            LEFT JOIN users tu ON tu.id = t.target_user
            LEFT JOIN inboxes ti ON ti.id = t.target_inbox
            WHERE t.conversation_id = $1 AND t.seq > $2
            ORDER BY t.seq LIMIT $3";
        type Row = (
            i64,
            i64,
            String,
            Option<Uuid>,
            Option<String>,
            Option<String>,
            Option<Uuid>,
            Option<String>,
            Option<Uuid>,
            Option<String>,
            Option<Uuid>,
            Option<String>,
            Option<Uuid>,
            Option<String>,
        );
        let rows: Vec<Row> = self
            .query(sql)
            .bind(conversation.0)
            .bind(after_seq)
            .bind(limit)
            .fetch_all()
            .await
            .map_err(db)?;
        let person = |id: Option<Uuid>, name: Option<String>| {
            id.zip(name).map(|(id, name)| PersonRef {
                id: UserId(id),
                name,
            })
        };
        let inbox = |id: Option<Uuid>, name: Option<String>| {
            id.zip(name).map(|(id, name)| InboxRef {
                id: InboxId(id),
                name,
            })
        };
        let mut items: Vec<TimelineRow> = rows
            .into_iter()
            .map(
                |(seq, at, kind, message_id, body, event, a, an, b, bn, tu, tun, ti, tin)| {
                    let kind = match (kind.as_str(), message_id) {
                        ("message", Some(id)) => TimelineKind::Message {
                            id: MessageId(id),
                            author: person(a, an).unwrap_or(PersonRef {
                                id: UserId(Uuid::nil()),
                                name: String::new(),
                            }),
                            on_behalf_of: inbox(b, bn),
                            body: body.unwrap_or_default(),
                            attachment: None,
                        },
                        _ => TimelineKind::Event {
                            event: event.unwrap_or_default(),
                            actor: person(a, an),
                            target_user: person(tu, tun),
                            target_inbox: inbox(ti, tin),
                        },
                    };
                    TimelineRow { seq, at, kind }
                },
            )
            .collect();
        self.add_attachments(conversation, after_seq, &mut items)
            .await?;
        Ok(items)
    }

    /// Records a shared file as belonging to the message at `message_seq`.
    #[allow(clippy::too_many_arguments)]
    pub async fn insert_attachment(
        &mut self,
        id: AttachmentId,
        conversation: ConversationId,
        message_seq: i64,
        name: &str,
        content_type: &str,
        data: &[u8],
        uploaded_by: UserId,
        now: i64,
    ) -> Result<(), Error> {
        let sql = "INSERT INTO attachments
            (id, conversation_id, message_seq, name, content_type, size, data, uploaded_by, at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
        self.query(sql)
            .bind(id.0)
            .bind(conversation.0)
            .bind(message_seq)
            .bind(name)
            .bind(content_type)
            .bind(data.len() as i64)
            .bind(data)
            .bind(uploaded_by.0)
            .bind(now)
            .execute()
            .await
            .map(drop)
            .map_err(db)
    }

    /// A shared file with its bytes.
    pub async fn attachment(&mut self, id: AttachmentId) -> Result<Option<AttachmentRow>, Error> {
        let sql = "SELECT conversation_id, name, content_type, size, data
            FROM attachments WHERE id = $1";
        let row: Option<(Uuid, String, String, i64, Vec<u8>)> = self
            .query(sql)
            .bind(id.0)
            .fetch_optional()
            .await
            .map_err(db)?;
        Ok(row.map(
            |(conversation, name, content_type, size, data)| AttachmentRow {
                meta: AttachmentMeta {
                    id,
                    name,
                    content_type,
                    size,
                },
                conversation: ConversationId(conversation),
                data,
            },
        ))
    }

    /// Adds the shared files to the messages of a timeline page, in one
    /// query.
    async fn add_attachments(
        &mut self,
        conversation: ConversationId,
        after_seq: i64,
        items: &mut [TimelineRow],
    ) -> Result<(), Error> {
        let Some(through_seq) = items.last().map(|r| r.seq) else {
            return Ok(());
        };
        let sql = "SELECT message_seq, id, name, content_type, size FROM attachments
            WHERE conversation_id = $1 AND message_seq > $2 AND message_seq <= $3";
        let rows: Vec<(i64, Uuid, String, String, i64)> = self
            .query(sql)
            .bind(conversation.0)
            .bind(after_seq)
            .bind(through_seq)
            .fetch_all()
            .await
            .map_err(db)?;
        let mut files: HashMap<i64, AttachmentMeta> = rows
            .into_iter()
            .map(|(seq, id, name, content_type, size)| {
                let meta = AttachmentMeta {
                    id: AttachmentId(id),
                    name,
                    content_type,
                    size,
                };
                (seq, meta)
            })
            .collect();
        for row in items.iter_mut() {
            if let TimelineKind::Message { attachment, .. } = &mut row.kind {
                *attachment = files.remove(&row.seq);
            }
        }
        Ok(())
    }

    /// The seq of a message of this conversation.
    pub async fn message_seq(
        &mut self,
        conversation: ConversationId,
        message: MessageId,
    ) -> Result<Option<i64>, Error> {
        let sql = "SELECT seq FROM timeline WHERE conversation_id = $1 AND message_id = $2";
        self.query(sql)
            .bind(conversation.0)
            .bind(message.0)
            .scalar_optional()
            .await
            .map_err(db)
    }

    /// R14: moves `user`'s read position forward (never back) to `seq`.
    pub async fn mark_read(
        &mut self,
        conversation: ConversationId,
        user: UserId,
        seq: i64,
    ) -> Result<(), Error> {
        let sql = "UPDATE participations
            SET last_read_seq = CASE WHEN last_read_seq < $3 THEN $3 ELSE last_read_seq END
            WHERE conversation_id = $1 AND user_id = $2";
        self.query(sql)
            .bind(conversation.0)
            .bind(user.0)
            .bind(seq)
            .execute()
            .await
            .map(drop)
            .map_err(db)
    }

    /// R9: archives or restores the conversation in `inbox`'s view, for every
    /// member linked via it. R10: with `ViewOf::Personal`, only `user`'s
    /// direct participation.
    pub async fn set_archived(
        &mut self,
        conversation: ConversationId,
        view: ViewOf,
        user: UserId,
        archived: bool,
    ) -> Result<(), Error> {
        let result = match view {
            ViewOf::Inbox(inbox) => {
                let sql = "UPDATE participations SET archived = $3
                    WHERE conversation_id = $1 AND via_inbox = $2";
                self.query(sql)
                    .bind(conversation.0)
                    .bind(inbox.0)
                    .bind(archived)
                    .execute()
                    .await
            }
            ViewOf::Personal => {
                let sql = "UPDATE participations SET archived = $3
                    WHERE conversation_id = $1 AND user_id = $2 AND via_inbox IS NULL";
                self.query(sql)
                    .bind(conversation.0)
                    .bind(user.0)
                    .bind(archived)
                    .execute()
                    .await
            }
        };
        result.map(drop).map_err(db)
    }

    /// One page of a view, newest activity first, starting below the
    /// `before_seq` cursor. Served by the participations_view index.
    pub async fn view_page(
        &mut self,
        user: UserId,
        view: ViewOf,
        archived: bool,
        before_seq: i64,
        limit: i64,
    ) -> Result<Vec<ViewRow>, Error> {
        let source = match view {
            ViewOf::Personal => "p.via_inbox IS NULL AND $5 IS NULL",
            ViewOf::Inbox(_) => "p.via_inbox = $5",
        };
        let sql = format!(
            "SELECT {CONVERSATION_COLUMNS}, p.last_read_seq, p.archived
             FROM participations p
             JOIN conversations c ON c.id = p.conversation_id
             JOIN users u ON u.id = c.started_by
             WHERE p.user_id = $1 AND {source} AND p.archived = $2 AND p.last_message_seq < $3
             ORDER BY p.last_message_seq DESC LIMIT $4"
        );
        let inbox = match view {
            ViewOf::Personal => None,
            ViewOf::Inbox(i) => Some(i.0),
        };
        let rows: Vec<ViewTuple> = self
            .query(&sql)
            .bind(user.0)
            .bind(archived)
            .bind(before_seq)
            .bind(limit)
            .bind(inbox)
            .fetch_all()
            .await
            .map_err(db)?;
        Ok(rows.into_iter().map(view_row).collect())
    }

    /// One page of every conversation `user` participates in, by any source.
    /// `archived` is true when every view of theirs has it archived.
    pub async fn all_page(
        &mut self,
        user: UserId,
        before_seq: i64,
        limit: i64,
    ) -> Result<Vec<ViewRow>, Error> {
        let sql = format!(
            "SELECT {CONVERSATION_COLUMNS}, MAX(p.last_read_seq),
               MIN(CASE WHEN p.archived THEN 1 ELSE 0 END) = 1
             FROM participations p
             JOIN conversations c ON c.id = p.conversation_id
             JOIN users u ON u.id = c.started_by
             WHERE p.user_id = $1 AND p.last_message_seq < $2
             GROUP BY c.id, c.subject, c.started_by, u.name, c.created_at, c.last_message_at,
               c.last_message_seq
             ORDER BY c.last_message_seq DESC LIMIT $3"
        );
        let rows: Vec<ViewTuple> = self
            .query(&sql)
            .bind(user.0)
            .bind(before_seq)
            .bind(limit)
            .fetch_all()
            .await
            .map_err(db)?;
        Ok(rows.into_iter().map(view_row).collect())
    }

    /// R14: per view, how many active conversations have unread messages
    /// for `user` (`None` is the personal view). The counts are kept by the
    /// database as participations change (migration 0005), so this reads
    /// a few rows per view, however much is unread: one on SQLite, one per
    /// connection slot on PostgreSQL.
    pub async fn unread_counts(
        &mut self,
        user: UserId,
    ) -> Result<Vec<(Option<InboxId>, i64)>, Error> {
        let sql = "SELECT view_id, CAST(SUM(unread) AS BIGINT) FROM unread_counts
            WHERE user_id = $1 GROUP BY view_id HAVING SUM(unread) > 0";
        let rows: Vec<(Uuid, i64)> = self.query(sql).bind(user.0).fetch_all().await?;
        Ok(rows
            .into_iter()
            .map(|(view, n)| ((view != user.0).then_some(InboxId(view)), n))
            .collect())
    }
}

/// A professional's id, name and profession, with one of their teams (id
/// and name) when they have any.
type PersonWithTeam = (Uuid, String, String, Option<Uuid>, Option<String>);

/// Whom a system event is about.
#[derive(Debug, Clone, Copy)]
pub enum Target {
    User(UserId),
    Inbox(InboxId),
}

fn view_row(
    (id, subject, by, by_name, created, last_at, last_seq, read, archived): ViewTuple,
) -> ViewRow {
    ViewRow {
        conversation: conversation_row((id, subject, by, by_name, created, last_at, last_seq)),
        unread: last_seq > read,
        archived,
        participants: Vec::new(),
        teams: Vec::new(),
    }
}
