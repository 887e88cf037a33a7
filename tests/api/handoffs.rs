//! A step that hands work to someone tells them at once, through the outbox, once, by their notification
//! settings: the chair when the draft agenda comes (A1), the group's secretariat when an item is
//! requested (A3), a minutes comment arrives (R3) or a member is nominated (M5), the board when a change
//! request is escalated to it, and the secretariat when its outcome is recorded (C2); the group's
//! secretariat when a member proposes a change request, and the proposer at each of its steps (C1).

use reqwest::StatusCode;

use crate::helpers::*;
use crate::smtp::SmtpServer;

/// (to, subject, body) of the mails of a kind, in the order queued.
async fn mails(app: &TestApp, kind: &str) -> Vec<(String, String, String)> {
    sqlx::query_as("SELECT to_address, subject, body_text FROM outbox WHERE kind = $1 ORDER BY id")
        .bind(kind)
        .fetch_all(&app.db)
        .await
        .unwrap()
}

/// The addresses of Natur's own secretariat members, sorted.
async fn natur_secretariat(app: &TestApp) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT p.email FROM memberships ms JOIN people p ON p.id = ms.person_id JOIN groups g ON g.id = ms.group_id
         WHERE g.slug = 'natur' AND ms.status = 'active' AND ms.role = 'secretariat' ORDER BY p.email",
    )
    .fetch_all(&app.db)
    .await
    .unwrap()
}

fn sorted_to(mails: &[(String, String, String)]) -> Vec<String> {
    let mut to: Vec<String> = mails.iter().map(|(to, _, _)| to.clone()).collect();
    to.sort();
    to
}

/// Appoints `person` as a substitute in Natur through the group page (a nomination, M5, as the kind
/// requires the staff group's approval).
async fn nominate_to_natur(app: &TestApp, client: &reqwest::Client, person: i64) {
    let fields = [("person_id", person.to_string()), ("role", "substitute".into()), ("starts_on", "2027-01-04".into())];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(form(app, client, "/grupper/natur/medlemmer", &fields).await.status(), StatusCode::SEE_OTHER);
}

async fn form(app: &TestApp, client: &reqwest::Client, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let token = app.csrf(client, "/profil").await;
    let mut all = vec![("csrf_token", token.as_str())];
    all.extend_from_slice(fields);
    app.post_form(client, path, &all).await
}

#[tokio::test]
async fn the_chair_is_mailed_when_the_draft_agenda_is_sent_with_what_to_do_by_when_and_a_link_a1() {
    let app = spawn_app().await;
    let secretariat = app.login_as(SECRETARIAT).await;
    let meeting = new_meeting(&app, "natur", "2027-03-31").await;
    assert_eq!(post_meeting(&app, &secretariat, meeting, "/dagsorden", &[]).await.status(), StatusCode::SEE_OTHER);
    assert!(mails(&app, "agenda_approval").await.is_empty());
    let sent = post_meeting(&app, &secretariat, meeting, "/dagsorden/send-til-forperson", &[]).await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);

    let queued = mails(&app, "agenda_approval").await;
    assert_eq!(queued.len(), 1, "the chair only, once: {queued:?}");
    let (to, subject, body) = &queued[0];
    assert_eq!(to, CHAIR);
    assert!(subject.starts_with("Dagsorden til godkendelse: Natur"), "{subject}");
    // A2 for a meeting on Wednesday 31 March 2027 is Friday 19 March (D2: Easter is closed).
    assert!(body.contains("Godkend udkastet") && body.contains("Senest fredag 19. marts 2027"), "{body}");
    assert!(body.contains(&format!("/moeder/{meeting}#dagsorden")), "{body}");

    // Back to draft and sent again: the chair hears of the new draft too.
    let chair = app.login_as(CHAIR).await;
    let comment = [("comment", "Punkt 3 mangler.")];
    assert_eq!(
        post_meeting(&app, &chair, meeting, "/dagsorden/kommenter", &comment).await.status(),
        StatusCode::SEE_OTHER
    );
    app.set_time(app.state.clock.now() + chrono::Duration::minutes(30));
    let back = post_meeting(&app, &secretariat, meeting, "/dagsorden/tilbage-til-kladde", &[]).await;
    assert_eq!(back.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        post_meeting(&app, &secretariat, meeting, "/dagsorden/send-til-forperson", &[]).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(mails(&app, "agenda_approval").await.len(), 2);
}

#[tokio::test]
async fn the_secretariat_hears_of_a_requested_item_and_a_minutes_comment_as_they_come_a3_r3() {
    let app = spawn_app().await;
    let meeting = new_meeting(&app, "natur", "2027-03-31").await;
    app.set_time("2027-02-15T10:00:00Z".parse().unwrap());
    let member = app.login_as(MEMBER).await;
    let secretariat_members = natur_secretariat(&app).await;
    assert!(secretariat_members.contains(&SECRETARIAT.to_owned()) && secretariat_members.len() == 2);
    let fields = [("title", "Naturtjek i kommunerne"), ("description", "Erfaringer fra fem kommuner.")];
    assert_eq!(post_meeting(&app, &member, meeting, "/punktoensker", &fields).await.status(), StatusCode::SEE_OTHER);

    let queued = mails(&app, "agenda_item_requested").await;
    assert_eq!(sorted_to(&queued), secretariat_members, "the group's own secretariat, once each");
    let (_, subject, body) = &queued[0];
    assert!(subject.contains("Ønske om punkt til dagsordenen: Natur"), "{subject}");
    assert!(body.contains("«Naturtjek i kommunerne»") && body.contains("Erfaringer fra fem kommuner."), "{body}");
    assert!(body.contains("Optag punktet") && body.contains("Senest"), "{body}");

    // A late request says so (A3).
    app.set_time("2027-03-25T10:00:00Z".parse().unwrap());
    let member = app.login_as(MEMBER).await;
    assert_eq!(
        post_meeting(&app, &member, meeting, "/punktoensker", &[("title", "Sent ønske")]).await.status(),
        StatusCode::SEE_OTHER
    );
    let late = mails(&app, "agenda_item_requested").await;
    assert_eq!(late.len(), 4);
    assert!(late[3].2.contains("efter fristen for punkter (A3)") && !late[3].2.contains("Senest"), "{}", late[3].2);

    // A minutes comment (R3) reaches the secretariat with the day it is to be worked in by (R4).
    app.set_time("2027-04-01T09:00:00Z".parse().unwrap());
    let (secretariat, member) = (app.login_as(SECRETARIAT).await, app.login_as(MEMBER).await);
    let base = "/referat";
    assert_eq!(post_meeting(&app, &secretariat, meeting, base, &[]).await.status(), StatusCode::SEE_OTHER);
    let item = [("title", "Eventuelt")];
    assert_eq!(
        post_meeting(&app, &secretariat, meeting, "/referat/punkter", &item).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(post_meeting(&app, &secretariat, meeting, "/referat/udsend", &[]).await.status(), StatusCode::SEE_OTHER);
    let item: i64 = sqlx::query_scalar(
        "SELECT min(i.id) FROM minutes_items i JOIN minutes m ON m.id = i.minutes_id WHERE m.meeting_id = $1",
    )
    .bind(meeting)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let fields = [("minutes_item_id", item.to_string()), ("body", "Navnet på projektet er stavet forkert.".into())];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        post_meeting(&app, &member, meeting, "/referat/bemaerkninger", &fields).await.status(),
        StatusCode::SEE_OTHER
    );
    let comments = mails(&app, "minutes_comment").await;
    assert_eq!(sorted_to(&comments), secretariat_members);
    assert!(comments[0].2.contains("Navnet på projektet er stavet forkert.") && comments[0].2.contains("Indarbejd"));
    assert!(comments[0].2.contains("Senest"), "R4's day: {}", comments[0].2);
}

#[tokio::test]
async fn a_kind_switched_off_is_not_sent_and_a_digest_waits_for_the_morning_d3() {
    let app = spawn_app().await;
    let secretariat_id: i64 = sqlx::query_scalar("SELECT id FROM people WHERE email = $1")
        .bind(SECRETARIAT)
        .fetch_one(&app.db)
        .await
        .unwrap();
    let meeting = new_meeting(&app, "natur", "2027-03-31").await;
    app.set_time("2027-02-15T10:00:00Z".parse().unwrap());
    let member = app.login_as(MEMBER).await;
    for (mode, title) in [("off", "Slukket"), ("digest", "Samlet")] {
        let secretariat = app.login_as(SECRETARIAT).await;
        let response = form(&app, &secretariat, "/profil/notifikationer", &[("agenda_item_requested", mode)]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{mode}");
        assert_eq!(
            post_meeting(&app, &member, meeting, "/punktoensker", &[("title", title)]).await.status(),
            StatusCode::SEE_OTHER
        );
    }
    let queued: Vec<(String, bool)> =
        sqlx::query_as("SELECT subject, digest FROM outbox WHERE kind = 'agenda_item_requested' AND to_person_id = $1")
            .bind(secretariat_id)
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert_eq!(queued.len(), 1, "off means none: {queued:?}");
    assert!(queued[0].1, "the second waits for the daily digest");
}

#[tokio::test]
async fn a_nomination_tells_the_groups_secretariat_but_not_the_one_who_made_it_m5() {
    let app = spawn_app().await;
    let admin = app.login_as(ADMIN).await;
    let person = new_person(&app, "Karla Kommune", "karla@odense.example", "Odense Kommune", false).await;
    nominate_to_natur(&app, &admin, person).await;
    assert_eq!(membership_status(&app, "natur", person).await, "nominated");
    let queued = mails(&app, "member_nominated").await;
    let secretariat_members = natur_secretariat(&app).await;
    assert_eq!(sorted_to(&queued), secretariat_members);
    assert!(queued[0].2.contains("Karla Kommune") && queued[0].2.contains("stabsgruppens næste ordinære møde"));

    // The secretariat nominating someone does not mail itself.
    let secretariat = app.login_as(SECRETARIAT).await;
    let other = new_person(&app, "Ole Odense", "ole@odense.example", "Odense Kommune", false).await;
    nominate_to_natur(&app, &secretariat, other).await;
    let after = mails(&app, "member_nominated").await;
    let to_others: Vec<&String> = after[queued.len()..].iter().map(|(to, _, _)| to).collect();
    assert_eq!(to_others.len(), secretariat_members.len() - 1, "{to_others:?}");
    assert!(!to_others.iter().any(|to| to.as_str() == SECRETARIAT), "not to the one who nominated");
}

/// Who waits on an approval is the nominated person, who got no meeting material until now; on an
/// ended membership, the person whose group mails stop. The page and the API tell them alike.
#[tokio::test]
async fn the_approved_member_is_told_they_take_part_and_an_ended_one_that_the_groups_mails_stop_m5() {
    let app = spawn_app().await;
    let admin = app.login_as(ADMIN).await;
    let person = new_person(&app, "Karla Kommune", "karla@odense.example", "Odense Kommune", false).await;
    nominate_to_natur(&app, &admin, person).await;
    assert!(mails(&app, "membership").await.is_empty(), "a nomination tells the secretariat, not yet the person");
    let membership: i64 = sqlx::query_scalar(
        "SELECT ms.id FROM memberships ms JOIN groups g ON g.id = ms.group_id WHERE g.slug = 'natur' AND ms.person_id = $1",
    )
    .bind(person)
    .fetch_one(&app.db)
    .await
    .unwrap();

    let approve = format!("/grupper/natur/medlemmer/{membership}/godkend");
    assert_eq!(form(&app, &admin, &approve, &[("approved_on", "2026-11-20")]).await.status(), StatusCode::SEE_OTHER);
    let told = mails(&app, "membership").await;
    assert_eq!(told.len(), 1, "{told:?}");
    let (to, subject, body) = &told[0];
    assert_eq!(to, "karla@odense.example");
    assert!(subject.starts_with("Du er nu suppleant i"), "{subject}");
    assert!(body.contains("Stabsgruppen har godkendt dig som suppleant i"), "{body}");
    assert!(body.contains("dagsordener og referater") && body.contains("(M5)"), "what it means for them: {body}");

    // Ended through the API: the same command, the same mail.
    let token = api_token(&app, SECRETARIAT).await;
    let ended = app
        .client()
        .post(app.url(&format!("/api/v1/memberships/{membership}/end")))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "ends_on": "2027-06-30" }))
        .send()
        .await
        .unwrap();
    assert_eq!(ended.status(), StatusCode::NO_CONTENT);
    let told = mails(&app, "membership").await;
    assert_eq!(told.len(), 2, "{told:?}");
    let (to, subject, body) = &told[1];
    assert_eq!(to, "karla@odense.example");
    assert!(subject.contains("er afsluttet"), "{subject}");
    assert!(body.contains("Du får ikke længere dagsordener"), "{body}");
}

#[tokio::test]
async fn an_escalation_reaches_the_board_and_its_outcome_the_groups_secretariat_over_real_smtp_c2() {
    let smtp = SmtpServer::start().await;
    let app = spawn_app().await;
    let admin = app.login_as(ADMIN).await;
    let request: i64 = sqlx::query_scalar(
        "SELECT c.id FROM change_requests c JOIN groups g ON g.id = c.group_id WHERE g.slug = 'natur' ORDER BY c.id LIMIT 1",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    let path = format!("/aendringsoensker/{request}/eskaleringer");
    let escalated = form(&app, &admin, &path, &[("reason", "Værdien er omstridt mellem parterne.")]).await;
    assert_eq!(escalated.status(), StatusCode::SEE_OTHER);
    let board: Vec<String> = mails(&app, "escalation").await.into_iter().map(|(to, _, _)| to).collect();
    let mut expected = vec!["bo.sandberg@rm.example", "kirsten.hoej@mim.example", "vibeke.lynge@aalborg.example"];
    expected.sort();
    let mut got = board.clone();
    got.sort();
    assert_eq!(got, expected, "the board's chair and members, once each");

    let escalation: i64 = sqlx::query_scalar("SELECT id FROM change_request_escalations WHERE change_request_id = $1")
        .bind(request)
        .fetch_one(&app.db)
        .await
        .unwrap();
    let outcome = [("outcome", "Bestyrelsen godkender under forudsætning af medfinansiering.")];
    assert_eq!(form(&app, &admin, &format!("{path}/{escalation}"), &outcome).await.status(), StatusCode::SEE_OTHER);
    let decided = mails(&app, "escalation_decided").await;
    assert_eq!(sorted_to(&decided), natur_secretariat(&app).await);

    // Over SMTP, each exactly once.
    let sender =
        samarbejdsrum::mail::Mailer::from_url(&smtp.url(), "Samarbejdsrum <noreply@samarbejdsrum.local>").unwrap();
    let sent = samarbejdsrum::jobs::mailer::run_once(&app.state, &sender).await.unwrap();
    assert_eq!(samarbejdsrum::jobs::mailer::run_once(&app.state, &sender).await.unwrap(), 0, "nothing twice");
    let received = smtp.received();
    assert_eq!(received.len(), sent);
    let secretariat_members = natur_secretariat(&app).await;
    for to in expected.iter().copied().chain(secretariat_members.iter().map(String::as_str)) {
        assert_eq!(received.iter().filter(|m| m.to.iter().any(|t| t.contains(to))).count(), 1, "{to}");
    }
}

/// The change request of Natur titled `title`.
async fn request_titled(app: &TestApp, title: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM change_requests WHERE title = $1").bind(title).fetch_one(&app.db).await.unwrap()
}

#[tokio::test]
async fn a_members_change_request_reaches_the_secretariat_and_each_step_the_member_through_both_doors_c1() {
    let app = spawn_app().await;
    let member = app.login_as(MEMBER).await;
    let secretariat = app.login_as(SECRETARIAT).await;
    let idea = [
        ("title", "Kort over besigtigelser"),
        ("business_need", "Sagsbehandlerne mangler et overblik over besigtigelserne."),
        ("priority", "high"),
    ];
    let token = app.csrf(&member, "/grupper/natur/aendringsoensker/ny").await;
    let mut fields = vec![("csrf_token", token.as_str())];
    fields.extend_from_slice(&idea);
    assert_eq!(
        app.post_form(&member, "/grupper/natur/aendringsoensker", &fields).await.status(),
        StatusCode::SEE_OTHER
    );

    // The page's door: the group's secretariat learns of the idea, what it says and what to do.
    let proposed = mails(&app, "change_request_proposed").await;
    assert_eq!(sorted_to(&proposed), natur_secretariat(&app).await, "Natur's secretariat, once each");
    let (_, subject, body) = &proposed[0];
    assert_eq!(subject, "Nyt ændringsønske i Natur: Kort over besigtigelser");
    assert!(
        body.contains("mangler et overblik over besigtigelserne") && body.contains("Beskriv ændringsønsket"),
        "{body}"
    );
    assert!(body.contains("/grupper/natur/aendringsoensker?status=idea"), "{body}");

    // A step by the secretariat tells the member, with the note and what comes next.
    let id = request_titled(&app, "Kort over besigtigelser").await;
    let token = app.csrf(&secretariat, &format!("/aendringsoensker/{id}")).await;
    let step = [("csrf_token", token.as_str()), ("status", "described"), ("note", "Beskrevet med Karin.")];
    let stepped = app.post_form(&secretariat, &format!("/aendringsoensker/{id}/status"), &step).await;
    assert_eq!(stepped.status(), StatusCode::SEE_OTHER);
    let told = mails(&app, "change_request_status").await;
    assert_eq!(sorted_to(&told), vec![MEMBER.to_owned()], "the proposer only");
    let (_, subject, body) = &told[0];
    assert!(subject.starts_with("Dit ændringsønske ÆØ-") && subject.ends_with("er nu: Beskrevet"), "{subject}");
    assert!(body.contains("fra «Idé» til «Beskrevet»") && body.contains("Beskrevet med Karin."), "{body}");
    assert!(body.contains("gør ændringsønsket klar til beslutning"), "{body}");
    assert!(body.contains(&format!("/aendringsoensker/{id}#historik")), "{body}");

    // A refused step tells nobody: the rule stops it before any mail.
    let token = app.csrf(&secretariat, &format!("/aendringsoensker/{id}")).await;
    let skip = [("csrf_token", token.as_str()), ("status", "approved"), ("note", "")];
    let refused = app.post_form(&secretariat, &format!("/aendringsoensker/{id}/status"), &skip).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(mails(&app, "change_request_status").await.len(), 1);

    // The secretariat's own registration tells nobody.
    let token = app.csrf(&secretariat, "/grupper/natur/aendringsoensker/ny").await;
    let own = [("csrf_token", token.as_str()), ("title", "Sekretariatets eget"), ("priority", "low")];
    assert_eq!(
        app.post_form(&secretariat, "/grupper/natur/aendringsoensker", &own).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(mails(&app, "change_request_proposed").await.len(), proposed.len());

    // The API's door: the same hand-offs, through the same use cases.
    use reqwest::Method;
    let natur = group_id(&app, "natur").await;
    let (member_token, secretariat_token) = (api_token(&app, MEMBER).await, api_token(&app, SECRETARIAT).await);
    let body = serde_json::json!({"title": "Fotos på besigtigelser", "priority": "medium"});
    let path = format!("/api/v1/groups/{natur}/change-requests");
    let (status, created) = api_call(&app, Method::POST, &member_token, &path, Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let over_api = mails(&app, "change_request_proposed").await;
    assert_eq!(over_api.len(), 2 * proposed.len());
    assert_eq!(over_api.last().unwrap().1, "Nyt ændringsønske i Natur: Fotos på besigtigelser");
    let path = format!("/api/v1/change-requests/{}/status", created["id"]);
    let (status, _) =
        api_call(&app, Method::POST, &secretariat_token, &path, Some(serde_json::json!({"status": "described"}))).await;
    assert_eq!(status, StatusCode::OK);
    let told = mails(&app, "change_request_status").await;
    assert_eq!(told.len(), 2);
    assert_eq!(told[1].0, MEMBER);
    assert!(told[1].2.contains("fra «Idé» til «Beskrevet»."), "no note, no quote: {}", told[1].2);
}

/// The pending requests for items of `meeting`, oldest first.
async fn requests_of(app: &TestApp, meeting: i64) -> Vec<i64> {
    sqlx::query_scalar("SELECT id FROM agenda_item_requests WHERE meeting_id = $1 ORDER BY id")
        .bind(meeting)
        .fetch_all(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_member_who_asked_for_an_item_hears_whether_it_was_taken_on_or_declined_and_why_a3() {
    let app = spawn_app().await;
    let meeting = new_meeting(&app, "natur", "2027-03-31").await;
    app.set_time("2027-02-15T10:00:00Z".parse().unwrap());
    let (member, secretariat) = (app.login_as(MEMBER).await, app.login_as(SECRETARIAT).await);
    assert_eq!(post_meeting(&app, &secretariat, meeting, "/dagsorden", &[]).await.status(), StatusCode::SEE_OTHER);
    for title in ["Naturtjek i kommunerne", "Fælles indkøb af droner"] {
        let asked = post_meeting(&app, &member, meeting, "/punktoensker", &[("title", title)]).await;
        assert_eq!(asked.status(), StatusCode::SEE_OTHER);
    }
    let [taken, declined] = requests_of(&app, meeting).await[..] else { panic!("two requests") };

    // Declined without a reason: refused with the rule, nobody told.
    let path = |r: i64| format!("/punktoensker/{r}");
    let bare = post_meeting(&app, &secretariat, meeting, &path(declined), &[("decision", "afvis")]).await;
    assert_eq!(bare.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bare.text().await.unwrap().contains("Skriv en begrundelse"));
    assert!(mails(&app, "agenda_item_decided").await.is_empty());

    let accepted = post_meeting(&app, &secretariat, meeting, &path(taken), &[("decision", "accepter")]).await;
    assert_eq!(accepted.status(), StatusCode::SEE_OTHER);
    let reason = [("decision", "afvis"), ("reason", "Droner hører under Bestyrelsen.")];
    assert_eq!(
        post_meeting(&app, &secretariat, meeting, &path(declined), &reason).await.status(),
        StatusCode::SEE_OTHER
    );

    let told = mails(&app, "agenda_item_decided").await;
    assert_eq!(sorted_to(&told), vec![MEMBER.to_owned(), MEMBER.to_owned()], "the member who asked, once a decision");
    let (_, subject, body) = &told[0];
    assert!(subject.starts_with("Dit ønske om punkt er sat på dagsordenen: Natur"), "{subject}");
    assert!(body.contains("«Naturtjek i kommunerne»") && body.contains("er sat på udkastet"), "{body}");
    let (_, subject, body) = &told[1];
    assert!(subject.starts_with("Dit ønske om punkt er afvist: Natur"), "{subject}");
    assert!(body.contains("«Fælles indkøb af droner»") && body.contains("Droner hører under Bestyrelsen."), "{body}");

    // Decided once: a second decision is refused and tells nobody again.
    let again = post_meeting(&app, &secretariat, meeting, &path(taken), &[("decision", "accepter")]).await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(mails(&app, "agenda_item_decided").await.len(), 2);
}
