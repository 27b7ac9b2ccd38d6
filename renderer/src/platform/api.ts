import type { Args, EventName, EventPayload, OutpostApi, Reply, RequestName } from '../../../main/core/contract';
import type { Result } from '../../../main/core/errors';
import { createHttpBridge, takeHostToken } from './http-bridge';

let bridge: OutpostApi | undefined;

/** Picks the transport once: the Electron preload's, or the browser host's over HTTP. */
export function connectApi(): OutpostApi {
  if (bridge) return bridge;
  if (window.outpost) {
    bridge = window.outpost;
    return bridge;
  }
  const token = takeHostToken(window.location, window.sessionStorage, window.history);
  if (!token) throw new Error('Outpost was opened without its host token.');
  bridge = createHttpBridge(token);
  return bridge;
}

/** For component tests: a fake transport. */
export function setApiForTests(api: OutpostApi): void {
  bridge = api;
}

export function invoke<N extends RequestName>(name: N, args: Args<N>): Promise<Result<Reply<N>>> {
  return connectApi().invoke(name, args);
}

export function subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
  return connectApi().on(event, listener);
}
