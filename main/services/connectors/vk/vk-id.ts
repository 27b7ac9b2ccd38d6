import { randomBytes } from 'node:crypto';
import { ConnectorError } from '../../../core/connector';
import { DEFAULT_CALL_TIMEOUT_MS, httpCall, isObject, isSuccess } from '../kit/http';
import type { VkCredentials } from './api';

/**
 * VK ID's token endpoint (OAuth 2.1, https://id.vk.com/oauth2/auth), shared by the sign-in (code +
 * PKCE verifier) and the connector (refresh before the 1 h access token runs out). VK ID requires
 * `device_id` (sent back with the code) and `state` on both exchanges; a public client sends no
 * secret (id.vk.com/about/business/go/docs/ru/vkid/latest/vk-id/connection/tokens/access-token).
 */

export interface VkIdEndpoint {
  baseUrl: string;
  fetch: typeof fetch;
  now(): number;
  signal?: AbortSignal | undefined;
}

/** Refresh this long before expiry, so a post never goes out on a token that dies mid-upload. */
export const REFRESH_AHEAD_MS = 5 * 60_000;

type VkIdCredentials = Extract<VkCredentials, { flow: 'vkid' }>;

export async function exchangeVkIdCode(
  endpoint: VkIdEndpoint,
  grant: { appId: string; code: string; verifier: string; deviceId: string; redirectUri: string },
): Promise<VkIdCredentials> {
  return tokenCall(endpoint, grant.appId, grant.deviceId, {
    grant_type: 'authorization_code',
    code: grant.code,
    code_verifier: grant.verifier,
    redirect_uri: grant.redirectUri,
  });
}

export async function refreshVkIdToken(endpoint: VkIdEndpoint, credentials: VkIdCredentials): Promise<VkIdCredentials> {
  return tokenCall(endpoint, credentials.appId, credentials.deviceId, { grant_type: 'refresh_token', refresh_token: credentials.refreshToken });
}

async function tokenCall(endpoint: VkIdEndpoint, appId: string, deviceId: string, form: Record<string, string>): Promise<VkIdCredentials> {
  const state = randomBytes(16).toString('base64url');
  const answer = await httpCall(
    { baseUrl: endpoint.baseUrl, fetch: endpoint.fetch, name: 'VK ID', timeoutMs: DEFAULT_CALL_TIMEOUT_MS, signal: endpoint.signal, secrets: secretsOf(form) },
    { path: '/oauth2/auth', form: { ...form, client_id: appId, device_id: deviceId, state } },
  );
  const body = answer.json;
  if (isSuccess(answer.status) && isObject(body) && typeof body.access_token === 'string' && typeof body.refresh_token === 'string') {
    if (body.state !== state) throw new ConnectorError('auth', 'VK ID answered for another sign-in (state differs); connect again.');
    const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : 3600;
    return {
      flow: 'vkid',
      appId,
      accessToken: body.access_token,
      refreshToken: body.refresh_token,
      deviceId: typeof body.device_id === 'string' ? body.device_id : deviceId,
      expiresAt: endpoint.now() + expiresIn * 1000,
      userId: typeof body.user_id === 'number' ? body.user_id : Number(body.user_id),
    };
  }
  const said = isObject(body) ? [body.error, body.error_description].filter((part) => typeof part === 'string' && part !== '').join(': ') : '';
  if (answer.status >= 500) throw new ConnectorError('transient', said || `VK ID answered HTTP ${answer.status}.`, { status: answer.status, delivery: 'not_sent' });
  // invalid_grant, invalid_client…: the refresh token or the app is no longer good; the user must sign in again.
  throw new ConnectorError('auth', said ? `${said}: reconnect the community.` : 'VK ID refused the sign-in; reconnect the community.', {
    status: answer.status,
    delivery: 'not_sent',
    ...(said ? { networkSaid: said } : {}),
  });
}

function secretsOf(form: Record<string, string>): Record<string, string> {
  const secrets: Record<string, string> = {};
  for (const name of ['code', 'code_verifier', 'refresh_token']) if (form[name]) secrets[name] = form[name];
  return secrets;
}
