//! On PostgreSQL the timeline's references to people and inboxes are
//! checked once per statement (migration 0007), not by foreign keys, so
//! that a removal at scale (R6) does not pay a check per row. They must
//! hold as firmly as foreign keys: a row naming someone or an inbox that
//! does not exist is refused, whole statements at a time, and what the
//! timeline names cannot be deleted.

use careinbox_storage::Store;
use uuid::Uuid;

mod common;

fn code(result: Result<sqlx::postgres::PgQueryResult, sqlx::Error>) -> Option<String> {
    let e = result.err()?;
    e.as_database_error()
        .and_then(|d| d.code())
        .map(|c| c.into_owned())
}

#[tokio::test]
async fn r6_timeline_rows_name_only_people_and_inboxes_that_exist() {
    let Some(db) = common::PgDatabase::create().await else {
        return;
    };
    let store = Store::open_postgres(&db.url)
        .await
        .expect("the store opens");
    let Store::Postgres(pool) = &store else {
        unreachable!("opened on PostgreSQL")
    };
    let (author, named, unnamed) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
    let (team, inbox, spare_inbox, conversation) = (
        Uuid::new_v4(),
        Uuid::new_v4(),
        Uuid::new_v4(),
        Uuid::new_v4(),
    );
    for (id, email) in [(author, "a@x.nl"), (named, "n@x.nl"), (unnamed, "u@x.nl")] {
        sqlx::query(
            "INSERT INTO users (id, email, name, profession, password_hash, created_at)
             VALUES ($1, $2, 'Naam', 'Huisarts', '-', 0)",
        )
        .bind(id)
        .bind(email)
        .execute(pool)
        .await
        .unwrap();
    }
    sqlx::query("INSERT INTO teams (id, name, created_at) VALUES ($1, 'Team', 0)")
        .bind(team)
        .execute(pool)
        .await
        .unwrap();
    for id in [inbox, spare_inbox] {
        sqlx::query(
            "INSERT INTO inboxes (id, team_id, name, description, guidelines, created_at)
             VALUES ($1, $2, 'Inbox', '', '', 0)",
        )
        .bind(id)
        .bind(team)
        .execute(pool)
        .await
        .unwrap();
    }
    sqlx::query(
        "INSERT INTO conversations (id, subject, started_by, created_at, last_message_seq, last_message_at)
         VALUES ($1, 'Onderwerp', $2, 0, 0, 0)",
    )
    .bind(conversation)
    .bind(author)
    .execute(pool)
    .await
    .unwrap();

    // Three rows per statement; the middle one names `target`.
    let insert = |target_user: Uuid, target_inbox: Uuid| {
        sqlx::query(
            "INSERT INTO timeline (conversation_id, kind, author_id, event, target_user, target_inbox, at)
             SELECT $1, 'event', $2, 'member_removed',
                    CASE WHEN n = 2 THEN $3 ELSE $2 END, CASE WHEN n = 2 THEN $4 ELSE $5 END, n
             FROM generate_series(1, 3) n",
        )
        .bind(conversation)
        .bind(author)
        .bind(target_user)
        .bind(target_inbox)
        .bind(inbox)
        .execute(pool)
    };
    let rows = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM timeline")
            .fetch_one(pool)
            .await
            .unwrap()
    };

    assert_eq!(
        code(insert(named, inbox).await),
        None,
        "existing references"
    );
    assert_eq!(rows().await, 3);
    let foreign_key_violation = Some("23503".to_owned());
    assert_eq!(
        code(insert(Uuid::new_v4(), inbox).await),
        foreign_key_violation
    );
    assert_eq!(
        code(insert(named, Uuid::new_v4()).await),
        foreign_key_violation
    );
    let bad_author = sqlx::query(
        "INSERT INTO timeline (conversation_id, kind, message_id, author_id, on_behalf_of, body, at)
         VALUES ($1, 'message', $2, $3, $4, 'tekst', 0)",
    );
    let bad_author = bad_author
        .bind(conversation)
        .bind(Uuid::new_v4())
        .bind(Uuid::new_v4())
        .bind(inbox)
        .execute(pool)
        .await;
    assert_eq!(code(bad_author), foreign_key_violation);
    assert_eq!(
        rows().await,
        3,
        "a refused statement inserts none of its rows"
    );

    let delete_user = |id: Uuid| {
        sqlx::query("DELETE FROM users WHERE id = $1")
            .bind(id)
            .execute(pool)
    };
    let delete_inbox = |id: Uuid| {
        sqlx::query("DELETE FROM inboxes WHERE id = $1")
            .bind(id)
            .execute(pool)
    };
    assert_eq!(code(delete_user(named).await), foreign_key_violation);
    assert_eq!(code(delete_inbox(inbox).await), foreign_key_violation);
    assert_eq!(code(delete_user(unnamed).await), None, "not named: may go");
    assert_eq!(
        code(delete_inbox(spare_inbox).await),
        None,
        "not named: may go"
    );

    store.close().await;
    db.drop().await;
}
