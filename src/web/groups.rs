//! Groups: the list, a group's page (members by party with warnings, charter, solutions), and the
//! secretariat's forms for groups and memberships (M1-M6, M9, O2-O4, S1-S3).

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::auth::Ctx;
use super::error::AppError;
use super::forms::FieldErrors;
use super::layout::{Layout, Nav};
use crate::app;
use crate::domain::access::{Confidentiality, GroupRole, Viewer};
use crate::domain::calendar::local_date;
use crate::domain::composition::{self, SeatStatus, Warning};
use crate::domain::document_codes::CharterStatus;
use crate::domain::group::{self, GroupDraft, GroupStatus};
use crate::domain::ids::{MeetingId, MembershipId};
use crate::domain::input::Choice;
use crate::domain::onboarding::OnboardingStep;
use crate::domain::refusal::Refusal;
use crate::state::AppState;
use crate::store::group_page::{PEOPLE_LISTED, PeopleWanted};
use crate::store::memberships::{self, Member, NewMembership};
use crate::store::{self, charters, group_page, groups};
use crate::text;

#[derive(Template)]
#[template(path = "groups/list.html")]
struct ListPage {
    l: Layout,
    groups: Vec<groups::GroupSummary>,
    can_edit: bool,
}

/// GET /grupper
pub async fn list(State(state): State<AppState>, ctx: Ctx) -> Result<Html<String>, AppError> {
    let groups = groups::list(&state.db, ctx.scope()).await?;
    Ok(Html(
        ListPage { l: ctx.layout(Nav::Groups, "Grupper"), groups, can_edit: ctx.viewer().is_secretariat() }.render()?,
    ))
}

/// The group, if this person may read it (O5, M5); a group they may not read is not found.
pub async fn readable_group(state: &AppState, ctx: &Ctx, slug: &str) -> Result<groups::Group, AppError> {
    groups::readable(&state.db, groups::GroupKey::Slug(slug), ctx.scope()).await?.ok_or(AppError::NotFound)
}

struct PartyBlock {
    name: String,
    members: Vec<MemberLine>,
}

struct MemberLine {
    membership_id: i64,
    person_id: i64,
    name: String,
    title: String,
    organisation: String,
    role: &'static str,
    effort: &'static str,
    management_level: bool,
    nominated: bool,
    since: String,
    onboarding: Vec<OnboardingLine>,
}

struct OnboardingLine {
    step: &'static str,
    label: &'static str,
    done: bool,
}

/// The add-member form's input, kept when the form comes back.
#[derive(Deserialize, Default, Clone)]
pub struct MemberForm {
    #[serde(default)]
    person_id: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    party_id: String,
    #[serde(default)]
    starts_on: String,
}

#[derive(Template)]
#[template(path = "groups/show.html")]
struct ShowPage {
    l: Layout,
    group: groups::Group,
    can_edit: bool,
    parties: Vec<PartyBlock>,
    warnings: Vec<Warning>,
    refusal: Option<Refusal>,
    solutions: Vec<groups::Solution>,
    charter: Option<charters::Charter>,
    charter_approved_on: String,
    explanations: Vec<groups::Explanation>,
    responsibilities: Vec<String>,
    form: MemberForm,
    errors: FieldErrors,
    people: Vec<Choice>,
    /// The add-member form's person search, and whether more people match than it lists.
    find: String,
    more_people: bool,
    party_choices: Vec<Choice>,
    staff_meetings: Vec<Choice>,
    today: String,
    counted: usize,
}

impl ShowPage {
    fn respond(self, status: StatusCode) -> Result<Response, AppError> {
        Ok((status, Html(self.render()?)).into_response())
    }
}

/// The group page read afresh (a form shown again, a search among people for the add-member form).
async fn show_page(
    state: &AppState,
    ctx: &Ctx,
    group: groups::Group,
    wanted: &PeopleWanted,
) -> Result<ShowPage, AppError> {
    let can_edit = ctx.viewer().is_secretariat();
    // One statement for the page's parts.
    let data = group_page::load(&state.db, group.id, can_edit, wanted).await?.ok_or(AppError::NotFound)?;
    page_from(state, ctx, group, data, wanted)
}

/// The group page from its data.
fn page_from(
    state: &AppState,
    ctx: &Ctx,
    group: groups::Group,
    data: group_page::GroupPageData,
    wanted: &PeopleWanted,
) -> Result<ShowPage, AppError> {
    let can_edit = ctx.viewer().is_secretariat();
    let group_page::GroupPageData {
        members,
        solutions,
        charters: versions,
        explanations,
        onboarding,
        rules,
        responsibilities,
        people,
        parties: all_parties,
        staff_meetings,
    } = data;
    let seats: Vec<_> = members.iter().map(Member::seat).collect();
    let warnings = composition::warnings(&rules, &seats);
    let counted =
        seats.iter().filter(|s| s.status == composition::SeatStatus::Active && s.role != GroupRole::Substitute).count();
    let mut parties: Vec<PartyBlock> = Vec::new();
    for m in &members {
        let party = m.party_name.clone().unwrap_or_else(|| "Uden part".into());
        let role = Some(m.role);
        let line = MemberLine {
            membership_id: m.membership_id,
            person_id: m.person_id,
            name: m.name.clone(),
            title: m.title.clone(),
            organisation: m.organisation.clone().unwrap_or_default(),
            role: role.map(GroupRole::label).unwrap_or(""),
            effort: role.and_then(GroupRole::expected_effort).unwrap_or(""),
            management_level: m.management_level,
            nominated: m.status == SeatStatus::Nominated,
            since: m.starts_on.map(text::short_date).unwrap_or_default(),
            onboarding: onboarding
                .iter()
                .filter(|s| s.membership_id == m.membership_id)
                .map(|s| OnboardingLine { step: s.step.as_str(), label: s.step.label(), done: s.done_on.is_some() })
                .collect(),
        };
        match parties.iter_mut().find(|p| p.name == party) {
            Some(block) => block.members.push(line),
            None => parties.push(PartyBlock { name: party, members: vec![line] }),
        }
    }
    let charter = versions.iter().find(|c| c.status == CharterStatus::Approved).or(versions.first()).cloned();
    let responsibilities =
        responsibilities.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect();
    let more_people = people.len() > PEOPLE_LISTED;
    let people = people
        .into_iter()
        .take(PEOPLE_LISTED)
        .map(|p| Choice {
            value: p.id.to_string(),
            label: format!("{} ({})", p.name, p.organisation.unwrap_or(p.email)),
        })
        .collect();
    let party_choices = all_parties.into_iter().map(|p| Choice { value: p.id.to_string(), label: p.name }).collect();
    let staff_meetings = staff_meetings
        .into_iter()
        .map(|m| Choice { value: m.id.to_string(), label: text::datetime(m.starts_at) })
        .collect();
    let today = local_date(state.clock.now()).to_string();
    Ok(ShowPage {
        l: ctx.layout(Nav::Groups, group.name.clone()),
        charter_approved_on: charter.as_ref().and_then(|c| c.approved_on).map(text::date).unwrap_or_default(),
        group,
        can_edit,
        parties,
        warnings,
        refusal: None,
        solutions,
        charter,
        explanations,
        responsibilities,
        form: MemberForm { starts_on: today.clone(), ..MemberForm::default() },
        errors: FieldErrors::default(),
        people,
        find: wanted.find.clone(),
        more_people,
        party_choices,
        staff_meetings,
        today,
        counted,
    })
}

#[derive(Deserialize)]
pub struct ShowQuery {
    /// The add-member form's person search (name or e-mail).
    #[serde(default)]
    find: String,
}

/// The longest person search taken; a name or an address is far shorter.
const FIND_MAX_CHARS: usize = 100;

/// GET /grupper/{slug}
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(query): Query<ShowQuery>,
) -> Result<Response, AppError> {
    let wanted = PeopleWanted { find: query.find.trim().chars().take(FIND_MAX_CHARS).collect(), chosen: None };
    if !wanted.find.is_empty() {
        let group = readable_group(&state, &ctx, &slug).await?;
        return show_page(&state, &ctx, group, &wanted).await?.respond(StatusCode::OK);
    }
    let secretariat = ctx.viewer().is_secretariat();
    let kept = group_page::view(
        &state.db,
        &state.kept.group_pages,
        &state.kept.group_readers,
        &slug,
        ctx.scope(),
        secretariat,
        ctx.user.read_version,
    )
    .await?
    .ok_or(AppError::NotFound)?;
    // The page takes its parts apart; the kept copy stays as it is for the next reader.
    let group_page::GroupPageCopy { group, data } = group_page::GroupPageCopy::clone(&kept);
    page_from(&state, &ctx, group, data, &wanted)?.respond(StatusCode::OK)
}

fn parse_role(s: &str) -> Option<GroupRole> {
    GroupRole::parse(s)
}

/// POST /grupper/{slug}/medlemmer
pub async fn add_member(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<MemberForm>,
) -> Result<Response, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    let group = readable_group(&state, &ctx, &slug).await?;
    let mut errors = FieldErrors::default();
    let person_id = form.person_id.parse::<i64>().map_err(|_| errors.add("person_id", "Vælg en person.")).ok();
    let role = parse_role(&form.role).ok_or_else(|| errors.add("role", "Vælg en rolle.")).ok();
    let party_id = match form.party_id.trim() {
        "" => None,
        s => s.parse::<i64>().map_err(|_| errors.add("party_id", "Vælg en part.")).ok(),
    };
    let starts_on = crate::domain::input::date(form.starts_on.trim())
        .map_err(|_| errors.add("starts_on", "Skriv en dato som åååå-mm-dd."))
        .ok();
    let (Some(person_id), Some(role), Some(starts_on)) = (person_id, role, starts_on) else {
        return member_form_again(&state, &ctx, group, form, errors, None).await;
    };
    let new = NewMembership { group_id: group.id, person_id, role, party_id, starts_on };
    match app::memberships::appoint(&state, &ctx.actor(), ctx.scope(), &new).await {
        Ok(_) => Ok(Redirect::to(&format!("/grupper/{slug}#medlemmer")).into_response()),
        Err(app::Error::Store(store::Error::Refused(refusal))) => {
            member_form_again(&state, &ctx, group, form, errors, Some(refusal)).await
        }
        Err(app::Error::Store(store::Error::NotFound)) => {
            errors.add("person_id", "Personen findes ikke.");
            member_form_again(&state, &ctx, group, form, errors, None).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The group page again with the add-member form as the user filled it in, and why it failed.
async fn member_form_again(
    state: &AppState,
    ctx: &Ctx,
    group: groups::Group,
    form: MemberForm,
    errors: FieldErrors,
    refusal: Option<Refusal>,
) -> Result<Response, AppError> {
    let wanted = PeopleWanted { find: String::new(), chosen: form.person_id.trim().parse().ok() };
    let mut page = show_page(state, ctx, group, &wanted).await?;
    page.form = form;
    page.errors = errors;
    page.refusal = refusal;
    page.respond(StatusCode::UNPROCESSABLE_ENTITY)
}

#[derive(Deserialize)]
pub struct ApproveForm {
    #[serde(default)]
    approved_on: String,
    #[serde(default)]
    staff_meeting_id: String,
}

/// POST /grupper/{slug}/medlemmer/{id}/godkend (M5)
pub async fn approve_member(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(form): Form<ApproveForm>,
) -> Result<Response, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    let group = readable_group(&state, &ctx, &slug).await?;
    if memberships::group_id_of(&state.db, id).await.ok() != Some(group.id) {
        return Err(AppError::NotFound);
    }
    let Ok(approved_on) = crate::domain::input::date(form.approved_on.trim()) else {
        let mut page = show_page(&state, &ctx, group, &PeopleWanted::default()).await?;
        page.refusal = Some(Refusal {
            rule: "M5",
            message: "Skriv datoen for Stabsgruppens godkendelse som åååå-mm-dd.".into(),
        });
        return page.respond(StatusCode::UNPROCESSABLE_ENTITY);
    };
    let meeting = form.staff_meeting_id.trim().parse().ok().map(MeetingId);
    match app::memberships::approve(&state, &ctx.actor(), MembershipId(id), approved_on, meeting).await {
        Ok(()) => Ok(Redirect::to(&format!("/grupper/{slug}#medlemmer")).into_response()),
        Err(app::Error::Store(store::Error::Refused(refusal))) => {
            let mut page = show_page(&state, &ctx, group, &PeopleWanted::default()).await?;
            page.refusal = Some(refusal);
            page.respond(StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(app::Error::Store(store::Error::NotFound)) => Err(AppError::NotFound),
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct EndForm {
    #[serde(default)]
    ends_on: String,
}

/// POST /grupper/{slug}/medlemmer/{id}/afslut
pub async fn end_member(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(form): Form<EndForm>,
) -> Result<Response, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    let group = readable_group(&state, &ctx, &slug).await?;
    if memberships::group_id_of(&state.db, id).await.ok() != Some(group.id) {
        return Err(AppError::NotFound);
    }
    let Ok(ends_on) = crate::domain::input::date(form.ends_on.trim()) else {
        return Err(AppError::BadRequest("Skriv medlemskabets sidste dag som en dato (åååå-mm-dd).".into()));
    };
    app::memberships::end(&state, &ctx.actor(), id, ends_on).await?;
    Ok(Redirect::to(&format!("/grupper/{slug}#medlemmer")).into_response())
}

#[derive(Deserialize)]
pub struct OnboardingForm {
    step: String,
    #[serde(default, deserialize_with = "crate::web::forms::checkbox")]
    done: bool,
}

/// POST /grupper/{slug}/medlemmer/{id}/onboarding (M9)
pub async fn onboarding_step(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, i64)>,
    Form(form): Form<OnboardingForm>,
) -> Result<Response, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    let group = readable_group(&state, &ctx, &slug).await?;
    if memberships::group_id_of(&state.db, id).await.ok() != Some(group.id) {
        return Err(AppError::NotFound);
    }
    let step = OnboardingStep::parse(&form.step)
        .ok_or_else(|| AppError::BadRequest("Ukendt trin i introduktionen af et nyt medlem.".into()))?;
    let done_on = form.done.then(|| local_date(state.clock.now()));
    if !memberships::set_onboarding_step(&state.db, &ctx.actor(), id, step, done_on).await? {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to(&format!("/grupper/{slug}#medlemmer")).into_response())
}

#[derive(Deserialize)]
pub struct ExplanationForm {
    #[serde(default)]
    requirement: String,
    #[serde(default)]
    explanation: String,
}

/// POST /grupper/{slug}/foelg-eller-forklar (S3)
pub async fn add_explanation(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<ExplanationForm>,
) -> Result<Response, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    let group = readable_group(&state, &ctx, &slug).await?;
    if form.requirement.trim().is_empty() || form.explanation.trim().is_empty() {
        let mut page = show_page(&state, &ctx, group, &PeopleWanted::default()).await?;
        page.refusal = Some(Refusal {
            rule: "S3",
            message: "Skriv både kravet og forklaringen på, hvorfor det ikke følges.".into(),
        });
        return page.respond(StatusCode::UNPROCESSABLE_ENTITY);
    }
    groups::add_explanation(&state.db, &ctx.actor(), group.id, form.requirement.trim(), form.explanation.trim())
        .await?;
    Ok(Redirect::to(&format!("/grupper/{slug}#foelg-eller-forklar")).into_response())
}

/// The new/edit group form.
#[derive(Deserialize, Default, Clone)]
pub struct GroupForm {
    #[serde(default)]
    kind_id: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    confidentiality: String,
}

#[derive(Template)]
#[template(path = "groups/form.html")]
struct FormPage {
    l: Layout,
    editing: Option<String>,
    form: GroupForm,
    errors: FieldErrors,
    kinds: Vec<Choice>,
}

impl GroupForm {
    /// The raw fields for the parse the API shares; the kind comes as an id from the select box.
    fn draft(&self) -> GroupDraft<'_> {
        GroupDraft {
            kind_id: self.kind_id.trim().parse().ok(),
            kind_field: "kind_id",
            slug: &self.slug,
            name: &self.name,
            purpose: &self.purpose,
            status: GroupStatus::parse(&self.status),
            confidentiality: Confidentiality::parse(&self.confidentiality),
        }
    }
}

async fn kind_choices(state: &AppState) -> Result<Vec<Choice>, AppError> {
    Ok(groups::kinds(&state.db).await?.into_iter().map(|k| Choice { value: k.id.to_string(), label: k.name }).collect())
}

/// GET /grupper/ny
pub async fn new_form(State(state): State<AppState>, ctx: Ctx) -> Result<Html<String>, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    let form = GroupForm {
        confidentiality: Confidentiality::Internal.code().into(),
        status: GroupStatus::Active.code().into(),
        ..GroupForm::default()
    };
    let page = FormPage {
        l: ctx.layout(Nav::Groups, "Ny gruppe"),
        editing: None,
        form,
        errors: FieldErrors::default(),
        kinds: kind_choices(&state).await?,
    };
    Ok(Html(page.render()?))
}

/// POST /grupper
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<GroupForm>,
) -> Result<Response, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    let parsed = form.draft().parse_new();
    let rerender = |errors: FieldErrors, form: GroupForm| async {
        let page = FormPage {
            l: ctx.layout(Nav::Groups, "Ny gruppe"),
            editing: None,
            form,
            errors,
            kinds: kind_choices(&state).await?,
        };
        Ok::<Response, AppError>((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
    };
    let input = match parsed {
        Ok(input) => input,
        Err(errors) => return rerender(errors, form).await,
    };
    match app::groups::create(&state, &ctx.actor(), &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/grupper/{}", input.slug)).into_response()),
        Err(app::Error::Store(store::Error::Taken(_))) => {
            rerender(FieldErrors::one("slug", group::SLUG_TAKEN), form).await
        }
        Err(app::Error::Store(store::Error::Unknown(_))) => {
            rerender(FieldErrors::one("kind_id", "Vælg en gruppetype."), form).await
        }
        Err(e) => Err(e.into()),
    }
}

/// GET /grupper/{slug}/rediger
pub async fn edit_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Html<String>, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    let group = readable_group(&state, &ctx, &slug).await?;
    let form = GroupForm {
        kind_id: group.kind_id.to_string(),
        slug: group.slug.clone(),
        name: group.name.clone(),
        purpose: group.purpose.clone(),
        status: group.status.code().into(),
        confidentiality: group.confidentiality.code().into(),
    };
    let page = FormPage {
        l: ctx.layout(Nav::Groups, format!("Rediger {}", group.name)),
        editing: Some(slug),
        form,
        errors: FieldErrors::default(),
        kinds: kind_choices(&state).await?,
    };
    Ok(Html(page.render()?))
}

/// POST /grupper/{slug}
pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<GroupForm>,
) -> Result<Response, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    let group = readable_group(&state, &ctx, &slug).await?;
    let edit = match form.draft().parse_edit() {
        Ok(edit) => edit,
        Err(errors) => {
            let page = FormPage {
                l: ctx.layout(Nav::Groups, format!("Rediger {}", group.name)),
                editing: Some(slug),
                form,
                errors,
                kinds: kind_choices(&state).await?,
            };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response());
        }
    };
    groups::update(&state.db, &ctx.actor(), group.id, &edit).await?;
    Ok(Redirect::to(&format!("/grupper/{slug}")).into_response())
}
