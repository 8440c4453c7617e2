//! Beheer: inbox managers and team admins change an inbox's members, name,
//! description and partner guidelines, or deactivate it (R12); removing a
//! member first says what R6 will do. Team admins manage the team's staff
//! (R17): they add a colleague found in the directory, or a new colleague,
//! who is in no team yet, by the email address of their account. They also
//! create inboxes (R11), and see every inbox of the team, deactivated ones
//! too, so that one can be reactivated.

use axum::extract::State;
use axum::http::StatusCode;
use careinbox_domain::{Description, Error, Guidelines, InboxId, Name, TeamId, TeamRole, UserId};
use careinbox_service::storage::{InboxMemberRow, InboxRow, StaffRow};
use careinbox_service::{InboxChanges, Me};
use maud::{Markup, html};
use uuid::Uuid;

use super::{ok, see_other};
use crate::Web;
use crate::error::{PageResult, message, shown_on_form};
use crate::form::{Fields, Ids, Posted, Query};
use crate::layout::{Place, Shell, csrf_field, notice};
use crate::session::Viewer;

/// An inbox as the management pages list it.
struct ManagedInbox {
    id: InboxId,
    name: String,
    team: String,
    active: bool,
}

pub async fn overview(State(web): State<Web>, viewer: Viewer) -> PageResult {
    let me = web.service.me(&viewer.caller).await?;
    let admin_of: Vec<_> = me
        .teams
        .iter()
        .filter(|t| t.role == TeamRole::Admin)
        .collect();
    let mut team_inboxes = Vec::new();
    for team in &admin_of {
        let rows = web
            .service
            .team_inboxes(&viewer.caller, team.team.id)
            .await?;
        team_inboxes.extend(rows);
    }

    let lang = viewer.lang();
    let inboxes = managed_inboxes(&me, &team_inboxes);
    let main = html! {
        h1 { (lang.management()) }
        section .panel aria-labelledby="inboxes-heading" {
            h2 #inboxes-heading { (lang.shared_inboxes()) }
            @if inboxes.is_empty() {
                p .empty { (lang.nothing_to_manage()) }
            } @else {
                ul .results {
                    @for inbox in &inboxes {
                        li {
                            div .who {
                                a .name href={ "/beheer/inbox/" (inbox.id) } { (inbox.name) }
                                span .team {
                                    (inbox.team)
                                    @if !inbox.active { " · " (lang.deactivated()) }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if !admin_of.is_empty() {
            section .panel aria-labelledby="teams-heading" {
                h2 #teams-heading { (lang.teams()) }
                ul .results {
                    @for team in &admin_of {
                        li {
                            div .who {
                                a .name href={ "/beheer/team/" (team.team.id) } { (team.team.name) }
                                span .team { (lang.team_admin()) }
                            }
                        }
                    }
                }
            }
        }
    };
    let shell = Shell {
        viewer: &viewer,
        me: &me,
        place: Place::Manage,
        live: None,
    };
    Ok(ok(shell.render(lang.management(), main)))
}

/// The inboxes the user manages: those they are a manager of, and every
/// inbox of the teams they administer (`team_inboxes`, deactivated ones
/// included), each once, by team and name.
fn managed_inboxes(me: &Me, team_inboxes: &[InboxRow]) -> Vec<ManagedInbox> {
    let mut found: Vec<ManagedInbox> = team_inboxes
        .iter()
        .map(|inbox| ManagedInbox {
            id: inbox.id,
            name: inbox.name.clone(),
            team: inbox.team.name.clone(),
            active: inbox.active,
        })
        .collect();
    for (inbox, _) in &me.inboxes {
        if inbox.manager && !found.iter().any(|f| f.id == inbox.id) {
            found.push(ManagedInbox {
                id: inbox.id,
                name: inbox.name.clone(),
                team: inbox.team.name.clone(),
                active: inbox.active,
            });
        }
    }
    found.sort_by(|a, b| (&a.team, &a.name).cmp(&(&b.team, &b.name)));
    found
}

fn may_manage_inbox(viewer: &Viewer, me: &Me, inbox: &InboxRow) -> bool {
    viewer.caller.instance_admin
        || me
            .inboxes
            .iter()
            .any(|(i, _)| i.id == inbox.id && i.manager)
        || may_manage_team(viewer, me, inbox.team.id)
}

fn may_manage_team(viewer: &Viewer, me: &Me, team: TeamId) -> bool {
    viewer.caller.instance_admin
        || me
            .teams
            .iter()
            .any(|t| t.team.id == team && t.role == TeamRole::Admin)
}

pub async fn inbox(
    State(web): State<Web>,
    Ids(inbox): Ids<Uuid>,
    viewer: Viewer,
    Query(query): Query,
) -> PageResult {
    inbox_page(&web, &viewer, InboxId(inbox), &query, None).await
}

async fn inbox_page(
    web: &Web,
    viewer: &Viewer,
    id: InboxId,
    query: &Fields,
    refusal: Option<String>,
) -> PageResult {
    let inbox = web.service.inbox(&viewer.caller, id).await?;
    let members = web.service.inbox_members(&viewer.caller, id).await?;
    let staff = web
        .service
        .team_staff(&viewer.caller, inbox.team.id)
        .await?;
    let me = web.service.me(&viewer.caller).await?;

    let lang = viewer.lang();
    let manages = may_manage_inbox(viewer, &me, &inbox);
    let candidates: Vec<&StaffRow> = staff
        .iter()
        .filter(|s| !members.iter().any(|m| m.user == s.user))
        .collect();
    let done = query.get("done").and_then(|d| lang.done(d));
    let title = lang.manage_named(&inbox.name);
    let main = html! {
        header .view-head {
            div {
                a .back href="/beheer" { "← " (lang.back_to(lang.management())) }
                h1 { (title) }
                p .sub {
                    (inbox.team.name)
                    @if !inbox.active { " · " (lang.deactivated()) }
                }
            }
        }
        @if let Some(text) = &refusal { (notice(text, true)) }
        @if let Some(text) = done { (notice(text, false)) }
        section .panel aria-labelledby="members-heading" {
            h2 #members-heading { (lang.members()) " (" (members.len()) ")" }
            p .hint { (lang.members_hint()) }
            (member_table(viewer, &inbox, &members, manages))
            @if manages {
                @if candidates.is_empty() {
                    p .hint { (lang.all_staff_are_members()) }
                } @else {
                    form .stack method="post" action={ "/beheer/inbox/" (inbox.id) "/members" } {
                        (csrf_field(viewer))
                        h3 { (lang.add_member()) }
                        label for="member" { (lang.colleague()) }
                        select #member name="user" required {
                            @for person in &candidates {
                                option value=(person.user) {
                                    (person.name) " (" (person.profession) ")"
                                }
                            }
                        }
                        label .check {
                            input type="checkbox" name="manager" value="1";
                            " " (lang.also_manager())
                        }
                        p .hint { (lang.add_member_hint()) }
                        div .actions { button .primary type="submit" { (lang.add()) } }
                    }
                }
            }
        }
        @if manages {
            (settings_form(viewer, &inbox))
            (status_form(viewer, &inbox))
        }
    };
    let shell = Shell {
        viewer,
        me: &me,
        place: Place::Manage,
        live: None,
    };
    Ok(ok(shell.render(&title, main)))
}

fn member_table(
    viewer: &Viewer,
    inbox: &InboxRow,
    members: &[InboxMemberRow],
    manages: bool,
) -> Markup {
    let lang = viewer.lang();
    html! {
        @if members.is_empty() {
            p .empty { (lang.no_members()) }
        } @else {
            table .members {
                thead {
                    tr {
                        th scope="col" { (lang.name()) }
                        th .optional scope="col" { (lang.profession()) }
                        th scope="col" { (lang.role()) }
                        @if manages { th scope="col" { span .vh { (lang.actions()) } } }
                    }
                }
                tbody {
                    @for member in members {
                        tr {
                            th scope="row" { (member.name) }
                            td .optional { (member.profession) }
                            td { @if member.manager { (lang.manager()) } @else { (lang.member()) } }
                            @if manages {
                                td {
                                    a href=(remove_href(inbox.id, member.user))
                                        aria-label=(lang.remove_named(&member.name)) {
                                        (lang.remove())
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn remove_href(inbox: InboxId, user: UserId) -> String {
    format!("/beheer/inbox/{inbox}/members/{user}/remove")
}

fn settings_form(viewer: &Viewer, inbox: &InboxRow) -> Markup {
    let lang = viewer.lang();
    html! {
        section .panel aria-labelledby="settings-heading" {
            h2 #settings-heading { (lang.settings()) }
            form .stack method="post" action={ "/beheer/inbox/" (inbox.id) } {
                (csrf_field(viewer))
                input type="hidden" name="action" value="settings";
                label for="name" { (lang.name()) }
                input #name type="text" name="name" required maxlength="200" value=(inbox.name);
                label for="description" { (lang.description()) }
                textarea #description name="description" rows="3" maxlength="2000"
                    aria-describedby="description-hint" { (inbox.description) }
                p #description-hint .hint { (lang.description_hint()) }
                label for="guidelines" { (lang.guidelines()) }
                textarea #guidelines name="guidelines" rows="4" maxlength="4000"
                    aria-describedby="guidelines-hint" { (inbox.guidelines) }
                p #guidelines-hint .hint { (lang.guidelines_hint()) }
                div .actions { button .primary type="submit" { (lang.save()) } }
            }
        }
    }
}

/// R12: a deactivated inbox receives no new conversations; its existing
/// ones keep working. Reversible, so one button without a second page.
fn status_form(viewer: &Viewer, inbox: &InboxRow) -> Markup {
    let lang = viewer.lang();
    html! {
        section .panel aria-labelledby="status-heading" {
            h2 #status-heading { (lang.status()) }
            p .hint { (lang.deactivate_hint()) }
            form method="post" action={ "/beheer/inbox/" (inbox.id) } {
                (csrf_field(viewer))
                @if inbox.active {
                    input type="hidden" name="action" value="deactivate";
                    button .danger type="submit" { (lang.deactivate()) }
                } @else {
                    input type="hidden" name="action" value="activate";
                    button .secondary type="submit" { (lang.activate()) }
                }
            }
        }
    }
}

pub async fn update_inbox(
    State(web): State<Web>,
    Ids(inbox): Ids<Uuid>,
    Posted { viewer, fields }: Posted,
) -> PageResult {
    let id = InboxId(inbox);
    let (changes, done) = match fields.get("action") {
        Some("deactivate") => (
            Ok(InboxChanges {
                active: Some(false),
                ..Default::default()
            }),
            "deactivated",
        ),
        Some("activate") => (
            Ok(InboxChanges {
                active: Some(true),
                ..Default::default()
            }),
            "activated",
        ),
        _ => (settings(&fields), "saved"),
    };
    let result = match changes {
        Ok(changes) => web
            .service
            .update_inbox(&viewer.caller, id, changes)
            .await
            .map(drop),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/beheer/inbox/{id}?done={done}"))),
        Err(e) if shown_on_form(&e) => refused_inbox(&web, &viewer, id, &e).await,
        Err(e) => Err(e.into()),
    }
}

fn settings(fields: &Fields) -> Result<InboxChanges, Error> {
    let name = Name::parse("name", fields.text("name"));
    let description = Description::parse("description", fields.text("description"));
    let guidelines = Guidelines::parse("guidelines", fields.text("guidelines"));
    match (name, description, guidelines) {
        (Ok(name), Ok(description), Ok(guidelines)) => Ok(InboxChanges {
            name: Some(name),
            description: Some(description),
            guidelines: Some(guidelines),
            active: None,
        }),
        (name, description, guidelines) => Err(Error::Invalid(
            name.err()
                .into_iter()
                .chain(description.err())
                .chain(guidelines.err())
                .collect(),
        )),
    }
}

async fn refused_inbox(web: &Web, viewer: &Viewer, id: InboxId, e: &Error) -> PageResult {
    let text = message(viewer.lang(), e);
    let mut response = inbox_page(web, viewer, id, &Fields::default(), Some(text)).await?;
    *response.status_mut() = refusal_status(e);
    Ok(response)
}

fn refusal_status(e: &Error) -> StatusCode {
    match e {
        Error::Conflict(_) => StatusCode::CONFLICT,
        Error::Forbidden(_) => StatusCode::FORBIDDEN,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

pub async fn add_member(
    State(web): State<Web>,
    Ids(inbox): Ids<Uuid>,
    Posted { viewer, fields }: Posted,
) -> PageResult {
    let id = InboxId(inbox);
    let user = UserId(fields.id("user")?);
    let manager = fields.checked("manager");
    match web
        .service
        .add_inbox_member(&viewer.caller, id, user, manager)
        .await
    {
        Ok(()) => Ok(see_other(&format!("/beheer/inbox/{id}?done=added"))),
        Err(e) if shown_on_form(&e) => refused_inbox(&web, &viewer, id, &e).await,
        Err(e) => Err(e.into()),
    }
}

/// Says what R6 will do before a member is removed.
pub async fn confirm_remove_member(
    State(web): State<Web>,
    Ids((inbox, user)): Ids<(Uuid, Uuid)>,
    viewer: Viewer,
) -> PageResult {
    let inbox = web.service.inbox(&viewer.caller, InboxId(inbox)).await?;
    let members = web.service.inbox_members(&viewer.caller, inbox.id).await?;
    let member = members
        .iter()
        .find(|m| m.user == UserId(user))
        .ok_or(Error::NotFound)?;
    let me = web.service.me(&viewer.caller).await?;

    let lang = viewer.lang();
    let title = lang.remove_member_title(&member.name, &inbox.name);
    let main = html! {
        h1 { (title) }
        div .panel .confirm {
            p { (lang.remove_member_effect(&member.name, &inbox.name)) }
            p { (lang.remove_member_keeps(&member.name)) }
            form method="post" action=(remove_href(inbox.id, member.user)) {
                (csrf_field(&viewer))
                div .actions {
                    button .danger type="submit" { (lang.confirm_remove()) }
                    a .button .secondary href={ "/beheer/inbox/" (inbox.id) } { (lang.cancel()) }
                }
            }
        }
    };
    let shell = Shell {
        viewer: &viewer,
        me: &me,
        place: Place::Manage,
        live: None,
    };
    Ok(ok(shell.render(&title, main)))
}

pub async fn remove_member(
    State(web): State<Web>,
    Ids((inbox, user)): Ids<(Uuid, Uuid)>,
    Posted { viewer, .. }: Posted,
) -> PageResult {
    let id = InboxId(inbox);
    match web
        .service
        .remove_inbox_member(&viewer.caller, id, UserId(user))
        .await
    {
        Ok(()) => Ok(see_other(&format!("/beheer/inbox/{id}?done=removed"))),
        Err(e) if shown_on_form(&e) => refused_inbox(&web, &viewer, id, &e).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn team(
    State(web): State<Web>,
    Ids(team): Ids<Uuid>,
    viewer: Viewer,
    Query(query): Query,
) -> PageResult {
    team_page(&web, &viewer, TeamId(team), &query, None).await
}

async fn team_page(
    web: &Web,
    viewer: &Viewer,
    team: TeamId,
    query: &Fields,
    refusal: Option<String>,
) -> PageResult {
    let staff = web.service.team_staff(&viewer.caller, team).await?;
    let inboxes = web.service.team_inboxes(&viewer.caller, team).await?;
    let q = query.get("q").filter(|q| !q.trim().is_empty());
    let found = match q {
        Some(q) => web.service.directory(&viewer.caller, q).await?.0,
        None => Vec::new(),
    };
    let me = web.service.me(&viewer.caller).await?;
    if !may_manage_team(viewer, &me, team) {
        return Err(Error::Forbidden("only team admins manage the team").into());
    }

    let lang = viewer.lang();
    let name = me
        .teams
        .iter()
        .find(|t| t.team.id == team)
        .map_or_else(|| lang.team().to_owned(), |t| t.team.name.clone());
    let found: Vec<_> = found
        .iter()
        .filter(|u| !staff.iter().any(|s| s.user == u.id))
        .collect();
    let done = query.get("done").and_then(|d| lang.done(d));
    let main = html! {
        header .view-head {
            div {
                a .back href="/beheer" { "← " (lang.back_to(lang.management())) }
                h1 { (name) }
                p .sub { (lang.team_admin()) }
            }
        }
        @if let Some(text) = &refusal { (notice(text, true)) }
        @if let Some(text) = done { (notice(text, false)) }
        section .panel aria-labelledby="staff-heading" {
            h2 #staff-heading { (lang.staff()) " (" (staff.len()) ")" }
            (staff_table(viewer, team, &staff))
            h3 { (lang.add_staff()) }
            (add_by_email_form(viewer, team, query))
            h4 { (lang.add_from_directory()) }
            form .search method="get" action={ "/beheer/team/" (team) } role="search" {
                label for="q" { (lang.search_directory()) }
                div .search-row {
                    input #q type="search" name="q" value=(q.unwrap_or("")) autocomplete="off";
                    button .secondary type="submit" { (lang.search()) }
                }
            }
            @if q.is_some() {
                @if found.is_empty() { p .empty { (lang.nobody_found()) } }
                ul .results {
                    @for person in &found {
                        li {
                            div .who {
                                span .name { (person.name) }
                                span .team { (person.profession) }
                            }
                            form .inline method="post" action={ "/beheer/team/" (team) "/staff" } {
                                (csrf_field(viewer))
                                input type="hidden" name="user" value=(person.id);
                                label .vh for={ "role-" (person.id) } { (lang.role()) }
                                select id={ "role-" (person.id) } name="role" {
                                    option value="member" { (lang.member()) }
                                    option value="admin" { (lang.team_admin()) }
                                }
                                button .secondary type="submit"
                                    aria-label=(lang.add_named(&person.name)) {
                                    (lang.add())
                                }
                            }
                        }
                    }
                }
            }
        }
        section .panel aria-labelledby="team-inboxes-heading" {
            h2 #team-inboxes-heading { (lang.shared_inboxes()) }
            ul .results {
                @for inbox in &inboxes {
                    li {
                        div .who {
                            a .name href={ "/beheer/inbox/" (inbox.id) } { (inbox.name) }
                            @if !inbox.active { span .team { (lang.deactivated()) } }
                        }
                    }
                }
            }
            form .stack method="post" action={ "/beheer/team/" (team) "/inboxes" } {
                (csrf_field(viewer))
                h3 { (lang.new_inbox()) }
                label for="name" { (lang.name()) }
                input #name type="text" name="name" required maxlength="200";
                label for="description" { (lang.description()) }
                textarea #description name="description" rows="2" maxlength="2000" {}
                label for="guidelines" { (lang.guidelines()) }
                textarea #guidelines name="guidelines" rows="3" maxlength="4000" {}
                div .actions { button .primary type="submit" { (lang.create_inbox()) } }
            }
        }
    };
    let shell = Shell {
        viewer,
        me: &me,
        place: Place::Manage,
        live: None,
    };
    Ok(ok(shell.render(&name, main)))
}

/// A new colleague is in no team yet, so the directory does not list them:
/// the team admin names their account by its email address. A refused
/// address stays in the field, to be corrected.
fn add_by_email_form(viewer: &Viewer, team: TeamId, posted: &Fields) -> Markup {
    let lang = viewer.lang();
    html! {
        form .stack method="post" action={ "/beheer/team/" (team) "/staff" } {
            (csrf_field(viewer))
            label for="new-email" { (lang.new_colleague_email()) }
            input #new-email type="email" name="email" required autocomplete="off"
                value=(posted.text("email")) aria-describedby="new-email-hint";
            p #new-email-hint .hint { (lang.add_staff_hint()) }
            label for="new-role" { (lang.role()) }
            select #new-role name="role" {
                option value="member" { (lang.member()) }
                option value="admin" { (lang.team_admin()) }
            }
            div .actions { button .primary type="submit" { (lang.add_colleague()) } }
        }
    }
}

fn staff_table(viewer: &Viewer, team: TeamId, staff: &[StaffRow]) -> Markup {
    let lang = viewer.lang();
    html! {
        table .members {
            thead {
                tr {
                    th scope="col" { (lang.name()) }
                    th .optional scope="col" { (lang.profession()) }
                    th scope="col" { (lang.role()) }
                    th scope="col" { span .vh { (lang.actions()) } }
                }
            }
            tbody {
                @for person in staff {
                    tr {
                        th scope="row" { (person.name) }
                        td .optional { (person.profession) }
                        td {
                            @if person.role == TeamRole::Admin {
                                (lang.team_admin())
                            } @else {
                                (lang.member())
                            }
                        }
                        td {
                            a href={ "/beheer/team/" (team) "/staff/" (person.user) "/remove" }
                                aria-label=(lang.remove_named(&person.name)) {
                                (lang.remove())
                            }
                        }
                    }
                }
            }
        }
    }
}

pub async fn add_staff(
    State(web): State<Web>,
    Ids(team): Ids<Uuid>,
    Posted { viewer, fields }: Posted,
) -> PageResult {
    let team = TeamId(team);
    let role = TeamRole::parse(fields.text("role"))?;
    let added = match colleague(&web, &viewer, &fields).await {
        Ok(user) => {
            web.service
                .add_team_member(&viewer.caller, team, user, role)
                .await
        }
        Err(e) => Err(e),
    };
    match added {
        Ok(()) => Ok(see_other(&format!("/beheer/team/{team}?done=staff_added"))),
        Err(e) if shown_on_form(&e) => refused_team(&web, &viewer, team, &fields, &e).await,
        Err(e) => Err(e.into()),
    }
}

/// Whom the staff form names: a professional chosen in the directory
/// (`user`), or an account given by its email address (`email`). An
/// address without an active account is said on the form, as an invalid
/// field; to anyone who may not add staff, the team page itself is refused.
async fn colleague(web: &Web, viewer: &Viewer, fields: &Fields) -> Result<UserId, Error> {
    let Some(email) = fields.get("email") else {
        return fields.id("user").map(UserId).map_err(|e| e.0);
    };
    match web.service.find_user(&viewer.caller, email).await {
        Err(Error::NotFound) => Err(Error::invalid("email", "no account with this email")),
        found => found.map(|user| user.id),
    }
}

/// The team page again with the refusal at the top and the posted email
/// address still in its field.
async fn refused_team(
    web: &Web,
    viewer: &Viewer,
    team: TeamId,
    posted: &Fields,
    e: &Error,
) -> PageResult {
    let text = message(viewer.lang(), e);
    let mut response = team_page(web, viewer, team, posted, Some(text)).await?;
    *response.status_mut() = refusal_status(e);
    Ok(response)
}

/// Says what R17 will do before someone leaves the team.
pub async fn confirm_remove_staff(
    State(web): State<Web>,
    Ids((team, user)): Ids<(Uuid, Uuid)>,
    viewer: Viewer,
) -> PageResult {
    let team = TeamId(team);
    let staff = web.service.team_staff(&viewer.caller, team).await?;
    let person = staff
        .iter()
        .find(|s| s.user == UserId(user))
        .ok_or(Error::NotFound)?;
    let me = web.service.me(&viewer.caller).await?;

    let lang = viewer.lang();
    let team_name = me
        .teams
        .iter()
        .find(|t| t.team.id == team)
        .map_or_else(|| lang.team().to_owned(), |t| t.team.name.clone());
    let title = lang.remove_member_title(&person.name, &team_name);
    let main = html! {
        h1 { (title) }
        div .panel .confirm {
            p { (lang.remove_staff_effect(&person.name)) }
            p { (lang.remove_member_keeps(&person.name)) }
            form method="post" action={ "/beheer/team/" (team) "/staff/" (person.user) "/remove" } {
                (csrf_field(&viewer))
                div .actions {
                    button .danger type="submit" { (lang.confirm_remove()) }
                    a .button .secondary href={ "/beheer/team/" (team) } { (lang.cancel()) }
                }
            }
        }
    };
    let shell = Shell {
        viewer: &viewer,
        me: &me,
        place: Place::Manage,
        live: None,
    };
    Ok(ok(shell.render(&title, main)))
}

pub async fn remove_staff(
    State(web): State<Web>,
    Ids((team, user)): Ids<(Uuid, Uuid)>,
    Posted { viewer, .. }: Posted,
) -> PageResult {
    let team = TeamId(team);
    match web
        .service
        .remove_team_member(&viewer.caller, team, UserId(user))
        .await
    {
        Ok(()) => Ok(see_other(&format!(
            "/beheer/team/{team}?done=staff_removed"
        ))),
        Err(e) if shown_on_form(&e) => {
            refused_team(&web, &viewer, team, &Fields::default(), &e).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn create_inbox(
    State(web): State<Web>,
    Ids(team): Ids<Uuid>,
    Posted { viewer, fields }: Posted,
) -> PageResult {
    let team = TeamId(team);
    let created = match settings(&fields) {
        Ok(InboxChanges {
            name: Some(name),
            description: Some(d),
            guidelines: Some(g),
            ..
        }) => {
            web.service
                .create_inbox(&viewer.caller, team, name, d, g)
                .await
        }
        Ok(_) => Err(Error::invalid("name", "must not be empty")),
        Err(e) => Err(e),
    };
    match created {
        Ok(id) => Ok(see_other(&format!("/beheer/inbox/{id}?done=created"))),
        Err(e) if shown_on_form(&e) => {
            refused_team(&web, &viewer, team, &Fields::default(), &e).await
        }
        Err(e) => Err(e.into()),
    }
}
