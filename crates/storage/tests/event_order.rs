//! The order in which events become visible on PostgreSQL (SPEC section 5:
//! a reconnecting stream resumes without loss), where
//! concurrent changes commit in any order. A stream receives every
//! event of its audience, in order, once: a change that commits after a
//! later one must still reach a reader that already passed the later one.
//! SQLite has one writer: its commit order is its log order.

use careinbox_domain::ConversationId;
use careinbox_storage::{NewEvent, Store};

mod common;

fn event(kind: &'static str) -> NewEvent<'static> {
    NewEvent {
        kind,
        conversation: Some(ConversationId(uuid::Uuid::new_v4())),
        inbox: None,
        user: None,
        data: "{}".into(),
        at: 1,
    }
}

#[tokio::test]
async fn an_event_committed_late_is_numbered_after_what_readers_already_saw() {
    let Some(db) = common::PgDatabase::create().await else {
        return;
    };
    let store = Store::open_postgres(&db.url)
        .await
        .expect("the store opens");

    // A writes its event first but commits last.
    let mut a = store.write().await.unwrap();
    a.append_events(&[event("early_but_slow")]).await.unwrap();
    let mut b = store.write().await.unwrap();
    b.append_events(&[event("late_but_quick"), event("and_another")])
        .await
        .unwrap();
    b.commit().await.unwrap();

    assert_eq!(store.sequence_events("test").await.unwrap(), 2);
    let mut read = store.read().await.unwrap();
    let seen = read.events_after(0, 100).await.unwrap();
    drop(read);
    let kinds: Vec<_> = seen.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(
        kinds,
        ["late_but_quick", "and_another"],
        "only what committed, in its order"
    );
    let last = seen.last().unwrap().seq;

    a.commit().await.unwrap();
    assert_eq!(store.sequence_events("test").await.unwrap(), 1);
    assert_eq!(
        store.sequence_events("test").await.unwrap(),
        0,
        "each event is moved once"
    );
    let mut read = store.read().await.unwrap();
    let next = read.events_after(last, 100).await.unwrap();
    drop(read);
    let kinds: Vec<_> = next.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(
        kinds,
        ["early_but_slow"],
        "a reader past `last` still gets it"
    );

    // A rolled-back change leaves no event behind.
    let mut c = store.write().await.unwrap();
    c.append_events(&[event("rolled_back")]).await.unwrap();
    drop(c);
    assert_eq!(store.sequence_events("test").await.unwrap(), 0);

    store.close().await;
    db.drop().await;
}
