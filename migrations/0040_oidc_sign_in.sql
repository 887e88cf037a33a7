-- Sign-in through the organisation's identity provider (OpenID Connect). An account is bound to the
-- provider's issuer and subject on its first sign-in, by a verified e-mail; later sign-ins find it by
-- issuer and subject alone, so a changed e-mail at the provider keeps the account.
ALTER TABLE accounts
    ADD COLUMN oidc_issuer  text CHECK (oidc_issuer IS NULL OR length(oidc_issuer) BETWEEN 1 AND 500),
    ADD COLUMN oidc_subject text CHECK (oidc_subject IS NULL OR length(oidc_subject) BETWEEN 1 AND 255),
    ADD CONSTRAINT accounts_oidc_both CHECK ((oidc_issuer IS NULL) = (oidc_subject IS NULL)),
    -- An administrator who may still sign in with a password when password sign-in is off for
    -- everyone else: the way in when the identity provider is down.
    ADD COLUMN break_glass  boolean NOT NULL DEFAULT false;
CREATE UNIQUE INDEX accounts_oidc_identity ON accounts (oidc_issuer, oidc_subject) WHERE oidc_subject IS NOT NULL;

-- The installation's sign-in settings: one row.
CREATE TABLE sign_in_settings (
    id                 boolean PRIMARY KEY DEFAULT true CHECK (id),
    password_sign_in   boolean NOT NULL DEFAULT true,
    updated_at         timestamptz NOT NULL DEFAULT now()
);
INSERT INTO sign_in_settings DEFAULT VALUES;
