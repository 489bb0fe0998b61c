import * as oidc from 'openid-client';
import { HubError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { AccountService, SignedIn } from './account-service.js';

export interface SsoSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The ID-token claim naming the hub account on first sign-in. */
  usernameClaim: string;
  /** Where the provider sends the browser back: <PUBLIC_URL>/console/sso/callback. */
  redirectUri: string;
}

/** What the browser keeps between leaving for the provider and coming back (a short-lived cookie). */
export interface PendingSignIn {
  state: string;
  nonce: string;
  verifier: string;
  next: string;
}

/** Plain http is allowed only for a provider on this machine (a test or a local Keycloak). */
const loopback = (issuer: URL) => issuer.protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(issuer.hostname);

/**
 * Single sign-on through OpenID Connect (authorization code with PKCE, state and nonce), by
 * openid-client. The provider is discovered on first use, so a provider that is down does not stop
 * the hub; passwords keep working beside it.
 */
export class SingleSignOn {
  private discovered: Promise<oidc.Configuration> | null = null;

  constructor(
    private readonly settings: SsoSettings,
    private readonly accounts: AccountService,
    private readonly logger: Logger,
  ) {}

  private configuration(): Promise<oidc.Configuration> {
    if (!this.discovered) {
      const issuer = new URL(this.settings.issuer);
      const insecure = issuer.protocol === 'http:' && loopback(issuer);
      if (issuer.protocol !== 'https:' && !insecure) return Promise.reject(new HubError('sso_failed', 'the identity provider must be reached over https'));
      this.discovered = oidc
        .discovery(issuer, this.settings.clientId, undefined, oidc.ClientSecretBasic(this.settings.clientSecret), insecure ? { execute: [oidc.allowInsecureRequests] } : undefined)
        .catch((err: unknown) => {
          this.discovered = null; // tried again on the next sign-in
          this.logger.error({ err }, 'single sign-on: the identity provider could not be discovered');
          throw new HubError('sso_failed', 'the identity provider cannot be reached');
        });
    }
    return this.discovered;
  }

  /** The provider's sign-in address, and what to keep until the browser comes back. */
  async begin(next: string): Promise<{ url: string; pending: PendingSignIn }> {
    const config = await this.configuration();
    const pending = { state: oidc.randomState(), nonce: oidc.randomNonce(), verifier: oidc.randomPKCECodeVerifier(), next };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUri,
      scope: 'openid profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(pending.verifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    });
    return { url: url.href, pending };
  }

  /** The browser is back with a code (`query`: the callback's query string): exchange it and sign the account in. */
  async finish(query: string, pending: PendingSignIn): Promise<{ sessionSecret: string } & SignedIn> {
    const config = await this.configuration();
    const current = new URL(this.settings.redirectUri);
    current.search = query;
    let claims: oidc.IDToken | undefined;
    try {
      const tokens = await oidc.authorizationCodeGrant(config, current, { pkceCodeVerifier: pending.verifier, expectedState: pending.state, expectedNonce: pending.nonce, idTokenExpected: true });
      claims = tokens.claims();
    } catch (err) {
      // The provider said no (the person cancelled), or the answer did not check out: never a session.
      this.logger.warn({ err: { name: (err as Error).name, code: (err as { code?: string }).code, message: (err as Error).message } }, 'single sign-on refused');
      throw new HubError('sso_failed', 'the sign-in with the identity provider did not succeed');
    }
    if (!claims) throw new HubError('sso_failed', 'the identity provider sent no ID token');
    const named = claims[this.settings.usernameClaim];
    return this.accounts.signInWithSso(`${claims.iss} ${claims.sub}`, typeof named === 'string' ? named : undefined);
  }
}
