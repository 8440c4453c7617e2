//! The frame around every page: the document head, the top bar, the left
//! column with Persoonlijk and the user's shared inboxes (each with its
//! unread count, R14), and the footer with the language switch.

use careinbox_domain::{ConversationId, InboxId, TeamRole};
use careinbox_service::Me;
use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::assets;
use crate::i18n::Lang;
use crate::session::{CSRF_FIELD, Viewer};

/// Where in the application a page is, to mark it in the left column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Personal,
    Inbox(InboxId),
    Compose,
    Manage,
    Elsewhere,
}

/// What the page's script should follow on the event stream.
#[derive(Debug, Clone, Copy)]
pub enum Live {
    /// Refresh the list and the counts when something changes.
    List,
    /// Append new timeline items of this conversation as they come.
    Conversation(ConversationId),
}

/// A page of a logged-in professional.
pub struct Shell<'a> {
    pub viewer: &'a Viewer,
    pub me: &'a Me,
    pub place: Place,
    pub live: Option<Live>,
}

impl Shell<'_> {
    pub fn render(&self, title: &str, main: Markup) -> Markup {
        let lang = self.viewer.lang();
        let (live, conversation) = match self.live {
            Some(Live::List) => (Some("list"), None),
            Some(Live::Conversation(c)) => (Some("conversation"), Some(c.to_string())),
            None => (None, None),
        };
        html! {
            (DOCTYPE)
            html lang=(lang.code()) {
                (head(title))
                body data-live=[live] data-conversation=[conversation] {
                    a .skip href="#main" { (lang.skip_to_content()) }
                    (self.top_bar())
                    div .frame {
                        (self.nav())
                        main #main tabindex="-1" { (main) }
                    }
                    (footer(lang, &self.viewer.visit.path))
                    div #live-status .vh role="status" aria-live="polite" {}
                }
            }
        }
    }

    fn top_bar(&self) -> Markup {
        let lang = self.viewer.lang();
        let user = &self.me.user;
        html! {
            header .top {
                a .brand href="/" { (brand_mark()) span { "careinbox" } }
                div .account {
                    span .name { (user.name) }
                    span .profession { (user.profession) }
                    form method="post" action="/logout" {
                        (csrf_field(self.viewer))
                        button .link type="submit" { (lang.log_out()) }
                    }
                }
            }
        }
    }

    /// The left column alone, for the live-update script.
    pub fn nav(&self) -> Markup {
        let lang = self.viewer.lang();
        let current = |place: Place| (self.place == place).then_some("page");
        let manages = self.me.inboxes.iter().any(|(i, _)| i.manager)
            || self.me.teams.iter().any(|t| t.role == TeamRole::Admin);
        html! {
            nav #nav aria-label=(lang.views_label()) {
                a .button .primary .compose href="/compose" aria-current=[current(Place::Compose)] {
                    (lang.new_conversation())
                }
                ul .views {
                    li {
                        a href="/" aria-current=[current(Place::Personal)] {
                            span .view-name { (lang.personal()) }
                            (count(lang, self.me.personal_unread))
                        }
                    }
                }
                @if !self.me.inboxes.is_empty() {
                    h2 .views-heading { (lang.shared_inboxes()) }
                    ul .views {
                        @for (inbox, unread) in &self.me.inboxes {
                            li {
                                a href={ "/inbox/" (inbox.id) }
                                    aria-current=[current(Place::Inbox(inbox.id))] {
                                    span .view-name {
                                        (inbox.name)
                                        span .team { (inbox.team.name) }
                                        @if !inbox.active {
                                            span .team { (lang.deactivated()) }
                                        }
                                    }
                                    (count(lang, *unread))
                                }
                            }
                        }
                    }
                }
                @if manages {
                    a .manage href="/beheer" aria-current=[current(Place::Manage)] {
                        (lang.management())
                    }
                }
            }
        }
    }
}

/// An unread count badge, read out as "3 unread conversations".
fn count(lang: Lang, n: i64) -> Markup {
    html! {
        @if n > 0 {
            span .count {
                (n)
                span .vh { " " (lang.unread_conversations()) }
            }
        }
    }
}

fn head(title: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            meta name="color-scheme" content="light";
            title { (title) " · careinbox" }
            link rel="stylesheet" href=(assets::url("style.css"));
            link rel="icon" href=(assets::url("icon.svg")) type="image/svg+xml";
            script src=(assets::url("live.js")) defer {}
        }
    }
}

/// A page without the left column: login and error pages.
pub fn bare(lang: Lang, title: &str, main: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            (head(title))
            body .bare {
                header .top {
                    a .brand href="/" { (brand_mark()) span { "careinbox" } }
                }
                (main)
            }
        }
    }
}

/// The footer with the switch to the other language.
pub fn footer(lang: Lang, path: &str) -> Markup {
    let other = lang.other();
    let next: String = form_urlencoded::byte_serialize(path.as_bytes()).collect();
    html! {
        footer .foot {
            a href={ "/lang/" (other.code()) "?next=" (next) }
                lang=(other.code()) hreflang=(other.code()) {
                (other.own_name())
            }
        }
    }
}

/// The hidden field every form of a logged-in page carries.
pub fn csrf_field(viewer: &Viewer) -> Markup {
    html! { input type="hidden" name=(CSRF_FIELD) value=(viewer.csrf); }
}

/// A notice at the top of a page: `role="alert"` for refusals, so a screen
/// reader reads it at once, `role="status"` for confirmations.
pub fn notice(text: &str, refusal: bool) -> Markup {
    let (class, role) = if refusal {
        ("notice refusal", "alert")
    } else {
        ("notice", "status")
    };
    html! { p class=(class) role=(role) { (text) } }
}

/// The small envelope mark next to the name; decorative.
fn brand_mark() -> Markup {
    PreEscaped(
        concat!(
            r#"<svg aria-hidden="true" width="22" height="22" viewBox="0 0 24 24">"#,
            r#"<rect x="2" y="5" width="20" height="14" rx="3" fill="none""#,
            r#" stroke="currentColor" stroke-width="2"/>"#,
            r#"<path d="M3 7l9 6 9-6" fill="none" stroke="currentColor""#,
            r#" stroke-width="2"/></svg>"#,
        )
        .to_owned(),
    )
}
