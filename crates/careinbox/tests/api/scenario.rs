//! The reference scenario of SPEC section 3, its six steps one after the other
//! over HTTP, checking what every person sees after each step.

use serde_json::{Value, json};

use crate::support::*;

#[tokio::test]
async fn reference_scenario_end_to_end() {
    let s = Scenario::build().await;

    // 1. Iris writes to Assistenten De Linde about a patient's wound care.
    let c = s.start(&s.iris, &[], &[&s.assistenten]).await;

    let expected = [
        direct(&s.iris),
        via(&s.carla, &s.assistenten),
        via(&s.daan, &s.assistenten),
        via(&s.eva, &s.assistenten),
    ];
    assert_eq!(
        s.participations(&c.id, &s.iris).await,
        expected.clone().into()
    );
    for member in [&s.carla, &s.daan, &s.eva] {
        assert!(
            s.inbox_view(&s.assistenten, member, "active")
                .await
                .contains(&c.id)
        );
        assert_eq!(s.inbox_unread(member, &s.assistenten).await, 1);
    }
    assert!(s.personal_view(&s.iris, "active").await.contains(&c.id));

    // 2. Carla adds POH Somatiek and GP Anna, then archives within the inbox.
    let poh = s
        .add_participant(&c.id, &s.carla, json!({ "inbox": s.poh_somatiek }))
        .await;
    let anna = s
        .add_participant(&c.id, &s.carla, json!({ "user": s.anna.id }))
        .await;
    let archive = format!("/api/v1/inboxes/{}/archive/{}", s.assistenten, c.id);
    let archived = s.put(&archive, s.carla.auth(), Value::Null).await;

    assert_eq!(poh.expect_status(201)["id"], s.poh_somatiek.as_str());
    assert_eq!(anna.expect_status(201)["id"], s.anna.id.as_str());
    assert_eq!(archived.status, 204, "{archived:?}");
    let after_step_2 = s.participations(&c.id, &s.iris).await;
    let mut expected = expected.to_vec();
    expected.extend([
        via(&s.fleur, &s.poh_somatiek),
        via(&s.gijs, &s.poh_somatiek),
        direct(&s.anna),
    ]);
    assert_eq!(after_step_2, expected.iter().cloned().collect());
    for member in [&s.daan, &s.eva] {
        assert_eq!(s.conversation(&c.id, member).await["id"], c.id.as_str());
        assert!(
            !s.inbox_view(&s.assistenten, member, "active")
                .await
                .contains(&c.id)
        );
        assert!(
            s.inbox_view(&s.assistenten, member, "archived")
                .await
                .contains(&c.id)
        );
    }
    for member in [&s.fleur, &s.gijs] {
        assert!(
            s.inbox_view(&s.poh_somatiek, member, "active")
                .await
                .contains(&c.id)
        );
    }
    assert!(s.personal_view(&s.anna, "active").await.contains(&c.id));
    let timeline = s.timeline(&c.id, &s.anna).await;
    assert_eq!(events(&timeline, "inbox_added").len(), 1, "{timeline:?}");
    assert_eq!(
        events(&timeline, "participant_added").len(),
        1,
        "{timeline:?}"
    );

    // 3. Iris replies; the conversation returns to the active inbox view.
    let reply = s
        .post_message(&c.id, &s.iris, "Wanneer kan de eerste wondcontrole?")
        .await;

    for member in [&s.carla, &s.daan, &s.eva] {
        assert!(
            s.inbox_view(&s.assistenten, member, "active")
                .await
                .contains(&c.id)
        );
        assert!(
            !s.inbox_view(&s.assistenten, member, "archived")
                .await
                .contains(&c.id)
        );
    }
    let timeline = s.timeline(&c.id, &s.daan).await;
    assert_eq!(messages(&timeline).last().unwrap()["id"], reply.as_str());

    // 4. Karin joins the practice and the inbox; she sees nothing until Daan
    //    adds her.
    s.karin_joins(true).await;

    let hidden = s
        .get(&format!("/api/v1/conversations/{}", c.id), s.karin.auth())
        .await;
    assert_eq!(hidden.status, 404, "{hidden:?}");
    assert!(
        !s.inbox_view(&s.assistenten, &s.karin, "active")
            .await
            .contains(&c.id)
    );

    let added = s
        .add_participant(&c.id, &s.daan, json!({ "user": s.karin.id }))
        .await;

    assert_eq!(added.status, 201, "{added:?}");
    let now = s.participations(&c.id, &s.karin).await;
    assert!(now.contains(&direct(&s.karin)), "{now:?}");
    assert!(!now.contains(&via(&s.karin, &s.assistenten)), "{now:?}");
    let timeline = s.timeline(&c.id, &s.karin).await;
    assert_eq!(messages(&timeline).len(), 2, "{timeline:?}");
    assert_eq!(messages(&timeline)[0]["id"], c.message.as_str());

    // 5. Carla tries to add herself: refused.
    let before = s.participations(&c.id, &s.iris).await;

    let herself = s
        .add_participant(&c.id, &s.carla, json!({ "user": s.carla.id }))
        .await;

    assert_eq!(herself.status, 409, "{herself:?}");
    assert!(
        herself.body["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("already a participant")
    );
    assert_eq!(s.participations(&c.id, &s.iris).await, before);

    // 6. Eva is removed from the inbox: she loses the conversation, Anna and
    //    the POH-S members keep it.
    let removed = s
        .remove_inbox_member(&s.carla, &s.assistenten, &s.eva.id)
        .await;

    assert_eq!(removed.status, 204, "{removed:?}");
    let gone = s
        .get(&format!("/api/v1/conversations/{}", c.id), s.eva.auth())
        .await;
    assert_eq!(gone.status, 404, "{gone:?}");
    let view = format!("/api/v1/inboxes/{}/conversations", s.assistenten);
    let no_view = s.get(&view, s.eva.auth()).await;
    assert_eq!(no_view.status, 403, "{no_view:?}");
    let me = s.me(&s.eva).await;
    assert!(!me["inboxes"].to_string().contains(&s.assistenten), "{me}");
    assert!(!s.personal_view(&s.eva, "all").await.contains(&c.id));
    for keeper in [
        &s.anna, &s.fleur, &s.gijs, &s.carla, &s.daan, &s.karin, &s.iris,
    ] {
        assert_eq!(
            s.conversation(&c.id, keeper).await["id"],
            c.id.as_str(),
            "{}",
            keeper.name
        );
    }
    let last = s.participations(&c.id, &s.iris).await;
    assert!(last.iter().all(|(user, _)| *user != s.eva.id), "{last:?}");
    assert_eq!(last.len(), before.len() - 1);
    let timeline = s.timeline(&c.id, &s.anna).await;
    let removals = events(&timeline, "member_removed");
    assert_eq!(removals.len(), 1, "{timeline:?}");
    assert_eq!(removals[0]["target"]["id"], s.eva.id.as_str());
    assert_eq!(removals[0]["inbox"]["id"], s.assistenten.as_str());
}
