//! A conversation: its timeline of messages and system events, who is linked
//! and through which inbox (each participation's source), the reply box,
//! sharing a file and downloading shared ones (participants only, R15),
//! adding a participant (R7, with R8's refusal as a sentence), archiving in
//! an inbox or personally (R9, R10), for each of the caller's views that
//! holds it. Opening it marks it read (R14) when there is something unread.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use careinbox_domain::{
    AttachmentId, ContentType, ConversationId, Error, FieldError, FileName, InboxId, MessageBody,
    UserId,
};
use careinbox_service::storage::{
    AttachmentMeta, AttachmentRow, DirectoryUser, InboxRow, ParticipantRow, TimelineKind,
    TimelineRow, ViewOf,
};
use careinbox_service::{ConversationDetail, Me, NewParticipant};
use maud::{Markup, html};
use uuid::Uuid;

use super::views::ViewKey;
use super::{html, see_other};
use crate::error::{PageResult, message, shown_on_form};
use crate::form::{FILE_FIELD, Fields, Ids, Posted, Query, Uploaded, UploadedFile};
use crate::i18n::Lang;
use crate::layout::{Live, Place, Shell, csrf_field, notice};
use crate::session::Viewer;
use crate::{Web, clock};

/// Timeline items shown at first; earlier ones are a link away, so that a
/// long conversation still loads quickly.
const SHOWN_ITEMS: usize = 50;

/// Timeline items fetched per call of the use case.
const FETCH_SIZE: u32 = 100;

/// The most timeline items one page will gather.
const MAX_ITEMS: usize = 5000;

pub async fn show(
    State(web): State<Web>,
    Ids(c): Ids<Uuid>,
    viewer: Viewer,
    Query(query): Query,
) -> PageResult {
    page(&web, &viewer, ConversationId(c), &query, None).await
}

/// The timeline items after `seq`, as list items for the live-update script
/// to append. With `read=1` (the page is in view) they count as read.
pub async fn since(
    State(web): State<Web>,
    Ids((c, seq)): Ids<(Uuid, i64)>,
    viewer: Viewer,
    Query(query): Query,
) -> PageResult {
    let c = ConversationId(c);
    let items = web
        .service
        .timeline(&viewer.caller, c, Some(seq.max(0)), Some(FETCH_SIZE))
        .await?;
    let last = last_message(&items.items);
    if let Some(last) = last.filter(|_| query.get("read") == Some("1")) {
        web.service.mark_read(&viewer.caller, c, last).await?;
    }

    let fragment = html! {
        @for item in &items.items { (timeline_item(viewer.lang(), &viewer, c, item)) }
    };
    Ok(html(StatusCode::OK, fragment))
}

pub async fn reply(
    State(web): State<Web>,
    Ids(c): Ids<Uuid>,
    Posted { viewer, fields }: Posted,
) -> PageResult {
    let c = ConversationId(c);
    let posted = match MessageBody::parse(fields.text("body")) {
        Ok(body) => web.service.post_message(&viewer.caller, c, body).await,
        Err(e) => Err(Error::Invalid(vec![e])),
    };
    match posted {
        Ok(message) => {
            let back = context(&fields);
            Ok(see_other(&format!("/c/{c}{back}#m-{message}")))
        }
        Err(e) if shown_on_form(&e) => refused(&web, &viewer, c, &fields, &e).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn add_participant(
    State(web): State<Web>,
    Ids(c): Ids<Uuid>,
    Posted { viewer, fields }: Posted,
) -> PageResult {
    let c = ConversationId(c);
    let who = match (fields.get("user"), fields.get("inbox")) {
        (Some(_), None) => NewParticipant::User(UserId(fields.id("user")?)),
        (None, Some(_)) => NewParticipant::Inbox(InboxId(fields.id("inbox")?)),
        _ => return Err(Error::invalid("user", "give either user or inbox").into()),
    };
    match web.service.add_participant(&viewer.caller, c, who).await {
        Ok(()) => {
            let back = context(&fields);
            Ok(see_other(&format!("/c/{c}{back}#participants")))
        }
        Err(e) if shown_on_form(&e) => refused(&web, &viewer, c, &fields, &e).await,
        Err(e) => Err(e.into()),
    }
}

/// Shares a file in the conversation (R15): it shows as a message naming
/// the file, with a link to it.
pub async fn share_file(
    State(web): State<Web>,
    Ids(c): Ids<Uuid>,
    Uploaded {
        viewer,
        fields,
        file,
    }: Uploaded,
) -> PageResult {
    let c = ConversationId(c);
    let shared = match parse_file(file) {
        Ok((name, kind, data)) => {
            let caller = &viewer.caller;
            web.service
                .post_attachment(caller, c, name, kind, data)
                .await
        }
        Err(e) => Err(Error::Invalid(vec![e])),
    };
    match shared {
        Ok((message, _)) => {
            let back = context(&fields);
            Ok(see_other(&format!("/c/{c}{back}#m-{message}")))
        }
        Err(e) if shown_on_form(&e) => refused(&web, &viewer, c, &fields, &e).await,
        Err(e) => Err(e.into()),
    }
}

/// The sent file as domain values. A form sent without a file chosen has
/// an empty name, so both cases ask for a file.
fn parse_file(file: Option<UploadedFile>) -> Result<(FileName, ContentType, Vec<u8>), FieldError> {
    // A file name's refusal names its field "name", which would read as a
    // person's or an inbox's name; on this form it is the file's.
    let file = file.ok_or(FieldError {
        field: "file_name",
        reason: "must name the file",
    })?;
    let name = FileName::parse(&file.name).map_err(|e| FieldError {
        field: "file_name",
        ..e
    })?;
    let kind = ContentType::parse(file.content_type.as_deref());
    Ok((name, kind, file.data.into()))
}

/// A shared file as a download, for participants only (R15); to anyone
/// else it does not exist. A file is found only under its own
/// conversation, so that no link shows one conversation's file under
/// another's address.
pub async fn shared_file(
    State(web): State<Web>,
    Ids((c, file)): Ids<(Uuid, Uuid)>,
    viewer: Viewer,
) -> PageResult {
    let file = web
        .service
        .attachment(&viewer.caller, AttachmentId(file))
        .await?;
    if file.conversation != ConversationId(c) {
        return Err(Error::NotFound.into());
    }

    Ok(download(file))
}

/// Always a download, never shown in our origin where it could run
/// script, and kept in no cache since it may be about a patient.
fn download(file: AttachmentRow) -> Response {
    let octets = HeaderValue::from_static("application/octet-stream");
    let kind = HeaderValue::from_str(&file.meta.content_type).unwrap_or(octets);
    let disposition = format!(
        "attachment; filename*=UTF-8''{}",
        percent_encoded(&file.meta.name)
    );
    let disposition = HeaderValue::try_from(disposition)
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));

    let mut response = file.data.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, kind);
    headers.insert(header::CONTENT_DISPOSITION, disposition);
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    response
}

/// A file name for `filename*` (RFC 6266, RFC 8187): UTF-8 with every byte
/// but letters, digits and `.-_` percent-encoded, so that no name can break
/// out of the header.
fn percent_encoded(name: &str) -> String {
    name.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Archives in, or restores to, one of the caller's views: an inbox they
/// participate through (R9) or their personal view (R10).
pub async fn archive(
    State(web): State<Web>,
    Ids(c): Ids<Uuid>,
    Posted { viewer, fields }: Posted,
) -> PageResult {
    let c = ConversationId(c);
    let key = ViewKey::parse(fields.get("view")).ok_or(Error::NotFound)?;
    let archived = fields.get("archived") == Some("1");
    let view = match key {
        ViewKey::Personal => ViewOf::Personal,
        ViewKey::Inbox(id) => ViewOf::Inbox(id),
    };
    if let Err(e) = web
        .service
        .set_archived(&viewer.caller, c, view, archived)
        .await
    {
        return if shown_on_form(&e) {
            refused(&web, &viewer, c, &fields, &e).await
        } else {
            Err(e.into())
        };
    }

    let target = match (archived, fields.get("back")) {
        (true, _) => format!("{}?done=archived&c={c}", key.href(false)),
        (false, Some("list")) => format!("{}&done=restored&c={c}", key.href(true)),
        (false, _) => format!("/c/{c}?in={}", key.code()),
    };
    Ok(see_other(&target))
}

/// The conversation page again, with the refusal said at the top.
async fn refused(
    web: &Web,
    viewer: &Viewer,
    c: ConversationId,
    fields: &Fields,
    e: &Error,
) -> PageResult {
    let text = message(viewer.lang(), e);
    let query = Fields::parse(context(fields).trim_start_matches('?').as_bytes());
    let mut response = page(web, viewer, c, &query, Some(text)).await?;
    *response.status_mut() = match e {
        Error::Conflict(_) => StatusCode::CONFLICT,
        Error::Forbidden(_) => StatusCode::FORBIDDEN,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    Ok(response)
}

/// `?in=<view>` to keep the view the conversation was opened from.
fn context(fields: &Fields) -> String {
    match ViewKey::parse(fields.get("in")) {
        Some(key) => format!("?in={}", key.code()),
        None => String::new(),
    }
}

async fn page(
    web: &Web,
    viewer: &Viewer,
    c: ConversationId,
    query: &Fields,
    refusal: Option<String>,
) -> PageResult<Response> {
    let detail = web.service.conversation(&viewer.caller, c).await?;
    let items = whole_timeline(web, viewer, c).await?;
    // Moving the read position writes an audit entry and tells every open
    // page of the caller; when nothing is unread there is nothing to move.
    let unread = detail.mine.iter().any(|own| own.unread);
    if let Some(last) = last_message(&items).filter(|_| unread) {
        web.service.mark_read(&viewer.caller, c, last).await?;
    }
    let found = match query.get("q") {
        Some(q) => Some(web.service.directory(&viewer.caller, q).await?),
        None => None,
    };
    let me = web.service.me(&viewer.caller).await?;

    let from = ViewKey::parse(query.get("in"));
    let place = match from {
        Some(ViewKey::Inbox(id)) => Place::Inbox(id),
        Some(ViewKey::Personal) => Place::Personal,
        None => Place::Elsewhere,
    };
    let lang = viewer.lang();
    let show_all = query.get("all") == Some("1");
    let hidden = if show_all {
        0
    } else {
        items.len().saturating_sub(SHOWN_ITEMS)
    };
    let last_seq = items.last().map_or(0, |i| i.seq);
    let context = Context {
        viewer,
        c,
        from,
        query,
    };

    let main = html! {
        header .conv-head {
            @if let Some(key) = from {
                a .back href=(key.href(archived_in(&detail, key))) {
                    "← " (lang.back_to(&key.name(lang, &me)))
                }
            }
            div .title-row {
                div {
                    h1 { (detail.conversation.subject) }
                    p .sub {
                        (lang.started_by()) " " (detail.conversation.started_by.name) ", "
                        time datetime=(clock::machine(detail.conversation.created_at)) {
                            (clock::long(lang, detail.conversation.created_at))
                        }
                    }
                }
                (archive_actions(&context, &detail, &me))
            }
        }
        @if let Some(text) = &refusal { (notice(text, true)) }
        div .conversation {
            section .timeline-wrap aria-labelledby="timeline-heading" {
                h2 #timeline-heading .vh { (lang.timeline()) }
                @if hidden > 0 {
                    p .earlier {
                        a href={ "/c/" (c) (context.query_with("all=1")) } {
                            (lang.show_earlier(hidden))
                        }
                    }
                }
                ol #timeline .timeline data-last-seq=(last_seq) {
                    @for item in &items[hidden..] { (timeline_item(lang, viewer, c, item)) }
                }
                div #access-lost .notice .refusal hidden role="alert" {
                    (lang.access_lost())
                }
                (reply_form(&context))
                (share_form(&context, web.settings.max_attachment_bytes))
            }
            aside .side {
                (participants(&context, &detail))
                (add_participant_panel(&context, &detail, found.as_ref()))
            }
        }
    };
    let shell = Shell {
        viewer,
        me: &me,
        place,
        live: Some(Live::Conversation(c)),
    };
    Ok(super::ok(shell.render(&detail.conversation.subject, main)))
}

/// What the parts of the page need to build their links and forms.
struct Context<'a> {
    viewer: &'a Viewer,
    c: ConversationId,
    from: Option<ViewKey>,
    query: &'a Fields,
}

impl Context<'_> {
    fn lang(&self) -> Lang {
        self.viewer.lang()
    }

    /// `?in=...&<extra>`: this page's link with one more field.
    fn query_with(&self, extra: &str) -> String {
        match self.from {
            Some(key) => format!("?in={}&{extra}", key.code()),
            None => format!("?{extra}"),
        }
    }

    fn hidden_context(&self) -> Markup {
        html! {
            (csrf_field(self.viewer))
            @if let Some(key) = self.from {
                input type="hidden" name="in" value=(key.code());
            }
        }
    }
}

/// Every timeline item, oldest first, gathered a page at a time.
async fn whole_timeline(
    web: &Web,
    viewer: &Viewer,
    c: ConversationId,
) -> PageResult<Vec<TimelineRow>> {
    let mut items = Vec::new();
    let mut after = None;
    loop {
        let page = web
            .service
            .timeline(&viewer.caller, c, after, Some(FETCH_SIZE))
            .await?;
        items.extend(page.items);
        match page.next_cursor {
            Some(cursor) if items.len() < MAX_ITEMS => after = Some(cursor),
            _ => return Ok(items),
        }
    }
}

fn last_message(items: &[TimelineRow]) -> Option<careinbox_domain::MessageId> {
    items.iter().rev().find_map(|item| match &item.kind {
        TimelineKind::Message { id, .. } => Some(*id),
        TimelineKind::Event { .. } => None,
    })
}

fn timeline_item(lang: Lang, viewer: &Viewer, c: ConversationId, item: &TimelineRow) -> Markup {
    let at = html! {
        time datetime=(clock::machine(item.at)) { (clock::long(lang, item.at)) }
    };
    match &item.kind {
        TimelineKind::Message {
            id,
            author,
            on_behalf_of,
            body,
            attachment,
        } => {
            let mine = author.id == viewer.caller.user;
            let announce = match attachment {
                Some(_) => lang.shared_a_file(&author.name),
                None => lang.new_message_from(&author.name),
            };
            html! {
                li .item .message .mine[mine] id={ "m-" (id) } data-seq=(item.seq)
                    data-announce=(announce) {
                    div .msg-head {
                        span .author { (author.name) }
                        @if let Some(inbox) = on_behalf_of {
                            span .behalf { (lang.on_behalf_of(&inbox.name)) }
                        }
                        (at)
                    }
                    @match attachment {
                        Some(file) => { (file_link(lang, c, file)) }
                        None => { div .body { (body) } }
                    }
                }
            }
        }
        TimelineKind::Event {
            event,
            actor,
            target_user,
            target_inbox,
            ..
        } => {
            let actor = actor.as_ref().map(|a| a.name.as_str());
            let user = target_user.as_ref().map(|u| u.name.as_str());
            let inbox = target_inbox.as_ref().map(|i| i.name.as_str());
            let text = lang.timeline_event(event, actor, user, inbox);
            html! {
                li .item .event id={ "e-" (item.seq) } data-seq=(item.seq) data-announce=(text) {
                    span { (text) } (at)
                }
            }
        }
    }
}

/// A shared file in the timeline: its name as the download link, then its
/// size and type. The message's text is the file's name, so it is not
/// repeated.
fn file_link(lang: Lang, c: ConversationId, file: &AttachmentMeta) -> Markup {
    let size = u64::try_from(file.size).unwrap_or(0);
    html! {
        p .file {
            a href={ "/c/" (c) "/bestand/" (file.id) } download { (file.name) }
            span .file-meta { (lang.file_size(size)) " · " (file.content_type) }
        }
    }
}

fn reply_form(cx: &Context) -> Markup {
    let lang = cx.lang();
    html! {
        form #reply .reply method="post" action={ "/c/" (cx.c) "/reply" } {
            (cx.hidden_context())
            label for="body" { (lang.reply()) }
            textarea #body name="body" rows="4" required {}
            div .actions {
                button .primary type="submit" { (lang.send()) }
            }
        }
    }
}

/// R15: a file for everyone in the conversation. The script refuses a file
/// over the limit before it is sent; the server refuses it in any case.
fn share_form(cx: &Context, limit: usize) -> Markup {
    let lang = cx.lang();
    html! {
        form #share .reply .share method="post" enctype="multipart/form-data"
            action={ "/c/" (cx.c) "/bestand" } {
            (cx.hidden_context())
            label for="file" { (lang.share_file()) }
            p #file-hint .hint { (lang.share_file_hint(limit)) }
            input #file type="file" name=(FILE_FIELD) required
                aria-describedby="file-hint" data-max-bytes=(limit)
                data-too-large=(lang.file_too_large(limit));
            div .actions {
                button .secondary type="submit" { (lang.share()) }
            }
        }
    }
}

/// Who is linked: the inboxes that are parties, and every participant with
/// the source of each participation ("direct", "via Assistenten De Linde").
fn participants(cx: &Context, detail: &ConversationDetail) -> Markup {
    let lang = cx.lang();
    let people = by_person(&detail.participants);
    let inbox_name = |id: InboxId| {
        let found = detail.inboxes.iter().find(|i| i.id == id);
        found.map_or_else(|| lang.shared_inbox().to_owned(), |i| i.name.clone())
    };
    html! {
        section #participants .panel aria-labelledby="participants-heading" {
            h2 #participants-heading { (lang.linked()) }
            @if detail.inboxes.is_empty() {
                p .hint { (lang.no_inboxes_linked()) }
            } @else {
                ul .linked {
                    @for inbox in &detail.inboxes {
                        li { span .name { (inbox.name) } span .team { (inbox.team.name) } }
                    }
                }
            }
            h3 { (lang.participants()) " (" (people.len()) ")" }
            ul .people {
                @for (first, sources) in &people {
                    li {
                        span .name {
                            (first.name)
                            @if first.user == cx.viewer.caller.user { " (" (lang.you()) ")" }
                        }
                        span .team { (first.profession) }
                        span .sources {
                            @for (n, via) in sources.iter().enumerate() {
                                @if n > 0 { ", " }
                                @match via {
                                    Some(inbox) => { (lang.via(&inbox_name(*inbox))) }
                                    None => { (lang.direct()) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Participations grouped per professional, in the order given (by name).
fn by_person(rows: &[ParticipantRow]) -> Vec<(&ParticipantRow, Vec<Option<InboxId>>)> {
    let mut people: Vec<(&ParticipantRow, Vec<Option<InboxId>>)> = Vec::new();
    for row in rows {
        match people.last_mut() {
            Some((first, sources)) if first.user == row.user => sources.push(row.via),
            _ => people.push((row, vec![row.via])),
        }
    }
    people
}

/// R7: search the directory, then add a professional or an inbox. Those who
/// already take part are shown as such instead of with a button (R8).
fn add_participant_panel(
    cx: &Context,
    detail: &ConversationDetail,
    found: Option<&(Vec<DirectoryUser>, Vec<InboxRow>)>,
) -> Markup {
    let lang = cx.lang();
    let q = cx.query.get("q").unwrap_or("");
    let action = format!("/c/{}/participants", cx.c);
    html! {
        section #add .panel aria-labelledby="add-heading" {
            h2 #add-heading { (lang.add_participant()) }
            p .hint { (lang.add_participant_hint()) }
            form .search method="get" action={ "/c/" (cx.c) "#add" } role="search" {
                @if let Some(key) = cx.from {
                    input type="hidden" name="in" value=(key.code());
                }
                label for="q" { (lang.search_directory()) }
                div .search-row {
                    input #q type="search" name="q" value=(q) autocomplete="off";
                    button .secondary type="submit" { (lang.search()) }
                }
            }
            @if let Some((users, inboxes)) = found {
                @if users.is_empty() && inboxes.is_empty() {
                    p .empty { (lang.nobody_found()) }
                }
                @if !inboxes.is_empty() {
                    h3 { (lang.shared_inboxes()) }
                    ul .results {
                        @for inbox in inboxes {
                            li {
                                div .who {
                                    span .name { (inbox.name) }
                                    span .team { (inbox.team.name) }
                                    @if !inbox.description.is_empty() {
                                        span .desc { (inbox.description) }
                                    }
                                }
                                @if detail.inboxes.iter().any(|i| i.id == inbox.id) {
                                    span .already { (lang.already_linked()) }
                                } @else {
                                    form method="post" action=(action) {
                                        (cx.hidden_context())
                                        input type="hidden" name="inbox" value=(inbox.id);
                                        button .secondary type="submit"
                                            aria-label=(lang.add_named(&inbox.name)) {
                                            (lang.add())
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                @if !users.is_empty() {
                    h3 { (lang.professionals()) }
                    ul .results {
                        @for user in users {
                            li {
                                div .who {
                                    span .name { (user.name) }
                                    span .team {
                                        (user.profession) " · "
                                        (team_names(user))
                                    }
                                }
                                @if detail.participants.iter().any(|p| p.user == user.id) {
                                    span .already { (lang.already_participates()) }
                                } @else {
                                    form method="post" action=(action) {
                                        (cx.hidden_context())
                                        input type="hidden" name="user" value=(user.id);
                                        button .secondary type="submit"
                                            aria-label=(lang.add_named(&user.name)) {
                                            (lang.add())
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
}

fn team_names(user: &DirectoryUser) -> String {
    let names: Vec<&str> = user.teams.iter().map(|t| t.name.as_str()).collect();
    names.join(", ")
}

/// Whether the caller's view `key` has the conversation in its archive, so
/// that the way back leads to the list it is on.
fn archived_in(detail: &ConversationDetail, key: ViewKey) -> bool {
    detail
        .mine
        .iter()
        .any(|own| view_of(own.via) == key && own.archived)
}

fn view_of(via: Option<InboxId>) -> ViewKey {
    match via {
        Some(inbox) => ViewKey::Inbox(inbox),
        None => ViewKey::Personal,
    }
}

/// R9 and R10: one button per view of the caller's that holds the
/// conversation (each inbox they take part through, and Persoonlijk when
/// they take part directly), archiving or restoring as that view's own
/// state says, whichever list the page was opened from. That view's button
/// comes first, then Persoonlijk, then the inboxes by name.
fn archive_actions(cx: &Context, detail: &ConversationDetail, me: &Me) -> Markup {
    let lang = cx.lang();
    let mut views: Vec<(ViewKey, String, bool)> = detail
        .mine
        .iter()
        .map(|own| {
            let key = view_of(own.via);
            (key, key.name(lang, me), own.archived)
        })
        .collect();
    views.sort_by_cached_key(|(key, name, _)| {
        (
            Some(*key) != cx.from,
            *key != ViewKey::Personal,
            name.clone(),
        )
    });
    html! {
        div .conv-actions {
            p #archive-hint .vh { (lang.archive_hint()) }
            @for (key, name, archived) in &views {
                @let (next, label) = if *archived {
                    ("0", lang.restore_in(name))
                } else {
                    ("1", lang.archive_in(name))
                };
                form method="post" action={ "/c/" (cx.c) "/archive" } {
                    (cx.hidden_context())
                    input type="hidden" name="view" value=(key.code());
                    input type="hidden" name="archived" value=(next);
                    input type="hidden" name="back" value="conversation";
                    button .secondary type="submit" title=(lang.archive_hint())
                        aria-describedby="archive-hint" { (label) }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe_in_the_download_header() {
        assert_eq!(percent_encoded("wond-foto_1.png"), "wond-foto_1.png");
        assert_eq!(percent_encoded("wond été.png"), "wond%20%C3%A9t%C3%A9.png");
        assert_eq!(percent_encoded("a\"; b=c"), "a%22%3B%20b%3Dc");
    }
}
