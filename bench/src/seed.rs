//! Seeding in two steps. The base objects (teams, a network, professionals,
//! shared inboxes and their members) are created over the API as the
//! instance admin, so they are exactly what the service makes. The large
//! tables (conversations, their timelines, parties and participations, and
//! a crowd of professionals with sessions for the stream scenario) are then
//! written straight into the database in one transaction while the server
//! is stopped: a million conversations take a minute this way, and days
//! through the API.
//!
//! The bulk rows keep every invariant the service keeps: each conversation
//! has a first message whose seq is the conversation's `last_message_seq`
//! and every participation's; the starter participates directly and has
//! read it; the inbox is a party and its members participate via it, some
//! with the message unread; seqs and times grow together.

use std::time::Instant;

use anyhow::Context;
use futures_util::{StreamExt, TryStreamExt};
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::api::Api;
use crate::db::{Conn, Value, placeholders};
use crate::server::{ADMIN_EMAIL, ADMIN_PASSWORD};
use crate::{Args, Scenario};

/// The password of every seeded professional.
const PASSWORD: &str = "bench-password-1";
/// Practice staff: inbox members of every scenario, and half the pool.
const PRACTICE_STAFF: usize = 37;
/// Partner staff: starters of the bulk conversations, and half the pool.
const PARTNER_STAFF: usize = 20;
/// Inboxes of the /me user.
pub const ME_INBOXES: usize = 20;
/// Kinds in the bulk ids (see [`bulk_id`]).
const KIND_VIEW: u16 = 0x1001;
const KIND_ME: u16 = 0x1100;
const KIND_PERSONAL: u16 = 0x1200;
const KIND_REMOVAL: u16 = 0x1300;
const KIND_MESSAGE: u16 = 0x4000;
const KIND_CROWD: u16 = 0x3000;
/// Bulk conversations are one minute apart, so a million span two years.
const STEP_US: i64 = 60_000_000;

/// A professional the tool acts as.
#[derive(Debug, Clone)]
pub struct Person {
    pub id: Uuid,
    pub token: String,
}

/// Everything seeded, with the roles the scenarios give each object.
pub struct Population {
    pub admin: String,
    pub partner_team: Uuid,
    pub practice: Vec<Person>,
    pub partner: Vec<Person>,
    /// Professionals with sessions made in bulk, for the stream scenario.
    pub crowd: Vec<Person>,
    pub view_inbox: Uuid,
    pub start_inbox: Uuid,
    pub removal_inbox: Uuid,
    pub me_inboxes: Vec<Uuid>,
    /// The random part of every bulk id of this run.
    run: String,
}

impl Population {
    /// The member whose view of `view_inbox` is read.
    pub fn viewer(&self) -> &Person {
        &self.practice[0]
    }

    fn view_members(&self) -> &[Person] {
        &self.practice[0..3]
    }

    /// The ten members of the inbox that conversations are started with.
    fn start_members(&self) -> &[Person] {
        &self.practice[3..13]
    }

    /// The member of the 20 inboxes whose /me is read.
    pub fn me_user(&self) -> &Person {
        &self.practice[13]
    }

    fn me_colleague(&self) -> &Person {
        &self.practice[14]
    }

    /// The member removed from `removal_inbox` (R6).
    pub fn victim(&self) -> &Person {
        &self.practice[15]
    }

    /// The member who stays in `removal_inbox`.
    pub fn stayer(&self) -> &Person {
        &self.practice[16]
    }

    /// Forty professionals of both teams who post and start conversations.
    pub fn pool(&self) -> Vec<&Person> {
        self.practice[17..].iter().chain(&self.partner).collect()
    }

    /// The id of bulk conversation `n` of the removal inbox.
    pub fn removal_conversation(&self, n: i64) -> Uuid {
        bulk_id(&self.run, KIND_REMOVAL, n)
    }
}

/// Creates the base objects over the API and logs everyone in.
pub async fn over_http(api: &Api) -> anyhow::Result<Population> {
    let admin = api.login(ADMIN_EMAIL, ADMIN_PASSWORD).await?;
    let team =
        |name: &'static str| api.create(&admin, "/api/v1/admin/teams", json!({ "name": name }));
    let practice_team = team("Huisartsenpraktijk De Bank").await?;
    let partner_team = team("Thuiszorg Meetpunt").await?;
    let network = api
        .create(
            &admin,
            "/api/v1/admin/networks",
            json!({ "name": "Zorgnetwerk Bench" }),
        )
        .await?;
    for team in [practice_team, partner_team] {
        let path = format!("/api/v1/networks/{network}/teams");
        api.create(&admin, &path, json!({ "team": team })).await?;
    }

    let practice = staff(api, &admin, practice_team, "praktijk", PRACTICE_STAFF).await?;
    let partner = staff(api, &admin, partner_team, "thuiszorg", PARTNER_STAFF).await?;

    let inbox = |name: String| {
        let path = format!("/api/v1/teams/{practice_team}/inboxes");
        let body = json!({
            "name": name,
            "description": "Een gedeelde inbox van de praktijk.",
            "guidelines": "Schrijf hierheen als u niet weet wie uw bericht oppakt.",
        });
        let admin = admin.clone();
        async move { api.create(&admin, &path, body).await }
    };
    let mut population = Population {
        view_inbox: inbox("Assistenten (archief van jaren)".into()).await?,
        start_inbox: inbox("Assistenten".into()).await?,
        removal_inbox: inbox("Wondzorg".into()).await?,
        me_inboxes: Vec::new(),
        admin: admin.clone(),
        partner_team,
        practice,
        partner,
        crowd: Vec::new(),
        run: Uuid::new_v4().simple().to_string()[..8].to_owned(),
    };
    for i in 0..ME_INBOXES {
        let id = inbox(format!("Spreekuur {i:02}")).await?;
        population.me_inboxes.push(id);
    }

    let p = &population;
    let mut memberships: Vec<(Uuid, Uuid)> = Vec::new();
    memberships.extend(p.view_members().iter().map(|m| (p.view_inbox, m.id)));
    memberships.extend(p.start_members().iter().map(|m| (p.start_inbox, m.id)));
    memberships.push((p.removal_inbox, p.victim().id));
    memberships.push((p.removal_inbox, p.stayer().id));
    for inbox in &p.me_inboxes {
        memberships.push((*inbox, p.me_user().id));
        memberships.push((*inbox, p.me_colleague().id));
    }
    for (inbox, user) in memberships {
        let path = format!("/api/v1/inboxes/{inbox}/members");
        api.create(&p.admin, &path, json!({ "user": user })).await?;
    }
    Ok(population)
}

/// Creates `n` professionals in `team` and logs each in. Account creation
/// and login each hash a password (argon2), so a few run at once.
async fn staff(
    api: &Api,
    admin: &str,
    team: Uuid,
    label: &str,
    n: usize,
) -> anyhow::Result<Vec<Person>> {
    futures_util::stream::iter(0..n)
        .map(|i| async move {
            let email = format!("{label}{i:02}@bench.careinbox");
            let user = json!({
                "email": email,
                "name": format!("{label} medewerker {i:02}"),
                "password": PASSWORD,
                "profession": "doktersassistent",
            });
            let id = api.create(admin, "/api/v1/admin/users", user).await?;
            let member = json!({ "user": id, "role": "member" });
            api.create(admin, &format!("/api/v1/teams/{team}/members"), member)
                .await?;
            let token = api.login(&email, PASSWORD).await?;
            Ok::<_, anyhow::Error>(Person { id, token })
        })
        .buffered(4)
        .try_collect()
        .await
}

/// One block of bulk conversations: `count` conversations, each started by
/// one of `starters` (a direct participant), with `members` participating
/// via `inbox` (or directly when there is none).
struct BulkSpec {
    kind: u16,
    count: i64,
    inbox: Option<Uuid>,
    members: Vec<Uuid>,
    starters: Vec<Uuid>,
    /// A member's copy is unread in one conversation out of this many.
    unread_every: i64,
}

/// What the bulk step wrote, and how long it took.
#[derive(Debug, Default, Serialize)]
pub struct BulkReport {
    pub conversations: i64,
    pub participations: i64,
    pub crowd: usize,
    pub seconds: f64,
}

/// Writes the large tables straight into the database. The server must be
/// stopped.
pub async fn bulk(
    conn: &mut Conn,
    population: &mut Population,
    args: &Args,
) -> anyhow::Result<BulkReport> {
    let started = Instant::now();
    let specs = specs(population, args);
    let mut report = BulkReport::default();

    if conn.is_postgres() {
        // Foreign keys are checked by a trigger per row on PostgreSQL, which
        // makes a bulk load of millions of rows several times slower. The
        // replica role skips those triggers for this session; the rows refer
        // only to what the API created and to each other, and the same
        // generator runs with foreign keys checked on SQLite.
        conn.batch("SET synchronous_commit = off; SET session_replication_role = replica; BEGIN")
            .await?;
        conn.batch(
            "CREATE TEMP TABLE bench_people (grp BIGINT NOT NULL, i BIGINT NOT NULL,
               id UUID NOT NULL, PRIMARY KEY (grp, i)) ON COMMIT DROP",
        )
        .await?;
    } else {
        // Nothing else has the file open, so the rollback journal (which
        // stores almost nothing for appended pages) and no fsync until the
        // end are safe, and much faster than WAL for one huge transaction.
        conn.batch(
            "PRAGMA journal_mode = DELETE; PRAGMA synchronous = OFF;
             PRAGMA cache_size = -1000000; PRAGMA temp_store = MEMORY; BEGIN",
        )
        .await?;
        conn.batch(
            "CREATE TEMP TABLE bench_people (grp INTEGER NOT NULL, i INTEGER NOT NULL,
               id BLOB NOT NULL, PRIMARY KEY (grp, i))",
        )
        .await?;
    }

    let total: i64 = specs.iter().map(|s| s.count).sum();
    let mut seq = conn
        .scalar("SELECT COALESCE(MAX(seq), 0) FROM timeline", &[])
        .await?;
    let seq_last = seq + total;
    // The newest bulk message is an hour old; older ones a minute apart.
    let t_end = now_us() - 3_600_000_000;
    let t_zero = t_end - seq_last * STEP_US;
    for spec in &specs {
        let started = Instant::now();
        insert_block(conn, &population.run, spec, seq + 1, t_zero).await?;
        seq += spec.count;
        report.conversations += spec.count;
        report.participations += spec.count * (1 + spec.members.len() as i64);
        if spec.count >= 100_000 {
            eprintln!(
                "  {} conversations in {:.1} s",
                spec.count,
                started.elapsed().as_secs_f64()
            );
        }
    }
    if conn.is_postgres() && total > 0 {
        conn.exec(
            "SELECT setval(pg_get_serial_sequence('timeline', 'seq'),
               (SELECT MAX(seq) FROM timeline))",
            &[],
        )
        .await?;
    }

    if args.runs(Scenario::Streams) {
        let n = crowd_size(args);
        population.crowd = insert_crowd(conn, population, n).await?;
        report.crowd = n;
    }

    if conn.is_postgres() {
        // The replica role skipped the triggers that keep the unread counts
        // (migration 0005) too; SQLite ran them row by row.
        conn.batch(
            "DELETE FROM unread_counts;
             INSERT INTO unread_counts (user_id, view_id, unread)
             SELECT user_id, COALESCE(via_inbox, user_id), COUNT(*) FROM participations
             WHERE last_message_seq > last_read_seq AND NOT archived
             GROUP BY user_id, COALESCE(via_inbox, user_id)",
        )
        .await?;
    }
    conn.batch("COMMIT").await?;
    if conn.is_postgres() {
        // Autovacuum would otherwise visit these tables during the
        // measurements; fresh statistics are what a running system has.
        conn.batch("VACUUM (ANALYZE)").await?;
    } else {
        conn.batch("PRAGMA journal_mode = WAL").await?;
    }
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// Professionals with open streams: `fanout` with one stream each, then
/// five streams per professional for the rest.
pub fn crowd_size(args: &Args) -> usize {
    args.fanout + args.streams.saturating_sub(args.fanout).div_ceil(5)
}

fn specs(p: &Population, args: &Args) -> Vec<BulkSpec> {
    let starters: Vec<Uuid> = p.partner.iter().map(|s| s.id).collect();
    let ids = |people: &[Person]| people.iter().map(|m| m.id).collect::<Vec<_>>();
    let mut specs = Vec::new();
    if args.runs(Scenario::InboxView) {
        specs.push(BulkSpec {
            kind: KIND_VIEW,
            count: args.view_conversations,
            inbox: Some(p.view_inbox),
            members: ids(p.view_members()),
            starters: starters.clone(),
            unread_every: 10,
        });
    }
    if args.runs(Scenario::Me) {
        for (k, inbox) in p.me_inboxes.iter().enumerate() {
            specs.push(BulkSpec {
                kind: KIND_ME + k as u16,
                count: args.me_conversations,
                inbox: Some(*inbox),
                members: vec![p.me_user().id, p.me_colleague().id],
                starters: starters.clone(),
                unread_every: 4,
            });
        }
        specs.push(BulkSpec {
            kind: KIND_PERSONAL,
            count: args.me_conversations,
            inbox: None,
            members: vec![p.me_user().id],
            starters: starters.clone(),
            unread_every: 4,
        });
    }
    if args.runs(Scenario::RemoveMember) {
        specs.push(BulkSpec {
            kind: KIND_REMOVAL,
            count: args.removal_conversations,
            inbox: Some(p.removal_inbox),
            members: vec![p.victim().id, p.stayer().id],
            starters,
            unread_every: 3,
        });
    }
    specs
}

/// A bulk id: the run's random part, the kind of object, the UUID version
/// and variant digits, and `n`. Sequential ids keep the unique indexes
/// appending instead of splitting pages at random.
fn bulk_id(run: &str, kind: u16, n: i64) -> Uuid {
    let hex = format!("{run}{kind:04x}40008{n:015x}");
    Uuid::parse_str(&hex).expect("32 hex digits")
}

/// The SQL of [`bulk_id`] for the series value `n`.
fn id_sql(conn: &Conn, run: &str, kind: u16) -> String {
    let prefix = format!("{run}{kind:04x}40008");
    if conn.is_postgres() {
        format!("('{prefix}' || lpad(to_hex(s.n), 15, '0'))::uuid")
    } else {
        format!("unhex(printf('%s%015x', '{prefix}', s.n))")
    }
}

/// Inserts one block with five set-based statements over a generated
/// series `s(n)`, n = 0..count: conversation n has seq `$2 + n` and time
/// `$3 + seq * STEP_US`.
async fn insert_block(
    conn: &mut Conn,
    run: &str,
    spec: &BulkSpec,
    seq0: i64,
    t_zero: i64,
) -> anyhow::Result<()> {
    conn.exec("DELETE FROM bench_people", &[]).await?;
    let mut people = Vec::new();
    people.extend(spec.starters.iter().enumerate().map(|(i, id)| (0, i, *id)));
    people.extend(spec.members.iter().enumerate().map(|(i, id)| (1, i, *id)));
    let rows = (0..people.len())
        .map(|r| format!("({})", placeholders(1 + 3 * r, 3)))
        .collect::<Vec<_>>()
        .join(", ");
    let mut values = Vec::new();
    for (grp, i, id) in &people {
        values.extend([Value::Int(*grp), Value::Int(*i as i64), Value::Id(*id)]);
    }
    conn.exec(
        &format!("INSERT INTO bench_people (grp, i, id) VALUES {rows}"),
        &values,
    )
    .await?;

    let pg = conn.is_postgres();
    let (with, from) = if pg {
        ("", "generate_series(0, $1 - 1) AS s(n)")
    } else {
        (
            "WITH RECURSIVE s(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM s WHERE n + 1 < $1)",
            "s",
        )
    };
    let cid = id_sql(conn, run, spec.kind);
    let mid = id_sql(conn, run, spec.kind + KIND_MESSAGE);
    let seq = "($2 + s.n)";
    let at = format!("($3 + {seq} * {STEP_US})");
    let starter = "JOIN bench_people st ON st.grp = 0 AND st.i = s.n % $4";
    let overriding = if pg { "OVERRIDING SYSTEM VALUE" } else { "" };
    let body = "'Goedemorgen, ik heb een vraag over onze gezamenlijke patiënt. \
        Kunt u bij gelegenheid terugbellen of hier reageren? Met vriendelijke groet. ' || s.n";
    let via = match spec.inbox {
        Some(_) => "$5",
        None => "NULL",
    };

    let mut statements = vec![
        format!(
            "INSERT INTO conversations
               (id, subject, started_by, created_at, last_message_seq, last_message_at)
             {with} SELECT {cid}, 'Overleg over patiënt ' || s.n, st.id, {at}, {seq}, {at}
             FROM {from} {starter}"
        ),
        format!(
            "INSERT INTO timeline
               (seq, conversation_id, kind, message_id, author_id, on_behalf_of, body, at)
             {overriding}
             {with} SELECT {seq}, {cid}, 'message', {mid}, st.id, NULL, {body}, {at}
             FROM {from} {starter}"
        ),
        format!(
            "INSERT INTO participations (conversation_id, user_id, via_inbox, added_at,
               archived, last_message_seq, last_read_seq)
             {with} SELECT {cid}, st.id, NULL, {at}, FALSE, {seq}, {seq}
             FROM {from} {starter}"
        ),
        format!(
            "INSERT INTO participations (conversation_id, user_id, via_inbox, added_at,
               archived, last_message_seq, last_read_seq)
             {with} SELECT {cid}, m.id, {via}, {at}, FALSE, {seq},
               CASE WHEN (s.n + m.i) % $6 = 0 THEN 0 ELSE {seq} END
             FROM {from} JOIN bench_people m ON m.grp = 1"
        ),
    ];
    if spec.inbox.is_some() {
        statements.push(format!(
            "INSERT INTO conversation_inboxes (conversation_id, inbox_id, added_by, added_at)
             {with} SELECT {cid}, $5, st.id, {at}
             FROM {from} {starter}"
        ));
    }
    let values = [
        Value::Int(spec.count),
        Value::Int(seq0),
        Value::Int(t_zero),
        Value::Int(spec.starters.len() as i64),
        Value::Id(spec.inbox.unwrap_or(Uuid::nil())),
        Value::Int(spec.unread_every),
    ];
    for sql in statements {
        let used = values_used(&sql, &values);
        conn.exec(&sql, used)
            .await
            .with_context(|| format!("bulk insert: {}", first_line(&sql)))?;
    }
    Ok(())
}

/// PostgreSQL refuses binds that a statement does not mention; SQLite
/// ignores them. The placeholders are numbered from 1 without gaps up to
/// the highest one used, so the prefix up to it is what the statement needs.
fn values_used<'v>(sql: &str, values: &'v [Value]) -> &'v [Value] {
    let highest = (1..=values.len())
        .rev()
        .find(|i| sql.contains(&format!("${i}")))
        .unwrap_or(0);
    &values[..highest]
}

fn first_line(sql: &str) -> &str {
    sql.trim().lines().next().unwrap_or_default()
}

/// Professionals of the partner team with a password copied from a seeded
/// one and a session each, in multi-row inserts.
async fn insert_crowd(
    conn: &mut Conn,
    population: &Population,
    n: usize,
) -> anyhow::Result<Vec<Person>> {
    let template = population.partner[0].id;
    let hash = conn
        .text(
            "SELECT password_hash FROM users WHERE id = $1",
            &[Value::Id(template)],
        )
        .await?;
    let now = now_us();
    let expires = now + 24 * 3_600_000_000;
    let crowd: Vec<Person> = (0..n)
        .map(|i| Person {
            id: bulk_id(&population.run, KIND_CROWD, i as i64),
            token: format!("{}{}", Uuid::new_v4().simple(), Uuid::new_v4().simple()),
        })
        .collect();

    for (chunk_no, chunk) in crowd.chunks(200).enumerate() {
        let mut users = Vec::new();
        let mut staff = Vec::new();
        let mut sessions = Vec::new();
        for (k, person) in chunk.iter().enumerate() {
            let i = chunk_no * 200 + k;
            users.extend([
                Value::Id(person.id),
                Value::Text(format!("menigte{i:05}@bench.careinbox")),
                Value::Text(format!("menigte medewerker {i:05}")),
                Value::Text(hash.clone()),
            ]);
            staff.push(Value::Id(person.id));
            let token_hash = Sha256::digest(person.token.as_bytes()).to_vec();
            sessions.extend([Value::Bytes(token_hash), Value::Id(person.id)]);
        }
        let rows = |width: usize, shape: &dyn Fn(usize) -> String| {
            (0..chunk.len())
                .map(|r| shape(1 + r * width))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let user_rows = rows(4, &|b| {
            format!(
                "({}, 'wijkverpleegkundige', {}, FALSE, TRUE, {now})",
                placeholders(b, 3),
                format_args!("${}", b + 3)
            )
        });
        conn.exec(
            &format!(
                "INSERT INTO users (id, email, name, profession, password_hash,
                   instance_admin, active, created_at) VALUES {user_rows}"
            ),
            &users,
        )
        .await?;
        let team = population.partner_team;
        let staff_rows = rows(1, &|b| format!("(${b}, ${}, 'member')", chunk.len() + 1));
        staff.push(Value::Id(team));
        conn.exec(
            &format!("INSERT INTO team_members (user_id, team_id, role) VALUES {staff_rows}"),
            &staff,
        )
        .await?;
        let session_rows = rows(2, &|b| {
            format!("({}, {now}, {expires})", placeholders(b, 2))
        });
        conn.exec(
            &format!(
                "INSERT INTO sessions (token_hash, user_id, created_at, expires_at)
                 VALUES {session_rows}"
            ),
            &sessions,
        )
        .await?;
    }
    Ok(crowd)
}

/// Microseconds since the Unix epoch, as the schema stores times.
pub fn now_us() -> i64 {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    now.map_or(0, |d| d.as_micros() as i64)
}
