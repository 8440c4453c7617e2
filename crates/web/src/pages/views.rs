//! The views a member lives in: Persoonlijk (direct participations) and each
//! shared inbox's view, each with its active and archived list, newest
//! activity first, a page at a time (R9, R10, R14). Each row says who the
//! conversation is with: the partner teams, and the colleagues linked to it.

use std::collections::HashSet;

use axum::extract::State;
use careinbox_domain::{ConversationId, Error, InboxId, TeamId, UserId, View};
use careinbox_service::storage::ViewRow;
use careinbox_service::{Me, Page, parse_cursor};
use maud::{Markup, html};
use uuid::Uuid;

use super::ok;
use crate::error::PageResult;
use crate::form::{Fields, Ids, Query};
use crate::i18n::Lang;
use crate::layout::{Live, Place, Shell, csrf_field, notice};
use crate::session::Viewer;
use crate::{Web, clock};

/// Conversations per page of a list: enough to fill a screen, few enough to
/// keep the page small.
const PAGE_SIZE: u32 = 25;

/// Names a row spells out before it says "+3": two fit on a phone's line.
const NAMES_SHOWN: usize = 2;

/// Which view a list or a conversation page belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViewKey {
    Personal,
    Inbox(InboxId),
}

impl ViewKey {
    /// As written in links and forms: `personal` or the inbox id.
    pub fn code(self) -> String {
        match self {
            ViewKey::Personal => "personal".to_owned(),
            ViewKey::Inbox(id) => id.to_string(),
        }
    }

    pub fn parse(raw: Option<&str>) -> Option<ViewKey> {
        match raw? {
            "personal" => Some(ViewKey::Personal),
            other => Uuid::parse_str(other)
                .ok()
                .map(|id| ViewKey::Inbox(InboxId(id))),
        }
    }

    /// The list page of this view.
    pub fn href(self, archived: bool) -> String {
        let base = match self {
            ViewKey::Personal => "/".to_owned(),
            ViewKey::Inbox(id) => format!("/inbox/{id}"),
        };
        if archived {
            format!("{base}?view=archived")
        } else {
            base
        }
    }

    /// The view's name as the left column shows it.
    pub fn name(self, lang: Lang, me: &Me) -> String {
        match self {
            ViewKey::Personal => lang.personal().to_owned(),
            ViewKey::Inbox(id) => me
                .inboxes
                .iter()
                .find(|(i, _)| i.id == id)
                .map_or_else(|| lang.shared_inbox().to_owned(), |(i, _)| i.name.clone()),
        }
    }
}

pub async fn personal(State(web): State<Web>, viewer: Viewer, Query(query): Query) -> PageResult {
    let archived = query.get("view") == Some("archived");
    let view = if archived {
        View::Archived
    } else {
        View::Active
    };
    let cursor = parse_cursor(query.get("cursor")).unwrap_or(None);

    let page = web
        .service
        .personal_view(&viewer.caller, view, cursor, Some(PAGE_SIZE))
        .await?;
    let me = web.service.me(&viewer.caller).await?;
    let circle = Circle::of(&web, &viewer, &me).await?;

    let list = List {
        key: ViewKey::Personal,
        archived,
        page: &page,
        circle: &circle,
    };
    Ok(ok(list_page(&viewer, &me, &list, &query)))
}

pub async fn inbox(
    State(web): State<Web>,
    Ids(inbox): Ids<Uuid>,
    viewer: Viewer,
    Query(query): Query,
) -> PageResult {
    let inbox = InboxId(inbox);
    let archived = query.get("view") == Some("archived");
    let view = if archived {
        View::Archived
    } else {
        View::Active
    };
    let cursor = parse_cursor(query.get("cursor")).unwrap_or(None);

    let page = web
        .service
        .inbox_view(&viewer.caller, inbox, view, cursor, Some(PAGE_SIZE))
        .await;
    // Staff of the team who are not members may not see the view; to them
    // it is as absent as to anyone else.
    let page = page.map_err(|e| {
        if let Error::Forbidden(_) = e {
            Error::NotFound
        } else {
            e
        }
    })?;
    let me = web.service.me(&viewer.caller).await?;
    let circle = Circle::of(&web, &viewer, &me).await?;

    let list = List {
        key: ViewKey::Inbox(inbox),
        archived,
        page: &page,
        circle: &circle,
    };
    Ok(ok(list_page(&viewer, &me, &list, &query)))
}

/// The left column with fresh unread counts, for the live-update script.
pub async fn nav(State(web): State<Web>, viewer: Viewer) -> PageResult {
    let me = web.service.me(&viewer.caller).await?;

    let shell = Shell {
        viewer: &viewer,
        me: &me,
        place: Place::Elsewhere,
        live: None,
    };
    Ok(ok(shell.nav()))
}

/// The viewer's own side: their teams and the staff of those teams. A list
/// row names whoever is outside it as the partner, and whoever is inside it
/// as a colleague.
struct Circle {
    user: UserId,
    teams: Vec<TeamId>,
    staff: HashSet<UserId>,
}

impl Circle {
    async fn of(web: &Web, viewer: &Viewer, me: &Me) -> PageResult<Circle> {
        let teams: Vec<TeamId> = me.teams.iter().map(|t| t.team.id).collect();
        let mut staff = HashSet::new();
        for team in &teams {
            let rows = web.service.team_staff(&viewer.caller, *team).await?;
            staff.extend(rows.into_iter().map(|s| s.user));
        }
        Ok(Circle {
            user: viewer.caller.user,
            teams,
            staff,
        })
    }

    /// The teams taking part other than the viewer's own.
    fn partners<'r>(&self, row: &'r ViewRow) -> Vec<&'r str> {
        let others = row.teams.iter().filter(|t| !self.teams.contains(&t.id));
        others.map(|t| t.name.as_str()).collect()
    }

    /// The viewer's colleagues taking part, each once (a colleague may take
    /// part through more than one source), without the viewer.
    fn colleagues<'r>(&self, row: &'r ViewRow) -> Vec<&'r str> {
        let mut seen = HashSet::new();
        row.participants
            .iter()
            .filter(|p| p.user != self.user && self.staff.contains(&p.user))
            .filter(|p| seen.insert(p.user))
            .map(|p| p.name.as_str())
            .collect()
    }
}

/// What a list page shows: which view, which tab, and the page of rows.
struct List<'a> {
    key: ViewKey,
    archived: bool,
    page: &'a Page<ViewRow>,
    circle: &'a Circle,
}

fn list_page(viewer: &Viewer, me: &Me, list: &List, query: &Fields) -> Markup {
    let List {
        key,
        archived,
        page,
        ..
    } = *list;
    let lang = viewer.lang();
    let name = key.name(lang, me);
    let place = match key {
        ViewKey::Personal => Place::Personal,
        ViewKey::Inbox(id) => Place::Inbox(id),
    };
    let mine = match key {
        ViewKey::Inbox(id) => me.inboxes.iter().find(|(i, _)| i.id == id).map(|(i, _)| i),
        ViewKey::Personal => None,
    };
    let tab = |is_archive: bool| (archived == is_archive).then_some("page");
    let first_page = query.get("cursor").is_some();
    let now = clock::now_us();

    let main = html! {
        header .view-head {
            div {
                h1 { (name) }
                @if let Some(inbox) = mine {
                    p .sub { (inbox.team.name) }
                }
            }
            @if let Some(inbox) = mine.filter(|i| i.manager) {
                a .button .secondary href={ "/beheer/inbox/" (inbox.id) } { (lang.manage_inbox()) }
            }
        }
        nav .tabs aria-label=(lang.active_or_archive()) {
            a href=(key.href(false)) aria-current=[tab(false)] { (lang.active()) }
            a href=(key.href(true)) aria-current=[tab(true)] { (lang.archive()) }
        }
        (done_notice(viewer, key, &name, query))
        div #list {
            @if page.items.is_empty() {
                p .empty {
                    @if archived { (lang.archive_empty()) } @else { (lang.view_empty()) }
                }
            } @else {
                ul .conversations {
                    @for row in &page.items {
                        (list_row(viewer, list, row, now))
                    }
                }
            }
            @if first_page || page.next_cursor.is_some() {
                nav .pager aria-label=(lang.pages()) {
                    @if first_page {
                        a href=(key.href(archived)) { (lang.newest()) }
                    }
                    @if let Some(cursor) = page.next_cursor {
                        @let join = if archived { "&" } else { "?" };
                        a href={ (key.href(archived)) (join) "cursor=" (cursor) } {
                            (lang.older())
                        }
                    }
                }
            }
        }
    };
    let shell = Shell {
        viewer,
        me,
        place,
        live: Some(Live::List),
    };
    shell.render(&name, main)
}

/// One conversation in a list: subject, who it is with, last activity and
/// the unread marker (a dot and bold type, and words for screen readers).
/// The link leads to the conversation in this view; which of the viewer's
/// views have it archived, the conversation page finds out for itself.
fn list_row(viewer: &Viewer, list: &List, row: &ViewRow, now: i64) -> Markup {
    let lang = viewer.lang();
    let c = &row.conversation;
    let href = format!("/c/{}?in={}", c.id, list.key.code());
    html! {
        li .row .unread[row.unread] {
            a .row-link href=(href) {
                span .dot aria-hidden="true" {}
                span .subject {
                    (c.subject)
                    @if row.unread { span .vh { " (" (lang.unread()) ")" } }
                }
                (company(lang, list.circle, row))
                time .when datetime=(clock::machine(c.last_message_at)) {
                    (clock::short(lang, c.last_message_at, now))
                }
            }
            @if list.archived {
                (restore_form(viewer, list.key, c.id, "list"))
            }
        }
    }
}

/// Who a conversation is with: the partner teams, or "within your team"
/// when there is none, then the linked colleagues, a few by name and the
/// rest as a number ("Carla Smit, Daan Bakker +3"). Screen readers hear
/// what each part is, and "and 3 others" rather than "+3".
fn company(lang: Lang, circle: &Circle, row: &ViewRow) -> Markup {
    let partners = circle.partners(row);
    let colleagues = circle.colleagues(row);
    // Pointing at a shortened list shows every name.
    let all = (colleagues.len() > NAMES_SHOWN).then(|| colleagues.join(", "));
    html! {
        span .meta {
            @if partners.is_empty() {
                span .partner { (lang.within_team()) }
            } @else {
                span .partner {
                    span .vh { (lang.partner_team()) " " }
                    (few(lang, &partners))
                }
            }
            @if !colleagues.is_empty() {
                span aria-hidden="true" { " · " }
                span .vh { ", " }
                span .colleagues title=[all] {
                    (lang.with()) " " (few(lang, &colleagues))
                }
            }
        }
    }
}

/// The first names of a list and how many more there are.
fn few(lang: Lang, names: &[&str]) -> Markup {
    let shown = names.len().min(NAMES_SHOWN);
    let rest = names.len() - shown;
    html! {
        (names[..shown].join(", "))
        @if rest > 0 {
            span aria-hidden="true" { " +" (rest) }
            span .vh { " " (lang.and_others(rest)) }
        }
    }
}

/// The button that brings a conversation back to a view's active list.
pub fn restore_form(viewer: &Viewer, key: ViewKey, c: ConversationId, back: &str) -> Markup {
    let lang = viewer.lang();
    html! {
        form .inline method="post" action={ "/c/" (c) "/archive" } {
            (csrf_field(viewer))
            input type="hidden" name="view" value=(key.code());
            input type="hidden" name="archived" value="0";
            input type="hidden" name="back" value=(back);
            button .secondary type="submit" { (lang.restore()) }
        }
    }
}

/// The confirmation after archiving or restoring, with a way back.
fn done_notice(viewer: &Viewer, key: ViewKey, name: &str, query: &Fields) -> Markup {
    let lang = viewer.lang();
    let conversation = query
        .get("c")
        .and_then(|raw| Uuid::parse_str(raw).ok())
        .map(ConversationId);
    match (query.get("done"), conversation) {
        (Some("archived"), Some(c)) => html! {
            div .notice role="status" {
                span { (lang.archived_in(name)) }
                " "
                (restore_form(viewer, key, c, "list"))
            }
        },
        (Some("restored"), Some(_)) => notice(&lang.restored_in(name), false),
        _ => html! {},
    }
}
