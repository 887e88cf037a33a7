// A real OpenID Provider for the sign-in tests: oidc-provider (OpenID Certified) with two clients,
// the people of ACCOUNTS, its own development login page (any password), and RP-initiated logout.
// Settings come from the environment: PORT, REDIRECT_URI, POST_LOGOUT_URI and ACCOUNTS (JSON:
// { "<subject>": { "email": ..., "email_verified": true|false, "name": ... } }). Prints "ready".
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const accounts = JSON.parse(process.env.ACCOUNTS || '{}');
const client = (id, secret) => ({
  client_id: id,
  client_secret: secret,
  redirect_uris: [process.env.REDIRECT_URI],
  post_logout_redirect_uris: [process.env.POST_LOGOUT_URI],
  grant_types: ['authorization_code'],
  response_types: ['code'],
});

// A new signing key at every start, as a provider that rotates its keys: the relying party must
// read the keys again when a token names one it has not seen.
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), use: 'sig', alg: 'RS256' };

const provider = new Provider(`http://127.0.0.1:${port}`, {
  jwks: { keys: [signingKey] },
  // The application's client, and another one whose tokens the application must not accept.
  clients: [client('samarbejdsrum', 'test-hemmelighed'), client('andet-system', 'andet-hemmelighed')],
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  // The e-mail claims in the ID token itself, as Entra ID and Keycloak can be set up to do.
  conformIdTokenClaims: false,
  async findAccount(ctx, sub) {
    if (!accounts[sub]) return undefined;
    return { accountId: sub, async claims() { return { sub, ...accounts[sub] }; } };
  },
  // Consent is the organisation's business: every client gets the scopes it asks for.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  cookies: { keys: ['only-for-tests'] },
  ttl: { IdToken: 3600, AuthorizationCode: 60, Session: 3600, Interaction: 600, Grant: 3600 },
});
provider.listen(port, '127.0.0.1', () => console.log('ready'));
