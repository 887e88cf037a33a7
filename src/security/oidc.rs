//! Signing in through the organisation's own identity provider: OpenID Connect's authorization code
//! flow with PKCE, state and nonce (openidconnect). The provider's metadata and keys come from its
//! discovery document on first use (so the server starts while the provider is away) and are read
//! again when a token names a key this server has not seen: providers rotate their keys.
//!
//! What this module answers is who the provider says the person is; whether that person has an
//! account here is the caller's question.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use openidconnect::core::{CoreClient, CoreIdToken, CoreIdTokenClaims, CoreResponseType};
use openidconnect::{
    AuthenticationFlow, AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret, CsrfToken,
    EndpointMaybeSet, EndpointNotSet, EndpointSet, IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier,
    PostLogoutRedirectUrl, ProviderMetadataWithLogout, RedirectUrl, Scope, SignatureVerificationError, TokenResponse,
};
use serde::{Deserialize, Serialize};
use tokio::sync::RwLock;

use crate::domain::clock::Clock;

/// The settings of one provider (OIDC_* in the environment).
#[derive(Debug, Clone)]
pub struct OidcSettings {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: Option<String>,
    pub scopes: Vec<String>,
    /// The button's words: "Log ind med {label}".
    pub label: String,
    /// BASE_URL + /login/oidc/callback
    pub redirect_uri: String,
    /// An e-mail claim without `email_verified` counts as verified (OIDC_EMAIL_VERIFIED_BY_PROVIDER).
    pub email_verified_by_provider: bool,
}

/// What a sign-in started here must find again at the callback: kept in the visitor's session.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Flow {
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
    /// Where to go once signed in.
    pub next: String,
}

/// The person as the provider vouches for them in a verified ID token.
#[derive(Debug, Clone)]
pub struct Identity {
    pub issuer: String,
    pub subject: String,
    pub email: Option<String>,
    pub email_verified: bool,
    /// The raw ID token, kept for signing out at the provider (id_token_hint).
    pub id_token: String,
}

/// Why the provider's answer was not accepted. The messages are for the audit log; the person
/// sees a Danish sentence chosen by the caller.
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    #[error("the provider could not be reached or its discovery document read: {0}")]
    Discovery(String),
    #[error("the provider refused the code: {0}")]
    CodeRefused(String),
    #[error("the token response held no ID token")]
    NoIdToken,
    #[error("the ID token was refused: {0}")]
    IdToken(String),
}

type Metadata = ProviderMetadataWithLogout;
/// A client made from the discovery document: authorization endpoint set, token endpoint and user
/// info as the provider declares them.
type Client =
    CoreClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointMaybeSet, EndpointMaybeSet>;

pub struct Oidc {
    settings: OidcSettings,
    http: openidconnect::reqwest::Client,
    metadata: RwLock<Option<Arc<Metadata>>>,
    clock: Arc<dyn Clock>,
}

impl Oidc {
    pub fn new(settings: OidcSettings, clock: Arc<dyn Clock>) -> Result<Oidc, OidcError> {
        // No redirects: a provider's endpoints answer directly, and following them invites SSRF.
        let http = openidconnect::reqwest::ClientBuilder::new()
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(10))
            .build()
            .map_err(|e| OidcError::Discovery(e.to_string()))?;
        Ok(Oidc { settings, http, metadata: RwLock::new(None), clock })
    }

    pub fn label(&self) -> &str {
        &self.settings.label
    }

    async fn discover(&self) -> Result<Arc<Metadata>, OidcError> {
        let issuer = IssuerUrl::new(self.settings.issuer.clone()).map_err(|e| OidcError::Discovery(e.to_string()))?;
        let metadata =
            Metadata::discover_async(issuer, &self.http).await.map_err(|e| OidcError::Discovery(e.to_string()))?;
        let metadata = Arc::new(metadata);
        *self.metadata.write().await = Some(metadata.clone());
        Ok(metadata)
    }

    async fn metadata(&self) -> Result<Arc<Metadata>, OidcError> {
        if let Some(known) = self.metadata.read().await.clone() {
            return Ok(known);
        }
        self.discover().await
    }

    fn client(&self, metadata: &Metadata) -> Result<Client, OidcError> {
        let redirect =
            RedirectUrl::new(self.settings.redirect_uri.clone()).map_err(|e| OidcError::Discovery(e.to_string()))?;
        Ok(CoreClient::from_provider_metadata(
            metadata.clone(),
            ClientId::new(self.settings.client_id.clone()),
            self.settings.client_secret.clone().map(ClientSecret::new),
        )
        .set_redirect_uri(redirect))
    }

    /// Where to send the browser, and what the callback must find again.
    pub async fn start(&self, next: String) -> Result<(url::Url, Flow), OidcError> {
        let metadata = self.metadata().await?;
        let client = self.client(&metadata)?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client.authorize_url(
            AuthenticationFlow::<CoreResponseType>::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        );
        for scope in self.settings.scopes.iter().filter(|s| s.as_str() != "openid") {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        let (url, state, nonce) = request.set_pkce_challenge(challenge).url();
        let flow = Flow {
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
            next,
        };
        Ok((url, flow))
    }

    /// Exchanges the code (with the PKCE verifier) and verifies the ID token: signature, issuer,
    /// audience, expiry (by the server's clock) and nonce. The caller has already compared `state`.
    pub async fn finish(&self, flow: &Flow, code: &str) -> Result<Identity, OidcError> {
        let metadata = self.metadata().await?;
        let client = self.client(&metadata)?;
        let response = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|e| OidcError::CodeRefused(e.to_string()))?
            .set_pkce_verifier(PkceCodeVerifier::new(flow.pkce_verifier.clone()))
            .request_async(&self.http)
            .await
            .map_err(|e| OidcError::CodeRefused(e.to_string()))?;
        let token = response.id_token().ok_or(OidcError::NoIdToken)?.clone();
        let nonce = Nonce::new(flow.nonce.clone());
        let claims = match self.verify(&client, &token, &nonce) {
            Err(ClaimsVerificationError::SignatureVerification(SignatureVerificationError::NoMatchingKey)) => {
                // A key this server has not seen: the provider rotated its keys. Read them again, once.
                let metadata = self.discover().await?;
                let client = self.client(&metadata)?;
                self.verify(&client, &token, &nonce)
            }
            other => other,
        }
        .map_err(|e| OidcError::IdToken(e.to_string()))?;
        Ok(Identity {
            issuer: claims.issuer().to_string(),
            subject: claims.subject().to_string(),
            email: claims.email().map(|e| e.to_string()),
            email_verified: match claims.email_verified() {
                Some(verified) => verified,
                None => self.settings.email_verified_by_provider,
            },
            id_token: token.to_string(),
        })
    }

    fn verify(
        &self,
        client: &Client,
        token: &CoreIdToken,
        nonce: &Nonce,
    ) -> Result<CoreIdTokenClaims, ClaimsVerificationError> {
        let clock = self.clock.clone();
        let verifier = client.id_token_verifier().set_time_fn(move || -> DateTime<Utc> { clock.now() });
        token.claims(&verifier, nonce).cloned()
    }

    /// RP-initiated logout: the provider's end-session address with the ID token as a hint and the
    /// login page to come back to; `None` when the provider offers no such endpoint.
    pub async fn logout_url(&self, id_token: &str, back_to: &str) -> Option<url::Url> {
        let metadata = self.metadata().await.ok()?;
        let endpoint = metadata.additional_metadata().end_session_endpoint.clone()?;
        let token: CoreIdToken = id_token.parse().ok()?;
        let mut request = openidconnect::LogoutRequest::from(endpoint)
            .set_id_token_hint(&token)
            .set_client_id(ClientId::new(self.settings.client_id.clone()));
        if let Ok(back) = PostLogoutRedirectUrl::new(back_to.to_owned()) {
            request = request.set_post_logout_redirect_uri(back);
        }
        Some(request.http_get_url())
    }
}
