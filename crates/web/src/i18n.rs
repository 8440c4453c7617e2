//! The words on the pages, in Dutch (the default) and English. Fixed texts
//! are one line each in the table below, so the two languages are read side
//! by side; texts with names in them are functions further down.

use careinbox_domain::{Conflict, FieldError};
use time::{Month, Weekday};

/// The language of a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Nl,
    En,
}

impl Lang {
    /// The code used in `lang` attributes, links and the `lang` cookie.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "nl" => Some(Lang::Nl),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The browser's preferred language among ours: the first of Dutch or
    /// English in order of preference, Dutch when it names neither.
    pub fn from_accept_language(header: Option<&str>) -> Lang {
        let Some(header) = header else {
            return Lang::Nl;
        };
        let mut ranked: Vec<(f32, usize, &str)> = header
            .split(',')
            .enumerate()
            .filter_map(|(order, part)| {
                let mut pieces = part.split(';');
                let tag = pieces.next()?.trim();
                let quality = pieces
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .unwrap_or(1.0);
                Some((quality, order, tag))
            })
            .filter(|(quality, _, _)| *quality > 0.0)
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        ranked
            .iter()
            .find_map(|(_, _, tag)| {
                let primary = tag.split('-').next().unwrap_or("").to_ascii_lowercase();
                Lang::from_code(&primary)
            })
            .unwrap_or(Lang::Nl)
    }

    /// The other language, offered in the footer.
    pub fn other(self) -> Lang {
        match self {
            Lang::Nl => Lang::En,
            Lang::En => Lang::Nl,
        }
    }

    /// The language's name in itself, for the switch.
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::Nl => "Nederlands",
            Lang::En => "English",
        }
    }
}

macro_rules! texts {
    ($($name:ident: $nl:expr, $en:expr;)*) => {
        impl Lang {
            $(
                pub fn $name(self) -> &'static str {
                    match self {
                        Lang::Nl => $nl,
                        Lang::En => $en,
                    }
                }
            )*
        }
    };
}

texts! {
    skip_to_content: "Naar de inhoud", "Skip to content";
    log_in: "Inloggen", "Log in";
    log_out: "Uitloggen", "Log out";
    login_hint:
        "Log in met je persoonlijke account. Een gezamenlijke inbox heeft geen eigen account: \
         berichten aan de inbox komen bij elk lid binnen.",
        "Log in with your personal account. A shared inbox has no account of its own: messages \
         to the inbox reach each of its members.";
    login_failed:
        "Het e-mailadres of het wachtwoord klopt niet.",
        "The email address or the password is not right.";
    email: "E-mailadres", "Email address";
    password: "Wachtwoord", "Password";
    views_label: "Postvakken", "Views";
    new_conversation: "Nieuw gesprek", "New conversation";
    personal: "Persoonlijk", "Personal";
    shared_inbox: "Gezamenlijke inbox", "Shared inbox";
    shared_inboxes: "Gezamenlijke inboxen", "Shared inboxes";
    deactivated: "gedeactiveerd", "deactivated";
    management: "Beheer", "Management";
    unread_conversations:
        "gesprekken met ongelezen berichten",
        "conversations with unread messages";
    not_found_title: "Niet gevonden", "Not found";
    not_found_text:
        "Deze pagina bestaat niet, of je hebt er geen toegang toe.",
        "This page does not exist, or you have no access to it.";
    refused_title: "Dat lukte niet", "That did not work";
    cross_site_text:
        "Dit formulier kwam niet van een pagina van careinbox, of je sessie is intussen \
         vernieuwd. Ga terug, laad de pagina opnieuw en probeer het nog eens.",
        "This form did not come from a careinbox page, or your session was renewed meanwhile. \
         Go back, reload the page and try again.";
    broken_title: "Er ging iets mis", "Something went wrong";
    broken_text:
        "Er ging aan onze kant iets mis. Probeer het over een paar minuten opnieuw.",
        "Something went wrong on our side. Please try again in a few minutes.";
    back_to_start: "Naar het begin", "Back to the start";
    rate_limited_text:
        "Te veel verzoeken in korte tijd. Probeer het over een minuut opnieuw.",
        "Too many requests in a short time. Please try again in a minute.";
    malformed_text:
        "Het verzoek was niet compleet. Laad de pagina opnieuw en probeer het nog eens.",
        "The request was incomplete. Reload the page and try again.";
    manage_inbox: "Inbox beheren", "Manage inbox";
    active_or_archive: "Actief of archief", "Active or archive";
    active: "Actief", "Active";
    archive: "Archief", "Archive";
    archive_empty: "Dit archief is leeg.", "This archive is empty.";
    view_empty:
        "Geen actieve gesprekken. Nieuwe berichten verschijnen hier vanzelf.",
        "No active conversations. New messages appear here by themselves.";
    pages: "Pagina's", "Pages";
    newest: "Nieuwste gesprekken", "Newest conversations";
    older: "Oudere gesprekken", "Older conversations";
    unread: "ongelezen", "unread";
    started_by: "Gestart door", "Started by";
    partner_team: "Partnerteam", "Partner team";
    within_team: "Binnen je team", "Within your team";
    with: "met", "with";
    restore: "Terugzetten", "Restore";
    timeline: "Tijdlijn", "Timeline";
    access_lost:
        "Je hebt geen toegang meer tot dit gesprek.",
        "You no longer have access to this conversation.";
    reply: "Antwoord", "Reply";
    send: "Versturen", "Send";
    share_file: "Bestand delen", "Share a file";
    share: "Delen", "Share";
    linked: "Gekoppeld", "Linked";
    no_inboxes_linked: "Geen gezamenlijke inbox gekoppeld.", "No shared inbox is linked.";
    participants: "Deelnemers", "Participants";
    you: "jij", "you";
    direct: "direct", "direct";
    add_participant: "Deelnemer toevoegen", "Add a participant";
    add_participant_hint:
        "Voeg een zorgverlener of een gezamenlijke inbox toe. Wie je toevoegt, ziet het hele \
         gesprek, ook eerdere berichten.",
        "Add a professional or a shared inbox. Whoever you add sees the whole conversation, \
         earlier messages included.";
    search_directory: "Zoek op naam of team", "Search by name or team";
    search: "Zoeken", "Search";
    nobody_found:
        "Niemand gevonden. Probeer een deel van de naam.",
        "Nobody found. Try part of the name.";
    already_linked: "al gekoppeld", "already linked";
    already_participates: "neemt al deel", "already takes part";
    add: "Toevoegen", "Add";
    professionals: "Zorgverleners", "Professionals";
    archive_hint:
        "Archiveren haalt het gesprek uit de actieve lijst. Niemand verliest toegang, en een \
         nieuw bericht zet het terug.",
        "Archiving takes the conversation off the active list. Nobody loses access, and a new \
         message brings it back.";
    to_whom: "Aan wie?", "To whom?";
    to: "Aan", "To";
    change_recipients: "ontvangers wijzigen", "change recipients";
    message: "Bericht", "Message";
    send_from: "Versturen als", "Send as";
    myself: "Mijzelf", "Myself";
    send_from_hint:
        "Verstuur je namens een inbox, dan doen alle leden van die inbox mee en staat de inbox \
         bij je bericht.",
        "When you send on behalf of an inbox, all its members take part and the inbox is shown \
         with your message.";
    subject: "Onderwerp", "Subject";
    subject_hint:
        "Het onderwerp staat in de gesprekslijsten van alle deelnemers.",
        "The subject shows in every participant's lists.";
    choose_first: "Kies eerst minstens één ontvanger.", "Choose at least one recipient first.";
    unknown_recipient: "Onbekende ontvanger", "Unknown recipient";
    nobody_chosen:
        "Nog niemand gekozen. Kies hieronder een gezamenlijke inbox, of zoek een zorgverlener.",
        "Nobody chosen yet. Choose a shared inbox below, or search for a professional.";
    chosen_recipients: "Gekozen ontvangers", "Chosen recipients";
    chosen: "gekozen", "chosen";
    choose: "Kiezen", "Choose";
    guidelines: "Richtlijnen voor partners", "Guidelines for partners";
    nothing_to_manage: "Je beheert geen gezamenlijke inboxen.", "You manage no shared inboxes.";
    teams: "Teams", "Teams";
    team: "Team", "Team";
    team_admin: "Teambeheerder", "Team admin";
    members: "Leden", "Members";
    members_hint:
        "Berichten aan deze inbox komen bij elk lid binnen. Wie later lid wordt, komt niet \
         vanzelf in lopende gesprekken; een deelnemer kan diegene toevoegen.",
        "Messages to this inbox reach every member. Someone who joins later is not linked to \
         running conversations; a participant can add them.";
    all_staff_are_members:
        "Alle medewerkers van het team zijn al lid.",
        "All staff of the team are members already.";
    add_member: "Lid toevoegen", "Add a member";
    colleague: "Collega", "Colleague";
    also_manager: "Ook beheerder van deze inbox", "Also a manager of this inbox";
    add_member_hint:
        "Alleen medewerkers van het team kunnen lid worden. Een nieuw lid komt niet in lopende \
         gesprekken.",
        "Only staff of the team can become members. A new member is not linked to running \
         conversations.";
    no_members: "Deze inbox heeft nog geen leden.", "This inbox has no members yet.";
    name: "Naam", "Name";
    profession: "Functie", "Profession";
    role: "Rol", "Role";
    actions: "Acties", "Actions";
    manager: "Beheerder", "Manager";
    member: "Lid", "Member";
    remove: "Verwijderen", "Remove";
    settings: "Instellingen", "Settings";
    description: "Omschrijving", "Description";
    description_hint:
        "Wat deze inbox is en wie erin zitten. Partners zien dit in het adresboek.",
        "What this inbox is for and who is in it. Partners see this in the directory.";
    guidelines_hint:
        "Wanneer partners hierheen schrijven in plaats van naar een persoon.",
        "When partners should write here rather than to a person.";
    save: "Opslaan", "Save";
    status: "Status", "Status";
    deactivate_hint:
        "Een gedeactiveerde inbox ontvangt geen nieuwe gesprekken en staat niet meer in het \
         adresboek. Lopende gesprekken blijven werken.",
        "A deactivated inbox receives no new conversations and leaves the directory. Running \
         conversations keep working.";
    deactivate: "Inbox deactiveren", "Deactivate inbox";
    activate: "Inbox weer activeren", "Reactivate inbox";
    confirm_remove: "Ja, verwijderen", "Yes, remove";
    cancel: "Annuleren", "Cancel";
    staff: "Medewerkers", "Staff";
    add_staff: "Medewerker toevoegen", "Add staff";
    add_staff_hint:
        "Een nieuwe collega, die nog in geen team zit, voeg je toe met het e-mailadres \
         van diens account. Accounts maakt de beheerder van careinbox aan.",
        "Add a new colleague, who is in no team yet, by the email address of their \
         account. Accounts are created by the careinbox administrator.";
    new_colleague_email:
        "E-mailadres van de nieuwe collega",
        "Email address of the new colleague";
    add_colleague: "Collega toevoegen", "Add colleague";
    add_from_directory: "Of zoek in het adresboek", "Or search the directory";
    new_inbox: "Nieuwe gezamenlijke inbox", "New shared inbox";
    create_inbox: "Inbox aanmaken", "Create inbox";
}

impl Lang {
    pub fn archived_in(self, view: &str) -> String {
        match self {
            Lang::Nl => format!("Het gesprek is gearchiveerd in {view}."),
            Lang::En => format!("The conversation was archived in {view}."),
        }
    }

    pub fn restored_in(self, view: &str) -> String {
        match self {
            Lang::Nl => format!("Het gesprek staat weer bij de actieve gesprekken van {view}."),
            Lang::En => format!("The conversation is back among the active ones of {view}."),
        }
    }

    pub fn archive_in(self, view: &str) -> String {
        match self {
            Lang::Nl => format!("Archiveren in {view}"),
            Lang::En => format!("Archive in {view}"),
        }
    }

    pub fn restore_in(self, view: &str) -> String {
        match self {
            Lang::Nl => format!("Terugzetten in {view}"),
            Lang::En => format!("Restore in {view}"),
        }
    }

    /// What a shortened list of names leaves out, for screen readers.
    pub fn and_others(self, n: usize) -> String {
        match (self, n) {
            (Lang::Nl, 1) => "en 1 andere".to_owned(),
            (Lang::Nl, n) => format!("en {n} anderen"),
            (Lang::En, 1) => "and 1 other".to_owned(),
            (Lang::En, n) => format!("and {n} others"),
        }
    }

    pub fn back_to(self, view: &str) -> String {
        match self {
            Lang::Nl => format!("Terug naar {view}"),
            Lang::En => format!("Back to {view}"),
        }
    }

    pub fn show_earlier(self, n: usize) -> String {
        match self {
            Lang::Nl => format!("{n} eerdere berichten en gebeurtenissen tonen"),
            Lang::En => format!("Show {n} earlier messages and events"),
        }
    }

    pub fn new_message_from(self, name: &str) -> String {
        match self {
            Lang::Nl => format!("Nieuw bericht van {name}"),
            Lang::En => format!("New message from {name}"),
        }
    }

    pub fn shared_a_file(self, name: &str) -> String {
        match self {
            Lang::Nl => format!("{name} heeft een bestand gedeeld"),
            Lang::En => format!("{name} shared a file"),
        }
    }

    pub fn share_file_hint(self, limit: usize) -> String {
        let size = self.file_size(limit as u64);
        match self {
            Lang::Nl => format!(
                "Iedereen die aan dit gesprek deelneemt, kan het bestand openen. \
                 Hoogstens {size}."
            ),
            Lang::En => format!(
                "Everyone who takes part in this conversation can open the file. \
                 At most {size}."
            ),
        }
    }

    pub fn file_too_large(self, limit: usize) -> String {
        let size = self.file_size(limit as u64);
        match self {
            Lang::Nl => format!(
                "Dit bestand is te groot: je kunt bestanden tot {size} delen. \
                 Kies een kleiner bestand."
            ),
            Lang::En => format!(
                "This file is too large: you can share files up to {size}. \
                 Choose a smaller one."
            ),
        }
    }

    /// A file size as people read it, in powers of 1000 like the file
    /// managers they know: "512 bytes", "8,4 kB", "84 kB", "10 MB".
    pub fn file_size(self, bytes: u64) -> String {
        if bytes < 1000 {
            let unit = if bytes == 1 { "byte" } else { "bytes" };
            return format!("{bytes} {unit}");
        }
        const UNITS: [&str; 4] = ["kB", "MB", "GB", "TB"];
        let mut value = bytes as f64 / 1000.0;
        let mut unit = 0;
        while value >= 999.5 && unit + 1 < UNITS.len() {
            value /= 1000.0;
            unit += 1;
        }
        // One decimal only where it tells something: 8,4 kB but 84 kB.
        let number = if value < 9.95 {
            let one = format!("{value:.1}");
            match one.strip_suffix(".0") {
                Some(whole) => whole.to_owned(),
                None => one,
            }
        } else {
            format!("{value:.0}")
        };
        let number = match self {
            Lang::Nl => number.replace('.', ","),
            Lang::En => number,
        };
        format!("{number} {}", UNITS[unit])
    }

    pub fn on_behalf_of(self, inbox: &str) -> String {
        match self {
            Lang::Nl => format!("namens {inbox}"),
            Lang::En => format!("on behalf of {inbox}"),
        }
    }

    pub fn via(self, inbox: &str) -> String {
        match self {
            Lang::Nl => format!("via {inbox}"),
            Lang::En => format!("through {inbox}"),
        }
    }

    pub fn add_named(self, name: &str) -> String {
        match self {
            Lang::Nl => format!("{name} toevoegen"),
            Lang::En => format!("Add {name}"),
        }
    }

    pub fn choose_named(self, name: &str) -> String {
        match self {
            Lang::Nl => format!("{name} kiezen"),
            Lang::En => format!("Choose {name}"),
        }
    }

    pub fn remove_named(self, name: &str) -> String {
        match self {
            Lang::Nl => format!("{name} verwijderen"),
            Lang::En => format!("Remove {name}"),
        }
    }

    pub fn manage_named(self, name: &str) -> String {
        match self {
            Lang::Nl => format!("{name} beheren"),
            Lang::En => format!("Manage {name}"),
        }
    }

    pub fn remove_member_title(self, name: &str, from: &str) -> String {
        match self {
            Lang::Nl => format!("{name} verwijderen uit {from}?"),
            Lang::En => format!("Remove {name} from {from}?"),
        }
    }

    /// R6, said before it happens.
    pub fn remove_member_effect(self, name: &str, inbox: &str) -> String {
        match self {
            Lang::Nl => format!(
                "{name} verliest meteen de toegang tot elk gesprek waaraan {name} via {inbox} \
                 deelneemt, ook als dat gesprek nu openstaat. Deelnames op een andere manier \
                 (direct, of via een andere inbox) blijven."
            ),
            Lang::En => format!(
                "{name} at once loses access to every conversation {name} takes part in \
                 through {inbox}, also where it is open right now. Taking part in another way \
                 (directly, or through another inbox) remains."
            ),
        }
    }

    pub fn remove_member_keeps(self, name: &str) -> String {
        match self {
            Lang::Nl => format!(
                "De berichten van {name} blijven in die gesprekken staan, en in elk gesprek \
                 wordt vastgelegd dat {name} is verwijderd."
            ),
            Lang::En => format!(
                "Messages by {name} stay in those conversations, and each conversation \
                 records that {name} was removed."
            ),
        }
    }

    /// R17, said before it happens.
    pub fn remove_staff_effect(self, name: &str) -> String {
        match self {
            Lang::Nl => format!(
                "{name} wordt ook uit alle gezamenlijke inboxen van het team verwijderd en \
                 verliest meteen de toegang tot elk gesprek waaraan {name} via die inboxen \
                 deelneemt. Directe deelnames blijven."
            ),
            Lang::En => format!(
                "{name} also leaves every shared inbox of the team and at once loses access \
                 to every conversation {name} takes part in through those inboxes. Direct \
                 participation remains."
            ),
        }
    }

    /// The confirmation after a change on a management page.
    pub fn done(self, what: &str) -> Option<&'static str> {
        let (nl, en) = match what {
            "saved" => (
                "De instellingen zijn opgeslagen.",
                "The settings were saved.",
            ),
            "added" => ("Het lid is toegevoegd.", "The member was added."),
            "removed" => ("Het lid is verwijderd.", "The member was removed."),
            "deactivated" => ("De inbox is gedeactiveerd.", "The inbox was deactivated."),
            "activated" => ("De inbox is weer actief.", "The inbox is active again."),
            "created" => (
                "De inbox is aangemaakt. Voeg nu leden toe.",
                "The inbox was created. Now add members.",
            ),
            "staff_added" => (
                "De medewerker is aan het team toegevoegd.",
                "The colleague joined the team.",
            ),
            "staff_removed" => (
                "De medewerker is uit het team verwijderd.",
                "The colleague left the team.",
            ),
            _ => return None,
        };
        Some(match self {
            Lang::Nl => nl,
            Lang::En => en,
        })
    }

    /// A system event of the timeline as a sentence.
    pub fn timeline_event(
        self,
        event: &str,
        actor: Option<&str>,
        user: Option<&str>,
        inbox: Option<&str>,
    ) -> String {
        let someone = match self {
            Lang::Nl => "Iemand",
            Lang::En => "Someone",
        };
        let actor = actor.unwrap_or(someone);
        match (self, event, user, inbox) {
            (Lang::Nl, "member_removed", Some(user), Some(inbox)) => {
                format!("{user} is uit {inbox} verwijderd en neemt niet meer via die inbox deel.")
            }
            (Lang::En, "member_removed", Some(user), Some(inbox)) => {
                format!("{user} was removed from {inbox} and no longer takes part through it.")
            }
            (Lang::Nl, "inbox_added", _, Some(inbox)) => {
                format!("{actor} heeft {inbox} toegevoegd; de leden van die inbox doen mee.")
            }
            (Lang::En, "inbox_added", _, Some(inbox)) => {
                format!("{actor} added {inbox}; the members of that inbox take part.")
            }
            (Lang::Nl, _, Some(user), _) => format!("{actor} heeft {user} toegevoegd."),
            (Lang::En, _, Some(user), _) => format!("{actor} added {user}."),
            (Lang::Nl, _, None, Some(inbox)) => format!("{actor} heeft {inbox} toegevoegd."),
            (Lang::En, _, None, Some(inbox)) => format!("{actor} added {inbox}."),
            (_, other, None, None) => other.to_owned(),
        }
    }

    /// A rule's refusal (409) as a sentence.
    pub fn conflict(self, conflict: Conflict) -> &'static str {
        let (nl, en) = match conflict {
            Conflict::AlreadyParticipant => (
                "Deze zorgverlener neemt al deel aan het gesprek.",
                "This professional is already a participant of the conversation.",
            ),
            Conflict::InboxAlreadyParty => (
                "Deze inbox is al aan het gesprek gekoppeld.",
                "This inbox is already linked to the conversation.",
            ),
            Conflict::InboxDeactivated => (
                "Deze inbox is gedeactiveerd en ontvangt geen nieuwe gesprekken.",
                "This inbox is deactivated and receives no new conversations.",
            ),
            Conflict::AlreadyMember => (
                "Deze zorgverlener is al lid.",
                "This professional is a member already.",
            ),
            Conflict::EmailTaken => (
                "Er bestaat al een account met dit e-mailadres.",
                "An account with this email address exists.",
            ),
            Conflict::AlreadyInNetwork => (
                "Dit team hoort al bij dit netwerk.",
                "This team is in the network already.",
            ),
        };
        match self {
            Lang::Nl => nl,
            Lang::En => en,
        }
    }

    /// A refusal because of the caller's role (403), by the rule's reason.
    pub fn forbidden(self, reason: &str) -> &'static str {
        let (nl, en) = match reason {
            "only participants via this inbox archive within it" => (
                "Alleen wie via deze inbox deelneemt, kan het gesprek in deze inbox archiveren.",
                "Only those who take part through this inbox can archive the conversation in it.",
            ),
            "only direct participants archive in their personal view" => (
                "Alleen wie direct deelneemt, kan het gesprek persoonlijk archiveren.",
                "Only direct participants can archive the conversation personally.",
            ),
            "only inbox managers and team admins change an inbox" => (
                "Alleen beheerders van de inbox en teambeheerders kunnen dit wijzigen.",
                "Only managers of the inbox and team admins can change this.",
            ),
            "only team admins manage the team" => (
                "Alleen teambeheerders beheren het team.",
                "Only team admins manage the team.",
            ),
            _ => (
                "Je rol staat dit niet toe.",
                "Your role does not allow this.",
            ),
        };
        match self {
            Lang::Nl => nl,
            Lang::En => en,
        }
    }

    /// An invalid field (422) as a sentence.
    pub fn field_error(self, error: &FieldError) -> String {
        let label = self.field_label(error.field);
        let nl = self == Lang::Nl;
        match error.reason {
            "must not be empty" if nl => format!("{label} mag niet leeg zijn."),
            "must not be empty" => format!("{label} must not be empty."),
            "is too long" | "is longer than 64 KiB" if nl => format!("{label} is te lang."),
            "is too long" | "is longer than 64 KiB" => format!("{label} is too long."),
            "contains control characters"
            | "contains a NUL character"
            | "may not contain slashes or control characters"
                if nl =>
            {
                format!("{label} bevat tekens die niet zijn toegestaan.")
            }
            "contains control characters"
            | "contains a NUL character"
            | "may not contain slashes or control characters" => {
                format!("{label} contains characters that are not allowed.")
            }
            reason => self
                .rule_reason(reason)
                .map_or_else(|| format!("{label}: {reason}."), str::to_owned),
        }
    }

    fn rule_reason(self, reason: &str) -> Option<&'static str> {
        let (nl, en) = match reason {
            "name at least one professional or inbox" => (
                "Kies minstens één zorgverlener of inbox.",
                "Choose at least one professional or inbox.",
            ),
            "at most 50 recipients" => (
                "Kies hoogstens 50 ontvangers.",
                "Choose at most 50 recipients.",
            ),
            "the starter cannot address themself" => (
                "Je kunt jezelf niet als ontvanger kiezen.",
                "You cannot choose yourself as a recipient.",
            ),
            "each recipient may be named once" => (
                "Elke ontvanger mag maar één keer gekozen worden.",
                "Each recipient may be chosen once.",
            ),
            "unknown recipient, or one you cannot address" => (
                "Een ontvanger is onbekend, of hoort niet bij een netwerk van jouw team.",
                "A recipient is unknown, or not in a network of your team.",
            ),
            "is also a recipient" => (
                "De inbox waarnamens je verstuurt, kan niet ook ontvanger zijn.",
                "The inbox you send on behalf of cannot also be a recipient.",
            ),
            "you are not a member of this inbox" => (
                "Je bent geen lid van deze inbox.",
                "You are not a member of this inbox.",
            ),
            "not a member of the inbox's team" => (
                "Deze zorgverlener is geen medewerker van het team van de inbox.",
                "This professional is not staff of the inbox's team.",
            ),
            "no account with this email" => (
                "Er is geen actief account met dit e-mailadres. Controleer het adres, \
                 of vraag de beheerder van careinbox om een account.",
                "There is no active account with this email address. Check the address, \
                 or ask the careinbox administrator for an account.",
            ),
            "is not an email address" => (
                "Dit is geen geldig e-mailadres.",
                "This is not a valid email address.",
            ),
            "unknown user" => (
                "Deze zorgverlener is onbekend.",
                "This professional is unknown.",
            ),
            "must be \"admin\" or \"member\"" => ("Kies een rol.", "Choose a role."),
            "must name the file" => ("Kies een bestand om te delen.", "Choose a file to share."),
            "the file is empty" => (
                "Het bestand is leeg. Kies een bestand met inhoud.",
                "The file is empty. Choose a file with content.",
            ),
            "give either user or inbox" => (
                "Kies een zorgverlener of een inbox.",
                "Choose a professional or an inbox.",
            ),
            _ => return None,
        };
        Some(match self {
            Lang::Nl => nl,
            Lang::En => en,
        })
    }

    fn field_label(self, field: &str) -> &'static str {
        let (nl, en) = match field {
            "subject" => ("Het onderwerp", "The subject"),
            "body" | "message" => ("Het bericht", "The message"),
            "name" => ("De naam", "The name"),
            "description" => ("De omschrijving", "The description"),
            "guidelines" => ("De richtlijnen", "The guidelines"),
            "recipients" | "recipients.users" => ("De ontvangers", "The recipients"),
            "from_inbox" => ("Versturen als", "Send as"),
            "user" => ("De zorgverlener", "The professional"),
            "role" => ("De rol", "The role"),
            "email" => ("Het e-mailadres", "The email address"),
            "file_name" => ("De bestandsnaam", "The file name"),
            _ => ("Dit veld", "This field"),
        };
        match self {
            Lang::Nl => nl,
            Lang::En => en,
        }
    }

    pub fn month_short(self, month: Month) -> &'static str {
        let index = month as usize - 1;
        match self {
            Lang::Nl => [
                "jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
            ][index],
            Lang::En => [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ][index],
        }
    }

    pub fn weekday_short(self, day: Weekday) -> &'static str {
        let index = day.number_days_from_monday() as usize;
        match self {
            Lang::Nl => ["ma", "di", "wo", "do", "vr", "za", "zo"][index],
            Lang::En => ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][index],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browsers_asking_for_english_first_get_english() {
        assert_eq!(
            Lang::from_accept_language(Some("en-GB,en;q=0.9,nl;q=0.8")),
            Lang::En
        );
        assert_eq!(
            Lang::from_accept_language(Some("nl-NL,nl;q=0.9,en;q=0.8")),
            Lang::Nl
        );
        assert_eq!(Lang::from_accept_language(Some("de-DE,en;q=0.5")), Lang::En);
        assert_eq!(
            Lang::from_accept_language(Some("nl;q=0.4,en;q=0.6")),
            Lang::En
        );
    }

    #[test]
    fn dutch_is_the_default() {
        assert_eq!(Lang::from_accept_language(None), Lang::Nl);
        assert_eq!(Lang::from_accept_language(Some("fr-FR,de;q=0.9")), Lang::Nl);
        assert_eq!(Lang::from_accept_language(Some("en;q=0")), Lang::Nl);
    }

    #[test]
    fn file_sizes_read_as_in_a_file_manager() {
        assert_eq!(Lang::Nl.file_size(1), "1 byte");
        assert_eq!(Lang::En.file_size(512), "512 bytes");
        assert_eq!(Lang::Nl.file_size(1_000), "1 kB");
        assert_eq!(Lang::Nl.file_size(8_400), "8,4 kB");
        assert_eq!(Lang::En.file_size(8_400), "8.4 kB");
        assert_eq!(Lang::Nl.file_size(84_000), "84 kB");
        assert_eq!(Lang::Nl.file_size(999_700), "1 MB");
        assert_eq!(Lang::En.file_size(10 * 1024 * 1024), "10 MB");
        assert_eq!(Lang::En.file_size(3_200_000_000), "3.2 GB");
    }

    #[test]
    fn r8_refusal_reads_as_a_sentence() {
        let nl = Lang::Nl.conflict(Conflict::AlreadyParticipant);
        let en = Lang::En.conflict(Conflict::AlreadyParticipant);

        assert_eq!(nl, "Deze zorgverlener neemt al deel aan het gesprek.");
        assert!(en.contains("already a participant"));
    }
}
