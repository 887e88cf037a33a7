use chrono::NaiveTime;

use super::*;
use crate::domain::annual_cycle::Topic;
use crate::domain::calendar::local_to_utc;

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, m, day).expect("valid date")
}

/// Wednesday 31 March 2027 at 13:00 in Copenhagen.
fn meeting_start() -> DateTime<Utc> {
    local_to_utc(d(3, 31), NaiveTime::from_hms_opt(13, 0, 0).expect("valid time")).expect("not in a DST gap")
}

fn reminder_about(what: What, phase: Phase, due: NaiveDate) -> Reminder<'static> {
    Reminder {
        what,
        phase,
        due,
        group: "Natur & <Miljø>",
        meeting_starts_at: meeting_start(),
        duty_title: None,
        link: "https://samarbejdsrum.example/moeder/7",
    }
}

#[test]
fn a_reminder_names_the_deadline_and_the_meeting_and_the_groups_secretariat_signs_it_d3() {
    let mail = reminder(&reminder_about(What::AgendaItems, Phase::Soon, d(3, 12))).expect("renders");
    assert_eq!(
        mail.subject,
        "Påmindelse: Punkter til dagsordenen senest fredag 12. marts 2027 – Natur & <Miljø>, møde 31.03.2027"
    );
    assert!(mail.text.starts_with("Har du et punkt til dagsordenen"), "{}", mail.text);
    assert!(mail.text.contains("Frist: fredag 12. marts 2027\n"), "a member's mail names no rule: {}", mail.text);
    assert!(mail.text.ends_with("Venlig hilsen\nSekretariatet for Natur & <Miljø>\n"), "{}", mail.text);
    assert!(mail.html.contains("<p>Venlig hilsen<br>Sekretariatet for Natur &amp; &lt;Miljø&gt;</p>"), "{}", mail.html);
    assert!(mail.text.contains("Møde: onsdag 31. marts 2027 kl. 13:00"), "{}", mail.text);
    assert!(mail.text.contains("https://samarbejdsrum.example/moeder/7"));
    assert!(mail.html.contains("Natur &#38; &#60;Miljø&#62;") || mail.html.contains("Natur &amp; &lt;Miljø&gt;"));
    assert!(!mail.html.contains("<Miljø>"), "the HTML part escapes what people typed");
    assert_eq!(mail.ics, None);
}

#[test]
fn a_late_reminder_says_so_in_subject_and_text_a1_a2_r2() {
    for (what, due, words) in [
        (What::AgendaToChair, d(3, 17), "ikke sendt til forpersonen"),
        (What::AgendaPublished, d(3, 19), "Dagsordenen er ikke udsendt"),
        (What::Minutes, d(4, 7), "Referatet er ikke sendt"),
    ] {
        let mail = reminder(&reminder_about(what, Phase::Late, due)).expect("renders");
        assert!(mail.subject.starts_with("Overskredet: "), "{}", mail.subject);
        assert!(mail.text.contains(words), "{}", mail.text);
    }
}

#[test]
fn the_chairs_reminder_names_the_approval_deadline_not_the_sending_date_a1_a2() {
    let what = What::AgendaApproval { sent_on: d(3, 16) };
    let mail = reminder(&reminder_about(what, Phase::Soon, d(3, 19))).expect("renders");
    assert!(
        mail.subject.starts_with("Påmindelse: Dagsorden til godkendelse senest fredag 19. marts 2027"),
        "{}",
        mail.subject
    );
    assert!(mail.text.contains("godkend den senest fredag 19. marts 2027"), "{}", mail.text);
    assert!(mail.text.contains("Frist: fredag 19. marts 2027\n"), "the chair's mail names no rule: {}", mail.text);
    assert!(!mail.subject.contains("16. marts"), "the sending day is not the deadline: {}", mail.subject);
}

#[test]
fn a_yearly_duty_is_named_by_the_title_on_the_arshjul_y2() {
    let mut r = reminder_about(What::YearlyDuty(Topic::DataAgreement), Phase::Soon, d(3, 12));
    r.duty_title = Some("Dataansvarsaftalen");
    let mail = reminder(&r).expect("renders");
    assert!(mail.subject.starts_with("Påmindelse: Dataansvarsaftalen senest fredag 12. marts 2027"));
    assert!(mail.text.contains("Årshjulets faste opgave skal forberedes til mødet: Dataansvarsaftalen."));
}

fn event() -> ical::Event {
    ical::Event {
        uid: "meeting-7@samarbejdsrum".into(),
        starts_at: meeting_start(),
        ends_at: meeting_start() + chrono::Duration::hours(3),
        summary: "Natur: Ordinært møde".into(),
        description: String::new(),
        location: "Lokale 2".into(),
        url: None,
        last_modified: meeting_start(),
        cancelled: false,
        sequence: 0,
    }
}

#[test]
fn the_published_agenda_lists_its_items_and_carries_the_invitation_a2() {
    let event = event();
    let agenda = AgendaPublished {
        group: "Natur",
        starts_at: meeting_start(),
        kind: "Ordinært møde",
        place: "Fysisk · Lokale 2",
        items: vec![
            AgendaLine {
                sub_item: false,
                number: "1".into(),
                clock: "13:00–13:10".into(),
                title: "Godkendelse af dagsorden",
                presenter: "",
                is_decision: true,
            },
            AgendaLine {
                sub_item: true,
                number: "1.1".into(),
                clock: String::new(),
                title: "Bemærkninger",
                presenter: "Forpersonen",
                is_decision: false,
            },
            AgendaLine {
                sub_item: false,
                number: "2".into(),
                clock: String::new(),
                title: "<script>alert(1)</script>",
                presenter: "",
                is_decision: false,
            },
        ],
        attachments: vec![("Artsliste.pdf".into(), "https://samarbejdsrum.example/moeder/7/bilag/3".into())],
        link: "https://samarbejdsrum.example/moeder/7",
        event: &event,
        organizer: "faggrupper@dmp.example",
        now: meeting_start(),
    };
    let mail = agenda_published(&agenda).expect("renders");
    assert_eq!(mail.subject, "Dagsorden: Natur, møde 31.03.2027");
    assert_eq!(
        mail.text,
        "Dagsordenen til Naturs møde onsdag 31. marts 2027 kl. 13:00 er udsendt.\n\n\
         Ordinært møde · Fysisk · Lokale 2\n\n\
         1 Godkendelse af dagsorden (kl. 13:00–13:10) [Beslutning]\n    1.1 Bemærkninger Forpersonen\n2 <script>alert(1)</script>\n\n\
         Bilag:\n- Artsliste.pdf: https://samarbejdsrum.example/moeder/7/bilag/3\n\n\
         Læs dagsordenen: https://samarbejdsrum.example/moeder/7\n\
         Kan du ikke deltage, så meld afbud senest en uge før mødet: https://samarbejdsrum.example/moeder/7#fremmoede\n\n\
         Venlig hilsen\nSekretariatet for Natur\n"
    );
    assert!(mail.html.contains("<a href=\"https://samarbejdsrum.example/moeder/7/bilag/3\">Artsliste.pdf</a>"));
    assert!(!mail.html.contains("<script>"), "{}", mail.html);
    assert!(mail.ics.is_some_and(|ics| ics.starts_with("BEGIN:VCALENDAR") && ics.contains("meeting-7@samarbejdsrum")));
}

#[test]
fn the_substitute_is_told_who_apologised_for_which_meeting_t4() {
    let link = "https://samarbejdsrum.example/moeder/7";
    let mail = apology_to_substitute("Ida <Hansen>", "KL", "Natur", meeting_start(), " Jeg er på kursus. ", link)
        .expect("renders");
    assert_eq!(mail.subject, "Afbud: Ida <Hansen> til Naturs møde 31.03.2027");
    assert!(mail.text.contains("Som suppleant for KL kan du deltage i stedet."), "{}", mail.text);
    assert!(mail.text.contains("Ida <Hansen> har meldt afbud til Naturs møde onsdag 31. marts 2027 kl. 13:00."));
    assert!(!mail.html.contains("<Hansen>"));
    assert!(mail.text.contains("Ida <Hansen> skriver: «Jeg er på kursus.»"), "the note is passed on: {}", mail.text);
    assert!(mail.text.contains("https://samarbejdsrum.example/moeder/7#fremmoede"), "where to confirm");
    let partyless = apology_to_substitute("Ida", "", "Natur", meeting_start(), "", link).expect("renders");
    assert!(!partyless.text.contains("skriver"));
    assert!(partyless.text.contains("Som suppleant kan du deltage i stedet."), "{}", partyless.text);
}

#[test]
fn a_digest_bundles_the_waiting_messages_under_one_subject_d3() {
    let one = digest(&[DigestPart { subject: "A", text: "a\n" }]).expect("renders");
    assert_eq!(one.subject, "Samarbejdsrum: 1 besked");
    assert_eq!(one.text, "A\n\na\n");
    let parts = [DigestPart { subject: "A", text: "a" }, DigestPart { subject: "<B>", text: "b" }];
    let two = digest(&parts).expect("renders");
    assert_eq!(two.subject, "Samarbejdsrum: 2 beskeder");
    assert_eq!(two.text, "A\n\na\n\n----\n\n<B>\n\nb");
    assert!(!two.html.contains("<B>"));
}

#[test]
fn the_test_mail_names_the_installation() {
    let mail = test_mail("https://samarbejdsrum.example").expect("renders");
    assert_eq!(mail.subject, "Testmail fra Samarbejdsrum");
    assert!(mail.text.starts_with("Denne mail bekræfter, at Samarbejdsrum kan sende mail.\n\nhttps://"));
}

#[test]
fn the_secretariats_own_reminder_names_its_rule_r2() {
    let mail = reminder(&reminder_about(What::Minutes, Phase::Soon, d(4, 7))).expect("renders");
    assert!(mail.text.contains("Frist: onsdag 7. april 2027 (R2)"), "{}", mail.text);
}

#[test]
fn every_mail_greets_its_recipient_by_name_once_and_escapes_it() {
    let mail = reminder(&reminder_about(What::AgendaItems, Phase::Soon, d(3, 12))).expect("renders");
    let (text, html) = greeted(Some("Ida <Berg>"), &mail.text, Some(&mail.html));
    assert!(text.starts_with("Kære Ida <Berg>\n\nHar du et punkt"), "{text}");
    let html = html.expect("an HTML part");
    assert!(html.contains("<p>Kære Ida &lt;Berg&gt;</p>"), "{html}");
    assert_eq!(html.matches("Kære").count(), 1);
    let (text, _) = greeted(None, "Tekst", None);
    assert_eq!(text, "Hej\n\nTekst", "an address of no known person is greeted too");
}
