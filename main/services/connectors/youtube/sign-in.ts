import { ConnectorError } from '../../../core/connector';
import { GOOGLE_CLIENT_ID, YOUTUBE_SCOPES } from '../../../core/networks/youtube';
import { openLoopbackListener, type BrowserSignInOptions } from '../../oauth/loopback';
import { DEFAULT_CALL_TIMEOUT_MS, isObject } from '../kit/http';
import { googleEndpoints, requestTokens, youtubeCall, youtubeJson, YOUTUBE_API_BASE_URL, type YouTubeConfig, type YouTubeCredentials, type YouTubeSession } from './api';

/**
 * Connecting a YouTube channel with the user's own Google Cloud OAuth client of type "Desktop app"
 * (developers.google.com/identity/protocols/oauth2/native-app):
 * 1. The consent page in the system browser with PKCE S256, state, access_type=offline (for a
 *    refresh token) and prompt=consent, back to the loopback listener on a port the OS picks —
 *    Google lets a Desktop client redirect to 127.0.0.1 on any port, so nothing is registered.
 * 2. POST to the token endpoint with the code, the verifier and the client id + secret (a Desktop
 *    client's secret is not confidential, Google says; it still lives only in the keychain).
 * 3. channels.list?mine=true&part=snippet,contentDetails: the channel chosen on Google's consent
 *    page (a Google account with several channels picks one there), and its uploads playlist.
 */

export interface GoogleClient {
  clientId: string;
  clientSecret: string;
}

export interface YouTubeSignInOptions extends BrowserSignInOptions {
  client: GoogleClient;
  /** www.googleapis.com (tests: the fake, which serves the consent page and the token endpoint too). */
  apiBaseUrl?: string;
  requestTimeoutMs?: number;
}

export interface YouTubeChannel {
  config: YouTubeConfig;
}

export interface YouTubeSignIn {
  credentials: YouTubeCredentials;
  channels: YouTubeConfig[];
}

export function checkGoogleClient(client: GoogleClient): GoogleClient {
  const trimmed = { clientId: client.clientId.trim(), clientSecret: client.clientSecret.trim() };
  if (!GOOGLE_CLIENT_ID.test(trimmed.clientId)) throw new ConnectorError('validation', 'The Google client ID ends in .apps.googleusercontent.com (Google Cloud console › APIs & Services › Credentials).');
  if (trimmed.clientSecret === '') throw new ConnectorError('validation', 'Paste the Desktop client’s secret from the same page.');
  return trimmed;
}

/** Signs in through the browser; throws SignInError (browser side) or ConnectorError (Google's answers). */
export async function signInToYouTube(options: YouTubeSignInOptions): Promise<YouTubeSignIn> {
  const client = checkGoogleClient(options.client);
  const now = options.now ?? Date.now;
  const apiBaseUrl = options.apiBaseUrl ?? YOUTUBE_API_BASE_URL;
  const timeoutMs = options.requestTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const listener = await openLoopbackListener({
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  try {
    const authorize = new URL(googleEndpoints(apiBaseUrl).authorize);
    authorize.searchParams.set('client_id', client.clientId);
    authorize.searchParams.set('redirect_uri', listener.redirectUri);
    authorize.searchParams.set('response_type', 'code');
    authorize.searchParams.set('scope', YOUTUBE_SCOPES.join(' '));
    authorize.searchParams.set('state', listener.state);
    authorize.searchParams.set('code_challenge', listener.pkce.challenge);
    authorize.searchParams.set('code_challenge_method', listener.pkce.method);
    authorize.searchParams.set('access_type', 'offline');
    // Without it a second sign-in with the same client gets no refresh token.
    authorize.searchParams.set('prompt', 'consent');
    const { code } = await listener.authorize(authorize.toString(), options.openExternal);

    const base = { baseUrl: apiBaseUrl, fetch: options.fetch ?? fetch, now, ...(options.signal ? { signal: options.signal } : {}) };
    const tokens = await requestTokens(base, client, { grant_type: 'authorization_code', code, redirect_uri: listener.redirectUri, code_verifier: listener.pkce.verifier }, undefined, timeoutMs);
    const session: YouTubeSession = { ...base, credentials: { ...client, ...tokens } };
    const channels = await listYouTubeChannels(session, timeoutMs);
    if (channels.length === 0) throw new ConnectorError('permanent', 'This Google account has no YouTube channel; create one on youtube.com first.', { delivery: 'not_sent' });
    return { credentials: session.credentials, channels };
  } finally {
    listener.close();
  }
}

/** The channel(s) of the signed-in account: channels.list?mine=true (1 unit). */
export async function listYouTubeChannels(session: YouTubeSession, timeoutMs = DEFAULT_CALL_TIMEOUT_MS): Promise<YouTubeConfig[]> {
  const list = youtubeJson(await youtubeCall(session, { path: '/youtube/v3/channels', query: { part: 'snippet,contentDetails', mine: 'true', maxResults: '50' } }, timeoutMs), session.now());
  const items = Array.isArray(list['items']) ? list['items'].filter(isObject) : [];
  return items.flatMap((item) => {
    const snippet = isObject(item['snippet']) ? item['snippet'] : {};
    const details = isObject(item['contentDetails']) && isObject(item['contentDetails']['relatedPlaylists']) ? item['contentDetails']['relatedPlaylists'] : {};
    if (typeof item['id'] !== 'string') return [];
    return [{
      channelId: item['id'],
      channelTitle: typeof snippet['title'] === 'string' ? snippet['title'] : item['id'],
      uploadsPlaylistId: typeof details['uploads'] === 'string' ? details['uploads'] : `UU${item['id'].slice(2)}`,
      ...(typeof snippet['customUrl'] === 'string' ? { handle: snippet['customUrl'] } : {}),
    }];
  });
}
