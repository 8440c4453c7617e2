//! One or more tests per rule of SPEC section 2 (R15 lives in `access.rs`),
//! each named after its rule and each observing the rule's effect through the
//! API: who participates via which inbox, what each view lists, unread counts
//! and timeline events.

use std::collections::BTreeSet;
use std::time::Duration;

use serde_json::{Value, json};

use crate::support::*;

// R1: personal accounts only.

#[tokio::test]
async fn r1_nobody_logs_in_as_an_inbox() {
    let s = Scenario::build().await;
    let login = "/api/v1/auth/login";

    let by_id = s
        .post(
            login,
            None,
            json!({ "email": s.assistenten, "password": PASSWORD }),
        )
        .await;
    let by_name = s
        .post(
            login,
            None,
            json!({ "email": "Assistenten De Linde", "password": PASSWORD }),
        )
        .await;
    let id_as_token = s.get("/api/v1/me", Some(&s.assistenten)).await;

    for reply in [&by_id, &by_name] {
        assert!(matches!(reply.status.as_u16(), 401 | 422), "{reply:?}");
        assert!(reply.body.get("token").is_none(), "{reply:?}");
    }
    assert_eq!(id_as_token.status, 401, "{id_as_token:?}");
}

#[tokio::test]
async fn r1_an_inbox_is_never_addressed_as_a_professional() {
    let s = Scenario::build().await;
    let c = s.start(&s.iris, &[&s.joost], &[]).await;
    let body = json!({
        "subject": "Wondzorg",
        "body": "Aan de assistenten",
        "recipients": { "users": [s.assistenten], "inboxes": [] },
    });

    let start = s.post("/api/v1/conversations", s.iris.auth(), body).await;
    let add = s
        .add_participant(&c.id, &s.iris, json!({ "user": s.assistenten }))
        .await;
    let directory = s.directory(&s.iris, "Assistenten").await;

    assert_eq!(start.status, 422, "{start:?}");
    assert_eq!(add.status, 422, "{add:?}");
    assert_eq!(
        s.participations(&c.id, &s.iris).await,
        [direct(&s.iris), direct(&s.joost)].into()
    );
    let professionals = directory["professionals"]
        .as_array()
        .expect("professionals");
    assert!(
        !professionals
            .iter()
            .any(|p| p["id"] == s.assistenten.as_str()),
        "{directory}"
    );
    let inboxes = directory["inboxes"].as_array().expect("inboxes");
    assert!(
        inboxes.iter().any(|i| i["id"] == s.assistenten.as_str()),
        "{directory}"
    );
}

#[tokio::test]
async fn r1_a_message_to_an_inbox_reaches_each_member_in_their_own_account() {
    let s = Scenario::build().await;

    let c = s.start(&s.iris, &[], &[&s.assistenten]).await;

    let conversation = s.conversation(&c.id, &s.iris).await;
    let participants = participations(&conversation);
    assert!(
        participants.iter().all(|(user, _)| *user != s.assistenten),
        "{conversation}"
    );
    for member in [&s.carla, &s.daan, &s.eva] {
        let me = s.me(member).await;
        assert_eq!(me["id"], member.id.as_str());
        assert_eq!(
            s.inbox_unread(member, &s.assistenten).await,
            1,
            "{}",
            member.name
        );
        assert!(
            s.inbox_view(&s.assistenten, member, "active")
                .await
                .contains(&c.id)
        );
        let timeline = s.timeline(&c.id, member).await;
        assert_eq!(messages(&timeline)[0]["id"], c.message.as_str());
    }
    assert_eq!(party_inboxes(&conversation), [s.assistenten.clone()].into());
}

// R2: addressing.

#[tokio::test]
async fn r2_professionals_and_inboxes_in_a_shared_network_are_addressable() {
    let s = Scenario::build().await;

    let across = s.start(&s.iris, &[&s.joost], &[&s.poh_ggz]).await;
    let own_team = s.start(&s.anna, &[&s.bram], &[&s.assistenten]).await;

    let expected = [direct(&s.iris), direct(&s.joost), via(&s.hanna, &s.poh_ggz)];
    assert_eq!(s.participations(&across.id, &s.iris).await, expected.into());
    let expected = [
        direct(&s.anna),
        direct(&s.bram),
        via(&s.carla, &s.assistenten),
        via(&s.daan, &s.assistenten),
        via(&s.eva, &s.assistenten),
    ];
    assert_eq!(
        s.participations(&own_team.id, &s.anna).await,
        expected.into()
    );
}

#[tokio::test]
async fn r2_unknown_and_unreachable_recipients_are_refused_alike() {
    let s = Scenario::build().await;
    let stranger = s.stranger().await;
    let unknown = unknown_id();

    let start = |users: &[&str], inboxes: &[&str]| {
        let body = json!({
            "subject": "Wondzorg",
            "body": "Kunt u dit overnemen?",
            "recipients": { "users": users, "inboxes": inboxes },
        });
        s.post("/api/v1/conversations", s.iris.auth(), body)
    };

    let unreachable_user = start(&[&stranger.lotte.id], &[]).await;
    let unknown_user = start(&[&unknown], &[]).await;
    let unreachable_inbox = start(&[], &[&stranger.inbox]).await;
    let unknown_inbox = start(&[], &[&unknown]).await;
    let mixed = start(&[&s.joost.id, &stranger.lotte.id], &[]).await;
    let nobody = start(&[], &[]).await;

    for reply in [
        &unreachable_user,
        &unknown_user,
        &unreachable_inbox,
        &unknown_inbox,
        &mixed,
        &nobody,
    ] {
        assert_eq!(reply.status, 422, "{reply:?}");
        assert!(reply.is_problem(), "{reply:?}");
    }
    let answer = |r: &Reply| {
        (
            r.body["title"].clone(),
            r.body["detail"].clone(),
            r.body["errors"].clone(),
        )
    };
    assert_eq!(answer(&unreachable_user), answer(&unknown_user));
    assert_eq!(answer(&unreachable_inbox), answer(&unknown_inbox));
    assert!(s.personal_view(&s.iris, "all").await.0.is_empty());
    assert!(s.personal_view(&s.joost, "all").await.0.is_empty());
    assert!(s.personal_view(&stranger.lotte, "all").await.0.is_empty());
    assert!(
        s.inbox_view(&stranger.inbox, &stranger.lotte, "active")
            .await
            .0
            .is_empty()
    );
}

#[tokio::test]
async fn r2_a_team_outside_the_network_cannot_address_into_it() {
    let s = Scenario::build().await;
    let stranger = s.stranger().await;
    let body = conversation_body("Verwijzing", &[], &[&s.assistenten], None);

    let refused = s
        .post("/api/v1/conversations", stranger.lotte.auth(), body)
        .await;

    assert_eq!(refused.status, 422, "{refused:?}");
    assert!(
        s.inbox_view(&s.assistenten, &s.carla, "active")
            .await
            .0
            .is_empty()
    );
    assert_eq!(s.inbox_unread(&s.carla, &s.assistenten).await, 0);
}

// R3: starting from an inbox.

#[tokio::test]
async fn r3_a_member_starts_on_behalf_of_their_inbox() {
    let s = Scenario::build().await;

    let c = s
        .start_from(&s.fleur, &s.poh_somatiek, &[&s.iris], &[])
        .await;

    let conversation = s.conversation(&c.id, &s.iris).await;
    let expected = [
        via(&s.fleur, &s.poh_somatiek),
        via(&s.gijs, &s.poh_somatiek),
        direct(&s.iris),
    ];
    assert_eq!(participations(&conversation), expected.into());
    assert_eq!(
        party_inboxes(&conversation),
        [s.poh_somatiek.clone()].into()
    );
    let timeline = s.timeline(&c.id, &s.iris).await;
    let first = messages(&timeline)[0];
    assert_eq!(first["author"]["id"], s.fleur.id.as_str());
    assert_eq!(first["on_behalf_of"]["id"], s.poh_somatiek.as_str());
    assert_eq!(first["on_behalf_of"]["name"], "POH Somatiek");
    for member in [&s.fleur, &s.gijs] {
        assert!(
            s.inbox_view(&s.poh_somatiek, member, "active")
                .await
                .contains(&c.id)
        );
        assert!(!s.personal_view(member, "active").await.contains(&c.id));
    }
    assert!(s.personal_view(&s.iris, "active").await.contains(&c.id));
}

#[tokio::test]
async fn r3_only_members_start_from_an_inbox() {
    let s = Scenario::build().await;
    let body = conversation_body("Medicatiereview", &[&s.joost], &[], Some(&s.poh_somatiek));

    let refused = s.post("/api/v1/conversations", s.anna.auth(), body).await;

    assert_eq!(refused.status, 422, "{refused:?}");
    assert!(
        refused.error_fields().iter().any(|f| f == "from_inbox"),
        "{refused:?}"
    );
    assert!(s.personal_view(&s.joost, "all").await.0.is_empty());
    assert!(
        s.inbox_view(&s.poh_somatiek, &s.fleur, "active")
            .await
            .0
            .is_empty()
    );
}

#[tokio::test]
async fn r3_a_plain_start_shows_no_inbox_behind_the_message() {
    let s = Scenario::build().await;

    let c = s.start(&s.fleur, &[&s.iris], &[]).await;

    let timeline = s.timeline(&c.id, &s.iris).await;
    assert!(
        messages(&timeline)[0]["on_behalf_of"].is_null(),
        "{timeline:?}"
    );
    let expected = [direct(&s.fleur), direct(&s.iris)];
    assert_eq!(s.participations(&c.id, &s.iris).await, expected.into());
}

// R4: snapshot at start.

#[tokio::test]
async fn r4_exactly_the_members_at_start_participate_via_the_inbox() {
    let s = Scenario::build().await;

    let c = s.start(&s.iris, &[], &[&s.assistenten]).await;

    let expected = [
        direct(&s.iris),
        via(&s.carla, &s.assistenten),
        via(&s.daan, &s.assistenten),
        via(&s.eva, &s.assistenten),
    ];
    assert_eq!(s.participations(&c.id, &s.iris).await, expected.into());
}

/// One change of inbox membership, naming a person by index.
#[derive(Clone, Copy, Debug)]
enum Change {
    Add(usize),
    Remove(usize),
}

/// The memberships an inbox passes through when `plan` is applied to
/// `first`, one after the other: `states[k]` holds after `plan[..k]`.
fn membership_states(
    first: &BTreeSet<String>,
    plan: &[Change],
    ids: &[String],
) -> Vec<BTreeSet<String>> {
    let mut states = vec![first.clone()];
    for change in plan {
        let mut next = states.last().unwrap().clone();
        let changed = match *change {
            Change::Add(i) => next.insert(ids[i].clone()),
            Change::Remove(i) => next.remove(&ids[i]),
        };
        assert!(
            changed && !next.is_empty(),
            "the plan must change a non-empty membership"
        );
        states.push(next);
    }
    states
}

/// Who still participates via the inbox once the whole plan has run, in a
/// conversation linked while `states[k]` held: R6 took away everyone the plan
/// removed after that, and R5 gave nobody back.
fn linked_after_plan(
    states: &[BTreeSet<String>],
    plan: &[Change],
    ids: &[String],
    k: usize,
) -> BTreeSet<String> {
    let removed_later: BTreeSet<&String> = plan[k..]
        .iter()
        .filter_map(|change| match *change {
            Change::Remove(i) => Some(&ids[i]),
            Change::Add(_) => None,
        })
        .collect();
    states[k]
        .iter()
        .filter(|user| !removed_later.contains(user))
        .cloned()
        .collect()
}

#[tokio::test]
async fn r4_concurrent_membership_changes_and_starts_link_one_membership_state() {
    let s = Scenario::build().await;
    let staff = [
        &s.anna, &s.bram, &s.carla, &s.daan, &s.eva, &s.fleur, &s.gijs, &s.hanna,
    ];
    let staff_ids: Vec<String> = staff.iter().map(|p| p.id.clone()).collect();
    let (anna, bram, carla, daan, eva, fleur, gijs, hanna) = (0, 1, 2, 3, 4, 5, 6, 7);
    use Change::{Add, Remove};
    #[rustfmt::skip]
    let plan = [
        Add(anna), Add(bram), Remove(hanna), Add(carla), Remove(anna),
        Add(daan), Add(eva), Remove(bram), Add(fleur), Remove(carla),
        Add(gijs), Remove(daan), Add(hanna), Remove(eva), Add(anna),
        Remove(fleur), Add(bram), Remove(gijs), Remove(hanna), Add(carla),
    ];
    let states = membership_states(&ids(&[&s.hanna]), &plan, &staff_ids);
    let inbox = s.poh_ggz.clone();

    let changes = {
        let (api, manager, inbox, ids) = (
            s.app.api(),
            s.carla.clone(),
            inbox.clone(),
            staff_ids.clone(),
        );
        tokio::spawn(async move {
            for change in plan {
                let reply = match change {
                    Add(i) => api.add_inbox_member(&manager, &inbox, &ids[i]).await,
                    Remove(i) => api.remove_inbox_member(&manager, &inbox, &ids[i]).await,
                };
                assert!(matches!(reply.status.as_u16(), 201 | 204), "{reply:?}");
            }
        })
    };
    let starts: Vec<_> = (0..20u64)
        .map(|i| {
            let (api, iris, inbox) = (s.app.api(), s.iris.clone(), inbox.clone());
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(i * 7)).await;
                api.start(&iris, &[], &[&inbox]).await.id
            })
        })
        .collect();
    changes.await.expect("the membership changes run");
    let mut conversations = Vec::new();
    for start in starts {
        conversations.push(start.await.expect("a start runs"));
    }

    assert_eq!(s.inbox_members(&inbox, &s.carla).await, states[plan.len()]);
    for c in &conversations {
        let linked = s.via(c, &inbox, &s.iris).await;
        let timeline = s.timeline(c, &s.iris).await;
        let removed: BTreeSet<String> = events(&timeline, "member_removed")
            .into_iter()
            .filter(|e| e["inbox"]["id"] == inbox.as_str())
            .filter_map(|e| e["target"]["id"].as_str().map(str::to_owned))
            .collect();
        let at_start: BTreeSet<String> = linked.union(&removed).cloned().collect();
        let consistent = (0..states.len()).any(|k| {
            states[k] == at_start && linked_after_plan(&states, &plan, &staff_ids, k) == linked
        });
        assert!(
            consistent,
            "conversation {c}: linked via the inbox {linked:?}, removed since {removed:?}; \
             no membership state of {states:?} explains that"
        );
    }
}

// R5: later members are not linked.

#[tokio::test]
async fn r5_a_later_member_is_not_linked_until_added_directly() {
    let s = Scenario::build().await;
    let c = s.start(&s.iris, &[], &[&s.assistenten]).await;

    s.karin_joins(true).await;

    let hidden = s
        .get(&format!("/api/v1/conversations/{}", c.id), s.karin.auth())
        .await;
    assert_eq!(hidden.status, 404, "{hidden:?}");
    assert!(
        s.inbox_view(&s.assistenten, &s.karin, "active")
            .await
            .0
            .is_empty()
    );
    assert_eq!(s.inbox_unread(&s.karin, &s.assistenten).await, 0);
    assert!(
        !s.via(&c.id, &s.assistenten, &s.iris)
            .await
            .contains(&s.karin.id)
    );

    let added = s
        .add_participant(&c.id, &s.daan, json!({ "user": s.karin.id }))
        .await;

    assert_eq!(added.expect_status(201)["id"], s.karin.id.as_str());
    let karin_sees = s.participations(&c.id, &s.karin).await;
    assert!(karin_sees.contains(&direct(&s.karin)), "{karin_sees:?}");
    assert!(
        !karin_sees.contains(&via(&s.karin, &s.assistenten)),
        "{karin_sees:?}"
    );
    let timeline = s.timeline(&c.id, &s.karin).await;
    assert_eq!(messages(&timeline)[0]["id"], c.message.as_str());
}

// R6: removal unlinks.

#[tokio::test]
async fn r6_removed_member_loses_conversation() {
    let s = Scenario::build().await;
    s.add_inbox_member(&s.carla, &s.poh_somatiek, &s.eva.id)
        .await
        .expect_status(201);
    let only_assistenten = s.start(&s.iris, &[], &[&s.assistenten]).await;
    let eva_writes = s
        .post_message(&only_assistenten.id, &s.eva, "Ik pak dit op.")
        .await;
    let both_inboxes = s
        .start(&s.iris, &[], &[&s.assistenten, &s.poh_somatiek])
        .await;
    let personal = s.start(&s.iris, &[&s.eva], &[]).await;

    let removed = s
        .remove_inbox_member(&s.carla, &s.assistenten, &s.eva.id)
        .await;

    assert_eq!(removed.status, 204, "{removed:?}");
    let gone = s
        .get(
            &format!("/api/v1/conversations/{}", only_assistenten.id),
            s.eva.auth(),
        )
        .await;
    assert_eq!(gone.status, 404, "{gone:?}");
    let gone = s
        .get(
            &format!("/api/v1/conversations/{}/messages", only_assistenten.id),
            s.eva.auth(),
        )
        .await;
    assert_eq!(gone.status, 404, "{gone:?}");
    assert!(
        !s.personal_view(&s.eva, "all")
            .await
            .contains(&only_assistenten.id)
    );
    let expected = [
        direct(&s.iris),
        via(&s.carla, &s.assistenten),
        via(&s.daan, &s.assistenten),
    ];
    assert_eq!(
        s.participations(&only_assistenten.id, &s.carla).await,
        expected.into()
    );
    let timeline = s.timeline(&only_assistenten.id, &s.carla).await;
    assert!(
        messages(&timeline)
            .iter()
            .any(|m| m["id"] == eva_writes.as_str())
    );
    let removals = events(&timeline, "member_removed");
    assert_eq!(removals.len(), 1, "{timeline:?}");
    assert_eq!(removals[0]["target"]["id"], s.eva.id.as_str());
    assert_eq!(removals[0]["target"]["type"], "user");
    assert_eq!(removals[0]["inbox"]["id"], s.assistenten.as_str());
    let text = removals[0]["text"].as_str().unwrap_or_default();
    assert!(
        text.contains("Eva Visser") && text.contains("Assistenten De Linde"),
        "{text}"
    );

    let kept = s.participations(&both_inboxes.id, &s.eva).await;
    assert!(kept.contains(&via(&s.eva, &s.poh_somatiek)), "{kept:?}");
    assert!(!kept.contains(&via(&s.eva, &s.assistenten)), "{kept:?}");
    assert!(
        s.inbox_view(&s.poh_somatiek, &s.eva, "active")
            .await
            .contains(&both_inboxes.id)
    );
    let kept = s.participations(&personal.id, &s.eva).await;
    assert!(kept.contains(&direct(&s.eva)), "{kept:?}");
    assert!(
        s.personal_view(&s.eva, "active")
            .await
            .contains(&personal.id)
    );
}

#[tokio::test]
async fn r6_an_open_stream_stops_receiving_the_conversation_at_once() {
    let s = Scenario::build().await;
    let c = s.start(&s.iris, &[], &[&s.assistenten]).await;
    let marker = s.start(&s.iris, &[&s.eva], &[]).await;
    let stream = EventStream::open(&s, &s.eva).await;
    s.post_message(&c.id, &s.iris, "Voor het hele team").await;
    stream.wait_for(&c.id, 1).await;

    s.remove_inbox_member(&s.carla, &s.assistenten, &s.eva.id)
        .await
        .expect_status(204);
    s.post_message(&marker.id, &s.iris, "Eerste markering")
        .await;
    let before = stream.wait_for(&marker.id, 1).await;
    s.post_message(&c.id, &s.iris, "Na het vertrek van Eva")
        .await;
    s.post_message(&marker.id, &s.iris, "Tweede markering")
        .await;
    let after = stream.wait_for(&marker.id, 2).await;

    let since_removal = &after[before.len()..];
    assert!(
        !since_removal.contains(&c.id),
        "Eva still hears of {}: {since_removal}",
        c.id
    );
}

#[tokio::test]
async fn r6_removal_keeps_a_participation_via_another_inbox_in_the_same_conversation() {
    let s = Scenario::build().await;
    s.add_inbox_member(&s.carla, &s.poh_ggz, &s.carla.id)
        .await
        .expect_status(201);
    let c = s.start(&s.iris, &[], &[&s.assistenten]).await;
    s.add_participant(&c.id, &s.daan, json!({ "inbox": s.poh_ggz }))
        .await
        .expect_status(201);

    let removed = s
        .remove_inbox_member(&s.admin, &s.assistenten, &s.carla.id)
        .await;

    assert_eq!(removed.status, 204, "{removed:?}");
    let after = s.participations(&c.id, &s.iris).await;
    assert!(after.contains(&via(&s.carla, &s.poh_ggz)), "{after:?}");
    assert!(!after.contains(&via(&s.carla, &s.assistenten)), "{after:?}");
    assert_eq!(s.conversation(&c.id, &s.carla).await["id"], c.id.as_str());
    assert!(
        s.inbox_view(&s.poh_ggz, &s.carla, "active")
            .await
            .contains(&c.id)
    );
    assert!(
        s.inbox_view(&s.assistenten, &s.daan, "active")
            .await
            .contains(&c.id)
    );
}

#[tokio::test]
async fn r6_a_removed_member_can_be_added_back_directly_and_sees_everything() {
    let s = Scenario::build().await;
    let c = s.start(&s.iris, &[], &[&s.assistenten]).await;
    let hers = s
        .post_message(&c.id, &s.eva, "Ik plan de wondzorg in.")
        .await;
    s.remove_inbox_member(&s.carla, &s.assistenten, &s.eva.id)
        .await
        .expect_status(204);

    let added = s
        .add_participant(&c.id, &s.daan, json!({ "user": s.eva.id }))
        .await;

    assert_eq!(added.status, 201, "{added:?}");
    let now = s.participations(&c.id, &s.eva).await;
    assert!(now.contains(&direct(&s.eva)) && !now.contains(&via(&s.eva, &s.assistenten)));
    let timeline = s.timeline(&c.id, &s.eva).await;
    let seen: Vec<&Value> = messages(&timeline).into_iter().map(|m| &m["id"]).collect();
    assert_eq!(seen, [&json!(c.message), &json!(hers)]);
    assert!(s.personal_view(&s.eva, "active").await.contains(&c.id));
}

// R7: the inbox as a hub.

#[tokio::test]
async fn r7_an_added_professional_sees_the_whole_timeline() {
    let s = Scenario::build().await;
    let c = s.start(&s.iris, &[], &[&s.assistenten]).await;
    let earlier = s
        .post_message(&c.id, &s.daan, "Ik vraag het na bij de huisarts.")
        .await;

    let added = s
        .add_participant(&c.id, &s.carla, json!({ "user": s.anna.id }))
        .await;

    assert_eq!(added.expect_status(201)["id"], s.anna.id.as_str());
    assert!(
        s.participations(&c.id, &s.iris)
            .await
            .contains(&direct(&s.anna))
    );
    let timeline = s.timeline(&c.id, &s.anna).await;
    let seen: Vec<&Value> = messages(&timeline).into_iter().map(|m| &m["id"]).collect();
    assert_eq!(seen, [&json!(c.message), &json!(earlier)]);
    let added = events(&timeline, "participant_added");
    assert_eq!(added.len(), 1, "{timeline:?}");
    assert_eq!(added[0]["actor"]["id"], s.carla.id.as_str());
    assert_eq!(added[0]["target"]["type"], "user");
    assert_eq!(added[0]["target"]["id"], s.anna.id.as_str());
    let text = added[0]["text"].as_str().unwrap_or_default();
    assert!(
        text.contains("Carla Smit") && text.contains("Anna de Vries"),
        "{text}"
    );
    assert!(s.personal_view(&s.anna, "active").await.contains(&c.id));
}

#[tokio::test]
async fn r7_adding_an_inbox_links_its_members_at_that_moment() {
    let s = Scenario::build().await;
    let c = s.start(&s.iris, &[], &[&s.assistenten]).await;

    let added = s
        .add_participant(&c.id, &s.carla, json!({ "inbox": s.poh_somatiek }))
        .await;

    assert_eq!(added.expect_status(201)["id"], s.poh_somatiek.as_str());
    let conversation = s.conversation(&c.id, &s.gijs).await;
    let linked: BTreeSet<String> = participations(&conversation)
        .into_iter()
        .filter(|(_, v)| v.as_deref() == Some(s.poh_somatiek.as_str()))
        .map(|(u, _)| u)
        .collect();
    assert_eq!(linked, ids(&[&s.fleur, &s.gijs]));
    assert_eq!(
        party_inboxes(&conversation),
        [s.assistenten.clone(), s.poh_somatiek.clone()].into()
    );
    let timeline = s.timeline(&c.id, &s.fleur).await;
    let added = events(&timeline, "inbox_added");
    assert_eq!(added.len(), 1, "{timeline:?}");
    assert_eq!(added[0]["actor"]["id"], s.carla.id.as_str());
    assert_eq!(added[0]["target"]["type"], "inbox");
    assert_eq!(added[0]["target"]["id"], s.poh_somatiek.as_str());
    assert!(
        s.inbox_view(&s.poh_somatiek, &s.fleur, "active")
            .await
            .contains(&c.id)
    );
}

#[tokio::test]
async fn r7_members_of_an_added_inbox_see_the_earlier_messages() {
    let s = Scenario::build().await;
    let c = s.start(&s.iris, &[], &[&s.assistenten]).await;
    let earlier = s
        .post_message(&c.id, &s.carla, "Ik vraag de POH om advies.")
        .await;

    let added = s
        .add_participant(&c.id, &s.carla, json!({ "inbox": s.poh_somatiek }))
        .await;

    assert_eq!(added.status, 201, "{added:?}");
    let timeline = s.timeline(&c.id, &s.gijs).await;
    let seen: Vec<&Value> = messages(&timeline).into_iter().map(|m| &m["id"]).collect();
    assert_eq!(seen, [&json!(c.message), &json!(earlier)]);
    assert_eq!(s.inbox_unread(&s.gijs, &s.poh_somatiek).await, 1);
}

#[tokio::test]
async fn r7_only_addressable_professionals_and_inboxes_are_added() {
    let s = Scenario::build().await;
    let stranger = s.stranger().await;
    let c = s.start(&s.iris, &[], &[&s.assistenten]).await;
    let before = s.conversation(&c.id, &s.iris).await;

    let user = s
        .add_participant(&c.id, &s.carla, json!({ "user": stranger.lotte.id }))
        .await;
    let inbox = s
        .add_participant(&c.id, &s.carla, json!({ "inbox": stranger.inbox }))
        .await;
    let unknown = s
        .add_participant(&c.id, &s.carla, json!({ "user": unknown_id() }))
        .await;

    for reply in [&user, &inbox, &unknown] {
        assert_eq!(reply.status, 422, "{reply:?}");
    }
    assert_eq!(s.conversation(&c.id, &s.iris).await, before);
    let hidden = s
        .get(
            &format!("/api/v1/conversations/{}", c.id),
            stranger.lotte.auth(),
        )
        .await;
    assert_eq!(hidden.status, 404, "{hidden:?}");
}

// R8: no double membership.

#[tokio::test]
async fn r8_a_participant_is_not_added_twice() {
    let s = Scenario::build().await;
    let c = s.start(&s.iris, &[&s.anna], &[&s.assistenten]).await;
    let before = s.participations(&c.id, &s.iris).await;

    let via_inbox = s
        .add_participant(&c.id, &s.carla, json!({ "user": s.daan.id }))
        .await;
    let direct = s
        .add_participant(&c.id, &s.carla, json!({ "user": s.anna.id }))
        .await;
    let themself = s
        .add_participant(&c.id, &s.carla, json!({ "user": s.carla.id }))
        .await;
    let starter = s
        .add_participant(&c.id, &s.carla, json!({ "user": s.iris.id }))
        .await;
    let party = s
        .add_participant(&c.id, &s.iris, json!({ "inbox": s.assistenten }))
        .await;

    for reply in [&via_inbox, &direct, &themself, &starter] {
        assert_eq!(reply.status, 409, "{reply:?}");
        assert!(reply.is_problem(), "{reply:?}");
        let detail = reply.body["detail"].as_str().unwrap_or_default();
        assert!(detail.contains("already a participant"), "{reply:?}");
    }
    assert_eq!(party.status, 409, "{party:?}");
    assert_eq!(s.participations(&c.id, &s.iris).await, before);
    let timeline = s.timeline(&c.id, &s.iris).await;
    assert!(
        events(&timeline, "participant_added").is_empty(),
        "{timeline:?}"
    );
    assert!(events(&timeline, "inbox_added").is_empty(), "{timeline:?}");
}

// R9: archive within an inbox.

#[tokio::test]
async fn r9_archiving_within_an_inbox_moves_it_for_every_member_only() {
    let s = Scenario::build().await;
    let c = s.start(&s.iris, &[&s.anna], &[&s.assistenten]).await;
    let path = format!("/api/v1/inboxes/{}/archive/{}", s.assistenten, c.id);

    let archived = s.put(&path, s.carla.auth(), Value::Null).await;

    assert_eq!(archived.status, 204, "{archived:?}");
    for member in [&s.carla, &s.daan, &s.eva] {
        assert!(
            !s.inbox_view(&s.assistenten, member, "active")
                .await
                .contains(&c.id)
        );
        let archive = s.inbox_view(&s.assistenten, member, "archived").await;
        assert_eq!(
            archive.find(&c.id).expect("in the archive")["archived"],
            true
        );
        assert_eq!(s.conversation(&c.id, member).await["id"], c.id.as_str());
    }
    assert!(s.personal_view(&s.anna, "active").await.contains(&c.id));
    assert!(s.personal_view(&s.iris, "active").await.contains(&c.id));

    let unarchived = s.delete(&path, s.eva.auth()).await;

    assert_eq!(unarchived.status, 204, "{unarchived:?}");
    let active = s.inbox_view(&s.assistenten, &s.daan, "active").await;
    assert_eq!(active.find(&c.id).expect("active again")["archived"], false);
    assert!(
        !s.inbox_view(&s.assistenten, &s.daan, "archived")
            .await
            .contains(&c.id)
    );
}

#[tokio::test]
async fn r9_a_new_message_brings_it_back_to_the_active_view() {
    let s = Scenario::build().await;
    let c = s.start(&s.iris, &[], &[&s.assistenten]).await;
    let path = format!("/api/v1/inboxes/{}/archive/{}", s.assistenten, c.id);
    s.put(&path, s.daan.auth(), Value::Null)
        .await
        .expect_status(204);

    s.post_message(&c.id, &s.iris, "De wond is weer open gegaan.")
        .await;

    assert!(
        s.inbox_view(&s.assistenten, &s.eva, "active")
            .await
            .contains(&c.id)
    );
    assert!(
        !s.inbox_view(&s.assistenten, &s.eva, "archived")
            .await
            .contains(&c.id)
    );
}

#[tokio::test]
async fn r9_only_participants_via_the_inbox_archive_within_it() {
    let s = Scenario::build().await;
    let c = s.start(&s.iris, &[&s.anna], &[&s.assistenten]).await;
    let path = format!("/api/v1/inboxes/{}/archive/{}", s.assistenten, c.id);

    let direct = s.put(&path, s.anna.auth(), Value::Null).await;
    let starter = s.put(&path, s.iris.auth(), Value::Null).await;

    assert_eq!(direct.status, 403, "{direct:?}");
    assert!(matches!(starter.status.as_u16(), 403 | 404), "{starter:?}");
    assert!(
        s.inbox_view(&s.assistenten, &s.carla, "active")
            .await
            .contains(&c.id)
    );
}

// R10: personal archive.

#[tokio::test]
async fn r10_a_personal_archive_changes_only_ones_own_view() {
    let s = Scenario::build().await;
    let c = s
        .start(&s.iris, &[&s.anna, &s.bram], &[&s.assistenten])
        .await;
    let path = format!("/api/v1/me/archive/{}", c.id);

    let archived = s.put(&path, s.anna.auth(), Value::Null).await;

    assert_eq!(archived.status, 204, "{archived:?}");
    assert!(!s.personal_view(&s.anna, "active").await.contains(&c.id));
    assert!(s.personal_view(&s.anna, "archived").await.contains(&c.id));
    assert!(s.personal_view(&s.anna, "all").await.contains(&c.id));
    assert!(s.personal_view(&s.bram, "active").await.contains(&c.id));
    assert!(s.personal_view(&s.iris, "active").await.contains(&c.id));
    assert!(
        s.inbox_view(&s.assistenten, &s.carla, "active")
            .await
            .contains(&c.id)
    );

    let unarchived = s.delete(&path, s.anna.auth()).await;

    assert_eq!(unarchived.status, 204, "{unarchived:?}");
    assert!(s.personal_view(&s.anna, "active").await.contains(&c.id));
    assert!(!s.personal_view(&s.anna, "archived").await.contains(&c.id));
}

#[tokio::test]
async fn r10_a_new_message_brings_it_back_to_the_personal_view() {
    let s = Scenario::build().await;
    let c = s.start(&s.iris, &[&s.anna], &[]).await;
    let path = format!("/api/v1/me/archive/{}", c.id);
    s.put(&path, s.anna.auth(), Value::Null)
        .await
        .expect_status(204);

    s.post_message(&c.id, &s.iris, "Nog een vraag over de medicatie.")
        .await;

    assert!(s.personal_view(&s.anna, "active").await.contains(&c.id));
    assert!(!s.personal_view(&s.anna, "archived").await.contains(&c.id));
}

#[tokio::test]
async fn r10_only_direct_participants_archive_personally() {
    let s = Scenario::build().await;
    let c = s.start(&s.iris, &[], &[&s.assistenten]).await;

    let refused = s
        .put(
            &format!("/api/v1/me/archive/{}", c.id),
            s.carla.auth(),
            Value::Null,
        )
        .await;

    assert_eq!(refused.status, 403, "{refused:?}");
    assert!(
        s.inbox_view(&s.assistenten, &s.carla, "active")
            .await
            .contains(&c.id)
    );
}

// R11: several inboxes.

#[tokio::test]
async fn r11_a_member_of_several_inboxes_has_a_view_per_inbox() {
    let s = Scenario::build().await;
    s.add_inbox_member(&s.carla, &s.poh_somatiek, &s.hanna.id)
        .await
        .expect_status(201);
    let extra = s
        .create_inbox(&s.carla, &s.de_linde, "Spoed De Linde", "spoedvragen")
        .await;
    s.add_inbox_member(&s.carla, &extra, &s.hanna.id)
        .await
        .expect_status(201);

    let ggz = s.start(&s.iris, &[], &[&s.poh_ggz]).await;
    let somatiek = s.start(&s.joost, &[], &[&s.poh_somatiek]).await;

    let me = s.me(&s.hanna).await;
    let inboxes: BTreeSet<&str> = me["inboxes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["id"].as_str())
        .collect();
    let expected = [s.poh_ggz.as_str(), s.poh_somatiek.as_str(), extra.as_str()];
    assert_eq!(inboxes, expected.into());
    assert_eq!(s.inbox_unread(&s.hanna, &s.poh_ggz).await, 1);
    assert_eq!(s.inbox_unread(&s.hanna, &s.poh_somatiek).await, 1);
    assert_eq!(s.inbox_unread(&s.hanna, &extra).await, 0);
    assert_eq!(
        s.inbox_view(&s.poh_ggz, &s.hanna, "active").await.ids(),
        std::slice::from_ref(&ggz.id)
    );
    assert_eq!(
        s.inbox_view(&s.poh_somatiek, &s.hanna, "active")
            .await
            .ids(),
        std::slice::from_ref(&somatiek.id)
    );
    assert!(s.inbox_view(&extra, &s.hanna, "active").await.0.is_empty());
}

// R12: inbox management.

#[tokio::test]
async fn r12_only_managers_and_team_admins_change_members() {
    let s = Scenario::build().await;
    let manager = json!({ "user": s.bram.id, "manager": true });
    let path = format!("/api/v1/inboxes/{}/members", s.poh_somatiek);
    s.post(&path, s.carla.auth(), manager)
        .await
        .expect_status(201);

    let by_member = s
        .add_inbox_member(&s.fleur, &s.poh_somatiek, &s.anna.id)
        .await;
    let removal_by_member = s
        .remove_inbox_member(&s.fleur, &s.poh_somatiek, &s.gijs.id)
        .await;
    let by_manager = s
        .add_inbox_member(&s.bram, &s.poh_somatiek, &s.anna.id)
        .await;

    assert_eq!(by_member.status, 403, "{by_member:?}");
    assert_eq!(removal_by_member.status, 403, "{removal_by_member:?}");
    assert_eq!(by_manager.expect_status(201)["id"], s.anna.id.as_str());
    let members = ids(&[&s.fleur, &s.gijs, &s.bram, &s.anna]);
    assert_eq!(s.inbox_members(&s.poh_somatiek, &s.fleur).await, members);

    let removal_by_manager = s
        .remove_inbox_member(&s.bram, &s.poh_somatiek, &s.gijs.id)
        .await;

    assert_eq!(removal_by_manager.status, 204, "{removal_by_manager:?}");
    let members = ids(&[&s.fleur, &s.bram, &s.anna]);
    assert_eq!(s.inbox_members(&s.poh_somatiek, &s.carla).await, members);
}

#[tokio::test]
async fn r12_members_must_be_staff_of_the_inbox_team() {
    let s = Scenario::build().await;

    let partner = s
        .add_inbox_member(&s.carla, &s.assistenten, &s.iris.id)
        .await;
    let not_yet_staff = s
        .add_inbox_member(&s.carla, &s.assistenten, &s.karin.id)
        .await;

    for reply in [&partner, &not_yet_staff] {
        assert_eq!(reply.status, 422, "{reply:?}");
        assert!(
            reply.error_fields().iter().any(|f| f == "user"),
            "{reply:?}"
        );
    }
    let members = ids(&[&s.carla, &s.daan, &s.eva]);
    assert_eq!(s.inbox_members(&s.assistenten, &s.carla).await, members);
}

#[tokio::test]
async fn r12_a_manager_renames_and_describes_an_inbox() {
    let s = Scenario::build().await;
    let change = json!({
        "name": "Assistentes De Linde",
        "description": "Recepten, wondzorg en afspraken",
        "guidelines": "Spoed? Bel de praktijk.",
    });

    let by_member = s
        .patch(
            &format!("/api/v1/inboxes/{}", s.assistenten),
            s.daan.auth(),
            change.clone(),
        )
        .await;
    let by_manager = s
        .patch(
            &format!("/api/v1/inboxes/{}", s.assistenten),
            s.carla.auth(),
            change,
        )
        .await;

    assert_eq!(by_member.status, 403, "{by_member:?}");
    assert!(
        matches!(by_manager.status.as_u16(), 200 | 204),
        "{by_manager:?}"
    );
    let directory = s.directory(&s.iris, "Assistentes").await;
    let inbox = directory["inboxes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == s.assistenten.as_str())
        .unwrap_or_else(|| panic!("renamed inbox not found: {directory}"));
    assert_eq!(inbox["name"], "Assistentes De Linde");
    assert_eq!(inbox["description"], "Recepten, wondzorg en afspraken");
    assert_eq!(inbox["guidelines"], "Spoed? Bel de praktijk.");
}

#[tokio::test]
async fn r12_a_deactivated_inbox_takes_no_new_conversations_but_keeps_its_own() {
    let s = Scenario::build().await;
    let existing = s.start(&s.iris, &[], &[&s.assistenten]).await;
    let path = format!("/api/v1/inboxes/{}", s.assistenten);

    let deactivated = s
        .patch(&path, s.carla.auth(), json!({ "active": false }))
        .await;

    assert!(
        matches!(deactivated.status.as_u16(), 200 | 204),
        "{deactivated:?}"
    );
    let to_inbox = conversation_body("Nieuwe vraag", &[], &[&s.assistenten], None);
    let refused = s
        .post("/api/v1/conversations", s.iris.auth(), to_inbox)
        .await;
    assert_eq!(refused.status, 409, "{refused:?}");
    let from_inbox = conversation_body("Namens", &[&s.iris], &[], Some(&s.assistenten));
    let refused = s
        .post("/api/v1/conversations", s.carla.auth(), from_inbox)
        .await;
    assert_eq!(refused.status, 409, "{refused:?}");
    let directory = s.directory(&s.iris, "Assistenten").await;
    let listed = directory["inboxes"].as_array().unwrap();
    assert!(
        !listed.iter().any(|i| i["id"] == s.assistenten.as_str()),
        "{directory}"
    );
    s.post_message(&existing.id, &s.iris, "Werkt dit gesprek nog?")
        .await;
    s.post_message(&existing.id, &s.daan, "Ja.").await;
    assert!(
        s.inbox_view(&s.assistenten, &s.eva, "active")
            .await
            .contains(&existing.id)
    );
    assert_eq!(
        s.via(&existing.id, &s.assistenten, &s.iris).await,
        ids(&[&s.carla, &s.daan, &s.eva])
    );
}

// R13: guidelines for partners.

#[tokio::test]
async fn r12_a_deactivated_inbox_is_not_added_to_conversations_until_reactivated() {
    let s = Scenario::build().await;
    let c = s.start(&s.iris, &[&s.joost], &[]).await;
    let path = format!("/api/v1/inboxes/{}", s.poh_ggz);
    s.patch(&path, s.carla.auth(), json!({ "active": false }))
        .await
        .expect_status(200);

    let refused = s
        .add_participant(&c.id, &s.iris, json!({ "inbox": s.poh_ggz }))
        .await;

    assert_eq!(refused.status, 409, "{refused:?}");
    assert!(party_inboxes(&s.conversation(&c.id, &s.iris).await).is_empty());
    assert_eq!(s.inbox_unread(&s.hanna, &s.poh_ggz).await, 0);

    let reactivated = s
        .patch(&path, s.carla.auth(), json!({ "active": true }))
        .await;
    let added = s
        .add_participant(&c.id, &s.iris, json!({ "inbox": s.poh_ggz }))
        .await;

    assert_eq!(reactivated.status, 200, "{reactivated:?}");
    assert_eq!(added.status, 201, "{added:?}");
    assert_eq!(s.via(&c.id, &s.poh_ggz, &s.iris).await, ids(&[&s.hanna]));
}

#[tokio::test]
async fn r13_the_directory_shows_inboxes_with_their_guidelines() {
    let s = Scenario::build().await;
    let stranger = s.stranger().await;

    let by_inbox_name = s.directory(&s.iris, "assistenten").await;
    let by_team_name = s.directory(&s.iris, "linde").await;
    let everyone = s.directory(&s.iris, "").await;

    let inboxes = by_inbox_name["inboxes"].as_array().unwrap();
    assert_eq!(inboxes.len(), 1, "{by_inbox_name}");
    assert_eq!(inboxes[0]["id"], s.assistenten.as_str());
    assert_eq!(inboxes[0]["name"], "Assistenten De Linde");
    assert_eq!(
        inboxes[0]["description"],
        "Assistenten De Linde: recepten, wondzorg, afspraken"
    );
    let guidelines = "Schrijf naar Assistenten De Linde voor recepten, wondzorg, afspraken.";
    assert_eq!(inboxes[0]["guidelines"], guidelines);
    assert_eq!(inboxes[0]["team"]["id"], s.de_linde.as_str());
    assert_eq!(inboxes[0]["team"]["name"], "Huisartsenpraktijk De Linde");
    let found: BTreeSet<&str> = by_team_name["inboxes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["id"].as_str())
        .collect();
    let expected = [
        s.assistenten.as_str(),
        s.poh_somatiek.as_str(),
        s.poh_ggz.as_str(),
    ];
    assert_eq!(found, expected.into());
    let people: BTreeSet<&str> = by_team_name["professionals"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["id"].as_str())
        .collect();
    assert!(people.contains(s.anna.id.as_str()) && people.contains(s.hanna.id.as_str()));
    assert!(
        !people.contains(s.karin.id.as_str()),
        "Karin is no staff yet: {by_team_name}"
    );
    let text = everyone.to_string();
    assert!(
        !text.contains(&stranger.lotte.id) && !text.contains(&stranger.inbox),
        "{everyone}"
    );
    assert!(!text.contains(&stranger.team), "{everyone}");
}

#[tokio::test]
async fn r13_the_directory_names_each_professionals_team() {
    let s = Scenario::build().await;

    let pharmacist = s.directory(&s.iris, "Dekker").await;
    let nurse = s.directory(&s.joost, "Hendriks").await;

    let found = pharmacist["professionals"].as_array().unwrap();
    assert_eq!(found.len(), 1, "{pharmacist}");
    assert_eq!(found[0]["id"], s.joost.id.as_str());
    assert_eq!(found[0]["name"], "Joost Dekker");
    assert_eq!(found[0]["profession"], "apotheker");
    assert_eq!(found[0]["teams"][0]["id"], s.apotheek_centrum.as_str());
    assert_eq!(found[0]["teams"][0]["name"], "Apotheek Centrum");
    let found = nurse["professionals"].as_array().unwrap();
    assert_eq!(found.len(), 1, "{nurse}");
    assert_eq!(found[0]["teams"][0]["id"], s.thuiszorg_oost.as_str());
    assert!(nurse["inboxes"].as_array().unwrap().is_empty(), "{nurse}");
}

// R14: read state.

#[tokio::test]
async fn r14_read_positions_and_unread_counts_are_per_person_and_view() {
    let s = Scenario::build().await;
    let c = s.start(&s.iris, &[&s.anna], &[&s.assistenten]).await;

    assert_eq!(s.inbox_unread(&s.carla, &s.assistenten).await, 1);
    assert_eq!(s.inbox_unread(&s.daan, &s.assistenten).await, 1);
    assert_eq!(s.personal_unread(&s.carla).await, 0);
    assert_eq!(s.personal_unread(&s.anna).await, 1);
    assert_eq!(s.personal_unread(&s.iris).await, 0);

    let read = s
        .put(
            &format!("/api/v1/conversations/{}/read", c.id),
            s.carla.auth(),
            json!({ "message": c.message }),
        )
        .await;

    assert_eq!(read.status, 204, "{read:?}");
    assert_eq!(s.inbox_unread(&s.carla, &s.assistenten).await, 0);
    assert_eq!(s.inbox_unread(&s.daan, &s.assistenten).await, 1);
    assert_eq!(s.personal_unread(&s.anna).await, 1);
    let carla_view = s.inbox_view(&s.assistenten, &s.carla, "active").await;
    assert!(!is_unread(carla_view.find(&c.id).unwrap()));
    let daan_view = s.inbox_view(&s.assistenten, &s.daan, "active").await;
    assert!(is_unread(daan_view.find(&c.id).unwrap()));

    s.post_message(&c.id, &s.iris, "Aanvulling: allergisch voor pleisters.")
        .await;

    assert_eq!(s.inbox_unread(&s.carla, &s.assistenten).await, 1);
    assert_eq!(s.personal_unread(&s.iris).await, 0);
}

#[tokio::test]
async fn r14_a_read_position_must_be_a_message_of_the_conversation() {
    let s = Scenario::build().await;
    let c = s.start(&s.iris, &[], &[&s.assistenten]).await;
    let other = s.start(&s.iris, &[&s.carla], &[]).await;
    let path = format!("/api/v1/conversations/{}/read", c.id);

    let foreign = s
        .put(&path, s.carla.auth(), json!({ "message": other.message }))
        .await;
    let unknown = s
        .put(&path, s.carla.auth(), json!({ "message": unknown_id() }))
        .await;

    assert_eq!(foreign.status, 422, "{foreign:?}");
    assert_eq!(unknown.status, 422, "{unknown:?}");
    assert_eq!(s.inbox_unread(&s.carla, &s.assistenten).await, 1);
    assert_eq!(s.personal_unread(&s.carla).await, 1);
}

#[tokio::test]
async fn r14_archived_conversations_do_not_count_as_unread_in_that_view() {
    let s = Scenario::build().await;
    let c = s.start(&s.iris, &[&s.anna], &[&s.assistenten]).await;
    let path = format!("/api/v1/inboxes/{}/archive/{}", s.assistenten, c.id);

    s.put(&path, s.daan.auth(), Value::Null)
        .await
        .expect_status(204);

    assert_eq!(s.inbox_unread(&s.carla, &s.assistenten).await, 0);
    assert_eq!(s.inbox_unread(&s.daan, &s.assistenten).await, 0);
    assert_eq!(s.personal_unread(&s.anna).await, 1);
}

#[tokio::test]
async fn r14_an_added_participant_starts_with_everything_unread() {
    let s = Scenario::build().await;
    let c = s.start(&s.iris, &[], &[&s.assistenten]).await;
    let read = json!({ "message": c.message });
    let path = format!("/api/v1/conversations/{}/read", c.id);
    s.put(&path, s.carla.auth(), read).await.expect_status(204);

    s.add_participant(&c.id, &s.carla, json!({ "user": s.anna.id }))
        .await
        .expect_status(201);

    assert_eq!(s.personal_unread(&s.anna).await, 1);
    let view = s.personal_view(&s.anna, "active").await;
    assert!(is_unread(view.find(&c.id).expect("in Anna's view")));
    assert_eq!(s.inbox_unread(&s.carla, &s.assistenten).await, 0);
}

#[tokio::test]
async fn r14_counts_follow_removal_and_return_to_an_inbox() {
    let s = Scenario::build().await;
    let first = s.start(&s.iris, &[], &[&s.assistenten]).await;
    s.start(&s.iris, &[], &[&s.assistenten]).await;
    assert_eq!(s.inbox_unread(&s.eva, &s.assistenten).await, 2);

    s.remove_inbox_member(&s.carla, &s.assistenten, &s.eva.id)
        .await
        .expect_status(204);
    s.add_inbox_member(&s.carla, &s.assistenten, &s.eva.id)
        .await
        .expect_status(201);
    let after_return = s.inbox_unread(&s.eva, &s.assistenten).await;
    s.add_participant(&first.id, &s.carla, json!({ "user": s.eva.id }))
        .await
        .expect_status(201);
    let direct = s.personal_unread(&s.eva).await;
    s.post_message(&first.id, &s.eva, "Ik neem deze.").await;

    // Linked to nothing via the inbox since her return (R5), so nothing
    // there is unread for her; the direct addition counts once, until her
    // own reply moves her read position past it.
    assert_eq!(after_return, 0);
    assert_eq!(direct, 1);
    assert_eq!(s.personal_unread(&s.eva).await, 0);
    assert_eq!(s.inbox_unread(&s.daan, &s.assistenten).await, 2);
}

// R16: audit.

/// The entries of a team's audit log as a team admin reads it.
async fn audit(s: &Scenario) -> Vec<Value> {
    let path = format!("/api/v1/teams/{}/audit?limit=100", s.de_linde);
    items(&s.get(&path, s.carla.auth()).await.expect_status(200)).to_vec()
}

/// Whether some string in `value` equals `needle`.
fn mentions(value: &Value, needle: &str) -> bool {
    match value {
        Value::String(text) => text == needle,
        Value::Array(list) => list.iter().any(|v| mentions(v, needle)),
        Value::Object(map) => map.values().any(|v| mentions(v, needle)),
        _ => false,
    }
}

/// The entry's action, e.g. `conversation.read`.
fn action(entry: &Value) -> String {
    entry["action"].as_str().unwrap_or_default().to_lowercase()
}

#[tokio::test]
async fn r16_reads_and_changes_are_in_the_team_audit_log() {
    let s = Scenario::build().await;
    let c = s.start(&s.iris, &[], &[&s.assistenten]).await;
    let before = audit(&s).await;
    let reads_before = before
        .iter()
        .filter(|e| mentions(e, &s.daan.id) && mentions(e, &c.id) && action(e).contains("read"))
        .count();

    s.timeline(&c.id, &s.daan).await;
    s.remove_inbox_member(&s.carla, &s.poh_ggz, &s.hanna.id)
        .await
        .expect_status(204);

    let after = audit(&s).await;
    assert!(after.len() > before.len(), "{after:?}");
    let reads = after
        .iter()
        .filter(|e| mentions(e, &s.daan.id) && mentions(e, &c.id) && action(e).contains("read"))
        .count();
    assert!(
        reads > reads_before,
        "no read of {} by Daan in {after:?}",
        c.id
    );
    let removal = after
        .iter()
        .find(|e| mentions(e, &s.carla.id) && mentions(e, &s.hanna.id) && mentions(e, &s.poh_ggz));
    assert!(removal.is_some(), "no membership change in {after:?}");
    assert!(!action(removal.unwrap()).is_empty(), "{removal:?}");
}

#[tokio::test]
async fn r16_an_entry_says_who_what_which_object_when_from_where_and_outcome() {
    let s = Scenario::build().await;
    let c = s.start(&s.iris, &[], &[&s.assistenten]).await;

    s.post_message(&c.id, &s.eva, "Ik bel de patiënt.").await;

    let log = audit(&s).await;
    let entry = log
        .iter()
        .find(|e| e["actor"] == s.eva.id.as_str() && e["conversation"] == c.id.as_str())
        .unwrap_or_else(|| panic!("no entry for Eva's message in {log:?}"));
    assert!(action(entry).contains("message"), "{entry}");
    assert!(
        entry["at"].as_str().is_some_and(|at| at.ends_with('Z')),
        "{entry}"
    );
    assert!(
        entry["ip"]
            .as_str()
            .is_some_and(|ip| ip.contains("127.0.0.1")),
        "{entry}"
    );
    assert_eq!(entry["outcome"], "success");
    assert!(
        !entry.to_string().contains("Ik bel"),
        "no message text in the log: {entry}"
    );
}

#[tokio::test]
async fn r16_a_refused_read_is_logged_with_its_outcome() {
    let s = Scenario::build().await;
    let c = s.start(&s.iris, &[], &[&s.assistenten]).await;
    let path = format!("/api/v1/conversations/{}/messages", c.id);

    s.get(&path, s.joost.auth()).await.expect_status(404);

    let log = audit(&s).await;
    let refused = log
        .iter()
        .find(|e| e["actor"] == s.joost.id.as_str() && mentions(e, &c.id));
    let refused = refused.unwrap_or_else(|| panic!("no entry for Joost's attempt in {log:?}"));
    assert_ne!(refused["outcome"], "success", "{refused}");
}

#[tokio::test]
async fn r16_only_team_admins_read_the_audit_log() {
    let s = Scenario::build().await;
    let path = format!("/api/v1/teams/{}/audit", s.de_linde);

    let staff = s.get(&path, s.daan.auth()).await;
    let outsider = s.get(&path, s.iris.auth()).await;
    let anonymous = s.get(&path, None).await;

    assert_eq!(staff.status, 403, "{staff:?}");
    assert_eq!(outsider.status, 404, "{outsider:?}");
    assert_eq!(anonymous.status, 401, "{anonymous:?}");
}

// R17: leaving a team.

#[tokio::test]
async fn r17_a_deactivated_account_leaves_every_inbox() {
    let s = Scenario::build().await;
    s.add_inbox_member(&s.carla, &s.poh_somatiek, &s.eva.id)
        .await
        .expect_status(201);
    let c = s
        .start(&s.iris, &[], &[&s.assistenten, &s.poh_somatiek])
        .await;

    let deactivated = s
        .delete(&format!("/api/v1/admin/users/{}", s.eva.id), s.admin.auth())
        .await;

    assert_eq!(deactivated.status, 204, "{deactivated:?}");
    let old_session = s.get("/api/v1/me", s.eva.auth()).await;
    assert_eq!(old_session.status, 401, "{old_session:?}");
    let login = s
        .post(
            "/api/v1/auth/login",
            None,
            json!({ "email": s.eva.email, "password": PASSWORD }),
        )
        .await;
    assert_ne!(login.status, 200, "{login:?}");
    let participants = s.participations(&c.id, &s.carla).await;
    assert!(
        participants.iter().all(|(user, _)| *user != s.eva.id),
        "{participants:?}"
    );
    assert!(
        !s.inbox_members(&s.assistenten, &s.carla)
            .await
            .contains(&s.eva.id)
    );
    assert!(
        !s.inbox_members(&s.poh_somatiek, &s.carla)
            .await
            .contains(&s.eva.id)
    );
    let timeline = s.timeline(&c.id, &s.carla).await;
    let removed: BTreeSet<&str> = events(&timeline, "member_removed")
        .into_iter()
        .filter(|e| e["target"]["id"] == s.eva.id.as_str())
        .filter_map(|e| e["inbox"]["id"].as_str())
        .collect();
    assert_eq!(
        removed,
        [s.assistenten.as_str(), s.poh_somatiek.as_str()].into()
    );
    let to_eva = conversation_body("Wondzorg", &[&s.eva], &[], None);
    let refused = s.post("/api/v1/conversations", s.iris.auth(), to_eva).await;
    assert_eq!(refused.status, 422, "{refused:?}");
    let add = s
        .add_participant(&c.id, &s.carla, json!({ "user": s.eva.id }))
        .await;
    assert_eq!(add.status, 422, "{add:?}");
    let directory = s.directory(&s.iris, "Eva").await;
    assert!(!mentions(&directory, &s.eva.id), "{directory}");
}

#[tokio::test]
async fn r17_leaving_the_team_removes_them_from_its_inboxes() {
    let s = Scenario::build().await;
    let c = s.start(&s.iris, &[], &[&s.assistenten]).await;
    let personal = s.start(&s.iris, &[&s.daan], &[]).await;

    let removed = s
        .delete(
            &format!("/api/v1/teams/{}/members/{}", s.de_linde, s.daan.id),
            s.carla.auth(),
        )
        .await;

    assert_eq!(removed.status, 204, "{removed:?}");
    let gone = s
        .get(&format!("/api/v1/conversations/{}", c.id), s.daan.auth())
        .await;
    assert_eq!(gone.status, 404, "{gone:?}");
    assert!(
        !s.inbox_members(&s.assistenten, &s.carla)
            .await
            .contains(&s.daan.id)
    );
    let me = s.me(&s.daan).await;
    assert!(me["inboxes"].as_array().unwrap().is_empty(), "{me}");
    assert!(!mentions(&me["teams"], &s.de_linde), "{me}");
    let timeline = s.timeline(&c.id, &s.carla).await;
    let removals = events(&timeline, "member_removed");
    assert_eq!(removals.len(), 1, "{timeline:?}");
    assert_eq!(removals[0]["target"]["id"], s.daan.id.as_str());
    assert_eq!(
        s.conversation(&personal.id, &s.daan).await["id"],
        personal.id.as_str()
    );
}
