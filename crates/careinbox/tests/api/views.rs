//! What the views and management screens need beyond the rules: who takes
//! part in each listed conversation, the caller's own view states, every
//! inbox of a team, and finding a new colleague's account.

use serde_json::{Value, json};

use crate::support::Scenario;

fn names(list: &Value, field: &str) -> Vec<String> {
    list.as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|i| i[field].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn r14_view_rows_name_who_takes_part_and_their_teams() {
    let s = Scenario::build().await;
    let c = s.start(&s.iris, &[&s.anna], &[&s.assistenten]).await;

    let view = s.inbox_view(&s.assistenten, &s.carla, "active").await;
    let row = view.find(&c.id).expect("the conversation is listed");

    let people = names(&row["participants"], "name");
    for name in [
        "Iris Hendriks",
        "Anna de Vries",
        "Carla Smit",
        "Daan Bakker",
        "Eva Visser",
    ] {
        assert!(people.iter().any(|p| p == name), "{name} missing in {row}");
    }
    let teams = names(&row["teams"], "name");
    assert!(teams.contains(&"Thuiszorg Oost".to_owned()), "{row}");
    assert!(
        teams.contains(&"Huisartsenpraktijk De Linde".to_owned()),
        "{row}"
    );
    assert_eq!(row["unread"], true);
}

#[tokio::test]
async fn r9_r10_a_conversation_shows_the_callers_own_views() {
    let s = Scenario::build().await;
    let c = s.start(&s.iris, &[&s.carla], &[&s.assistenten]).await;
    s.put(
        &format!("/api/v1/inboxes/{}/archive/{}", s.assistenten, c.id),
        s.daan.auth(),
        json!({}),
    )
    .await
    .expect_status(204);

    let seen = s.conversation(&c.id, &s.carla).await;

    let mine = seen["mine"].as_array().expect("mine");
    let via_inbox = mine
        .iter()
        .find(|m| m["via"] == s.assistenten.as_str())
        .expect("via the inbox");
    let direct = mine.iter().find(|m| m["via"].is_null()).expect("direct");
    assert_eq!(mine.len(), 2, "{seen}");
    assert_eq!(via_inbox["archived"], true);
    assert_eq!(direct["archived"], false);
    assert_eq!(direct["unread"], true);
}

#[tokio::test]
async fn team_staff_list_every_inbox_of_their_team_deactivated_ones_too() {
    let s = Scenario::build().await;
    let path = format!("/api/v1/teams/{}/inboxes", s.de_linde);
    s.patch(
        &format!("/api/v1/inboxes/{}", s.poh_ggz),
        s.carla.auth(),
        json!({"active": false}),
    )
    .await
    .expect_status(200);

    let staff = s.get(&path, s.daan.auth()).await.expect_status(200);
    let outsider = s.get(&path, s.iris.auth()).await;

    let listed = names(&staff["items"], "name");
    assert_eq!(listed.len(), 3, "{staff}");
    assert!(listed.contains(&"POH GGZ".to_owned()), "{staff}");
    assert_eq!(outsider.status, 404);
}

#[tokio::test]
async fn team_admins_find_an_account_by_email_and_others_learn_nothing() {
    let s = Scenario::build().await;
    let karin = format!("/api/v1/users?email={}", s.karin.email.to_uppercase());
    let nobody = "/api/v1/users?email=niemand@delinde.test";

    let found = s.get(&karin, s.carla.auth()).await.expect_status(200);
    let missing = s.get(nobody, s.carla.auth()).await;
    let not_admin = s.get(&karin, s.daan.auth()).await;

    assert_eq!(found["id"], s.karin.id.as_str());
    assert_eq!(found["name"], s.karin.name);
    assert_eq!(missing.status, 404);
    assert_eq!(not_admin.status, 404);
}
