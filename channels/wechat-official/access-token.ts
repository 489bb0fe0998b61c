import type { AccessTokens, TokenGrant } from '../../src/channels/contract.js';

/** A token the platform will take: the stored one, or a new one when `refused` is the stored one. */
export type TokenSource = (refused?: string) => Promise<string>;

/** The platform would not issue a token (wrong secret, CorpID, server IP not allowed): its errcode only. */
export class TokenRefused extends Error {
  constructor(
    readonly platform: string,
    readonly errcode: number,
  ) {
    super(`${platform} refused an access token: errcode ${errcode}`);
    this.name = 'TokenRefused';
  }
}

const TIMEOUT_MS = 10_000;

// The URL carries the secret: it is never logged, and no error below quotes it.
async function fetchGrant(platform: string, url: URL): Promise<TokenGrant> {
  const res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  if (!res.ok) throw new Error(`${platform} token endpoint answered HTTP ${res.status}`);
  const body = (await res.json()) as { errcode?: number; access_token?: string; expires_in?: number };
  if (!body.access_token) throw new TokenRefused(platform, body.errcode ?? -1);
  return { token: body.access_token, expiresInS: body.expires_in ?? 7200 };
}

/** The Official Account's token: GET /cgi-bin/token with the AppID and AppSecret. */
export function officialAccountToken(store: AccessTokens, apiUrl: string, appId: string, secret: string): TokenSource {
  const url = new URL('/cgi-bin/token', apiUrl);
  url.search = new URLSearchParams({ grant_type: 'client_credential', appid: appId, secret }).toString();
  return (refused) => store.get(`wechat-oa:${appId}`, () => fetchGrant('WeChat', url), refused);
}

/** A WeCom app's token: GET /cgi-bin/gettoken with the CorpID and the app's secret (one token per app). */
export function wecomToken(store: AccessTokens, apiUrl: string, corpId: string, agentId: number, secret: string): TokenSource {
  const url = new URL('/cgi-bin/gettoken', apiUrl);
  url.search = new URLSearchParams({ corpid: corpId, corpsecret: secret }).toString();
  return (refused) => store.get(`wecom:${corpId}:${agentId}`, () => fetchGrant('WeCom', url), refused);
}
