//! Starting a conversation (R2): choose professionals and shared inboxes from
//! the directory, which shows each inbox's description and partner
//! guidelines before the choice (R13), then write the first message,
//! optionally on behalf of one of the user's own inboxes (R3).

use axum::extract::State;
use axum::http::StatusCode;
use careinbox_domain::{Error, InboxId, MessageBody, Subject, UserId};
use careinbox_service::NewConversation;
use careinbox_service::storage::{DirectoryUser, InboxRow};
use maud::{Markup, html};
use uuid::Uuid;

use super::{html, see_other};
use crate::Web;
use crate::error::{PageResult, message, shown_on_form};
use crate::form::{Fields, Posted, Query};
use crate::i18n::Lang;
use crate::layout::{Place, Shell, csrf_field, notice};
use crate::session::Viewer;

/// A chosen recipient, written `user:<id>` or `inbox:<id>` in links and
/// forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Recipient {
    User(UserId),
    Inbox(InboxId),
}

impl Recipient {
    fn parse(raw: &str) -> Option<Recipient> {
        let (kind, id) = raw.split_once(':')?;
        let id = Uuid::parse_str(id).ok()?;
        match kind {
            "user" => Some(Recipient::User(UserId(id))),
            "inbox" => Some(Recipient::Inbox(InboxId(id))),
            _ => None,
        }
    }

    fn code(self) -> String {
        match self {
            Recipient::User(id) => format!("user:{id}"),
            Recipient::Inbox(id) => format!("inbox:{id}"),
        }
    }
}

/// What the form holds so far, from the query string or the posted form.
struct Draft {
    chosen: Vec<Recipient>,
    q: Option<String>,
    subject: String,
    body: String,
    from: Option<InboxId>,
}

impl Draft {
    fn of(fields: &Fields) -> Draft {
        let mut chosen = Vec::new();
        for recipient in fields.all("to").filter_map(Recipient::parse) {
            if !chosen.contains(&recipient) {
                chosen.push(recipient);
            }
        }
        let from = fields
            .get("from")
            .and_then(|raw| Uuid::parse_str(raw).ok())
            .map(InboxId);
        Draft {
            chosen,
            q: fields.get("q").map(str::to_owned),
            subject: fields.text("subject").to_owned(),
            body: fields.text("body").to_owned(),
            from,
        }
    }

    /// A link to this page with `chosen` as the recipients, scrolled to
    /// `part` (after choosing, the message form is next).
    fn href(&self, chosen: &[Recipient], part: &str) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for recipient in chosen {
            query.append_pair("to", &recipient.code());
        }
        if let Some(q) = &self.q {
            query.append_pair("q", q);
        }
        format!("/compose?{}#{part}", query.finish())
    }
}

pub async fn form(State(web): State<Web>, viewer: Viewer, Query(query): Query) -> PageResult {
    let draft = Draft::of(&query);
    page(&web, &viewer, &draft, None).await
}

pub async fn send(State(web): State<Web>, Posted { viewer, fields }: Posted) -> PageResult {
    let draft = Draft::of(&fields);
    let subject = Subject::parse("subject", &draft.subject);
    let body = MessageBody::parse(&draft.body);
    let started = match (subject, body) {
        (Ok(subject), Ok(body)) => {
            let new = NewConversation {
                subject,
                body,
                users: draft
                    .chosen
                    .iter()
                    .filter_map(|r| match r {
                        Recipient::User(id) => Some(*id),
                        Recipient::Inbox(_) => None,
                    })
                    .collect(),
                inboxes: draft
                    .chosen
                    .iter()
                    .filter_map(|r| match r {
                        Recipient::Inbox(id) => Some(*id),
                        Recipient::User(_) => None,
                    })
                    .collect(),
                from_inbox: draft.from,
            };
            web.service.start_conversation(&viewer.caller, new).await
        }
        (subject, body) => Err(Error::Invalid(
            subject.err().into_iter().chain(body.err()).collect(),
        )),
    };
    match started {
        Ok((id, _)) => {
            let back = draft
                .from
                .map_or_else(|| "personal".to_owned(), |i| i.to_string());
            Ok(see_other(&format!("/c/{id}?in={back}")))
        }
        Err(e) if shown_on_form(&e) => {
            let text = message(viewer.lang(), &e);
            let mut response = page(&web, &viewer, &draft, Some(text)).await?;
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(e) => Err(e.into()),
    }
}

async fn page(web: &Web, viewer: &Viewer, draft: &Draft, refusal: Option<String>) -> PageResult {
    let everyone = web.service.directory(&viewer.caller, "").await?;
    let found = match draft.q.as_deref().filter(|q| !q.trim().is_empty()) {
        Some(q) => Some(web.service.directory(&viewer.caller, q).await?),
        None => None,
    };
    let me = web.service.me(&viewer.caller).await?;

    let lang = viewer.lang();
    let own_inboxes: Vec<_> = me
        .inboxes
        .iter()
        .map(|(i, _)| i)
        .filter(|i| i.active)
        .collect();
    // Before a search, the inboxes are the useful overview (R13): partners
    // are asked to write to them. People are found by searching.
    let (users, inboxes) = match &found {
        Some((users, inboxes)) => (users.as_slice(), inboxes.as_slice()),
        None => (&[][..], everyone.1.as_slice()),
    };
    let main = html! {
        h1 { (lang.new_conversation()) }
        @if let Some(text) = &refusal { (notice(text, true)) }
        section .panel aria-labelledby="to-heading" {
            h2 #to-heading { (lang.to_whom()) }
            (chosen_list(lang, draft, &everyone, found.as_ref()))
            form .search method="get" action="/compose" role="search" {
                @for recipient in &draft.chosen {
                    input type="hidden" name="to" value=(recipient.code());
                }
                label for="q" { (lang.search_directory()) }
                div .search-row {
                    input #q type="search" name="q" value=(draft.q.as_deref().unwrap_or(""))
                        autocomplete="off";
                    button .secondary type="submit" { (lang.search()) }
                }
            }
            @if found.is_some() && users.is_empty() && inboxes.is_empty() {
                p .empty { (lang.nobody_found()) }
            }
            @if !inboxes.is_empty() {
                h3 { (lang.shared_inboxes()) }
                ul .cards {
                    @for inbox in inboxes { (inbox_card(lang, draft, inbox)) }
                }
            }
            @if !users.is_empty() {
                h3 { (lang.professionals()) }
                ul .results {
                    @for user in users { (person_row(lang, draft, user)) }
                }
            }
        }
        section .panel aria-labelledby="message-heading" {
            h2 #message-heading { (lang.message()) }
            form .stack method="post" action="/compose" {
                (csrf_field(viewer))
                @for recipient in &draft.chosen {
                    input type="hidden" name="to" value=(recipient.code());
                }
                @if !draft.chosen.is_empty() {
                    p .to-line {
                        strong { (lang.to()) ": " }
                        (chosen_names(lang, draft, &everyone, found.as_ref()).join(", "))
                        " · "
                        a href="#to-heading" { (lang.change_recipients()) }
                    }
                }
                @if !own_inboxes.is_empty() {
                    label for="from" { (lang.send_from()) }
                    select #from name="from" aria-describedby="from-hint" {
                        option value="" { (lang.myself()) }
                        @for inbox in &own_inboxes {
                            option value=(inbox.id) selected[draft.from == Some(inbox.id)] {
                                (lang.on_behalf_of(&inbox.name))
                            }
                        }
                    }
                    p #from-hint .hint { (lang.send_from_hint()) }
                }
                label for="subject" { (lang.subject()) }
                input #subject type="text" name="subject" required maxlength="200"
                    value=(draft.subject) aria-describedby="subject-hint";
                p #subject-hint .hint { (lang.subject_hint()) }
                label for="body" { (lang.message()) }
                textarea #body name="body" rows="8" required { (draft.body) }
                div .actions {
                    button .primary type="submit" disabled[draft.chosen.is_empty()] {
                        (lang.send())
                    }
                    @if draft.chosen.is_empty() {
                        span .hint { (lang.choose_first()) }
                    }
                }
            }
        }
    };
    let shell = Shell {
        viewer,
        me: &me,
        place: Place::Compose,
        live: None,
    };
    Ok(html(
        StatusCode::OK,
        shell.render(lang.new_conversation(), main),
    ))
}

type Directory = (Vec<DirectoryUser>, Vec<InboxRow>);

/// The display name of each chosen recipient, in order.
fn chosen_names(
    lang: Lang,
    draft: &Draft,
    everyone: &Directory,
    found: Option<&Directory>,
) -> Vec<String> {
    let name = |recipient: Recipient| -> String {
        for (users, inboxes) in std::iter::once(everyone).chain(found) {
            let found = match recipient {
                Recipient::User(id) => users
                    .iter()
                    .find(|u| u.id == id)
                    .map(|u| format!("{} ({})", u.name, u.profession)),
                Recipient::Inbox(id) => inboxes
                    .iter()
                    .find(|i| i.id == id)
                    .map(|i| format!("{} ({})", i.name, i.team.name)),
            };
            if let Some(found) = found {
                return found;
            }
        }
        lang.unknown_recipient().to_owned()
    };
    draft.chosen.iter().map(|r| name(*r)).collect()
}

/// The chosen recipients, each with a link that takes them off the list.
fn chosen_list(
    lang: Lang,
    draft: &Draft,
    everyone: &Directory,
    found: Option<&Directory>,
) -> Markup {
    let names = chosen_names(lang, draft, everyone, found);
    html! {
        @if draft.chosen.is_empty() {
            p .hint { (lang.nobody_chosen()) }
        } @else {
            ul .chosen aria-label=(lang.chosen_recipients()) {
                @for (recipient, label) in draft.chosen.iter().zip(&names) {
                    @let others: Vec<Recipient> =
                        draft.chosen.iter().copied().filter(|r| r != recipient).collect();
                    li {
                        span { (label) }
                        a .remove href=(draft.href(&others, "to-heading"))
                            aria-label=(lang.remove_named(label)) {
                            "×"
                        }
                    }
                }
            }
        }
    }
}

/// An inbox with what it is for and when partners should write to it (R13).
fn inbox_card(lang: Lang, draft: &Draft, inbox: &InboxRow) -> Markup {
    let pick = Recipient::Inbox(inbox.id);
    let chosen = draft.chosen.contains(&pick);
    let mut with = draft.chosen.clone();
    with.push(pick);
    html! {
        li .card {
            div .card-head {
                div .who {
                    span .name { (inbox.name) }
                    span .team { (inbox.team.name) }
                }
                @if chosen {
                    span .already { (lang.chosen()) }
                } @else {
                    a .button .secondary href=(draft.href(&with, "message-heading"))
                        aria-label=(lang.choose_named(&inbox.name)) {
                        (lang.choose())
                    }
                }
            }
            @if !inbox.description.is_empty() {
                p .desc { (inbox.description) }
            }
            @if !inbox.guidelines.is_empty() {
                div .guidelines {
                    strong { (lang.guidelines()) }
                    p { (inbox.guidelines) }
                }
            }
        }
    }
}

fn person_row(lang: Lang, draft: &Draft, user: &DirectoryUser) -> Markup {
    let pick = Recipient::User(user.id);
    let chosen = draft.chosen.contains(&pick);
    let mut with = draft.chosen.clone();
    with.push(pick);
    let teams: Vec<&str> = user.teams.iter().map(|t| t.name.as_str()).collect();
    html! {
        li {
            div .who {
                span .name { (user.name) }
                span .team { (user.profession) " · " (teams.join(", ")) }
            }
            @if chosen {
                span .already { (lang.chosen()) }
            } @else {
                a .button .secondary href=(draft.href(&with, "message-heading"))
                    aria-label=(lang.choose_named(&user.name)) {
                    (lang.choose())
                }
            }
        }
    }
}
