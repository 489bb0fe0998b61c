import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

const escape = (v: string) => v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface OidcUser {
  sub: string;
  preferred_username?: string;
  name?: string;
}

interface Grant {
  challenge: string;
  nonce: string;
  redirectUri: string;
  user: OidcUser;
}

/**
 * An OpenID Connect provider on a loopback port, speaking the real protocol (discovery, authorize,
 * token with client_secret_basic and PKCE, JWKS, RS256 ID tokens). Whoever is in `signedIn` is
 * the person who "signs in" at the provider; null is a person who cancels.
 */
export async function startFakeOidc(client: { id: string; secret: string; redirectUri: string }, options: { hostname?: string; interactive?: boolean } = {}) {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const grants = new Map<string, Grant>();
  const state = { signedIn: null as OidcUser | null, tokenRequests: 0, issuer: '', tamperNonce: false };
  const app = express();
  app.get('/.well-known/openid-configuration', (_req, res) => {
    res.json({
      issuer: state.issuer,
      authorization_endpoint: `${state.issuer}/authorize`,
      token_endpoint: `${state.issuer}/token`,
      jwks_uri: `${state.issuer}/jwks`,
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic'],
    });
  });
  app.get('/jwks', (_req, res) => res.json({ keys: [jwk] }));
  // interactive: the provider shows its own page and the person presses a button there, as at a real
  // one; the way back then starts on the provider's site.
  app.get('/authorize', (req, res, next) => {
    if (!options.interactive) return next();
    const fields = Object.entries(req.query as Record<string, string>).map(([k, v]) => `<input type="hidden" name="${escape(k)}" value="${escape(v)}">`);
    res.type('html').send(`<!doctype html><link rel="icon" href="data:,"><title>Provider</title><form method="post" action="/authorize">${fields.join('')}<button>Continue as ${escape(state.signedIn?.preferred_username ?? '')}</button></form>`);
  });
  app.all('/authorize', express.urlencoded({ extended: false }), (req, res) => {
    const q = (req.method === 'POST' ? req.body : req.query) as Record<string, string>;
    if (q.client_id !== client.id || q.redirect_uri !== client.redirectUri || q.response_type !== 'code' || q.code_challenge_method !== 'S256' || !q.code_challenge) {
      res.status(400).send('bad authorization request');
      return;
    }
    const back = new URL(q.redirect_uri);
    back.searchParams.set('state', q.state);
    back.searchParams.set('iss', state.issuer);
    if (!state.signedIn) {
      back.searchParams.set('error', 'access_denied');
    } else {
      const code = randomBytes(16).toString('hex');
      grants.set(code, { challenge: q.code_challenge, nonce: q.nonce, redirectUri: q.redirect_uri, user: state.signedIn });
      back.searchParams.set('code', code);
    }
    res.redirect(302, back.href);
  });
  app.post('/token', express.urlencoded({ extended: false }), async (req, res) => {
    state.tokenRequests++;
    // client_secret_basic: each half form-urlencoded before base64 (RFC 6749, 2.3.1), so decode both.
    const [kind, encoded] = (req.get('authorization') ?? '').split(' ');
    const [id, secret] = Buffer.from(encoded ?? '', 'base64').toString('utf8').split(':').map((v) => decodeURIComponent(v.replace(/\+/g, ' ')));
    if (kind !== 'Basic' || id !== client.id || secret !== client.secret) {
      res.status(401).json({ error: 'invalid_client' });
      return;
    }
    const grant = grants.get(req.body.code);
    grants.delete(req.body.code); // a code works once
    const verifier = String(req.body.code_verifier ?? '');
    if (!grant || req.body.grant_type !== 'authorization_code' || req.body.redirect_uri !== grant.redirectUri || createHash('sha256').update(verifier).digest('base64url') !== grant.challenge) {
      res.status(400).json({ error: 'invalid_grant' });
      return;
    }
    const { sub, ...claims } = grant.user;
    const idToken = await new SignJWT({ ...claims, nonce: state.tamperNonce ? 'someone-else' : grant.nonce })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(state.issuer)
      .setSubject(sub)
      .setAudience(client.id)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
    res.json({ access_token: randomBytes(16).toString('hex'), token_type: 'Bearer', expires_in: 300, id_token: idToken });
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  // Another host name than the hub's (localhost against 127.0.0.1) makes the provider another site, as a real one is.
  state.issuer = `http://${options.hostname ?? '127.0.0.1'}:${(server.address() as AddressInfo).port}`;
  return Object.assign(state, { close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
}
