//! `careinbox serve --demo`: the reference scenario of SPEC.md section 3,
//! loaded through the same use cases the API calls, in the state after its
//! step 3, plus a few more conversations so that the views are not empty.

use careinbox_domain::{
    Description, Email, Guidelines, InboxId, MessageBody, Name, Password, Profession, Subject,
    TeamId, TeamRole, UserId,
};
use careinbox_service::storage::ViewOf;
use careinbox_service::{Caller, NewAccount, NewConversation, NewParticipant, Service};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "careinbox-demo";

/// The demo people: (key, name, profession, email).
const PEOPLE: [(&str, &str, &str, &str); 11] = [
    ("anna", "Anna de Vries", "huisarts", "anna@delinde.demo"),
    ("bram", "Bram Jansen", "huisarts", "bram@delinde.demo"),
    (
        "carla",
        "Carla Smit",
        "doktersassistent",
        "carla@delinde.demo",
    ),
    (
        "daan",
        "Daan Bakker",
        "doktersassistent",
        "daan@delinde.demo",
    ),
    ("eva", "Eva Visser", "doktersassistent", "eva@delinde.demo"),
    ("fleur", "Fleur Mulder", "POH-S", "fleur@delinde.demo"),
    ("gijs", "Gijs de Boer", "POH-S", "gijs@delinde.demo"),
    ("hanna", "Hanna Peters", "POH-GGZ", "hanna@delinde.demo"),
    (
        "iris",
        "Iris Hendriks",
        "wijkverpleegkundige",
        "iris@thuiszorgoost.demo",
    ),
    (
        "joost",
        "Joost Dekker",
        "apotheker",
        "joost@apotheekcentrum.demo",
    ),
    (
        "karin",
        "Karin Vos",
        "doktersassistent",
        "karin@delinde.demo",
    ),
];

fn text<T>(parsed: Result<T, careinbox_domain::FieldError>) -> anyhow::Result<T> {
    parsed.map_err(|e| anyhow::anyhow!("demo data: {e}"))
}

/// Loads the demo into a database that holds nothing but the instance admin;
/// leaves any other database alone.
pub async fn load(service: &Service) -> anyhow::Result<()> {
    let Some(admin) = service.fresh_instance_admin().await? else {
        println!("Demo data not loaded: the database is not empty.");
        return Ok(());
    };
    let admin = &Caller {
        user: admin,
        instance_admin: true,
        ip: None,
    };
    let as_user = |user: UserId| Caller {
        user,
        instance_admin: false,
        ip: None,
    };

    let mut ids = std::collections::HashMap::new();
    for (key, name, profession, email) in PEOPLE {
        let account = NewAccount {
            email: text(Email::parse(email))?,
            name: text(Name::parse("name", name))?,
            profession: text(Profession::parse("profession", profession))?,
            password: text(Password::parse(DEMO_PASSWORD))?,
        };
        ids.insert(key, service.create_user(admin, account).await?);
    }
    let id = |key: &str| ids[key];

    let team = |name: &'static str| async move {
        service
            .create_team(admin, text(Name::parse("name", name))?)
            .await
            .map_err(anyhow::Error::from)
    };
    let linde = team("Huisartsenpraktijk De Linde").await?;
    let oost = team("Thuiszorg Oost").await?;
    let apotheek = team("Apotheek Centrum").await?;
    let staff: [(TeamId, &str, TeamRole); 10] = [
        (linde, "anna", TeamRole::Admin),
        (linde, "bram", TeamRole::Member),
        (linde, "carla", TeamRole::Admin),
        (linde, "daan", TeamRole::Member),
        (linde, "eva", TeamRole::Member),
        (linde, "fleur", TeamRole::Member),
        (linde, "gijs", TeamRole::Member),
        (linde, "hanna", TeamRole::Member),
        (oost, "iris", TeamRole::Admin),
        (apotheek, "joost", TeamRole::Admin),
    ];
    for (team, key, role) in staff {
        service.add_team_member(admin, team, id(key), role).await?;
    }
    let network = service
        .create_network(admin, text(Name::parse("name", "Zorgnetwerk Oost"))?)
        .await?;
    for team in [linde, oost, apotheek] {
        service.add_network_team(admin, network, team).await?;
    }

    let inbox = |name: &'static str, description: &'static str, guidelines: &'static str| async move {
        service
            .create_inbox(
                admin,
                linde,
                text(Name::parse("name", name))?,
                text(Description::parse("description", description))?,
                text(Guidelines::parse("guidelines", guidelines))?,
            )
            .await
            .map_err(anyhow::Error::from)
    };
    let assistenten = inbox(
        "Assistenten De Linde",
        "De doktersassistenten van Huisartsenpraktijk De Linde.",
        "Schrijf hierheen als u niet weet wie uw bericht oppakt. Wij lezen elke werkdag en verbinden u door met de huisarts of POH.",
    )
    .await?;
    let poh_s = inbox(
        "POH Somatiek",
        "Praktijkondersteuners somatiek: diabetes, COPD, hart- en vaatziekten.",
        "Voor vragen over chronische zorg van onze patiënten.",
    )
    .await?;
    let poh_ggz = inbox(
        "POH GGZ",
        "Praktijkondersteuner GGZ.",
        "Voor vragen over psychische klachten; bij spoed belt u de praktijk.",
    )
    .await?;
    let members: [(InboxId, &str, bool); 6] = [
        (assistenten, "carla", true),
        (assistenten, "daan", false),
        (assistenten, "eva", false),
        (poh_s, "fleur", true),
        (poh_s, "gijs", false),
        (poh_ggz, "hanna", true),
    ];
    for (inbox, key, manager) in members {
        service
            .add_inbox_member(admin, inbox, id(key), manager)
            .await?;
    }

    let start = |caller: Caller,
                 subject: &'static str,
                 body: &'static str,
                 users: Vec<UserId>,
                 inboxes: Vec<InboxId>,
                 from: Option<InboxId>| async move {
        let new = NewConversation {
            subject: text(Subject::parse("subject", subject))?,
            body: text(MessageBody::parse(body))?,
            users,
            inboxes,
            from_inbox: from,
        };
        service
            .start_conversation(&caller, new)
            .await
            .map(|(c, _)| c)
            .map_err(anyhow::Error::from)
    };

    // Steps 1 to 3 of the reference scenario.
    let wound = start(
        as_user(id("iris")),
        "Wondzorg mevrouw J. (84), onderbeen rechts",
        "Goedemorgen, de wond aan het rechteronderbeen geneest slecht en is sinds gisteren rood en warm. Kan de huisarts meekijken?",
        vec![],
        vec![assistenten],
        None,
    )
    .await?;
    let carla = as_user(id("carla"));
    service
        .add_participant(&carla, wound, NewParticipant::Inbox(poh_s))
        .await?;
    service
        .add_participant(&carla, wound, NewParticipant::User(id("anna")))
        .await?;
    service
        .set_archived(&carla, wound, ViewOf::Inbox(assistenten), true)
        .await?;
    let reply = text(MessageBody::parse(
        "Aanvulling: temperatuur vanochtend 38,1. Ik kom morgen weer langs.",
    ))?;
    service
        .post_message(&as_user(id("iris")), wound, reply)
        .await?;

    // More conversations, so that every view has something in it.
    start(
        as_user(id("joost")),
        "Medicatiebeoordeling dhr. P.",
        "Bij de medicatiebeoordeling zag ik een dubbele voorschrijving van omeprazol. Wilt u dit nakijken?",
        vec![id("anna")],
        vec![],
        None,
    )
    .await?;
    start(
        as_user(id("fleur")),
        "Controle diabetes na ziekenhuisopname",
        "Mevrouw K. is gisteren ontslagen uit het ziekenhuis. Kan de wijkverpleging de bloedsuikers de komende week meten?",
        vec![id("iris")],
        vec![],
        Some(poh_s),
    )
    .await?;
    start(
        as_user(id("iris")),
        "Vraag over inhalatietechniek",
        "Dhr. B. gebruikt zijn inhalator niet goed. Kan iemand van de praktijk een instructie inplannen?",
        vec![],
        vec![assistenten],
        None,
    )
    .await?;

    println!(
        "Demo loaded: the reference scenario after its step 3. Log in with password {DEMO_PASSWORD} as:"
    );
    for (_, name, profession, email) in PEOPLE {
        println!("  {email:<32} {name} ({profession})");
    }
    Ok(())
}
