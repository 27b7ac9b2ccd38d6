import { isEventName, type OutpostApi } from '../../../main/core/contract';
import type { Result } from '../../../main/core/errors';

const TOKEN_KEY = 'outpost.hostToken';

/** The host's token: from ?token= on first load (then removed from the address bar), else this tab's session. */
export function takeHostToken(location: Location, storage: Storage, history: History): string | null {
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    storage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return storage.getItem(TOKEN_KEY);
}

/**
 * `window.outpost` over the browser host's HTTP API, for tests in a real browser. The renderer
 * cannot tell it from the Electron preload: only the transport differs.
 */
export function createHttpBridge(token: string, fetchImpl: typeof fetch = fetch.bind(globalThis)): OutpostApi {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let source: EventSource | undefined;

  const ensureStream = () => {
    if (source) return;
    source = new EventSource('/api/events');
    source.onmessage = (message: MessageEvent<string>) => {
      const { event, payload } = JSON.parse(message.data) as { event: unknown; payload: unknown };
      if (!isEventName(event)) return;
      for (const listener of listeners.get(event) ?? []) listener(payload);
    };
  };

  return {
    async invoke(name, args) {
      try {
        const response = await fetchImpl('/api/invoke', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-outpost-token': token },
          body: JSON.stringify({ name, args }),
        });
        return (await response.json()) as Result<never>;
      } catch {
        return { ok: false, error: { code: 'internal', message: 'The Outpost host did not answer.' } };
      }
    },
    async upload(file) {
      // The browser streams a File body from disk; nothing large passes through JavaScript.
      try {
        const response = await fetchImpl('/api/upload', {
          method: 'POST',
          headers: { 'content-type': 'application/octet-stream', 'x-outpost-token': token },
          body: file,
        });
        return (await response.json()) as Result<{ uploadId: string }>;
      } catch {
        return { ok: false, error: { code: 'internal', message: 'The upload did not reach the Outpost host.' } };
      }
    },
    on(event, listener) {
      ensureStream();
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (payload: unknown) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (payload: unknown) => void);
    },
  };
}
