//! People (M7, M8, M10): the secretariat's register, a person's page with groups, roles and
//! history, the forms to add and edit people, and buy-out agreements. Parties and organisations
//! (O1) are edited here too.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::Deserialize;

use super::auth::Ctx;
use super::error::AppError;
use super::forms::FieldErrors;
use super::layout::{Layout, Nav};
use crate::app::accounts::{self, EmailEdit, PersonUpdate};
use crate::domain::access::{GlobalRole, Viewer};
use crate::domain::composition::PartyKind;
use crate::domain::input::Choice;
use crate::domain::person::{self, PersonDraft};
use crate::state::AppState;
use crate::store::people::{self, PersonInput};
use crate::store::{self, groups, memberships};
use crate::text;

#[derive(Deserialize, Default)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    part: String,
}

#[derive(Template)]
#[template(path = "people/list.html")]
struct ListPage {
    l: Layout,
    q: String,
    part: String,
    parties: Vec<Choice>,
    people: Vec<people::Person>,
}

/// GET /personer (M8)
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<SearchQuery>,
) -> Result<Html<String>, AppError> {
    ctx.require(Viewer::can_see_people_register)?;
    let party_id = query.part.parse::<i64>().ok();
    let people = people::search(&state.db, &query.q, party_id).await?;
    let parties = people::parties(&state.db)
        .await?
        .into_iter()
        .map(|p| Choice { value: p.id.to_string(), label: p.name })
        .collect();
    Ok(Html(
        ListPage { l: ctx.layout(Nav::People, "Personer"), q: query.q, part: query.part, parties, people }.render()?,
    ))
}

struct MembershipLine {
    group_slug: String,
    group_name: String,
    role: &'static str,
    party: String,
    status: &'static str,
    period: String,
}

struct BuyoutLine {
    group: String,
    description: String,
    hours: String,
    period: String,
}

#[derive(Template)]
#[template(path = "people/show.html")]
struct ShowPage {
    l: Layout,
    person: people::Person,
    can_edit: bool,
    /// GDPR: an administrator may export or erase the person's data.
    can_administer: bool,
    /// A new sign-in address waiting for confirmation, and whether an invitation may be sent.
    access: accounts::Access,
    /// The global roles, for an administrator's role and invitation forms.
    roles: &'static [GlobalRole],
    memberships: Vec<MembershipLine>,
    buyouts: Vec<BuyoutLine>,
    buyout: BuyoutForm,
    groups: Vec<Choice>,
    errors: FieldErrors,
}

impl ShowPage {
    /// The account's present role, for the role form's selection.
    fn is_role(&self, role: &GlobalRole) -> bool {
        self.access.role == Some(*role)
    }

    /// The role an invitation offers first: the account's, or "Bruger" for a person without one.
    fn is_invitation_role(&self, role: &GlobalRole) -> bool {
        self.access.role.unwrap_or(GlobalRole::User) == *role
    }
}

fn period(from: Option<NaiveDate>, to: Option<NaiveDate>) -> String {
    match (from, to) {
        (Some(f), Some(t)) => format!("{} – {}", text::short_date(f), text::short_date(t)),
        (Some(f), None) => format!("fra {}", text::short_date(f)),
        _ => String::new(),
    }
}

/// The secretariat sees everyone (M8); a person sees their own page.
fn may_view(ctx: &Ctx, person_id: i64) -> Result<(), AppError> {
    if ctx.viewer().can_see_people_register() || ctx.user.person_id == person_id {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

async fn show_page(state: &AppState, ctx: &Ctx, id: i64) -> Result<ShowPage, AppError> {
    may_view(ctx, id)?;
    let person = people::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let (history, buyouts, all_groups) = tokio::try_join!(
        memberships::of_person(&state.db, id),
        people::buyouts(&state.db, id),
        groups::list(&state.db, ctx.scope()),
    )?;
    let access = accounts::access(state, ctx.user.acting(), id).await?;
    Ok(ShowPage {
        l: ctx.layout(Nav::People, person.name.clone()),
        can_edit: ctx.viewer().is_secretariat(),
        can_administer: ctx.viewer().can_administer(),
        access,
        roles: &[GlobalRole::User, GlobalRole::Secretariat, GlobalRole::Admin],
        memberships: history
            .into_iter()
            .map(|m| MembershipLine {
                role: m.role.label(),
                party: m.party_name.unwrap_or_default(),
                status: m.status.label(),
                period: period(m.starts_on, m.ends_on),
                group_slug: m.group_slug,
                group_name: m.group_name,
            })
            .collect(),
        buyouts: buyouts
            .into_iter()
            .map(|b| BuyoutLine {
                group: b.group_name.unwrap_or_default(),
                description: b.description,
                hours: b
                    .hours
                    .map(|h| format!("{} t", h.normalize().to_string().replace('.', ",")))
                    .unwrap_or_default(),
                period: period(Some(b.starts_on), b.ends_on),
            })
            .collect(),
        buyout: BuyoutForm::default(),
        groups: all_groups.into_iter().map(|g| Choice { value: g.id.to_string(), label: g.name }).collect(),
        errors: FieldErrors::default(),
        person,
    })
}

/// GET /personer/{id}
pub async fn show(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Html<String>, AppError> {
    Ok(Html(show_page(&state, &ctx, id).await?.render()?))
}

#[derive(Deserialize, Default, Clone)]
pub struct PersonForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    organisation_id: String,
    #[serde(default)]
    management_level: Option<String>,
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    competences: String,
    #[serde(default)]
    education: String,
    #[serde(default)]
    networks: String,
}

impl PersonForm {
    fn from_person(p: &people::Person) -> Self {
        PersonForm {
            name: p.name.clone(),
            title: p.title.clone(),
            organisation_id: p.organisation_id.map(|i| i.to_string()).unwrap_or_default(),
            management_level: p.management_level.then(|| "ja".into()),
            email: p.email.clone(),
            phone: p.phone.clone(),
            competences: p.competences.clone(),
            education: p.education.clone(),
            networks: p.networks.clone(),
        }
    }

    fn is_manager(&self) -> bool {
        self.management_level.is_some()
    }

    /// The input, or the Danish messages of what is wrong with it (the API parses the same way).
    pub fn validate(&self) -> Result<PersonInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let organisation_id = match self.organisation_id.trim() {
            "" => None,
            s => s.parse::<i64>().map_err(|_| errors.add("organisation_id", "Vælg en organisation.")).ok(),
        };
        PersonDraft {
            name: &self.name,
            title: &self.title,
            organisation_id,
            management_level: self.is_manager(),
            email: &self.email,
            phone: &self.phone,
            competences: &self.competences,
            education: &self.education,
            networks: &self.networks,
        }
        .parse(errors)
    }
}

#[derive(Template)]
#[template(path = "people/form.html")]
struct FormPage {
    l: Layout,
    editing: Option<i64>,
    form: PersonForm,
    errors: FieldErrors,
    organisations: Vec<Choice>,
    email: EmailEdit,
}

async fn organisation_choices(state: &AppState) -> Result<Vec<Choice>, AppError> {
    Ok(people::organisations(&state.db)
        .await?
        .into_iter()
        .map(|o| Choice { value: o.id.to_string(), label: format!("{} ({})", o.name, o.party) })
        .collect())
}

async fn form_page(
    state: &AppState,
    ctx: &Ctx,
    editing: Option<i64>,
    form: PersonForm,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let title = if editing.is_some() { "Rediger person" } else { "Ny person" };
    let email = match editing {
        Some(id) => accounts::email_edit(state, ctx.user.acting(), id).await?,
        None => EmailEdit::Free,
    };
    let page = FormPage {
        l: ctx.layout(Nav::People, title),
        editing,
        form,
        errors,
        organisations: organisation_choices(state).await?,
        email,
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// GET /personer/ny
pub async fn new_form(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    form_page(&state, &ctx, None, PersonForm::default(), FieldErrors::default(), StatusCode::OK).await
}

/// What the store refused, as the field it concerns.
fn save_error(e: store::Error) -> Result<FieldErrors, AppError> {
    match e {
        store::Error::Taken(_) => Ok(FieldErrors::one("email", person::EMAIL_TAKEN)),
        store::Error::Unknown(_) => Ok(FieldErrors::one("organisation_id", person::UNKNOWN_ORGANISATION)),
        e => Err(e.into()),
    }
}

/// POST /personer
pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<PersonForm>,
) -> Result<Response, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    let input = match form.validate() {
        Ok(input) => input,
        Err(errors) => {
            return form_page(&state, &ctx, None, form, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    match people::create(&state.db, &ctx.actor(), &input).await {
        Ok(id) => Ok(Redirect::to(&format!("/personer/{id}")).into_response()),
        Err(e) => {
            let errors = save_error(e)?;
            form_page(&state, &ctx, None, form, errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

/// GET /personer/{id}/rediger
pub async fn edit_form(State(state): State<AppState>, ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    let person = people::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    form_page(&state, &ctx, Some(id), PersonForm::from_person(&person), FieldErrors::default(), StatusCode::OK).await
}

/// POST /personer/{id}
pub async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<PersonForm>,
) -> Result<Response, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    let input = match form.validate() {
        Ok(input) => input,
        Err(errors) => {
            return form_page(&state, &ctx, Some(id), form, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    match accounts::update_person(&state, &ctx.actor(), ctx.user.acting(), id, &input).await {
        Ok(PersonUpdate::Saved) => Ok(Redirect::to(&format!("/personer/{id}")).into_response()),
        Ok(PersonUpdate::EmailWaits { .. }) => Ok(Redirect::to(&format!("/personer/{id}#e-mail")).into_response()),
        Err(store::Error::NotFound) => Err(AppError::NotFound),
        Err(store::Error::Refused(refusal)) => {
            let errors = FieldErrors::one("email", format!("{} ({})", refusal.message, refusal.rule));
            form_page(&state, &ctx, Some(id), form, errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => {
            let errors = save_error(e)?;
            form_page(&state, &ctx, Some(id), form, errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

#[derive(Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    role: String,
}

/// POST /personer/{id}/rolle: an administrator grants or removes a global role (secretariat,
/// administrator); the last administrator keeps theirs.
pub async fn set_role(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<RoleForm>,
) -> Result<Response, AppError> {
    ctx.require(Viewer::can_administer)?;
    let role = GlobalRole::parse(&form.role).ok_or_else(|| AppError::BadRequest("Vælg en af rollerne.".into()))?;
    accounts::set_role(&state, &ctx.actor(), ctx.user.acting(), id, role).await?;
    Ok(Redirect::to(&format!("/personer/{id}#adgang")).into_response())
}

#[derive(Deserialize, Default, Clone)]
pub struct BuyoutForm {
    #[serde(default)]
    group_id: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    hours: String,
    #[serde(default)]
    starts_on: String,
    #[serde(default)]
    ends_on: String,
}

/// POST /personer/{id}/frikoeb (M10)
pub async fn add_buyout(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(form): Form<BuyoutForm>,
) -> Result<Response, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    let mut errors = FieldErrors::default();
    if form.description.trim().is_empty() {
        errors.add("description", "Beskriv opgaven, frikøbet dækker.");
    }
    let hours = match form.hours.trim() {
        "" => None,
        s => crate::domain::input::hours(s).or_else(|| {
            errors.add("hours", "Skriv antal timer som et tal mellem 0 og 10.000.");
            None
        }),
    };
    let starts_on = crate::domain::input::date(form.starts_on.trim())
        .map_err(|_| errors.add("starts_on", "Skriv startdatoen som åååå-mm-dd."))
        .ok();
    let ends_on = match form.ends_on.trim() {
        "" => None,
        s => crate::domain::input::date(s).map_err(|_| errors.add("ends_on", "Skriv slutdatoen som åååå-mm-dd.")).ok(),
    };
    if let (Some(s), Some(e)) = (starts_on, ends_on)
        && e < s
    {
        errors.add("ends_on", "Slutdatoen ligger før startdatoen.");
    }
    let (Some(starts_on), true) = (starts_on, errors.is_empty()) else {
        let mut page = show_page(&state, &ctx, id).await?;
        page.buyout = form;
        page.errors = errors;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response());
    };
    people::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let group_id = form.group_id.parse::<i64>().ok();
    let buyout =
        people::NewBuyout { person_id: id, group_id, description: form.description.trim(), hours, starts_on, ends_on };
    people::add_buyout(&state.db, &ctx.actor(), buyout).await?;
    Ok(Redirect::to(&format!("/personer/{id}#frikoeb")).into_response())
}

#[derive(Template)]
#[template(path = "people/parties.html")]
struct PartiesPage {
    l: Layout,
    parties: Vec<people::PartyRow>,
    /// O1: the secretariat is one party of its own; the form offers it until it exists.
    has_secretariat: bool,
    organisations: Vec<people::Organisation>,
    party_form: PartyForm,
    organisation_form: OrganisationForm,
    errors: FieldErrors,
}

pub fn party_kind_label(kind: &str) -> &'static str {
    match kind {
        "party" => "Part",
        "secretariat" => "Sekretariat",
        "member_organisation" => "Medlemsorganisation",
        "vendor" => "Leverandør",
        _ => "",
    }
}

async fn parties_page(state: &AppState, ctx: &Ctx) -> Result<PartiesPage, AppError> {
    let (parties, organisations) = tokio::try_join!(people::parties(&state.db), people::organisations(&state.db))?;
    Ok(PartiesPage {
        l: ctx.layout(Nav::People, "Parter og organisationer"),
        has_secretariat: parties.iter().any(|p| PartyKind::parse(&p.kind) == Some(PartyKind::Secretariat)),
        parties,
        organisations,
        party_form: PartyForm::default(),
        organisation_form: OrganisationForm::default(),
        errors: FieldErrors::default(),
    })
}

/// GET /parter (O1)
pub async fn parties(State(state): State<AppState>, ctx: Ctx) -> Result<Html<String>, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    Ok(Html(parties_page(&state, &ctx).await?.render()?))
}

#[derive(Deserialize, Default, Clone)]
pub struct PartyForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
}

/// POST /parter
pub async fn add_party(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<PartyForm>,
) -> Result<Response, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    let mut errors = FieldErrors::default();
    let code = form.code.trim().to_lowercase();
    if code.is_empty()
        || code.len() > 40
        || !code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
    {
        errors.add("code", "Koden må kun indeholde a-z, 0-9, - og _ (højst 40 tegn).");
    }
    if form.name.trim().is_empty() {
        errors.add("name", "Skriv partens navn.");
    }
    // O1: the parties and, once, the secretariat's own party (a bare installation starts without one).
    let kind = PartyKind::parse(&form.kind);
    if kind.is_none() {
        errors.add("kind", "Vælg hvilken slags part det er.");
    }
    if let (Some(kind), true) = (kind, errors.is_empty()) {
        match people::create_party(&state.db, &ctx.actor(), &code, form.name.trim(), kind).await {
            Ok(_) => return Ok(Redirect::to("/parter").into_response()),
            Err(store::Error::Taken("kind")) => errors.add("kind", "Sekretariatet findes allerede som part (O1)."),
            Err(store::Error::Taken(_)) => errors.add("code", "Koden er allerede brugt."),
            Err(e) => return Err(e.into()),
        }
    }
    let mut page = parties_page(&state, &ctx).await?;
    page.party_form = form;
    page.errors = errors;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
}

#[derive(Deserialize, Default, Clone)]
pub struct OrganisationForm {
    #[serde(default)]
    party_id: String,
    #[serde(default)]
    org_name: String,
}

/// POST /parter/organisationer
pub async fn add_organisation(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<OrganisationForm>,
) -> Result<Response, AppError> {
    ctx.require(Viewer::is_secretariat)?;
    let mut errors = FieldErrors::default();
    let party_id = form.party_id.parse::<i64>().map_err(|_| errors.add("party_id", "Vælg en part.")).ok();
    if form.org_name.trim().is_empty() {
        errors.add("org_name", "Skriv organisationens navn.");
    }
    if let (Some(party_id), true) = (party_id, errors.is_empty()) {
        match people::create_organisation(&state.db, &ctx.actor(), party_id, form.org_name.trim()).await {
            Ok(_) => return Ok(Redirect::to("/parter").into_response()),
            Err(store::Error::Taken(_)) => errors.add("org_name", "Organisationen findes allerede under denne part."),
            Err(store::Error::Unknown(_)) => errors.add("party_id", "Vælg en part."),
            Err(e) => return Err(e.into()),
        }
    }
    let mut page = parties_page(&state, &ctx).await?;
    page.organisation_form = form;
    page.errors = errors;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
}
