//! People (M7, M8, M10): the secretariat's register, a person's page with groups, roles and
//! history, the forms to add and edit people, and buy-out agreements. Parties and organisations
//! (O1) are kept in `parties.rs`.

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
use crate::domain::input::Choice;
use crate::domain::person::{self, PersonDraft};
use crate::domain::reference;
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
        .map(|p| Choice {
            value: p.id.to_string(),
            label: if p.retired { format!("{} (udgået)", p.name) } else { p.name },
        })
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

/// O1: the organisations a person may be placed in: the active ones, and a retired one only where it
/// is the person's present organisation.
async fn organisation_choices(state: &AppState, present: &str) -> Result<Vec<Choice>, AppError> {
    Ok(people::organisations(&state.db)
        .await?
        .into_iter()
        .filter(|o| reference::offered(!o.choosable(), o.id.to_string() == present))
        .map(|o| Choice {
            value: o.id.to_string(),
            label: if !o.choosable() {
                format!("{} ({}, udgået)", o.name, o.party)
            } else {
                format!("{} ({})", o.name, o.party)
            },
        })
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
    // The organisation the person has now (not what the form sends), the one retired choice kept.
    let present_organisation = match editing {
        Some(id) => people::get(&state.db, id).await?.and_then(|p| p.organisation_id).map(|o| o.to_string()),
        None => None,
    }
    .unwrap_or_default();
    let page = FormPage {
        l: ctx.layout(Nav::People, title),
        editing,
        form,
        errors,
        organisations: organisation_choices(state, &present_organisation).await?,
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
        store::Error::Retired(_) => Ok(FieldErrors::one("organisation_id", reference::ORGANISATION_RETIRED)),
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
    match accounts::add_person(&state, &ctx.actor(), &input).await {
        Ok(id) => Ok(Redirect::to(&format!("/personer/{id}")).into_response()),
        Err(crate::app::Error::Store(e)) => {
            let errors = save_error(e)?;
            form_page(&state, &ctx, None, form, errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
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
        Err(crate::app::Error::Store(store::Error::NotFound)) => Err(AppError::NotFound),
        Err(crate::app::Error::Store(store::Error::Refused(refusal))) => {
            let errors = FieldErrors::one("email", format!("{} ({})", refusal.message, refusal.rule));
            form_page(&state, &ctx, Some(id), form, errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(crate::app::Error::Store(e)) => {
            let errors = save_error(e)?;
            form_page(&state, &ctx, Some(id), form, errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
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
